package referral

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Options configures a Tree. The zero value (or nil) gives the documented
// defaults.
type Options struct {
	// Code configures the codes (programme, length).
	Code CodeOptions
	// Window is the attribution window: a referee's qualifying event (the
	// account opening, first card payment, whatever the programme pays
	// for) earns rewards only if it happens within Window after the
	// referral, both ends included. Zero means 30 days.
	Window time.Duration
	// Rewards are the points paid per generation on qualification:
	// Rewards[0] to the referrer (generation 1), Rewards[1] to the
	// referrer's referrer (generation 2), and so on; a zero entry pays that
	// generation nothing. Nil pays no referrer. At most MaxGenerations
	// entries. Multi-level rewards can fall under anti-pyramid-selling rules
	// in some jurisdictions; one generation is the usual bank programme.
	Rewards []decimal.Decimal
	// RefereeReward is the welcome reward paid to the referee on
	// qualification (generation 0). Zero means none.
	RefereeReward decimal.Decimal
	// MaxRewarded caps how many referral rewards one customer receives
	// across all generations; later rewards get StatusCapped. Zero means no
	// cap. The referee's own welcome reward is not counted.
	MaxRewarded int
	// PayFlagged makes rewards of referrals with abuse flags payable. By
	// default they are StatusHeld for review.
	PayFlagged bool
	// MaxAttempts is how many codes Issue tries for one customer before
	// ErrCodeSpace. Zero means 16.
	MaxAttempts int
}

// MaxGenerations is the most generations Options.Rewards may pay.
const MaxGenerations = 10

// Status says whether a reward may be paid.
type Status uint8

const (
	// StatusPayable rewards may be paid.
	StatusPayable Status = iota
	// StatusHeld rewards belong to a referral with abuse flags: review
	// before paying.
	StatusHeld
	// StatusCapped rewards exceed Options.MaxRewarded for the beneficiary:
	// do not pay.
	StatusCapped
)

var statusNames = [...]string{"payable", "held", "capped"}

// String returns "payable", "held" or "capped".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Reward is one reward due on a referee's qualification.
type Reward struct {
	// ID is deterministic: "ref-" and 32 hex digits of SHA-256 over the
	// programme, referee and generation. Use it as the operation ID of the
	// rewards ledger so that paying twice is a no-op.
	ID          string
	Beneficiary string          // who is paid
	Referee     string          // whose qualification pays
	Generation  int             // 0: the referee's welcome reward; 1: the referrer; 2: the referrer's referrer...
	Points      decimal.Decimal // amount, from Options
	Status      Status          // whether to pay
	Flags       Flags           // abuse flags of the referral
}

// Edge is one referral: Referrer brought Referee, at At (when the referee
// used the code).
type Edge struct {
	Referrer string    `json:"referrer"` // the code's owner
	Referee  string    `json:"referee"`  // the new customer
	At       time.Time `json:"at"`       // when the code was used
}

// Qualification is the outcome of Tree.Qualify.
type Qualification struct {
	Referee string    // who qualified
	At      time.Time // when (the first qualification's time for a duplicate)
	Flags   Flags     // the referral's abuse flags
	Rewards []Reward  // the rewards due, generation 0 first
	// Duplicate is set when the referee had qualified before: Rewards are
	// the original ones and nothing new is due.
	Duplicate bool
}

// Tree is a referral programme: the codes issued, the referral forest (each
// customer has at most one referrer; cycles are refused), qualifications
// with their rewards, and invitations for the K-factor. It is safe for
// concurrent use. It lives in memory (a million customers take on the order
// of a few hundred megabytes); Snapshot and Restore move it to and from the
// caller's storage.
type Tree struct {
	mu          sync.RWMutex
	coder       *Coder
	window      time.Duration
	rewards     []decimal.Decimal
	referee     decimal.Decimal
	maxRewarded int
	payFlagged  bool
	maxAttempts int
	nodes       map[string]*node
	codes       map[Code]*node
	qualified   []*node // in qualification order
}

