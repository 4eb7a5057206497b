package campaign_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
)

// Reference values from statsmodels 0.13.5 (scripts/campaign_newcombe_reference.py);
// the first eight are the examples of Newcombe (1998), Table II, method 10.
func TestNewcombe(t *testing.T) {
	for _, c := range []struct {
		x1, n1, x2, n2 int
		lo, hi         float64
	}{
		{56, 70, 48, 80, 0.0524314724, 0.3338726540},
		{9, 10, 3, 10, 0.1705227239, 0.8090179735},
		{6, 7, 2, 7, 0.0582279275, 0.8062496375},
		{5, 56, 0, 29, -0.0381371479, 0.1925600139},
		{0, 10, 0, 20, -0.1611251581, 0.2775327999},
		{0, 10, 0, 10, -0.2775327999, 0.2775327999},
		{10, 10, 0, 20, 0.6790860371, 1.0000000000},
		{10, 10, 0, 10, 0.6075093504, 1.0000000000},
		{130, 2000, 95, 2000, 0.0032062862, 0.0319210712},
	} {
		d, lo, hi := campaign.Newcombe(c.x1, c.n1, c.x2, c.n2, 1.959963984540054)
		want := float64(c.x1)/float64(c.n1) - float64(c.x2)/float64(c.n2)
		if math.Abs(d-want) > 1e-12 || math.Abs(lo-c.lo) > 1e-9 || math.Abs(hi-c.hi) > 1e-9 {
			t.Errorf("Newcombe(%d/%d - %d/%d) = %.10f [%.10f, %.10f], want [%.10f, %.10f]", c.x1, c.n1, c.x2, c.n2, d, lo, hi, c.lo, c.hi)
		}
	}
	if d, lo, hi := campaign.Newcombe(1, 0, 1, 2, 1.96); d != 0 || lo != 0 || hi != 0 {
		t.Errorf("empty group gave %v %v %v", d, lo, hi)
	}
}

func TestWilson(t *testing.T) {
	for _, c := range []struct {
		x, n   int
		lo, hi float64
	}{
		{56, 70, 0.6918335550, 0.8769526075},
		{0, 10, 0, 0.2775327999},
		{10, 10, 0.7224672001, 1},
		{3, 10, 0.1077912674, 0.6032218525},
	} {
		lo, hi := campaign.Wilson(c.x, c.n, 1.959963984540054)
		if math.Abs(lo-c.lo) > 1e-9 || math.Abs(hi-c.hi) > 1e-9 {
			t.Errorf("Wilson(%d/%d) = [%.10f, %.10f], want [%.10f, %.10f]", c.x, c.n, lo, hi, c.lo, c.hi)
		}
	}
}

// Over many simulated campaigns with a true lift of 3 points, the 95%
// interval covers the truth about 95% of the time.
func TestNewcombeCoverage(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const reps, n1, n2, p1, p2 = 2000, 300, 150, 0.08, 0.05
	covered := 0
	for range reps {
		x1, x2 := 0, 0
		for range n1 {
			if r.Float64() < p1 {
				x1++
			}
		}
		for range n2 {
			if r.Float64() < p2 {
				x2++
			}
		}
		if _, lo, hi := campaign.Newcombe(x1, n1, x2, n2, 1.959963984540054); lo <= p1-p2 && p1-p2 <= hi {
			covered++
		}
	}
	if c := float64(covered) / reps; c < 0.93 || c > 0.975 {
		t.Fatalf("coverage %.3f, want about 0.95", c)
	}
}

func TestAttribute(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	c := func(key, camp, offer, family string, ch campaign.Channel, st campaign.Status, at time.Time, agent string) campaign.Contact {
		return campaign.Contact{Key: key, CustomerID: "c1", CampaignID: camp, OfferID: offer, Family: family, Channel: ch,
			Status: st, SendAt: at, Agent: agent}
	}
	hist := []campaign.Contact{
		c("k1", "a", "card", "credit", campaign.ChannelPush, campaign.StatusSent, t0, "ann"),
		c("k2", "b", "fund", "wealth", campaign.ChannelEmail, campaign.StatusSent, t0.Add(48*time.Hour), ""),
		c("k3", "a", "card", "credit", campaign.ChannelSMS, campaign.StatusFailed, t0.Add(72*time.Hour), ""),
		c("k4", "c", "card", "credit", campaign.ChannelPush, campaign.StatusHoldout, t0.Add(96*time.Hour), "bob"),
	}
	week := func(string) time.Duration { return 7 * campaign.Day }
	for _, tc := range []struct {
		name    string
		conv    campaign.Conversion
		key     string
		holdout bool
		agent   string
	}{
		{"last touch", campaign.Conversion{CustomerID: "c1", At: t0.Add(60 * time.Hour)}, "k2", false, ""},
		{"by offer", campaign.Conversion{CustomerID: "c1", At: t0.Add(60 * time.Hour), OfferID: "card"}, "k1", false, "ann"},
		{"by family", campaign.Conversion{CustomerID: "c1", At: t0.Add(60 * time.Hour), Family: "credit"}, "k1", false, "ann"},
		{"failed ignored, holdout credited", campaign.Conversion{CustomerID: "c1", At: t0.Add(100 * time.Hour), OfferID: "card"}, "k4", true, "bob"},
		{"closing agent", campaign.Conversion{CustomerID: "c1", At: t0.Add(60 * time.Hour), CampaignID: "a", Agent: "cy", Referrer: "c9"}, "k1", false, "cy"},
		{"outside window", campaign.Conversion{CustomerID: "c1", At: t0.Add(30 * 24 * time.Hour)}, "", false, ""},
		{"before any contact", campaign.Conversion{CustomerID: "c1", At: t0.Add(-time.Hour)}, "", false, ""},
		{"other customer", campaign.Conversion{CustomerID: "c2", At: t0.Add(time.Hour)}, "", false, ""},
	} {
		a, ok := campaign.Attribute(hist, tc.conv, week)
		if ok != (tc.key != "") || ok && (a.Contact.Key != tc.key || a.Holdout != tc.holdout || a.Agent != tc.agent || a.Referrer != tc.conv.Referrer) {
			t.Errorf("%s: %+v, %v", tc.name, a, ok)
		}
	}
}

