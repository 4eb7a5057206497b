package profiletest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/profile/profiletest"
)

// Sample builds a deterministic profile for store tests; TestStore runs the
// conformance suite (call it from a Test function with a fresh store each
// time, as TestMemoryStore does).
func ExampleSample() {
	t := &testing.T{}
	p := profiletest.Sample(t, "c1", 31)
	s := profile.NewMemoryStore()
	v, err := s.Put(context.Background(), p, 0)
	fmt.Println(p.CustomerID(), p.Seq(), v, err)
	// Output: c1 63 1 <nil>
}
