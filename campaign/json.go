package campaign

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// MaxSetSize is the largest campaign file DecodeSet accepts, in bytes.
const MaxSetSize = 4 << 20

// DecodeSet reads a campaign file (see the package documentation for the
// schema) and validates it. Decoding is strict: an unknown or repeated
// field, a value of the wrong type, a malformed duration, clock time,
// decimal or RFC 3339 time, trailing data, or any failure of Validate is
// an error; keys are case-sensitive. Errors are *ValidationError naming
// the campaign and the field (joined with errors.Join when there are
// several), wrapping ErrSyntax, ErrUnknownField, ErrDuplicate, ErrInvalid
// or a validation sentinel.
func DecodeSet(r io.Reader) (*Set, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSetSize+1))
	if err != nil {
		return nil, &CallerError{Op: "read campaign file", Err: err}
	}
	return ParseSet(data)
}

// ParseSet is DecodeSet on a byte slice.
func ParseSet(data []byte) (*Set, error) {
	if len(data) > MaxSetSize {
		return nil, &ValidationError{Field: "(file)", Err: ErrInvalid, Detail: "larger than MaxSetSize"}
	}
	if !json.Valid(data) {
		return nil, &ValidationError{Field: "(file)", Err: ErrSyntax, Detail: syntaxDetail(data)}
	}
	var s Set
	d := &strictDecoder{}
	top, err := d.object(data, "")
	if err != nil {
		return nil, err
	}
	sv := reflect.ValueOf(&s).Elem()
	fields := jsonFields(sv.Type())
	for _, kv := range top {
		i, ok := fields[kv.key]
		if !ok {
			return nil, &ValidationError{Field: kv.key, Err: ErrUnknownField}
		}
		if kv.key == "campaigns" {
			if err := d.campaigns(kv.val, &s.Campaigns); err != nil {
				return nil, err
			}
			continue
		}
		if err := d.decode(kv.val, sv.Field(i), kv.key); err != nil {
			return nil, err
		}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Encode writes s as an indented campaign file that DecodeSet reads back
// to an equal Set (Go predicates excepted).
func (s *Set) Encode(w io.Writer) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func syntaxDetail(data []byte) string {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("at byte %d", se.Offset)
	}
	return "not JSON"
}

// strictDecoder decodes JSON into the campaign types field by field, so
// that every error names its path. campaign is the ID of the campaign
// being decoded ("" at set level).
type strictDecoder struct {
	campaign string
}

type keyVal struct {
	key string
	val json.RawMessage
}

func (d *strictDecoder) fail(path string, err error, detail string) error {
	return &ValidationError{Campaign: d.campaign, Field: path, Err: err, Detail: detail}
}

// object splits a JSON object into its members in order, rejecting
// repeated keys.
func (d *strictDecoder) object(raw []byte, path string) ([]keyVal, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, d.fail(pathOr(path), ErrInvalid, "want an object")
	}
	var out []keyVal
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, d.fail(pathOr(path), ErrSyntax, "")
		}
		k, _ := tok.(string)
		if seen[k] {
			return nil, d.fail(join(path, k), ErrDuplicate, "field repeated")
		}
		seen[k] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, d.fail(join(path, k), ErrSyntax, "")
		}
		out = append(out, keyVal{k, v})
	}
	return out, nil
}

func (d *strictDecoder) array(raw []byte, path string) ([]json.RawMessage, error) {
	var out []json.RawMessage
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, d.fail(path, ErrInvalid, "want an array")
	}
	return out, nil
}

