// Command campaign is a dry run of a campaign set over recorded (or
// simulated) customers and events: it replays the events in time order
// into profiles, keeps each customer's segment assignment up to date, runs
// the campaign planner every simulated hour from -from to -to, and
// delivers to a recording Delivery, so you can see what the set would
// have sent, to whom, when and on which channel, and what the contact
// policy held back.
//
// Usage:
//
//	go run ./examples/campaign -customers FILE -events FILE -campaigns FILE.json \
//	    -from RFC3339 -to RFC3339 [-sends OUT.csv] [-json]
//
// Flags:
//
//	-customers FILE   customers CSV (profile.CustomerColumns)
//	-events FILE      events CSV (profile.EventColumns), any order
//	-campaigns FILE   campaign set (campaign.DecodeSet; see package campaign)
//	-from, -to        the period planned, RFC 3339; the planner runs at -from
//	                  and every hour after it while before -to
//	-sends OUT.csv    write one row per message delivered:
//	                  idempotency_key,customer_id,campaign_id,offer,channel,send_time
//	                  (send_time in RFC 3339 with the customer's own UTC offset)
//	-json             print the summary as JSON
//
// Events before -from warm the profiles up. Segment assignments use the
// default lifecycle staging of package segment with RFM scores and value
// tiers fitted on the population at -from (when it has enough purchasers);
// campaign triggers see the stage, tier and RFM transitions ("stage:...",
// "tier:...", "rfm:...") and the events of each hour. Contact history,
// channel capacity and delivery are the SDK's in-memory references. Credit
// offers pass a simple early-warning gate read from the profile (a loan
// repayment overdue, or a debt-to-income ratio above
// profile.DefaultMaxDTI); a bank wires its risk decisions in instead.
//
// The summary gives the sends by campaign and channel, the suppressions
// by reason (cap, quiet_hours, consent, busy, holdout, cooldown, fatigue,
// capacity, risk_gate; each message counted once per reason however many
// runs it was held back in; quiet_hours and busy count messages held and
// sent later), and the most messages any customer received in one local
// calendar day. With -json it is one object:
//
//	campaign_set                    the set's version
//	from, to, runs, customers       the period, hourly runs, customers
//	sends                           messages delivered
//	sends_by_campaign               {campaign: {channel: messages}}
//	suppressions                    {reason: messages}, all nine reasons
//	max_per_customer_day            most messages to one customer in one local day
//	max_marketing_per_customer_day  the same, marketing only
//	customers_reached, scheduled, holdouts, failed, retries, seconds
//
// For example, on simulated data:
//
//	go run ./examples/simulate -customers 1000 -months 4 -seed 7 \
//	    -events events.csv -customers-out customers.csv
//	go run ./examples/campaign -customers customers.csv -events events.csv \
//	    -campaigns examples/campaign/campaigns.json \
//	    -from 2025-04-01T00:00:00+08:00 -to 2025-05-01T00:00:00+08:00 -sends sends.csv -json
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "campaign:", err)
		os.Exit(2)
	}
}

type config struct {
	customers, events, campaigns, sends string
	from, to                            time.Time
	json                                bool
}

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("campaign", flag.ContinueOnError)
	c := &config{}
	fs.StringVar(&c.customers, "customers", "", "customers CSV")
	fs.StringVar(&c.events, "events", "", "events CSV")
	fs.StringVar(&c.campaigns, "campaigns", "", "campaign set JSON")
	from := fs.String("from", "", "start of the period, RFC 3339")
	to := fs.String("to", "", "end of the period, RFC 3339")
	fs.StringVar(&c.sends, "sends", "", "CSV of the messages delivered")
	fs.BoolVar(&c.json, "json", false, "print the summary as JSON")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, f := range [...]struct{ name, v string }{
		{"customers", c.customers}, {"events", c.events}, {"campaigns", c.campaigns}, {"from", *from}, {"to", *to},
	} {
		if f.v == "" {
			return nil, fmt.Errorf("-%s is required", f.name)
		}
	}
	var err error
	if c.from, err = time.Parse(time.RFC3339, *from); err != nil {
		return nil, fmt.Errorf("-from: not RFC 3339")
	}
	if c.to, err = time.Parse(time.RFC3339, *to); err != nil {
		return nil, fmt.Errorf("-to: not RFC 3339")
	}
	if !c.to.After(c.from) {
		return nil, fmt.Errorf("-to must be after -from")
	}
	if c.to.Sub(c.from) > 400*24*time.Hour {
		return nil, fmt.Errorf("-from to -to spans more than 400 days")
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	set, err := readSet(cfg.campaigns)
	if err != nil {
		return err
	}
	customers, err := readCSV(cfg.customers, profile.ReadCustomers)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.customers, err)
	}
	events, err := readCSV(cfg.events, profile.ReadEvents)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.events, err)
	}
	started := time.Now()
	sim, err := newSimulation(set, customers, events)
	if err != nil {
		return err
	}
	rep, err := sim.run(ctx, cfg.from, cfg.to)
	if err != nil {
		return err
	}
	rep.Seconds = time.Since(started).Seconds()
	if cfg.sends != "" {
		if err := writeSends(cfg.sends, rep.sends); err != nil {
			return err
		}
	}
	if cfg.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.print(stdout)
}

