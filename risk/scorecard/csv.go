package scorecard

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// defaultMissing are the cell values ReadCSV reads as missing when
// CSVOptions.Missing is nil (compared after trimming spaces).
var defaultMissing = []string{"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?"}

// DefaultMissing returns the cell values ReadCSV reads as missing by
// default: "", "NA", "N/A", "NaN", "nan", "null", "NULL", "None" and "?".
func DefaultMissing() []string { return slices.Clone(defaultMissing) }

// CSVOptions configures ReadCSV. Target and Bad are required.
type CSVOptions struct {
	// Sep is the field separator. 0 means ','.
	Sep rune
	// Target names the target column.
	Target string
	// Bad is the target value meaning bad (the event).
	Bad string
	// Good is the target value meaning good. "" means "the one other value
	// found"; a third distinct value is an ErrLabel error either way.
	Good string
	// Drop lists columns to leave out (each must exist).
	Drop []string
	// Missing lists cell values read as missing. nil means DefaultMissing().
	Missing []string
	// Schema, when not nil, fixes the columns the file must have (besides the
	// target and the dropped ones) and their kinds, as in a training set's
	// Dataset.Schema(): use it to read a test file. Other or absent columns
	// are ErrSchema; a non-number in a numeric column is ErrSchema.
	Schema []Field
}

// ReadCSVFile opens path and calls ReadCSV.
func ReadCSVFile(path string, opts *CSVOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCSV(f, opts)
}

