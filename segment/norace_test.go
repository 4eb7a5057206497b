//go:build !race

package segment

// raceEnabled is true in tests built with the race detector.
const raceEnabled = false
