package clv

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var txCmp = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

func TestReadCDNOW(t *testing.T) {
	want := []Transaction{
		{"00004", day(1997, 1, 1), dec("29.33")},
		{"00004", day(1997, 1, 18), dec("29.73")},
		{"00021", day(1997, 1, 1), dec("0")},
	}
	for name, in := range map[string]string{
		"five fields": " 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n00021 0002 19970101 0 0\n",
		"four fields": "00004 19970101 2 29.33\n00004 19970118 2 29.73\n00021 19970101 0 0.00",
		"header":      "customer_id sample_id date quantity dollars\n00004 0001 19970101 2 29.33\n\n00004 0001 19970118 2 29.73\r\n00021 0002 19970101 0 0\n",
	} {
		got, err := ReadCDNOW(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := cmp.Diff(want, got, txCmp); d != "" {
			t.Errorf("%s: (-want +got)\n%s", name, d)
		}
	}
}

func TestReadCDNOWErrors(t *testing.T) {
	for _, c := range []struct {
		in    string
		line  int
		field string
		err   error
	}{
		{"", 0, "", ErrEmpty},
		{"customer date quantity dollars\n", 0, "", ErrEmpty},
		{"1 19970101 1 2\n1 2 3\n", 2, "", ErrSyntax},
		{"1 1997-01-01 1 2\n", 1, "date", ErrSyntax},
		{"1 19970231 1 2\n", 1, "date", ErrSyntax},
		{"1 19970101 x 2\n", 1, "quantity", ErrSyntax},
		{"1 19970101 -1 2\n", 1, "quantity", ErrSyntax},
		{"1 19970101 1 2\n1 19970101 1 -2.5\n", 2, "dollars", ErrTransaction},
		{"1 19970101 1 2\n1 19970101 1 1e3\n", 2, "dollars", ErrSyntax},
		{"1 19970101 1 1000000000000000\n", 1, "dollars", ErrTransaction},
		{"1 19970101 1 NaN\n2 19970101 1 3\n", 1, "dollars", ErrSyntax},
		{"a b c d\n2 19970101 1 3 4 5\n", 2, "", ErrSyntax},
		{"1 19970101 1 2\n" + strings.Repeat("x", maxLine+10) + "\n", 2, "", ErrSyntax},
	} {
		_, err := ReadCDNOW(strings.NewReader(c.in))
		if !errors.Is(err, c.err) {
			t.Errorf("%.40q: error %v, want %v", c.in, err, c.err)
			continue
		}
		var pe *ParseError
		if c.line > 0 {
			if !errors.As(err, &pe) || pe.Line != c.line || pe.Field != c.field {
				t.Errorf("%.40q: error %#v, want line %d field %q", c.in, err, c.line, c.field)
			}
		}
	}
}

func TestReadCSV(t *testing.T) {
	in := "\ufeffCustomer_ID,date,Amount\nA-1,1997-01-01,29.33\n\"B,2\",1997-01-18, 0.5\n"
	got, err := ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Transaction{{"A-1", day(1997, 1, 1), dec("29.33")}, {"B,2", day(1997, 1, 18), dec("0.5")}}
	if d := cmp.Diff(want, got, txCmp); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	for _, c := range []struct {
		in   string
		line int
		err  error
	}{
		{"", 0, ErrEmpty},
		{"customer_id,date,amount\n", 0, ErrEmpty},
		{"id,date,amount\n1,1997-01-01,1\n", 1, ErrSyntax},
		{"customer_id,date,amount\n1,1997-01-01\n", 2, ErrSyntax},
		{"customer_id,date,amount\n1,19970101,1\n", 2, ErrSyntax},
		{"customer_id,date,amount\n1,1997-01-01,1\n ,1997-01-02,1\n", 3, ErrTransaction},
		{"customer_id,date,amount\n1,1997-01-01,-1\n", 2, ErrTransaction},
		{"customer_id,date,amount\n1,1997-01-01,\"1\n", 2, ErrSyntax},
	} {
		_, err := ReadCSV(strings.NewReader(c.in))
		var pe *ParseError
		if !errors.Is(err, c.err) || (c.line > 0 && (!errors.As(err, &pe) || pe.Line != c.line)) {
			t.Errorf("%q: error %v, want %v at line %d", c.in, err, c.err, c.line)
		}
	}
}

// Errors name the line and field but never echo the customer or amount.
func TestParseErrorRedacts(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("customer_id,date,amount\nSECRET-ID,1997-01-01,-123.45\n"))
	if err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "123") {
		t.Errorf("error %q", err)
	}
}

