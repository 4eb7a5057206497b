package campaign_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/suanpan-dev/suanpan/campaign"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseValidSet(t *testing.T) {
	set, err := campaign.ParseSet(readFile(t, "testdata/valid.json"))
	if err != nil {
		t.Fatal(err)
	}
	if set.Version != "2025-03-01.2" || len(set.Campaigns) != 4 {
		t.Fatalf("version %q, %d campaigns", set.Version, len(set.Campaigns))
	}
	c := set.Campaigns[3]
	if c.Recurrence != campaign.RecurrenceMonthly || c.SendTime != campaign.SendTimeBest || len(c.SendWindows) != 3 ||
		c.SendWindows[1].From != campaign.ClockOf(10, 0) || !c.SendWindows[0].Days.Has(3) || c.SendWindows[1].Days.Has(3) {
		t.Fatalf("card_upsell decoded wrong: %+v", c)
	}
	if v := set.Campaigns[2].Offers[1].Value.String(); v != "400.5" {
		t.Fatalf("offer value %s", v)
	}
	if set.Policy.Capacity[campaign.ChannelAgent] != 200 || !set.Policy.RequireConsent.Has(campaign.ChannelAgent) {
		t.Fatalf("policy decoded wrong: %+v", set.Policy)
	}
}

// Encode then decode gives back the same set.
func TestEncodeRoundTrip(t *testing.T) {
	for _, path := range []string{"testdata/valid.json"} {
		set, err := campaign.ParseSet(readFile(t, path))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var buf bytes.Buffer
		if err := set.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := campaign.ParseSet(buf.Bytes())
		if err != nil {
			t.Fatalf("%s: decoding the encoded set: %v\n%s", path, err, buf.String())
		}
		if diff := cmp.Diff(set, again, decimalEqual, cmpopts.IgnoreFields(campaign.Audience{}, "Predicate")); diff != "" {
			t.Fatalf("%s: round trip (-before +after):\n%s", path, diff)
		}
	}
}