func TestMeasurementStats(t *testing.T) {
	set := oneCampaign(func(c *campaign.Campaign, _ *campaign.Policy) {
		c.AttributionWindow = campaign.Duration(3 * campaign.Day)
	})
	m, err := campaign.NewMeasurement(set)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(7, 7))
	var want struct{ sent, conv, held, heldConv int }
	for i := range 3000 {
		id := string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
		st, ch, agent := campaign.StatusSent, campaign.ChannelPush, "ann"
		p := 0.10
		if i%5 == 0 {
			st, p = campaign.StatusHoldout, 0.04
		}
		if i%2 == 0 {
			ch, agent = campaign.ChannelSMS, "bob"
		}
		c := campaign.Contact{Key: "k", CustomerID: id, CampaignID: "promo", OfferID: "card", Channel: ch, Status: st, SendAt: t0, Agent: agent}
		m.AddContacts(c, c) // a repeated contact counts once
		converts := r.Float64() < p
		if st == campaign.StatusSent {
			want.sent++
		} else {
			want.held++
		}
		if !converts {
			continue
		}
		if st == campaign.StatusSent {
			want.conv++
		} else {
			want.heldConv++
		}
		for k := range 2 { // a second conversion of the same contact counts once
			a, ok, err := m.Convert(campaign.Conversion{CustomerID: id, At: t0.Add(time.Duration(k+1) * time.Hour), Value: d("10")})
			if err != nil || !ok || a.Contact.CustomerID != id {
				t.Fatalf("convert: %+v %v %v", a, ok, err)
			}
		}
	}
	// Late conversions are outside the campaign's 3-day window.
	if _, ok, _ := m.Convert(campaign.Conversion{CustomerID: "aaa", At: t0.Add(4 * 24 * time.Hour)}); ok {
		t.Fatal("conversion after the attribution window was credited")
	}
	stats := m.Stats(campaign.ByCampaign)
	if len(stats) != 1 {
		t.Fatalf("stats %+v", stats)
	}
	s := stats[0]
	if s.Sends != want.sent || s.Conversions != want.conv || s.Holdouts != want.held || s.HoldoutConversions != want.heldConv || !s.HasControl {
		t.Fatalf("stats %+v, want %+v", s, want)
	}
	rate, hrate := float64(want.conv)/float64(want.sent), float64(want.heldConv)/float64(want.held)
	if math.Abs(s.Rate-rate) > 1e-12 || math.Abs(s.Lift-(rate-hrate)) > 1e-12 || !(s.LiftLow < s.Lift && s.Lift < s.LiftHigh) ||
		s.LiftLow <= 0 || math.Abs(s.Incremental-s.Lift*float64(s.Sends)) > 1e-9 || math.Abs(s.RelativeLift-s.Lift/hrate) > 1e-12 {
		t.Fatalf("lift %+v", s)
	}
	if !s.Value.Equal(d("10").Mul(d(strconv.Itoa(want.conv * 2)))) {
		t.Fatalf("value %s, want %d conversions of 10 twice", s.Value, want.conv)
	}
	if by := m.Stats(campaign.ByChannel); len(by) != 2 || by[0].Key != "push" || by[1].Key != "sms" || by[0].Sends+by[1].Sends != want.sent {
		t.Fatalf("by channel %+v", by)
	}
	if by := m.Stats(campaign.ByAgent); len(by) != 2 || by[0].Key != "ann" {
		t.Fatalf("by agent %+v", by)
	}
	if by := m.Stats(campaign.ByOffer); len(by) != 1 || by[0].Key != "card" {
		t.Fatalf("by offer %+v", by)
	}
	// No holdout: lift undefined, reported as zeros with HasControl false.
	m2, _ := campaign.NewMeasurement(set)
	m2.AddContacts(campaign.Contact{Key: "k", CustomerID: "x", CampaignID: "promo", Status: campaign.StatusSent, SendAt: t0})
	if s := m2.Stats(campaign.ByCampaign)[0]; s.HasControl || s.Lift != 0 || s.LiftLow != 0 || math.IsNaN(s.RelativeLift) {
		t.Fatalf("without control %+v", s)
	}
	for _, bad := range []campaign.Conversion{{At: t0}, {CustomerID: "x"}, {CustomerID: "x", At: t0, Value: d("-1")}} {
		if _, _, err := m.Convert(bad); !errors.Is(err, campaign.ErrMissing) && !errors.Is(err, campaign.ErrNegative) {
			t.Errorf("Convert(%+v) = %v", bad, err)
		}
	}
}
