//go:build !race

package rules

// raceEnabled is true in tests built with the race detector.
const raceEnabled = false
