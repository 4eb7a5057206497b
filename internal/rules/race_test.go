//go:build race

package rules

// raceEnabled is true in tests built with the race detector, which run
// fewer random expressions (the properties checked are the same).
const raceEnabled = true
