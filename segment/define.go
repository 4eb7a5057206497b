package segment

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/suanpan-dev/suanpan/internal/rules"
	"github.com/suanpan-dev/suanpan/profile"
)

// Env is the environment bank-defined segments read, both Go predicates
// and expressions. Expressions name its fields directly:
//
//	Profile.AgeYears >= 30 && Profile.Spend.Childcare > 0
//	Stage == "retired" && Tier == "long_tail"
//	RFM.Segment in ["at_risk", "cant_lose"] && Profile.MonthlyIncome > 8000
//	Family == "wealth" && WealthUse < 0.05
//
// Profile is profile.Features, the environment risk rules and campaign
// audiences read too, so an expression means the same in all three;
// its decimal money compares exactly (Profile.Monetary > 5000.10). Only
// the groups of Features that the catalog reads are filled (see
// Catalog.FeatureGroups). WealthUse and Value are the Input's. Stage,
// Family and Tier are the names their String methods return (Stage ==
// "family_formation"); RFM holds the scores (0 when unscored) and segment
// name. Segments are evaluated after stage, RFM and tier, so they can
// refine them.
type Env struct {
	Profile         profile.Features
	WealthUse       float64 // Input.WealthUse: share of app use on wealth functions, in [0, 1]
	Value           float64 // Input.Value: the contribution tiers measure
	Stage           string  // Stage.String(): "student", ..., "retired", "unknown"
	StageConfidence float64
	Family          string // ProductFamily.String(): "payments", "credit", "wealth", "none"
	RFM             RFMEnv
	Tier            string // Tier.String(): "top", "core", "long_tail", "none"
}

// RFMEnv is the RFM part of Env.
type RFMEnv struct {
	R, F, M int    // 1 (worst) to 5 (best); 0 when unscored
	Segment string // the named RFM segment ("" when no RFM model)
}

// Predicate is a bank-defined segment written in Go. It reports whether
// the customer described by env belongs to the segment, appending the
// reasons to why and returning it (appending to why does not allocate at
// steady state: the assigner reuses the buffer). It must be a pure
// function of env: no clock, no randomness, no side effects, safe for
// concurrent use. A member for which it appends no reason gets
// Reason{Code: "pred:<id>", Detail: Description}.
type Predicate func(env *Env, why []Reason) ([]Reason, bool)

// Definition is one bank-defined segment: exactly one of Expr (an
// expression over Env, compiled with the SDK's shared rules engine) and
// Match (a Go predicate).
type Definition struct {
	// ID names the segment: 1 to 64 characters from a–z, 0–9, '_', '-'
	// and '.', starting with a letter; unique in a catalog.
	ID string
	// Description is for people; it becomes the reason of predicate
	// members that give none.
	Description string
	// Priority orders segments: smaller values rank first (1 before 2);
	// equal priorities are ordered by ID. Memberships are listed in this
	// order and exclusive groups keep the first match in it.
	Priority int
	// Group, when not empty, makes the segment exclusive within the group
	// of that name: a customer belongs to at most one segment of a group,
	// the first that matches in priority order. Segments with no group
	// overlap freely. Group names follow the ID syntax.
	Group string
	// Expr is a boolean expression over Env, for example
	// `Stage == "family_formation" && Profile.Loans == 0`; at most
	// MaxExprLen bytes.
	Expr string
	// Match is a Go predicate over Env.
	Match Predicate
	// Reads are the groups of Env.Profile a Go predicate reads (see
	// profile.FeatureGroup), so that NewInput computes only those; zero
	// means all of them (a predicate that reads no field of Profile may
	// name any group staging reads, profile.FeatureAttributes say).
	// Expressions need none: the groups they read are found in their text
	// (rules.Fields). Assignment validates the decimal money expressions
	// read, not the money a predicate reads: Input.Validate checks it, and
	// NewInput never gives negative money.
	Reads profile.FeatureGroup
}

