// Command goref is netsim's reference client: it runs simulated Bacalhau compute nodes as real
// nats.go connections (the client Bacalhau itself uses), many in one process, and reports what
// each connection does as netsim RawEvent JSON lines on stdout, on the harness's clock, so that
// netsim's nats.js-based node (sim/transports/nats/compute/compute-node.ts) can be calibrated
// against the real client in the same run (docs/calibration.md). netsim builds it from Debian's
// nats.go sources (sim/fleet/goref-build.ts) and drives it (sim/fleet/go-fleet.ts).
//
// Usage:
//
//	goref --run RUN-ID     the run id is only there for `netsim reap` to find the process
//	goref --version        prints {"nats_go": ..., "go": ...}
//
// Stdin carries commands, one JSON object a line, as netsim's workers get theirs over IPC:
//
//	{"type": "start", "spec": {...}}   once: start the fleet (spec.go; it holds the token)
//	{"type": "stop"}                   close every connection, then exit
//
// End of stdin is a stop too (a harness that dies takes the fleet along), and so is SIGTERM;
// SIGINT is ignored: Ctrl-C reaches the whole process group, and the harness decides when its
// fleet stops. Stdout carries events ({"at", "kind", "node", "data"}) and control lines
// ({"type": "ready", "started": N, "failed": M} once every node tried its start; {"type":
// "stopped"} last, before exit 0). A bad command exits 2 with a message on stderr.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
)

type command struct {
	Type string          `json:"type"`
	Spec json.RawMessage `json:"spec"`
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "goref: "+format+"\n", a...)
	os.Exit(2)
}

// readCommands sends each command on stdin to cmds and closes it at end of input.
func readCommands(cmds chan<- command) {
	defer close(cmds)
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 1 {
			var c command
			if e := json.Unmarshal(line, &c); e != nil {
				fail("stdin: a command is not JSON: %v", e)
			}
			cmds <- c
		}
		if err == io.EOF {
			return
		} else if err != nil {
			fail("stdin: %v", err)
		}
	}
}

func main() {
	for i := 1; i < len(os.Args); i++ {
		switch a := os.Args[i]; a {
		case "--version":
			b, _ := json.Marshal(map[string]string{"nats_go": nats.Version, "go": runtime.Version()})
			fmt.Println(string(b))
			return
		case "--run":
			i++ // the value only marks the process as the run's
		default:
			fail("unexpected argument %q\nusage: goref --run RUN-ID (commands on stdin) | goref --version", a)
		}
	}

	stop := make(chan struct{})
	var stopOnce sync.Once
	requestStop := func() { stopOnce.Do(func() { close(stop) }) }
	signal.Ignore(syscall.SIGINT)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() { <-sigs; requestStop() }()

	cmds := make(chan command)
	go readCommands(cmds)
	go out.flushEvery(25 * time.Millisecond)

	var r *runner
	launched := make(chan struct{})
	go func() {
		for c := range cmds {
			switch {
			case c.Type == "start" && r == nil:
				var spec Spec
				if err := decodeStrict(c.Spec, &spec); err != nil {
					fail("start: %v", err)
				}
				if err := spec.check(); err != nil {
					fail("start: %v", err)
				}
				if spec.Seed != nil {
					rand.Seed(*spec.Seed)
				}
				r = newRunner(&spec, stop)
				go func() {
					defer close(launched)
					if spec.PoolPollMs > 0 {
						go r.pollPools(time.Duration(spec.PoolPollMs * float64(time.Millisecond)))
					}
					started, failed, complete := r.launch()
					if complete {
						emitControl(map[string]any{"type": "ready", "started": started, "failed": failed})
					}
				}()
			case c.Type == "stop":
				requestStop()
			default:
				fail("unexpected command %q", c.Type)
			}
		}
		requestStop() // end of stdin
	}()

	<-stop
	if r != nil {
		r.stopAll()
		select { // start-ups caught mid-way end quickly once their node is stopping
		case <-launched:
		case <-time.After(5 * time.Second):
		}
	}
	emitControl(map[string]any{"type": "stopped"})
	os.Exit(0)
}
