package segment

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	t1 := simNow.Add(24 * time.Hour)
	prev := Assignment{
		CustomerID: "c9", At: simNow, Stage: StageFamilyFormation, Tier: TierCore,
		RFM:      RFMScore{R: 5, F: 4, M: 4, Segment: "champions"},
		Segments: []Membership{{ID: "young_parents"}, {ID: "borrowers"}, {ID: "travellers"}},
	}
	next := Assignment{
		CustomerID: "c9", At: t1, Stage: StageWealthAccumulation, Tier: TierCore,
		RFM:      RFMScore{R: 2, F: 4, M: 4, Segment: "at_risk"},
		Segments: []Membership{{ID: "travellers"}, {ID: "wealth_prospect"}, {ID: "borrowers"}},
	}
	want := []Transition{
		{"c9", "rfm:at_risk", Entered, t1},
		{"c9", "rfm:champions", Left, t1},
		{"c9", "stage:family_formation", Left, t1},
		{"c9", "stage:wealth_accumulation", Entered, t1},
		{"c9", "wealth_prospect", Entered, t1},
		{"c9", "young_parents", Left, t1},
	}
	if d := cmp.Diff(want, Diff(prev, next)); d != "" {
		t.Errorf("Diff (-want +got):\n%s", d)
	}
	// Same segment left and entered cannot happen, but a stage and a
	// segment of the same name sort Left first.
	if d := Diff(next, next); len(d) != 0 {
		t.Errorf("no change gave %v", d)
	}
	// First assignment: everything is entered (unknown stage, no tier and
	// no RFM segment are not segments).
	first := Diff(Assignment{}, Assignment{CustomerID: "c1", At: t1, Stage: StageRetired, Tier: TierLongTail,
		RFM: RFMScore{Segment: "prospect"}, Segments: []Membership{{ID: "b"}, {ID: "a"}}})
	wantFirst := []Transition{
		{"c1", "a", Entered, t1}, {"c1", "b", Entered, t1}, {"c1", "rfm:prospect", Entered, t1},
		{"c1", "stage:retired", Entered, t1}, {"c1", "tier:long_tail", Entered, t1},
	}
	if d := cmp.Diff(wantFirst, first); d != "" {
		t.Errorf("first (-want +got):\n%s", d)
	}
	// Losing everything.
	gone := Diff(Assignment{CustomerID: "c1", Stage: StageRetired, Tier: TierTop}, Assignment{CustomerID: "c1", At: t1})
	wantGone := []Transition{{"c1", "stage:retired", Left, t1}, {"c1", "tier:top", Left, t1}}
	if d := cmp.Diff(wantGone, gone); d != "" {
		t.Errorf("gone (-want +got):\n%s", d)
	}
	// Different customers.
	if got := Diff(Assignment{CustomerID: "a"}, Assignment{CustomerID: "b"}); got != nil {
		t.Errorf("mismatch gave %v", got)
	}
	if _, err := DiffTo(nil, &Assignment{CustomerID: "a"}, &Assignment{CustomerID: "b"}); !errors.Is(err, ErrCustomerMismatch) {
		t.Errorf("DiffTo mismatch: %v", err)
	}
	// DiffTo appends after what dst holds and sorts only its own part.
	dst := []Transition{{Segment: "zzz"}}
	dst, err := DiffTo(dst, &prev, &next)
	if err != nil || len(dst) != 7 || dst[0].Segment != "zzz" || dst[1].Segment != "rfm:at_risk" {
		t.Errorf("DiffTo append: %v %v", dst, err)
	}
	if Entered.String() != "entered" || Left.String() != "left" || TransitionKind(0).String() != "invalid" {
		t.Error("kind strings")
	}
}
