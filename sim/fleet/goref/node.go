package main

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// node is one simulated compute node: one real nats.go connection with Bacalhau's options.
type node struct {
	spec   NodeSpec
	timers timers
	run    *runner

	// mu orders a node's events: every event is written with mu held and only while the node
	// is not stopping, so nothing follows node.stopped and handler events never race the
	// start-up's own.
	mu        sync.Mutex
	nc        *nats.Conn
	started   bool   // node.start was emitted
	stopping  bool   // stopped on purpose (harness stop or failed registration)
	connected bool   // on a server: a disconnect is reported once per outage
	server    string // host:port of the server it is on
	pool      string // last reported pool, to report changes only
	seq       int    // heartbeat sequence
	done      chan struct{}
	doneOnce  sync.Once
}

// event writes one event; mu must be held.
func (n *node) event(kind string, data map[string]any) {
	if n.stopping {
		return
	}
	emitEvent(n.spec.ID, kind, data)
}

func (n *node) endTimers() { n.doneOnce.Do(func() { close(n.done) }) }

// reportPool emits node.pool when the client's pool differs from the last one reported; mu held.
func (n *node) reportPool(nc *nats.Conn) {
	urls := nc.Servers()
	servers := make([]string, 0, len(urls))
	for _, u := range urls {
		servers = append(servers, hostPort(u))
	}
	sort.Strings(servers)
	key := strings.Join(servers, ",")
	if key == n.pool {
		return
	}
	n.pool = key
	n.event("node.pool", map[string]any{"servers": servers})
}

// options are Bacalhau's client options (docs/calibration.md, "How it works": Name,
// MaxReconnects, Token; the timers are nats.go's defaults, which the group's options give at
// the run's time scale) plus the handlers that turn the client's callbacks into events.
// Everything else is nats.go's default: randomized pool, 8 MB reconnect buffer, no
// RetryOnFailedConnect, no TLS.
func (n *node) options() []nats.Option {
	t := n.timers
	opts := []nats.Option{
		nats.Name(n.spec.ID),
		nats.MaxReconnects(t.maxReconnects),
		nats.ReconnectWait(t.reconnectWait),
		nats.ReconnectJitter(t.jitter, t.jitter),
		nats.Timeout(t.connectTimeout),
		nats.PingInterval(t.pingInterval),
		nats.MaxPingsOutstanding(t.maxPingsOut),

		// Called from nats.go's doReconnect when a connection is lost (and from close() when a
		// connection that was up is closed). nats.go 1.22.1 has no per-attempt hook, so
		// node.reconnecting is emitted once, right after node.disconnected, unless the
		// connection is already closed for good.
		nats.DisconnectErrHandler(func(nc *nats.Conn, _ error) {
			n.mu.Lock()
			defer n.mu.Unlock()
			if !n.connected {
				return
			}
			n.connected = false
			// ConnectedUrl is empty while reconnecting: the server it was on is remembered.
			n.event("node.disconnected", map[string]any{"server": n.server})
			if !nc.IsClosed() {
				n.event("node.reconnecting", nil)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.connected = true
			n.server = hostPort(nc.ConnectedUrl())
			n.event("node.reconnected", map[string]any{"server": n.server})
			n.reportPool(nc)
		}),
		nats.DiscoveredServersHandler(func(nc *nats.Conn) {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.reportPool(nc)
		}),
		nats.LameDuckModeHandler(func(nc *nats.Conn) {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.event("node.ldm", map[string]any{"server": n.server})
		}),
		nats.ClosedHandler(func(nc *nats.Conn) {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.endTimers()
			n.connected = false
			reason, message := "CLOSED", "closed"
			if err := nc.LastError(); err != nil {
				reason, message = natsErrorCode(err), err.Error()
			}
			n.event("node.closed", map[string]any{"reason": reason, "message": message})
		}),
		// Asynchronous errors (auth errors while reconnecting, permission violations, slow
		// consumer). Setting it also replaces nats.go's default handler, which prints to stderr.
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.event("node.error", map[string]any{"phase": "connection", "code": natsErrorCode(err), "message": err.Error()})
		}),
	}
	if n.spec.Token != "" {
		// A token in a URL still wins: nats.go's connectProto uses the URL's userinfo when the
		// URL has one and Options.Token only otherwise.
		opts = append(opts, nats.Token(n.spec.Token))
	}
	return opts
}