// Every bad campaign file is a typed error naming the campaign and field,
// and never echoes the offending value.
func TestParseErrors(t *testing.T) {
	valid := string(readFile(t, "testdata/valid.json"))
	// edit replaces one occurrence of old in the valid file.
	edit := func(old, new string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("test edit: %q not in valid.json", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	tests := []struct {
		name, doc, campaign, field string
		err                        error
	}{
		{"syntax", `{"version": "x",`, "", "(file)", campaign.ErrSyntax},
		{"not an object", `[1, 2]`, "", "(file)", campaign.ErrInvalid},
		{"unknown top field", edit(`"version"`, `"versoin": "x", "version"`), "", "versoin", campaign.ErrUnknownField},
		{"unknown policy field", edit(`"cap_transactional"`, `"cap_transactonal"`), "", "policy.cap_transactonal", campaign.ErrUnknownField},
		{"unknown campaign field", edit(`"cooldown": "20d"`, `"cooldown": "20d", "colour": "red"`), "salary_deposit", "colour", campaign.ErrUnknownField},
		{"unknown offer field", edit(`"auto_pay": true`, `"autopay": true`), "bill_reminder", "offers[0].autopay", campaign.ErrUnknownField},
		{"repeated field", edit(`"holdout": 0.1,`, `"holdout": 0.1, "holdout": 0.2,`), "salary_deposit", "holdout", campaign.ErrDuplicate},
		{"case matters", edit(`"name": "Bill`, `"Name": "Bill`), "bill_reminder", "Name", campaign.ErrUnknownField},
		{"wrong type", edit(`"lead_days": 2`, `"lead_days": "two"`), "bill_reminder", "trigger.lead_days", campaign.ErrInvalid},
		{"bad channel", edit(`"channels": ["push", "sms"]`, `"channels": ["push", "pigeon"]`), "bill_reminder", "channels[1]", campaign.ErrInvalid},
		{"bad clock", edit(`"from": "09:00"`, `"from": "9am"`), "card_upsell", "send_windows[0].from", campaign.ErrInvalid},
		{"bad duration", edit(`"cooldown": "20d"`, `"cooldown": "twenty days"`), "salary_deposit", "cooldown", campaign.ErrInvalid},
		{"bad time", edit(`"2026-01-01T00:00:00+08:00"`, `"2026-01-01"`), "salary_deposit", "window.end", campaign.ErrInvalid},
		{"bad decimal", edit(`"value": "300"`, `"value": "3OO"`), "salary_deposit", "offers[0].value", campaign.ErrInvalid},
		{"bad weekday", edit(`["sat", "sun"]`, `["sat", "sunday"]`), "card_upsell", "send_windows[1].days", campaign.ErrInvalid},
		{"repeated weekday", edit(`["sat", "sun"]`, `["sat", "sat"]`), "card_upsell", "send_windows[1].days", campaign.ErrDuplicate},
		{"unknown time zone", edit(`"Asia/Shanghai"`, `"Asia/Atlantis"`), "", "time_zone", campaign.ErrTimeZone},
		{"negative cap", edit(`"caps": {"day": 1`, `"caps": {"day": -1`), "", "policy.caps.day", campaign.ErrNegative},
		{"negative channel cap", edit(`"sms": {"week": 1}`, `"sms": {"week": -2}`), "", "policy.channel_caps.sms.week", campaign.ErrNegative},
		{"negative capacity", edit(`"agent": 200`, `"agent": -200`), "", "policy.capacity.agent", campaign.ErrNegative},
		{"negative global control", edit(`"global_control": 0.05`, `"global_control": -0.05`), "", "policy.global_control", campaign.ErrNegative},
		{"control too large", edit(`"global_control": 0.05`, `"global_control": 0.9`), "", "policy.global_control", campaign.ErrInvalid},
		{"negative fatigue", edit(`"pause": "60d"`, `"pause": "-60d"`), "", "policy.fatigue.pause", campaign.ErrNegative},
		{"consent for push", edit(`"require_consent": ["agent"]`, `"require_consent": ["push"]`), "", "policy.require_consent", campaign.ErrInvalid},
		{"negative value", edit(`"value": "300"`, `"value": "-300"`), "salary_deposit", "offers[0].value", campaign.ErrNegative},
		{"negative holdout", edit(`"holdout": 0.1,`, `"holdout": -0.1,`), "salary_deposit", "holdout", campaign.ErrNegative},
		{"negative cooldown", edit(`"cooldown": "20d"`, `"cooldown": "-20d"`), "salary_deposit", "cooldown", campaign.ErrNegative},
		{"negative budget", edit(`"amount": "5000.00"`, `"amount": "-5000.00"`), "home_loan", "budget.amount", campaign.ErrNegative},
		{"zero cost", edit(`"cost_per_send": "2.50"`, `"cost_per_send": "0"`), "home_loan", "budget.cost_per_send", campaign.ErrMissing},
		{"negative lead days", edit(`"lead_days": 2`, `"lead_days": -2`), "bill_reminder", "trigger.lead_days", campaign.ErrNegative},
		{"negative maximum", edit(`"max_per_customer": 2`, `"max_per_customer": -2`), "card_upsell", "max_per_customer", campaign.ErrNegative},
		{"negative priority", edit(`"priority": 1.5`, `"priority": -1.5`), "home_loan", "priority", campaign.ErrNegative},
		{"negative min amount", edit(`"min_amount": "3000.00"`, `"min_amount": "-1"`), "salary_deposit", "trigger.event.min_amount", campaign.ErrNegative},
		{"propensity above 1", edit(`"propensity": 0.06`, `"propensity": 6`), "salary_deposit", "offers[0].propensity", campaign.ErrInvalid},
		{"overlapping send windows", edit(`"from": "14:00", "to": "19:30"`, `"from": "11:00", "to": "19:30"`), "card_upsell", "send_windows[2]", campaign.ErrOverlap},
		{"empty send window", edit(`"from": "14:00", "to": "19:30"`, `"from": "19:30", "to": "14:00"`), "card_upsell", "send_windows[2]", campaign.ErrInvalid},
		{"window only in quiet hours", edit(`"send_time": "asap"`, `"send_time": "asap", "send_windows": [{"from": "22:00", "to": "23:00"}]`), "bill_reminder", "send_windows", campaign.ErrInvalid},
		{"window end before start", edit(`"end": "2026-01-01T00:00:00+08:00"`, `"end": "2024-01-01T00:00:00+08:00"`), "salary_deposit", "window.end", campaign.ErrInvalid},
		{"missing start", edit(`"window": {"start": "2025-01-01T00:00:00+08:00"},
      "trigger": {"type": "segment"`, `"window": {},
      "trigger": {"type": "segment"`), "home_loan", "window.start", campaign.ErrMissing},
		{"missing version", edit(`"version": "2025-03-01.2",`, ``), "", "version", campaign.ErrMissing},
		{"missing id", edit(`"id": "home_loan",`, ``), "#2", "id", campaign.ErrMissing},
		{"bad id", edit(`"id": "home_loan",`, `"id": "home loan",`), "home loan", "id", campaign.ErrInvalid},
		{"duplicate id", edit(`"id": "home_loan",`, `"id": "bill_reminder",`), "bill_reminder", "id", campaign.ErrDuplicate},
		{"duplicate offer", edit(`"id": "home_insurance"`, `"id": "home_loan"`), "home_loan", "offers[1].id", campaign.ErrDuplicate},
		{"no offers", edit(`"offers": [{"id": "autopay", "family": "payments", "auto_pay": true}]`, `"offers": []`), "bill_reminder", "offers", campaign.ErrMissing},
		{"no channels", edit(`"channels": ["push", "sms"]`, `"channels": []`), "bill_reminder", "channels", campaign.ErrMissing},
		{"repeated channel", edit(`"channels": ["push", "sms"]`, `"channels": ["push", "push"]`), "bill_reminder", "channels[1]", campaign.ErrDuplicate},
		{"bad family", edit(`"family": "payments", "auto_pay"`, `"family": "crypto", "auto_pay"`), "bill_reminder", "offers[0].family", campaign.ErrInvalid},
		{"bad stage", edit(`"stages": ["early_career"`, `"stages": ["midlife"`), "salary_deposit", "audience.stages[0]", campaign.ErrInvalid},
		{"bad tier", edit(`"tiers": ["core"`, `"tiers": ["gold"`), "card_upsell", "audience.tiers[0]", campaign.ErrInvalid},
		{"bad expression", edit(`Profile.DTI < 0.35`, `Profile.DTl < 0.35`), "card_upsell", "audience.expression", campaign.ErrInvalid},
		{"bad trigger type", edit(`"type": "bill_due"`, `"type": "birthday"`), "bill_reminder", "trigger.type", campaign.ErrInvalid},
		{"trigger field of another type", edit(`"lead_days": 2, `, `"lead_days": 2, "segment": "vip", `), "bill_reminder", "trigger.segment", campaign.ErrInvalid},
		{"bad bill kind", edit(`"bill_kinds": ["bill_payment"`, `"bill_kinds": ["salary"`), "bill_reminder", "trigger.bill_kinds[0]", campaign.ErrInvalid},
		{"bad event kind", edit(`"kind": "salary"`, `"kind": "bonus"`), "salary_deposit", "trigger.event.kind", campaign.ErrInvalid},
		{"recurrence with trigger", edit(`"send_time": "asap"`, `"send_time": "asap", "recurrence": "daily"`), "bill_reminder", "recurrence", campaign.ErrInvalid},
		{"bad transition", edit(`"transition": "entered"`, `"transition": "joined"`), "home_loan", "trigger.transition", campaign.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := campaign.ParseSet([]byte(tc.doc))
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			var ve *campaign.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *ValidationError", err)
			}
			found := false
			for _, e := range unjoin(err) {
				var v *campaign.ValidationError
				if errors.As(e, &v) && v.Campaign == tc.campaign && v.Field == tc.field && errors.Is(v, tc.err) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no error for campaign %q field %q; got %v", tc.campaign, tc.field, err)
			}
			for _, secret := range []string{"-300", "-5000", "3OO", "twenty days", "Atlantis", "pigeon", "crypto", "-0.1", "-20d"} {
				if strings.Contains(tc.doc, secret) && strings.Contains(err.Error(), secret) {
					t.Errorf("error echoes the value %q: %v", secret, err)
				}
			}
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestParseSizeLimit(t *testing.T) {
	big := append([]byte(`{"version": "x", "campaigns": [], "pad": "`), bytes.Repeat([]byte("a"), campaign.MaxSetSize)...)
	if _, err := campaign.ParseSet(big); !errors.Is(err, campaign.ErrInvalid) {
		t.Fatalf("oversized file: %v", err)
	}
}

// A Set built in Go is validated the same way.
func TestValidateGo(t *testing.T) {
	set := propertySet()
	if err := set.Validate(); err != nil {
		t.Fatal(err)
	}
	set.Campaigns[1].SendWindows = []campaign.SendWindow{
		{From: campaign.ClockOf(9, 0), To: campaign.ClockOf(12, 0)},
		{Days: campaign.WeekdaysOf(1), From: campaign.ClockOf(11, 0), To: campaign.ClockOf(13, 0)},
	}
	set.Campaigns[2].Offers[0].Value = d("-1")
	err := set.Validate()
	var ve *campaign.ValidationError
	if !errors.Is(err, campaign.ErrOverlap) || !errors.Is(err, campaign.ErrNegative) || !errors.As(err, &ve) {
		t.Fatalf("Validate = %v", err)
	}
	if _, err := campaign.New(set, campaign.NewMemoryContactLog(), nil); !errors.Is(err, campaign.ErrOverlap) {
		t.Fatalf("New accepted an invalid set: %v", err)
	}
}

// The JSON Schema in testdata documents exactly the fields the decoder
// accepts.
func TestSchemaMatchesTypes(t *testing.T) {
	var schema struct {
		Properties map[string]json.RawMessage
		Defs       map[string]struct {
			Properties map[string]json.RawMessage
		} `json:"$defs"`
	}
	if err := json.Unmarshal(readFile(t, "testdata/schema.json"), &schema); err != nil {
		t.Fatal(err)
	}
	props := func(raw json.RawMessage, path ...string) []string {
		var v map[string]json.RawMessage
		for _, p := range path {
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatal(err)
			}
			raw = v[p]
		}
		var o struct{ Properties map[string]json.RawMessage }
		_ = json.Unmarshal(raw, &o)
		var out []string
		for k := range o.Properties {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	defProps := func(name string) []string {
		var out []string
		for k := range schema.Defs[name].Properties {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	var rawDefs map[string]json.RawMessage
	_ = json.Unmarshal(readFile(t, "testdata/schema.json"), &struct {
		Defs *map[string]json.RawMessage `json:"$defs"`
	}{&rawDefs})
	top := func() []string {
		var out []string
		for k := range schema.Properties {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name   string
		typ    reflect.Type
		schema []string
	}{
		{"set", reflect.TypeFor[campaign.Set](), top()},
		{"policy", reflect.TypeFor[campaign.Policy](), defProps("policy")},
		{"caps", reflect.TypeFor[campaign.Caps](), defProps("caps")},
		{"campaign", reflect.TypeFor[campaign.Campaign](), defProps("campaign")},
		{"quiet_hours", reflect.TypeFor[campaign.QuietHours](), props(rawDefs["policy"], "properties", "quiet_hours")},
		{"fatigue", reflect.TypeFor[campaign.Fatigue](), props(rawDefs["policy"], "properties", "fatigue")},
		{"arbitration", reflect.TypeFor[campaign.Arbitration](), props(rawDefs["policy"], "properties", "arbitration")},
		{"window", reflect.TypeFor[campaign.Window](), props(rawDefs["campaign"], "properties", "window")},
		{"audience", reflect.TypeFor[campaign.Audience](), props(rawDefs["campaign"], "properties", "audience")},
		{"trigger", reflect.TypeFor[campaign.Trigger](), props(rawDefs["campaign"], "properties", "trigger")},
		{"event", reflect.TypeFor[campaign.EventMatch](), props(rawDefs["campaign"], "properties", "trigger", "properties", "event")},
		{"budget", reflect.TypeFor[campaign.Budget](), props(rawDefs["campaign"], "properties", "budget")},
	} {
		var fields []string
		for i := range tc.typ.NumField() {
			name, _, _ := strings.Cut(tc.typ.Field(i).Tag.Get("json"), ",")
			if name != "-" {
				fields = append(fields, name)
			}
		}
		slices.Sort(fields)
		if !slices.Equal(fields, tc.schema) {
			t.Errorf("%s: Go fields %v, schema properties %v", tc.name, fields, tc.schema)
		}
	}
}
