//go:build !race

package campaign_test

// raceEnabled shortens the long simulations under the race detector.
const raceEnabled = false
