package referral

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

var (
	t0  = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	day = 24 * time.Hour
)

var cmpOpts = cmp.Options{cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })}

func newTree(t testing.TB, o *Options) *Tree {
	t.Helper()
	tr, err := NewTree(testSecret, o)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func d(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func TestIssueAndLookup(t *testing.T) {
	tr := newTree(t, nil)
	a, err := tr.Issue("alice")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := tr.Issue("alice")
	if a != again {
		t.Fatal("Issue is not stable for one customer")
	}
	if who, err := tr.Lookup(a.Format()); err != nil || who != "alice" {
		t.Fatalf("Lookup = %q, %v", who, err)
	}
	unissued := tr.Coder().Code("mallory", 0)
	if _, err := tr.Lookup(string(unissued)); !errors.Is(err, ErrUnknownCode) {
		t.Fatalf("Lookup of an unissued code: %v", err)
	}
	if _, err := tr.Lookup("nonsense"); !errors.Is(err, ErrCode) {
		t.Fatalf("Lookup of a malformed code: %v", err)
	}
	for _, bad := range []string{"", "a b", "x\x00", string(make([]byte, MaxIDLen+1))} {
		if _, err := tr.Issue(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Issue(%q): %v", bad, err)
		}
	}
}

// TestIssueCollision: when a customer's derived code already belongs to
// someone else, the next attempt is used, so a code names one customer.
func TestIssueCollision(t *testing.T) {
	tr := newTree(t, &Options{MaxAttempts: 3})
	squatter := &node{id: "squatter"}
	for a := range 2 {
		tr.codes[tr.coder.Code("bob", a)] = squatter
	}
	code, err := tr.Issue("bob")
	if err != nil || code != tr.coder.Code("bob", 2) {
		t.Fatalf("Issue after two collisions = %q, %v; want attempt 2", code, err)
	}
	tr.codes[tr.coder.Code("carol", 0)] = squatter
	tr.codes[tr.coder.Code("carol", 1)] = squatter
	tr.codes[tr.coder.Code("carol", 2)] = squatter
	if _, err := tr.Issue("carol"); !errors.Is(err, ErrCodeSpace) {
		t.Fatalf("Issue with every attempt taken: %v, want ErrCodeSpace", err)
	}
	if s := tr.Snapshot(); s.Codes[0].Customer != "bob" || s.Codes[0].Attempt != 2 {
		t.Fatalf("snapshot codes %+v", s.Codes)
	}
}

func TestReferErrors(t *testing.T) {
	tr := newTree(t, nil)
	alice, _ := tr.Issue("alice")
	bob, _ := tr.Issue("bob")
	if err := tr.Refer("bob", string(alice), t0); err != nil {
		t.Fatal(err)
	}
	if err := tr.Refer("bob", string(alice), t0); err != nil {
		t.Fatalf("same referral again: %v, want a no-op", err)
	}
	before := tr.Snapshot()
	cases := map[string]struct {
		referee, code string
		at            time.Time
		want          error
	}{
		"self":           {"alice", string(alice), t0, ErrSelfReferral},
		"other referrer": {"bob", string(tr.coder.Code("x", 0)), t0, ErrUnknownCode},
		"re-referred":    {"bob", string(bob), t0, ErrSelfReferral},
		"other time":     {"bob", string(alice), t0.Add(time.Second), ErrAlreadyReferred},
		"cycle":          {"alice", string(bob), t0, ErrCycle},
		"zero time":      {"carol", string(alice), time.Time{}, ErrInvalid},
		"empty referee":  {"", string(alice), t0, ErrInvalid},
		"bad code":       {"carol", "???", t0, ErrCode},
	}
	for name, tc := range cases {
		err := tr.Refer(tc.referee, tc.code, tc.at)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.want)
		}
	}
	carol, _ := tr.Issue("carol")
	if err := tr.Refer("bob", string(carol), t0); !errors.Is(err, ErrAlreadyReferred) {
		t.Errorf("second referrer: %v", err)
	}
	after := tr.Snapshot()
	after.Codes = before.Codes // carol's code was issued on purpose
	if diff := cmp.Diff(before, after, cmpOpts); diff != "" {
		t.Fatalf("failed referrals changed the tree:\n%s", diff)
	}
}

