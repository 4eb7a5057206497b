package scorecard

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
)

// FormatName is the "format" field of a model file.
const FormatName = "suanpan.scorecard"

// FormatVersion is the newest model file version this package writes and
// reads. A file with a larger version is rejected with *VersionError.
const FormatVersion = 1

type fileModel struct {
	Format    string        `json:"format"`
	Version   int           `json:"version"`
	Name      string        `json:"name"`
	Target    fileTarget    `json:"target"`
	Train     fileTrain     `json:"train"`
	Scaling   fileScaling   `json:"scaling"`
	L2        float64       `json:"l2"`
	Intercept fileCoef      `json:"intercept"`
	Variables []fileVar     `json:"variables"`
	Baseline  *fileBaseline `json:"baseline,omitempty"`
}

type fileTarget struct {
	Column string `json:"column"`
	Bad    string `json:"bad"`
	Good   string `json:"good"`
}

type fileTrain struct {
	Rows int `json:"rows"`
	Bads int `json:"bads"`
}

type fileScaling struct {
	PDO       float64 `json:"pdo"`
	BaseScore float64 `json:"base_score"`
	BaseOdds  float64 `json:"base_odds"`
	Rounded   bool    `json:"rounded"`
}

type fileCoef struct {
	Est float64 `json:"coef"`
	SE  float64 `json:"se"`
	Z   float64 `json:"z"`
	P   float64 `json:"p"`
}

type fileVar struct {
	Name   string    `json:"name"`
	Kind   string    `json:"kind"`
	Code   string    `json:"code"`
	Trend  string    `json:"trend"`
	Unseen string    `json:"unseen,omitempty"`
	IV     float64   `json:"iv"`
	Coef   fileCoef  `json:"coef"`
	Bins   []fileBin `json:"bins"`
}

