package rewards

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// BenchmarkApplyEarnRedeem applies an earn and a redemption of a catalogue
// item per iteration on the MemoryStore, for customers with a handful of
// open lots.
func BenchmarkApplyEarnRedeem(b *testing.B) {
	l, _ := newLedger(b, &Options{Validity: 365 * day})
	if err := l.PutItem(ctx, Item{SKU: "gift", Cost: pts("10"), Stock: 1 << 40}); err != nil {
		b.Fatal(err)
	}
	ids := make([]string, 2*b.N)
	for i := range ids {
		ids[i] = fmt.Sprint("op", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c := fmt.Sprint("c", i%1000)
		at := t0.Add(time.Duration(i) * time.Second)
		if _, err := l.Apply(ctx, Op{ID: ids[2*i], Kind: KindEarn, Customer: c, Points: decimal.NewFromInt(15), At: at}); err != nil {
			b.Fatal(err)
		}
		if _, err := l.Apply(ctx, Op{ID: ids[2*i+1], Kind: KindRedeem, Customer: c, SKU: "gift", Qty: 1, At: at}); err != nil {
			b.Fatal(err)
		}
	}
}
