package profile

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"net/netip"
	"time"

	"github.com/shopspring/decimal"
)

// FormatVersion is the version of the profile's binary and JSON encodings.
// Decoders accept every version up to it and reject newer ones with
// ErrVersion.
const FormatVersion = 1

// binaryMagic starts every binary-encoded profile.
var binaryMagic = []byte("SPPF")

// jsonFormat names the JSON encoding in its "format" member.
const jsonFormat = "suanpan.profile"

// MarshalBinary encodes p in the versioned binary form: compact (varints,
// sparse vectors, times relative to the watermark) and exact.
func (p *Profile) MarshalBinary() ([]byte, error) { return p.AppendBinary(nil) }

// AppendBinary appends the binary form of p to b, so a caller can reuse a
// buffer.
func (p *Profile) AppendBinary(b []byte) ([]byte, error) {
	c := codec{mode: binWrite, buf: b}
	c.buf = append(c.buf, binaryMagic...)
	c.buf = binary.AppendUvarint(c.buf, FormatVersion)
	p.code(&c)
	return c.buf, c.err
}

// UnmarshalBinary decodes a profile encoded by MarshalBinary into p. On
// error (ErrCorrupt, ErrVersion) p is unchanged.
func (p *Profile) UnmarshalBinary(data []byte) error {
	if !bytes.HasPrefix(data, binaryMagic) {
		return newFieldError("magic", "", ErrCorrupt)
	}
	c := codec{mode: binRead, buf: data, pos: len(binaryMagic)}
	v := c.uvarint("version")
	if c.err != nil {
		return c.err
	}
	if v == 0 || v > FormatVersion {
		return newFieldError("version", "", ErrVersion)
	}
	var q Profile
	q.code(&c)
	if c.err != nil {
		return c.err
	}
	if c.pos != len(data) {
		return newFieldError("trailing", "", ErrCorrupt)
	}
	if err := q.check(); err != nil {
		return err
	}
	*p = q
	return nil
}

// MarshalJSON encodes p as a JSON object with named members, the same state
// as the binary form (times as unix seconds), for storage in document
// databases and for inspection.
func (p *Profile) MarshalJSON() ([]byte, error) {
	var out bytes.Buffer
	c := codec{mode: jsonWrite, out: &out, first: []bool{true}}
	out.WriteByte('{')
	format, version := jsonFormat, uint64(FormatVersion)
	c.str("format", &format)
	c.u64("version", &version)
	p.code(&c)
	out.WriteByte('}')
	return out.Bytes(), c.err
}

// UnmarshalJSON decodes a profile encoded by MarshalJSON into p. On error p
// is unchanged.
func (p *Profile) UnmarshalJSON(data []byte) error {
	c := codec{mode: jsonRead}
	if err := json.Unmarshal(data, &c.obj); err != nil || c.obj == nil {
		return newFieldError("json", "", ErrCorrupt)
	}
	var format string
	var version uint64
	c.str("format", &format)
	c.u64("version", &version)
	if c.err != nil || format != jsonFormat {
		return newFieldError("format", "", ErrCorrupt)
	}
	if version == 0 || version > FormatVersion {
		return newFieldError("version", "", ErrVersion)
	}
	var q Profile
	q.code(&c)
	if c.err != nil {
		return c.err
	}
	if err := q.check(); err != nil {
		return err
	}
	*p = q
	return nil
}

