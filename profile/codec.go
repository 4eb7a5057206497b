package profile

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
)

// codec walks a profile's state once for all four directions: binary
// encode and decode, JSON encode and decode. Field names matter only for
// JSON; the binary form is the same fields in the same order.
type codec struct {
	mode codecMode
	err  error

	// binary
	buf []byte
	pos int

	// JSON encode: output and, per open object or array, whether a member
	// has been written yet.
	out   *bytes.Buffer
	first []bool

	// JSON decode: the members of the object being read.
	obj map[string]json.RawMessage
}

type codecMode uint8

const (
	binWrite codecMode = iota
	binRead
	jsonWrite
	jsonRead
)

func (c *codec) reading() bool { return c.mode == binRead || c.mode == jsonRead }

func (c *codec) fail(field string) {
	if c.err == nil {
		c.err = newFieldError(field, "", ErrCorrupt)
	}
}

// key writes a JSON member name.
func (c *codec) key(name string) {
	if !c.first[len(c.first)-1] {
		c.out.WriteByte(',')
	}
	c.first[len(c.first)-1] = false
	if name != "" {
		c.out.WriteString(strconv.Quote(name))
		c.out.WriteByte(':')
	}
}

func (c *codec) jsonGet(name string, v any) {
	raw, ok := c.obj[name]
	if !ok || c.err != nil {
		return // absent members keep their zero value
	}
	if err := json.Unmarshal(raw, v); err != nil {
		c.fail(name)
	}
}

func (c *codec) uvarint(name string) uint64 {
	if c.err != nil {
		return 0
	}
	v, n := binary.Uvarint(c.buf[c.pos:])
	if n <= 0 {
		c.fail(name)
		return 0
	}
	c.pos += n
	return v
}

func (c *codec) u64(name string, v *uint64) {
	switch c.mode {
	case binWrite:
		c.buf = binary.AppendUvarint(c.buf, *v)
	case binRead:
		*v = c.uvarint(name)
	case jsonWrite:
		c.key(name)
		c.out.WriteString(strconv.FormatUint(*v, 10))
	case jsonRead:
		var x uint64
		c.jsonGet(name, &x)
		*v = x
	}
}

// u64s codes a fixed-length vector of unsigned integers: uvarints in
// binary, an array of numbers in JSON (a different length is corrupt).
func (c *codec) u64s(name string, v []uint64) {
	switch c.mode {
	case binWrite, binRead:
		for i := range v {
			c.u64(name, &v[i])
		}
	case jsonWrite:
		c.key(name)
		c.out.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				c.out.WriteByte(',')
			}
			c.out.WriteString(strconv.FormatUint(x, 10))
		}
		c.out.WriteByte(']')
	case jsonRead:
		raw, ok := c.obj[name]
		if !ok || c.err != nil {
			return
		}
		var xs []uint64
		if err := json.Unmarshal(raw, &xs); err != nil || len(xs) != len(v) {
			c.fail(name)
			return
		}
		copy(v, xs)
	}
}

// Identifier modes of the binary form (see id).
const (
	idDerived = 0 // recomputed from the label on decoding
	idVarint  = 1 // a uvarint follows
	idFixed   = 2 // 8 little-endian bytes follow
)

// id codes a 64-bit identifier that is often a hash of the label coded
// just before it. The binary form stores nothing when derive recomputes it
// from the label, a uvarint when it is small and 8 bytes otherwise; JSON
// always carries the number.
func (c *codec) id(name string, v *uint64, label string, derive func(string) (uint64, bool)) {
	switch c.mode {
	case jsonWrite, jsonRead:
		c.u64(name, v)
	case binWrite:
		switch d, ok := derive(label); {
		case ok && d == *v:
			c.buf = append(c.buf, idDerived)
		case *v < 1<<49:
			c.buf = append(c.buf, idVarint)
			c.buf = binary.AppendUvarint(c.buf, *v)
		default:
			c.buf = append(c.buf, idFixed)
			c.buf = binary.LittleEndian.AppendUint64(c.buf, *v)
		}
	case binRead:
		switch mode := c.uvarint(name); mode {
		case idDerived:
			d, ok := derive(label)
			if !ok {
				c.fail(name)
				return
			}
			*v = d
		case idVarint:
			*v = c.uvarint(name)
		case idFixed:
			c.fixed64(name, v)
		default:
			c.fail(name)
		}
	}
}

