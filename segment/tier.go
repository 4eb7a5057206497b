package segment

import (
	"fmt"
	"math"
	"slices"
)

// Tier is a customer's value tier by contribution.
type Tier uint8

// Value tiers. TierNone is the zero value: no tier model was configured.
const (
	TierNone     Tier = iota // not tiered
	TierTop                  // the few customers who bring most of the value
	TierCore                 // the next band of contribution
	TierLongTail             // everyone else, including customers with no value yet
	numTiers
)

var tierNames = [...]string{TierNone: "none", TierTop: "top", TierCore: "core", TierLongTail: "long_tail"}

// String returns "top", "core", "long_tail" or "none".
func (t Tier) String() string {
	if t < numTiers {
		return tierNames[t]
	}
	return "invalid"
}

// ParseTier parses a tier name as String spells it.
func ParseTier(name string) (Tier, error) {
	for i, n := range tierNames {
		if n == name {
			return Tier(i), nil
		}
	}
	return 0, optErr("tier", "unknown tier name")
}

// TierOptions configures FitTiers. The zero value (or nil) is the default.
type TierOptions struct {
	// TopShare is the share of total value the top tier brings; 0 means
	// 0.80.
	TopShare float64
	// CoreShare is the share of total value the core tier brings; 0 means
	// 0.15. TopShare + CoreShare must not exceed 1; the long tail brings
	// the rest.
	CoreShare float64
}

// TierModel holds the value thresholds of the tiers, fitted on a
// population. It is immutable and safe for concurrent use.
type TierModel struct {
	top, core float64 // a value at or above top is top tier, at or above core is core
	topShare  float64
	coreShare float64
	summary   TierSummary
}

// TierSummary describes the population a TierModel was fitted on.
type TierSummary struct {
	Customers [4]int     // customers per tier, indexed by Tier (index 0 unused)
	Value     [4]float64 // value per tier, indexed by Tier
	Total     float64    // total value (negative values count as 0)
}

// Share returns the share of total value tier t brings (0 when the total
// is 0).
func (s TierSummary) Share(t Tier) float64 {
	if s.Total <= 0 || t >= numTiers {
		return 0
	}
	return s.Value[t] / s.Total
}

// FitTiers fits value tiers on the Value of each customer in pop, by
// contribution: customers are ranked by value, and the top tier is the
// smallest set of highest-value customers that together bring TopShare of
// the total value (80% by default), the core tier the next set that brings
// CoreShare (15%), and the long tail everyone else (the last 5% of value,
// and every customer with no value). This is the Pareto principle (Juran's
// "vital few and trivial many"; Koch, "The 80/20 Principle", 1997) applied
// as the customer pyramid of Zeithaml, Rust & Lemon ("The customer
// pyramid: creating and serving profitable customers", California
// Management Review 43(4), 2001); naming the tail follows Anderson's "long
// tail" (Wired, 2004), the many small customers that together still
// matter and that low-cost digital channels can serve.
//
// Ties are kept together: every customer whose value equals the top
// threshold is top tier, so the top tier may bring a little more than
// TopShare. Negative values count as zero. A single customer with positive
// value is top tier. When the total value is zero every customer is long
// tail. pop must not be empty (ErrEmptyPopulation); a NaN or infinite
// Value is a *FieldError naming the entry.
func FitTiers(pop []Input, opts *TierOptions) (*TierModel, error) {
	vals := make([]float64, len(pop))
	for i := range pop {
		v := pop[i].Value
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, &FieldError{Field: "Value", Index: i, Reason: "NaN or infinite", Err: ErrInvalidInput}
		}
		vals[i] = v
	}
	return FitTierValues(vals, opts)
}

// FitTierValues is FitTiers on bare values (which it reorders).
func FitTierValues(values []float64, opts *TierOptions) (*TierModel, error) {
	var o TierOptions
	if opts != nil {
		o = *opts
	}
	if math.IsNaN(o.TopShare) || o.TopShare < 0 || o.TopShare >= 1 {
		return nil, optErr("TierOptions.TopShare", "not in [0, 1)")
	}
	if math.IsNaN(o.CoreShare) || o.CoreShare < 0 || o.CoreShare >= 1 {
		return nil, optErr("TierOptions.CoreShare", "not in [0, 1)")
	}
	if o.TopShare == 0 {
		o.TopShare = 0.80
	}
	if o.CoreShare == 0 {
		o.CoreShare = 0.15
	}
	if o.TopShare+o.CoreShare > 1 {
		return nil, optErr("TierOptions", "TopShare + CoreShare exceeds 1")
	}
	if len(values) == 0 {
		return nil, &PopulationError{Model: "tiers", Need: 1, Got: 0, Err: ErrEmptyPopulation}
	}
	var total float64
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, &FieldError{Field: "Value", Index: i, Reason: "NaN or infinite", Err: ErrInvalidInput}
		}
		if v < 0 {
			values[i] = 0
		}
	}
	slices.Sort(values)
	slices.Reverse(values) // largest first
	for _, v := range values {
		total += v
	}
	m := &TierModel{top: math.Inf(1), core: math.Inf(1), topShare: o.TopShare, coreShare: o.CoreShare}
	if total > 0 {
		// Relative slack absorbs rounding in the running sum.
		const slack = 1e-12
		topAt, coreAt := o.TopShare*total*(1-slack), (o.TopShare+o.CoreShare)*total*(1-slack)
		var cum float64
		for _, v := range values {
			if v <= 0 {
				break
			}
			cum += v
			if math.IsInf(m.top, 1) && cum >= topAt {
				m.top = v
			}
			if cum >= coreAt {
				m.core = v
				break
			}
		}
		if math.IsInf(m.core, 1) {
			// Rounding left the core target unreached: everyone with value
			// outside the top tier is core.
			m.core = math.SmallestNonzeroFloat64
		}
		if math.IsInf(m.top, 1) {
			m.top = m.core
		}
	}
	m.summary.Total = total
	for _, v := range values {
		t := m.Tier(v)
		m.summary.Customers[t]++
		m.summary.Value[t] += v
	}
	return m, nil
}

// Tier returns the tier of a customer with the given value. A nil model
// returns TierNone.
func (m *TierModel) Tier(value float64) Tier {
	switch {
	case m == nil:
		return TierNone
	case value > 0 && value >= m.top:
		return TierTop
	case value > 0 && value >= m.core:
		return TierCore
	}
	return TierLongTail
}

// Thresholds returns the smallest values of the top and core tiers (+Inf
// when the tier is empty because the total value was zero).
func (m *TierModel) Thresholds() (top, core float64) { return m.top, m.core }

// Summary returns the customers and value per tier of the population the
// model was fitted on.
func (m *TierModel) Summary() TierSummary { return m.summary }

func (m *TierModel) describe() string {
	if m == nil {
		return "tiers{}"
	}
	return fmt.Sprintf("tiers{top=%g core=%g shares=%g/%g}", m.top, m.core, m.topShare, m.coreShare)
}
