package segment

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/suanpan-dev/suanpan/profile"
)

// RFMLevels is the number of quantile score levels of each RFM dimension:
// scores run from 1 (worst) to 5 (best), the quintile scoring of Hughes,
// "Strategic Database Marketing" (1994).
const RFMLevels = 5

// RFMScore is a customer's recency, frequency and monetary scores and the
// named RFM segment they fall in. R, F and M are 1 (worst) to 5 (best); all
// three are 0 when the customer has no purchase (Segment is then the
// model's no-purchase name, "prospect" by default) or when no RFM model was
// configured (Segment is then "").
type RFMScore struct {
	R, F, M uint8
	Segment string
}

// Code returns the three scores as digits, for example "545" ("000" when
// unscored).
func (s RFMScore) Code() string { return fmt.Sprintf("%d%d%d", s.R, s.F, s.M) }

// ScoreRange is an inclusive range of scores; the zero value means any
// score (1 to 5).
type ScoreRange struct{ Min, Max uint8 }

func (r ScoreRange) has(v uint8) bool {
	if r == (ScoreRange{}) {
		return true
	}
	return v >= r.Min && v <= r.Max
}

// RFMRule names the customers whose scores fall in its ranges.
type RFMRule struct {
	Name    string
	R, F, M ScoreRange
}

// Default RFM segment names.
const (
	RFMChampions         = "champions"
	RFMLoyal             = "loyal"
	RFMPotentialLoyalist = "potential_loyalist"
	RFMNew               = "new"
	RFMPromising         = "promising"
	RFMNeedAttention     = "need_attention"
	RFMAboutToSleep      = "about_to_sleep"
	RFMCantLose          = "cant_lose"
	RFMAtRisk            = "at_risk"
	RFMHibernating       = "hibernating"
	RFMProspect          = "prospect" // no purchase yet
)

// DefaultRFMSegments returns the default naming of RFM cells: the
// recency × frequency grid widely used in retention marketing (the
// "RFM segment map" of champions, loyal customers, potential loyalists, new
// customers, promising, need attention, about to sleep, at risk, can't
// lose them and hibernating, as in Bloomreach Engagement's RFM
// segmentation guide), which names a customer by R and F; M refines
// nothing here but is kept in the score. Checked in order, the first
// match wins; together they cover all 25 (R, F) cells:
//
//	R \ F   1              2              3              4        5
//	5       new            potential      potential      champ.   champ.
//	4       promising      potential      potential      loyal    loyal
//	3       about_to_sleep about_to_sleep need_attention loyal    loyal
//	1–2     hibernating    hibernating    at_risk        at_risk  cant_lose
func DefaultRFMSegments() []RFMRule {
	r := func(lo, hi uint8) ScoreRange { return ScoreRange{lo, hi} }
	return []RFMRule{
		{Name: RFMChampions, R: r(5, 5), F: r(4, 5)},
		{Name: RFMLoyal, R: r(3, 4), F: r(4, 5)},
		{Name: RFMPotentialLoyalist, R: r(4, 5), F: r(2, 3)},
		{Name: RFMNew, R: r(5, 5), F: r(1, 1)},
		{Name: RFMPromising, R: r(4, 4), F: r(1, 1)},
		{Name: RFMNeedAttention, R: r(3, 3), F: r(3, 3)},
		{Name: RFMAboutToSleep, R: r(3, 3), F: r(1, 2)},
		{Name: RFMCantLose, R: r(1, 2), F: r(5, 5)},
		{Name: RFMAtRisk, R: r(1, 2), F: r(3, 4)},
		{Name: RFMHibernating, R: r(1, 2), F: r(1, 2)},
	}
}

// RFMOptions configures FitRFM. The zero value (or nil) is the default.
type RFMOptions struct {
	// Segments name the score cells, checked in order (first match
	// wins); they must cover all 125 (R, F, M) cells. Nil means
	// DefaultRFMSegments().
	Segments []RFMRule
	// NoPurchase is the segment name of customers without a purchase;
	// "" means "prospect".
	NoPurchase string
}

