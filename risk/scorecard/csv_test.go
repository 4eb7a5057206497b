package scorecard

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const smallCSV = "\ufeffid, age ,city,income,status\n" +
	"1,34,Paris,1200.5,good\n" +
	"2,NA,Lyon,,bad\n" +
	"3,51,,-9,good\n" +
	"4,28,Paris,3000,bad\n"

func TestReadCSV(t *testing.T) {
	ds, err := ReadCSV(strings.NewReader(smallCSV), &CSVOptions{Target: "status", Bad: "bad", Drop: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	want := &Dataset{
		Target: "status", BadLabel: "bad", GoodLabel: "good",
		Bad: []bool{false, true, false, true},
		Columns: []Column{
			{Name: "age", Kind: Numeric, Num: []float64{34, nan, 51, 28}},
			{Name: "city", Kind: Categorical, Cat: []string{"Paris", "Lyon", "", "Paris"}},
			{Name: "income", Kind: Numeric, Num: []float64{1200.5, nan, -9, 3000}},
		},
	}
	if d := cmp.Diff(want, ds, cmpopts.EquateNaNs()); d != "" {
		t.Errorf("dataset (-want +got):\n%s", d)
	}
	// Same content, semicolon-separated and gzipped.
	semi := strings.ReplaceAll(smallCSV, ",", ";")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(semi))
	zw.Close()
	ds2, err := ReadCSV(&buf, &CSVOptions{Sep: ';', Target: "status", Bad: "bad", Good: "good", Drop: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ds, ds2, cmpopts.EquateNaNs()); d != "" {
		t.Errorf("gzip/semicolon differs:\n%s", d)
	}
	// A test file read with the training schema keeps its kinds even when
	// its own values would look different (city "1" stays categorical).
	test := "status,city,age,income,id\nbad,1,40,10,9\ngood,Lyon,NA,NA,8\n"
	ds3, err := ReadCSV(strings.NewReader(test), &CSVOptions{Target: "status", Bad: "bad", Drop: []string{"id"}, Schema: ds.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := ds3.Column("city"); c.Kind != Categorical || c.Cat[0] != "1" {
		t.Errorf("schema kinds not applied: %+v", c)
	}
}

func TestReadCSVErrors(t *testing.T) {
	base := &CSVOptions{Target: "y", Bad: "1"}
	schema := []Field{{"a", Numeric}, {"b", Categorical}}
	tests := []struct {
		name   string
		in     string
		opts   *CSVOptions
		want   error
		line   int
		column string
	}{
		{"empty", "", base, ErrCSV, 1, ""},
		{"duplicate header", "a,a,y\n1,2,1\n", base, ErrSchema, 1, "a"},
		{"empty header", "a,,y\n1,2,1\n", base, ErrSchema, 1, ""},
		{"no target", "a,b\n1,2\n", base, ErrSchema, 1, "y"},
		{"drop unknown", "a,y\n1,1\n", &CSVOptions{Target: "y", Bad: "1", Drop: []string{"zz"}}, ErrSchema, 1, "zz"},
		{"drop target", "a,y\n1,1\n", &CSVOptions{Target: "y", Bad: "1", Drop: []string{"y"}}, ErrSchema, 1, "y"},
		{"third label", "a,y\n1,1\n2,0\n3,2\n", base, ErrLabel, 4, "y"},
		{"wrong good label", "a,y\n1,1\n2,0\n", &CSVOptions{Target: "y", Bad: "1", Good: "2"}, ErrLabel, 3, "y"},
		{"missing target", "a,y\n1,1\n2,\n", base, ErrLabel, 3, "y"},
		{"ragged", "a,y\n1,1\n2\n", base, ErrCSV, 3, ""},
		{"bad quote", "a,y\n\"1,1\n", base, ErrCSV, 2, ""},
		{"inf", "a,y\n1,1\ninf,0\n", base, ErrNonFinite, 3, "a"},
		{"overflow", "a,y\n1,1\n1e999,0\n", base, ErrNonFinite, 3, "a"},
		{"no rows", "a,y\n", base, ErrEmpty, 2, ""},
		{"schema missing column", "a,y\n1,1\n", &CSVOptions{Target: "y", Bad: "1", Schema: schema}, ErrSchema, 1, "b"},
		{"schema extra column", "a,b,c,y\n1,x,3,1\n", &CSVOptions{Target: "y", Bad: "1", Schema: schema}, ErrSchema, 1, "c"},
		{"schema text in numeric", "a,b,y\n1,x,1\nabc,x,0\n", &CSVOptions{Target: "y", Bad: "1", Schema: schema}, ErrSchema, 3, "a"},
		{"no bad label option", "a,y\n1,1\n", &CSVOptions{Target: "y"}, ErrOption, 0, ""},
		{"same labels", "a,y\n1,1\n", &CSVOptions{Target: "y", Bad: "1", Good: "1"}, ErrOption, 0, ""},
		{"bad sep", "a,y\n1,1\n", &CSVOptions{Target: "y", Bad: "1", Sep: '"'}, ErrOption, 0, ""},
		{"bad gzip", "\x1f\x8bxx", base, ErrCSV, 1, ""},
	}
	for _, tc := range tests {
		_, err := ReadCSV(strings.NewReader(tc.in), tc.opts)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			continue
		}
		if tc.line == 0 {
			continue
		}
		var ce *CSVError
		if !errors.As(err, &ce) || ce.Line != tc.line || ce.Column != tc.column {
			t.Errorf("%s: %#v, want line %d column %q", tc.name, err, tc.line, tc.column)
		}
	}
	// Values are never echoed: a secret-looking label does not leak.
	_, err := ReadCSV(strings.NewReader("a,y\n1,1\n2,0\n3,ACCT-12345\n"), base)
	if err == nil || strings.Contains(err.Error(), "12345") {
		t.Errorf("error leaks a value: %v", err)
	}
}

func TestReadGermanAndTaiwanFiles(t *testing.T) {
	g := loadGerman(t)
	if c, _ := g.Column("checking_status"); c.Kind != Categorical {
		t.Errorf("checking_status kind %v", c.Kind)
	}
	if c, _ := g.Column("duration_months"); c.Kind != Numeric || c.Num[0] != 6 {
		t.Errorf("duration_months %v %v", c.Kind, c.Num[:1])
	}
	if b := countBad(g.Bad); b != 300 {
		t.Errorf("german bads %d, want 300", b)
	}
	tw := loadTaiwan(t)
	if b := countBad(tw.Bad); b != 6636 {
		t.Errorf("taiwan bads %d, want 6636", b)
	}
}
