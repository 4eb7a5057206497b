package referral

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// FuzzParse feeds arbitrary text to Coder.Parse: errors are fine, panics
// are not; an accepted code is canonical, round-trips through Format and
// passes its own check; no error echoes the input.
func FuzzParse(f *testing.F) {
	c, _ := NewCoder(testSecret, nil)
	for _, s := range []string{string(c.Code("alice", 0)), c.Code("bob", 3).Format(), "7kq2-m9xd-h", "OIL0-1234-5", "", "----", "ÀÉ", "0000-0000-0", "ZZZZ ZZZZ Z", strings.Repeat("A", 60)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := c.Parse(s)
		if err != nil {
			var e *Error
			if !errors.Is(err, ErrCode) || !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error wrapping ErrCode", err)
			}
			if len(s) >= 4 && strings.Contains(err.Error(), s) {
				t.Fatalf("error echoes the input: %v", err)
			}
			return
		}
		if len(code) != c.Length() {
			t.Fatalf("accepted %q of length %d", code, len(code))
		}
		for i := 0; i < len(code); i++ {
			if !strings.Contains(alphabet, string(code[i:i+1])) {
				t.Fatalf("non-canonical symbol in %q", code)
			}
		}
		if again, err := c.Parse(code.Format()); err != nil || again != code {
			t.Fatalf("Format round trip: %q %v", again, err)
		}
	})
}

// FuzzAdd builds referral batches from bytes (each pair of bytes is an
// edge between two of 12 customers) and adds them to a small tree: a
// refused batch leaves the tree unchanged; an accepted one keeps the tree
// a forest (every chain ends, generations partition the customers).
func FuzzAdd(f *testing.F) {
	for _, s := range [][]byte{{0, 1, 1, 2, 2, 0}, {0, 1, 2, 3, 4, 5}, {3, 3}, {0, 1, 0, 1}, {1, 0, 2, 0}, {5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0, 5}} {
		f.Add(s)
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 200 {
			return
		}
		tr, _ := NewTree(testSecret, &Options{Rewards: []decimal.Decimal{decimal.NewFromInt(1)}})
		_ = tr.Add([]Edge{{Referrer: "c0", Referee: "c1", At: t0}, {Referrer: "c1", Referee: "c2", At: t0}})
		var batch []Edge
		for i := 0; i+1 < len(data); i += 2 {
			batch = append(batch, Edge{Referrer: fmt.Sprint("c", data[i]%12), Referee: fmt.Sprint("c", data[i+1]%12), At: t0.Add(time.Duration(data[i]>>4) * time.Hour)})
		}
		before := tr.Snapshot()
		if err := tr.Add(batch); err != nil {
			var e *Error
			var ce *CycleError
			if !errors.As(err, &e) && !errors.As(err, &ce) {
				t.Fatalf("untyped error %v", err)
			}
			if diff := cmp.Diff(before, tr.Snapshot()); diff != "" {
				t.Fatalf("refused batch changed the tree:\n%s", diff)
			}
			return
		}
		total := 0
		for _, g := range tr.Generations() {
			total += g.Customers
		}
		if total != tr.Len() {
			t.Fatalf("generations hold %d customers of %d: a cycle escaped", total, tr.Len())
		}
		for i := range 12 {
			if len(tr.Chain(fmt.Sprint("c", i), 0)) > 12 {
				t.Fatal("chain longer than the customers")
			}
		}
	})
}

// FuzzRestore decodes arbitrary JSON as a snapshot and restores it:
// errors are fine, panics are not; a restored tree snapshots to a
// snapshot that restores to the same tree.
func FuzzRestore(f *testing.F) {
	tr, _ := NewTree(testSecret, nil)
	_, _ = tr.Issue("a")
	_ = tr.Add([]Edge{{Referrer: "a", Referee: "b", At: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}})
	_, _ = tr.Qualify("b", time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), FlagSharedDevice)
	_ = tr.Invite("a", 3)
	good, _ := json.Marshal(tr.Snapshot())
	for _, s := range []string{string(good), `{"version":1}`, `{"version":1,"codes":[{"customer":"a","attempt":0},{"customer":"b","attempt":0}]}`,
		`{"version":1,"referrals":[{"referrer":"a","referee":"b","at":"2025-01-01T00:00:00Z"},{"referrer":"b","referee":"a","at":"2025-01-01T00:00:00Z"}]}`,
		`{"version":1,"invites":[{"customer":"a","count":1099511627776},{"customer":"a","count":1099511627776}]}`, `{"version":0}`, `[]`} {
		f.Add([]byte(s))
	}
	opts := &Options{Rewards: []decimal.Decimal{decimal.NewFromInt(5), decimal.NewFromInt(1)}, MaxRewarded: 2}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		s, err := DecodeSnapshot(data)
		if err != nil {
			return
		}
		tr, err := Restore(testSecret, opts, s)
		if err != nil {
			var e *Error
			var ce *CycleError
			if !errors.As(err, &e) && !errors.As(err, &ce) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		snap := tr.Snapshot()
		back, err := Restore(testSecret, opts, snap)
		if err != nil {
			t.Fatalf("restoring a tree's own snapshot: %v", err)
		}
		if diff := cmp.Diff(snap, back.Snapshot()); diff != "" {
			t.Fatalf("snapshot round trip differs:\n%s", diff)
		}
	})
}
