package cputime_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/suanpan-dev/suanpan/internal/cputime"
)

func TestProcessAdvances(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" {
		t.Skip("not measured on this platform")
	}
	t0 := cputime.Process()
	x := 0.0
	for i := 0; i < 20_000_000; i++ {
		x += float64(i % 7)
	}
	if cputime.Process() <= t0 || x == 0 {
		t.Fatal("CPU time did not advance over 20M operations")
	}
}

// CPU time per operation, next to wall time, in a benchmark.
func ExampleProcess() {
	before := cputime.Process()
	work := 0
	for i := 0; i < 1000; i++ {
		work += i
	}
	used := cputime.Process() - before
	fmt.Println(work, used >= 0)
	// Output: 499500 true
}
