package profile

import (
	"encoding/csv"
	"errors"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// EventColumns are the columns of the events CSV format, in the order
// EventWriter writes them. Readers match columns by header name in any
// order and ignore unknown columns; event_id, customer_id, time and type
// are required, the others may be absent (read as empty).
//
//	event_id      unique event identifier
//	customer_id   customer identifier
//	time          RFC 3339 with offset, e.g. 2026-03-01T08:15:00+08:00
//	type          transaction | session | feature
//	kind          purchase | transfer_out | transfer_in | salary | bill_payment |
//	              loan_repayment | cash_withdrawal | refund | fee | interest |
//	              pension | other (transactions only)
//	direction     debit | credit (transactions only)
//	amount        positive decimal in the currency's minor units, e.g. 12.50
//	currency      ISO 4217 code, e.g. CNY
//	channel       app | web | branch | atm | pos | phone, or empty
//	counterparty  payee or payer name or identifier
//	mcc           ISO 18245 merchant category code, 0-9999, or empty
//	device_id     device fingerprint or binding ID
//	ip            IPv4 or IPv6 address
//	lat, lon      WGS 84 degrees; both or neither
//	country       ISO 3166-1 alpha-2
//	auth          authentication methods joined with "+", e.g. password+sms_otp
//	              (password, pin, sms_otp, push, token, biometric, face, ukey,
//	              certificate, chip)
//	feature       app function used (feature events)
//	label         empty, 0 (genuine) or 1 (fraud); evaluation only
var EventColumns = []string{
	"event_id", "customer_id", "time", "type", "kind", "direction", "amount", "currency",
	"channel", "counterparty", "mcc", "device_id", "ip", "lat", "lon", "country", "auth",
	"feature", "label",
}

// CustomerColumns are the columns of the customers CSV format, in the order
// CustomerWriter writes them. customer_id and currency are required.
//
//	customer_id              customer identifier
//	birth_date               YYYY-MM-DD, or empty
//	occupation               free text (student, employee, self_employed,
//	                         civil_servant, retired, unemployed, homemaker)
//	declared_monthly_income  decimal in currency, or empty
//	currency                 ISO 4217 home currency
//	time_zone                IANA zone, e.g. Asia/Shanghai; empty is UTC
//	consent_sms, consent_email, consent_push
//	                         true/false, 1/0, yes/no; empty is false
//	joined                   YYYY-MM-DD or RFC 3339, or empty
var CustomerColumns = []string{
	"customer_id", "birth_date", "occupation", "declared_monthly_income", "currency",
	"time_zone", "consent_sms", "consent_email", "consent_push", "joined",
}

// ReadOptions configures the CSV readers. The zero value (or nil) reads
// comma-separated rows and stops at the first bad row.
type ReadOptions struct {
	// Comma is the field separator; 0 means ','.
	Comma rune
	// SkipBad makes the reader skip rows that do not parse or validate
	// instead of returning their error. Skipped rows are counted
	// (Skipped) and their first errors kept (SkippedErrors); never silent.
	SkipBad bool
}

// maxKeptErrors bounds SkippedErrors.
const maxKeptErrors = 100

// table reads a CSV with a header, mapping columns by name.
type table struct {
	r       *csv.Reader
	col     map[string]int
	skipped int
	errs    []*RowError
	skip    bool
	rec     []string
	line    int
}

func newTable(r io.Reader, opts *ReadOptions, required []string) (*table, error) {
	var o ReadOptions
	if opts != nil {
		o = *opts
	}
	cr := csv.NewReader(r)
	if o.Comma != 0 {
		cr.Comma = o.Comma
	}
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return nil, &RowError{Line: 1, Err: newFieldError("header", "", ErrMissing)}
	}
	if err != nil {
		return nil, &RowError{Line: 1, Err: newFieldError("header", "", ErrInvalid)}
	}
	t := &table{r: cr, col: make(map[string]int), skip: o.SkipBad}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := t.col[h]; dup {
			return nil, &RowError{Line: 1, Column: h, Err: newFieldError(h, "", ErrInvalid)}
		}
		t.col[h] = i
	}
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			return nil, &RowError{Line: 1, Column: c, Err: newFieldError(c, "", ErrMissing)}
		}
	}
	return t, nil
}