type node struct {
	id          string
	code        Code
	attempt     int
	parent      *node
	children    []*node
	referredAt  time.Time
	qualified   bool
	qualifiedAt time.Time
	flags       Flags
	rewards     []Reward
	received    int // referral rewards received (for MaxRewarded)
	invites     int
}

// NewTree returns an empty programme whose codes are keyed by secret (see
// Coder). Errors: ErrInvalid as *Error naming the secret or option.
func NewTree(secret []byte, opts *Options) (*Tree, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	c, err := NewCoder(secret, &o.Code)
	if err != nil {
		return nil, err
	}
	switch {
	case o.Window < 0:
		return nil, fieldErr("Window", -1, ErrInvalid)
	case len(o.Rewards) > MaxGenerations:
		return nil, fieldErr("Rewards", -1, ErrInvalid)
	case o.MaxRewarded < 0:
		return nil, fieldErr("MaxRewarded", -1, ErrInvalid)
	case o.MaxAttempts < 0:
		return nil, fieldErr("MaxAttempts", -1, ErrInvalid)
	case !validPoints(o.RefereeReward, true):
		return nil, fieldErr("RefereeReward", -1, ErrInvalid)
	}
	for i, r := range o.Rewards {
		if !validPoints(r, true) {
			return nil, fieldErr("Rewards", i, ErrInvalid)
		}
	}
	t := &Tree{
		coder: c, window: o.Window, rewards: slices.Clone(o.Rewards), referee: o.RefereeReward,
		maxRewarded: o.MaxRewarded, payFlagged: o.PayFlagged, maxAttempts: o.MaxAttempts,
		nodes: make(map[string]*node), codes: make(map[Code]*node),
	}
	if t.window == 0 {
		t.window = 30 * 24 * time.Hour
	}
	if t.maxAttempts == 0 {
		t.maxAttempts = 16
	}
	return t, nil
}

// validPoints accepts finite, non-negative amounts of sane magnitude.
func validPoints(d decimal.Decimal, zeroOK bool) bool {
	if e := d.Exponent(); e < -30 || e > 15 {
		return d.Sign() == 0 && zeroOK
	}
	if d.Sign() < 0 || (!zeroOK && d.Sign() == 0) {
		return false
	}
	return d.Cmp(decimal.New(1, 15)) <= 0
}

// MaxIDLen is the longest customer ID accepted, in bytes.
const MaxIDLen = 128

