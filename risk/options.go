package risk

import (
	"math"
	"time"
)

// HabitOptions configures the habit-consistency layer. The zero value is
// the documented default of every field.
//
// The defaults are published conventions, not fitted values:
//   - impossible travel at 1000 km/h over at least 50 km: commercial jets
//     cruise at about 900 km/h, and identity products flag sign-ins that
//     would need more than about 1000 km/h, ignoring jumps shorter than
//     about 50 km where geolocation is imprecise (for example the
//     synapse-waf defaults DEFAULT_MAX_SPEED_KMH = 1000,
//     DEFAULT_MIN_DISTANCE_KM = 50);
//   - fast travel at 250 km/h: the conservative "impossible journey" speed
//     of the Curity identity server (speed-in-kmh-for-impossible-journey-
//     calculations, default 250), faster than any road journey;
//   - amounts compare with the customer's own habit for the transaction
//     kind, on the log scale where payment amounts are roughly normal: an
//     amount becomes unusual two standard deviations above the customer's
//     typical amount (the usual 2σ screening bound) and fully so at five.
type HabitOptions struct {
	// MatureAfter is how long after its first use a device, payee or
	// country becomes established: its novelty falls linearly from 1 when
	// first seen to 0 at MatureAfter. Zero means 7 days.
	MatureAfter time.Duration
	// ImpossibleKmh is the speed from the last known place above which
	// travel is impossible. Zero means 1000 km/h.
	ImpossibleKmh float64
	// FastKmh is the speed above which travel is faster than ground
	// travel. Zero means 250 km/h.
	FastKmh float64
	// MinDistanceKm is the shortest jump from the last known place that
	// counts as travel; also the radius within which the customer's last
	// known place corroborates a new country. Zero means 50 km.
	MinDistanceKm float64
	// AmountZ is the number of standard deviations of ln(amount) above the
	// customer's habit from which an amount is unusual; AmountZFull the
	// number at which the signal reaches its full weight. Zero means 2
	// and 5.
	AmountZ, AmountZFull float64
	// AmountSDFloor is the smallest standard deviation of ln(amount) used,
	// so that a customer who always pays the same amount is not alarmed by
	// a small change. Zero means 0.5 (a factor of 1.65).
	AmountSDFloor float64
	// MinHistory is the number of transactions of a kind needed before
	// amounts of that kind are compared with a habit. Zero means 5.
	MinHistory int
	// MinEvents is the number of events a profile needs before hours and
	// channels are compared with its habits. Zero means 50.
	MinEvents int
	// HourShare is the share of the customer's activity in the event's
	// local hour of the day below which the hour is unusual (uniform
	// activity would be 1/24 ≈ 0.042). Zero means 0.005.
	HourShare float64
	// ChannelShare is the share of the customer's activity on the event's
	// channel below which the channel is rare. Zero means 0.02.
	ChannelShare float64
}

// VelocityOptions configures the velocity layer. The zero value is the
// documented default of every field.
//
// Counts are judged against the customer's own rate: with λ the expected
// number of debits in the window (the customer's daily debit rate over
// the last 30 days, or since the first event when younger, spread over
// ActiveHours for the one-hour window), a count k (this payment included)
// fires when the Poisson upper tail P(X ≥ k | λ) is below Tail.
type VelocityOptions struct {
	// Tail is the Poisson tail probability below which a count is
	// improbable. Zero means 0.001.
	Tail float64
	// ActiveHours is the number of hours a day over which the customer's
	// debits are spread, for the one-hour window. Zero means 16.
	ActiveHours float64
	// Disabled turns the layer off.
	Disabled bool
}

// Weights are the strengths of evidence of the signals: the probability,
// in the noisy-OR combination (Pearl, "Probabilistic Reasoning in
// Intelligent Systems", 1988, §4.3.2), that the signal alone makes the
// payment risky. The risk of a payment is 1 − Π(1 − wᵍ) over the groups
// of signals, wᵍ the strongest signal of group g. The zero value of each
// field is its default; a negative value turns the signal off.
//
// The defaults follow four grades of evidence, so that the policy bands
// (Policy.StepUpAt 0.3, HighAt 0.6, SevereAt 0.85) read as: one strong
// signal steps up to two factors; a strong and a medium one, or four
// medium ones, ask for the strongest authenticator; two medium signals
// step up; weak signals only add to others:
//   - strong (0.5): a device never seen (or just seen), a country never
//     seen and not corroborated, impossible travel, an amount five
//     standard deviations above habit;
//   - medium (0.25): a new payee, a remote payment without device
//     fingerprint, a card-present payment without the chip, an improbable
//     burst of payments;
//   - weak (0.1): a new IP network, an unusual hour, travel faster than
//     ground travel, no amount habit for the kind;
//   - very weak (0.05): a new place, merchant or a rare channel.
//
// These are the real-time risk factors the PSD2 RTS (Commission Delegated
// Regulation (EU) 2018/389) Art. 18(2)(c) lists — abnormal spending or
// behavioural pattern, unusual device or software access, abnormal
// location of the payer — and the risk-based factors of Art. 2(2).
type Weights struct {
	NewDevice        float64 // default 0.5, scaled by the device's novelty
	NoDevice         float64 // default 0.25
	NewNetwork       float64 // default 0.1
	NewCountry       float64 // default 0.5, scaled by novelty; halved when corroborated
	ImpossibleTravel float64 // default 0.5
	FastTravel       float64 // default 0.1
	NewPlace         float64 // default 0.05
	UnusualHour      float64 // default 0.1
	RareChannel      float64 // default 0.05
	NewPayee         float64 // default 0.25, scaled by the payee's novelty
	NewMerchant      float64 // default 0.05
	UnusualAmount    float64 // default 0.5 at HabitOptions.AmountZFull, rising from 0 at AmountZ
	NoAmountHabit    float64 // default 0.1
	NoChip           float64 // default 0.25
	Velocity         float64 // default 0.25
}

