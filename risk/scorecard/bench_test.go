package scorecard

import (
	"testing"
)

// benchModel fits a 20-variable model (all simulated candidates kept) and
// returns it with one applicant row per simulated row.
func benchModel(b *testing.B) (*Model, []Row) {
	b.Helper()
	ds := simulate(20000, 20, 7)
	m, _, err := Fit(ds, &Options{Selection: SelectionOptions{MinIV: -1, MaxCorr: 1, MaxVIF: -1, AllowWrongSign: true}})
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]Row, 256)
	for r := range rows {
		row := Row{Num: make([]float64, m.NumVars()), Cat: make([]string, m.NumVars())}
		for j, name := range m.Names() {
			c, _ := ds.Column(name)
			if c.Kind == Numeric {
				row.Num[j] = c.Num[r]
			} else {
				row.Cat[j] = c.Cat[r]
			}
		}
		rows[r] = row
	}
	return m, rows
}

// BenchmarkScore scores one applicant of a 20-variable model (numeric,
// categorical, special codes, missing) with 4 reason codes.
func BenchmarkScore(b *testing.B) {
	m, rows := benchModel(b)
	if m.NumVars() != 20 {
		b.Fatalf("model has %d variables, want 20", m.NumVars())
	}
	var reasons [4]Reason
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := m.Score(rows[i&255], reasons[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitTaiwan measures binning + selection + logistic fit + scaling
// on the 70% training part (21,000 rows x 23 candidates) of the Taiwan data.
func BenchmarkFitTaiwan(b *testing.B) {
	ds := loadTaiwan(b)
	train, _, err := ds.Split(0.3, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Fit(train, &taiwanOptions); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFit1M fits a scorecard on 1,000,000 simulated rows x 20
// variables (data generated before the timer starts): "default" with the
// default selection (all 20 are binned, the filters keep about 9 for the
// regression), "all20" with the filters off so all 20 enter the logistic
// regression.
func BenchmarkFit1M(b *testing.B) {
	ds := simulate(1_000_000, 20, 11)
	for _, bc := range []struct {
		name string
		opts *Options
	}{
		{"default", nil},
		{"all20", &Options{Selection: SelectionOptions{MinIV: -1, MaxCorr: 1, MaxVIF: -1, AllowWrongSign: true}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, _, err := Fit(ds, bc.opts)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(m.NumVars()), "vars")
			}
		})
	}
}

// BenchmarkScoreGerman scores one applicant of the German credit model
// (14 variables, mostly categorical) with 4 reason codes.
func BenchmarkScoreGerman(b *testing.B) {
	ds := loadGerman(b)
	m, _, err := Fit(ds, nil)
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]Row, 256)
	for r := range rows {
		rows[r] = rowOf(m, ds, r)
	}
	var reasons [4]Reason
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := m.Score(rows[i&255], reasons[:]); err != nil {
			b.Fatal(err)
		}
	}
}
