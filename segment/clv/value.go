package clv

import "math"

// Forecaster predicts a customer's repeat purchases after the calibration
// end. BGNBD and ParetoNBD implement it.
type Forecaster interface {
	// ConditionalTransactions returns the expected number of purchases in
	// the t weeks after the calibration end by a customer with history c.
	ConditionalTransactions(c Customer, t float64) (float64, error)
}

// pathForecaster is implemented by forecasters that compute expectations
// for several horizons at once more cheaply than one by one.
type pathForecaster interface {
	conditionalPath(c Customer, ts, out []float64) error
}

// ValueOptions controls Value. A nil *ValueOptions and the zero value both
// mean: 12 periods of one month (365.25/12 days), no discounting.
type ValueOptions struct {
	// Periods is the number of discounting periods in the horizon, at most
	// 12000. Zero: 12.
	Periods int
	// PeriodWeeks is the length of one period in weeks. Zero: one month,
	// 365.25/12/7 ≈ 4.348 weeks.
	PeriodWeeks float64
	// DiscountRate is the discount rate per period, d ≥ 0 (0.01 is 1% a
	// period). Zero: no discounting.
	DiscountRate float64
}

// DefaultPeriodWeeks is the default period length of ValueOptions: one
// month of 365.25/12 days, in weeks.
const DefaultPeriodWeeks = 365.25 / 12 / 7

const maxPeriods = 12000

// Value returns a customer's discounted expected value over a finite
// horizon, by the discrete per-period discounting used by the lifetimes
// library (Davidson-Pilon, lifetimes, utils._customer_lifetime_value),
// after Fader, Hardie & Lee (2005), "RFM and CLV":
//
//	CLV = Σᵢ₌₁ⁿ E[M] · (E[Y(iΔ)] − E[Y((i−1)Δ)]) / (1+d)ⁱ,
//
// where E[Y(t)] is f's conditional expected purchases after the
// calibration end, E[M] the Gamma-Gamma expected spend per purchase
// (GammaGamma.ExpectedSpend), Δ the period length and d the discount rate.
// It is a statistic in the currency of the spend, not booked money, hence
// float64. The continuous-time DERT of Fader, Hardie & Lee is not used:
// the per-period sum applies to both transaction models alike. With
// PeriodWeeks 30 it reproduces the lifetimes documentation's CDNOW example
// (customer_lifetime_value with its default freq "D" on weekly data) to
// seven digits.
func Value(f Forecaster, spend GammaGamma, c Customer, opts *ValueOptions) (float64, error) {
	var o ValueOptions
	if opts != nil {
		o = *opts
	}
	if o.Periods < 0 || o.Periods > maxPeriods {
		return 0, fieldErr(-1, "Periods", "negative or above 12000", ErrArgument)
	}
	if o.Periods == 0 {
		o.Periods = 12
	}
	if math.IsNaN(o.PeriodWeeks) || math.IsInf(o.PeriodWeeks, 0) || o.PeriodWeeks < 0 {
		return 0, fieldErr(-1, "PeriodWeeks", "not a finite non-negative number", ErrArgument)
	}
	if o.PeriodWeeks == 0 {
		o.PeriodWeeks = DefaultPeriodWeeks
	}
	if math.IsNaN(o.DiscountRate) || math.IsInf(o.DiscountRate, 0) || o.DiscountRate < 0 {
		return 0, fieldErr(-1, "DiscountRate", "not a finite non-negative number", ErrArgument)
	}
	if f == nil {
		return 0, fieldErr(-1, "f", "nil", ErrArgument)
	}
	m, err := spend.ExpectedSpend(c)
	if err != nil {
		return 0, err
	}
	ys := make([]float64, 2*o.Periods)
	ts, ys := ys[:o.Periods], ys[o.Periods:]
	for i := range ts {
		ts[i] = float64(i+1) * o.PeriodWeeks
	}
	if pf, ok := f.(pathForecaster); ok {
		if err := pf.conditionalPath(c, ts, ys); err != nil {
			return 0, err
		}
	} else {
		for i, t := range ts {
			y, err := f.ConditionalTransactions(c, t)
			if err != nil {
				return 0, err
			}
			ys[i] = y
		}
	}
	total, prev := 0.0, 0.0
	disc := 1.0
	for _, y := range ys {
		disc /= 1 + o.DiscountRate
		total += m * (y - prev) * disc
		prev = y
	}
	if math.IsNaN(total) || math.IsInf(total, 0) {
		return 0, fieldErr(-1, "value", "not finite", ErrNumerical)
	}
	return total, nil
}
