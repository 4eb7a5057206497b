package referral

import (
	"fmt"
	"testing"
	"time"
)

func BenchmarkCode(b *testing.B) {
	c, _ := NewCoder(testSecret, nil)
	b.ReportAllocs()
	for i := range b.N {
		_ = c.Code("customer-000123", i&7)
	}
}

func BenchmarkParse(b *testing.B) {
	c, _ := NewCoder(testSecret, nil)
	s := c.Code("customer-000123", 0).Format()
	b.ReportAllocs()
	for range b.N {
		if _, err := c.Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueRefer issues a code and records a referral per iteration
// in a growing tree (a random-ish forest).
func BenchmarkIssueRefer(b *testing.B) {
	tr, _ := NewTree(testSecret, nil)
	first, _ := tr.Issue("c0")
	codes := []Code{first}
	ids := make([]string, b.N+1)
	for i := range ids {
		ids[i] = fmt.Sprint("c", i+1)
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		code := codes[(i*7919)%len(codes)]
		if err := tr.Refer(ids[i], string(code), t0); err != nil {
			b.Fatal(err)
		}
		c, err := tr.Issue(ids[i])
		if err != nil {
			b.Fatal(err)
		}
		codes = append(codes, c)
	}
}
