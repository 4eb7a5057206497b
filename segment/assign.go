package segment

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/suanpan-dev/suanpan/profile"
)

// Config configures an Assigner. The zero value is valid: default
// lifecycle staging, no RFM scoring, no tiers, no bank-defined segments.
type Config struct {
	// Version names the configuration in every Assignment; "" means a
	// hash of everything below ("seg:" and 16 hex digits), which changes
	// whenever a model is refitted or a definition changes.
	Version string
	// Lifecycle configures stage inference; nil means the defaults.
	Lifecycle *LifecycleOptions
	// RFM scores customers when set (see FitRFM); nil leaves RFMScore
	// zero.
	RFM *RFMModel
	// Tiers assigns value tiers when set (see FitTiers); nil leaves Tier
	// TierNone.
	Tiers *TierModel
	// Segments are the bank-defined segments (see Compile); nil means
	// none.
	Segments *Catalog
}

// Assigner assigns stages, RFM scores, value tiers and bank-defined
// segments. It is immutable and safe for concurrent use; for the highest
// throughput give each goroutine its own Worker.
type Assigner struct {
	life    *lifecycle
	rfm     *RFMModel
	tiers   *TierModel
	cat     *Catalog
	reads   profile.FeatureGroup
	money   moneyFields // the decimal fields assignment reads, and validates
	version string
	workers sync.Pool
}

// New returns an Assigner for cfg. Invalid options are a *FieldError
// wrapping ErrInvalidOptions.
func New(cfg Config) (*Assigner, error) {
	life, err := newLifecycle(cfg.Lifecycle)
	if err != nil {
		return nil, err
	}
	if len(cfg.Version) > 128 || strings.IndexFunc(cfg.Version, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return nil, optErr("Config.Version", "longer than 128 or not printable")
	}
	a := &Assigner{life: life, rfm: cfg.RFM, tiers: cfg.Tiers, cat: cfg.Segments, version: cfg.Version,
		reads: stageGroups | cfg.Segments.FeatureGroups()}
	if a.rfm != nil {
		a.reads |= profile.FeaturePurchases
		a.money |= moneyMonetary
	}
	if a.cat != nil {
		a.money |= a.cat.money
	}
	if a.version == "" {
		h := sha256.New()
		h.Write([]byte(life.describe()))
		h.Write([]byte(a.rfm.describe()))
		h.Write([]byte(a.tiers.describe()))
		if a.cat != nil {
			h.Write([]byte("segments " + a.cat.version))
		}
		a.version = "seg:" + hex.EncodeToString(h.Sum(nil))[:16]
	}
	a.workers.New = func() any { return a.NewWorker() }
	return a, nil
}

// Version returns the version stamped on every Assignment.
func (a *Assigner) Version() string { return a.version }

// FeatureGroups returns the groups of Input.Profile that assignment reads:
// those of lifecycle staging, RFM and tiers, and those of the bank-defined
// segments (Catalog.FeatureGroups). An input filled by other means than
// NewInput needs at least these (profile.Profile.FeaturesInto).
func (a *Assigner) FeatureGroups() profile.FeatureGroup { return a.reads }

// Assign returns the assignment of the customer described by in at at (the
// time in was taken). An invalid input (see Input.Validate; of its decimal
// money, only the fields the configuration reads are inspected), or one
// whose Groups lack some of FeatureGroups, is a *FieldError wrapping
// ErrInvalidInput; an expression segment failing at run time is an
// *EvalError.
func (a *Assigner) Assign(in *Input, at time.Time) (Assignment, error) {
	var out Assignment
	err := a.AssignTo(&out, in, at)
	return out, err
}

// AssignTo is Assign writing into dst and reusing its slices: at steady
// state it does not allocate. dst's previous contents, including the
// elements of its slices, are overwritten; Clone an assignment you want to
// keep. On error dst is left in an unspecified state.
func (a *Assigner) AssignTo(dst *Assignment, in *Input, at time.Time) error {
	w := a.workers.Get().(*Worker)
	err := w.AssignTo(dst, in, at)
	a.workers.Put(w)
	return err
}

// Worker is an Assigner's scratch space for one goroutine: assigning
// through it avoids the pool round trip of Assigner.AssignTo. A Worker is
// not safe for concurrent use.
type Worker struct {
	a       *Assigner
	env     Env
	matched []bool
}

// NewWorker returns a Worker of a.
func (a *Assigner) NewWorker() *Worker {
	w := &Worker{a: a}
	if a.cat != nil {
		w.matched = make([]bool, len(a.cat.groups))
	}
	return w
}

// AssignTo is Assigner.AssignTo on the worker's scratch space.
func (w *Worker) AssignTo(dst *Assignment, in *Input, at time.Time) error {
	if in == nil {
		return optErr("input", "nil")
	}
	if at.IsZero() {
		return optErr("at", "zero time")
	}
	a := w.a
	if in.Groups != 0 && in.Groups&a.reads != a.reads {
		return &FieldError{Field: "Groups", Index: -1, Reason: "lacks feature groups the configuration reads (see Assigner.FeatureGroups)", Err: ErrInvalidInput}
	}
	if err := in.validate(a.money); err != nil {
		return err
	}
	dst.CustomerID, dst.At, dst.Version = in.Profile.CustomerID, at, a.version
	dst.Stage, dst.StageConfidence, dst.StageEvidence = a.life.classify(in, dst.StageEvidence[:0])
	dst.Family = a.life.families[dst.Stage]
	dst.RFM = a.rfm.Score(in)
	dst.Tier = a.tiers.Tier(in.Value)
	dst.Segments = dst.Segments[:0]
	if a.cat == nil || len(a.cat.segs) == 0 {
		return nil
	}
	e := &w.env
	e.Profile = in.Profile
	e.WealthUse, e.Value = in.WealthUse, in.Value
	e.Stage = dst.Stage.String()
	e.StageConfidence = dst.StageConfidence
	e.Family = dst.Family.String()
	e.RFM = RFMEnv{R: int(dst.RFM.R), F: int(dst.RFM.F), M: int(dst.RFM.M), Segment: dst.RFM.Segment}
	e.Tier = dst.Tier.String()
	var err error
	dst.Segments, err = a.cat.eval(e, dst.Segments, w.matched)
	return err
}
