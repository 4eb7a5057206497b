package uplift

import (
	"errors"
	"math"
	"testing"
)

// decodeRows turns bytes into rows: each byte is one row, its low 5 bits
// the score (so ties are common), bit 5 the arm, bit 6 the response; bit 7
// set on the first byte makes the first score NaN.
func decodeRows(data []byte) (score []float64, treated, responded []bool) {
	for i, b := range data {
		s := float64(b & 31)
		if i == 0 && b&128 != 0 {
			s = math.NaN()
		}
		score = append(score, s)
		treated = append(treated, b&32 != 0)
		responded = append(responded, b&64 != 0)
	}
	return score, treated, responded
}

// FuzzEvaluate feeds arbitrary rows to the metrics: errors are typed,
// results are finite, the coefficients of the oracle rankings are 1 when
// defined, and curves start at (0, 0) and end at n.
func FuzzEvaluate(f *testing.F) {
	for _, s := range [][]byte{{0x61, 0x20, 0x43, 0x05}, {0x20, 0x00}, {0xff, 0x20, 0x00}, {0x60, 0x60, 0x40, 0x40}, {1, 2, 3, 4, 5, 6, 7, 8, 0x21, 0x62}, {}} {
		f.Add(s, 0.3)
	}
	f.Fuzz(func(t *testing.T, data []byte, k float64) {
		if len(data) > 2000 {
			return
		}
		score, treated, responded := decodeRows(data)
		ev, err := Evaluate(score, treated, responded, k)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("untyped error %v", err)
			}
			for _, s := range []error{ErrEmpty, ErrNonFinite, ErrGroup, ErrRange, ErrLength} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("unexpected sentinel: %v", err)
		}
		for name, v := range map[string]float64{"ATE": ev.ATE, "Qini": ev.Qini, "AUUC": ev.AUUC, "QiniGain": ev.QiniGain, "UpliftGain": ev.UpliftGain, "UpliftAtK": ev.UpliftAtK} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s = %v", name, v)
			}
		}
		if ev.UpliftAtK < -1 || ev.UpliftAtK > 1 || ev.ATE < -1 || ev.ATE > 1 {
			t.Fatalf("rates out of range: %+v", ev)
		}
		q, _ := QiniCurve(score, treated, responded)
		if q[0] != (Point{}) || q[len(q)-1].Targeted != len(score) {
			t.Fatalf("Qini curve ends: %v ... %v", q[0], q[len(q)-1])
		}
		if p := perfectQiniScore(treated, responded); true {
			c, _ := Qini(p, treated, responded)
			if c != 0 && math.Abs(c-1) > 1e-9 {
				t.Fatalf("oracle Qini = %v", c)
			}
		}
	})
}

// FuzzContactCurve feeds arbitrary counts: errors are typed; shares are
// in [0, 1] and cumulative shares never fall.
func FuzzContactCurve(f *testing.F) {
	f.Add([]byte{1, 1, 2, 3, 3, 3}, []byte{1, 0, 1, 0, 0, 1}, 0)
	f.Add([]byte{0}, []byte{1}, 3)
	f.Add([]byte{9, 200}, []byte{0, 1}, -1)
	f.Fuzz(func(t *testing.T, c, conv []byte, upTo int) {
		if len(c) > 1000 {
			return
		}
		contacts := make([]int, len(c))
		for i, v := range c {
			contacts[i] = int(v)
		}
		converted := make([]bool, len(conv))
		for i, v := range conv {
			converted[i] = v&1 == 1
		}
		rows, err := ContactCurve(contacts, converted, upTo)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		prev := ContactRow{}
		for _, r := range rows {
			for _, v := range []float64{r.Rate, r.Hazard, r.CumConversions, r.CumContacts} {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("share out of [0,1]: %+v", r)
				}
			}
			if r.CumConversions < prev.CumConversions || r.CumContacts < prev.CumContacts {
				t.Fatalf("cumulative share fell: %+v after %+v", r, prev)
			}
			prev = r
		}
		if _, err := SuggestCap(rows, 0.5); err != nil {
			t.Fatal(err)
		}
	})
}
