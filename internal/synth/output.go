package synth

import (
	"container/heap"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/suanpan-dev/suanpan/profile"
)

// Generate returns customers 0 to Customers-1. The result is the same as
// calling Config.Customer for each index in turn; the work is spread over
// GOMAXPROCS goroutines.
func Generate(cfg Config) ([]Customer, error) {
	p, err := cfg.prepare()
	if err != nil {
		return nil, err
	}
	out := make([]Customer, p.customers)
	workers := min(runtime.GOMAXPROCS(0), p.customers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(out) {
					return
				}
				out[i] = p.customer(i)
			}
		}()
	}
	wg.Wait()
	return out, nil
}

// Events returns every customer's events merged in time order; ties are
// broken by customer ID, then event ID. The events are copies that share
// nothing mutable with cs.
func Events(cs []Customer) []profile.Event {
	n := 0
	for i := range cs {
		n += len(cs[i].Events)
	}
	out := make([]profile.Event, 0, n)
	for e := range merged(cs) {
		out = append(out, *e)
	}
	return out
}

// merged yields pointers to the customers' events in merged order.
func merged(cs []Customer) func(yield func(*profile.Event) bool) {
	return func(yield func(*profile.Event) bool) {
		h := make(cursorHeap, 0, len(cs))
		for i := range cs {
			if len(cs[i].Events) > 0 {
				h = append(h, cursor{evs: cs[i].Events})
			}
		}
		heap.Init(&h)
		for len(h) > 0 {
			c := &h[0]
			if !yield(&c.evs[c.pos]) {
				return
			}
			c.pos++
			if c.pos == len(c.evs) {
				heap.Pop(&h)
			} else {
				heap.Fix(&h, 0)
			}
		}
	}
}

type cursor struct {
	evs []profile.Event
	pos int
}

type cursorHeap []cursor

func (h cursorHeap) Len() int { return len(h) }
func (h cursorHeap) Less(i, j int) bool {
	a, b := &h[i].evs[h[i].pos], &h[j].evs[h[j].pos]
	if c := a.Time.Compare(b.Time); c != 0 {
		return c < 0
	}
	if a.CustomerID != b.CustomerID {
		return a.CustomerID < b.CustomerID
	}
	return a.ID < b.ID
}
func (h cursorHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)   { *h = append(*h, x.(cursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// WriteCSV writes the customers' events, merged in time order as Events
// orders them, to events in the events CSV format, and their attributes to
// customers in the customers CSV format (see profile.EventColumns and
// profile.CustomerColumns). A nil writer is skipped. Both get a header even
// when cs is empty.
func WriteCSV(cs []Customer, events, customers io.Writer) error {
	if customers != nil {
		w := profile.NewCustomerWriter(customers)
		for i := range cs {
			if err := w.Write(&cs[i].Customer); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if events != nil {
		w := profile.NewEventWriter(events)
		for e := range merged(cs) {
			if err := w.Write(e); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}
