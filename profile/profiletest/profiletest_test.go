package profiletest_test

import (
	"testing"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/profile/profiletest"
)

func TestMemoryStore(t *testing.T) {
	profiletest.TestStore(t, func(t *testing.T) profile.Store { return profile.NewMemoryStore() })
}