// writeCSV renders transactions in the CSV layout ReadCSV reads.
func writeCSV(txs []Transaction) string {
	var b bytes.Buffer
	b.WriteString("customer_id,date,amount\n")
	for _, tx := range txs {
		id := tx.Customer
		if strings.ContainsAny(id, ",\"\r\n") || strings.TrimSpace(id) != id {
			id = `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
		}
		fmt.Fprintf(&b, "%s,%s,%s\n", id, tx.Date.Format("2006-01-02"), tx.Amount.String())
	}
	return b.String()
}

// CDNOW → CSV → CDNOW-equivalent transactions, and the same summary.
func TestCSVRoundTripCDNOW(t *testing.T) {
	txs := loadCDNOW(t)
	back, err := ReadCSV(strings.NewReader(writeCSV(txs)))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(txs, back, txCmp); d != "" {
		t.Fatalf("(-cdnow +csv)\n%s", d)
	}
}

func FuzzReadCDNOW(f *testing.F) {
	f.Add([]byte(" 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n"))
	f.Add([]byte("customer date quantity dollars\n7 19970101 1 0\n7 19970101 1 5.5\n7 19980630 3 9\n"))
	f.Add([]byte("1 19970101 1 2\n1 19961231 1 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		txs, err := ReadCDNOW(bytes.NewReader(data))
		if err != nil {
			var pe *ParseError
			if !errors.Is(err, ErrEmpty) && !errors.As(err, &pe) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		checkTransactions(t, txs)
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("customer_id,date,amount\n1,1997-01-01,29.33\n1,1997-01-01,0\n2,1998-06-30,1.5\n"))
	f.Add([]byte("customer_id,date,amount\n\"a,b\",1997-01-02,3\n\"a,b\",1997-01-01,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		txs, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			var pe *ParseError
			if !errors.Is(err, ErrEmpty) && !errors.As(err, &pe) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		checkTransactions(t, txs)
		// Round trip through the CSV writer.
		back, err := ReadCSV(strings.NewReader(writeCSV(txs)))
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if d := cmp.Diff(txs, back, txCmp); d != "" {
			t.Fatalf("round trip (-first +second)\n%s", d)
		}
	})
}

// checkTransactions verifies reader output invariants and that Summarize
// and the models accept it or fail with typed errors, never NaN.
func checkTransactions(t *testing.T, txs []Transaction) {
	t.Helper()
	for _, tx := range txs {
		if tx.Customer == "" || tx.Date.IsZero() || tx.Amount.Sign() < 0 {
			t.Fatalf("invalid transaction %+v", tx)
		}
	}
	s, err := Summarize(txs, day(1997, 6, 30), nil)
	if err != nil {
		var fe *FieldError
		if !errors.As(err, &fe) && !errors.Is(err, ErrEmpty) {
			t.Fatalf("untyped error %v", err)
		}
		return
	}
	for _, c := range s.Customers {
		if err := c.validate(0); err != nil {
			t.Fatalf("summary %+v invalid: %v", c, err)
		}
		if err := c.validateSpend(0); err != nil {
			t.Fatalf("summary %+v invalid: %v", c, err)
		}
	}
	m := BGNBD{0.243, 4.414, 0.793, 2.426}
	for _, c := range s.Customers[:min(len(s.Customers), 5)] {
		p, err := m.PAlive(c)
		if err != nil || !(p >= 0 && p <= 1) {
			t.Fatalf("P(alive) %v %v", p, err)
		}
	}
}
