package credit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// Limits on application fields, so that one bad document cannot exhaust
// memory or smuggle control characters into logs.
const (
	MaxIDLen        = 128     // bytes of ID and CustomerID
	MaxTextLen      = 256     // bytes of Employer, DeviceID, ContactHash and attribute values
	MaxPurposeLen   = 64      // bytes of Purpose and attribute names
	MaxAttributes   = 64      // entries of Attributes
	MaxTermMonths   = 480     // longest term accepted at all (policy limits are tighter)
	MaxDocumentSize = 1 << 16 // bytes of a JSON document for ParseApplication
)

// maxMoney bounds amounts (10^15 currency units) and money exponents, so
// that decimal arithmetic on caller data stays small.
var maxMoney = decimal.New(1, 15)

// Application is a request for credit: what the customer asks for and what
// they declare about themselves. Money is exact (decimal.Decimal) in
// Currency; DeclaredIncome is per month. Attributes carries the other
// inputs of the application scorecard, collected on the form or bought from
// a credit bureau (for example "credit_history" or "housing"), by name; the
// Mapping says which model variable reads which field or attribute.
//
// The JSON form uses the field tags below; amounts may be JSON strings
// ("12000.50") or numbers, and are written as strings.
type Application struct {
	ID         string `json:"id"`          // the application's own ID (required)
	CustomerID string `json:"customer_id"` // the applicant (required)
	// Currency is the ISO 4217 code of Amount and DeclaredIncome
	// (required); it must be the profile's currency.
	Currency string          `json:"currency"`
	Amount   decimal.Decimal `json:"amount"` // requested principal or credit line (> 0)
	// TermMonths is the repayment term in months, 1 to MaxTermMonths; the
	// policy accepts a narrower range (Policy.MaxTermMonths).
	TermMonths int `json:"term_months"`
	// DeclaredIncome is the monthly income the applicant declares; zero
	// when not declared.
	DeclaredIncome decimal.Decimal `json:"declared_income"`
	// Employer is the employer the applicant declares, as typed; empty when
	// none (self-employed, retired, not asked).
	Employer string `json:"employer,omitempty"`
	// Purpose is what the credit is for, in the bank's own vocabulary (for
	// example "car", "education", "renovation"); see Policy.DeniedPurposes.
	Purpose string `json:"purpose,omitempty"`
	// DeviceID is the device the application was made on, as the bank
	// fingerprints it (the same identifier its events carry); empty when
	// unknown (a branch application).
	DeviceID string `json:"device_id,omitempty"`
	// ContactHash is a keyed hash of the phone number (or e-mail) given on
	// the application, computed by the caller with the key it uses for
	// contacts on file; the SDK never needs the number itself.
	ContactHash string `json:"contact_hash,omitempty"`
	// Attributes are further application-scorecard inputs by name. A
	// numeric model variable reads its attribute as a decimal number
	// (strconv.ParseFloat); an absent attribute is a missing value.
	Attributes map[string]string `json:"attributes,omitempty"`
}

