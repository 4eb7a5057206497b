package segment

import (
	"slices"
	"time"
)

// Reason explains one part of an assignment: a machine-readable Code and a
// human-readable Detail. Stage evidence codes are age_band, occupation,
// pension_income, salary_income, salary_started, education_spend,
// childcare_spend, loan_repayments, wealth_use and no_evidence. Segment
// memberships carry "expr:<id>" with the expression's text for
// expression segments, and the predicate's own reasons (or "pred:<id>"
// with the description) for Go predicates.
type Reason struct {
	Code   string
	Detail string
}

// Membership is a customer's membership of one bank-defined segment.
type Membership struct {
	ID       string   // the segment's ID
	Priority int      // the segment's priority (smaller ranks first)
	Reasons  []Reason // why the customer is a member; never empty
}

// Assignment is everything segmentation says about one customer at one
// time: lifecycle stage with confidence and evidence, the product family
// to lead with, the RFM score and segment, the value tier, and the
// bank-defined segments the customer belongs to, with the version of the
// configuration that produced it, so it can be audited and replayed.
type Assignment struct {
	CustomerID      string
	At              time.Time
	Stage           Stage
	StageConfidence float64  // in (0, 1]; 0 when the stage is unknown
	StageEvidence   []Reason // the evidence that supported Stage, strongest kinds first
	Family          ProductFamily
	RFM             RFMScore
	Tier            Tier
	// Segments are the bank-defined segments the customer belongs to,
	// ordered by (Priority, ID).
	Segments []Membership
	// Version identifies the configuration (lifecycle options, RFM and
	// tier models, segment definitions) that produced the assignment.
	Version string
}

// In reports whether the customer belongs to the bank-defined segment id.
func (a *Assignment) In(id string) bool {
	for i := range a.Segments {
		if a.Segments[i].ID == id {
			return true
		}
	}
	return false
}

// Clone returns a deep copy of a, sharing no slices with it. Keep a clone
// of an assignment whose storage AssignTo will reuse.
func (a *Assignment) Clone() Assignment {
	c := *a
	c.StageEvidence = slices.Clone(a.StageEvidence)
	if a.Segments != nil {
		c.Segments = make([]Membership, len(a.Segments))
		for i, m := range a.Segments {
			m.Reasons = slices.Clone(m.Reasons)
			c.Segments[i] = m
		}
	}
	return c
}
