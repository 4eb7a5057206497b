package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/internal/synth"
)

// writeData simulates a small population and writes its CSVs.
func writeData(t *testing.T) (customers, events string) {
	t.Helper()
	dir := t.TempDir()
	cs, err := synth.Generate(synth.Config{Seed: 4, Customers: 80, Months: 3})
	if err != nil {
		t.Fatal(err)
	}
	customers, events = filepath.Join(dir, "customers.csv"), filepath.Join(dir, "events.csv")
	fc, err := os.Create(customers)
	if err != nil {
		t.Fatal(err)
	}
	fe, err := os.Create(events)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteCSV(cs, fe, fc); err != nil {
		t.Fatal(err)
	}
	if err := fc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fe.Close(); err != nil {
		t.Fatal(err)
	}
	return customers, events
}

func TestDryRun(t *testing.T) {
	customers, events := writeData(t)
	days := 10
	if testing.Short() {
		days = 5
	}
	from := "2025-03-01T00:00:00+08:00"
	to := time.Date(2025, 3, 1+days, 0, 0, 0, 0, time.FixedZone("", 8*3600)).Format(time.RFC3339)
	run1 := func(sends string) ([]byte, report) {
		var out bytes.Buffer
		args := []string{"-customers", customers, "-events", events, "-campaigns", "campaigns.json",
			"-from", from, "-to", to, "-sends", sends, "-json"}
		if err := run(context.Background(), args, &out); err != nil {
			t.Fatal(err)
		}
		var rep report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		b, err := os.ReadFile(sends)
		if err != nil {
			t.Fatal(err)
		}
		return b, rep
	}
	dir := t.TempDir()
	csvA, rep := run1(filepath.Join(dir, "a.csv"))
	if rep.Runs != days*24 || rep.Customers != 80 || rep.Sends == 0 {
		t.Fatalf("report %+v", rep)
	}
	for _, r := range []string{"cap", "quiet_hours", "consent", "busy", "holdout", "cooldown", "fatigue", "capacity", "risk_gate"} {
		if _, ok := rep.Suppressions[r]; !ok {
			t.Errorf("suppressions lack %q: %v", r, rep.Suppressions)
		}
	}
	if rep.MaxPerCustomerDay < 1 || rep.MaxMarketingPerCustomerDay > 1 {
		t.Errorf("max per customer-day %d, marketing %d (the default cap is one a day)", rep.MaxPerCustomerDay, rep.MaxMarketingPerCustomerDay)
	}
	total := 0
	for _, chans := range rep.SendsByCampaign {
		for _, n := range chans {
			total += n
		}
	}
	if total != rep.Sends {
		t.Errorf("sends by campaign and channel add up to %d, not %d", total, rep.Sends)
	}
	rows, err := csv.NewReader(bytes.NewReader(csvA)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "idempotency_key,customer_id,campaign_id,offer,channel,send_time" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows)-1 != rep.Sends {
		t.Fatalf("%d rows for %d sends", len(rows)-1, rep.Sends)
	}
	keys := map[string]bool{}
	for _, r := range rows[1:] {
		if keys[r[0]] || len(r[0]) != 32 {
			t.Fatalf("bad or repeated key %q", r[0])
		}
		keys[r[0]] = true
		st, err := time.Parse(time.RFC3339, r[5])
		if err != nil || !strings.HasSuffix(r[5], "+08:00") {
			t.Fatalf("send_time %q not RFC 3339 in the customer's offset (+08:00)", r[5])
		}
		if h := st.Hour(); h >= 21 || h < 8 {
			t.Fatalf("send at %s: quiet hours", r[5])
		}
		if rep.SendsByCampaign[r[2]][r[4]] == 0 {
			t.Fatalf("row %v not counted in the summary", r)
		}
	}
	csvB, _ := run1(filepath.Join(dir, "b.csv"))
	if !bytes.Equal(csvA, csvB) {
		t.Fatal("two dry runs of the same inputs differ")
	}
}

// The example campaign file decodes, and encodes back to the same set.
func TestExampleCampaigns(t *testing.T) {
	set, err := readSet("campaigns.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := set.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := campaign.ParseSet(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	_ = set.Encode(&a)
	_ = again.Encode(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) || len(set.Campaigns) != 7 {
		t.Fatalf("round trip changed the set:\n%s\n%s", a.String(), b.String())
	}
}

func TestFlags(t *testing.T) {
	for name, args := range map[string][]string{
		"missing campaigns": {"-customers", "c", "-events", "e", "-from", "2025-03-01T00:00:00Z", "-to", "2025-03-02T00:00:00Z"},
		"to before from":    {"-customers", "c", "-events", "e", "-campaigns", "x", "-from", "2025-03-02T00:00:00Z", "-to", "2025-03-01T00:00:00Z"},
		"bad time":          {"-customers", "c", "-events", "e", "-campaigns", "x", "-from", "yesterday", "-to", "2025-03-01T00:00:00Z"},
		"extra argument":    {"-customers", "c", "-events", "e", "-campaigns", "x", "-from", "2025-03-01T00:00:00Z", "-to", "2025-03-02T00:00:00Z", "more"},
	} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version": "v", "campaigns": [{"id": "x", "colour": "red"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-customers", "c", "-events", "e", "-campaigns", bad,
		"-from", "2025-03-01T00:00:00Z", "-to", "2025-03-02T00:00:00Z"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `campaign "x": field colour`) {
		t.Fatalf("bad campaign file: %v", err)
	}
}