// TestAddCycles is the bad-input case of the issue: a batch that closes a
// cycle is refused as a whole, naming the closing edge.
func TestAddCycles(t *testing.T) {
	e := func(a, b string) Edge { return Edge{Referrer: a, Referee: b, At: t0} }
	cases := []struct {
		name          string
		existing      []Edge
		batch         []Edge
		index, length int
	}{
		{"triangle", nil, []Edge{e("a", "b"), e("b", "c"), e("c", "a")}, 2, 3},
		{"two", nil, []Edge{e("a", "b"), e("x", "y"), e("b", "a")}, 2, 2},
		{"through the tree", []Edge{e("a", "b"), e("b", "c"), e("c", "d")}, []Edge{e("x", "y"), e("d", "a")}, 1, 4},
		{"out of order", nil, []Edge{e("c", "d"), e("d", "a"), e("b", "c"), e("a", "b")}, 3, 4},
	}
	for _, tc := range cases {
		tr := newTree(t, nil)
		if err := tr.Add(tc.existing); err != nil {
			t.Fatalf("%s: existing edges: %v", tc.name, err)
		}
		before, nodes := tr.Snapshot(), tr.Len()
		err := tr.Add(tc.batch)
		var ce *CycleError
		if !errors.Is(err, ErrCycle) || !errors.As(err, &ce) || ce.Index != tc.index || ce.Length != tc.length {
			t.Errorf("%s: err = %v, want a cycle of %d closed by edge %d", tc.name, err, tc.length, tc.index)
		}
		if diff := cmp.Diff(before, tr.Snapshot(), cmpOpts); diff != "" {
			t.Errorf("%s: the refused batch changed the tree:\n%s", tc.name, diff)
		}
		if tr.Len() != nodes {
			t.Errorf("%s: a refused batch created customers", tc.name)
		}
	}
	// Other batch errors name their index too.
	tr := newTree(t, nil)
	for name, tc := range map[string]struct {
		batch []Edge
		index int
		want  error
	}{
		"self":          {[]Edge{e("a", "b"), e("c", "c")}, 1, ErrSelfReferral},
		"two referrers": {[]Edge{e("a", "b"), e("c", "b")}, 1, ErrAlreadyReferred},
		"zero time":     {[]Edge{{Referrer: "a", Referee: "b"}}, 0, ErrInvalid},
		"bad id":        {[]Edge{e("a", "b"), e("a", "")}, 1, ErrInvalid},
	} {
		err := tr.Add(tc.batch)
		var fe *Error
		if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.Index != tc.index {
			t.Errorf("%s: err = %v, want %v at index %d", name, err, tc.want, tc.index)
		}
	}
	if tr.Len() != 0 {
		t.Fatalf("refused batches created %d customers", tr.Len())
	}
	// A long chain added leaf-first is accepted, and closing it is refused.
	var chain []Edge
	for i := 5000; i > 0; i-- {
		chain = append(chain, e(fmt.Sprint("n", i-1), fmt.Sprint("n", i)))
	}
	if err := tr.Add(chain); err != nil {
		t.Fatal(err)
	}
	err := tr.Add([]Edge{e("n5000", "n0")})
	var ce *CycleError
	if !errors.As(err, &ce) || ce.Length != 5001 {
		t.Fatalf("closing a chain of 5001: %v", err)
	}
	if got := tr.Chain("n5000", 3); len(got) != 3 || got[0] != "n4999" || got[2] != "n4997" {
		t.Fatalf("Chain = %v", got)
	}
}

