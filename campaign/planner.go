package campaign

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

// Options configures a Planner. The zero value (or nil) is the default for
// every field.
type Options struct {
	// Propensity estimates response probabilities for arbitration; nil
	// means OfferPropensity.
	Propensity Propensity
	// Busy tells when a customer is in an urgent journey; nil means
	// ActivityBusy with Policy.BusyWindow.
	Busy Busy
	// RiskGate is asked before every credit offer; nil means credit
	// offers are not gated. Wire your risk decisions in here.
	RiskGate RiskGate
	// Counters keep channel capacities and campaign budgets across
	// customers and planners. Required when the set has a capacity or a
	// budget; otherwise unused.
	Counters Counters
	// Workers is the number of goroutines planning customers; zero means
	// GOMAXPROCS.
	Workers int
	// Explain keeps every suppression in Plan.Suppressions; otherwise only
	// their counts (Plan.Suppressed) are kept.
	Explain bool
	// MaxRetries is how many times Run re-plans a customer whose commit
	// lost a race with another planner; zero means 5.
	MaxRetries int
}

// Planner plans and delivers campaign messages: for each customer it
// selects the campaigns whose audience and trigger match, applies the
// contact policy, arbitrates the candidates by priority, picks a send time,
// and (Run) commits the choices to the ContactLog and hands due messages to
// a Delivery. A Planner is immutable and safe for concurrent use.
type Planner struct {
	cs          *compiledSet
	log         ContactLog
	prop        Propensity
	busy        Busy
	gate        RiskGate
	counters    Counters
	workers     int
	explain     bool
	retries     int
	maxCooldown int64
}

