package campaign

import (
	"math"
	"math/bits"
	"time"
)

const (
	secondsPerDay  = 86400
	minutesPerDay  = 1440
	minutesPerWeek = 7 * minutesPerDay
	hoursPerWeek   = 7 * 24
)

// zone converts Unix times to local calendar numbers in one time zone,
// caching the UTC offset valid around the planning time so that most
// conversions cost a few integer operations instead of a time zone lookup.
type zone struct {
	loc         *time.Location
	off         int64 // offset in seconds valid in [from, until)
	from, until int64
}

func newZone(loc *time.Location, now time.Time) zone {
	lt := now.In(loc)
	_, off := lt.Zone()
	start, end := lt.ZoneBounds()
	z := zone{loc: loc, off: int64(off), from: math.MinInt64, until: math.MaxInt64}
	if !start.IsZero() {
		z.from = start.Unix()
	}
	if !end.IsZero() {
		z.until = end.Unix()
	}
	return z
}

// offset returns the zone's UTC offset at Unix time t.
func (z *zone) offset(t int64) int64 {
	if t >= z.from && t < z.until {
		return z.off
	}
	_, off := time.Unix(t, 0).In(z.loc).Zone()
	return int64(off)
}

// local returns t shifted to local wall-clock seconds since the epoch.
func (z *zone) local(t int64) int64 { return t + z.offset(t) }

// day returns the local day number (days since 1970-01-01) of t.
func (z *zone) day(t int64) int64 { return floorDiv(z.local(t), secondsPerDay) }

// weekOf returns the Monday-based week number of local day d (1970-01-01
// was a Thursday, in week 0).
func weekOf(d int64) int64 { return floorDiv(d+3, 7) }

// monthOf returns year×12 + month − 1 of local day d.
func monthOf(d int64) int64 {
	y, m, _ := civil(d)
	return y*12 + m - 1
}

// civil converts a day number to a proleptic Gregorian date (Hinnant,
// "chrono-Compatible Low-Level Date Algorithms", days_from_civil inverse).
func civil(d int64) (y, m, dd int64) {
	z := d + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, dd
}

// weekday returns the weekday of local day d (Sunday 0).
func weekday(d int64) int64 { return ((d+4)%7 + 7) % 7 }

// minuteOfWeek returns the local minute of the week of t, Sunday 00:00
// being 0.
func (z *zone) minuteOfWeek(t int64) int {
	l := z.local(t)
	d := floorDiv(l, secondsPerDay)
	return int(weekday(d))*minutesPerDay + int((l-d*secondsPerDay)/60)
}

// hourOfWeek returns the local hour of the week of t (Sunday 00h is 0), the
// index of profile.Profile.ActiveHours.
func (z *zone) hourOfWeek(t int64) int { return z.minuteOfWeek(t) / 60 }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// weekMask marks the minutes of the week (Sunday 00:00 first) at which a
// message may be sent.
type weekMask [(minutesPerWeek + 63) / 64]uint64

func (m *weekMask) set(i int)      { m[i>>6] |= 1 << (i & 63) }
func (m *weekMask) has(i int) bool { return m[i>>6]&(1<<(i&63)) != 0 }

func (m *weekMask) empty() bool {
	for _, w := range m {
		if w != 0 {
			return false
		}
	}
	return true
}

// nextSet returns the number of minutes from minute i (inclusive) to the
// next allowed minute, wrapping around the week, or -1 when none within
// limit minutes.
func (m *weekMask) nextSet(i, limit int) int {
	for d := 0; d < limit; {
		j := (i + d) % minutesPerWeek
		w := m[j>>6] >> (j & 63)
		if w != 0 {
			step := bits.TrailingZeros64(w)
			if j+step >= minutesPerWeek { // bits past the week's end in the last word
				d += minutesPerWeek - j
				continue
			}
			if d+step < limit {
				return d + step
			}
			return -1
		}
		span := 64 - (j & 63)
		if j+span > minutesPerWeek {
			span = minutesPerWeek - j
		}
		d += span
	}
	return -1
}

// quiet reports whether minute-of-day md falls in quiet hours q.
func (q QuietHours) quiet(md int) bool {
	f, t := int(q.From), int(q.To)
	switch {
	case f == t:
		return false
	case f < t:
		return md >= f && md < t
	}
	return md >= f || md < t
}

// buildMask returns the minutes of the week outside quiet hours q and, when
// windows is not empty, inside one of them.
func buildMask(q QuietHours, windows []SendWindow) weekMask {
	var m weekMask
	for i := 0; i < minutesPerWeek; i++ {
		wd, md := time.Weekday(i/minutesPerDay), i%minutesPerDay
		if q.quiet(md) {
			continue
		}
		ok := len(windows) == 0
		for _, w := range windows {
			if w.Days.Has(wd) && md >= int(w.From) && md < int(w.To) {
				ok = true
				break
			}
		}
		if ok {
			m.set(i)
		}
	}
	return m
}
