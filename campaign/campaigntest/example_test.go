package campaigntest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
)

// The contract TestContactLog checks, shown on the in-memory reference:
// a commit with a stale version or an existing key writes nothing, which is
// what keeps two planners from sending the same message twice.
func Example() {
	ctx := context.Background()
	log := campaign.NewMemoryContactLog()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	msg := campaign.Contact{Key: "k1", CustomerID: "c1", CampaignID: "salary-day", OfferID: "fund",
		Channel: campaign.ChannelPush, Status: campaign.StatusSent, DecidedAt: at, SendAt: at}

	_, v, _ := log.Contacts(ctx, "c1", time.Time{}, nil)
	v1, err := log.Commit(ctx, "c1", v, []campaign.Contact{msg}, nil)
	fmt.Println("first planner:", v1, err)

	// A second planner read version 0 too and tries to send the same message.
	_, err = log.Commit(ctx, "c1", v, []campaign.Contact{msg}, nil)
	fmt.Println("second planner, stale version:", errors.Is(err, campaign.ErrConflict))

	// It re-reads, sees the message and does not send it again; a commit of
	// the same key with the current version is refused too.
	got, v2, _ := log.Contacts(ctx, "c1", time.Time{}, nil)
	_, err = log.Commit(ctx, "c1", v2, []campaign.Contact{msg}, nil)
	fmt.Println("history:", len(got), "contact; same key again:", errors.Is(err, campaign.ErrDuplicate))
	// Output:
	// first planner: 1 <nil>
	// second planner, stale version: true
	// history: 1 contact; same key again: true
}