// New returns a Planner for the campaign set, reading and writing contact
// history through log. The set is validated (see Set.Validate) and copied;
// later changes to it do not affect the Planner.
func New(set *Set, log ContactLog, opts *Options) (*Planner, error) {
	cs, err := compileSet(set)
	if err != nil {
		return nil, err
	}
	if log == nil {
		return nil, fieldErr("log", ErrMissing)
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Workers < 0 {
		return nil, fieldErr("Options.Workers", ErrNegative)
	}
	if o.MaxRetries < 0 {
		return nil, fieldErr("Options.MaxRetries", ErrNegative)
	}
	p := &Planner{cs: cs, log: log, prop: o.Propensity, busy: o.Busy, gate: o.RiskGate,
		counters: o.Counters, workers: o.Workers, explain: o.Explain, retries: o.MaxRetries}
	if p.prop == nil {
		p.prop = OfferPropensity{}
	}
	if p.busy == nil {
		p.busy = ActivityBusy{Window: cs.busy}
	}
	if p.workers == 0 {
		p.workers = runtime.GOMAXPROCS(0)
	}
	if p.retries == 0 {
		p.retries = 5
	}
	needCounters := false
	for _, n := range cs.capacity {
		needCounters = needCounters || n >= 0
	}
	for i := range cs.campaigns {
		needCounters = needCounters || cs.campaigns[i].budget != 0
		p.maxCooldown = max(p.maxCooldown, cs.campaigns[i].cooldown)
	}
	if needCounters && p.counters == nil {
		return nil, fieldErr("Options.Counters", ErrMissing)
	}
	return p, nil
}

// Version returns the campaign set's version, stamped on every choice.
func (p *Planner) Version() string { return p.cs.set.Version }

// Plan is the outcome of one planning run.
type Plan struct {
	// Now is the planning time; SetVersion the campaign set's version.
	Now        time.Time
	SetVersion string // the campaign set's version
	// Sends are the messages to deliver now: new messages and scheduled
	// ones released (Send.Released), ordered by customer (input order);
	// a customer's released messages come first, then the new ones in
	// priority order.
	Sends []Send
	// Scheduled are new messages held for a later run: quiet hours, a
	// busy customer, or a better send time later (Send.SendAt).
	Scheduled []Send
	// Holdouts are messages not sent because the customer is in the
	// campaign's holdout or the global control group; they are recorded
	// for measurement.
	Holdouts []Send
	// Cancelled are previously scheduled messages dropped at release
	// (Contact.Reason says why).
	Cancelled []Contact
	// Suppressed counts suppressions by Reason: messages not sent
	// (cap, consent, cooldown, fatigue, capacity, risk_gate, holdout) and
	// messages held for later (quiet_hours, busy).
	Suppressed [NumReasons]int
	// Suppressions lists them when Options.Explain is set.
	Suppressions []Suppression
	// Failed are messages whose Delivery returned an error (Run only).
	Failed []Send
	// Retries counts customers Run re-planned after losing a race.
	Retries int
	// Skipped are the customers Run gave up on after Options.MaxRetries
	// lost races; nothing was written or sent for them.
	Skipped []string

	commits []*commit
}

// commit is one customer's writes and deliveries.
type commit struct {
	idx        int
	customerID string
	version    uint64
	inserts    []Contact
	updates    []Contact
	sends      []Send // deliver after the commit
	scheduled  []Send
	holdouts   []Send
	cancelled  []Contact
	supp       []Suppression
	counts     [NumReasons]int
	uses       []counterUse
}

// counterUse is one unit taken from a shared counter.
type counterUse struct {
	key   string
	limit int64
}

// Plan decides, without writing anything, what to send to each customer
// at now: it reads each customer's history from the ContactLog, releases
// held messages that are due, evaluates the campaigns active at now, and
// arbitrates. Customers are planned in parallel; the result is the same
// whatever the number of workers. Run commits and delivers a plan.
//
// Bad input (a customer without a profile or ID, a zero now) is a
// *FieldError; an error from a caller's interface is a *CallerError; an
// audience expression failing at run time is a *FieldError naming the
// campaign. On error the plan is nil.
func (p *Planner) Plan(ctx context.Context, now time.Time, customers []Customer) (*Plan, error) {
	if now.IsZero() {
		return nil, fieldErr("now", ErrMissing)
	}
	for i := range customers {
		if customers[i].Profile == nil {
			return nil, fieldErr(fmt.Sprintf("customers[%d].Profile", i), ErrMissing)
		}
		if customers[i].Profile.CustomerID() == "" {
			return nil, fieldErr(fmt.Sprintf("customers[%d].Profile.CustomerID", i), ErrMissing)
		}
	}
	run := p.newRun(now, false)
	commits, err := run.planAll(ctx, customers)
	if err != nil {
		return nil, err
	}
	return p.assemble(now, commits), nil
}

// runState is what one planning run shares between its workers.
type runState struct {
	p      *Planner
	now    time.Time
	unix   int64
	since  time.Time
	active []int                // indexes of the campaigns whose window contains now
	need   profile.FeatureGroup // Features groups the active audiences read
	full   bool                 // read the whole history (re-plans)
	// Capacity counter keys of the days a message may be sent on.
	bank    zone
	keyDay0 int64
	capKeys [NumChannels][]string
}

func (p *Planner) newRun(now time.Time, full bool) *runState {
	r := &runState{p: p, now: now, unix: now.Unix(), full: full}
	since := r.unix - int64(p.cs.lookback/time.Second) - p.maxCooldown
	for i := range p.cs.campaigns {
		cc := &p.cs.campaigns[i]
		if cc.start <= r.unix && r.unix < cc.end {
			r.active = append(r.active, i)
			if cc.expr != nil {
				r.need |= cc.need
			}
			if cc.maxPer > 0 {
				since = min(since, cc.start)
			}
		}
	}
	if !full {
		r.since = time.Unix(since, 0)
	}
	r.bank = newZone(p.cs.loc, now)
	r.keyDay0 = r.bank.day(r.unix) - 1
	for ch, n := range p.cs.capacity {
		if n < 0 {
			continue
		}
		for d := range int64(searchDays + 3) {
			r.capKeys[ch] = append(r.capKeys[ch], capacityKeyOf(Channel(ch), r.keyDay0+d))
		}
	}
	return r
}

// chunkSize is how many customers a worker takes at a time.
const chunkSize = 256

func (r *runState) planAll(ctx context.Context, customers []Customer) ([]*commit, error) {
	nChunks := (len(customers) + chunkSize - 1) / chunkSize
	outs := make([][]*commit, nChunks)
	var parkedMu sync.Mutex
	var parked []*walker
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var failed atomic.Bool
	var wg sync.WaitGroup
	workers := max(1, min(r.p.workers, nChunks))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(r)
			var hint arenaMark // sizes of the previous chunk's arena
			for !failed.Load() {
				ci := int(next.Add(1) - 1)
				if ci >= nChunks {
					return
				}
				if err := ctx.Err(); err != nil {
					errOnce.Do(func() { firstErr = err })
					failed.Store(true)
					return
				}
				lo, hi := ci*chunkSize, min((ci+1)*chunkSize, len(customers))
				a := newArena(hint)
				var park []*walker
				for i := lo; i < hi; i++ {
					pw, err := w.customer(ctx, i, &customers[i], a)
					if err != nil {
						errOnce.Do(func() { firstErr = err })
						failed.Store(true)
						return
					}
					if pw != nil {
						park = append(park, pw)
					}
				}
				hint = a.mark()
				outs[ci] = a.done()
				if park != nil {
					parkedMu.Lock()
					parked = append(parked, park...)
					parkedMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	n := 0
	for _, o := range outs {
		n += len(o)
	}
	all := make([]*commit, 0, n+len(parked))
	for _, o := range outs {
		all = append(all, o...)
	}
	if len(parked) > 0 {
		done, err := r.allocate(ctx, parked)
		if err != nil {
			return nil, err
		}
		all = append(all, done...)
		slices.SortFunc(all, func(a, b *commit) int { return cmp.Compare(a.idx, b.idx) })
	}
	return all, nil
}

// assemble flattens the customers' commits into a Plan.
func (p *Planner) assemble(now time.Time, commits []*commit) *Plan {
	pl := &Plan{Now: now, SetVersion: p.cs.set.Version, commits: commits}
	var ns, nsch, nh, nc, nsup int
	for _, c := range commits {
		ns, nsch, nh, nc, nsup = ns+len(c.sends), nsch+len(c.scheduled), nh+len(c.holdouts), nc+len(c.cancelled), nsup+len(c.supp)
	}
	pl.Sends, pl.Scheduled, pl.Holdouts = make([]Send, 0, ns), make([]Send, 0, nsch), make([]Send, 0, nh)
	pl.Cancelled, pl.Suppressions = make([]Contact, 0, nc), make([]Suppression, 0, nsup)
	for _, c := range commits {
		pl.Sends = append(pl.Sends, c.sends...)
		pl.Scheduled = append(pl.Scheduled, c.scheduled...)
		pl.Holdouts = append(pl.Holdouts, c.holdouts...)
		pl.Cancelled = append(pl.Cancelled, c.cancelled...)
		pl.Suppressions = append(pl.Suppressions, c.supp...)
		for i, n := range c.counts {
			pl.Suppressed[i] += n
		}
	}
	return pl
}

// worker holds one goroutine's reusable buffers.
type worker struct {
	r  *runState
	wk walker
}

func newWorker(r *runState) *worker { return &worker{r: r} }

// occ is one occurrence of a campaign for the customer being planned.
type occ struct {
	cc        *compiled
	o         Occurrence
	key       string // computed on demand
	sendAt    int64  // 0 when no send time was found
	held      Reason
	static    Reason // first static stop (no candidate survived)
	dynamic   Reason // first stop met in the walk
	stopOffer int16
	stopChan  Channel
	ncand     int
	done      bool  // a message (or holdout) was chosen
	bill      int   // index into walker.bills, -1 when none
	rank      int16 // position in the customer's arbitration order, 1 first
}

// cand is one candidate action of arbitration.
type cand struct {
	occ   int32
	offer int16
	chPos int8
	ch    Channel
	prio  Priority
}

// walker is the planning state of one customer. Phase one of planning
// walks the candidates in priority order until it meets one that needs
// shared capacity; such a walker is parked and finished by allocate.
type walker struct {
	r        *runState
	idx      int
	c        *Customer
	id       string
	z        zone
	now      int64
	version  uint64
	consent  profile.Consent
	hasCust  bool
	hist     []Contact // history, with this run's updates and inserts applied
	occs     []occ
	cands    []cand
	pos      int
	decs     []decision
	slots    int
	control  bool
	busyTill int64
	busyDone bool
	gateDone bool
	gateOK   bool
	bills    []profile.Stream
	billDone bool
	camps    []uint64 // bitset of campaigns present in history
	tie      float64  // tie-break among parked walkers
	sc       *scratch // the worker's; nil once parked (the walk does not need it)

	a      *arena    // where outputs go
	start  arenaMark // a's lengths when the customer started
	counts [NumReasons]int
}

// scratch is what building a customer's candidates needs and the walk
// does not: kept apart so that parked walkers stay small.
type scratch struct {
	hours    [hoursPerWeek]float64
	hasHours int8 // 0 unknown, 1 yes, -1 no activity
	env      Env
	envDone  bool    // segment fields and Features set
	times    []int64 // for fatigue
	stCache  [8]sendTimeCache
	nst      int
}

type sendTimeCache struct {
	mask int
	best bool
	t    int64
}

// customer plans one customer, adding its commit to a; a customer waiting
// for shared capacity is returned as a parked walker instead.
func (w *worker) customer(ctx context.Context, idx int, c *Customer, a *arena) (*walker, error) {
	wk := &w.wk
	r := w.r
	wk.reset(r, idx, c, a)
	var err error
	wk.hist, wk.version, err = r.p.log.Contacts(ctx, wk.id, r.since, wk.hist[:0])
	if err != nil {
		return nil, &CallerError{Op: "ContactLog.Contacts", CustomerID: wk.id, Err: err}
	}
	if err := wk.plan(ctx); err != nil {
		return nil, err
	}
	if wk.pos < len(wk.cands) {
		return wk.clone(), nil
	}
	wk.finish()
	return nil, nil
}

func (wk *walker) reset(r *runState, idx int, c *Customer, a *arena) {
	sc := wk.sc
	if sc == nil {
		sc = new(scratch)
	}
	sc.hasHours, sc.envDone, sc.nst = 0, false, 0
	sc.times = sc.times[:0]
	*wk = walker{
		r: r, idx: idx, c: c, id: c.Profile.CustomerID(), now: r.unix,
		hist: wk.hist[:0], occs: wk.occs[:0], cands: wk.cands[:0], decs: wk.decs[:0],
		camps: wk.camps[:0], bills: nil, slots: r.p.cs.actions, sc: sc,
	}
	wk.a, wk.start = a, a.mark()
	wk.z = newZone(c.Profile.Location(), r.now)
	if cu, ok := c.Profile.Customer(); ok {
		wk.consent, wk.hasCust = cu.Consent, true
	}
	wk.control = r.p.cs.set.Policy.GlobalControl > 0 &&
		InGlobalControl(r.p.cs.set.Policy.HoldoutSeed, wk.id, r.p.cs.set.Policy.GlobalControl)
}

// clone returns a copy of wk that shares no buffers with it, for parking;
// the customer's outputs so far move from the chunk's arena to the copy's
// own.
func (wk *walker) clone() *walker {
	c := *wk
	c.hist = slices.Clone(wk.hist)
	c.occs = slices.Clone(wk.occs)
	c.cands = slices.Clone(wk.cands[wk.pos:])
	c.pos = 0
	c.decs = slices.Clone(wk.decs)
	c.camps = slices.Clone(wk.camps)
	c.sc = nil
	c.a = wk.a.cut(wk.start)
	c.start = arenaMark{}
	return &c
}

// finish materializes the decisions, emits the suppressions of unchosen
// occurrences and adds the customer's commit to its arena, unless there is
// nothing to write or report.
func (wk *walker) finish() {
	wk.materialize()
	for i := range wk.occs {
		o := &wk.occs[i]
		if o.done {
			continue
		}
		reason := o.dynamic
		if reason == 0 && o.ncand == 0 {
			reason = o.static
		}
		if reason != 0 {
			wk.suppress(o, reason, int(o.stopOffer), o.stopChan, 0)
		}
	}
	wk.a.add(wk)
}

// arena collects the outputs of a group of customers in a few large
// slices, which walkers append to directly, so that planning a customer
// allocates almost nothing; each commit's slices point into them.
type arena struct {
	commits   []commit
	marks     [][2]arenaMark
	inserts   []Contact
	updates   []Contact
	cancelled []Contact
	sends     []Send
	scheduled []Send
	holdouts  []Send
	supp      []Suppression
	uses      []counterUse
}

// newArena returns an arena with room for the sizes of hint plus a
// quarter, so that a chunk like the previous one does not regrow.
func newArena(hint arenaMark) *arena {
	c := func(i int) int { return hint[i] + hint[i]/4 }
	return &arena{
		commits: make([]commit, 0, chunkSize), marks: make([][2]arenaMark, 0, chunkSize),
		inserts: make([]Contact, 0, c(0)), updates: make([]Contact, 0, c(1)), cancelled: make([]Contact, 0, c(2)),
		sends: make([]Send, 0, c(3)), scheduled: make([]Send, 0, c(4)), holdouts: make([]Send, 0, c(5)),
		supp: make([]Suppression, 0, c(6)), uses: make([]counterUse, 0, c(7)),
	}
}

// arenaMark is the length of each of an arena's slices.
type arenaMark [8]int

func (a *arena) mark() arenaMark {
	return arenaMark{len(a.inserts), len(a.updates), len(a.cancelled), len(a.sends), len(a.scheduled),
		len(a.holdouts), len(a.supp), len(a.uses)}
}

// cut moves everything appended since m into a new arena and truncates a
// back to m.
func (a *arena) cut(m arenaMark) *arena {
	b := &arena{
		inserts: slices.Clone(a.inserts[m[0]:]), updates: slices.Clone(a.updates[m[1]:]),
		cancelled: slices.Clone(a.cancelled[m[2]:]), sends: slices.Clone(a.sends[m[3]:]),
		scheduled: slices.Clone(a.scheduled[m[4]:]), holdouts: slices.Clone(a.holdouts[m[5]:]),
		supp: slices.Clone(a.supp[m[6]:]), uses: slices.Clone(a.uses[m[7]:]),
	}
	clear(a.inserts[m[0]:])
	clear(a.updates[m[1]:])
	clear(a.cancelled[m[2]:])
	clear(a.sends[m[3]:])
	clear(a.scheduled[m[4]:])
	clear(a.holdouts[m[5]:])
	clear(a.supp[m[6]:])
	clear(a.uses[m[7]:])
	a.inserts, a.updates, a.cancelled = a.inserts[:m[0]], a.updates[:m[1]], a.cancelled[:m[2]]
	a.sends, a.scheduled, a.holdouts = a.sends[:m[3]], a.scheduled[:m[4]], a.holdouts[:m[5]]
	a.supp, a.uses = a.supp[:m[6]], a.uses[:m[7]]
	return b
}

// add records wk's commit: what it appended since its start mark, unless
// that is nothing.
func (a *arena) add(wk *walker) {
	end := a.mark()
	if end == wk.start && wk.counts == [NumReasons]int{} {
		return
	}
	a.commits = append(a.commits, commit{idx: wk.idx, customerID: wk.id, version: wk.version, counts: wk.counts})
	a.marks = append(a.marks, [2]arenaMark{wk.start, end})
}

// done returns the commits, their slices pointing into the arena.
func (a *arena) done() []*commit {
	out := make([]*commit, len(a.commits))
	for i := range a.commits {
		c, m := &a.commits[i], a.marks[i]
		lo, hi := m[0], m[1]
		c.inserts = a.inserts[lo[0]:hi[0]:hi[0]]
		c.updates = a.updates[lo[1]:hi[1]:hi[1]]
		c.cancelled = a.cancelled[lo[2]:hi[2]:hi[2]]
		c.sends = a.sends[lo[3]:hi[3]:hi[3]]
		c.scheduled = a.scheduled[lo[4]:hi[4]:hi[4]]
		c.holdouts = a.holdouts[lo[5]:hi[5]:hi[5]]
		c.supp = a.supp[lo[6]:hi[6]:hi[6]]
		c.uses = a.uses[lo[7]:hi[7]:hi[7]]
		out[i] = c
	}
	return out
}

func (wk *walker) suppress(o *occ, reason Reason, offer int, ch Channel, until int64) {
	wk.counts[reason]++
	if !wk.r.p.explain {
		return
	}
	s := Suppression{CustomerID: wk.id, CampaignID: o.cc.c.ID, Channel: ch, Reason: reason, Occurrence: o.o}
	if offer >= 0 && offer < len(o.cc.offers) {
		s.OfferID = o.cc.offers[offer].o.ID
	}
	if until != 0 {
		s.Until = time.Unix(until, 0).In(wk.z.loc)
	}
	wk.a.supp = append(wk.a.supp, s)
}

// plan releases due messages, builds and ranks the candidates, and walks
// them until done or parked.
func (wk *walker) plan(ctx context.Context) error {
	cs := wk.r.p.cs
	// Which campaigns has the customer heard from?
	for i := range wk.hist {
		if ci, ok := cs.byID[wk.hist[i].CampaignID]; ok {
			for len(wk.camps) <= ci/64 {
				wk.camps = append(wk.camps, 0)
			}
			wk.camps[ci/64] |= 1 << (ci % 64)
		}
	}
	if err := wk.release(ctx); err != nil {
		return err
	}
	for _, ci := range wk.r.active {
		if err := wk.addCampaign(ctx, &cs.campaigns[ci]); err != nil {
			return err
		}
	}
	slices.SortFunc(wk.cands, func(a, b cand) int {
		if c := cmp.Compare(b.prio.Value, a.prio.Value); c != 0 {
			return c
		}
		oa, ob := &wk.occs[a.occ], &wk.occs[b.occ]
		if c := cmp.Compare(oa.cc.idx, ob.cc.idx); c != 0 {
			return c
		}
		if c := cmp.Compare(a.occ, b.occ); c != 0 {
			return c
		}
		if c := cmp.Compare(a.offer, b.offer); c != 0 {
			return c
		}
		return cmp.Compare(a.chPos, b.chPos)
	})
	rank := int16(0)
	for i := range wk.cands {
		if o := &wk.occs[wk.cands[i].occ]; o.rank == 0 {
			rank++
			o.rank = rank
		}
	}
	wk.walk()
	return nil
}

func (wk *walker) heard(ci int) bool {
	return ci/64 < len(wk.camps) && wk.camps[ci/64]&(1<<(ci%64)) != 0
}

// seen reports whether the history holds the occurrence's key.
func (wk *walker) seen(o *occ) bool {
	if !wk.heard(o.cc.idx) {
		return false
	}
	if o.key == "" {
		o.key = Key(o.cc.c.ID, wk.id, o.o)
	}
	for i := range wk.hist {
		if wk.hist[i].Key == o.key {
			return true
		}
	}
	return false
}

func (wk *walker) busyUntil(ctx context.Context) (int64, error) {
	if !wk.busyDone {
		t, err := wk.r.p.busy.BusyUntil(ctx, wk.c, wk.r.now)
		if err != nil {
			return 0, &CallerError{Op: "Busy.BusyUntil", CustomerID: wk.id, Err: err}
		}
		wk.busyDone = true
		if !t.IsZero() && t.Unix() > wk.now {
			wk.busyTill = t.Unix()
		}
	}
	return wk.busyTill, nil
}

func (wk *walker) consented(ch Channel) bool {
	if wk.c.OptOut.Has(ch) {
		return false
	}
	switch ch {
	case ChannelPush:
		return wk.hasCust && wk.consent.Push
	case ChannelSMS:
		return wk.hasCust && wk.consent.SMS
	case ChannelEmail:
		return wk.hasCust && wk.consent.Email
	case ChannelPhone:
		return wk.c.Consent.Has(ch)
	case ChannelInApp, ChannelAgent:
		return !wk.r.p.cs.set.Policy.RequireConsent.Has(ch) || wk.c.Consent.Has(ch)
	}
	return false
}

// creditFamily is the offer family the risk gate guards.
const creditFamily = "credit"

// release handles the customer's scheduled messages that are due: send
// now, hold again (quiet hours, busy) or cancel (consent withdrawn, the
// risk gate refusing a credit offer, the day's cap reached).
func (wk *walker) release(ctx context.Context) error {
	cs := wk.r.p.cs
	var due []int
	for i := range wk.hist {
		h := &wk.hist[i]
		if h.Status == StatusScheduled && h.SendAt.Unix() <= wk.now {
			due = append(due, i)
		}
	}
	if len(due) == 0 {
		return nil
	}
	slices.SortFunc(due, func(a, b int) int {
		ha, hb := &wk.hist[a], &wk.hist[b]
		if c := ha.SendAt.Compare(hb.SendAt); c != 0 {
			return c
		}
		return cmp.Compare(ha.Key, hb.Key)
	})
	busy, err := wk.busyUntil(ctx)
	if err != nil {
		return err
	}
	for _, i := range due {
		h := &wk.hist[i]
		mask := &cs.masks[0]
		if ci, ok := cs.byID[h.CampaignID]; ok {
			mask = &cs.masks[cs.campaigns[ci].mask]
		}
		o := occ{o: h.Occurrence, cc: wk.ccFor(h.CampaignID)}
		upd := *h
		refused := false
		if h.Family == creditFamily && wk.r.p.gate != nil {
			ok, err := wk.allowCredit(ctx)
			if err != nil {
				return err
			}
			refused = !ok
		}
		switch {
		case !wk.consented(h.Channel):
			upd.Status, upd.Reason = StatusCancelled, ReasonConsent
		case refused:
			upd.Status, upd.Reason = StatusCancelled, ReasonRiskGate
		case busy > wk.now || !mask.has(wk.z.minuteOfWeek(wk.now)):
			reason := ReasonQuietHours
			start := wk.now
			if busy > wk.now && mask.has(wk.z.minuteOfWeek(wk.now)) {
				reason, start = ReasonBusy, busy
			}
			t := wk.sendTime(mask, false, start)
			if t == 0 {
				upd.Status, upd.Reason = StatusCancelled, ReasonQuietHours
				break
			}
			upd.SendAt, upd.Reason = time.Unix(t, 0).UTC(), reason
		default:
			// Sending today instead of the day it was booked for must
			// still respect that day's caps.
			if wk.z.day(h.SendAt.Unix()) != wk.z.day(wk.now) && !wk.capsOK(h.Transactional, h.Channel, wk.now, i) {
				upd.Status, upd.Reason = StatusCancelled, ReasonCap
				break
			}
			upd.Status, upd.Reason, upd.SendAt = StatusSent, 0, time.Unix(wk.now, 0).UTC()
		}
		*h = upd
		wk.a.updates = append(wk.a.updates, upd)
		switch upd.Status {
		case StatusSent:
			wk.a.sends = append(wk.a.sends, wk.sendOf(&upd, true))
		case StatusCancelled:
			wk.a.cancelled = append(wk.a.cancelled, upd)
			if o.cc != nil {
				wk.suppress(&o, upd.Reason, -1, upd.Channel, 0)
			} else {
				wk.counts[upd.Reason]++
			}
		case StatusScheduled:
			if o.cc != nil {
				wk.suppress(&o, upd.Reason, -1, upd.Channel, upd.SendAt.Unix())
			} else {
				wk.counts[upd.Reason]++
			}
		}
	}
	return nil
}

func (wk *walker) ccFor(id string) *compiled {
	if ci, ok := wk.r.p.cs.byID[id]; ok {
		return &wk.r.p.cs.campaigns[ci]
	}
	return nil
}

// sendOf rebuilds the Send of a stored contact.
func (wk *walker) sendOf(c *Contact, released bool) Send {
	s := Send{
		Key: c.Key, CustomerID: c.CustomerID, CampaignID: c.CampaignID, OfferID: c.OfferID,
		Family: c.Family, Channel: c.Channel, Transactional: c.Transactional,
		SendAt: c.SendAt.In(wk.z.loc), DecidedAt: c.DecidedAt.In(wk.z.loc), Agent: c.Agent,
		Occurrence: c.Occurrence, Priority: Priority{Value: c.Priority}, Released: released,
		Reasons: slices.Clone(c.Reasons), SetVersion: c.SetVersion,
	}
	if c.Bill != nil {
		b := *c.Bill
		b.Due = b.Due.In(wk.z.loc)
		s.Bill = &b
	}
	return s
}

// matches reports whether the customer is in the campaign's audience.
func (wk *walker) matches(cc *compiled) (bool, error) {
	a := wk.c.Assignment
	if len(cc.segAny) > 0 || len(cc.stages) > 0 || len(cc.tiers) > 0 || len(cc.families) > 0 {
		if a == nil {
			return false, nil
		}
	}
	if len(cc.segAny) > 0 {
		ok := false
		for _, s := range cc.segAny {
			if a.In(s) {
				ok = true
				break
			}
		}
		if !ok {
			return false, nil
		}
	}
	if a != nil {
		for _, s := range cc.segNone {
			if a.In(s) {
				return false, nil
			}
		}
	}
	if len(cc.stages) > 0 && !slices.Contains(cc.stages, a.Stage) {
		return false, nil
	}
	if len(cc.tiers) > 0 && !slices.Contains(cc.tiers, a.Tier) {
		return false, nil
	}
	if len(cc.families) > 0 && !slices.Contains(cc.families, a.Family) {
		return false, nil
	}
	if cc.c.Audience.Predicate != nil && !cc.c.Audience.Predicate(wk.c) {
		return false, nil
	}
	if cc.expr != nil {
		sc := wk.sc
		if !sc.envDone {
			// Once per customer: the groups every active expression reads.
			sc.env.fillSegments(wk.c)
			wk.c.Profile.FeaturesInto(&sc.env.Profile, wk.r.now, wk.r.need)
			sc.envDone = true
		}
		ok, err := cc.expr.Eval(&sc.env)
		if err != nil {
			return false, &FieldError{Field: fmt.Sprintf("campaign %q: audience.expression (customer %q)", cc.c.ID, wk.id), Err: ErrInvalid}
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// addCampaign adds the campaign's occurrences and candidates.
func (wk *walker) addCampaign(ctx context.Context, cc *compiled) error {
	ok, err := wk.matches(cc)
	if err != nil || !ok {
		return err
	}
	first := len(wk.occs)
	wk.occurrences(cc)
	for oi := first; oi < len(wk.occs); oi++ {
		if err := wk.addOccurrence(ctx, oi); err != nil {
			return err
		}
	}
	return nil
}

// occurrences appends the campaign's occurrences at now.
func (wk *walker) occurrences(cc *compiled) {
	add := func(o Occurrence, bill int) {
		wk.occs = append(wk.occs, occ{cc: cc, o: o, bill: bill, stopOffer: -1})
	}
	switch cc.c.Trigger.Type {
	case TriggerNone:
		o := Occurrence{}
		day := wk.z.day(wk.now)
		switch cc.c.Recurrence {
		case RecurrenceDaily:
			o.Period = day
		case RecurrenceWeekly:
			o.Period = weekOf(day)
		case RecurrenceMonthly:
			o.Period = monthOf(day)
		}
		add(o, -1)
	case TriggerSegment:
		for i := range wk.c.Transitions {
			t := &wk.c.Transitions[i]
			if t.Segment == cc.segTrigger && t.Kind == cc.segKind {
				add(Occurrence{Trigger: TriggerSegment, Period: t.At.Unix(), Ref: t.Kind.String() + ":" + t.Segment}, -1)
			}
		}
	case TriggerBillDue:
		if !wk.billDone {
			wk.bills = wk.c.Profile.Bills(wk.r.now)
			wk.billDone = true
		}
		today := wk.z.day(wk.now)
		for i := range wk.bills {
			b := &wk.bills[i]
			if !cc.billKinds[b.Kind] || b.Status == profile.StatusStopped || b.NextDate.IsZero() || b.DaysOverdue > 0 {
				continue
			}
			due := wk.z.day(b.NextDate.Unix())
			if today >= due-cc.leadDays && today <= due {
				add(Occurrence{Trigger: TriggerBillDue, Period: due, Ref: b.Counterparty}, i)
			}
		}
	case TriggerEvent:
		m := cc.event
		for i := range wk.c.Events {
			e := &wk.c.Events[i]
			if e.CustomerID != wk.id && e.CustomerID != "" {
				continue
			}
			if m.typ != 0 && e.Type != m.typ || m.kind != 0 && e.Kind != m.kind ||
				m.feature != "" && e.Feature != m.feature || m.counterparty != "" && e.Counterparty != m.counterparty ||
				m.hasMin && e.Amount.LessThan(m.min) {
				continue
			}
			add(Occurrence{Trigger: TriggerEvent, Ref: e.ID}, -1)
		}
	}
}

// addOccurrence applies the static checks of the contact policy to one
// occurrence and adds its candidates.
func (wk *walker) addOccurrence(ctx context.Context, oi int) error {
	o := &wk.occs[oi]
	cc := o.cc
	if wk.seen(o) {
		o.done = true // already sent, scheduled, held out or cancelled
		return nil
	}
	// Send time: the allowed time, after any busy journey.
	busy, err := wk.busyUntil(ctx)
	if err != nil {
		return err
	}
	start := max(wk.now, busy)
	mask := &wk.r.p.cs.masks[cc.mask]
	o.sendAt = wk.cachedSendTime(cc.mask, cc.best, start)
	if o.sendAt == 0 || o.sendAt >= cc.end {
		o.static = ReasonQuietHours
		return nil
	}
	if o.sendAt > wk.now {
		switch {
		case !mask.has(wk.z.minuteOfWeek(wk.now)):
			o.held = ReasonQuietHours
		case busy > wk.now:
			o.held = ReasonBusy
		}
	}
	if r := wk.campaignLimit(o); r != 0 {
		o.static = r
		return nil
	}
	triggered := cc.c.Trigger.Type != TriggerNone
	for fi := range cc.offers {
		co := &cc.offers[fi]
		if co.credit && wk.r.p.gate != nil {
			ok, err := wk.allowCredit(ctx)
			if err != nil {
				return err
			}
			if !ok {
				o.setStatic(ReasonRiskGate, fi, 0)
				continue
			}
		}
		if !cc.c.Transactional && wk.fatigued(co.o.ID) {
			o.setStatic(ReasonFatigue, fi, 0)
			continue
		}
		for pos, ch := range cc.c.Channels {
			if !wk.consented(ch) {
				o.setStatic(ReasonConsent, fi, ch)
				continue
			}
			pr, err := wk.r.p.prop.Propensity(ctx, wk.c, Action{Campaign: cc.c, Offer: co.o, Channel: ch}, wk.r.now)
			if err != nil {
				return &CallerError{Op: "Propensity.Propensity", CustomerID: wk.id, Err: err}
			}
			if math.IsNaN(pr) || pr < 0 || pr > 1 {
				return &CallerError{Op: "Propensity.Propensity", CustomerID: wk.id, Err: fmt.Errorf("%w: propensity outside [0, 1]", ErrInvalid)}
			}
			ctxw := 1.0
			if triggered {
				ctxw += wk.r.p.cs.arb.Triggered
			}
			if co.family != segment.FamilyNone && wk.c.Assignment != nil && wk.c.Assignment.Family == co.family {
				ctxw += wk.r.p.cs.arb.FamilyMatch
			}
			prio := Priority{Propensity: pr, Context: ctxw, Worth: co.worth, Lever: cc.lever}
			prio.Value = pr * ctxw * co.worth * cc.lever
			wk.cands = append(wk.cands, cand{occ: int32(oi), offer: int16(fi), chPos: int8(pos), ch: ch, prio: prio})
			o.ncand++
		}
	}
	return nil
}

// campaignLimit returns ReasonCooldown when the campaign reached the
// customer within its cooldown of the occurrence's send time, ReasonCap
// when it reached its maximum per customer, and 0 otherwise.
func (wk *walker) campaignLimit(o *occ) Reason {
	cc := o.cc
	if !wk.heard(cc.idx) && len(wk.decs) == 0 {
		return 0
	}
	n := 0
	for i := range wk.hist {
		h := &wk.hist[i]
		if h.CampaignID != cc.c.ID || !h.counts() {
			continue
		}
		n++
		if cc.cooldown > 0 && absDiff(h.SendAt.Unix(), o.sendAt) < cc.cooldown {
			return ReasonCooldown
		}
	}
	if cc.maxPer > 0 && n >= cc.maxPer {
		return ReasonCap
	}
	return 0
}

func (o *occ) setStatic(r Reason, offer int, ch Channel) {
	if o.static == 0 {
		o.static, o.stopOffer, o.stopChan = r, int16(offer), ch
	}
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}

func (wk *walker) allowCredit(ctx context.Context) (bool, error) {
	if !wk.gateDone {
		ok, err := wk.r.p.gate.AllowCredit(ctx, wk.id, wk.r.now)
		if err != nil {
			return false, &CallerError{Op: "RiskGate.AllowCredit", CustomerID: wk.id, Err: err}
		}
		wk.gateDone, wk.gateOK = true, ok
	}
	return wk.gateOK, nil
}

// fatigued reports whether the offer is paused: ignored Ignores times
// within Within, and now is less than Pause after the last of them.
func (wk *walker) fatigued(offerID string) bool {
	f := &wk.r.p.cs.fatigue
	if f.Ignores <= 0 {
		return false
	}
	rw := int64(time.Duration(f.ResponseWindow) / time.Second)
	sc := wk.sc
	sc.times = sc.times[:0]
	for i := range wk.hist {
		h := &wk.hist[i]
		if h.OfferID != offerID || h.Status != StatusSent || h.Transactional {
			continue
		}
		var at int64
		switch {
		case h.Outcome == OutcomeIgnored:
			at = h.SendAt.Unix()
			if !h.OutcomeAt.IsZero() {
				at = h.OutcomeAt.Unix()
			}
		case h.Outcome == OutcomeNone && rw > 0 && h.SendAt.Unix()+rw <= wk.now:
			at = h.SendAt.Unix() + rw
		default:
			continue
		}
		sc.times = append(sc.times, at)
	}
	k := f.Ignores
	if len(sc.times) < k {
		return false
	}
	slices.Sort(sc.times)
	within := int64(time.Duration(f.Within) / time.Second)
	pause := int64(time.Duration(f.Pause) / time.Second)
	for i := k - 1; i < len(sc.times); i++ {
		if sc.times[i]-sc.times[i-k+1] <= within && wk.now < sc.times[i]+pause && sc.times[i] <= wk.now {
			return true
		}
	}
	return false
}

// capsOK reports whether one more message on channel ch at time t stays
// within the global and channel caps, counting the history (except entry
// skip, -1 for none).
func (wk *walker) capsOK(transactional bool, ch Channel, t int64, skip int) bool {
	cs := wk.r.p.cs
	capTx := cs.set.Policy.CapTransactional
	if transactional && !capTx {
		return true
	}
	g, c := cs.caps, cs.chanCaps[ch]
	if g == [3]int{} && c == [3]int{} {
		return true
	}
	day := wk.z.day(t)
	week, month := weekOf(day), monthOf(day)
	var gn, cn [3]int
	for i := range wk.hist {
		h := &wk.hist[i]
		if i == skip || !h.counts() || h.Transactional && !capTx {
			continue
		}
		d := wk.z.day(h.SendAt.Unix())
		var in [3]bool
		in[0] = d == day
		in[1] = in[0] || weekOf(d) == week
		in[2] = in[0] || monthOf(d) == month
		for p := range 3 {
			if in[p] {
				gn[p]++
				if h.Channel == ch {
					cn[p]++
				}
			}
		}
	}
	for p := range 3 {
		if g[p] > 0 && gn[p] >= g[p] || c[p] > 0 && cn[p] >= c[p] {
			return false
		}
	}
	return true
}

// walk goes through the candidates in priority order from wk.pos. It
// returns when every candidate is handled, or when it meets one that needs
// shared capacity (a channel capacity or a campaign budget): the walker is
// then parked at it and allocate decides it across customers.
func (wk *walker) walk() {
	cs := wk.r.p.cs
	for ; wk.pos < len(wk.cands); wk.pos++ {
		c := &wk.cands[wk.pos]
		o := &wk.occs[c.occ]
		cc := o.cc
		if o.done {
			continue
		}
		marketing := !cc.c.Transactional
		if marketing && wk.slots == 0 {
			// The run's actions per customer are used: a contact cap. A
			// scheduled campaign is reconsidered at the next run.
			o.setDynamic(ReasonCap, c)
			continue
		}
		if r := wk.campaignLimit(o); r != 0 {
			o.setDynamic(r, c)
			continue
		}
		if !wk.capsOK(!marketing, c.ch, o.sendAt, -1) {
			o.setDynamic(ReasonCap, c)
			continue
		}
		if marketing && wk.control || InHoldout(cs.set.Policy.HoldoutSeed, wk.id, cc.c.ID, cc.c.Holdout) {
			wk.choose(o, c, StatusHoldout)
			continue
		}
		if cc.budget != 0 || cs.capacity[c.ch] >= 0 {
			return // park
		}
		wk.take(o, c)
	}
}

// take chooses the candidate: sent now or scheduled for its send time.
func (wk *walker) take(o *occ, c *cand) {
	status := StatusSent
	if o.sendAt > wk.now {
		status = StatusScheduled
	}
	wk.choose(o, c, status)
	if !o.cc.c.Transactional {
		wk.slots--
	}
}

func (o *occ) setDynamic(r Reason, c *cand) {
	if o.dynamic == 0 {
		o.dynamic, o.stopOffer, o.stopChan = r, c.offer, c.ch
	}
}

// decision is a choice made by the walk; materialize builds its message.
type decision struct {
	cand   cand
	status Status
}

// choose records the occurrence's message with the given status. It adds
// to the history what the caps and campaign limits count, so the rest of
// the walk sees it; the message itself (key, reasons, contact) is built by
// materialize, outside the serial part of capacity allocation.
func (wk *walker) choose(o *occ, c *cand, status Status) {
	o.done = true
	wk.decs = append(wk.decs, decision{cand: *c, status: status})
	if status != StatusHoldout {
		cc := o.cc
		wk.hist = append(wk.hist, Contact{CampaignID: cc.c.ID, OfferID: cc.offers[c.offer].o.ID, Channel: c.ch,
			Transactional: cc.c.Transactional, Status: status, SendAt: time.Unix(o.sendAt, 0)})
	}
}

// materialize builds the messages and contacts of the walk's decisions.
func (wk *walker) materialize() {
	for i := range wk.decs {
		d := &wk.decs[i]
		c := &d.cand
		o := &wk.occs[c.occ]
		cc := o.cc
		co := &cc.offers[c.offer]
		if o.key == "" {
			o.key = Key(cc.c.ID, wk.id, o.o)
		}
		s := Send{
			Key: o.key, CustomerID: wk.id, CampaignID: cc.c.ID, OfferID: co.o.ID, Family: co.o.Family,
			Channel: c.ch, Transactional: cc.c.Transactional, SendAt: time.Unix(o.sendAt, 0).In(wk.z.loc),
			DecidedAt: time.Unix(wk.now, 0).In(wk.z.loc), Agent: wk.c.Agent, Occurrence: o.o,
			Priority: c.prio, SetVersion: wk.r.p.cs.set.Version,
		}
		s.Priority.Rank = int(o.rank)
		if o.bill >= 0 {
			b := &wk.bills[o.bill]
			s.Bill = &BillDue{Counterparty: b.Counterparty, Kind: b.Kind.String(), Due: b.NextDate.In(wk.z.loc),
				Amount: b.LastAmount, Frequency: b.Frequency.String(), AutoPay: co.o.AutoPay}
		}
		s.Reasons = wk.reasons(o, c, int(o.rank))
		reason := Reason(0)
		switch d.status {
		case StatusHoldout:
			reason = ReasonHoldout
			s.SendAt = s.DecidedAt
			wk.a.holdouts = append(wk.a.holdouts, s)
			wk.suppress(o, ReasonHoldout, int(c.offer), c.ch, 0)
		case StatusScheduled:
			s.Held = o.held
			reason = o.held
			wk.a.scheduled = append(wk.a.scheduled, s)
			if o.held != 0 {
				wk.suppress(o, o.held, int(c.offer), c.ch, o.sendAt)
			}
		default:
			wk.a.sends = append(wk.a.sends, s)
		}
		wk.a.inserts = append(wk.a.inserts, s.contact(d.status, reason))
		if d.status != StatusHoldout {
			if cc.budget != 0 {
				wk.a.uses = append(wk.a.uses, counterUse{key: cc.budKey, limit: max(cc.budget, 0)})
			}
			if n := wk.r.p.cs.capacity[c.ch]; n >= 0 {
				wk.a.uses = append(wk.a.uses, counterUse{key: wk.r.capacityKey(c.ch, o.sendAt), limit: n})
			}
		}
	}
	wk.decs = wk.decs[:0]
}

// reasons explains a choice in codes.
func (wk *walker) reasons(o *occ, c *cand, rank int) []string {
	cc, cs := o.cc, wk.r.p.cs
	out := make([]string, 0, 8)
	out = append(out, cc.trigReason)
	if a := wk.c.Assignment; a != nil {
		for i, s := range cc.segAny {
			if a.In(s) {
				out = append(out, cc.segReasons[i])
				break
			}
		}
		if len(cc.stages) > 0 {
			out = append(out, lookup(cs.stageReasons[:], int(a.Stage), "stage:"+a.Stage.String()))
		}
		if len(cc.tiers) > 0 {
			out = append(out, lookup(cs.tierReasons[:], int(a.Tier), "tier:"+a.Tier.String()))
		}
		if len(cc.families) > 0 {
			out = append(out, lookup(cs.familyReasons[:], int(a.Family), "family:"+a.Family.String()))
		}
	}
	if cc.expr != nil {
		out = append(out, "expression")
	}
	if cc.c.Audience.Predicate != nil {
		out = append(out, "predicate")
	}
	if co := &cc.offers[c.offer]; co.family != segment.FamilyNone && wk.c.Assignment != nil && wk.c.Assignment.Family == co.family {
		out = append(out, "family_match")
	}
	out = append(out, lookup(cs.rankReasons[:], rank, fmt.Sprintf("rank:%d", rank)))
	if o.held != 0 {
		out = append(out, cs.heldReasons[o.held])
	}
	return out
}

func lookup(table []string, i int, otherwise string) string {
	if i >= 0 && i < len(table) {
		return table[i]
	}
	return otherwise
}

// capacityKey names the channel's capacity counter for the bank's
// calendar day of t.
func (r *runState) capacityKey(ch Channel, t int64) string {
	day := r.bank.day(t)
	if i := day - r.keyDay0; i >= 0 && i < int64(len(r.capKeys[ch])) {
		return r.capKeys[ch][i]
	}
	return capacityKeyOf(ch, day)
}

func capacityKeyOf(ch Channel, day int64) string {
	y, m, d := civil(day)
	return fmt.Sprintf("capacity/%s/%04d-%02d-%02d", ch, y, m, d)
}

// cachedSendTime returns the send time for the mask and mode, from start.
func (wk *walker) cachedSendTime(mask int, best bool, start int64) int64 {
	sc := wk.sc
	for i := range sc.nst {
		if e := &sc.stCache[i]; e.mask == mask && e.best == best {
			return e.t
		}
	}
	t := wk.sendTime(&wk.r.p.cs.masks[mask], best, start)
	if sc.nst < len(sc.stCache) {
		sc.stCache[sc.nst] = sendTimeCache{mask: mask, best: best, t: t}
		sc.nst++
	}
	return t
}

// searchDays is how far ahead the earliest allowed time is looked for.
const searchDays = 8

// sendTime returns the send time at or after start allowed by mask: the
// earliest allowed time, or with best, the allowed time in the customer's
// most active hour of the week (profile ActiveHours) within the policy's
// horizon, the earliest on ties; the earliest allowed time when the
// profile shows no activity in those hours (the fallback). 0 when nothing
// is allowed within 8 days.
func (wk *walker) sendTime(m *weekMask, best bool, start int64) int64 {
	t0 := wk.nextAllowed(m, start, searchDays*minutesPerDay)
	if t0 == 0 || !best {
		return t0
	}
	sc := wk.sc
	if sc.hasHours == 0 {
		sc.hours = wk.c.Profile.ActiveHours()
		sc.hasHours = -1
		for _, v := range sc.hours {
			if v > 0 {
				sc.hasHours = 1
				break
			}
		}
	}
	if sc.hasHours < 0 {
		return t0
	}
	end := start + wk.r.p.cs.horizon
	bestT, bestScore := t0, sc.hours[wk.z.hourOfWeek(t0)]
	hs := start - floorMod(wk.z.local(start), 3600) + 3600
	for ; hs < end; hs += 3600 {
		t := wk.nextAllowed(m, hs, 60)
		if t == 0 || t >= hs+3600 || t >= end {
			continue
		}
		if s := sc.hours[wk.z.hourOfWeek(t)]; s > bestScore {
			bestT, bestScore = t, s
		}
	}
	return bestT
}

// nextAllowed returns the first time at or after start whose local minute
// is allowed by m, looking up to limit minutes ahead; 0 when none.
func (wk *walker) nextAllowed(m *weekMask, start int64, limit int) int64 {
	t := start
	for range 4 { // a second pass settles a change of UTC offset on the way
		mow := wk.z.minuteOfWeek(t)
		if m.has(mow) {
			return t
		}
		d := m.nextSet(mow, limit)
		if d < 0 {
			return 0
		}
		next := t - floorMod(t, 60) + int64(d)*60
		limit -= int((next - t) / 60)
		if limit <= 0 {
			return 0
		}
		t = next
	}
	return 0
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// allocate finishes the parked walkers: their candidates that need shared
// capacity are granted greedily in priority order across customers (the
// highest priorities first; ties by a seeded hash of the customer, then
// input order), against the counters' current values.
func (r *runState) allocate(ctx context.Context, parked []*walker) ([]*commit, error) {
	p := r.p
	remaining := make(map[string]int64)
	left := func(key string, limit int64) (int64, error) {
		if v, ok := remaining[key]; ok {
			return v, nil
		}
		used, err := p.counters.Value(ctx, key)
		if err != nil {
			return 0, &CallerError{Op: "Counters.Value", Err: err}
		}
		remaining[key] = limit - used
		return limit - used, nil
	}
	grant := func(wk *walker, c *cand) (bool, error) {
		cc := wk.occs[c.occ].cc
		var keys [2]string
		var limits [2]int64
		n := 0
		if cc.budget != 0 {
			keys[n], limits[n] = cc.budKey, max(cc.budget, 0)
			n++
		}
		if lim := p.cs.capacity[c.ch]; lim >= 0 {
			keys[n], limits[n] = r.capacityKey(c.ch, wk.occs[c.occ].sendAt), lim
			n++
		}
		for i := range n {
			v, err := left(keys[i], limits[i])
			if err != nil {
				return false, err
			}
			if v <= 0 {
				return false, nil
			}
		}
		for i := range n {
			remaining[keys[i]]--
		}
		return true, nil
	}
	seed := p.cs.set.Policy.HoldoutSeed
	h := &walkerHeap{}
	for _, wk := range parked {
		wk.tie = unitHash(seed, 0x54, wk.id, "")
		h.push(wk)
	}
	var done []*walker
	for h.len() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		wk := h.pop()
		c := &wk.cands[wk.pos]
		ok, err := grant(wk, c)
		if err != nil {
			return nil, err
		}
		o := &wk.occs[c.occ]
		if ok {
			wk.take(o, c)
		} else {
			o.setDynamic(ReasonCapacity, c)
		}
		wk.pos++
		wk.walk()
		if wk.pos < len(wk.cands) {
			h.push(wk)
			continue
		}
		done = append(done, wk)
	}
	// Build the messages in parallel: only the grants were serial. Each
	// parked walker has its own arena.
	workers := max(1, min(p.workers, len(done)/64+1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(done); i += workers {
				done[i].finish()
			}
		}()
	}
	wg.Wait()
	out := make([]*commit, 0, len(done))
	for _, wk := range done {
		out = append(out, wk.a.done()...)
	}
	return out, nil
}

// walkerHeap orders parked walkers by their current candidate's priority,
// highest first.
type walkerHeap struct {
	ws []*walker
}

func (h *walkerHeap) len() int { return len(h.ws) }

func (h *walkerHeap) less(a, b *walker) bool {
	pa, pb := a.cands[a.pos].prio.Value, b.cands[b.pos].prio.Value
	if pa != pb {
		return pa > pb
	}
	if a.tie != b.tie {
		return a.tie < b.tie
	}
	return a.idx < b.idx
}

func (h *walkerHeap) push(w *walker) {
	h.ws = append(h.ws, w)
	i := len(h.ws) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(h.ws[i], h.ws[p]) {
			break
		}
		h.ws[i], h.ws[p] = h.ws[p], h.ws[i]
		i = p
	}
}

func (h *walkerHeap) pop() *walker {
	top := h.ws[0]
	n := len(h.ws) - 1
	h.ws[0] = h.ws[n]
	h.ws = h.ws[:n]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && h.less(h.ws[l], h.ws[m]) {
			m = l
		}
		if r < n && h.less(h.ws[r], h.ws[m]) {
			m = r
		}
		if m == i {
			break
		}
		h.ws[i], h.ws[m] = h.ws[m], h.ws[i]
		i = m
	}
	return top
}
