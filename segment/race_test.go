//go:build race

package segment

// raceEnabled is true in tests built with the race detector, which run
// smaller simulated populations (the properties checked are the same).
const raceEnabled = true