// code walks the whole state. Fields are never reordered or removed within
// a FormatVersion; a new version may append.
func (p *Profile) code(c *codec) {
	c.str("customer_id", &p.customerID)
	c.str("currency", &p.currency)
	c.u32("key_check", &p.keyCheck)
	c.f64("tau", &p.tau)
	c.u64("seq", &p.seq)
	c.i64("watermark", &p.watermark)
	base := p.watermark
	c.rel("first", &p.first, base)
	c.rel("landmark", &p.landmark, base)
	c.boolean("has_customer", &p.hasCustomer)
	if p.hasCustomer {
		c.object("customer", func() { codeCustomer(c, &p.customer) })
	}
	c.list("recent", recentIDs, recentIDs, func(i int) { c.fixed64("id", &p.recent[i]) })
	c.u8("recent_pos", &p.recentPos)

	codeTopK(c, "devices", &p.devices, MaxDevices, base, deriveFNV(domDevice), nil)
	codeTopK(c, "networks", &p.networks, MaxNetworks, base, deriveNetwork, p.netPrefix[:])
	codeTopK(c, "cells", &p.cells, MaxCells, base, noDerive, nil)
	codeTopK(c, "countries", &p.countries, MaxCountries, base, deriveCountry, nil)
	codeTopK(c, "counterparties", &p.counterparties, MaxCounterparties, base, deriveFNV(domCounterparty), nil)
	codeTopK(c, "app_functions", &p.appFunctions, MaxAppFunctions, base, deriveFNV(domAppFunction), nil)

	codeHours(c, p.hours[:])
	c.f64("hour_unit", &p.hourUnit)
	sparse(c, "channels", p.channels[:])
	sparse(c, "spend", p.spend[:])

	var idx [NumKinds]int
	n := 0
	for k := range p.habits {
		if p.habits[k].n > 0 {
			idx[n] = k
			n++
		}
	}
	c.list("habits", n, NumKinds, func(i int) {
		k := uint8(idx[i])
		c.u8("kind", &k)
		if int(k) >= NumKinds || k == 0 {
			c.fail("habits")
			return
		}
		h := &p.habits[k]
		c.u32("n", &h.n)
		c.f64("w", &h.w)
		c.f64("s1", &h.s1)
		c.f64("s2", &h.s2)
		c.i64("max", &h.maxAmount)
	})

	var ms [monthsKept]int
	n = 0
	for i := range p.months {
		if p.months[i].num != 0 {
			ms[n] = i
			n++
		}
	}
	c.list("months", n, monthsKept, func(i int) {
		var m month
		if !c.reading() {
			m = p.months[ms[i]]
		}
		c.i32("num", &m.num)
		c.i64("income", &m.income)
		c.i64("spend", &m.spend)
		c.i64("debt", &m.debt)
		c.i64("credits", &m.credits)
		c.i64("debits", &m.debits)
		if c.reading() {
			if m.num <= 0 || p.months[int(m.num)%monthsKept].num != 0 {
				c.fail("months")
				return
			}
			p.months[int(m.num)%monthsKept] = m
		}
	})
	codeRing(c, "velocity_5m", p.minutes[:], minuteWidth, base)
	codeRing(c, "velocity_1h", p.hourly[:], hourWidth, base)
	codeRing(c, "velocity_1d", p.daily[:], dayWidth, base)
	c.object("today", func() { codeBucket(c, &p.today) })
	c.object("since_strong_auth", func() { codeBucket(c, &p.sinceSCA) })
	c.object("session", func() { codeBucket(c, &p.session) })
	c.object("last_geo", func() {
		c.f64("lat", &p.lastGeo.lat)
		c.f64("lon", &p.lastGeo.lon)
		c.i64("time", &p.lastGeo.time)
		c.str("country", &p.lastGeo.country)
	})
	c.i64("last_debit", &p.lastDebit)
	c.i64("last_session", &p.lastSession)
	c.u32("sessions", &p.sessions)
	c.u32("transactions", &p.transactions)
	c.u32("foreign", &p.foreign)
	p.nIncome = uint8(codeStreams(c, "income_streams", p.income[:], int(p.nIncome), base))
	p.nBills = uint8(codeStreams(c, "bills", p.bills[:], int(p.nBills), base))
	c.object("rfm", func() {
		c.i64("first", &p.rfm.first)
		c.i64("last", &p.rfm.last)
		c.i32("last_day", &p.rfm.lastDay)
		c.u32("days", &p.rfm.days)
		c.u32("count", &p.rfm.count)
		c.i64("sum", &p.rfm.sum)
	})
}

