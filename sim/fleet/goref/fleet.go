package main

import (
	"sync"
	"time"
)

// runner holds the fleet's nodes.
type runner struct {
	spec  *Spec
	nodes []*node
	stop  chan struct{}
}

func newRunner(spec *Spec, stop chan struct{}) *runner {
	r := &runner{spec: spec, stop: stop}
	for _, ns := range spec.Nodes {
		r.nodes = append(r.nodes, &node{spec: ns, timers: spec.Groups[ns.Group].timers(), run: r, done: make(chan struct{})})
	}
	return r
}

// launch starts the nodes with at most spec.Concurrency start-ups in flight (lanes that each
// take the next node, as netsim's worker does, sim/fleet/worker-main.ts); it returns the counts
// and whether every node was tried (false: a stop came first).
func (r *runner) launch() (started, failed int, complete bool) {
	var mu sync.Mutex
	next := 0
	lanes := r.spec.Concurrency
	if lanes > len(r.nodes) {
		lanes = len(r.nodes)
	}
	var wg sync.WaitGroup
	for i := 0; i < lanes; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-r.stop:
					return
				default:
				}
				mu.Lock()
				if next >= len(r.nodes) {
					mu.Unlock()
					return
				}
				n := r.nodes[next]
				next++
				mu.Unlock()
				ok := n.start()
				mu.Lock()
				if ok {
					started++
				} else {
					failed++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return started, failed, started+failed == len(r.nodes)
}

// pollPools reports pool changes no nats.go callback announces (see Spec.PoolPollMs).
func (r *runner) pollPools(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
		}
		for _, n := range r.nodes {
			n.mu.Lock()
			if n.nc != nil && !n.stopping && !n.nc.IsClosed() {
				n.reportPool(n.nc)
			}
			n.mu.Unlock()
		}
	}
}

// stopAll stops every node (node.stopped for each started one), 64 closes at a time.
func (r *runner) stopAll() {
	work := make(chan *node)
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				n.stop(true)
			}
		}()
	}
	for _, n := range r.nodes {
		work <- n
	}
	close(work)
	wg.Wait()
}