// next reads the next record; it returns io.EOF at the end.
func (t *table) next() error {
	rec, err := t.r.Read()
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.Line
		}
		return &RowError{Line: line, Err: newFieldError("csv", "", ErrInvalid)}
	}
	t.rec = rec
	t.line, _ = t.r.FieldPos(0)
	return nil
}

// get returns the trimmed value of column name, "" when absent.
func (t *table) get(name string) string {
	i, ok := t.col[name]
	if !ok || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// bad turns a field error into a row error, or records and skips it.
func (t *table) bad(err error) (*RowError, bool) {
	re := &RowError{Line: t.line, Err: err}
	var fe *FieldError
	if errors.As(err, &fe) {
		re.Column = fe.Field
	}
	if !t.skip {
		return re, false
	}
	t.skipped++
	if len(t.errs) < maxKeptErrors {
		t.errs = append(t.errs, re)
	}
	return nil, true
}

// EventReader reads events from the events CSV format (see EventColumns).
type EventReader struct{ t *table }

// NewEventReader reads the header from r and returns a reader of events.
// A header without a required column is a *RowError for line 1.
func NewEventReader(r io.Reader, opts *ReadOptions) (*EventReader, error) {
	t, err := newTable(r, opts, []string{"event_id", "customer_id", "time", "type"})
	if err != nil {
		return nil, err
	}
	return &EventReader{t: t}, nil
}

// Read returns the next valid event, or io.EOF at the end. A malformed or
// invalid row is a *RowError naming the line and the column (wrapping a
// *FieldError and a sentinel), unless ReadOptions.SkipBad is set.
func (r *EventReader) Read() (Event, error) {
	for {
		if err := r.t.next(); err != nil {
			if re, ok := err.(*RowError); ok && r.t.skip && re.Line > 0 {
				if _, skip := r.t.bad(re.Err); skip {
					continue
				}
			}
			return Event{}, err
		}
		e, err := parseEvent(r.t)
		if err == nil {
			_, err = validateEvent(&e)
		}
		if err != nil {
			re, skip := r.t.bad(err)
			if skip {
				continue
			}
			return Event{}, re
		}
		return e, nil
	}
}

// Skipped returns how many bad rows were skipped (ReadOptions.SkipBad).
func (r *EventReader) Skipped() int { return r.t.skipped }

// SkippedErrors returns the errors of the first 100 skipped rows.
func (r *EventReader) SkippedErrors() []*RowError { return r.t.errs }

// ReadEvents reads every event of an events CSV.
func ReadEvents(r io.Reader, opts *ReadOptions) ([]Event, error) {
	er, err := NewEventReader(r, opts)
	if err != nil {
		return nil, err
	}
	var out []Event
	for {
		e, err := er.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
}

func parseEvent(t *table) (Event, error) {
	var e Event
	var err error
	e.ID = t.get("event_id")
	e.CustomerID = t.get("customer_id")
	if s := t.get("time"); s != "" {
		if e.Time, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return e, newFieldError("time", s, ErrInvalid)
		}
	}
	if s := t.get("type"); s != "" {
		if e.Type, err = ParseEventType(s); err != nil {
			return e, err
		}
	}
	if s := t.get("kind"); s != "" {
		if e.Kind, err = ParseKind(s); err != nil {
			return e, err
		}
	}
	if s := t.get("direction"); s != "" {
		if e.Direction, err = ParseDirection(s); err != nil {
			return e, err
		}
	}
	if s := t.get("amount"); s != "" {
		if e.Amount, err = decimal.NewFromString(s); err != nil {
			return e, newFieldError("amount", "", ErrInvalid)
		}
	}
	e.Currency = strings.ToUpper(t.get("currency"))
	if s := t.get("channel"); s != "" {
		if e.Channel, err = ParseChannel(s); err != nil {
			return e, err
		}
	}
	e.Counterparty = t.get("counterparty")
	if s := t.get("mcc"); s != "" {
		v, err := strconv.ParseUint(s, 10, 16)
		if err != nil || v > 9999 {
			return e, newFieldError("mcc", s, ErrInvalid)
		}
		e.MCC = uint16(v)
	}
	e.DeviceID = t.get("device_id")
	if s := t.get("ip"); s != "" {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return e, newFieldError("ip", "", ErrInvalid)
		}
		e.IP = a.Unmap()
	}
	lat, lon := t.get("lat"), t.get("lon")
	switch {
	case lat == "" && lon == "":
	case lat == "":
		return e, newFieldError("lat", "", ErrMissing)
	case lon == "":
		return e, newFieldError("lon", "", ErrMissing)
	default:
		if e.Location.Lat, err = strconv.ParseFloat(lat, 64); err != nil {
			return e, newFieldError("lat", "", ErrInvalid)
		}
		if e.Location.Lon, err = strconv.ParseFloat(lon, 64); err != nil {
			return e, newFieldError("lon", "", ErrInvalid)
		}
		e.Location.HasCoords = true
	}
	e.Location.Country = strings.ToUpper(t.get("country"))
	if e.Auth, err = ParseAuth(t.get("auth")); err != nil {
		return e, err
	}
	e.Feature = t.get("feature")
	if e.Label, err = ParseLabel(t.get("label")); err != nil {
		return e, err
	}
	return e, nil
}

