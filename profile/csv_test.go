package profile

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

const eventsCSV = `event_id,customer_id,time,type,kind,direction,amount,currency,channel,counterparty,mcc,device_id,ip,lat,lon,country,auth,feature,label,unknown_extra
e1,c1,2026-03-01T08:15:00+08:00,transaction,purchase,debit,12.50,CNY,pos,Family Mart,5411,dev-1,10.0.0.7,31.23,121.47,CN,chip+pin,,0,x
e2,c1,2026-03-01T09:00:00+08:00,session,,,,,app,,,dev-1,2001:db8::1,,,CN,biometric,,,y
e3,c1,2026-03-01T09:01:00+08:00,feature,,,,,app,,,dev-1,,,,,,wealth,1,z
`

func TestReadEvents(t *testing.T) {
	es, err := ReadEvents(strings.NewReader(eventsCSV), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 {
		t.Fatalf("%d events", len(es))
	}
	e := es[0]
	if e.Kind != KindPurchase || e.Direction != Debit || !e.Amount.Equal(decimal.RequireFromString("12.5")) ||
		e.MCC != 5411 || !e.Location.HasCoords || e.Location.Lat != 31.23 || e.Auth != AuthOf(AuthCardChip, AuthPIN) ||
		e.Label != LabelLegit || e.IP.String() != "10.0.0.7" || e.Channel != ChannelPOS {
		t.Fatalf("event 1 = %+v", e)
	}
	if _, off := e.Time.Zone(); off != 8*3600 {
		t.Fatal("the offset must be kept")
	}
	if es[1].Type != TypeSession || es[1].Label != LabelNone || es[2].Feature != "wealth" || es[2].Label != LabelFraud {
		t.Fatalf("events 2, 3 = %+v %+v", es[1], es[2])
	}
}

func TestEventsCSVRoundTrip(t *testing.T) {
	es, err := ReadEvents(strings.NewReader(eventsCSV), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := NewEventWriter(&buf)
	for i := range es {
		if err := w.Write(&es[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	again, err := ReadEvents(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(es, again, eventCmp...); d != "" {
		t.Fatalf("round trip (-want +got):\n%s", d)
	}
}

func TestReadEventsErrorsNameLineAndColumn(t *testing.T) {
	head := "event_id,customer_id,time,type,kind,direction,amount,currency\n"
	cases := []struct {
		row    string
		column string
		want   error
	}{
		{"e1,c1,2026-03-01T08:15:00+08:00,transaction,purchase,debit,-3,CNY", "amount", ErrInvalid},
		{"e1,c1,2026-03-01T08:15:00+08:00,transaction,purchase,debit,abc,CNY", "amount", ErrInvalid},
		{"e1,c1,2026-03-01 08:15,transaction,purchase,debit,3,CNY", "time", ErrInvalid},
		{"e1,c1,2026-03-01T08:15:00+08:00,transaction,purchase,debit,3,ABC", "currency", ErrUnknownCurrency},
		{"e1,c1,2026-03-01T08:15:00+08:00,payment,purchase,debit,3,CNY", "type", ErrInvalid},
		{"e1,,2026-03-01T08:15:00+08:00,transaction,purchase,debit,3,CNY", "customer_id", ErrMissing},
		{"e1,c1,2026-03-01T08:15:00+08:00,transaction,gift,debit,3,CNY", "kind", ErrInvalid},
	}
	for _, c := range cases {
		ok := "e0,c1,2026-03-01T08:00:00+08:00,transaction,purchase,debit,1,CNY\n"
		_, err := ReadEvents(strings.NewReader(head+ok+c.row+"\n"), nil)
		var re *RowError
		if !errors.As(err, &re) || re.Line != 3 || re.Column != c.column || !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want line 3 column %s %v", c.row, err, c.column, c.want)
		}
	}
	if _, err := ReadEvents(strings.NewReader("event_id,time,type\n"), nil); !errors.Is(err, ErrMissing) {
		t.Errorf("missing required column: %v", err)
	}
	if _, err := ReadEvents(strings.NewReader(""), nil); !errors.Is(err, ErrMissing) {
		t.Errorf("empty input: %v", err)
	}
}

func TestReadEventsSkipBadCounts(t *testing.T) {
	in := "event_id,customer_id,time,type,kind,direction,amount,currency\n" +
		"e1,c1,2026-03-01T08:15:00Z,transaction,purchase,debit,3,CNY\n" +
		"e2,c1,2026-03-01T08:16:00Z,transaction,purchase,debit,-3,CNY\n" +
		"e3,c1,not-a-time,transaction,purchase,debit,3,CNY\n" +
		"e4,c1,2026-03-01T08:17:00Z,session,,,,\n"
	r, err := NewEventReader(strings.NewReader(in), &ReadOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		e, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.ID)
	}
	if strings.Join(got, ",") != "e1,e4" || r.Skipped() != 2 || len(r.SkippedErrors()) != 2 {
		t.Fatalf("read %v, skipped %d (%v)", got, r.Skipped(), r.SkippedErrors())
	}
	if r.SkippedErrors()[0].Line != 3 || r.SkippedErrors()[1].Column != "time" {
		t.Fatalf("skipped errors %v", r.SkippedErrors())
	}
}

func TestCustomersCSV(t *testing.T) {
	in := "customer_id,birth_date,occupation,declared_monthly_income,currency,time_zone,consent_sms,consent_email,consent_push,joined,extra\n" +
		"c1,1990-05-01,employee,12000.00,CNY,Asia/Shanghai,true,0,yes,2018-03-15,zzz\n" +
		"c2,,,,EUR,,,,,,\n"
	cs, err := ReadCustomers(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Occupation != "employee" || !cs[0].Consent.SMS || cs[0].Consent.Email || !cs[0].Consent.Push ||
		cs[0].BirthDate.Year() != 1990 || cs[0].TimeZone != "Asia/Shanghai" || cs[1].Currency != "EUR" {
		t.Fatalf("customers = %+v", cs)
	}
	var buf bytes.Buffer
	w := NewCustomerWriter(&buf)
	for i := range cs {
		if err := w.Write(&cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	again, err := ReadCustomers(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })
	if d := cmp.Diff(cs, again, opt); d != "" {
		t.Fatalf("round trip (-want +got):\n%s", d)
	}
	bad := []struct{ row, column string }{
		{"c3,1990-13-01,,,CNY,,,,,", "birth_date"},
		{"c3,,,,CNY,Mars/Olympus,,,,", "time_zone"},
		{"c3,,,-5,CNY,,,,,", "declared_monthly_income"},
		{"c3,,,,CNY,,maybe,,,", "consent_sms"},
		{"c3,,,,,,,,,", "currency"},
	}
	for _, b := range bad {
		_, err := ReadCustomers(strings.NewReader(in[:strings.Index(in, "\n")+1]+b.row+"\n"), nil)
		var re *RowError
		if !errors.As(err, &re) || re.Line != 2 || re.Column != b.column {
			t.Errorf("%s: err = %v, want line 2 column %s", b.row, err, b.column)
		}
	}
}