func TestQualify(t *testing.T) {
	tr := newTree(t, &Options{Window: 10 * day, Rewards: []decimal.Decimal{d(500), d(0), d(50)}, RefereeReward: d(200), MaxRewarded: 2})
	if err := tr.Add([]Edge{
		{Referrer: "root", Referee: "a", At: t0},
		{Referrer: "a", Referee: "b", At: t0},
		{Referrer: "b", Referee: "c", At: t0},
		{Referrer: "c", Referee: "d", At: t0},
		{Referrer: "c", Referee: "e", At: t0},
		{Referrer: "c", Referee: "f", At: t0},
	}); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		who  string
		at   time.Time
		want error
	}{
		"before referral": {"d", t0.Add(-time.Second), ErrOutsideWindow},
		"after window":    {"d", t0.Add(10*day + time.Second), ErrOutsideWindow},
		"not referred":    {"root", t0, ErrNotReferred},
		"unknown":         {"zed", t0, ErrUnknownCustomer},
		"zero time":       {"d", time.Time{}, ErrInvalid},
	} {
		if _, err := tr.Qualify(tc.who, tc.at, 0); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.want)
		}
	}
	if _, err := tr.Qualify("d", t0, 1<<7); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown flag: %v", err)
	}
	q, err := tr.Qualify("d", t0.Add(10*day), 0) // the window's end is included
	if err != nil {
		t.Fatal(err)
	}
	want := []Reward{
		{ID: tr.RewardID("d", 0), Beneficiary: "d", Referee: "d", Generation: 0, Points: d(200)},
		{ID: tr.RewardID("d", 1), Beneficiary: "c", Referee: "d", Generation: 1, Points: d(500)},
		{ID: tr.RewardID("d", 3), Beneficiary: "a", Referee: "d", Generation: 3, Points: d(50)},
	}
	if diff := cmp.Diff(want, q.Rewards, cmpOpts); diff != "" {
		t.Fatalf("rewards:\n%s", diff)
	}
	again, err := tr.Qualify("d", t0.Add(time.Hour), FlagSharedDevice)
	if err != nil || !again.Duplicate || !again.At.Equal(t0.Add(10*day)) {
		t.Fatalf("second qualification: %+v, %v", again, err)
	}
	// Flagged: held. Third reward of c: capped.
	q, _ = tr.Qualify("e", t0, FlagSharedNetwork|FlagSharedPayee)
	if q.Rewards[1].Status != StatusHeld || q.Rewards[0].Status != StatusHeld || q.Rewards[1].Flags.String() != "network,payee" {
		t.Fatalf("flagged rewards: %+v", q.Rewards)
	}
	q, _ = tr.Qualify("f", t0, 0)
	if q.Rewards[1].Beneficiary != "c" || q.Rewards[1].Status != StatusCapped || q.Rewards[0].Status != StatusPayable {
		t.Fatalf("capped rewards: %+v", q.Rewards)
	}
	ids := map[string]bool{}
	for _, r := range []string{"d", "e", "f"} {
		for g := range 4 {
			ids[tr.RewardID(r, g)] = true
		}
	}
	if len(ids) != 12 {
		t.Fatalf("reward IDs collide: %d distinct of 12", len(ids))
	}
	other := newTree(t, &Options{Code: CodeOptions{Programme: "other"}})
	if other.RewardID("d", 1) == tr.RewardID("d", 1) {
		t.Fatal("reward IDs do not depend on the programme")
	}
	pay := newTree(t, &Options{Rewards: []decimal.Decimal{d(1)}, PayFlagged: true})
	_ = pay.Add([]Edge{{Referrer: "a", Referee: "b", At: t0}})
	if q, _ := pay.Qualify("b", t0, FlagSharedDevice); q.Rewards[0].Status != StatusPayable {
		t.Fatalf("PayFlagged: %+v", q.Rewards)
	}
}

