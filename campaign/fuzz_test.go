package campaign_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/suanpan-dev/suanpan/campaign"
)

// FuzzParseSet feeds arbitrary bytes to the campaign-file decoder: errors
// are fine, panics are not, and whatever decodes must encode and decode
// back to the same set. The seed corpus is in testdata/fuzz/FuzzParseSet.
func FuzzParseSet(f *testing.F) {
	f.Add(readFile(f, "testdata/valid.json"))
	f.Add([]byte(`{"version": "v", "campaigns": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := campaign.ParseSet(data)
		if err != nil {
			if set != nil {
				t.Fatal("a set returned with an error")
			}
			return
		}
		var buf bytes.Buffer
		if err := set.Encode(&buf); err != nil {
			t.Fatalf("encode: %v", err)
		}
		again, err := campaign.ParseSet(buf.Bytes())
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(set, again, decimalEqual, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(campaign.Audience{}, "Predicate")); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		// nil and empty differ in meaning here: defaults or none.
		if (set.Policy.ChannelCaps == nil) != (again.Policy.ChannelCaps == nil) {
			t.Fatalf("channel caps nil %v before, %v after", set.Policy.ChannelCaps == nil, again.Policy.ChannelCaps == nil)
		}
		if _, err := campaign.New(set, campaign.NewMemoryContactLog(), &campaign.Options{Counters: campaign.NewMemoryCounters()}); err != nil {
			t.Fatalf("New rejects a set ParseSet accepted: %v", err)
		}
	})
}