// EventWriter writes events in the events CSV format with every column of
// EventColumns.
type EventWriter struct {
	w      *csv.Writer
	header bool
	rec    []string
}

// NewEventWriter returns a writer of the events CSV format to w.
func NewEventWriter(w io.Writer) *EventWriter {
	return &EventWriter{w: csv.NewWriter(w), rec: make([]string, len(EventColumns))}
}

// Write validates e and writes it as one row (the header first). An invalid
// event is a *FieldError and nothing is written.
func (w *EventWriter) Write(e *Event) error {
	if _, err := validateEvent(e); err != nil {
		return err
	}
	if !w.header {
		w.header = true
		if err := w.w.Write(EventColumns); err != nil {
			return err
		}
	}
	r := w.rec
	r[0], r[1], r[2], r[3] = e.ID, e.CustomerID, e.Time.Format(time.RFC3339Nano), e.Type.String()
	for i := 4; i < len(r); i++ {
		r[i] = ""
	}
	if e.Type == TypeTransaction {
		r[4], r[5], r[6], r[7] = e.Kind.String(), e.Direction.String(), e.Amount.String(), e.Currency
	}
	if e.Channel != 0 {
		r[8] = e.Channel.String()
	}
	r[9] = e.Counterparty
	if e.MCC != 0 {
		r[10] = strconv.Itoa(int(e.MCC))
	}
	r[11] = e.DeviceID
	if e.IP.IsValid() {
		r[12] = e.IP.String()
	}
	if e.Location.HasCoords {
		r[13] = strconv.FormatFloat(e.Location.Lat, 'f', -1, 64)
		r[14] = strconv.FormatFloat(e.Location.Lon, 'f', -1, 64)
	}
	r[15], r[16], r[17], r[18] = e.Location.Country, e.Auth.String(), e.Feature, e.Label.String()
	return w.w.Write(r)
}

// Flush writes buffered rows to the underlying writer and returns any error.
func (w *EventWriter) Flush() error {
	if !w.header {
		w.header = true
		if err := w.w.Write(EventColumns); err != nil {
			return err
		}
	}
	w.w.Flush()
	return w.w.Error()
}

// CustomerReader reads customers from the customers CSV format (see
// CustomerColumns).
type CustomerReader struct{ t *table }

// NewCustomerReader reads the header from r and returns a reader of customers.
func NewCustomerReader(r io.Reader, opts *ReadOptions) (*CustomerReader, error) {
	t, err := newTable(r, opts, []string{"customer_id", "currency"})
	if err != nil {
		return nil, err
	}
	return &CustomerReader{t: t}, nil
}