func TestNewTreeErrors(t *testing.T) {
	for name, o := range map[string]*Options{
		"window":        {Window: -1},
		"generations":   {Rewards: make([]decimal.Decimal, MaxGenerations+1)},
		"negative":      {Rewards: []decimal.Decimal{d(-1)}},
		"huge":          {RefereeReward: decimal.New(1, 16)},
		"max rewarded":  {MaxRewarded: -1},
		"max attempts":  {MaxAttempts: -1},
		"absurd reward": {Rewards: []decimal.Decimal{decimal.New(1, 400)}},
		"code length":   {Code: CodeOptions{Length: 3}},
	} {
		if _, err := NewTree(testSecret, o); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

// TestGenerations checks the K-factor on a forest with known counts:
// seeds s1, s2 (invites 4 and 6); s1 referred a, b (a qualified); s2
// referred c; a referred d. K0 = 3/2, i0 = 10/2 = 5, c0 = 3/10; K1 =
// 1/3; K2 = 0.
func TestGenerations(t *testing.T) {
	tr := newTree(t, &Options{Window: 100 * day})
	_ = tr.Add([]Edge{
		{Referrer: "s1", Referee: "a", At: t0}, {Referrer: "s1", Referee: "b", At: t0},
		{Referrer: "s2", Referee: "c", At: t0}, {Referrer: "a", Referee: "d", At: t0},
	})
	_ = tr.Invite("s1", 4)
	_ = tr.Invite("s2", 6)
	if _, err := tr.Qualify("a", t0, 0); err != nil {
		t.Fatal(err)
	}
	if err := tr.Invite("s1", -1); !errors.Is(err, ErrInvalid) {
		t.Fatalf("negative invites: %v", err)
	}
	want := []Generation{
		{Depth: 0, Customers: 2, Invites: 10, Referred: 3, Qualified: 1, InvitesPerCustomer: 5, Conversion: 0.3, K: 1.5, KQualified: 0.5},
		{Depth: 1, Customers: 3, Referred: 1, K: 1.0 / 3},
		{Depth: 2, Customers: 1},
	}
	if diff := cmp.Diff(want, tr.Generations()); diff != "" {
		t.Fatalf("generations:\n%s", diff)
	}
}

// TestSnapshotRoundTrip: Snapshot, JSON, DecodeSnapshot and Restore give
// back the same tree, codes and rewards; Restore is deterministic.
func TestSnapshotRoundTrip(t *testing.T) {
	o := &Options{Rewards: []decimal.Decimal{d(10), d(5)}, MaxRewarded: 1, Window: 5 * day}
	tr := newTree(t, o)
	for i := range 30 {
		id := fmt.Sprint("c", i)
		if _, err := tr.Issue(id); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			ref := fmt.Sprint("c", (i-1)/2)
			code, _ := tr.Issue(ref)
			if err := tr.Refer(id, string(code), t0.Add(time.Duration(i)*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		_ = tr.Invite(id, i%4)
	}
	for i := 29; i > 0; i -= 3 {
		if _, err := tr.Qualify(fmt.Sprint("c", i), t0.Add(2*day), Flags(i%3)); err != nil {
			t.Fatal(err)
		}
	}
	snap := tr.Snapshot()
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := DecodeSnapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Restore(testSecret, o, dec)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap, back.Snapshot(), cmpOpts); diff != "" {
		t.Fatalf("round trip changed the snapshot:\n%s", diff)
	}
	for i := range 30 {
		id := fmt.Sprint("c", i)
		c1, _ := tr.Issue(id)
		c2, _ := back.Issue(id)
		q1, e1 := tr.Qualify(id, t0.Add(2*day), 0)
		q2, e2 := back.Qualify(id, t0.Add(2*day), 0)
		if c1 != c2 || fmt.Sprint(e1) != fmt.Sprint(e2) {
			t.Fatalf("%s: codes or errors differ after restore", id)
		}
		if diff := cmp.Diff(q1, q2, cmpOpts); diff != "" {
			t.Fatalf("%s: qualification differs after restore:\n%s", id, diff)
		}
	}
	if diff := cmp.Diff(tr.Generations(), back.Generations()); diff != "" {
		t.Fatalf("generations differ:\n%s", diff)
	}
}

func TestRestoreErrors(t *testing.T) {
	good := Snapshot{Version: 1, Codes: []IssuedCode{{Customer: "a"}}, Referrals: []Edge{{Referrer: "a", Referee: "b", At: t0}}}
	for name, f := range map[string]func(*Snapshot){
		"version":           func(s *Snapshot) { s.Version = 2 },
		"duplicate code":    func(s *Snapshot) { s.Codes = append(s.Codes, IssuedCode{Customer: "a", Attempt: 1}) },
		"attempt range":     func(s *Snapshot) { s.Codes[0].Attempt = 99 },
		"cycle":             func(s *Snapshot) { s.Referrals = append(s.Referrals, Edge{Referrer: "b", Referee: "a", At: t0}) },
		"qualified unknown": func(s *Snapshot) { s.Qualified = []Qualified{{Referee: "zz", At: t0}} },
		"qualified twice":   func(s *Snapshot) { s.Qualified = []Qualified{{Referee: "b", At: t0}, {Referee: "b", At: t0}} },
		"qualified early":   func(s *Snapshot) { s.Qualified = []Qualified{{Referee: "b", At: t0.Add(-1)}} },
		"bad flags":         func(s *Snapshot) { s.Qualified = []Qualified{{Referee: "b", At: t0, Flags: 64}} },
		"negative invites":  func(s *Snapshot) { s.Invites = []InvitesSent{{Customer: "a", Count: -1}} },
	} {
		s := good
		s.Codes = append([]IssuedCode(nil), good.Codes...)
		s.Referrals = append([]Edge(nil), good.Referrals...)
		f(&s)
		if _, err := Restore(testSecret, nil, s); err == nil {
			t.Errorf("%s: Restore accepted a bad snapshot", name)
		}
	}
	if _, err := Restore(testSecret, nil, good); err != nil {
		t.Fatalf("good snapshot: %v", err)
	}
	for _, in := range []string{`{"version":1,"extra":1}`, `{"version":1} {}`, `nope`} {
		if _, err := DecodeSnapshot([]byte(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeSnapshot(%s): %v", in, err)
		}
	}
}