func codeCustomer(c *codec, cu *Customer) {
	c.str("id", &cu.ID)
	codeTime(c, "birth_date", &cu.BirthDate)
	c.str("occupation", &cu.Occupation)
	c.str("currency", &cu.Currency)
	codeDecimal(c, "declared_monthly_income", &cu.DeclaredMonthlyIncome, cu.Currency)
	c.str("time_zone", &cu.TimeZone)
	c.boolean("consent_sms", &cu.Consent.SMS)
	c.boolean("consent_email", &cu.Consent.Email)
	c.boolean("consent_push", &cu.Consent.Push)
	codeTime(c, "joined", &cu.Joined)
}

// codeTime codes a UTC time as RFC 3339 with nanoseconds ("" for zero).
func codeTime(c *codec, name string, t *time.Time) {
	var s string
	if !t.IsZero() {
		s = t.UTC().Format(time.RFC3339Nano)
	}
	c.str(name, &s)
	if !c.reading() || c.err != nil {
		return
	}
	if s == "" {
		*t = time.Time{}
		return
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		c.fail(name)
		return
	}
	*t = v.UTC()
}

// codeDecimal codes a money amount fixed to its currency's minor units.
func codeDecimal(c *codec, name string, d *decimal.Decimal, currency string) {
	minor, _ := MinorUnits(currency)
	s := d.StringFixed(int32(minor))
	c.str(name, &s)
	if !c.reading() || c.err != nil {
		return
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		c.fail(name)
		return
	}
	*d = v
}

// Derivations of identifiers from labels, for the compact binary form. An
// unkeyed profile's devices, networks, counterparties and app functions are
// FNV hashes of their labels; a keyed profile's devices and networks have
// no label, so their hashes are stored.
func deriveFNV(domain byte) func(string) (uint64, bool) {
	return func(l string) (uint64, bool) { return fnv64(domain, l), l != "" }
}

func deriveNetwork(l string) (uint64, bool) {
	pfx, err := netip.ParsePrefix(l)
	if err != nil {
		return 0, false
	}
	var h hasher
	return h.networkID(pfx), true
}

func deriveCountry(l string) (uint64, bool) {
	if len(l) != 2 {
		return 0, false
	}
	return countryID(l), true
}

func noDerive(string) (uint64, bool) { return 0, false }

// codeTopK codes a top-K set. For networks, prefixes holds each member's
// network, coded as its label.
func codeTopK(c *codec, name string, s *topK, max int, base int64, derive func(string) (uint64, bool), prefixes []netip.Prefix) {
	n := c.list(name, len(s.items), max, func(i int) {
		if c.reading() && len(s.items) <= i {
			if s.items == nil {
				s.items = make([]seen, 0, max)
			}
			s.items = append(s.items, seen{})
		}
		it := &s.items[i]
		label := it.label
		if prefixes != nil && !c.reading() && prefixes[i].IsValid() {
			label = prefixes[i].String()
		}
		c.str("label", &label)
		c.id("id", &it.id, label, derive)
		switch {
		case !c.reading():
		case prefixes == nil:
			it.label = label
		case label != "":
			pfx, err := netip.ParsePrefix(label)
			if err != nil || i >= len(prefixes) {
				c.fail(name)
				return
			}
			prefixes[i] = pfx
		}
		c.rel("first", &it.first, base)
		c.rel("last", &it.last, base)
		c.u32("count", &it.count)
		c.f32("w", &it.w)
		c.u8("flags", &it.flags)
	})
	if c.reading() && n != len(s.items) {
		c.fail(name)
	}
}

// codeHours codes the hour-of-week counts: uvarints in binary (dense: most
// customers use most hours), an array in JSON.
func codeHours(c *codec, h []uint16) {
	if c.mode == jsonWrite || c.mode == jsonRead {
		xs := make([]uint64, len(h))
		for i, v := range h {
			xs[i] = uint64(v)
		}
		c.u64s("hours", xs)
		for i, v := range xs {
			if v > math.MaxUint16 {
				c.fail("hours")
				return
			}
			h[i] = uint16(v)
		}
		return
	}
	for i := range h {
		c.u16("hours", &h[i])
	}
}

func codeBucket(c *codec, b *bucket) {
	c.i64("epoch", &b.epoch)
	c.u32("count", &b.count)
	c.i64("sum", &b.sum)
}