// MaxExprLen bounds the length of a segment expression.
const MaxExprLen = 4096

// MaxDefinitions bounds the number of segments in a catalog.
const MaxDefinitions = 4096

// compiled is one definition ready to evaluate.
type compiled struct {
	def    Definition
	group  int               // index of its exclusive group, -1 for none
	rule   *rules.Typed[Env] // an expression's rule; nil for a predicate
	reason Reason            // the reason of an expression member or of a silent predicate
}

// Catalog is a compiled, versioned set of bank-defined segments. It is
// immutable and safe for concurrent use.
type Catalog struct {
	version string
	segs    []compiled // in (Priority, ID) order
	groups  []string
	reads   profile.FeatureGroup
	money   moneyFields // the decimal fields of Profile the expressions read
}

// Compile validates and compiles defs into a catalog. version names the
// definitions (for example "2026-03-01.2"); when empty, the version is a
// hash of the expression definitions, "sha256:" and 16 hex digits. Go
// predicates cannot be hashed, so a catalog with predicates needs an
// explicit version.
//
// Errors name the segment: a *DefinitionError (ErrInvalidDefinition) for a
// bad ID, group, duplicate or a definition with neither or both of Expr
// and Match; an *ExprError (ErrCompile) with line and column for an
// expression that does not compile against Env.
func Compile(version string, defs []Definition) (*Catalog, error) {
	if len(defs) > MaxDefinitions {
		return nil, &DefinitionError{Index: -1, Field: "definitions", Reason: fmt.Sprintf("more than %d", MaxDefinitions), Err: ErrInvalidDefinition}
	}
	if len(version) > 128 || strings.IndexFunc(version, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return nil, &DefinitionError{Index: -1, Field: "version", Reason: "longer than 128 or not printable", Err: ErrInvalidDefinition}
	}
	c := &Catalog{segs: make([]compiled, 0, len(defs))}
	seen := make(map[string]bool, len(defs))
	groups := map[string]int{}
	hasPred := false
	for i, d := range defs {
		bad := func(field, reason string) error {
			id := d.ID
			if !validName(id) {
				id = ""
			}
			return &DefinitionError{Segment: id, Index: i, Field: field, Reason: reason, Err: ErrInvalidDefinition}
		}
		switch {
		case !validName(d.ID):
			return nil, bad("id", "want 1 to 64 of a-z, 0-9, '_', '-', '.', starting with a letter")
		case seen[d.ID]:
			return nil, bad("id", "duplicate")
		case d.Group != "" && !validName(d.Group):
			return nil, bad("group", "want 1 to 64 of a-z, 0-9, '_', '-', '.', starting with a letter")
		case d.Expr == "" && d.Match == nil:
			return nil, bad("expr", "neither Expr nor Match given")
		case d.Expr != "" && d.Match != nil:
			return nil, bad("expr", "both Expr and Match given")
		case len(d.Expr) > MaxExprLen:
			return nil, bad("expr", fmt.Sprintf("longer than %d bytes", MaxExprLen))
		case len(d.Description) > 1024:
			return nil, bad("description", "longer than 1024 bytes")
		}
		seen[d.ID] = true
		s := compiled{def: d, group: -1}
		if d.Group != "" {
			g, ok := groups[d.Group]
			if !ok {
				g = len(c.groups)
				groups[d.Group] = g
				c.groups = append(c.groups, d.Group)
			}
			s.group = g
		}
		switch {
		case d.Match != nil && d.Reads&^profile.AllFeatures != 0:
			return nil, bad("reads", "unknown feature groups")
		case d.Match != nil:
			hasPred = true
			s.reason = Reason{Code: "pred:" + d.ID, Detail: d.Description}
			reads := d.Reads
			if reads == 0 {
				reads = profile.AllFeatures
			}
			c.reads |= reads
		case d.Reads != 0:
			return nil, bad("reads", "only for Go predicates")
		default:
			rule, err := rules.CompileTyped[Env](d.ID, d.Expr)
			if err != nil {
				return nil, exprError(d.ID, err)
			}
			s.rule = rule
			s.reason = Reason{Code: "expr:" + d.ID, Detail: d.Expr}
			if fields, whole := rules.Fields(d.Expr, "Profile"); whole {
				c.reads, c.money = profile.AllFeatures, allMoney
			} else {
				c.reads |= profile.FeatureGroupsOf(fields)
				c.money |= moneyOf(fields)
			}
		}
		c.segs = append(c.segs, s)
	}
	slices.SortFunc(c.segs, func(a, b compiled) int {
		if x := cmp.Compare(a.def.Priority, b.def.Priority); x != 0 {
			return x
		}
		return cmp.Compare(a.def.ID, b.def.ID)
	})
	switch {
	case version != "":
		c.version = version
	case hasPred:
		return nil, &DefinitionError{Index: -1, Field: "version", Reason: "required when Go predicates are used", Err: ErrInvalidDefinition}
	default:
		h := sha256.New()
		for _, s := range c.segs {
			fmt.Fprintf(h, "%q %d %q %q\n", s.def.ID, s.def.Priority, s.def.Group, s.def.Expr)
		}
		c.version = "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
	}
	return c, nil
}