type fileBin struct {
	Kind       string   `json:"kind"`
	Lo         *float64 `json:"lo,omitempty"`
	Hi         *float64 `json:"hi,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Rare       bool     `json:"rare,omitempty"`
	Special    *float64 `json:"special,omitempty"`
	Count      int      `json:"count"`
	Bads       int      `json:"bads"`
	WoE        float64  `json:"woe"`
	IV         float64  `json:"iv"`
	Points     float64  `json:"points"`
}

type fileBaseline struct {
	ScoreCuts   []float64 `json:"score_cuts"`
	ScoreCounts []int     `json:"score_counts"`
}

func ptr(v float64) *float64 { return &v }

func (m *Model) toFile() fileModel {
	f := fileModel{
		Format: FormatName, Version: FormatVersion, Name: m.name,
		Target:    fileTarget{m.target, m.badLabel, m.goodLabel},
		Train:     fileTrain{m.rows, m.bads},
		Scaling:   fileScaling{m.scaling.PDO, m.scaling.BaseScore, m.scaling.BaseOdds, m.scaling.Rounded},
		L2:        m.l2,
		Intercept: fileCoef{m.intercept.Est, m.intercept.SE, m.intercept.Z, m.intercept.P},
	}
	for _, v := range m.vars {
		fv := fileVar{Name: v.Name, Kind: v.Kind.String(), Code: v.Code, Trend: v.Trend.String(), IV: v.IV,
			Coef: fileCoef{v.Coef.Est, v.Coef.SE, v.Coef.Z, v.Coef.P}}
		if v.Kind == Categorical {
			fv.Unseen = v.Unseen.String()
		}
		for i, b := range v.Bins {
			fb := fileBin{Kind: b.Kind.String(), Count: b.Count, Bads: b.Bads, WoE: b.WoE, IV: b.IV, Points: v.Points[i]}
			switch b.Kind {
			case RangeBin:
				if !math.IsInf(b.Lo, -1) {
					fb.Lo = ptr(b.Lo)
				}
				if !math.IsInf(b.Hi, 1) {
					fb.Hi = ptr(b.Hi)
				}
			case CategoryBin:
				fb.Categories = b.Categories
				fb.Rare = b.Rare
			case SpecialBin:
				fb.Special = ptr(b.Special)
			}
			fv.Bins = append(fv.Bins, fb)
		}
		f.Variables = append(f.Variables, fv)
	}
	if len(m.baseline.ScoreCounts) > 0 {
		f.Baseline = &fileBaseline{ScoreCuts: m.baseline.ScoreCuts, ScoreCounts: m.baseline.ScoreCounts}
		if f.Baseline.ScoreCuts == nil {
			f.Baseline.ScoreCuts = []float64{}
		}
	}
	return f
}

func (m *Model) marshal() ([]byte, error) {
	f := m.toFile()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&f); err != nil {
		return nil, &FieldError{Field: "model", Reason: "cannot encode", Err: ErrModel}
	}
	return buf.Bytes(), nil
}

// MarshalJSON writes the versioned model file (indented JSON). Floats are
// written in their shortest exact form, so ParseModel(MarshalJSON()) gives
// back an identical model (same ID, same scores).
func (m *Model) MarshalJSON() ([]byte, error) { return m.marshal() }

// WriteTo writes the model file to w.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	b, err := m.marshal()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// UnmarshalJSON reads a model file; see ParseModel.
func (m *Model) UnmarshalJSON(data []byte) error {
	nm, err := ParseModel(data)
	if err != nil {
		return err
	}
	*m = *nm
	return nil
}

// ReadModel reads a model file from r; see ParseModel.
func ReadModel(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return ParseModel(data)
}

// ParseModel decodes and validates a model file. A file whose version is
// newer than FormatVersion is a *VersionError (errors.Is ErrVersion); any
// other defect — bad JSON, an unknown field, another format, inconsistent
// bins, a non-finite number — is a *FieldError naming the field, unwrapping
// to ErrModel (or ErrNonFinite).
func ParseModel(data []byte) (*Model, error) {
	var head struct {
		Format  string          `json:"format"`
		Version json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, &FieldError{Field: "model", Reason: jsonReason(err), Err: ErrModel}
	}
	if head.Format != FormatName {
		return nil, &FieldError{Field: "format", Reason: "not a " + FormatName + " file", Err: ErrModel}
	}
	var ver int
	if err := json.Unmarshal(head.Version, &ver); err != nil {
		return nil, &FieldError{Field: "version", Reason: "not an integer", Err: ErrModel}
	}
	if ver > FormatVersion {
		return nil, &VersionError{Version: ver, Supported: FormatVersion}
	}
	if ver < 1 {
		return nil, &FieldError{Field: "version", Reason: "must be at least 1", Err: ErrModel}
	}
	var f fileModel
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, &FieldError{Field: "model", Reason: jsonReason(err), Err: ErrModel}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &FieldError{Field: "model", Reason: "trailing data after the JSON object", Err: ErrModel}
	}
	return fromFile(&f)
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "invalid JSON at offset " + strconv.FormatInt(se.Offset, 10)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "wrong type for " + te.Field
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "truncated JSON"
	}
	// Unknown-field errors name the field: keep the message, which holds
	// no data value.
	return err.Error()
}

func fromFile(f *fileModel) (*Model, error) {
	m := &Model{
		name: f.Name, target: f.Target.Column, badLabel: f.Target.Bad, goodLabel: f.Target.Good,
		rows: f.Train.Rows, bads: f.Train.Bads,
		scaling:   Scaling{PDO: f.Scaling.PDO, BaseScore: f.Scaling.BaseScore, BaseOdds: f.Scaling.BaseOdds, Rounded: f.Scaling.Rounded},
		l2:        f.L2,
		intercept: Coef{f.Intercept.Est, f.Intercept.SE, f.Intercept.Z, f.Intercept.P},
	}
	sc, err := m.scaling.derive("scaling")
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			fe.Err = ErrModel
		}
		return nil, err
	}
	m.scaling = sc
	if len(f.Variables) == 0 {
		return nil, &FieldError{Field: "variables", Reason: "empty", Err: ErrModel}
	}
	for j, fv := range f.Variables {
		path := "variables[" + strconv.Itoa(j) + "]"
		v := Variable{Binning: Binning{Name: fv.Name, IV: fv.IV}, Code: fv.Code, Coef: Coef{fv.Coef.Est, fv.Coef.SE, fv.Coef.Z, fv.Coef.P}}
		switch fv.Kind {
		case "numeric":
			v.Kind = Numeric
			if fv.Unseen != "" {
				return nil, &FieldError{Field: path + ".unseen", Reason: "only for categorical variables", Err: ErrModel}
			}
		case "categorical":
			v.Kind = Categorical
			switch fv.Unseen {
			case "rare":
				v.Unseen = UnseenRare
			case "worst":
				v.Unseen = UnseenWorst
			default:
				return nil, &FieldError{Field: path + ".unseen", Reason: "must be rare or worst", Err: ErrModel}
			}
		default:
			return nil, &FieldError{Field: path + ".kind", Reason: "must be numeric or categorical", Err: ErrModel}
		}
		t, ok := ParseTrend(fv.Trend)
		if !ok {
			return nil, &FieldError{Field: path + ".trend", Reason: "unknown trend", Err: ErrModel}
		}
		v.Trend = t
		for i, fb := range fv.Bins {
			bp := path + ".bins[" + strconv.Itoa(i) + "]"
			b := Bin{Count: fb.Count, Bads: fb.Bads, WoE: fb.WoE, IV: fb.IV}
			extra := func(ok bool, field string) error {
				if !ok {
					return &FieldError{Field: bp + "." + field, Reason: "not allowed for a " + fb.Kind + " bin", Err: ErrModel}
				}
				return nil
			}
			var err error
			switch fb.Kind {
			case "range":
				b.Kind = RangeBin
				b.Lo, b.Hi = math.Inf(-1), math.Inf(1)
				if fb.Lo != nil {
					b.Lo = *fb.Lo
				}
				if fb.Hi != nil {
					b.Hi = *fb.Hi
				}
				err = errors.Join(extra(fb.Categories == nil, "categories"), extra(!fb.Rare, "rare"), extra(fb.Special == nil, "special"))
			case "categories":
				b.Kind = CategoryBin
				b.Categories = fb.Categories
				b.Rare = fb.Rare
				err = errors.Join(extra(fb.Lo == nil, "lo"), extra(fb.Hi == nil, "hi"), extra(fb.Special == nil, "special"))
			case "special":
				b.Kind = SpecialBin
				if fb.Special == nil {
					return nil, &FieldError{Field: bp + ".special", Reason: "missing", Err: ErrModel}
				}
				b.Special = *fb.Special
				err = errors.Join(extra(fb.Lo == nil, "lo"), extra(fb.Hi == nil, "hi"), extra(fb.Categories == nil, "categories"), extra(!fb.Rare, "rare"))
			case "missing":
				b.Kind = MissingBin
				err = errors.Join(extra(fb.Lo == nil, "lo"), extra(fb.Hi == nil, "hi"), extra(fb.Categories == nil, "categories"), extra(!fb.Rare, "rare"), extra(fb.Special == nil, "special"))
			default:
				return nil, &FieldError{Field: bp + ".kind", Reason: "unknown bin kind", Err: ErrModel}
			}
			if err != nil {
				// Report the first offending field.
				var fe *FieldError
				errors.As(err, &fe)
				return nil, fe
			}
			v.Bins = append(v.Bins, b)
			v.Points = append(v.Points, fb.Points)
		}
		m.vars = append(m.vars, v)
	}
	if f.Baseline != nil {
		m.baseline = Baseline{ScoreCuts: f.Baseline.ScoreCuts, ScoreCounts: f.Baseline.ScoreCounts}
		if m.baseline.ScoreCuts == nil {
			m.baseline.ScoreCuts = []float64{}
		}
		if len(m.baseline.ScoreCounts) == 0 {
			return nil, &FieldError{Field: "baseline.score_counts", Reason: "empty", Err: ErrModel}
		}
	}
	if err := m.compile(); err != nil {
		return nil, err
	}
	return m, nil
}
