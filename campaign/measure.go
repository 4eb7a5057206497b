package campaign

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// Conversion is an outcome the caller reports: an account opened, a card
// activated, a loan drawn, a fund bought.
type Conversion struct {
	CustomerID string    // who converted
	At         time.Time // when
	// OfferID, Family and CampaignID narrow which contacts may be credited
	// (the product converted to, its family, a campaign known from a
	// promotion code); "" matches any.
	OfferID    string // the product converted to
	Family     string // its product family
	CampaignID string // the campaign, when the conversion names one
	// Value is the conversion's value (revenue, amount); may be zero.
	Value decimal.Decimal
	// Agent is the agent who closed the conversion, when one did; it
	// overrides the contact's agent in the Attribution.
	Agent string
	// Referrer is the customer who referred this one (a referral code),
	// when known; it is carried into the Attribution.
	Referrer string
}

// Attribution credits a conversion to one contact.
type Attribution struct {
	Conversion Conversion // the conversion credited
	// Contact is the contact credited: a message sent (StatusSent) or a
	// holdout record (StatusHoldout, Holdout true), the last one before
	// the conversion within its attribution window.
	Contact Contact
	Holdout bool // the contact is a holdout record: a control conversion
	// Agent is the agent credited: Conversion.Agent when set, otherwise
	// the contact's agent (the agent whose task or customer it was).
	Agent string
	// Referrer is Conversion.Referrer.
	Referrer string
}

// Attribute credits conv by last touch: among contacts (the customer's
// history) that are sent or holdout records, that match the conversion's
// offer, family and campaign when it names them, and whose SendAt is not
// after conv.At and within window of it, the latest (ties: the greater
// key). window gives the attribution window of a campaign; nil means 7
// days for every campaign. It reports false when no contact qualifies.
func Attribute(contacts []Contact, conv Conversion, window func(campaignID string) time.Duration) (Attribution, bool) {
	best := -1
	for i := range contacts {
		c := &contacts[i]
		if c.CustomerID != conv.CustomerID || c.Status != StatusSent && c.Status != StatusHoldout {
			continue
		}
		if conv.OfferID != "" && c.OfferID != conv.OfferID || conv.Family != "" && c.Family != conv.Family ||
			conv.CampaignID != "" && c.CampaignID != conv.CampaignID {
			continue
		}
		w := 7 * Day
		if window != nil {
			w = window(c.CampaignID)
		}
		if c.SendAt.After(conv.At) || !conv.At.Before(c.SendAt.Add(w)) {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		b := &contacts[best]
		if c.SendAt.After(b.SendAt) || c.SendAt.Equal(b.SendAt) && c.Key > b.Key {
			best = i
		}
	}
	if best < 0 {
		return Attribution{}, false
	}
	c := contacts[best]
	a := Attribution{Conversion: conv, Contact: c, Holdout: c.Status == StatusHoldout, Agent: c.Agent, Referrer: conv.Referrer}
	if conv.Agent != "" {
		a.Agent = conv.Agent
	}
	return a, true
}

// Measurement accumulates contacts and conversions and reports the
// performance of campaigns, channels, offers and agents against their
// holdouts. It is safe for concurrent use.
type Measurement struct {
	mu       sync.Mutex
	def      time.Duration
	windows  map[string]time.Duration
	contacts []mContact
	byKey    map[string]int
	byCust   map[string][]int
}

type mContact struct {
	c         Contact
	converted bool
	value     decimal.Decimal
}

// NewMeasurement returns an empty Measurement using the attribution
// windows of set (Campaign.AttributionWindow, else
// Policy.AttributionWindow, else 7 days).
func NewMeasurement(set *Set) (*Measurement, error) {
	cs, err := compileSet(set)
	if err != nil {
		return nil, err
	}
	m := &Measurement{def: cs.attrib, windows: make(map[string]time.Duration),
		byKey: make(map[string]int), byCust: make(map[string][]int)}
	for i := range cs.campaigns {
		m.windows[cs.campaigns[i].c.ID] = cs.campaigns[i].attrib
	}
	return m, nil
}

func (m *Measurement) window(campaignID string) time.Duration {
	if w, ok := m.windows[campaignID]; ok {
		return w
	}
	return m.def
}

// AddContacts adds contacts from the ContactLog: sent messages and holdout
// records count, other statuses are ignored, and a key already added is
// updated (a contact whose status changed) rather than counted twice.
func (m *Measurement) AddContacts(cs ...Contact) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		i, ok := m.byKey[c.CustomerID+"\x00"+c.Key]
		if ok {
			m.contacts[i].c = c
			continue
		}
		if c.Status != StatusSent && c.Status != StatusHoldout {
			continue
		}
		m.byKey[c.CustomerID+"\x00"+c.Key] = len(m.contacts)
		m.byCust[c.CustomerID] = append(m.byCust[c.CustomerID], len(m.contacts))
		m.contacts = append(m.contacts, mContact{c: c})
	}
}