// fixed64 codes 8 bytes in binary (for hashes, shorter than a uvarint) and
// a number in JSON.
func (c *codec) fixed64(name string, v *uint64) {
	switch c.mode {
	case binWrite:
		c.buf = binary.LittleEndian.AppendUint64(c.buf, *v)
	case binRead:
		if c.err != nil {
			return
		}
		if len(c.buf)-c.pos < 8 {
			c.fail(name)
			return
		}
		*v = binary.LittleEndian.Uint64(c.buf[c.pos:])
		c.pos += 8
	default:
		c.u64(name, v)
	}
}

func (c *codec) i64(name string, v *int64) {
	switch c.mode {
	case binWrite:
		c.buf = binary.AppendVarint(c.buf, *v)
	case binRead:
		if c.err != nil {
			return
		}
		x, n := binary.Varint(c.buf[c.pos:])
		if n <= 0 {
			c.fail(name)
			return
		}
		c.pos += n
		*v = x
	case jsonWrite:
		c.key(name)
		c.out.WriteString(strconv.FormatInt(*v, 10))
	case jsonRead:
		var x int64
		c.jsonGet(name, &x)
		*v = x
	}
}

// rel codes a time relative to base (binary only: small deltas make short
// varints); JSON carries the absolute unix seconds.
func (c *codec) rel(name string, v *int64, base int64) {
	if c.mode == binWrite || c.mode == binRead {
		d := base - *v
		c.i64(name, &d)
		*v = base - d
		return
	}
	c.i64(name, v)
}

func (c *codec) u32(name string, v *uint32) {
	x := uint64(*v)
	c.u64(name, &x)
	if x > math.MaxUint32 {
		c.fail(name)
	}
	*v = uint32(x)
}

func (c *codec) u16(name string, v *uint16) {
	x := uint64(*v)
	c.u64(name, &x)
	if x > math.MaxUint16 {
		c.fail(name)
	}
	*v = uint16(x)
}

func (c *codec) u8(name string, v *uint8) {
	x := uint64(*v)
	c.u64(name, &x)
	if x > math.MaxUint8 {
		c.fail(name)
	}
	*v = uint8(x)
}

func (c *codec) i32(name string, v *int32) {
	x := int64(*v)
	c.i64(name, &x)
	if x > math.MaxInt32 || x < math.MinInt32 {
		c.fail(name)
	}
	*v = int32(x)
}

func (c *codec) boolean(name string, v *bool) {
	x := uint64(0)
	if *v {
		x = 1
	}
	c.u64(name, &x)
	if x > 1 {
		c.fail(name)
	}
	*v = x == 1
}

func (c *codec) f64(name string, v *float64) {
	switch c.mode {
	case binWrite:
		c.buf = binary.LittleEndian.AppendUint64(c.buf, math.Float64bits(*v))
	case binRead:
		if c.err != nil {
			return
		}
		if len(c.buf)-c.pos < 8 {
			c.fail(name)
			return
		}
		*v = math.Float64frombits(binary.LittleEndian.Uint64(c.buf[c.pos:]))
		c.pos += 8
	case jsonWrite:
		c.key(name)
		c.out.WriteString(strconv.FormatFloat(*v, 'g', -1, 64))
	case jsonRead:
		var x float64
		c.jsonGet(name, &x)
		*v = x
	}
	if c.reading() && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
		c.fail(name)
	}
}

func (c *codec) f32(name string, v *float32) {
	switch c.mode {
	case binWrite:
		c.buf = binary.LittleEndian.AppendUint32(c.buf, math.Float32bits(*v))
	case binRead:
		if c.err != nil {
			return
		}
		if len(c.buf)-c.pos < 4 {
			c.fail(name)
			return
		}
		*v = math.Float32frombits(binary.LittleEndian.Uint32(c.buf[c.pos:]))
		c.pos += 4
	case jsonWrite:
		c.key(name)
		c.out.WriteString(strconv.FormatFloat(float64(*v), 'g', -1, 32))
	case jsonRead:
		var x float32
		c.jsonGet(name, &x)
		*v = x
	}
	if c.reading() && (math.IsNaN(float64(*v)) || math.IsInf(float64(*v), 0)) {
		c.fail(name)
	}
}

func (c *codec) str(name string, v *string) {
	switch c.mode {
	case binWrite:
		c.buf = binary.AppendUvarint(c.buf, uint64(len(*v)))
		c.buf = append(c.buf, *v...)
	case binRead:
		n := c.uvarint(name)
		if c.err != nil {
			return
		}
		if n > uint64(len(c.buf)-c.pos) {
			c.fail(name)
			return
		}
		*v = string(c.buf[c.pos : c.pos+int(n)])
		c.pos += int(n)
	case jsonWrite:
		c.key(name)
		b, _ := json.Marshal(*v)
		c.out.Write(b)
	case jsonRead:
		var x string
		c.jsonGet(name, &x)
		*v = x
	}
}