// RFMModel holds RFM cut points fitted on a population. It is immutable
// and safe for concurrent use.
type RFMModel struct {
	recency, frequency, monetary [RFMLevels - 1]float64
	customers                    int // purchasers the cuts were fitted on
	names                        [RFMLevels * RFMLevels * RFMLevels]string
	none                         string
	rules                        []RFMRule
}

// FitRFM fits quantile cut points on the customers of pop that have a
// purchase (Profile.Purchases > 0): recency is Profile.RecencyDays,
// frequency Profile.Purchases and monetary Profile.Monetary, read as a
// float64 (the nearest to the exact decimal sum). Cut point k (1 to 4) of
// a dimension is the lower empirical quantile at k/5, the ⌈k·n/5⌉-th smallest
// value (Hyndman & Fan 1996, definition 1), so about a fifth of the
// customers fall at or below each cut.
//
// Customers without a purchase take no part in the fit and score 0 with
// the NoPurchase segment. pop must hold at least one customer
// (ErrEmptyPopulation) and at least five with a purchase
// (ErrTooFewPurchasers, which is also what an all-zero-frequency
// population gets). A NaN, infinite or negative field is a *FieldError
// naming the entry.
func FitRFM(pop []Input, opts *RFMOptions) (*RFMModel, error) {
	m, err := newRFMModel(opts)
	if err != nil {
		return nil, err
	}
	if len(pop) == 0 {
		return nil, &PopulationError{Model: "rfm", Need: RFMLevels, Got: 0, Err: ErrEmptyPopulation}
	}
	r, f, v := make([]float64, 0, len(pop)), make([]float64, 0, len(pop)), make([]float64, 0, len(pop))
	for i := range pop {
		p := &pop[i].Profile
		mon := pop[i].monetary()
		if err := checkRFMInput(p, mon, i); err != nil {
			return nil, err
		}
		if p.Purchases == 0 {
			continue
		}
		r = append(r, p.RecencyDays)
		f = append(f, float64(p.Purchases))
		v = append(v, mon)
	}
	if len(r) < RFMLevels {
		return nil, &PopulationError{Model: "rfm", Need: RFMLevels, Got: len(r), Err: ErrTooFewPurchasers}
	}
	m.customers = len(r)
	m.recency, m.frequency, m.monetary = quintileCuts(r), quintileCuts(f), quintileCuts(v)
	return m, nil
}

func checkRFMInput(p *profile.Features, monetary float64, i int) error {
	bad := func(field, reason string) error {
		return &FieldError{Field: field, Index: i, Reason: reason, Err: ErrInvalidInput}
	}
	switch {
	case p.Purchases < 0:
		return bad("Profile.Purchases", "negative")
	case math.IsInf(monetary, 0) || monetary < 0:
		return bad("Profile.Monetary", "negative, or too large for a float64")
	case math.IsNaN(p.RecencyDays) || math.IsInf(p.RecencyDays, 0):
		return bad("Profile.RecencyDays", "NaN or infinite")
	case p.Purchases > 0 && p.RecencyDays < 0:
		return bad("Profile.RecencyDays", "negative while Purchases > 0")
	}
	return nil
}

func newRFMModel(opts *RFMOptions) (*RFMModel, error) {
	var o RFMOptions
	if opts != nil {
		o = *opts
	}
	rules := o.Segments
	if rules == nil {
		rules = DefaultRFMSegments()
	}
	m := &RFMModel{none: RFMProspect, rules: slices.Clone(rules)}
	if o.NoPurchase != "" {
		if !validName(o.NoPurchase) {
			return nil, optErr("RFMOptions.NoPurchase", "want lower-case letters, digits, '_', '-' or '.', starting with a letter, at most 64")
		}
		m.none = o.NoPurchase
	}
	for i, r := range rules {
		if !validName(r.Name) {
			return nil, optErr(fmt.Sprintf("RFMOptions.Segments[%d].Name", i), "want lower-case letters, digits, '_', '-' or '.', starting with a letter, at most 64")
		}
		for _, sr := range []ScoreRange{r.R, r.F, r.M} {
			if sr != (ScoreRange{}) && (sr.Min < 1 || sr.Max > RFMLevels || sr.Min > sr.Max) {
				return nil, optErr(fmt.Sprintf("RFMOptions.Segments[%d]", i), "score range outside 1..5 or Min > Max")
			}
		}
	}
	for rs := uint8(1); rs <= RFMLevels; rs++ {
		for fs := uint8(1); fs <= RFMLevels; fs++ {
			for ms := uint8(1); ms <= RFMLevels; ms++ {
				i := slices.IndexFunc(rules, func(r RFMRule) bool { return r.R.has(rs) && r.F.has(fs) && r.M.has(ms) })
				if i < 0 {
					return nil, optErr("RFMOptions.Segments", fmt.Sprintf("no segment covers R=%d F=%d M=%d", rs, fs, ms))
				}
				m.names[cell(rs, fs, ms)] = rules[i].Name
			}
		}
	}
	return m, nil
}