func readSet(path string) (*campaign.Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	set, err := campaign.DecodeSet(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return set, nil
}

func readCSV[T any](path string, read func(io.Reader, *profile.ReadOptions) ([]T, error)) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(bufio.NewReaderSize(f, 1<<20), nil)
}

// simulation replays events into profiles and plans hour by hour.
type simulation struct {
	set      *campaign.Set
	builder  *profile.Builder
	ids      []string // customer IDs, sorted
	profiles map[string]*profile.Profile
	assign   map[string]*segment.Assignment
	events   []profile.Event // sorted by time
	pos      int
	log      *campaign.MemoryContactLog
	delivery *campaign.MemoryDelivery
	planner  *campaign.Planner
}

func newSimulation(set *campaign.Set, customers []profile.Customer, events []profile.Event) (*simulation, error) {
	b, err := profile.NewBuilder(nil)
	if err != nil {
		return nil, err
	}
	s := &simulation{set: set, builder: b, profiles: make(map[string]*profile.Profile, len(customers)),
		assign: make(map[string]*segment.Assignment, len(customers)), log: campaign.NewMemoryContactLog(),
		delivery: campaign.NewMemoryDelivery()}
	for _, c := range customers {
		if _, dup := s.profiles[c.ID]; dup {
			return nil, fmt.Errorf("customer %q listed twice", c.ID)
		}
		p := profile.New(c.ID)
		if err := p.SetCustomer(c); err != nil {
			return nil, fmt.Errorf("customer %q: %w", c.ID, err)
		}
		s.profiles[c.ID] = p
		s.ids = append(s.ids, c.ID)
	}
	slices.Sort(s.ids)
	slices.SortStableFunc(events, func(a, b profile.Event) int { return a.Time.Compare(b.Time) })
	s.events = events
	s.planner, err = campaign.New(set, s.log, &campaign.Options{
		Counters: campaign.NewMemoryCounters(), RiskGate: profileGate(s.profiles), Explain: true})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// profileGate is the dry run's stand-in for a bank's risk decisions: it
// refuses credit to customers with an overdue loan repayment or a
// debt-to-income ratio above profile.DefaultMaxDTI. Profiles are only read
// while the planner runs.
type profileGate map[string]*profile.Profile

// AllowCredit implements campaign.RiskGate.
func (g profileGate) AllowCredit(_ context.Context, id string, now time.Time) (bool, error) {
	p := g[id]
	if p == nil {
		return false, fmt.Errorf("unknown customer %q", id)
	}
	fin := p.Financial(now)
	if fin.DTI > profile.DefaultMaxDTI {
		return false, nil
	}
	for _, b := range p.Bills(now) {
		if b.Kind == profile.KindLoanRepayment && b.DaysOverdue > 0 && now.Sub(b.LastDate) < 90*24*time.Hour {
			return false, nil
		}
	}
	return true, nil
}

// apply folds the events up to and including t; it returns the customers
// touched and their events.
func (s *simulation) apply(t time.Time, recent map[string][]profile.Event) error {
	for ; s.pos < len(s.events) && !s.events[s.pos].Time.After(t); s.pos++ {
		e := &s.events[s.pos]
		p := s.profiles[e.CustomerID]
		if p == nil {
			return fmt.Errorf("event %q: unknown customer %q", e.ID, e.CustomerID)
		}
		if err := s.builder.Apply(p, e, t); err != nil {
			return fmt.Errorf("event %q: %w", e.ID, err)
		}
		if recent != nil {
			recent[e.CustomerID] = append(recent[e.CustomerID], *e)
		}
	}
	return nil
}

// assigner fits RFM and tiers on the population at t when it can.
func (s *simulation) assigner(t time.Time) (*segment.Assigner, error) {
	pop := make([]segment.Input, 0, len(s.ids))
	for _, id := range s.ids {
		f, err := segment.NewInput(s.profiles[id], t, nil)
		if err != nil {
			return nil, err
		}
		pop = append(pop, f)
	}
	cfg := segment.Config{}
	if m, err := segment.FitRFM(pop, nil); err == nil {
		cfg.RFM = m
	}
	if m, err := segment.FitTiers(pop, nil); err == nil {
		cfg.Tiers = m
	}
	return segment.New(cfg)
}

func (s *simulation) reassign(a *segment.Assigner, id string, t time.Time, trans []segment.Transition) ([]segment.Transition, error) {
	f, err := segment.NewInput(s.profiles[id], t, nil)
	if err != nil {
		return nil, err
	}
	next, err := a.Assign(&f, t)
	if err != nil {
		return nil, err
	}
	prev := s.assign[id]
	if prev != nil {
		trans, err = segment.DiffTo(trans[:0], prev, &next)
		if err != nil {
			return nil, err
		}
	}
	s.assign[id] = &next
	return trans, nil
}

func (s *simulation) run(ctx context.Context, from, to time.Time) (*report, error) {
	if err := s.apply(from.Add(-time.Nanosecond), nil); err != nil {
		return nil, err
	}
	a, err := s.assigner(from)
	if err != nil {
		return nil, err
	}
	for _, id := range s.ids {
		if _, err := s.reassign(a, id, from, nil); err != nil {
			return nil, err
		}
	}
	rep := newReport(s.set, len(s.ids), from, to)
	seen := make(map[string]bool) // key + reason of suppressions counted
	var trans []segment.Transition
	lastDay := from.UTC().YearDay()
	for t := from; t.Before(to); t = t.Add(time.Hour) {
		recent := make(map[string][]profile.Event)
		if err := s.apply(t, recent); err != nil {
			return nil, err
		}
		everyone := t.UTC().YearDay() != lastDay // once a day, age and time-driven changes
		lastDay = t.UTC().YearDay()
		customers := make([]campaign.Customer, 0, len(s.ids))
		for _, id := range s.ids {
			c := campaign.Customer{Profile: s.profiles[id], Events: recent[id]}
			if everyone || len(recent[id]) > 0 {
				if trans, err = s.reassign(a, id, t, trans); err != nil {
					return nil, err
				}
				c.Transitions = slices.Clone(trans)
				trans = trans[:0]
			}
			c.Assignment = s.assign[id]
			customers = append(customers, c)
		}
		plan, err := s.planner.Run(ctx, t, customers, s.delivery)
		if err != nil {
			return nil, err
		}
		rep.Runs++
		rep.Scheduled += len(plan.Scheduled)
		rep.Failed += len(plan.Failed)
		rep.Retries += plan.Retries
		for _, sp := range plan.Suppressions {
			k := sp.Key() + "/" + sp.Reason.String()
			if !seen[k] {
				seen[k] = true
				rep.Suppressions[sp.Reason.String()]++
			}
		}
	}
	rep.finish(s.delivery.Sends(), s.log.All())
	return rep, nil
}

// report is the dry run's summary.
type report struct {
	CampaignSet string    `json:"campaign_set"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Runs        int       `json:"runs"`
	Customers   int       `json:"customers"`
	Sends       int       `json:"sends"`
	// SendsByCampaign maps campaign ID to channel to messages delivered.
	SendsByCampaign map[string]map[string]int `json:"sends_by_campaign"`
	// Suppressions counts messages held back, by reason code.
	Suppressions map[string]int `json:"suppressions"`
	// MaxPerCustomerDay is the most messages one customer got in one
	// local calendar day; MaxMarketingPerCustomerDay counts marketing only.
	MaxPerCustomerDay          int     `json:"max_per_customer_day"`
	MaxMarketingPerCustomerDay int     `json:"max_marketing_per_customer_day"`
	CustomersReached           int     `json:"customers_reached"`
	Scheduled                  int     `json:"scheduled"`
	Holdouts                   int     `json:"holdouts"`
	Failed                     int     `json:"failed"`
	Retries                    int     `json:"retries"`
	Seconds                    float64 `json:"seconds"`

	sends []campaign.Send
}

func newReport(set *campaign.Set, customers int, from, to time.Time) *report {
	r := &report{CampaignSet: set.Version, From: from, To: to, Customers: customers,
		SendsByCampaign: make(map[string]map[string]int), Suppressions: make(map[string]int)}
	for _, c := range set.Campaigns {
		r.SendsByCampaign[c.ID] = make(map[string]int)
	}
	for _, reason := range campaign.Reasons() {
		r.Suppressions[reason.String()] = 0
	}
	return r
}

func (r *report) finish(sends []campaign.Send, contacts []campaign.Contact) {
	r.sends = sends
	r.Sends = len(sends)
	type dayKey struct {
		customer string
		day      string
	}
	perDay := make(map[dayKey]int)
	perDayMkt := make(map[dayKey]int)
	reached := make(map[string]bool)
	for _, s := range sends {
		m := r.SendsByCampaign[s.CampaignID]
		if m == nil {
			m = make(map[string]int)
			r.SendsByCampaign[s.CampaignID] = m
		}
		m[s.Channel.String()]++
		k := dayKey{s.CustomerID, s.SendAt.Format(time.DateOnly)} // SendAt is in the customer's zone
		perDay[k]++
		if !s.Transactional {
			perDayMkt[k]++
		}
		reached[s.CustomerID] = true
	}
	for _, n := range perDay {
		r.MaxPerCustomerDay = max(r.MaxPerCustomerDay, n)
	}
	for _, n := range perDayMkt {
		r.MaxMarketingPerCustomerDay = max(r.MaxMarketingPerCustomerDay, n)
	}
	r.CustomersReached = len(reached)
	for _, c := range contacts {
		if c.Status == campaign.StatusHoldout {
			r.Holdouts++
		}
	}
}

func (r *report) print(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "campaign set %s: %d customers, %d hourly runs from %s to %s\n",
		r.CampaignSet, r.Customers, r.Runs, r.From.Format(time.RFC3339), r.To.Format(time.RFC3339))
	fmt.Fprintf(bw, "sends %d to %d customers (max %d a customer-day, %d of them marketing); holdout records %d; failed %d\n",
		r.Sends, r.CustomersReached, r.MaxPerCustomerDay, r.MaxMarketingPerCustomerDay, r.Holdouts, r.Failed)
	ids := make([]string, 0, len(r.SendsByCampaign))
	for id := range r.SendsByCampaign {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		fmt.Fprintf(bw, "  %-26s", id)
		chans := make([]string, 0, len(r.SendsByCampaign[id]))
		for ch := range r.SendsByCampaign[id] {
			chans = append(chans, ch)
		}
		slices.Sort(chans)
		for _, ch := range chans {
			fmt.Fprintf(bw, " %s=%d", ch, r.SendsByCampaign[id][ch])
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprint(bw, "suppressions:")
	for _, reason := range campaign.Reasons() {
		fmt.Fprintf(bw, " %s=%d", reason, r.Suppressions[reason.String()])
	}
	fmt.Fprintf(bw, "\ntook %.1fs\n", r.Seconds)
	return bw.Flush()
}

func writeSends(path string, sends []campaign.Send) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	if err := w.Write([]string{"idempotency_key", "customer_id", "campaign_id", "offer", "channel", "send_time"}); err != nil {
		return err
	}
	sorted := slices.Clone(sends)
	slices.SortStableFunc(sorted, func(a, b campaign.Send) int {
		if c := a.SendAt.Compare(b.SendAt); c != 0 {
			return c
		}
		return cmp.Compare(a.CustomerID, b.CustomerID)
	})
	for _, s := range sorted {
		rec := []string{s.Key, s.CustomerID, s.CampaignID, s.OfferID, s.Channel.String(), s.SendAt.Format(time.RFC3339)}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