func pathOr(p string) string {
	if p == "" {
		return "(file)"
	}
	return p
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// campaigns decodes the campaigns array, naming each campaign by its ID
// (or "#i" when it has none) in errors.
func (d *strictDecoder) campaigns(raw []byte, dst *[]Campaign) error {
	if isNull(raw) {
		*dst = nil
		return nil
	}
	elems, err := d.array(raw, "campaigns")
	if err != nil {
		return err
	}
	*dst = make([]Campaign, len(elems))
	for i, e := range elems {
		var peek struct {
			ID any `json:"id"`
		}
		_ = json.Unmarshal(e, &peek)
		id, _ := peek.ID.(string)
		if id == "" {
			id = fmt.Sprintf("#%d", i)
		}
		sub := &strictDecoder{campaign: id}
		if err := sub.decode(e, reflect.ValueOf(&(*dst)[i]).Elem(), ""); err != nil {
			return err
		}
	}
	return nil
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decode sets v from raw. Structs (without their own unmarshaler) are
// decoded member by member, slices element by element and maps entry by
// entry, so that errors carry the full path; everything else is a leaf
// decoded by encoding/json.
func (d *strictDecoder) decode(raw []byte, v reflect.Value, path string) error {
	t := v.Type()
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return d.leaf(raw, v, path)
	}
	switch t.Kind() {
	case reflect.Pointer:
		if isNull(raw) {
			v.SetZero()
			return nil
		}
		n := reflect.New(t.Elem())
		if err := d.decode(raw, n.Elem(), path); err != nil {
			return err
		}
		v.Set(n)
		return nil
	case reflect.Struct:
		if isNull(raw) {
			v.SetZero()
			return nil
		}
		members, err := d.object(raw, path)
		if err != nil {
			return err
		}
		fields := jsonFields(t)
		for _, kv := range members {
			i, ok := fields[kv.key]
			if !ok {
				return d.fail(join(path, kv.key), ErrUnknownField, "")
			}
			if err := d.decode(kv.val, v.Field(i), join(path, kv.key)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		if isNull(raw) {
			v.SetZero()
			return nil
		}
		elems, err := d.array(raw, pathOr(path))
		if err != nil {
			return err
		}
		s := reflect.MakeSlice(t, len(elems), len(elems))
		for i, e := range elems {
			if err := d.decode(e, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Map:
		if isNull(raw) {
			v.SetZero()
			return nil
		}
		members, err := d.object(raw, path)
		if err != nil {
			return err
		}
		m := reflect.MakeMapWithSize(t, len(members))
		for _, kv := range members {
			k := reflect.New(t.Key())
			p := join(path, kv.key)
			if tu, ok := k.Interface().(encoding.TextUnmarshaler); ok {
				if err := tu.UnmarshalText([]byte(kv.key)); err != nil {
					return d.fail(p, ErrInvalid, "unknown key")
				}
			} else if t.Key().Kind() == reflect.String {
				k.Elem().SetString(kv.key)
			} else {
				return d.fail(p, ErrInvalid, "unsupported key")
			}
			e := reflect.New(t.Elem()).Elem()
			if err := d.decode(kv.val, e, p); err != nil {
				return err
			}
			m.SetMapIndex(k.Elem(), e)
		}
		v.Set(m)
		return nil
	}
	return d.leaf(raw, v, path)
}

// leaf decodes a value with encoding/json, turning its errors into a
// ValidationError for path that never echoes the value.
func (d *strictDecoder) leaf(raw []byte, v reflect.Value, path string) error {
	err := json.Unmarshal(raw, v.Addr().Interface())
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	var sentinel error = ErrInvalid
	detail := "wrong format"
	switch {
	case errors.As(err, &te):
		detail = fmt.Sprintf("want %s, got a JSON %s", typeName(te.Type), te.Value)
	case errors.Is(err, ErrDuplicate):
		sentinel, detail = ErrDuplicate, "repeated value"
	}
	return d.fail(pathOr(path), sentinel, detail)
}

func typeName(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	}
	return strings.ToLower(t.Name())
}

// jsonFields maps the JSON names of t's exported fields (from their json
// tags) to field indexes; fields tagged "-" are left out.
func jsonFields(t reflect.Type) map[string]int {
	out := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out[name] = i
	}
	return out
}