// Read returns the next valid customer, or io.EOF at the end; errors are as
// for EventReader.Read.
func (r *CustomerReader) Read() (Customer, error) {
	for {
		if err := r.t.next(); err != nil {
			if re, ok := err.(*RowError); ok && r.t.skip && re.Line > 0 {
				if _, skip := r.t.bad(re.Err); skip {
					continue
				}
			}
			return Customer{}, err
		}
		c, err := parseCustomer(r.t)
		if err == nil {
			err = c.Validate()
		}
		if err != nil {
			re, skip := r.t.bad(err)
			if skip {
				continue
			}
			return Customer{}, re
		}
		return c, nil
	}
}

// Skipped returns how many bad rows were skipped (ReadOptions.SkipBad).
func (r *CustomerReader) Skipped() int { return r.t.skipped }

// SkippedErrors returns the errors of the first 100 skipped rows.
func (r *CustomerReader) SkippedErrors() []*RowError { return r.t.errs }

// ReadCustomers reads every customer of a customers CSV.
func ReadCustomers(r io.Reader, opts *ReadOptions) ([]Customer, error) {
	cr, err := NewCustomerReader(r, opts)
	if err != nil {
		return nil, err
	}
	var out []Customer
	for {
		c, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
}

func parseDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, newFieldError(field, "", ErrInvalid)
	}
	return t.UTC(), nil
}

func parseBool(field, s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "0", "false", "no", "n", "f":
		return false, nil
	case "1", "true", "yes", "y", "t":
		return true, nil
	}
	return false, newFieldError(field, s, ErrInvalid)
}

func parseCustomer(t *table) (Customer, error) {
	var c Customer
	var err error
	c.ID = t.get("customer_id")
	if c.BirthDate, err = parseDate("birth_date", t.get("birth_date")); err != nil {
		return c, err
	}
	c.Occupation = t.get("occupation")
	if s := t.get("declared_monthly_income"); s != "" {
		if c.DeclaredMonthlyIncome, err = decimal.NewFromString(s); err != nil {
			return c, newFieldError("declared_monthly_income", "", ErrInvalid)
		}
	}
	c.Currency = strings.ToUpper(t.get("currency"))
	c.TimeZone = t.get("time_zone")
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"consent_sms", &c.Consent.SMS}, {"consent_email", &c.Consent.Email}, {"consent_push", &c.Consent.Push}} {
		if *f.dst, err = parseBool(f.name, t.get(f.name)); err != nil {
			return c, err
		}
	}
	if c.Joined, err = parseDate("joined", t.get("joined")); err != nil {
		return c, err
	}
	return c, nil
}

// CustomerWriter writes customers in the customers CSV format.
type CustomerWriter struct {
	w      *csv.Writer
	header bool
}

// NewCustomerWriter returns a writer of the customers CSV format to w.
func NewCustomerWriter(w io.Writer) *CustomerWriter { return &CustomerWriter{w: csv.NewWriter(w)} }

// Write validates c and writes it as one row (the header first).
func (w *CustomerWriter) Write(c *Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if !w.header {
		w.header = true
		if err := w.w.Write(CustomerColumns); err != nil {
			return err
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		if u := t.UTC(); u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
			return u.Format(time.DateOnly)
		}
		return t.Format(time.RFC3339Nano)
	}
	income := ""
	if !c.DeclaredMonthlyIncome.IsZero() {
		income = c.DeclaredMonthlyIncome.String()
	}
	return w.w.Write([]string{
		c.ID, date(c.BirthDate), c.Occupation, income, c.Currency, c.TimeZone,
		strconv.FormatBool(c.Consent.SMS), strconv.FormatBool(c.Consent.Email),
		strconv.FormatBool(c.Consent.Push), date(c.Joined),
	})
}

// Flush writes buffered rows to the underlying writer and returns any error.
func (w *CustomerWriter) Flush() error {
	if !w.header {
		w.header = true
		if err := w.w.Write(CustomerColumns); err != nil {
			return err
		}
	}
	w.w.Flush()
	return w.w.Error()
}