// Convert attributes a conversion (see Attribute) among the customer's
// contacts added so far, and counts it: each contact converts at most
// once, so rates stay proportions. A conversion without a customer or a
// time is an error (*FieldError).
func (m *Measurement) Convert(conv Conversion) (Attribution, bool, error) {
	if conv.CustomerID == "" {
		return Attribution{}, false, fieldErr("conversion.CustomerID", ErrMissing)
	}
	if conv.At.IsZero() {
		return Attribution{}, false, fieldErr("conversion.At", ErrMissing)
	}
	if conv.Value.IsNegative() {
		return Attribution{}, false, fieldErr("conversion.Value", ErrNegative)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	idx := m.byCust[conv.CustomerID]
	list := make([]Contact, len(idx))
	for j, i := range idx {
		list[j] = m.contacts[i].c
	}
	a, ok := Attribute(list, conv, m.window)
	if !ok {
		return a, false, nil
	}
	mc := &m.contacts[m.byKey[conv.CustomerID+"\x00"+a.Contact.Key]]
	mc.converted = true
	mc.value = mc.value.Add(conv.Value)
	return a, true, nil
}

// Dimension is what Stats groups by.
type Dimension uint8

// Dimensions.
const (
	ByCampaign Dimension = iota + 1
	ByChannel
	ByOffer
	ByAgent
)

// Stat is the performance of one group of contacts against its holdout.
type Stat struct {
	// Key is the campaign ID, channel name, offer ID or agent ("" for
	// contacts without an agent). For holdout records, channel and offer
	// are those the message would have used.
	Key         string
	Sends       int     // messages sent
	Conversions int     // sends that converted
	Rate        float64 // Conversions / Sends (0 when no sends)
	// Holdouts are the holdout records (customers eligible but held out)
	// and HoldoutConversions those that converted anyway.
	Holdouts           int
	HoldoutConversions int     // holdout records that converted
	HoldoutRate        float64 // HoldoutConversions / Holdouts
	// HasControl says whether there are both sends and holdouts, so that
	// the lift fields are defined; they are 0 otherwise.
	HasControl bool
	// Lift is Rate − HoldoutRate, with its 95% confidence interval
	// [LiftLow, LiftHigh] by Newcombe's hybrid score method.
	Lift, LiftLow, LiftHigh float64
	// RelativeLift is Lift / HoldoutRate (0 when HoldoutRate is 0).
	RelativeLift float64
	// Incremental is the conversions the sends caused: Lift × Sends, with
	// the interval scaled the same way.
	Incremental, IncrementalLow, IncrementalHigh float64
	// Value sums the conversion values credited to the sends.
	Value decimal.Decimal
}

// Stats returns the statistics per group of the dimension, ordered by key.
// The lift interval is Newcombe's hybrid score interval for a difference
// of independent proportions (R. G. Newcombe, "Interval estimation for the
// difference between independent proportions: comparison of eleven
// methods", Statistics in Medicine 17:873–890, 1998, method 10), built from
// Wilson score intervals (E. B. Wilson, JASA 22:209–212, 1927); it keeps
// its coverage for small counts and rates near 0, where the Wald interval
// does not.
func (m *Measurement) Stats(by Dimension) []Stat {
	m.mu.Lock()
	defer m.mu.Unlock()
	groups := make(map[string]*Stat)
	for i := range m.contacts {
		mc := &m.contacts[i]
		var k string
		switch by {
		case ByCampaign:
			k = mc.c.CampaignID
		case ByChannel:
			k = mc.c.Channel.String()
		case ByOffer:
			k = mc.c.OfferID
		case ByAgent:
			k = mc.c.Agent
		default:
			return nil
		}
		s := groups[k]
		if s == nil {
			s = &Stat{Key: k}
			groups[k] = s
		}
		switch mc.c.Status {
		case StatusSent:
			s.Sends++
			if mc.converted {
				s.Conversions++
				s.Value = s.Value.Add(mc.value)
			}
		case StatusHoldout:
			s.Holdouts++
			if mc.converted {
				s.HoldoutConversions++
			}
		}
	}
	out := make([]Stat, 0, len(groups))
	for _, s := range groups {
		s.finish()
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Stat) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// z95 is the 0.975 quantile of the standard normal distribution.
const z95 = 1.959963984540054

func (s *Stat) finish() {
	if s.Sends > 0 {
		s.Rate = float64(s.Conversions) / float64(s.Sends)
	}
	if s.Holdouts > 0 {
		s.HoldoutRate = float64(s.HoldoutConversions) / float64(s.Holdouts)
	}
	if s.Sends == 0 || s.Holdouts == 0 {
		return
	}
	s.HasControl = true
	s.Lift, s.LiftLow, s.LiftHigh = Newcombe(s.Conversions, s.Sends, s.HoldoutConversions, s.Holdouts, z95)
	if s.HoldoutRate > 0 {
		s.RelativeLift = s.Lift / s.HoldoutRate
	}
	n := float64(s.Sends)
	s.Incremental, s.IncrementalLow, s.IncrementalHigh = s.Lift*n, s.LiftLow*n, s.LiftHigh*n
}

// Wilson returns the Wilson score interval for a proportion of x successes
// in n trials at normal quantile z (Wilson 1927). n must be positive and
// 0 ≤ x ≤ n; otherwise it returns zeros.
func Wilson(x, n int, z float64) (lo, hi float64) {
	if n <= 0 || x < 0 || x > n {
		return 0, 0
	}
	fn, fx := float64(n), float64(x)
	z2 := z * z
	centre := (fx + z2/2) / (fn + z2)
	half := z * math.Sqrt(fx*(fn-fx)/fn+z2/4) / (fn + z2)
	return max(0, centre-half), min(1, centre+half)
}

// Newcombe returns the difference p1 − p2 of two independent proportions
// x1/n1 and x2/n2 with its hybrid score interval at normal quantile z
// (Newcombe 1998, method 10):
//
//	L = d − √((p1 − l1)² + (u2 − p2)²),  U = d + √((u1 − p1)² + (p2 − l2)²)
//
// where [l, u] are the Wilson intervals. Both n must be positive and
// 0 ≤ x ≤ n; otherwise it returns zeros.
func Newcombe(x1, n1, x2, n2 int, z float64) (d, lo, hi float64) {
	if n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2 {
		return 0, 0, 0
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	l1, u1 := Wilson(x1, n1, z)
	l2, u2 := Wilson(x2, n2, z)
	d = p1 - p2
	lo = d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	hi = d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return d, lo, hi
}
