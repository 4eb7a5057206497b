package risktest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk"
	"github.com/suanpan-dev/suanpan/risk/risktest"
)

// A model that times out never lets a payment through silently: the
// engine records the failure and applies its fail-safe.
func ExampleScorerFunc() {
	timeout := risktest.ScorerFunc(func(context.Context, *risk.ScoreRequest) (float64, error) {
		return 0, errors.New("model server timeout")
	})
	e, err := risk.New(&risk.Config{Scorer: timeout, Policy: risk.Policy{NewCustomerRisk: -1}})
	if err != nil {
		panic(err)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	ev := profile.Event{ID: "t1", CustomerID: "c1", Time: now, Type: profile.TypeTransaction,
		Kind: profile.KindPurchase, Direction: profile.Debit, Amount: decimal.RequireFromString("12.50"),
		Currency: "EUR", Channel: profile.ChannelWeb, Auth: profile.AuthOf(profile.AuthPassword)}
	d, err := e.Decide(context.Background(), now, nil, &ev)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Action, d.LevelName, d.Reasons)
	// Output: step_up AAL2 [model.error policy.new_customer policy.fail_safe]
}
