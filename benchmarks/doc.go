// Package benchmarks compares suanpan's analyst rules (package risk,
// compiled with expr-lang/expr through internal/rules) with the same 50
// rules in hyperjumptech/grule-rule-engine. It is a separate Go module so
// that the SDK's go.mod stays lean; run it from this directory:
//
//	cd benchmarks && go test -run '^$' -bench . -benchmem
//
// The rule set (Rules) is the one the risk package's own benchmarks use.
// TestSameMatches checks that both engines find the same rules true on
// the same facts, so the comparison is like for like.
package benchmarks