// validID accepts non-empty IDs of at most MaxIDLen bytes of valid UTF-8
// without control or space characters.
func validID(s string) bool {
	if s == "" || len(s) > MaxIDLen || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// Coder returns the tree's coder (to Parse codes without the tree's lock).
func (t *Tree) Coder() *Coder { return t.coder }

func (t *Tree) get(id string) *node {
	n := t.nodes[id]
	if n == nil {
		n = &node{id: id}
		t.nodes[id] = n
	}
	return n
}

// Issue returns the customer's code, issuing it on first call. Codes are
// derived with the tree's Coder; when a derived code already belongs to
// another customer (a collision), the next attempt is derived, so a code
// always names exactly one customer. Issuing is deterministic for a given
// secret and order of first issues. Errors: ErrInvalid (*Error naming
// "customer"), ErrCodeSpace.
func (t *Tree) Issue(customer string) (Code, error) {
	if !validID(customer) {
		return "", fieldErr("customer", -1, ErrInvalid)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := t.nodes[customer]; n != nil && n.code != "" {
		return n.code, nil
	}
	for a := range t.maxAttempts {
		c := t.coder.Code(customer, a)
		if _, taken := t.codes[c]; taken {
			continue
		}
		n := t.get(customer)
		n.code, n.attempt = c, a
		t.codes[c] = n
		return c, nil
	}
	return "", fieldErr("customer", -1, ErrCodeSpace)
}

// Lookup returns the customer who owns a code, as typed by a customer (see
// Coder.Parse). Errors: ErrCode for a malformed code, ErrUnknownCode for a
// well-formed code not issued; both as *Error naming "code".
func (t *Tree) Lookup(code string) (string, error) {
	c, err := t.coder.Parse(code)
	if err != nil {
		return "", err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := t.codes[c]
	if n == nil {
		return "", fieldErr("code", -1, ErrUnknownCode)
	}
	return n.id, nil
}

// Refer records that referee signed up with code at time at. Registering
// the same referral again is a no-op. Errors: ErrCode, ErrUnknownCode,
// ErrInvalid, ErrSelfReferral (the referee's own code), ErrAlreadyReferred
// (another referrer, or another time), and *CycleError (ErrCycle) when the
// referee is already the code owner's direct or indirect referrer. On error
// the tree is unchanged.
func (t *Tree) Refer(referee, code string, at time.Time) error {
	c, err := t.coder.Parse(code)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	n := t.codes[c]
	if n == nil {
		return fieldErr("code", -1, ErrUnknownCode)
	}
	return t.add([]Edge{{Referrer: n.id, Referee: referee, At: at}}, true)
}

// Add records a batch of referrals, for example imported from another
// system, atomically: either every edge is valid and recorded, or the tree
// is unchanged and the error names the first bad edge (Index in *Error or
// *CycleError). Referrers and referees need no code. An edge equal to one
// already recorded is a no-op. Errors: ErrInvalid (an empty or malformed
// ID, a zero time), ErrSelfReferral, ErrAlreadyReferred (a referee with
// another referrer or time, in the tree or earlier in the batch), and
// *CycleError for an edge that would close a cycle.
//
// Cycles are found with a union-find over the forest (Tarjan 1975,
// "Efficiency of a good but not linear set union algorithm", JACM 22(2)):
// since a referee gains a referrer only while it has none, it is the root
// of its tree, and an edge closes a cycle exactly when the referrer's root
// is the referee. With path compression a batch of k edges costs about
// O(k + depth walked once).
func (t *Tree) Add(edges []Edge) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.add(edges, false)
}

func (t *Tree) add(edges []Edge, single bool) error {
	idx := func(i int) int {
		if single {
			return -1
		}
		return i
	}
	// Tentative parents (batch) and union-find pointers to ancestors.
	batchParent := make(map[string]string, len(edges))
	batchAt := make(map[string]time.Time, len(edges))
	uf := make(map[string]string)
	parentOf := func(id string) (string, bool) {
		if p, ok := uf[id]; ok {
			return p, p != ""
		}
		if p, ok := batchParent[id]; ok {
			return p, true
		}
		if n := t.nodes[id]; n != nil && n.parent != nil {
			return n.parent.id, true
		}
		return "", false
	}
	find := func(id string) string {
		root := id
		for {
			p, ok := parentOf(root)
			if !ok {
				break
			}
			root = p
		}
		for id != root { // path compression
			p, _ := parentOf(id)
			uf[id] = root
			id = p
		}
		return root
	}
	depth := func(from, to string) int { // customers on the cycle
		d := 1
		for id := from; id != to; d++ {
			id, _ = parentOf(id)
		}
		return d
	}
	var fresh []int
	for i, e := range edges {
		switch {
		case !validID(e.Referrer):
			return fieldErr("referrer", idx(i), ErrInvalid)
		case !validID(e.Referee):
			return fieldErr("referee", idx(i), ErrInvalid)
		case e.At.IsZero():
			return fieldErr("at", idx(i), ErrInvalid)
		case e.Referrer == e.Referee:
			return fieldErr("referee", idx(i), ErrSelfReferral)
		}
		if n := t.nodes[e.Referee]; n != nil && n.parent != nil {
			if n.parent.id == e.Referrer && n.referredAt.Equal(e.At) {
				continue // already recorded
			}
			return fieldErr("referee", idx(i), ErrAlreadyReferred)
		}
		if p, ok := batchParent[e.Referee]; ok {
			if p == e.Referrer && batchAt[e.Referee].Equal(e.At) {
				continue
			}
			return fieldErr("referee", idx(i), ErrAlreadyReferred)
		}
		if find(e.Referrer) == e.Referee {
			// Measure before any compression changed the walk: use the
			// tree plus batch parents, which compression never removes.
			uf = map[string]string{}
			return &CycleError{Index: idx(i), Length: depth(e.Referrer, e.Referee)}
		}
		batchParent[e.Referee] = e.Referrer
		batchAt[e.Referee] = e.At
		uf[e.Referee] = e.Referrer
		fresh = append(fresh, i)
	}
	for _, i := range fresh {
		e := edges[i]
		p, c := t.get(e.Referrer), t.get(e.Referee)
		c.parent, c.referredAt = p, e.At
		p.children = append(p.children, c)
	}
	return nil
}

// maxInvites bounds one customer's invitations.
const maxInvites = 1 << 40

// Invite records that customer sent n invitations (n >= 0), for the
// invitations-per-customer part of the K-factor. Errors: ErrInvalid for a
// bad ID or a count that is negative or would pass 2^40.
func (t *Tree) Invite(customer string, n int) error {
	if !validID(customer) {
		return fieldErr("customer", -1, ErrInvalid)
	}
	if n < 0 || n > maxInvites {
		return fieldErr("n", -1, ErrInvalid)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	nd := t.get(customer)
	if nd.invites+n > maxInvites {
		return fieldErr("n", -1, ErrInvalid)
	}
	nd.invites += n
	return nil
}

// Referrer returns the customer's direct referrer, if any.
func (t *Tree) Referrer(customer string) (string, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := t.nodes[customer]
	if n == nil || n.parent == nil {
		return "", false
	}
	return n.parent.id, true
}

// Chain returns up to max ancestors of customer, the direct referrer first
// (max <= 0 means all).
func (t *Tree) Chain(customer string, max int) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []string
	n := t.nodes[customer]
	for n != nil && n.parent != nil && (max <= 0 || len(out) < max) {
		n = n.parent
		out = append(out, n.id)
	}
	return out
}

// RewardID returns the deterministic ID of the reward of one generation
// of a referee's qualification (see Reward.ID).
func (t *Tree) RewardID(referee string, generation int) string {
	h := sha256.New()
	var n [8]byte
	for _, s := range []string{"suanpan/referral/reward/v1", t.coder.programme, referee} {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(n[:], uint64(generation))
	h.Write(n[:])
	return "ref-" + hex.EncodeToString(h.Sum(nil)[:16])
}

// Qualify records the referee's qualifying event at time at, with the
// referral's abuse flags (from Check; zero when unchecked), and returns the
// rewards due: the referee's welcome reward (generation 0) and one reward
// per generation of ancestors paid by Options.Rewards. Rewards of a flagged
// referral are StatusHeld unless Options.PayFlagged; rewards beyond
// Options.MaxRewarded for a beneficiary are StatusCapped. Qualifying again
// returns the original qualification with Duplicate set.
//
// Errors: ErrInvalid, ErrUnknownCustomer, ErrNotReferred, ErrOutsideWindow
// (at before the referral or after the attribution window); the tree is
// then unchanged.
func (t *Tree) Qualify(referee string, at time.Time, flags Flags) (Qualification, error) {
	if !validID(referee) {
		return Qualification{}, fieldErr("referee", -1, ErrInvalid)
	}
	if at.IsZero() {
		return Qualification{}, fieldErr("at", -1, ErrInvalid)
	}
	if flags&^allFlags != 0 {
		return Qualification{}, fieldErr("flags", -1, ErrInvalid)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	n := t.nodes[referee]
	switch {
	case n == nil:
		return Qualification{}, fieldErr("referee", -1, ErrUnknownCustomer)
	case n.parent == nil:
		return Qualification{}, fieldErr("referee", -1, ErrNotReferred)
	case n.qualified:
		return Qualification{Referee: referee, At: n.qualifiedAt, Flags: n.flags, Rewards: slices.Clone(n.rewards), Duplicate: true}, nil
	case at.Before(n.referredAt) || at.After(n.referredAt.Add(t.window)):
		return Qualification{}, fieldErr("at", -1, ErrOutsideWindow)
	}
	t.qualify(n, at, flags)
	return Qualification{Referee: referee, At: at, Flags: flags, Rewards: slices.Clone(n.rewards)}, nil
}

func (t *Tree) qualify(n *node, at time.Time, flags Flags) {
	status := StatusPayable
	if flags != 0 && !t.payFlagged {
		status = StatusHeld
	}
	var rs []Reward
	if t.referee.Sign() > 0 {
		rs = append(rs, Reward{ID: t.RewardID(n.id, 0), Beneficiary: n.id, Referee: n.id, Points: t.referee, Status: status, Flags: flags})
	}
	anc := n.parent
	for g := 1; g <= len(t.rewards) && anc != nil; g, anc = g+1, anc.parent {
		pts := t.rewards[g-1]
		if pts.Sign() == 0 {
			continue
		}
		st := status
		if t.maxRewarded > 0 && anc.received >= t.maxRewarded {
			st = StatusCapped
		} else {
			anc.received++
		}
		rs = append(rs, Reward{ID: t.RewardID(n.id, g), Beneficiary: anc.id, Referee: n.id, Generation: g, Points: pts, Status: st, Flags: flags})
	}
	n.qualified, n.qualifiedAt, n.flags, n.rewards = true, at, flags, rs
	t.qualified = append(t.qualified, n)
}

// Generation is the K-factor of one generation of the referral forest.
// Generation 0 is every customer without a referrer (the seeds: customers
// who were issued a code or referred someone, themselves unreferred);
// generation g+1 is the customers referred by generation g.
type Generation struct {
	Depth     int // 0 for the seeds
	Customers int // customers in the generation
	Invites   int // invitations they sent (Tree.Invite)
	Referred  int // customers they referred (the size of the next generation)
	Qualified int // of those, the ones who qualified
	// InvitesPerCustomer is i = Invites / Customers.
	InvitesPerCustomer float64
	// Conversion is c = Referred / Invites (0 without invitations).
	Conversion float64
	// K is the viral coefficient Referred / Customers, which equals i*c
	// when invitations are recorded; KQualified counts qualified referees
	// only.
	K, KQualified float64
}

// Generations returns the K-factor of every generation that has customers,
// generation 0 first. The viral coefficient (K-factor) is the number of new
// customers each customer brings, K = i * c with i the invitations sent per
// customer and c the share of invitations that convert (D. Skok, "Lessons
// Learned – Viral Marketing", forEntrepreneurs.com, 2009); it is the
// marketing reading of the basic reproduction number R0 of epidemiology
// (R. M. Anderson & R. M. May, "Infectious Diseases of Humans", 1991):
// a programme grows by referrals alone only while K > 1. Measuring it per
// generation shows whether referred customers refer as well as the seeds.
func (t *Tree) Generations() []Generation {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var level []*node
	for _, n := range t.nodes {
		if n.parent == nil {
			level = append(level, n)
		}
	}
	var out []Generation
	for d := 0; len(level) > 0; d++ {
		g := Generation{Depth: d, Customers: len(level)}
		var next []*node
		for _, n := range level {
			g.Invites += n.invites
			g.Referred += len(n.children)
			for _, c := range n.children {
				if c.qualified {
					g.Qualified++
				}
			}
			next = append(next, n.children...)
		}
		g.InvitesPerCustomer = float64(g.Invites) / float64(g.Customers)
		if g.Invites > 0 {
			g.Conversion = float64(g.Referred) / float64(g.Invites)
		}
		g.K = float64(g.Referred) / float64(g.Customers)
		g.KQualified = float64(g.Qualified) / float64(g.Customers)
		out = append(out, g)
		level = next
	}
	return out
}

// Len returns the number of customers in the tree.
func (t *Tree) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.nodes)
}
