package uplift

import (
	"errors"
	"testing"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

func tinyDataset() *scorecard.Dataset {
	return &scorecard.Dataset{
		Columns: []scorecard.Column{
			{Name: "x", Kind: scorecard.Numeric, Num: []float64{1, 2, 3, 4, 5, 6}},
			{Name: "arm", Kind: scorecard.Categorical, Cat: []string{"mail", "none", "other", "mail", "none", "mail"}},
		},
		Bad: []bool{true, false, true, false, true, false},
	}
}

func TestNewExperiment(t *testing.T) {
	e, err := NewExperiment(tinyDataset(), "arm", "mail", "none")
	if err != nil {
		t.Fatal(err)
	}
	if e.Data.Rows() != 5 || len(e.Data.Columns) != 1 || e.Data.Columns[0].Name != "x" {
		t.Fatalf("experiment data: %d rows, columns %+v", e.Data.Rows(), e.Data.Columns)
	}
	want := []bool{true, false, true, false, true}
	for i, v := range want {
		if e.Treated[i] != v {
			t.Fatalf("treated = %v, want %v", e.Treated, want)
		}
	}
	for name, tc := range map[string]struct {
		column, treated, control string
		want                     error
	}{
		"missing column": {"nope", "mail", "none", ErrColumn},
		"numeric column": {"x", "1", "2", ErrColumn},
		"same arms":      {"arm", "mail", "mail", ErrColumn},
		"empty arm":      {"arm", "mail", "sms", ErrGroup},
	} {
		if _, err := NewExperiment(tinyDataset(), tc.column, tc.treated, tc.control); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.want)
		}
	}
	if _, _, err := e.Split(1, 1); !errors.Is(err, ErrRange) {
		t.Errorf("Split(1): %v", err)
	}
	bad := &Experiment{Data: e.Data, Treated: e.Treated[:2]}
	if _, err := FitTwoModel(bad, nil); !errors.Is(err, ErrLength) {
		t.Errorf("FitTwoModel with short Treated: %v", err)
	}
	if _, err := NewResponse(nil); !errors.Is(err, ErrColumn) {
		t.Errorf("NewResponse(nil): %v", err)
	}
}