// weights is Weights with defaults applied (disabled signals are 0).
type weights Weights

func (w Weights) resolve() (weights, error) {
	fields := []struct {
		name string
		v    *float64
		def  float64
	}{
		{"NewDevice", &w.NewDevice, 0.5}, {"NoDevice", &w.NoDevice, 0.25}, {"NewNetwork", &w.NewNetwork, 0.1},
		{"NewCountry", &w.NewCountry, 0.5}, {"ImpossibleTravel", &w.ImpossibleTravel, 0.5},
		{"FastTravel", &w.FastTravel, 0.1}, {"NewPlace", &w.NewPlace, 0.05}, {"UnusualHour", &w.UnusualHour, 0.1},
		{"RareChannel", &w.RareChannel, 0.05}, {"NewPayee", &w.NewPayee, 0.25}, {"NewMerchant", &w.NewMerchant, 0.05},
		{"UnusualAmount", &w.UnusualAmount, 0.5}, {"NoAmountHabit", &w.NoAmountHabit, 0.1},
		{"NoChip", &w.NoChip, 0.25}, {"Velocity", &w.Velocity, 0.25},
	}
	for _, f := range fields {
		v := *f.v
		switch {
		case math.IsNaN(v) || v > 1:
			return weights{}, &ConfigError{Field: "Weights." + f.name, Reason: "want a weight of at most 1"}
		case v == 0:
			*f.v = f.def
		case v < 0:
			*f.v = 0
		}
	}
	return weights(w), nil
}

// habitOpts is HabitOptions with defaults applied.
type habitOpts struct {
	mature                     float64 // seconds
	impossible, fast, minDist  float64
	amountZ, amountFull, sdMin float64
	minHistory, minEvents      int
	hourShare, channelShare    float64
	velocityTail, activeHours  float64
	velocityOff                bool
}

func positive(field string, v, def float64) (float64, error) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
		return 0, &ConfigError{Field: field, Reason: "want a finite non-negative number"}
	case v == 0:
		return def, nil
	}
	return v, nil
}

func (h HabitOptions) resolve(v VelocityOptions) (habitOpts, error) {
	var o habitOpts
	var err error
	if h.MatureAfter < 0 {
		return o, &ConfigError{Field: "Habit.MatureAfter", Reason: "negative"}
	}
	o.mature = h.MatureAfter.Seconds()
	if o.mature == 0 {
		o.mature = (7 * 24 * time.Hour).Seconds()
	}
	for _, f := range []struct {
		name     string
		in       float64
		out      *float64
		def      float64
		fraction bool
	}{
		{"Habit.ImpossibleKmh", h.ImpossibleKmh, &o.impossible, 1000, false},
		{"Habit.FastKmh", h.FastKmh, &o.fast, 250, false},
		{"Habit.MinDistanceKm", h.MinDistanceKm, &o.minDist, 50, false},
		{"Habit.AmountZ", h.AmountZ, &o.amountZ, 2, false},
		{"Habit.AmountZFull", h.AmountZFull, &o.amountFull, 5, false},
		{"Habit.AmountSDFloor", h.AmountSDFloor, &o.sdMin, 0.5, false},
		{"Habit.HourShare", h.HourShare, &o.hourShare, 0.005, true},
		{"Habit.ChannelShare", h.ChannelShare, &o.channelShare, 0.02, true},
		{"Velocity.Tail", v.Tail, &o.velocityTail, 0.001, true},
		{"Velocity.ActiveHours", v.ActiveHours, &o.activeHours, 16, false},
	} {
		if *f.out, err = positive(f.name, f.in, f.def); err != nil {
			return o, err
		}
		if f.fraction && *f.out > 1 {
			return o, &ConfigError{Field: f.name, Reason: "want at most 1"}
		}
	}
	if o.activeHours > 24 {
		return o, &ConfigError{Field: "Velocity.ActiveHours", Reason: "want at most 24"}
	}
	if o.fast > o.impossible {
		return o, &ConfigError{Field: "Habit.FastKmh", Reason: "above ImpossibleKmh"}
	}
	if o.amountFull <= o.amountZ {
		return o, &ConfigError{Field: "Habit.AmountZFull", Reason: "not above AmountZ"}
	}
	if h.MinHistory < 0 || h.MinEvents < 0 {
		return o, &ConfigError{Field: "Habit.MinHistory", Reason: "negative"}
	}
	o.minHistory, o.minEvents = h.MinHistory, h.MinEvents
	if o.minHistory == 0 {
		o.minHistory = 5
	}
	if o.minEvents == 0 {
		o.minEvents = 50
	}
	o.velocityOff = v.Disabled
	return o, nil
}
