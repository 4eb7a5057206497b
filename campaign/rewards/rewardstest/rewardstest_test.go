package rewardstest_test

import (
	"testing"

	"github.com/suanpan-dev/suanpan/campaign/rewards"
	"github.com/suanpan-dev/suanpan/campaign/rewards/rewardstest"
)

func TestMemoryStore(t *testing.T) {
	rewardstest.TestStore(t, func(*testing.T) rewards.Store { return rewards.NewMemoryStore() })
}
