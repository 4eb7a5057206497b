package clv

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulate draws one customer from the BG/NBD generative process of Fader,
// Hardie & Lee (2005) observed for T weeks after the first purchase:
// λ ~ Gamma(r, α), p ~ Beta(a, b); while active the customer buys with
// exponential inter-purchase times of rate λ, and after each repeat
// purchase becomes inactive with probability p. It returns Frequency and
// Recency in continuous time; Spend and Holdout are 0. Randomness comes
// only from rng, so a seeded source gives reproducible customers. The
// parameters must be valid (see Validate); otherwise ErrParameter.
func (m BGNBD) Simulate(rng *rand.Rand, T float64) (Customer, error) {
	if err := m.Validate(); err != nil {
		return Customer{}, err
	}
	if err := checkHorizon(T); err != nil {
		return Customer{}, err
	}
	lam := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: rng}.Rand()
	p := distuv.Beta{Alpha: m.A, Beta: m.B, Src: rng}.Rand()
	c := Customer{T: T}
	if !(lam > 0) {
		return c, nil
	}
	t := 0.0
	for {
		t += rng.ExpFloat64() / lam
		if t > T {
			return c, nil
		}
		c.Frequency++
		c.Recency = t
		if rng.Float64() < p {
			return c, nil
		}
	}
}
