package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Spec is the fleet to run, sent by the harness as the "spec" of the start command (never on
// the command line or on disk: it holds the token).
type Spec struct {
	Nodes []NodeSpec `json:"nodes"`
	// Groups: each node group's client options and cadence (a group's Bacalhau version).
	Groups map[string]GroupSpec `json:"groups"`
	// Seed seeds Go's global math/rand source, which nats.go 1.22.1 draws the reconnect jitter
	// from. It does not fix the server order: nats.go shuffles its pool with a source of its own
	// seeded from the time of day (shufflePool). Absent: nats.go's own time seed.
	Seed *int64 `json:"seed"`
	// Register: send RegisterNode/v1 after connecting; a failure (timeout, no responders,
	// Accepted != true) stops the node, as Bacalhau exits.
	Register bool `json:"register"`
	// Subscribe: hold the node.compute.<id>.* subscription the dispatcher calls.
	Subscribe bool `json:"subscribe"`
	// Concurrency: node starts (connect + registration) in flight at once (default 100).
	Concurrency int `json:"concurrency"`
	// PoolPollMs > 0: also compare every node's pool with the last one reported this often.
	// nats.go has no callback when servers leave the pool, nor when a server it saw before
	// comes back, so without polling those changes show only at the next reconnect.
	PoolPollMs float64 `json:"pool_poll_ms"`
}

// NodeSpec is one simulated compute node.
type NodeSpec struct {
	ID    string `json:"id"`
	Group string `json:"group"`
	// Servers are the node's --orchestrators entries: "nats://host:port", "host:port" or
	// "nats://<token>@host:port". They are joined with "," and given to nats.Connect as one
	// URL string, as Bacalhau does.
	Servers []string `json:"servers"`
	// Token is the configured auth token (node.network.authsecret); a token in a URL wins
	// (nats.go uses the URL's userinfo when the URL has one).
	Token string `json:"token"`
	// Expect: "rejected" marks a group meant to be refused; copied to node.start.
	Expect string `json:"expect,omitempty"`
}

// GroupSpec is what one group's nodes share: the client options Bacalhau sets for its
// version, the RegisterNode timeout and the heartbeat cadence.
type GroupSpec struct {
	Options           Options    `json:"options"`
	RegisterTimeoutMs *float64   `json:"register_timeout_ms"`
	Heartbeat         *Heartbeat `json:"heartbeat"`
}

// Options are the NATS client options Bacalhau sets, in ms; absent fields take Bacalhau's
// v1.4+ values (nats.go's defaults, MaxReconnects -1).
type Options struct {
	ReconnectWaitMs   *float64 `json:"reconnect_wait_ms"`
	ReconnectJitterMs *float64 `json:"reconnect_jitter_ms"`
	ConnectTimeoutMs  *float64 `json:"connect_timeout_ms"`
	PingIntervalMs    *float64 `json:"ping_interval_ms"`
	MaxPingsOut       *int     `json:"max_pings_out"`
	MaxReconnects     *int     `json:"max_reconnects"`
}

// Heartbeat: a heartbeat at once after the node is up (registered, when register is on), then
// every interval, on every subject ("{id}" is replaced by the node id).
type Heartbeat struct {
	IntervalMs float64  `json:"interval_ms"`
	Subjects   []string `json:"subjects"`
}

// timers are a group's resolved options.
type timers struct {
	reconnectWait, jitter, connectTimeout, pingInterval, registerTimeout time.Duration
	maxPingsOut, maxReconnects                                           int
	heartbeat                                                            *Heartbeat
}

func ms(p *float64, def float64) time.Duration {
	v := def
	if p != nil {
		v = *p
	}
	return time.Duration(v * float64(time.Millisecond))
}

func intOr(p *int, def int) int {
	if p != nil {
		return *p
	}
	return def
}

func (g GroupSpec) timers() timers {
	o := g.Options
	return timers{
		reconnectWait:   ms(o.ReconnectWaitMs, 2000),
		jitter:          ms(o.ReconnectJitterMs, 100),
		connectTimeout:  ms(o.ConnectTimeoutMs, 2000),
		pingInterval:    ms(o.PingIntervalMs, 120000),
		maxPingsOut:     intOr(o.MaxPingsOut, 2),
		maxReconnects:   intOr(o.MaxReconnects, -1),
		registerTimeout: ms(g.RegisterTimeoutMs, 2000),
		heartbeat:       g.Heartbeat,
	}
}

// decodeStrict decodes one JSON document; unknown fields are an error (a misspelt option must
// not silently fall back to a default).
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// check validates a decoded spec and fills its defaults.
func (s *Spec) check() error {
	if len(s.Nodes) == 0 {
		return fmt.Errorf("spec: no nodes")
	}
	seen := make(map[string]bool, len(s.Nodes))
	for i, n := range s.Nodes {
		switch {
		case n.ID == "":
			return fmt.Errorf("spec: nodes[%d] has no id", i)
		case seen[n.ID]:
			return fmt.Errorf("spec: duplicate node id %q", n.ID)
		case len(n.Servers) == 0:
			return fmt.Errorf("spec: node %q has no servers", n.ID)
		}
		if _, ok := s.Groups[n.Group]; !ok {
			return fmt.Errorf("spec: node %q is in group %q, which has no entry in groups", n.ID, n.Group)
		}
		seen[n.ID] = true
	}
	for name, g := range s.Groups {
		if g.Heartbeat != nil && g.Heartbeat.IntervalMs <= 0 {
			return fmt.Errorf("spec: group %q: heartbeat.interval_ms must be > 0", name)
		}
	}
	if s.Concurrency <= 0 {
		s.Concurrency = 100
	}
	return nil
}
