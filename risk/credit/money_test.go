package credit

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestPaymentAnnuity checks Payment against the annuity formula computed in
// float64 independently: A = P i / (1 − (1+i)^−n), rounded up to the cent.
func TestPaymentAnnuity(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		p := float64(1+r.IntN(10_000_000)) / 100
		rate := float64(r.IntN(3000)) / 10000 // 0% to 30%
		n := 1 + r.IntN(360)
		var want float64
		if rate == 0 {
			want = p / float64(n)
		} else {
			i := rate / 12
			want = p * i / (1 - math.Pow(1+i, -float64(n)))
		}
		got, err := Payment(decimal.NewFromFloat(p), decimal.NewFromFloat(rate), n, 2)
		if err != nil {
			t.Fatal(err)
		}
		g := got.InexactFloat64()
		// Rounded up to the cent: want <= got < want + 0.01 (float slack).
		if g < want-1e-6 || g > want+0.01+1e-6 {
			t.Fatalf("Payment(%v, %v, %d) = %v, formula %v", p, rate, n, got, want)
		}
		if !got.Equal(got.RoundCeil(2)) {
			t.Fatalf("payment %v not at the cent", got)
		}
	}
}

// TestMaxPrincipalIsMaximal: the instalment on MaxPrincipal(A) is at most
// A, and one more cent would cost more than A.
func TestMaxPrincipalIsMaximal(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	cent := decimal.New(1, -2)
	for range 300 {
		a := decimal.New(int64(100+r.IntN(2_000_000)), -2)
		rate := decimal.New(int64(r.IntN(3000)), -4)
		n := 1 + r.IntN(120)
		p, err := MaxPrincipal(a, rate, n, 2)
		if err != nil {
			t.Fatal(err)
		}
		pay, _ := Payment(p, rate, n, 2)
		if pay.Cmp(a) > 0 {
			t.Fatalf("Payment(MaxPrincipal(%v)) = %v > %v (rate %v, n %d)", a, pay, a, rate, n)
		}
		more, _ := Payment(p.Add(cent), rate, n, 2)
		if more.Cmp(a) <= 0 {
			t.Fatalf("MaxPrincipal(%v) = %v not maximal: one cent more pays %v (rate %v, n %d)", a, p, more, rate, n)
		}
	}
}

func TestPaymentEdges(t *testing.T) {
	// Interest-free: principal / n, rounded up.
	got, err := Payment(decimal.NewFromInt(100), decimal.Zero, 3, 2)
	if err != nil || !got.Equal(decimal.RequireFromString("33.34")) {
		t.Fatalf("interest-free payment %v, %v", got, err)
	}
	// Zero principal pays nothing.
	if got, _ := Payment(decimal.Zero, decimal.New(1, -1), 12, 2); !got.IsZero() {
		t.Fatalf("zero principal pays %v", got)
	}
	// Yen: no minor unit.
	if got, _ := Payment(decimal.NewFromInt(100000), decimal.New(12, -2), 12, 0); !got.Equal(got.Round(0)) {
		t.Fatalf("yen payment %v has decimals", got)
	}
	bad := []struct {
		p, r   decimal.Decimal
		n      int
		places int32
	}{
		{decimal.NewFromInt(-1), decimal.Zero, 12, 2},
		{decimal.NewFromInt(1), decimal.NewFromInt(-1), 12, 2},
		{decimal.NewFromInt(1), decimal.NewFromInt(11), 12, 2},
		{decimal.NewFromInt(1), decimal.Zero, 0, 2},
		{decimal.NewFromInt(1), decimal.Zero, 481, 2},
		{decimal.NewFromInt(1), decimal.Zero, 12, -1},
		{decimal.New(1, 30), decimal.Zero, 12, 2},
	}
	for _, b := range bad {
		if _, err := Payment(b.p, b.r, b.n, b.places); !errors.Is(err, ErrInvalid) {
			t.Errorf("Payment(%v, %v, %d, %d): error %v, want ErrInvalid", b.p, b.r, b.n, b.places, err)
		}
		if _, err := MaxPrincipal(b.p, b.r, b.n, b.places); !errors.Is(err, ErrInvalid) {
			t.Errorf("MaxPrincipal(%v, %v, %d, %d): error %v, want ErrInvalid", b.p, b.r, b.n, b.places, err)
		}
	}
}
