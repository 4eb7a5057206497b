package campaign_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/profile"
)

// A campaign planned late in the evening is held by the quiet hours and
// released by the first run after they end, with a deterministic
// idempotency key.
func Example() {
	set := &campaign.Set{
		Version: "2025-03.1",
		Campaigns: []campaign.Campaign{{
			ID:       "card_offer",
			Window:   campaign.Window{Start: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
			Offers:   []campaign.Offer{{ID: "cashback_card", Family: "payments"}},
			Channels: []campaign.Channel{campaign.ChannelPush, campaign.ChannelSMS},
			SendTime: campaign.SendTimeASAP,
		}},
	}
	log := campaign.NewMemoryContactLog() // your store in production
	planner, err := campaign.New(set, log, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := profile.New("c42")
	_ = p.SetCustomer(profile.Customer{ID: "c42", Currency: "CNY", TimeZone: "Asia/Shanghai", Consent: profile.Consent{SMS: true}})
	customers := []campaign.Customer{{Profile: p}}
	delivery := campaign.NewMemoryDelivery() // your channels in production

	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	evening := time.Date(2025, 3, 4, 22, 30, 0, 0, shanghai)
	plan, _ := planner.Run(context.Background(), evening, customers, delivery)
	held := plan.Scheduled[0]
	fmt.Println("22:30:", len(plan.Sends), "sent,", held.Held, "until", held.SendAt.Format(time.RFC3339))

	morning := time.Date(2025, 3, 5, 8, 0, 0, 0, shanghai)
	plan, _ = planner.Run(context.Background(), morning, customers, delivery)
	s := plan.Sends[0]
	fmt.Println("08:00:", s.CampaignID, s.OfferID, "on", s.Channel, "at", s.SendAt.Format(time.RFC3339))
	fmt.Println("key:", s.Key)
	fmt.Println("why:", strings.Join(s.Reasons, " "))
	// Output:
	// 22:30: 0 sent, quiet_hours until 2025-03-05T08:00:00+08:00
	// 08:00: card_offer cashback_card on sms at 2025-03-05T08:00:00+08:00
	// key: f9eb527b8bec68003a4af617bc36b524
	// why: scheduled:once rank:1 held:quiet_hours
}

// Campaign files are decoded strictly; errors name the campaign and the
// field, and can be tested with errors.Is and errors.As.
func ExampleDecodeSet() {
	file := `{
	  "version": "2025-03.1",
	  "campaigns": [{
	    "id": "deposit",
	    "window": {"start": "2025-03-01T00:00:00+08:00"},
	    "offers": [{"id": "term_deposit", "family": "wealth", "value": "-300"}],
	    "channels": ["push"],
	    "send_windows": [{"from": "09:00", "to": "12:00"}, {"from": "11:00", "to": "13:00"}]
	  }]
	}`
	_, err := campaign.DecodeSet(strings.NewReader(file))
	fmt.Println(err)
	var ve *campaign.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Campaign, ve.Field, errors.Is(err, campaign.ErrOverlap))
	// Output:
	// campaign "deposit": field offers[0].value: campaign: negative value
	// campaign "deposit": field send_windows[1]: campaign: overlapping windows
	// true deposit offers[0].value true
}

// Conversions are attributed to the last contact and compared with the
// holdout: lift with Newcombe's 95% interval and incremental conversions.
func ExampleMeasurement() {
	set := &campaign.Set{Version: "v", Campaigns: []campaign.Campaign{{
		ID: "promo", Window: campaign.Window{Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
		Offers: []campaign.Offer{{ID: "card"}}, Channels: []campaign.Channel{campaign.ChannelPush},
	}}}
	m, _ := campaign.NewMeasurement(set)
	sent := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	for i := range 1000 {
		c := campaign.Contact{Key: "k", CustomerID: fmt.Sprint("c", i), CampaignID: "promo", OfferID: "card",
			Channel: campaign.ChannelPush, Status: campaign.StatusSent, SendAt: sent}
		if i%10 == 0 {
			c.Status = campaign.StatusHoldout // 100 held out
		}
		m.AddContacts(c)
		// 125 of the contacted convert, 5 of the held out.
		if c.Status == campaign.StatusSent && i%8 == 1 || c.Status == campaign.StatusHoldout && i%200 == 0 {
			_, _, _ = m.Convert(campaign.Conversion{CustomerID: c.CustomerID, At: sent.Add(24 * time.Hour)})
		}
	}
	s := m.Stats(campaign.ByCampaign)[0]
	fmt.Printf("%s: %d sends, rate %.3f; %d held out, rate %.3f\n", s.Key, s.Sends, s.Rate, s.Holdouts, s.HoldoutRate)
	fmt.Printf("lift %.3f [%.3f, %.3f], incremental %.0f [%.0f, %.0f]\n",
		s.Lift, s.LiftLow, s.LiftHigh, s.Incremental, s.IncrementalLow, s.IncrementalHigh)
	// Output:
	// promo: 900 sends, rate 0.139; 100 held out, rate 0.050
	// lift 0.089 [0.024, 0.126], incremental 80 [21, 114]
}
