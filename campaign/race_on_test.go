//go:build race

package campaign_test

// raceEnabled shortens the long simulations under the race detector, which
// makes them several times slower; every property is still checked.
const raceEnabled = true
