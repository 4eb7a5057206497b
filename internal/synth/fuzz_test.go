package synth_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// FuzzCustomer feeds arbitrary configurations and indices to
// Config.Customer: errors are fine, panics are not, and a customer
// generated must be valid, sorted and inside its period.
func FuzzCustomer(f *testing.F) {
	f.Add(uint64(1), 0, int64(0), uint8(0), 0.0, 0.0, 0, uint8(0))
	f.Add(uint64(7), 3, int64(1735689600), uint8(1), 1.0, 1.0, 12, uint8(3))
	f.Add(uint64(0), 1, int64(-1), uint8(2), -1.0, math.NaN(), -5, uint8(9))
	f.Add(uint64(99), 120, int64(5680281600), uint8(1), 0.5, 0.5, 9_999_999, uint8(5))
	f.Fuzz(func(t *testing.T, seed uint64, months int, start int64, market uint8, fraud, hard float64, index int, pattern uint8) {
		if months > 24 {
			months %= 25 // keep each run fast; longer periods are the same code
		}
		cfg := synth.Config{Seed: seed, Months: months, Market: synth.Market(market), FraudShare: fraud, HardCaseShare: hard}
		if start != 0 {
			cfg.Start = time.Unix(start, 0)
		}
		if pattern != 0 {
			cfg.Patterns = []synth.Pattern{synth.Pattern(pattern)}
		}
		c, err := cfg.Customer(index)
		if err != nil {
			if !errors.Is(err, synth.ErrConfig) {
				t.Fatalf("error %v does not wrap ErrConfig", err)
			}
			return
		}
		if err := c.Customer.Validate(); err != nil {
			t.Fatal(err)
		}
		for i := range c.Events {
			e := &c.Events[i]
			if err := e.Validate(); err != nil {
				t.Fatalf("event %d: %v", i, err)
			}
			if i > 0 && e.Time.Before(c.Events[i-1].Time) {
				t.Fatalf("events %d and %d out of order", i-1, i)
			}
		}
		for _, ep := range c.Episodes {
			if len(ep.EventIDs) == 0 || ep.Debits == 0 {
				t.Fatalf("empty %v episode", ep.Pattern)
			}
		}
		for i := range c.Events {
			if c.Events[i].Label == profile.LabelFraud && len(c.Episodes) == 0 {
				t.Fatal("fraud label without an episode")
			}
		}
	})
}
