package referral_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/campaign/referral"
)

var secret = []byte("a bank secret of at least 16 bytes")

// Alice refers Bob, who refers Carol; Carol qualifies within the window
// and both generations are rewarded.
func Example() {
	tree, _ := referral.NewTree(secret, &referral.Options{
		Window:        30 * 24 * time.Hour,
		Rewards:       []decimal.Decimal{decimal.NewFromInt(500), decimal.NewFromInt(100)},
		RefereeReward: decimal.NewFromInt(200),
	})
	t0 := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	alice, _ := tree.Issue("alice")
	_ = tree.Refer("bob", alice.Format(), t0)
	bob, _ := tree.Issue("bob")
	_ = tree.Refer("carol", bob.Format(), t0.Add(24*time.Hour))

	q, _ := tree.Qualify("carol", t0.Add(3*24*time.Hour), 0)
	for _, r := range q.Rewards {
		fmt.Println(r.Generation, r.Beneficiary, r.Points, r.Status)
	}
	// Bob cannot become Alice's referrer: that would close a cycle.
	err := tree.Refer("alice", bob.Format(), t0.Add(48*time.Hour))
	fmt.Println(errors.Is(err, referral.ErrCycle), err)
	for _, g := range tree.Generations() {
		fmt.Printf("generation %d: %d customers, K = %.2f\n", g.Depth, g.Customers, g.K)
	}
	// Output:
	// 0 carol 200 payable
	// 1 bob 500 payable
	// 2 alice 100 payable
	// true referral: cycle of 2 customers
	// generation 0: 1 customers, K = 1.00
	// generation 1: 1 customers, K = 1.00
	// generation 2: 1 customers, K = 0.00
}

// Codes are read leniently (case, spaces, hyphens, O for 0, I or L for 1)
// and a mistyped symbol is caught by the check symbol.
func ExampleCoder_Parse() {
	c, _ := referral.NewCoder(secret, &referral.CodeOptions{Programme: "spring-2025"})
	code := c.Code("alice", 0)
	typed := code.Format()
	got, err := c.Parse(typed)
	fmt.Println(len(code), got == code, err)
	wrong := []byte(code)
	wrong[2] = map[bool]byte{true: 'A', false: 'B'}[wrong[2] != 'A']
	_, err = c.Parse(string(wrong))
	fmt.Println(errors.Is(err, referral.ErrCode))
	// Output:
	// 9 true <nil>
	// true
}