// object codes a nested object.
func (c *codec) object(name string, fn func()) {
	switch c.mode {
	case jsonWrite:
		c.key(name)
		c.out.WriteByte('{')
		c.first = append(c.first, true)
		fn()
		c.first = c.first[:len(c.first)-1]
		c.out.WriteByte('}')
	case jsonRead:
		raw, ok := c.obj[name]
		if !ok || c.err != nil {
			return
		}
		saved := c.obj
		c.obj = nil
		if err := json.Unmarshal(raw, &c.obj); err != nil {
			c.fail(name)
		} else {
			fn()
		}
		c.obj = saved
	default:
		fn()
	}
}

// list codes n elements (n is the count when writing), each an object coded
// by elem, and returns the count, at most max.
func (c *codec) list(name string, n, max int, elem func(i int)) int {
	switch c.mode {
	case binWrite:
		c.buf = binary.AppendUvarint(c.buf, uint64(n))
		for i := 0; i < n; i++ {
			elem(i)
		}
		return n
	case binRead:
		m := c.uvarint(name)
		if c.err != nil {
			return 0
		}
		if m > uint64(max) {
			c.fail(name)
			return 0
		}
		for i := 0; i < int(m) && c.err == nil; i++ {
			elem(i)
		}
		return int(m)
	case jsonWrite:
		c.key(name)
		c.out.WriteByte('[')
		c.first = append(c.first, true)
		for i := 0; i < n; i++ {
			c.key("")
			c.out.WriteByte('{')
			c.first = append(c.first, true)
			elem(i)
			c.first = c.first[:len(c.first)-1]
			c.out.WriteByte('}')
		}
		c.first = c.first[:len(c.first)-1]
		c.out.WriteByte(']')
		return n
	}
	raw, ok := c.obj[name]
	if !ok || c.err != nil {
		return 0
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || len(elems) > max {
		c.fail(name)
		return 0
	}
	saved := c.obj
	for i, e := range elems {
		c.obj = nil
		if err := json.Unmarshal(e, &c.obj); err != nil {
			c.fail(name)
			break
		}
		elem(i)
		if c.err != nil {
			break
		}
	}
	c.obj = saved
	return len(elems)
}

// sparse codes a fixed-length vector of which most entries are often zero:
// the binary form lists (index, value) for non-zero entries; JSON writes
// the whole array.
func sparse[T float32 | float64](c *codec, name string, v []T) {
	switch c.mode {
	case binWrite:
		nz := 0
		for _, x := range v {
			if x != 0 {
				nz++
			}
		}
		c.buf = binary.AppendUvarint(c.buf, uint64(nz))
		last := -1
		for i, x := range v {
			if x == 0 {
				continue
			}
			c.buf = binary.AppendUvarint(c.buf, uint64(i-last-1))
			last = i
			codeFloat(c, name, &v[i])
		}
	case binRead:
		nz := c.uvarint(name)
		if nz > uint64(len(v)) {
			c.fail(name)
			return
		}
		last := -1
		for k := 0; k < int(nz) && c.err == nil; k++ {
			gap := c.uvarint(name)
			if gap >= uint64(len(v)) || last+1+int(gap) >= len(v) {
				c.fail(name)
				return
			}
			last += 1 + int(gap)
			codeFloat(c, name, &v[last])
		}
	case jsonWrite:
		c.key(name)
		c.out.WriteByte('[')
		for i := range v {
			if i > 0 {
				c.out.WriteByte(',')
			}
			c.out.WriteString(strconv.FormatFloat(float64(v[i]), 'g', -1, bitsOf(v[i])))
		}
		c.out.WriteByte(']')
	case jsonRead:
		raw, ok := c.obj[name]
		if !ok || c.err != nil {
			return
		}
		var xs []T
		if err := json.Unmarshal(raw, &xs); err != nil || len(xs) != len(v) {
			c.fail(name)
			return
		}
		for i, x := range xs {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				c.fail(name)
				return
			}
			v[i] = x
		}
	}
}

func bitsOf[T float32 | float64](x T) int {
	if _, ok := any(x).(float32); ok {
		return 32
	}
	return 64
}

func codeFloat[T float32 | float64](c *codec, name string, v *T) {
	switch p := any(v).(type) {
	case *float32:
		c.f32(name, p)
	case *float64:
		c.f64(name, p)
	}
}