// start runs the node's start-up as netsim's node does (sim/transports/nats/compute/
// compute-node.ts): connect (a failure is final), RegisterNode (a failure stops the node), the
// dispatcher subscription, heartbeats. It reports whether the node is up.
func (n *node) start() bool {
	// Held across Connect: nats.go starts the callback dispatcher as Connect returns, and its
	// handlers must wait until node.connected is out.
	n.mu.Lock()
	if n.stopping {
		n.mu.Unlock()
		return false
	}
	n.started = true
	start := map[string]any{"group": n.spec.Group}
	if n.spec.Expect != "" {
		start["expect"] = n.spec.Expect
	}
	n.event("node.start", start)
	nc, err := nats.Connect(strings.Join(n.spec.Servers, ","), n.options()...)
	if err != nil {
		n.event("node.error", map[string]any{"phase": "connect", "code": natsErrorCode(err), "message": err.Error()})
		n.mu.Unlock()
		return false
	}
	n.nc = nc
	n.connected = true
	n.server = hostPort(nc.ConnectedUrl())
	n.event("node.connected", map[string]any{"server": n.server})
	n.reportPool(nc)
	n.mu.Unlock()

	if n.run.spec.Register && !n.register(nc) {
		return false
	}
	if n.run.spec.Subscribe {
		n.subscribe(nc)
	}
	if hb := n.timers.heartbeat; hb != nil && len(hb.Subjects) > 0 {
		n.heartbeat(nc)
		go n.heartbeats(nc, time.Duration(hb.IntervalMs*float64(time.Millisecond)))
	}
	return true
}

// register sends RegisterNode/v1 and waits for the first reply (orchestrators use no queue
// groups: every one answers, the first reply counts).
func (n *node) register(nc *nats.Conn) bool {
	id := n.spec.ID
	body, _ := json.Marshal(map[string]any{
		"NodeInfo": map[string]any{"NodeID": id, "NodeType": "Compute", "Labels": map[string]string{"group": n.spec.Group}},
	})
	msg, err := nc.Request("node.management."+id+".RegisterNode/v1", body, n.timers.registerTimeout)
	var reply struct {
		Accepted     *bool   `json:"Accepted"`
		Reason       *string `json:"Reason"`
		Orchestrator *string `json:"Orchestrator"`
	}
	code, message := "", ""
	switch {
	case err != nil:
		code, message = natsErrorCode(err), err.Error()
	case json.Unmarshal(msg.Data, &reply) != nil:
		code, message = "REJECTED", "reply is not JSON"
	case reply.Accepted == nil || !*reply.Accepted:
		code, message = "REJECTED", "rejected"
		if reply.Reason != nil {
			message = *reply.Reason
		}
	}
	n.mu.Lock()
	if code != "" {
		n.event("node.register_failed", map[string]any{"code": code, "message": message})
		n.mu.Unlock()
		n.stop(false) // Bacalhau exits; netsim stops the node without node.stopped
		return false
	}
	var orch any // null when the reply names none, as netsim records it
	if reply.Orchestrator != nil {
		orch = *reply.Orchestrator
	}
	n.event("node.registered", map[string]any{"accepted": true, "orchestrator": orch})
	n.mu.Unlock()
	return true
}

// subscribe holds node.compute.<id>.*: AskForBid is acknowledged ({"Accepted":true}), any
// other call refused, as netsim's node does for calls that carry no job.
func (n *node) subscribe(nc *nats.Conn) {
	id := n.spec.ID
	ask := "node.compute." + id + ".AskForBid"
	accept, _ := json.Marshal(map[string]any{"Accepted": true, "NodeID": id})
	refuse, _ := json.Marshal(map[string]any{"Accepted": false, "NodeID": id})
	_, err := nc.Subscribe("node.compute."+id+".*", func(m *nats.Msg) {
		if m.Subject == ask {
			m.Respond(accept)
		} else {
			m.Respond(refuse)
		}
	})
	if err != nil {
		n.mu.Lock()
		n.event("node.error", map[string]any{"phase": "subscribe", "code": natsErrorCode(err), "message": err.Error()})
		n.mu.Unlock()
	}
}

// heartbeat publishes one heartbeat on every subject. While disconnected nats.go buffers the
// publishes (up to its 8 MB reconnect buffer) and sends them after the reconnect.
func (n *node) heartbeat(nc *nats.Conn) {
	n.mu.Lock()
	if n.stopping || nc.IsClosed() {
		n.mu.Unlock()
		return
	}
	n.seq++
	payload, _ := json.Marshal(map[string]any{"NodeID": n.spec.ID, "Sequence": n.seq})
	n.mu.Unlock()
	for _, s := range n.timers.heartbeat.Subjects {
		nc.Publish(strings.Replace(s, "{id}", n.spec.ID, 1), payload)
	}
}

func (n *node) heartbeats(nc *nats.Conn, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-n.done:
			return
		case <-t.C:
			n.heartbeat(nc)
		}
	}
}

// stop closes the node's connection. report: emit node.stopped (the harness stopped it); a
// node that was never started emits nothing. Callbacks nats.go fires for the close itself
// (disconnected, closed) are dropped: the node is stopping.
func (n *node) stop(report bool) {
	n.mu.Lock()
	if n.stopping {
		n.mu.Unlock()
		return
	}
	if report && n.started {
		n.event("node.stopped", nil)
	}
	n.stopping = true
	n.endTimers()
	nc := n.nc
	n.mu.Unlock()
	if nc != nil {
		nc.Close()
	}
}
