package scorecard

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func fitSim(t testing.TB, n int, opts *Options) (*Model, *Dataset) {
	t.Helper()
	ds := simulate(n, 10, 5)
	m, _, err := Fit(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m, ds
}

func rowOf(m *Model, ds *Dataset, r int) Row {
	row := Row{Num: make([]float64, m.NumVars()), Cat: make([]string, m.NumVars())}
	for j, name := range m.Names() {
		c, _ := ds.Column(name)
		if c.Kind == Numeric {
			row.Num[j] = c.Num[r]
		} else {
			row.Cat[j] = c.Cat[r]
		}
	}
	return row
}

func TestModelRoundTrip(t *testing.T) {
	m, ds := fitSim(t, 6000, &Options{Binning: BinningOptions{Special: []float64{-9, -8, -7}}, Model: ModelOptions{Name: "sim-v1", Codes: map[string]string{"v0": "R-V0"}}})
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := ParseModel(data)
	if err != nil {
		t.Fatal(err)
	}
	data2, _ := json.Marshal(m2)
	if !bytes.Equal(data, data2) {
		t.Fatalf("re-encoded model differs:\n%s", cmp.Diff(string(data), string(data2)))
	}
	if m.ID() != m2.ID() || len(m.ID()) != 16 {
		t.Errorf("IDs %q %q", m.ID(), m2.ID())
	}
	if d := cmp.Diff(m.Variables(), m2.Variables()); d != "" {
		t.Errorf("variables differ (-fit +decoded):\n%s", d)
	}
	if m.Intercept() != m2.Intercept() || m.Scaling() != m2.Scaling() || m2.Name() != "sim-v1" {
		t.Errorf("header differs")
	}
	if d := cmp.Diff(m.Baseline(), m2.Baseline()); d != "" {
		t.Errorf("baseline differs: %s", d)
	}
	var m3 Model
	if err := json.Unmarshal(data, &m3); err != nil || m3.ID() != m.ID() {
		t.Errorf("json.Unmarshal: %v", err)
	}
	var reasons1, reasons2 [3]Reason
	for r := range ds.Rows() {
		row := rowOf(m, ds, r)
		a, err1 := m.Score(row, reasons1[:])
		b, err2 := m2.Score(row, reasons2[:])
		if err1 != nil || err2 != nil || a != b || reasons1 != reasons2 {
			t.Fatalf("row %d: %+v %v vs %+v %v", r, a, err1, b, err2)
		}
	}
	if m.Variables()[m.Index("v0")].Code != "R-V0" || m.Variables()[m.Index("v1")].Code != "v1" {
		t.Errorf("codes not applied")
	}
}

func TestModelVersion(t *testing.T) {
	m, _ := fitSim(t, 3000, nil)
	data, _ := json.Marshal(m)
	newer := bytes.Replace(data, []byte(`"version":1,`), []byte(`"version":2,`), 1)
	_, err := ParseModel(newer)
	var ve *VersionError
	if !errors.As(err, &ve) || !errors.Is(err, ErrVersion) || ve.Version != 2 || ve.Supported != FormatVersion {
		t.Fatalf("newer version: %v", err)
	}
	// A newer file is rejected before its body is looked at.
	if _, err := ParseModel([]byte(`{"format":"suanpan.scorecard","version":7,"variables":"whatever","new_field":1}`)); !errors.Is(err, ErrVersion) {
		t.Errorf("newer file with unknown body: %v", err)
	}
}

// mutate decodes a model file into generic JSON, applies f and re-encodes.
func mutate(t *testing.T, data []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	f(v)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestModelDecodeErrors(t *testing.T) {
	m, _ := fitSim(t, 3000, &Options{Binning: BinningOptions{Special: []float64{-9}}})
	data, _ := json.Marshal(m)
	vars := func(v map[string]any) []any { return v["variables"].([]any) }
	varOf := func(v map[string]any, kind string) map[string]any {
		for _, x := range vars(v) {
			if x.(map[string]any)["kind"] == kind {
				return x.(map[string]any)
			}
		}
		t.Fatalf("no %s variable", kind)
		return nil
	}
	bins := func(x map[string]any) []any { return x["bins"].([]any) }
	tests := []struct {
		name  string
		f     func(v map[string]any)
		want  error
		field string
	}{
		{"format", func(v map[string]any) { v["format"] = "other" }, ErrModel, "format"},
		{"version zero", func(v map[string]any) { v["version"] = 0 }, ErrModel, "version"},
		{"version text", func(v map[string]any) { v["version"] = "1" }, ErrModel, "version"},
		{"unknown field", func(v map[string]any) { v["extra"] = 1 }, ErrModel, "model"},
		{"no variables", func(v map[string]any) { v["variables"] = []any{} }, ErrModel, "variables"},
		{"pdo", func(v map[string]any) { v["scaling"].(map[string]any)["pdo"] = 0 }, ErrModel, "scaling.PDO"},
		{"duplicate variable", func(v map[string]any) { v["variables"] = append(vars(v), vars(v)[0]) }, ErrModel, "variables[" + itoaT(len(m.Names())) + "].name"},
		{"kind", func(v map[string]any) { vars(v)[0].(map[string]any)["kind"] = "text" }, ErrModel, "variables[0].kind"},
		{"gap in ranges", func(v map[string]any) {
			b := bins(varOf(v, "numeric"))[1].(map[string]any)
			b["lo"] = b["lo"].(float64) + 0.5
		}, ErrModel, ".lo"},
		{"first range bounded", func(v map[string]any) { bins(varOf(v, "numeric"))[0].(map[string]any)["lo"] = 1.0 }, ErrModel, "bins[0].lo"},
		{"missing bin not last", func(v map[string]any) {
			x := varOf(v, "numeric")
			b := bins(x)
			x["bins"] = append([]any{b[len(b)-1]}, b[:len(b)-1]...)
		}, ErrModel, ".kind"},
		{"duplicate category", func(v map[string]any) {
			b := bins(varOf(v, "categorical"))
			c0 := b[0].(map[string]any)["categories"].([]any)
			b1 := b[1].(map[string]any)
			b1["categories"] = append(b1["categories"].([]any), c0[0])
		}, ErrModel, ".categories"},
		{"negative count", func(v map[string]any) { bins(vars(v)[0].(map[string]any))[0].(map[string]any)["count"] = -1 }, ErrModel, "bins[0].count"},
		{"bads above count", func(v map[string]any) {
			b := bins(vars(v)[0].(map[string]any))[0].(map[string]any)
			b["bads"] = b["count"].(float64) + 1
		}, ErrModel, "bins[0].count"},
		{"range with categories", func(v map[string]any) {
			bins(varOf(v, "numeric"))[0].(map[string]any)["categories"] = []any{"x"}
		}, ErrModel, "bins[0].categories"},
		{"points missing", func(v map[string]any) { delete(bins(vars(v)[0].(map[string]any))[0].(map[string]any), "points") }, nil, ""},
		{"code empty", func(v map[string]any) { vars(v)[0].(map[string]any)["code"] = "" }, ErrModel, "variables[0].code"},
		{"unseen on numeric", func(v map[string]any) { varOf(v, "numeric")["unseen"] = "rare" }, ErrModel, ".unseen"},
		{"baseline counts", func(v map[string]any) { v["baseline"].(map[string]any)["score_counts"] = []any{1} }, ErrModel, "baseline.score_counts"},
	}
	for _, tc := range tests {
		_, err := ParseModel(mutate(t, data, tc.f))
		if tc.want == nil {
			// Absent numbers decode as 0: still a valid model.
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var fe *FieldError
		if !errors.Is(err, tc.want) || !errors.As(err, &fe) || !strings.Contains(fe.Field, tc.field) {
			t.Errorf("%s: %v, want %v naming %q", tc.name, err, tc.want, tc.field)
		}
	}
	for _, bad := range []string{"", "{", "[]", "null", string(data) + "{}", `{"format":"suanpan.scorecard","version":1e400}`} {
		if _, err := ParseModel([]byte(bad)); !errors.Is(err, ErrModel) {
			t.Errorf("ParseModel(%.30q): %v", bad, err)
		}
	}
}

func itoaT(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestScoreAndReasons(t *testing.T) {
	m, ds := fitSim(t, 6000, &Options{Binning: BinningOptions{Special: []float64{-9, -8}}})
	vars := m.Variables()
	sc := m.Scaling()
	bins := make([]int, m.NumVars())
	for r := range 500 {
		row := rowOf(m, ds, r)
		var reasons [4]Reason
		res, err := m.Score(row, reasons[:])
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Bins(row, bins); err != nil {
			t.Fatal(err)
		}
		// Independent recomputation from the points table.
		score, eta := 0.0, m.Intercept().Est
		type lost struct {
			j    int
			lost float64
		}
		var losses []lost
		for j, v := range vars {
			b := bins[j]
			score += v.Points[b]
			eta += v.Coef.Est * v.Bins[b].WoE
			best := math.Inf(-1)
			for i, p := range v.Points {
				if v.Bins[i].Count > 0 {
					best = math.Max(best, p)
				}
			}
			if l := best - v.Points[b]; l > 0 {
				losses = append(losses, lost{j, l})
			}
		}
		slices.SortStableFunc(losses, func(a, b lost) int {
			switch {
			case a.lost > b.lost:
				return -1
			case a.lost < b.lost:
				return 1
			}
			return 0
		})
		if res.Score != score || math.Abs(res.PD-sigmoid(eta)) > 1e-15 {
			t.Fatalf("row %d: score %g PD %g, want %g %g", r, res.Score, res.PD, score, sigmoid(eta))
		}
		if res.Score != math.Round(res.Score) {
			t.Fatalf("rounded scorecard gave fractional score %g", res.Score)
		}
		want := min(4, len(losses))
		if res.Reasons != want {
			t.Fatalf("row %d: %d reasons, want %d", r, res.Reasons, want)
		}
		for k := range want {
			got := reasons[k]
			v := vars[losses[k].j]
			if got.Var != losses[k].j || got.Lost != losses[k].lost || got.Name != v.Name || got.Code != v.Code || got.Bin != bins[got.Var] || got.Label != v.Bins[got.Bin].Label() {
				t.Fatalf("row %d reason %d: %+v, want var %d lost %g", r, k, got, losses[k].j, losses[k].lost)
			}
		}
		// A buffer larger than the stack ranking gives the same head.
		big := make([]Reason, 40)
		res2, _ := m.Score(row, big)
		if res2.Reasons != len(losses) || (want > 0 && !slices.Equal(big[:want], reasons[:want])) {
			t.Fatalf("row %d: big buffer %d reasons, want %d", r, res2.Reasons, len(losses))
		}
	}
	// With unrounded points the score is exactly the scaled log-odds.
	mu, ds2 := fitSim(t, 6000, &Options{Model: ModelOptions{Scaling: ScalingOptions{Unrounded: true, PDO: 40, BaseScore: 500, BaseOdds: 20}}})
	sc = mu.Scaling()
	if sc.Factor != 40/math.Ln2 || sc.Offset != 500-40/math.Ln2*math.Log(20) {
		t.Errorf("scaling %+v", sc)
	}
	for r := range 200 {
		res, _ := mu.Score(rowOf(mu, ds2, r), nil)
		logOddsGood := math.Log((1 - res.PD) / res.PD)
		if math.Abs(res.Score-(sc.Offset+sc.Factor*logOddsGood)) > 1e-9 {
			t.Fatalf("score %g, scaled log-odds %g", res.Score, sc.Offset+sc.Factor*logOddsGood)
		}
		if math.Abs(mu.PDFromScore(res.Score)-res.PD) > 1e-12 {
			t.Fatalf("PDFromScore %g vs %g", mu.PDFromScore(res.Score), res.PD)
		}
	}
	lo, hi := m.MinMaxScore()
	if !(lo < hi) {
		t.Errorf("score range %g..%g", lo, hi)
	}
}

func TestScoreAllocs(t *testing.T) {
	m, ds := fitSim(t, 4000, nil)
	row := rowOf(m, ds, 1)
	var reasons [4]Reason
	bins := make([]int, m.NumVars())
	if n := testing.AllocsPerRun(100, func() { _, _ = m.Score(row, reasons[:]) }); n != 0 {
		t.Errorf("Score allocates %g times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = m.Bins(row, bins) }); n != 0 {
		t.Errorf("Bins allocates %g times", n)
	}
}

func TestScoreErrors(t *testing.T) {
	m, ds := fitSim(t, 4000, nil)
	row := rowOf(m, ds, 0)
	if _, err := m.Score(Row{Num: row.Num[:1], Cat: row.Cat}, nil); !errors.Is(err, ErrSchema) {
		t.Errorf("short row: %v", err)
	}
	j := slices.Index(m.Kinds(), Numeric)
	row.Num[j] = math.Inf(-1)
	_, err := m.Score(row, nil)
	var ve *VarError
	if !errors.Is(err, ErrNonFinite) || !errors.As(err, &ve) || ve.Var != m.Names()[j] {
		t.Errorf("Inf: %v", err)
	}
	// NaN is missing, not an error; unseen categories follow the rule.
	row.Num[j] = math.NaN()
	for k, kind := range m.Kinds() {
		if kind == Categorical {
			row.Cat[k] = "never seen"
		}
	}
	if _, err := m.Score(row, nil); err != nil {
		t.Errorf("NaN/unseen: %v", err)
	}
	// A dataset without a model column.
	sub := &Dataset{Bad: ds.Bad, Columns: ds.Columns[1:]}
	if _, err := m.ScoreDataset(sub); !errors.Is(err, ErrSchema) || !errors.As(err, &ve) || ve.Var != ds.Columns[0].Name {
		t.Errorf("missing column: %v", err)
	}
}

func TestFitDeterministic(t *testing.T) {
	ds := simulate(20000, 10, 8) // three logistic chunks
	a, _, err := Fit(ds, nil)
	if err != nil {
		t.Fatal(err)
	}
	prev := setProcs(1)
	b, _, err := Fit(ds, nil)
	setProcs(prev)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Error("Fit differs between GOMAXPROCS settings")
	}
}

func TestFitBadInput(t *testing.T) {
	ds := simulate(3000, 5, 3)
	n := ds.Rows()
	withCol := func(c Column) *Dataset {
		d := *ds
		d.Columns = append(slices.Clone(ds.Columns), c)
		return &d
	}
	constant := Column{Name: "flat", Kind: Numeric, Num: make([]float64, n)}
	allMissing := Column{Name: "empty", Kind: Categorical, Cat: make([]string, n)}

	// Lenient (default): the column is dropped with its typed error.
	_, rep, err := Fit(withCol(constant), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Candidates[len(rep.Candidates)-1]
	var ve *VarError
	if c.Status != StatusUnusable || !errors.Is(c.Err, ErrConstant) || !errors.As(c.Err, &ve) || ve.Var != "flat" {
		t.Errorf("constant candidate %+v", c)
	}
	// Strict: the typed error is returned.
	for _, tc := range []struct {
		col  Column
		want error
	}{{constant, ErrConstant}, {allMissing, ErrAllMissing}} {
		_, _, err := Fit(withCol(tc.col), &Options{Strict: true})
		if !errors.Is(err, tc.want) || !errors.As(err, &ve) || ve.Var != tc.col.Name {
			t.Errorf("strict %s: %v", tc.col.Name, err)
		}
	}
	oneClass := *ds
	oneClass.Bad = make([]bool, n)
	_, _, err = Fit(&oneClass, nil)
	var fe *FieldError
	if !errors.Is(err, ErrOneClass) || !errors.As(err, &fe) || fe.Field != "bad" {
		t.Errorf("one class: %v", err)
	}
	inf := Column{Name: "inf", Kind: Numeric, Num: make([]float64, n)}
	inf.Num[17] = math.Inf(1)
	if _, _, err := Fit(withCol(inf), nil); !errors.As(err, &ve) || ve.Var != "inf" || ve.Row != 17 || !errors.Is(err, ErrNonFinite) {
		t.Errorf("Inf: %v", err)
	}
	short := Column{Name: "short", Kind: Numeric, Num: make([]float64, n-1)}
	if _, _, err := Fit(withCol(short), nil); !errors.Is(err, ErrLength) {
		t.Errorf("short column: %v", err)
	}
	dup := withCol(ds.Columns[0])
	if _, _, err := Fit(dup, nil); !errors.Is(err, ErrSchema) {
		t.Errorf("duplicate column: %v", err)
	}
	noise := &Dataset{Bad: ds.Bad, Columns: []Column{constant}}
	if _, _, err := Fit(noise, nil); !errors.Is(err, ErrNoVariables) {
		t.Errorf("no usable variable: %v", err)
	}
	if _, _, err := Fit(ds, &Options{Model: ModelOptions{Scaling: ScalingOptions{PDO: -20}}}); !errors.Is(err, ErrOption) {
		t.Errorf("bad scaling: %v", err)
	}
	if _, _, err := Fit(&Dataset{}, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
}

func TestSelection(t *testing.T) {
	ds := simulate(8000, 10, 4)
	// A near copy of v0 must be dropped as correlated; a pure-noise column
	// as low IV.
	cp := Column{Name: "v0copy", Kind: Numeric, Num: slices.Clone(ds.Columns[0].Num)}
	for i := range cp.Num {
		if i%50 == 0 {
			cp.Num[i] = 0
		}
	}
	noise := Column{Name: "noise", Kind: Numeric, Num: make([]float64, ds.Rows())}
	for i := range noise.Num {
		noise.Num[i] = float64((i * 7919) % 101)
	}
	ds.Columns = append(ds.Columns, cp, noise)
	for _, o := range []*Options{nil, {Selection: SelectionOptions{Stepwise: true}}, {Selection: SelectionOptions{MaxVars: 3}}} {
		m, rep, err := Fit(ds, o)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rep.Selected, m.Names()) {
			t.Errorf("report %v vs model %v", rep.Selected, m.Names())
		}
		status := map[string]Status{}
		for _, c := range rep.Candidates {
			status[c.Name] = c.Status
			if (c.Status == StatusSelected) != slices.Contains(m.Names(), c.Name) {
				t.Errorf("%s: status %v but in model = %v", c.Name, c.Status, slices.Contains(m.Names(), c.Name))
			}
		}
		if s := status["v0copy"]; s != StatusCorrelated && status["v0"] != StatusCorrelated {
			t.Errorf("v0/v0copy statuses %v %v", status["v0"], s)
		}
		if status["noise"] != StatusLowIV {
			t.Errorf("noise status %v", status["noise"])
		}
		for j := range m.NumVars() {
			if c := m.Variables()[j].Coef.Est; c > 0 {
				t.Errorf("%s has wrong-signed coefficient %g", m.Names()[j], c)
			}
		}
		if o != nil && o.Selection.MaxVars == 3 && m.NumVars() > 3 {
			t.Errorf("MaxVars 3 gave %d", m.NumVars())
		}
		if o != nil && o.Selection.Stepwise {
			for _, c := range rep.Candidates {
				if c.Status == StatusSelected && rep.Logit.P[slices.Index(rep.Selected, c.Name)+1] > 0.05 {
					t.Errorf("stepwise kept %s with p > 0.05", c.Name)
				}
			}
		}
	}
	if _, _, err := Fit(ds, &Options{Selection: SelectionOptions{MaxVIF: 0.5}}); !errors.Is(err, ErrOption) {
		t.Errorf("MaxVIF 0.5: %v", err)
	}
}

func TestScoreConcurrent(t *testing.T) {
	m, ds := fitSim(t, 4000, nil)
	want := make([]Result, 200)
	for r := range want {
		want[r], _ = m.Score(rowOf(m, ds, r), nil)
	}
	done := make(chan bool)
	for g := range 4 {
		go func() {
			ok := true
			var reasons [2]Reason
			for r := range want {
				row := rowOf(m, ds, (r+g*50)%len(want))
				got, err := m.Score(row, reasons[:])
				got.Reasons = 0
				ok = ok && err == nil && got == want[(r+g*50)%len(want)]
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("concurrent scoring differs")
		}
	}
}