// ReadCSV reads a CSV file with a header line into a Dataset. Gzip input is
// detected by its magic bytes and decompressed. Cells are trimmed of
// surrounding spaces. A column is numeric when every non-missing cell parses
// as a number (strconv.ParseFloat), otherwise categorical; with a Schema the
// kinds are taken from it. Target values are compared exactly with Bad and
// Good.
//
// Errors are *CSVError naming the line (the header is line 1) and column,
// never a cell's value: ErrCSV (malformed CSV, wrong field count, no
// header), ErrSchema (duplicate, unknown or missing columns), ErrLabel (a
// missing or third target label), ErrNonFinite (±Inf or an overflowing number
// in a numeric column), ErrEmpty (no data rows); ErrOption for bad options.
func ReadCSV(r io.Reader, opts *CSVOptions) (*Dataset, error) {
	var o CSVOptions
	if opts != nil {
		o = *opts
	}
	if o.Target == "" {
		return nil, optErr("CSV.Target", "required")
	}
	if o.Bad == "" {
		return nil, optErr("CSV.Bad", "required")
	}
	if o.Good == o.Bad {
		return nil, optErr("CSV.Good", "must differ from Bad")
	}
	if o.Sep == 0 {
		o.Sep = ','
	}
	if o.Sep == '"' || o.Sep == '\r' || o.Sep == '\n' || o.Sep == utf8.RuneError || !utf8.ValidRune(o.Sep) {
		return nil, optErr("CSV.Sep", "invalid separator")
	}
	missing := o.Missing
	if missing == nil {
		missing = defaultMissing
	}
	isMissing := make(map[string]bool, len(missing))
	for _, m := range missing {
		isMissing[strings.TrimSpace(m)] = true
	}

	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, &CSVError{Line: 1, Reason: "bad gzip header", Err: ErrCSV}
		}
		defer gz.Close()
		br = bufio.NewReaderSize(gz, 1<<16)
	}
	cr := csv.NewReader(br)
	cr.Comma = o.Sep
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &CSVError{Line: 1, Reason: "no header line", Err: ErrCSV}
		}
		return nil, csvErr(err, 1)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	pos := make(map[string]int, len(header))
	for i, h := range header {
		if h == "" {
			return nil, &CSVError{Line: 1, Reason: "empty column name at position " + strconv.Itoa(i+1), Err: ErrSchema}
		}
		if _, dup := pos[h]; dup {
			return nil, &CSVError{Line: 1, Column: h, Reason: "duplicate column", Err: ErrSchema}
		}
		pos[h] = i
	}
	tcol, ok := pos[o.Target]
	if !ok {
		return nil, &CSVError{Line: 1, Column: o.Target, Reason: "target column not found", Err: ErrSchema}
	}
	drop := make(map[string]bool, len(o.Drop))
	for _, d := range o.Drop {
		if _, ok := pos[d]; !ok {
			return nil, &CSVError{Line: 1, Column: d, Reason: "column to drop not found", Err: ErrSchema}
		}
		if d == o.Target {
			return nil, &CSVError{Line: 1, Column: d, Reason: "cannot drop the target", Err: ErrSchema}
		}
		drop[d] = true
	}
	var keep []int // header positions of kept columns, in file order
	for i, h := range header {
		if i != tcol && !drop[h] {
			keep = append(keep, i)
		}
	}
	var kinds map[string]Kind
	if o.Schema != nil {
		kinds = make(map[string]Kind, len(o.Schema))
		for _, f := range o.Schema {
			kinds[f.Name] = f.Kind
			if p, ok := pos[f.Name]; !ok || p == tcol || drop[f.Name] {
				return nil, &CSVError{Line: 1, Column: f.Name, Reason: "column of the schema not in file", Err: ErrSchema}
			}
		}
		for _, i := range keep {
			if _, ok := kinds[header[i]]; !ok {
				return nil, &CSVError{Line: 1, Column: header[i], Reason: "column not in the schema", Err: ErrSchema}
			}
		}
	}

	raw := make([][]string, len(keep))
	lines := []int{}
	lastLine := 1
	ds := &Dataset{Target: o.Target, BadLabel: o.Bad, GoodLabel: o.Good}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(err, lastLine+1)
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		t := strings.TrimSpace(rec[tcol])
		switch {
		case t == o.Bad:
			ds.Bad = append(ds.Bad, true)
		case t == "":
			return nil, &CSVError{Line: line, Column: o.Target, Reason: "missing target", Err: ErrLabel}
		case ds.GoodLabel == "":
			ds.GoodLabel = t
			ds.Bad = append(ds.Bad, false)
		case t == ds.GoodLabel:
			ds.Bad = append(ds.Bad, false)
		default:
			return nil, &CSVError{Line: line, Column: o.Target, Reason: "neither the bad nor the good label", Err: ErrLabel}
		}
		for k, i := range keep {
			raw[k] = append(raw[k], rec[i])
		}
		lines = append(lines, line)
	}
	if len(ds.Bad) == 0 {
		return nil, &CSVError{Line: 2, Reason: "no data rows", Err: ErrEmpty}
	}
	for k, i := range keep {
		name := header[i]
		cells := raw[k]
		for r := range cells {
			cells[r] = strings.TrimSpace(cells[r])
		}
		kind := Numeric
		if kinds != nil {
			kind = kinds[name]
		} else {
			for _, c := range cells {
				if isMissing[c] {
					continue
				}
				if _, err := strconv.ParseFloat(c, 64); err != nil && !errors.Is(err, strconv.ErrRange) {
					kind = Categorical
					break
				}
			}
		}
		col := Column{Name: name, Kind: kind}
		if kind == Numeric {
			col.Num = make([]float64, len(cells))
			for r, c := range cells {
				if isMissing[c] {
					col.Num[r] = math.NaN()
					continue
				}
				v, err := strconv.ParseFloat(c, 64)
				if err != nil && !errors.Is(err, strconv.ErrRange) {
					return nil, &CSVError{Line: lines[r], Column: name, Reason: "not a number in a numeric column", Err: ErrSchema}
				}
				if math.IsInf(v, 0) || err != nil {
					return nil, &CSVError{Line: lines[r], Column: name, Err: ErrNonFinite}
				}
				col.Num[r] = v
			}
		} else {
			intern := make(map[string]string)
			col.Cat = make([]string, len(cells))
			for r, c := range cells {
				if isMissing[c] {
					continue
				}
				s, ok := intern[c]
				if !ok {
					s = strings.Clone(c)
					intern[c] = s
				}
				col.Cat[r] = s
			}
		}
		raw[k] = nil
		ds.Columns = append(ds.Columns, col)
	}
	return ds, nil
}

func csvErr(err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := "malformed"
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			reason = "wrong number of fields"
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			reason = "bad quoting"
		}
		return &CSVError{Line: pe.StartLine, Reason: reason, Err: ErrCSV}
	}
	return &CSVError{Line: line, Reason: "read error: " + err.Error(), Err: ErrCSV}
}
