package rewardstest_test

import (
	"context"
	"fmt"

	"github.com/suanpan-dev/suanpan/campaign/rewards"
	"github.com/suanpan-dev/suanpan/campaign/rewards/rewardstest"
)

// SampleAccount gives a deterministic account that exercises every field a
// Store must keep; TestStore (called from a Test function with a fresh
// store each time, as TestMemoryStore does) runs the whole suite.
func ExampleSampleAccount() {
	s := rewards.NewMemoryStore()
	a := rewardstest.SampleAccount("c1")
	err := s.Commit(context.Background(), rewards.Commit{Accounts: []rewards.AccountWrite{{Account: a}}})
	got, version, _ := s.Account(context.Background(), "c1")
	fmt.Println(err, version, len(got.Lots), got.Lots[0].Points, len(got.Pending))
	// Output: <nil> 1 2 12.34 1
}
