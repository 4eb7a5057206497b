package campaign_test

import (
	"testing"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/campaign/campaigntest"
)

func TestMemoryContactLog(t *testing.T) {
	campaigntest.TestContactLog(t, func(*testing.T) campaign.ContactLog { return campaign.NewMemoryContactLog() })
}

func TestMemoryCounters(t *testing.T) {
	campaigntest.TestCounters(t, func(*testing.T) campaign.Counters { return campaign.NewMemoryCounters() })
}

func TestMemoryDelivery(t *testing.T) {
	campaigntest.TestDelivery(t, func(*testing.T) (campaign.Delivery, func() []campaign.Send) {
		d := campaign.NewMemoryDelivery()
		return d, d.Sends
	})
}