func exprError(id string, err error) error {
	var re *rules.Error
	if errors.As(err, &re) {
		return &ExprError{Segment: id, Line: re.Line, Column: re.Column, Message: re.Message, Snippet: re.Snippet}
	}
	return &ExprError{Segment: id, Line: 1, Column: 1, Message: err.Error()}
}

// Version returns the catalog's version.
func (c *Catalog) Version() string { return c.version }

// Len returns the number of segments.
func (c *Catalog) Len() int { return len(c.segs) }

// FeatureGroups returns the groups of Env.Profile the catalog's segments
// read: those their expressions name (rules.Fields,
// profile.FeatureGroupsOf; all of them for an expression that uses Profile
// other than as Profile.Field) and the Reads of its Go predicates. A nil
// catalog reads none.
func (c *Catalog) FeatureGroups() profile.FeatureGroup {
	if c == nil {
		return 0
	}
	return c.reads
}

// Definitions returns the definitions in evaluation order (Priority, ID).
func (c *Catalog) Definitions() []Definition {
	out := make([]Definition, len(c.segs))
	for i, s := range c.segs {
		out[i] = s.def
	}
	return out
}

// Interpreted returns the IDs of the expression segments that run on the
// expression virtual machine rather than as compiled Go closures: those
// reading decimal money or using operators or functions outside the
// closure compiler's subset (see doc.go, "Speed"). They give the same
// results, several times slower.
func (c *Catalog) Interpreted() []string {
	var out []string
	for _, s := range c.segs {
		if s.rule != nil && !s.rule.Fast() {
			out = append(out, s.def.ID)
		}
	}
	return out
}

// eval appends the memberships of env to dst, reusing the Reasons
// storage of dst's spare capacity. matched is scratch with one entry per
// group.
func (c *Catalog) eval(env *Env, dst []Membership, matched []bool) ([]Membership, error) {
	clear(matched)
	for i := range c.segs {
		s := &c.segs[i]
		if s.group >= 0 && matched[s.group] {
			continue
		}
		// The slot this membership would take, with its old Reasons
		// buffer when dst has spare capacity.
		var why []Reason
		if n := len(dst); n < cap(dst) {
			why = dst[:n+1][n].Reasons[:0]
		}
		var ok bool
		if s.rule != nil {
			var err error
			ok, err = s.rule.Eval(env)
			if err != nil {
				return dst, &EvalError{Segment: s.def.ID, Message: runtimeMessage(err)}
			}
			if ok {
				why = append(why, s.reason)
			}
		} else {
			var out []Reason
			out, ok = s.def.Match(env, why)
			switch {
			case !ok:
			case len(out) == 0:
				why = append(why, s.reason)
			case cap(why) > 0 && &out[0] == &why[:1][0]:
				why = out
			default:
				// The predicate returned storage of its own: copy it, so
				// that reusing this slot never writes into it.
				why = append(why[:0], out...)
			}
		}
		if !ok {
			continue
		}
		if s.group >= 0 {
			matched[s.group] = true
		}
		dst = append(dst, Membership{ID: s.def.ID, Priority: s.def.Priority, Reasons: why})
	}
	return dst, nil
}

