package scorecard

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// fuzzModel is a small fitted model (deterministic) used as a seed and as
// the model scored by FuzzScore.
func fuzzModel(tb testing.TB) *Model {
	tb.Helper()
	ds := simulate(3000, 5, 99)
	m, _, err := Fit(ds, &Options{Binning: BinningOptions{Special: []float64{-9, -8}}})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// FuzzParseModel: decoding never panics; whatever decodes re-encodes to a
// file that decodes to the same bytes (exact round trip).
func FuzzParseModel(f *testing.F) {
	m := fuzzModel(f)
	data, _ := json.Marshal(m)
	f.Add(data)
	f.Add([]byte(`{"format":"suanpan.scorecard","version":2}`))
	f.Add([]byte(`{"format":"suanpan.scorecard","version":1,"variables":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseModel(data)
		if err != nil {
			return
		}
		a, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		m2, err := ParseModel(a)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		b, _ := json.Marshal(m2)
		if !bytes.Equal(a, b) || m.ID() != m2.ID() {
			t.Fatalf("round trip differs")
		}
		// A decoded model scores without panicking.
		row := Row{Num: make([]float64, m.NumVars()), Cat: make([]string, m.NumVars())}
		var reasons [3]Reason
		if res, err := m.Score(row, reasons[:]); err == nil && (math.IsNaN(res.Score) || math.IsNaN(res.PD)) {
			t.Fatalf("NaN score from decoded model")
		}
	})
}

func writeCSV(ds *Dataset) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := []string{"y"}
	for _, c := range ds.Columns {
		head = append(head, c.Name)
	}
	w.Write(head)
	for r := range ds.Rows() {
		rec := []string{ds.GoodLabel}
		if ds.Bad[r] {
			rec[0] = ds.BadLabel
		}
		for _, c := range ds.Columns {
			if c.Kind == Numeric {
				if math.IsNaN(c.Num[r]) {
					rec = append(rec, "")
				} else {
					rec = append(rec, strconv.FormatFloat(c.Num[r], 'g', -1, 64))
				}
			} else {
				rec = append(rec, c.Cat[r])
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

// FuzzReadCSV: reading never panics; a dataset read is valid, and writing it
// back and reading again gives the same dataset.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(smallCSV), byte(','))
	f.Add([]byte("y;a;b\n1;2;x\n0;NA;y\n"), byte(';'))
	f.Add([]byte("a,y\n1,1\n2,0\n3,2\n"), byte(','))
	f.Add([]byte("y,a\n1,inf\n"), byte(','))
	f.Fuzz(func(t *testing.T, data []byte, sep byte) {
		opts := &CSVOptions{Target: "y", Bad: "1", Sep: rune(sep)}
		ds, err := ReadCSV(bytes.NewReader(data), opts)
		if err != nil {
			return
		}
		if err := ds.Validate(); err != nil {
			t.Fatalf("invalid dataset: %v", err)
		}
		if strings.ContainsAny(ds.GoodLabel, "\r\n\"") || ds.GoodLabel == "" {
			return // labels that csv cannot round-trip unchanged
		}
		for _, c := range ds.Columns {
			if c.Kind == Categorical {
				for _, s := range c.Cat {
					if strings.ContainsRune(s, '\r') {
						return // csv normalises \r\n inside quotes
					}
				}
			}
		}
		back, err := ReadCSV(bytes.NewReader(writeCSV(ds)), &CSVOptions{Target: "y", Bad: "1", Good: ds.GoodLabel, Schema: ds.Schema()})
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		if len(back.Columns) != len(ds.Columns) || back.Rows() != ds.Rows() {
			t.Fatalf("re-read shape differs")
		}
		for j, c := range ds.Columns {
			b := back.Columns[j]
			for r := range ds.Rows() {
				if back.Bad[r] != ds.Bad[r] {
					t.Fatalf("row %d label differs", r)
				}
				if c.Kind == Numeric {
					if x, y := c.Num[r], b.Num[r]; x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
						t.Fatalf("column %d row %d: %v vs %v", j, r, x, y)
					}
				} else if c.Cat[r] != b.Cat[r] {
					t.Fatalf("column %d row %d: %q vs %q", j, r, c.Cat[r], b.Cat[r])
				}
			}
		}
	})
}

// FuzzScore: any applicant values give a finite score and PD or a typed
// error, never a panic.
func FuzzScore(f *testing.F) {
	m := fuzzModel(f)
	f.Add(0.5, -9.0, 1e300, "a")
	f.Add(math.NaN(), math.Inf(1), math.Copysign(0, -1), "")
	f.Add(-1e-300, 42.0, 7.0, "never seen")
	f.Fuzz(func(t *testing.T, a, b, c float64, s string) {
		row := Row{Num: make([]float64, m.NumVars()), Cat: make([]string, m.NumVars())}
		vals := []float64{a, b, c}
		for j := range row.Num {
			row.Num[j] = vals[j%3]
			row.Cat[j] = s
		}
		var reasons [2]Reason
		res, err := m.Score(row, reasons[:])
		if err != nil {
			return
		}
		if math.IsNaN(res.Score) || math.IsInf(res.Score, 0) || !(res.PD >= 0 && res.PD <= 1) || res.Reasons > 2 {
			t.Fatalf("result %+v", res)
		}
	})
}

// FuzzBin: binning arbitrary values never panics and, when it succeeds,
// every row is in exactly one bin with consistent WoE and IV.
func FuzzBin(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, uint8(3))
	f.Add(bytes.Repeat([]byte{0xff, 0xf8, 0, 0, 0, 0, 0, 1}, 4), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, maxBins uint8) {
		n := len(data) / 8
		if n == 0 {
			return
		}
		x := make([]float64, n)
		cats := make([]string, n)
		bad := make([]bool, n)
		for i := range n {
			u := binary.LittleEndian.Uint64(data[i*8:])
			x[i] = math.Float64frombits(u)
			bad[i] = u&1 == 1
			cats[i] = strconv.Itoa(int(u>>1) % 7)
			if u%11 == 0 {
				cats[i] = ""
			}
		}
		opts := &BinningOptions{MaxBins: int(maxBins % 12), Special: []float64{-9}, MinBinShare: 0.01}
		p, _ := opts.params()
		G, B := countTarget(bad)
		if bn, err := BinNumeric("x", x, bad, opts); err == nil {
			checkBinning(t, bn, n, G, B, p)
			idx, err := bn.Assign(&Column{Name: "x", Kind: Numeric, Num: x}, nil)
			if err != nil || len(idx) != n {
				t.Fatalf("assign: %v", err)
			}
			counts := make([]int, len(bn.Bins))
			for _, k := range idx {
				counts[k]++
			}
			for k, b := range bn.Bins {
				if counts[k] != b.Count {
					t.Fatalf("bin %s: %d rows assigned, %d counted", b.Label(), counts[k], b.Count)
				}
			}
		}
		if bn, err := BinCategorical("c", cats, bad, opts); err == nil {
			checkBinning(t, bn, n, G, B, p)
		}
	})
}
