package rewards_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/campaign/rewards"
)

// A customer earns points, redeems a gift at a branch event, activates it
// online, and a retried message changes nothing.
func Example() {
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	l, _ := rewards.New(rewards.NewMemoryStore(), &rewards.Options{Validity: 365 * 24 * time.Hour})
	_ = l.PutItem(ctx, rewards.Item{SKU: "umbrella", Name: "Umbrella", Cost: decimal.NewFromInt(800), Stock: 2})

	earn := rewards.Op{ID: "e1", Kind: rewards.KindEarn, Customer: "c42", Points: decimal.NewFromInt(1000), At: now}
	r, _ := l.Apply(ctx, earn)
	fmt.Println("earned, available", r.Available)

	r, _ = l.Apply(ctx, rewards.Op{ID: "evt-1", Kind: rewards.KindRedeemOffline, Customer: "c42", SKU: "umbrella", Qty: 1, At: now.Add(time.Hour)})
	fmt.Println("reserved at the branch, available", r.Available, "activate by", r.Deadline.Format(time.DateOnly))

	r, _ = l.Apply(ctx, rewards.Op{ID: "act-1", Kind: rewards.KindActivate, Customer: "c42", Target: "evt-1", At: now.Add(48 * time.Hour)})
	fmt.Println("activated online, available", r.Available)

	r, _ = l.Apply(ctx, earn) // the same message again
	fmt.Println("duplicate:", r.Duplicate)

	_, err := l.Apply(ctx, rewards.Op{ID: "r2", Kind: rewards.KindRedeem, Customer: "c42", Points: decimal.NewFromInt(500), At: now.Add(72 * time.Hour)})
	fmt.Println(errors.Is(err, rewards.ErrInsufficient), err)

	it, _ := l.Item(ctx, "umbrella")
	fmt.Println("umbrellas left", it.Stock)
	// Output:
	// earned, available 1000
	// reserved at the branch, available 200 activate by 2025-06-08
	// activated online, available 200
	// duplicate: true
	// true rewards: op "r2" field points: insufficient points
	// umbrellas left 1
}

// Points expire by lot; redemptions spend the soonest-expiring lot first.
func ExampleLedger_Expire() {
	ctx := context.Background()
	day := 24 * time.Hour
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l, _ := rewards.New(rewards.NewMemoryStore(), &rewards.Options{Validity: 30 * day})
	for i, pts := range []int64{100, 200} {
		_, _ = l.Apply(ctx, rewards.Op{ID: fmt.Sprint("e", i), Kind: rewards.KindEarn, Customer: "c1", Points: decimal.NewFromInt(pts), At: t0.Add(time.Duration(i) * 10 * day)})
	}
	// 150 points: all 100 of the first lot, 50 of the second.
	r, _ := l.Apply(ctx, rewards.Op{ID: "r1", Kind: rewards.KindRedeem, Customer: "c1", Points: decimal.NewFromInt(150), At: t0.Add(12 * day)})
	for _, a := range r.Allocations {
		fmt.Println("took", a.Points.Neg(), "from", a.Lot)
	}
	recs, _ := l.Expire(ctx, "c1", t0.Add(45*day))
	for _, rec := range recs {
		fmt.Println(rec.ID, rec.Points)
	}
	b, _ := l.Balance(ctx, "c1", t0.Add(45*day))
	fmt.Println("available", b.Available)
	// Output:
	// took 100 from e0
	// took 50 from e1
	// ~expire/e1 -150
	// available 0
}

// DecodeOp reads an operation from JSON, refusing unknown fields.
func ExampleDecodeOp() {
	op, err := rewards.DecodeOp([]byte(`{"id":"e9","kind":"earn","customer":"c7","points":"250","at":"2025-06-01T08:00:00+08:00"}`))
	fmt.Println(op.Kind, op.Points, op.At.UTC().Format(time.RFC3339), err)
	_, err = rewards.DecodeOp([]byte(`{"id":"e9","kind":"earn","pionts":"250"}`))
	fmt.Println(errors.Is(err, rewards.ErrInvalid))
	// Output:
	// earn 250 2025-06-01T00:00:00Z <nil>
	// true
}
