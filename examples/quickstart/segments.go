package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

// segmentsJSON are three bank-defined segments, written as an analyst
// would, over the same environment as risk rules and campaign audiences.
const segmentsJSON = `{
  "version": "quickstart-1",
  "segments": [
    {"id": "credit_ready", "priority": 10, "description": "steady salary and room to borrow",
     "expr": "Profile.SalaryMature && Profile.DTI < 0.3 && Profile.RepaymentCapacity > 2000"},
    {"id": "multi_lender", "priority": 20, "description": "repays two or more other lenders",
     "expr": "Profile.OtherLenders >= 2"},
    {"id": "young_parents", "priority": 30, "description": "child-care spending before 40",
     "expr": "Profile.Spend.Childcare > 0 && Profile.AgeYears < 40"}
  ]
}`

// campaignsJSON is a small campaign set (see package campaign for the
// schema): a transactional bill reminder and three offers led by stage,
// product family and an analyst's expression.
const campaignsJSON = `{
  "version": "quickstart-1",
  "time_zone": "UTC",
  "policy": {"global_control": 0.05, "holdout_seed": 1},
  "campaigns": [
    {"id": "bill_reminder", "name": "Bill due soon, with an offer of automatic payment", "transactional": true,
     "window": {"start": "2000-01-01T00:00:00Z"}, "trigger": {"type": "bill_due", "lead_days": 3},
     "offers": [{"id": "autopay", "family": "payments", "auto_pay": true}], "channels": ["push", "sms"]},
    {"id": "wealth_review", "name": "A review of your savings with an adviser",
     "window": {"start": "2000-01-01T00:00:00Z"}, "audience": {"stages": ["wealth_accumulation", "pre_retirement", "retired"]},
     "offers": [{"id": "fund_review", "family": "wealth", "value": "800", "propensity": 0.04}],
     "channels": ["push", "email"], "holdout": 0.1},
    {"id": "credit_card", "name": "Cash-back credit card for steady earners",
     "window": {"start": "2000-01-01T00:00:00Z"},
     "audience": {"families": ["credit"], "expression": "Profile.MonthlyIncome > 8000 && Profile.DTI < 0.35"},
     "offers": [{"id": "cashback_card", "family": "credit", "value": "500", "propensity": 0.03}],
     "channels": ["push", "sms", "email"], "holdout": 0.1},
    {"id": "student_card", "name": "Student debit card with free transfers",
     "window": {"start": "2000-01-01T00:00:00Z"}, "audience": {"stages": ["student"]},
     "offers": [{"id": "student_card", "family": "payments", "value": "50", "propensity": 0.1}],
     "channels": ["in_app", "push"], "holdout": 0.1}
  ]
}`

// segmentAndPlan assigns every customer a lifecycle stage, RFM score, value
// tier and the bank-defined segments, then plans one campaign run at now.
func segmentAndPlan(ctx context.Context, w io.Writer, store profile.Store, cs []synth.Customer, now time.Time) error {
	cat, err := segment.LoadCatalog([]byte(segmentsJSON))
	if err != nil {
		return err
	}
	profiles := make([]*profile.Profile, len(cs))
	inputs := make([]segment.Input, len(cs))
	for i := range cs {
		p, _, err := store.Get(ctx, cs[i].ID)
		if err != nil {
			return err
		}
		profiles[i] = p
		if inputs[i], err = segment.NewInput(p, now, &segment.InputOptions{Segments: cat}); err != nil {
			return err
		}
	}
	rfm, err := segment.FitRFM(inputs, nil)
	if err != nil {
		return err
	}
	tiers, err := segment.FitTiers(inputs, nil)
	if err != nil {
		return err
	}
	assigner, err := segment.New(segment.Config{RFM: rfm, Tiers: tiers, Segments: cat})
	if err != nil {
		return err
	}
	t0 := time.Now()
	assigned := make([]segment.Assignment, len(cs))
	for i := range inputs {
		if assigned[i], err = assigner.Assign(&inputs[i], now); err != nil {
			return err
		}
	}
	elapsed := time.Since(t0)

	stages, tierN, members := map[string]int{}, map[string]int{}, map[string]int{}
	agree := 0
	for i, a := range assigned {
		stages[a.Stage.String()]++
		tierN[a.Tier.String()]++
		for _, m := range a.Segments {
			members[m.ID]++
		}
		if a.Stage.String() == string(cs[i].Stage) {
			agree++
		}
	}
	fmt.Fprintf(w, "SEGMENTS (lifecycle, RFM, value tiers and 3 bank-defined segments; %v for %d customers)\n",
		elapsed.Round(time.Microsecond), len(cs))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	var parts []string
	for _, s := range segment.Stages() {
		parts = append(parts, fmt.Sprintf("%s %d", s, stages[s.String()]))
	}
	fmt.Fprintf(tw, "  lifecycle stages\t%s\n", strings.Join(parts, ", "))
	fmt.Fprintf(tw, "  agreement with the simulator\t%.1f%%\n", 100*float64(agree)/float64(len(cs)))
	fmt.Fprintf(tw, "  value tiers\ttop %d, core %d, long tail %d\n", tierN["top"], tierN["core"], tierN["long_tail"])
	fmt.Fprintf(tw, "  bank-defined segments\tcredit_ready %d, multi_lender %d, young_parents %d\n",
		members["credit_ready"], members["multi_lender"], members["young_parents"])
	tw.Flush()
	fmt.Fprintln(w)

	// One planning run: what would the bank send right now?
	set, err := campaign.ParseSet([]byte(campaignsJSON))
	if err != nil {
		return err
	}
	planner, err := campaign.New(set, campaign.NewMemoryContactLog(), nil)
	if err != nil {
		return err
	}
	customers := make([]campaign.Customer, len(cs))
	for i := range cs {
		customers[i] = campaign.Customer{Profile: profiles[i], Assignment: &assigned[i]}
	}
	plan, err := planner.Plan(ctx, now, customers)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "CAMPAIGNS (one planning run at %s UTC; caps, quiet hours, consent, holdouts applied)\n",
		now.UTC().Format("2006-01-02 15:04"))
	count := func(ss []campaign.Send) string {
		by := map[string]int{}
		for _, s := range ss {
			by[s.CampaignID+" by "+s.Channel.String()]++
		}
		keys := make([]string, 0, len(by))
		for k := range by {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var out []string
		for _, k := range keys {
			out = append(out, fmt.Sprintf("%s %d", k, by[k]))
		}
		if len(out) == 0 {
			return "-"
		}
		return strings.Join(out, ", ")
	}
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  send now\t%s\n", count(plan.Sends))
	fmt.Fprintf(tw, "  held for later\t%d (quiet hours, busy, or a better send time in the customer's active hours)\n", len(plan.Scheduled))
	fmt.Fprintf(tw, "  holdouts\t%d (kept out to measure true lift)\n", len(plan.Holdouts))
	var sup []string
	for r := campaign.Reason(1); int(r) < campaign.NumReasons; r++ {
		if n := plan.Suppressed[r]; n > 0 {
			sup = append(sup, fmt.Sprintf("%s %d", r, n))
		}
	}
	fmt.Fprintf(tw, "  suppressed\t%s\n", strings.Join(sup, ", "))
	tw.Flush()
	fmt.Fprintln(w)
	return nil
}
