// Package risktest helps test code that plugs into package risk: a
// conformance kit for implementations of risk.Lists, and adapters for
// test doubles of risk.Lists and risk.Scorer.
//
// # Quick start
//
// A bank that keeps its block and allow lists in its own store proves its
// implementation with one test:
//
//	func TestMyLists(t *testing.T) {
//		risktest.TestLists(t, func(t *testing.T, entries []risk.ListEntry) risk.Lists {
//			l := mylists.NewForTest(t) // an empty, isolated store
//			for _, e := range entries {
//				if err := l.Put(e); err != nil {
//					t.Fatal(err)
//				}
//			}
//			return l
//		})
//	}
//
// Test doubles: risktest.ScorerFunc and risktest.ListsFunc turn functions
// into a risk.Scorer and a risk.Lists, for example to simulate a model
// that times out.
package risktest
