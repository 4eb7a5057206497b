package credit

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func validApplication() Application {
	return Application{
		ID: "A-1", CustomerID: "c1", Currency: "CNY",
		Amount: decimal.RequireFromString("30000.00"), TermMonths: 24,
		DeclaredIncome: decimal.RequireFromString("12000"),
		Employer:       "Huawei Technologies Co Ltd", Purpose: "car",
		DeviceID: "dev-secret-42", ContactHash: "h:abc",
		Attributes: map[string]string{"housing": "A152", "existing_credits": "1"},
	}
}

func TestApplicationValidate(t *testing.T) {
	ok := validApplication()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid application: %v", err)
	}
	long := strings.Repeat("x", 300)
	cases := []struct {
		name  string
		edit  func(a *Application)
		field string
		err   error
	}{
		{"no id", func(a *Application) { a.ID = "" }, "Application.ID", ErrMissing},
		{"long id", func(a *Application) { a.ID = long }, "Application.ID", ErrInvalid},
		{"control in id", func(a *Application) { a.ID = "a\x00b" }, "Application.ID", ErrInvalid},
		{"bad utf8 customer", func(a *Application) { a.CustomerID = "\xff" }, "Application.CustomerID", ErrInvalid},
		{"no customer", func(a *Application) { a.CustomerID = "" }, "Application.CustomerID", ErrMissing},
		{"no currency", func(a *Application) { a.Currency = "" }, "Application.Currency", ErrMissing},
		{"unknown currency", func(a *Application) { a.Currency = "XYZ" }, "Application.Currency", ErrCurrency},
		{"lower-case currency", func(a *Application) { a.Currency = "cny" }, "Application.Currency", ErrCurrency},
		{"zero amount", func(a *Application) { a.Amount = decimal.Zero }, "Application.Amount", ErrInvalid},
		{"negative amount", func(a *Application) { a.Amount = decimal.NewFromInt(-5) }, "Application.Amount", ErrInvalid},
		{"sub-minor amount", func(a *Application) { a.Amount = decimal.RequireFromString("10.001") }, "Application.Amount", ErrInvalid},
		{"huge amount", func(a *Application) { a.Amount = decimal.New(1, 16) }, "Application.Amount", ErrInvalid},
		{"huge exponent", func(a *Application) { a.Amount = decimal.New(1, 400) }, "Application.Amount", ErrInvalid},
		{"tiny exponent", func(a *Application) { a.Amount = decimal.New(1, -400) }, "Application.Amount", ErrInvalid},
		{"yen with cents", func(a *Application) {
			a.Currency = "JPY"
			a.Amount = decimal.RequireFromString("100.5")
		}, "Application.Amount", ErrInvalid},
		{"zero term", func(a *Application) { a.TermMonths = 0 }, "Application.TermMonths", ErrInvalid},
		{"long term", func(a *Application) { a.TermMonths = 481 }, "Application.TermMonths", ErrInvalid},
		{"negative income", func(a *Application) { a.DeclaredIncome = decimal.NewFromInt(-1) }, "Application.DeclaredIncome", ErrInvalid},
		{"income sub-minor", func(a *Application) { a.DeclaredIncome = decimal.RequireFromString("0.001") }, "Application.DeclaredIncome", ErrInvalid},
		{"long employer", func(a *Application) { a.Employer = long }, "Application.Employer", ErrInvalid},
		{"long purpose", func(a *Application) { a.Purpose = strings.Repeat("p", 65) }, "Application.Purpose", ErrInvalid},
		{"device newline", func(a *Application) { a.DeviceID = "dev\n" }, "Application.DeviceID", ErrInvalid},
		{"long contact", func(a *Application) { a.ContactHash = long }, "Application.ContactHash", ErrInvalid},
		{"empty attribute name", func(a *Application) { a.Attributes = map[string]string{"": "x"} }, "Application.Attributes", ErrInvalid},
		{"bad attribute value", func(a *Application) { a.Attributes = map[string]string{"housing": "\x01"} }, "Application.Attributes[housing]", ErrInvalid},
		{"too many attributes", func(a *Application) {
			a.Attributes = map[string]string{}
			for i := range 65 {
				a.Attributes[strings.Repeat("k", i+1)] = "v"
			}
		}, "Application.Attributes", ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := validApplication()
			c.edit(&a)
			err := a.Validate()
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("error %v: want *FieldError for %s", err, c.field)
			}
			for _, secret := range []string{"dev\n", long, "XYZ", "10.001", "\xff"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("error %q echoes the value", err)
				}
			}
		})
	}
}

func TestParseApplicationRoundTrip(t *testing.T) {
	a := validApplication()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseApplication(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
	// Amounts may be JSON numbers too.
	doc := `{"id":"A-2","customer_id":"c2","currency":"EUR","amount":1500.5,"term_months":6,"declared_income":"2500"}`
	got, err = ParseApplication([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Amount.Equal(decimal.RequireFromString("1500.5")) || got.TermMonths != 6 || got.Currency != "EUR" {
		t.Fatalf("parsed %+v", got)
	}
}

func TestParseApplicationErrors(t *testing.T) {
	cases := []struct {
		name, doc string
		field     string
		err       error
	}{
		{"syntax", `{"id":`, "Application", ErrDecode},
		{"not an object", `[1,2]`, "Application", ErrDecode},
		{"unknown member", `{"id":"a","customer_id":"c","currency":"CNY","amount":"1","term_months":1,"salary":"9"}`, "Application", ErrDecode},
		{"wrong type", `{"id":"a","customer_id":"c","currency":"CNY","amount":"1","term_months":"twelve"}`, "Application.term_months", ErrDecode},
		{"bad amount", `{"id":"a","customer_id":"c","currency":"CNY","amount":"1x","term_months":1}`, "Application", ErrDecode},
		{"trailing data", `{"id":"a","customer_id":"c","currency":"CNY","amount":"1","term_months":1} {}`, "Application", ErrDecode},
		{"invalid after decoding", `{"id":"a","customer_id":"c","currency":"CNY","amount":"-1","term_months":1}`, "Application.Amount", ErrInvalid},
		{"too large", `{"id":"` + strings.Repeat("a", MaxDocumentSize) + `"}`, "Application", ErrDecode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseApplication([]byte(c.doc))
			var fe *FieldError
			if !errors.Is(err, c.err) || !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("error %v, want %v on %s", err, c.err, c.field)
			}
		})
	}
}
