package credit

import (
	"github.com/shopspring/decimal"
)

// workPlaces is the number of decimal places kept in intermediate annuity
// arithmetic: far below a minor unit for any amount up to 10^15.
const workPlaces = 30

var (
	one    = decimal.NewFromInt(1)
	twelve = decimal.NewFromInt(12)
	maxAPR = decimal.NewFromInt(10) // 1000% a year: anything above is a typo
)

// checkAnnuity validates the inputs shared by Payment and MaxPrincipal.
func checkAnnuity(field string, amount, annualRate decimal.Decimal, months int, places int32) error {
	switch {
	case amount.Sign() < 0 || amount.Exponent() < -18 || amount.Exponent() > 15 || amount.NumDigits() > 34 || amount.Cmp(maxMoney) > 0:
		return fieldErr(field, "must be between 0 and 10^15", ErrInvalid)
	case annualRate.Sign() < 0 || annualRate.Exponent() < -18 || annualRate.Cmp(maxAPR) > 0:
		return fieldErr("annualRate", "must be between 0 and 10", ErrInvalid)
	case months < 1 || months > MaxTermMonths:
		return fieldErr("months", "must be 1 to 480", ErrInvalid)
	case places < 0 || places > 8:
		return fieldErr("places", "must be 0 to 8", ErrInvalid)
	}
	return nil
}

// discount returns the monthly rate i = annualRate/12 and v = (1+i)^−n,
// both to workPlaces decimal places. (1+i)^n is computed by repeated
// squaring, rounding to workPlaces places at each step, so the result is
// the same on every platform.
func discount(annualRate decimal.Decimal, n int) (i, v decimal.Decimal) {
	i = annualRate.DivRound(twelve, workPlaces)
	base, pow := one.Add(i), one
	for e := n; e > 0; e >>= 1 {
		if e&1 == 1 {
			pow = pow.Mul(base).Round(workPlaces)
		}
		base = base.Mul(base).Round(workPlaces)
	}
	return i, one.DivRound(pow, workPlaces)
}

// Payment returns the level monthly instalment that repays principal in
// months equal payments at the nominal annual rate annualRate (0.12 for
// 12%) compounded monthly: the annuity formula
//
//	A = P · i / (1 − (1 + i)^−n),  i = annualRate / 12,
//
// the present value of an ordinary annuity solved for the payment (for
// example Brealey, Myers & Allen, "Principles of Corporate Finance", ch. 2;
// the same level-payment amortisation as 12 CFR 1026 Appendix J), and
// A = P / n without interest. The result is rounded up to places decimal
// places (the currency's minor unit), so that the instalments repay the
// loan in full. Inputs out of range are a *FieldError (ErrInvalid).
func Payment(principal, annualRate decimal.Decimal, months int, places int32) (decimal.Decimal, error) {
	if err := checkAnnuity("principal", principal, annualRate, months, places); err != nil {
		return decimal.Decimal{}, err
	}
	return payment(principal, annualRate, months, places), nil
}

func payment(principal, annualRate decimal.Decimal, months int, places int32) decimal.Decimal {
	return newAnnuity(annualRate, months).payment(principal, places)
}

// MaxPrincipal returns the largest principal, in steps of 10^−places,
// whose instalment (as Payment computes it) is at most payment: the present
// value of the annuity, P = A · (1 − (1 + i)^−n) / i (A · n without
// interest), rounded down and then checked against Payment, so that the
// instalment on the result never exceeds payment.
func MaxPrincipal(payment, annualRate decimal.Decimal, months int, places int32) (decimal.Decimal, error) {
	if err := checkAnnuity("payment", payment, annualRate, months, places); err != nil {
		return decimal.Decimal{}, err
	}
	return newAnnuity(annualRate, months).maxPrincipal(payment, decimal.New(1, -places), places), nil
}

// annuity holds the discount terms of one rate and term, computed once.
type annuity struct {
	months int
	free   bool            // no interest
	i      decimal.Decimal // monthly rate
	v      decimal.Decimal // (1+i)^−n
}

func newAnnuity(annualRate decimal.Decimal, months int) annuity {
	a := annuity{months: months, free: annualRate.Sign() == 0}
	if !a.free {
		a.i, a.v = discount(annualRate, months)
	}
	return a
}

// payment is the instalment on principal, rounded up to places.
func (a annuity) payment(principal decimal.Decimal, places int32) decimal.Decimal {
	if principal.Sign() == 0 {
		return decimal.Zero
	}
	if a.free {
		return principal.DivRound(decimal.NewFromInt(int64(a.months)), workPlaces).RoundCeil(places)
	}
	return principal.Mul(a.i).DivRound(one.Sub(a.v), workPlaces).RoundCeil(places)
}

// maxPrincipal returns the largest multiple of step whose instalment,
// rounded up to places decimal places, is at most pay.
func (a annuity) maxPrincipal(pay, step decimal.Decimal, places int32) decimal.Decimal {
	if pay.Sign() <= 0 {
		return decimal.Zero
	}
	var p decimal.Decimal
	if a.free {
		p = pay.Mul(decimal.NewFromInt(int64(a.months)))
	} else {
		p = pay.Mul(one.Sub(a.v)).DivRound(a.i, workPlaces)
	}
	p = floorTo(p, step)
	// Rounding the instalment up can lift it a minor unit above pay; step
	// down until it fits (at most a few steps).
	for p.Sign() > 0 && a.payment(p, places).Cmp(pay) > 0 {
		p = p.Sub(step)
	}
	if p.Sign() < 0 {
		return decimal.Zero
	}
	return p
}

// floorTo rounds d down to a multiple of step (> 0).
func floorTo(d, step decimal.Decimal) decimal.Decimal {
	if d.Sign() <= 0 {
		return decimal.Zero
	}
	if step.Coefficient().IsInt64() && step.Coefficient().Int64() == 1 {
		return d.RoundFloor(-step.Exponent()) // a power of ten
	}
	q := d.DivRound(step, workPlaces).Floor()
	return q.Mul(step)
}