func runtimeMessage(err error) string {
	var re *rules.RuntimeError
	if errors.As(err, &re) {
		return re.Message
	}
	return err.Error()
}

// document is the JSON form of a set of definitions.
type document struct {
	Version  string       `json:"version"`
	Segments []docSegment `json:"segments"`
}

type docSegment struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	Priority    int    `json:"priority"`
	Group       string `json:"group,omitempty"`
	Expr        string `json:"expr"`
}

// MaxDocumentSize bounds a definitions document read by ParseDefinitions.
const MaxDocumentSize = 4 << 20

// ParseDefinitions decodes a definitions document:
//
//	{"version": "2026-03",
//	 "segments": [
//	   {"id": "young_parents", "priority": 10, "group": "life",
//	    "description": "parents of young children",
//	    "expr": "Stage == \"family_formation\" && Profile.Spend.Childcare > 0"}]}
//
// Unknown fields, trailing data and documents over MaxDocumentSize are
// errors (*DefinitionError wrapping ErrDecode). The definitions are not
// compiled: pass them to Compile, or use LoadCatalog.
func ParseDefinitions(data []byte) (version string, defs []Definition, err error) {
	if len(data) > MaxDocumentSize {
		return "", nil, &DefinitionError{Index: -1, Field: "document", Reason: fmt.Sprintf("larger than %d bytes", MaxDocumentSize), Err: ErrDecode}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return "", nil, &DefinitionError{Index: -1, Field: "document", Reason: jsonReason(err), Err: ErrDecode}
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", nil, &DefinitionError{Index: -1, Field: "document", Reason: "data after the document", Err: ErrDecode}
	}
	if doc.Segments == nil {
		return "", nil, &DefinitionError{Index: -1, Field: "segments", Reason: "missing", Err: ErrDecode}
	}
	defs = make([]Definition, len(doc.Segments))
	for i, s := range doc.Segments {
		defs[i] = Definition{ID: s.ID, Description: s.Description, Priority: s.Priority, Group: s.Group, Expr: s.Expr}
	}
	return doc.Version, defs, nil
}

// jsonReason describes a JSON decoding error without quoting the input.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q: wrong type at byte %d", te.Field, te.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated document"
	}
	if strings.HasPrefix(err.Error(), "json: unknown field") {
		return "unknown field"
	}
	return "invalid document"
}

// MarshalDefinitions encodes version and defs in the form ParseDefinitions
// reads. Go predicates have no text form: a definition with Match is a
// *DefinitionError.
func MarshalDefinitions(version string, defs []Definition) ([]byte, error) {
	doc := document{Version: version, Segments: make([]docSegment, len(defs))}
	for i, d := range defs {
		if d.Match != nil {
			return nil, &DefinitionError{Segment: d.ID, Index: i, Field: "match", Reason: "a Go predicate cannot be encoded", Err: ErrInvalidDefinition}
		}
		doc.Segments[i] = docSegment{ID: d.ID, Description: d.Description, Priority: d.Priority, Group: d.Group, Expr: d.Expr}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// LoadCatalog parses a definitions document (see ParseDefinitions) and
// compiles it (see Compile).
func LoadCatalog(data []byte) (*Catalog, error) {
	v, defs, err := ParseDefinitions(data)
	if err != nil {
		return nil, err
	}
	return Compile(v, defs)
}
