package segment

import (
	"cmp"
	"slices"
	"time"
)

// TransitionKind says whether a customer entered or left a segment.
type TransitionKind uint8

// Transition kinds.
const (
	Entered TransitionKind = iota + 1 // the customer joined the segment
	Left                              // the customer left the segment
)

// String returns "entered" or "left".
func (k TransitionKind) String() string {
	switch k {
	case Entered:
		return "entered"
	case Left:
		return "left"
	}
	return "invalid"
}

// Transition is a change of segment between two assignments of a
// customer, the event campaigns trigger on. Besides bank-defined segments
// (named by their ID), changes of stage, tier and RFM segment are
// transitions of the pseudo-segments "stage:<name>", "tier:<name>" and
// "rfm:<name>" (for example Left "stage:family_formation", Entered
// "stage:wealth_accumulation"). Unknown stage, no tier and no RFM segment
// are not segments.
type Transition struct {
	CustomerID string
	Segment    string
	Kind       TransitionKind
	At         time.Time // next.At
}

// Diff returns the transitions from prev to next, in a deterministic
// order: by segment name, and Left before Entered for the same name. A
// zero prev (the customer's first assignment) makes every segment of next
// Entered. prev and next must belong to the same customer: when prev has
// another non-empty CustomerID, Diff returns nil (DiffTo returns the
// error).
func Diff(prev, next Assignment) []Transition {
	out, err := DiffTo(nil, &prev, &next)
	if err != nil {
		return nil
	}
	return out
}

// DiffTo appends the transitions from prev to next to dst (see Diff).
// Apart from growing dst it does not allocate. It returns ErrCustomerMismatch
// when prev's non-empty CustomerID differs from next's.
func DiffTo(dst []Transition, prev, next *Assignment) ([]Transition, error) {
	if prev.CustomerID != "" && prev.CustomerID != next.CustomerID {
		return dst, ErrCustomerMismatch
	}
	start := len(dst)
	emit := func(seg string, k TransitionKind) {
		dst = append(dst, Transition{CustomerID: next.CustomerID, Segment: seg, Kind: k, At: next.At})
	}
	if prev.Stage != next.Stage {
		if prev.Stage != StageUnknown {
			emit(stagePrefixed(prev.Stage), Left)
		}
		if next.Stage != StageUnknown {
			emit(stagePrefixed(next.Stage), Entered)
		}
	}
	if prev.Tier != next.Tier {
		if prev.Tier != TierNone {
			emit(tierPrefixed(prev.Tier), Left)
		}
		if next.Tier != TierNone {
			emit(tierPrefixed(next.Tier), Entered)
		}
	}
	if prev.RFM.Segment != next.RFM.Segment {
		if prev.RFM.Segment != "" {
			emit("rfm:"+prev.RFM.Segment, Left)
		}
		if next.RFM.Segment != "" {
			emit("rfm:"+next.RFM.Segment, Entered)
		}
	}
	for i := range prev.Segments {
		if !next.In(prev.Segments[i].ID) {
			emit(prev.Segments[i].ID, Left)
		}
	}
	for i := range next.Segments {
		if !prev.In(next.Segments[i].ID) {
			emit(next.Segments[i].ID, Entered)
		}
	}
	slices.SortFunc(dst[start:], func(a, b Transition) int {
		if c := cmp.Compare(a.Segment, b.Segment); c != 0 {
			return c
		}
		return cmp.Compare(b.Kind, a.Kind) // Left (2) before Entered (1)
	})
	return dst, nil
}

func stagePrefixed(s Stage) string {
	switch s {
	case StageStudent:
		return "stage:student"
	case StageEarlyCareer:
		return "stage:early_career"
	case StageFamilyFormation:
		return "stage:family_formation"
	case StageWealthAccumulation:
		return "stage:wealth_accumulation"
	case StagePreRetirement:
		return "stage:pre_retirement"
	case StageRetired:
		return "stage:retired"
	}
	return "stage:" + s.String()
}

func tierPrefixed(t Tier) string {
	switch t {
	case TierTop:
		return "tier:top"
	case TierCore:
		return "tier:core"
	case TierLongTail:
		return "tier:long_tail"
	}
	return "tier:" + t.String()
}
