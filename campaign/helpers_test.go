package campaign_test

import (
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// decimalEqual compares decimals by value.
var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })
