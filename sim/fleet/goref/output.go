package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sync"
	"time"
)

// The clock, as netsim's sim/core/clock.ts (performance.timeOrigin + performance.now()): epoch
// milliseconds read once at start, plus monotonic time since then (time.Since uses Go's
// monotonic reading), so readings never jump with the wall clock and land on the harness's
// timeline as every other agent's do. Rounded to microseconds.
var (
	origin   = time.Now()
	originMs = float64(origin.Unix())*1e3 + float64(origin.Nanosecond())/1e6
)

func now() float64 {
	return math.Round((originMs+float64(time.Since(origin))/1e6)*1e3) / 1e3
}

// rawEvent is netsim's RawEvent (sim/core/events.ts); "data" is left out when there is none.
type rawEvent struct {
	At   float64        `json:"at"`
	Kind string         `json:"kind"`
	Node string         `json:"node"`
	Data map[string]any `json:"data,omitempty"`
}

// output serialises whole lines onto one buffered stdout writer: a mutex keeps lines from
// interleaving, and a ticker flushes at least every 25 ms (netsim's workers batch events over
// the same interval, sim/platform/event-batcher.ts). Events carry their own time, so the
// batching delays only when the harness learns of them.
type output struct {
	mu sync.Mutex
	w  *bufio.Writer
}

var out = &output{w: bufio.NewWriterSize(os.Stdout, 64<<10)}

func (o *output) line(b []byte) {
	o.mu.Lock()
	o.w.Write(b)
	o.w.WriteByte('\n')
	o.mu.Unlock()
}

func (o *output) flush() {
	o.mu.Lock()
	o.w.Flush()
	o.mu.Unlock()
}

func (o *output) flushEvery(d time.Duration) {
	t := time.NewTicker(d)
	for range t.C {
		o.flush()
	}
}

func emitEvent(node, kind string, data map[string]any) {
	b, err := json.Marshal(rawEvent{At: now(), Kind: kind, Node: node, Data: data})
	if err != nil { // cannot happen with these types; never lose the line silently
		b = []byte(fmt.Sprintf(`{"at":%.3f,"kind":"node.error","node":%q,"data":{"phase":"output","code":"ERROR","message":%q}}`, now(), node, err.Error()))
	}
	out.line(b)
}

// emitControl writes a control line ("type" instead of "kind").
func emitControl(v map[string]any) {
	b, _ := json.Marshal(v)
	out.line(b)
	out.flush()
}