func codeRing(c *codec, name string, ring []bucket, width, base int64) {
	var idx [dayBuckets]int
	n := 0
	for i := range ring {
		if ring[i].count != 0 || ring[i].sum != 0 {
			idx[n] = i
			n++
		}
	}
	cur := floorDiv(base, width)
	c.list(name, n, len(ring), func(i int) {
		var b bucket
		if !c.reading() {
			b = ring[idx[i]]
		}
		c.rel("epoch", &b.epoch, cur)
		c.u32("count", &b.count)
		c.i64("sum", &b.sum)
		if c.reading() {
			slot := int(((b.epoch % int64(len(ring))) + int64(len(ring))) % int64(len(ring)))
			if ring[slot] != (bucket{}) {
				c.fail(name)
				return
			}
			ring[slot] = b
		}
	})
}

func codeStreams(c *codec, name string, slots []stream, n int, base int64) int {
	return c.list(name, n, len(slots), func(i int) {
		s := &slots[i]
		c.str("name", &s.name)
		c.id("id", &s.id, s.name, deriveFNV(domCounterparty))
		k := uint8(s.kind)
		c.u8("kind", &k)
		s.kind = Kind(k)
		c.u8("n", &s.n)
		if s.n > streamDepth {
			c.fail(name)
			return
		}
		got := c.list("occurrences", int(s.n), streamDepth, func(j int) {
			c.rel("time", &s.times[j], base)
			c.i64("amount", &s.amounts[j])
		})
		if got != int(s.n) {
			c.fail(name)
		}
		c.u32("count", &s.count)
		c.u16("streak", &s.streak)
		f := uint8(s.freq)
		c.u8("frequency", &f)
		s.freq = Frequency(f)
		c.boolean("other_lender", &s.otherLender)
		c.rel("first", &s.first, base)
		c.u8("roll", &s.rollSeen)
		c.u16("off_cadence", &s.offCadence)
		c.boolean("last_off", &s.lastOff)
		if s.rollSeen > rollNone+1 {
			c.fail(name)
		}
	})
}

// check validates decoded state so that a decoded profile can never make
// Apply or a read method misbehave.
func (p *Profile) check() error {
	bad := func(field string) error { return newFieldError(field, "", ErrCorrupt) }
	if p.currency != "" {
		if _, ok := minorUnits[p.currency]; !ok {
			return bad("currency")
		}
	}
	if p.seq > 0 && !(p.tau > 0) {
		return bad("tau")
	}
	if p.first > p.watermark || p.recentPos >= recentIDs {
		return bad("watermark")
	}
	if p.hasCustomer {
		if err := p.customer.Validate(); err != nil || p.customer.ID != p.customerID {
			return bad("customer")
		}
		if p.customer.Currency != p.currency {
			return bad("currency")
		}
		p.loc, _ = loadLocation(p.customer.TimeZone)
	}
	for k := range p.habits {
		if h := p.habits[k]; h.w < 0 || h.maxAmount < 0 {
			return bad("habits")
		}
	}
	if p.hourUnit < 0 {
		return bad("hour_unit")
	}
	for _, v := range p.channels {
		if v < 0 {
			return bad("channels")
		}
	}
	for _, ss := range [][]stream{p.income[:p.nIncome], p.bills[:p.nBills]} {
		for i := range ss {
			if ss[i].kind == 0 || ss[i].kind > KindOther || ss[i].freq > FrequencyMonthly || ss[i].n == 0 {
				return bad("streams")
			}
		}
	}
	if c := p.lastGeo.country; c != "" && (len(c) != 2 || !upper(c[0]) || !upper(c[1])) {
		return bad("last_geo")
	}
	return nil
}

// Clone returns a deep copy of p that shares no mutable state with it.
func (p *Profile) Clone() *Profile {
	q := *p
	q.devices = p.devices.clone()
	q.networks = p.networks.clone()
	q.cells = p.cells.clone()
	q.countries = p.countries.clone()
	q.counterparties = p.counterparties.clone()
	q.appFunctions = p.appFunctions.clone()
	return &q
}