// Validate checks the application on its own: required fields, a known
// currency, a positive amount and a non-negative declared income within the
// currency's minor units, a term in 1..MaxTermMonths, text within its
// length limit, valid UTF-8 without control characters. The error is a
// *FieldError naming the first bad field ("Application.Amount",
// "Application.Attributes[housing]"), never echoing the value.
func (a *Application) Validate() error {
	if err := checkID("Application.ID", a.ID); err != nil {
		return err
	}
	if err := checkID("Application.CustomerID", a.CustomerID); err != nil {
		return err
	}
	minor, ok := profile.MinorUnits(a.Currency)
	if !ok {
		if a.Currency == "" {
			return fieldErr("Application.Currency", "", ErrMissing)
		}
		return fieldErr("Application.Currency", "not an active ISO 4217 code", ErrCurrency)
	}
	if err := checkMoney("Application.Amount", a.Amount, minor, true); err != nil {
		return err
	}
	if a.TermMonths < 1 || a.TermMonths > MaxTermMonths {
		return fieldErr("Application.TermMonths", "must be 1 to 480 months", ErrInvalid)
	}
	if err := checkMoney("Application.DeclaredIncome", a.DeclaredIncome, minor, false); err != nil {
		return err
	}
	if err := checkText("Application.Employer", a.Employer, MaxTextLen); err != nil {
		return err
	}
	if err := checkText("Application.Purpose", a.Purpose, MaxPurposeLen); err != nil {
		return err
	}
	if err := checkText("Application.DeviceID", a.DeviceID, MaxTextLen); err != nil {
		return err
	}
	if err := checkText("Application.ContactHash", a.ContactHash, MaxTextLen); err != nil {
		return err
	}
	if len(a.Attributes) > MaxAttributes {
		return fieldErr("Application.Attributes", "more than 64 entries", ErrInvalid)
	}
	bad := false
	for k, v := range a.Attributes {
		if k == "" || len(k) > MaxPurposeLen || !cleanText(k) || len(v) > MaxTextLen || !cleanText(v) {
			bad = true
			break
		}
	}
	if bad {
		// Report the first bad attribute in name order, so the error is
		// deterministic whatever the map's iteration order.
		names := make([]string, 0, len(a.Attributes))
		for k := range a.Attributes {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if k == "" || len(k) > MaxPurposeLen || !cleanText(k) {
				return fieldErr("Application.Attributes", "attribute names must be 1 to 64 bytes of printable UTF-8", ErrInvalid)
			}
			if err := checkText("Application.Attributes["+k+"]", a.Attributes[k], MaxTextLen); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkID(field, s string) error {
	if s == "" {
		return fieldErr(field, "", ErrMissing)
	}
	return checkText(field, s, MaxIDLen)
}

func checkText(field, s string, max int) error {
	if len(s) > max {
		return fieldErr(field, "too long", ErrInvalid)
	}
	if !cleanText(s) {
		return fieldErr(field, "not valid UTF-8 or has control characters", ErrInvalid)
	}
	return nil
}

// cleanText reports whether s is valid UTF-8 without control characters.
func cleanText(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// checkMoney validates an amount: bounded exponent and size first (so no
// later arithmetic can blow up), then sign and minor units.
func checkMoney(field string, d decimal.Decimal, minor int, positive bool) error {
	if e := d.Exponent(); e < -18 || e > 15 || d.NumDigits() > 34 {
		return fieldErr(field, "out of range", ErrInvalid)
	}
	switch {
	case positive && d.Sign() <= 0:
		return fieldErr(field, "must be positive", ErrInvalid)
	case d.Sign() < 0:
		return fieldErr(field, "must not be negative", ErrInvalid)
	case d.Cmp(maxMoney) > 0:
		return fieldErr(field, "out of range", ErrInvalid)
	case !d.Equal(d.Truncate(int32(minor))):
		return fieldErr(field, "more decimal places than the currency's minor unit", ErrInvalid)
	}
	return nil
}

// ParseApplication decodes one application from JSON (the form documented
// on Application: unknown members are rejected, exactly one object) and
// validates it. Member names match case-insensitively, as encoding/json
// does; empty attributes are nil. Malformed JSON is a *FieldError wrapping ErrDecode that
// names the member when the decoder knows it; an invalid application is the
// error of Validate. Documents larger than MaxDocumentSize are rejected.
func ParseApplication(data []byte) (Application, error) {
	var a Application
	if len(data) > MaxDocumentSize {
		return a, fieldErr("Application", "document larger than 64 KiB", ErrDecode)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return Application{}, decodeErr(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Application{}, fieldErr("Application", "data after the object", ErrDecode)
	}
	if len(a.Attributes) == 0 {
		a.Attributes = nil // "attributes":{} and no attributes are the same application
	}
	if err := a.Validate(); err != nil {
		return Application{}, err
	}
	return a, nil
}

// decodeErr turns a JSON error into a FieldError without echoing input.
func decodeErr(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fieldErr("Application."+te.Field, "wrong JSON type", ErrDecode)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fieldErr("Application", "JSON syntax error", ErrDecode)
	}
	return fieldErr("Application", "not a JSON object of the documented shape", ErrDecode)
}