func cell(r, f, m uint8) int { return int(r-1)*RFMLevels*RFMLevels + int(f-1)*RFMLevels + int(m-1) }

// quintileCuts returns the cut points of xs (which it sorts).
func quintileCuts(xs []float64) [RFMLevels - 1]float64 {
	slices.Sort(xs)
	n := len(xs)
	var c [RFMLevels - 1]float64
	for k := 1; k < RFMLevels; k++ {
		i := (k*n + RFMLevels - 1) / RFMLevels // ⌈k·n/5⌉
		c[k-1] = xs[i-1]
	}
	return c
}

// Score returns the RFM score of f. Equal values always get equal scores:
// a value scores one level more for each cut point it exceeds (for
// recency, one level less for each cut point it exceeds, so the most
// recent customers score 5). Where many customers share a value (many
// single-purchase customers, say) the levels it spans collapse into one
// and some levels stay empty; that is the honest reading of tied data.
// Monetary value is read as a float64, as FitRFM reads it. A nil model
// returns the zero RFMScore.
func (m *RFMModel) Score(in *Input) RFMScore {
	if m == nil {
		return RFMScore{}
	}
	f := &in.Profile
	if f.Purchases <= 0 {
		return RFMScore{Segment: m.none}
	}
	r := uint8(RFMLevels)
	for _, c := range m.recency {
		if f.RecencyDays > c {
			r--
		}
	}
	fs, ms := uint8(1), uint8(1)
	fr, mon := float64(f.Purchases), in.monetary()
	for k := range m.frequency {
		if fr > m.frequency[k] {
			fs++
		}
		if mon > m.monetary[k] {
			ms++
		}
	}
	return RFMScore{R: r, F: fs, M: ms, Segment: m.names[cell(r, fs, ms)]}
}

// CutPoints returns the four cut points of each dimension, ascending:
// recency in days, frequency in purchases, monetary in the profile
// currency.
func (m *RFMModel) CutPoints() (recency, frequency, monetary [RFMLevels - 1]float64) {
	return m.recency, m.frequency, m.monetary
}

// Customers returns how many customers with a purchase the model was
// fitted on.
func (m *RFMModel) Customers() int { return m.customers }

// Segments returns the names of the model's segments in rule order,
// followed by the no-purchase name.
func (m *RFMModel) Segments() []string {
	out := make([]string, 0, len(m.rules)+1)
	for _, r := range m.rules {
		if !slices.Contains(out, r.Name) {
			out = append(out, r.Name)
		}
	}
	return append(out, m.none)
}

func (m *RFMModel) describe() string {
	if m == nil {
		return "rfm{}"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rfm{r=%v f=%v m=%v n=%d none=%s rules=", m.recency, m.frequency, m.monetary, m.customers, m.none)
	for _, r := range m.rules {
		fmt.Fprintf(&b, "%s:%v%v%v;", r.Name, r.R, r.F, r.M)
	}
	b.WriteString("}")
	return b.String()
}

// validName reports whether s is a valid segment, group or RFM segment
// name: 1 to 64 characters from a–z, 0–9, '_', '-' and '.', starting with
// a letter. Colons are reserved for the "stage:", "tier:" and "rfm:"
// prefixes of transitions.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
