package rewards

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDecodeOp feeds arbitrary bytes to DecodeOp and applies what decodes:
// errors are fine, panics are not; a decoded operation survives a JSON
// round trip with the same fingerprint; Apply returns only typed errors
// and leaves the ledger consistent.
func FuzzDecodeOp(f *testing.F) {
	for _, s := range []string{
		`{"id":"e1","kind":"earn","customer":"c1","points":"100","at":"2025-01-01T09:00:00Z"}`,
		`{"id":"e2","kind":"earn","customer":"c1","points":12.5,"at":"2025-01-01T09:00:00+08:00","expires_at":"2026-01-01T00:00:00Z","ref":"salary"}`,
		`{"id":"r1","kind":"redeem","customer":"c1","sku":"mug","qty":1,"at":"2025-01-02T09:00:00Z"}`,
		`{"id":"r2","kind":"redeem","customer":"c1","points":"1e3","at":"2025-01-02T09:00:00Z"}`,
		`{"id":"o1","kind":"redeem_offline","customer":"c1","sku":"mug","qty":2,"at":"2025-01-02T09:00:00Z","ref":"branch-7"}`,
		`{"id":"a1","kind":"activate","customer":"c1","target":"o1","at":"2025-01-03T09:00:00Z"}`,
		`{"id":"x1","kind":"cancel","customer":"c1","target":"o1","at":"2025-01-03T09:00:00Z"}`,
		`{"id":"s1","kind":"restock","sku":"mug","qty":5,"at":"2025-01-03T09:00:00Z"}`,
		`{"id":"~expire/e1","kind":"expire","customer":"c1","at":"2025-01-03T09:00:00Z"}`,
		`{"id":"e3","kind":"earn","customer":"c1","points":"-0.000000000000000000000000000000001","at":"2025-01-01T09:00:00Z"}`,
		`{"id":"e4","kind":"earn","customer":"c1","points":"1e15","at":"0001-01-01T00:00:00Z"}`,
		`{"id":"e5","kind":"earn","customer":"c\u0000","points":"1","at":"2025-01-01T09:00:00Z"}`,
		`{"kind":"earn"}{"kind":"earn"}`,
		`{"id":1}`,
		`null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		op, err := DecodeOp(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("DecodeOp error not ErrInvalid: %v", err)
			}
			return
		}
		b, err := json.Marshal(op)
		if err != nil {
			t.Fatalf("marshal of a decoded op: %v", err)
		}
		back, err := DecodeOp(b)
		if err != nil {
			t.Fatalf("decode of a re-encoded op: %v\n%s", err, b)
		}
		if back.Fingerprint() != op.Fingerprint() {
			t.Fatalf("round trip changed the op:\n%+v\n%+v", op, back)
		}
		l, s := newLedger(t, &Options{MaxScale: 2, Validity: 30 * day})
		if err := l.PutItem(ctx, Item{SKU: "mug", Cost: pts("10"), Stock: 3}); err != nil {
			t.Fatal(err)
		}
		mustApply(t, l, Op{ID: "seed-earn", Kind: KindEarn, Customer: "c1", Points: pts("50"), At: t0})
		mustApply(t, l, Op{ID: "o1", Kind: KindRedeemOffline, Customer: "c1", SKU: "mug", Qty: 1, At: t0})
		for range 2 {
			if _, err := l.Apply(ctx, op); err != nil {
				var oe *OpError
				if !errors.As(err, &oe) {
					t.Fatalf("Apply error is not an *OpError: %v", err)
				}
			}
		}
		checkInvariants(t, l, s, map[string]int64{"mug": 3})
	})
}
