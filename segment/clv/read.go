package clv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// maxLine bounds the length of one line of a transaction file; minYear is
// the earliest year a transaction date may have.
const (
	maxLine = 64 << 10
	minYear = 1900
)

// ReadCDNOW reads a transaction log in the layout of the CDNOW data set of
// Fader, Hardie & Lee (2005): one purchase per line, whitespace-separated
//
//	customer [sample_id] yyyymmdd quantity dollars
//
// (four or five fields; sample_id is ignored), optionally preceded by a
// header line, recognised as a first line with neither a yyyymmdd field
// nor a number in the last field. Blank
// lines are skipped. quantity must be a non-negative integer (it is checked
// and ignored); dollars a plain non-negative decimal ("29.33", no exponent).
// Dates before 1900 are rejected.
//
// Errors are *ParseError values naming the line and field, wrapping
// ErrSyntax (malformed line, field or date) or ErrTransaction (negative or
// oversized amount); ErrEmpty if there is no transaction.
func ReadCDNOW(r io.Reader) ([]Transaction, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var txs []Transaction
	line, seen := 0, false
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		first := !seen
		seen = true
		if first && !hasDate(f) && !isNumber(f[len(f)-1]) {
			continue // header
		}
		if len(f) != 4 && len(f) != 5 {
			return nil, &ParseError{Line: line, Reason: "want 4 or 5 fields", Err: ErrSyntax}
		}
		n := len(f)
		date, err := time.Parse("20060102", f[n-3])
		if err != nil || len(f[n-3]) != 8 || date.Year() < minYear {
			return nil, &ParseError{Line: line, Field: "date", Reason: "not a yyyymmdd date from 1900 on", Err: ErrSyntax}
		}
		if q, err := strconv.Atoi(f[n-2]); err != nil || q < 0 {
			return nil, &ParseError{Line: line, Field: "quantity", Reason: "not a non-negative integer", Err: ErrSyntax}
		}
		amt, err := parseAmount(f[n-1])
		if err != nil {
			return nil, &ParseError{Line: line, Field: "dollars", Reason: err.Error(), Err: errors.Unwrap(err)}
		}
		txs = append(txs, Transaction{Customer: f[0], Date: date, Amount: amt})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &ParseError{Line: line + 1, Reason: "line too long", Err: ErrSyntax}
		}
		return nil, err
	}
	if len(txs) == 0 {
		return nil, ErrEmpty
	}
	return txs, nil
}

// ReadCSV reads a transaction log as CSV (RFC 4180) with the header
// customer_id,date,amount (any letter case) and one purchase per record:
// a non-empty customer identifier, an ISO date YYYY-MM-DD from 1900 on and
// a plain non-negative decimal amount. Fields are trimmed of spaces.
//
// Errors are *ParseError values naming the line and field, wrapping
// ErrSyntax or ErrTransaction; ErrEmpty if there is no transaction.
func ReadCSV(r io.Reader) ([]Transaction, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, ErrEmpty
	}
	if err != nil {
		return nil, csvErr(err)
	}
	want := [3]string{"customer_id", "date", "amount"}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !strings.EqualFold(h, want[i]) {
			return nil, &ParseError{Line: 1, Field: want[i], Reason: "header must be customer_id,date,amount", Err: ErrSyntax}
		}
	}
	var txs []Transaction
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(err)
		}
		line, _ := cr.FieldPos(0)
		id := strings.TrimSpace(rec[0])
		if id == "" {
			return nil, &ParseError{Line: line, Field: "customer_id", Reason: "empty", Err: ErrTransaction}
		}
		date, err := time.Parse("2006-01-02", strings.TrimSpace(rec[1]))
		if err != nil || date.Year() < minYear {
			return nil, &ParseError{Line: line, Field: "date", Reason: "not a YYYY-MM-DD date from 1900 on", Err: ErrSyntax}
		}
		amt, err := parseAmount(strings.TrimSpace(rec[2]))
		if err != nil {
			return nil, &ParseError{Line: line, Field: "amount", Reason: err.Error(), Err: errors.Unwrap(err)}
		}
		txs = append(txs, Transaction{Customer: strings.Clone(id), Date: date, Amount: amt})
	}
	if len(txs) == 0 {
		return nil, ErrEmpty
	}
	return txs, nil
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{Line: pe.Line, Reason: pe.Err.Error(), Err: ErrSyntax}
	}
	return err
}

// amountError carries a reason and unwraps to its sentinel.
type amountError struct {
	reason string
	err    error
}

func (e *amountError) Error() string { return e.reason }
func (e *amountError) Unwrap() error { return e.err }

// hasDate reports whether a field is a valid yyyymmdd date.
func hasDate(fields []string) bool {
	for _, f := range fields {
		if len(f) == 8 {
			if _, err := time.Parse("20060102", f); err == nil {
				return true
			}
		}
	}
	return false
}

// isNumber reports whether s is a plain decimal number, optionally signed.
func isNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// parseAmount parses a plain non-negative decimal of at most 32 characters
// below 10^15.
func parseAmount(s string) (decimal.Decimal, error) {
	if len(s) > 32 || !isNumber(s) {
		return decimal.Decimal{}, &amountError{"not a plain decimal number", ErrSyntax}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, &amountError{"not a plain decimal number", ErrSyntax}
	}
	if d.Sign() < 0 {
		return decimal.Decimal{}, &amountError{"negative", ErrTransaction}
	}
	if d.Cmp(amountLimit()) >= 0 {
		return decimal.Decimal{}, &amountError{"not below 10^15", ErrTransaction}
	}
	return d, nil
}
