package synth_test

import (
	"io"
	"testing"

	"github.com/suanpan-dev/suanpan/internal/synth"
)

// BenchmarkCustomer streams customer-years one at a time, as a caller
// generating a large population lazily would.
func BenchmarkCustomer(b *testing.B) {
	cfg := synth.Config{Seed: 1}
	b.ReportAllocs()
	events := 0
	i := 0
	for b.Loop() {
		c, err := cfg.Customer(i)
		if err != nil {
			b.Fatal(err)
		}
		events += len(c.Events)
		i++
	}
	b.ReportMetric(float64(events)/float64(i), "events/customer")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
}

// BenchmarkGenerate generates 2,000 customer-years on all cores.
func BenchmarkGenerate(b *testing.B) {
	cfg := synth.Config{Seed: 1, Customers: 2000}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := synth.Generate(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteCSV writes 200 customer-years as CSV.
func BenchmarkWriteCSV(b *testing.B) {
	cs, err := synth.Generate(synth.Config{Seed: 1, Customers: 200})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := synth.WriteCSV(cs, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
