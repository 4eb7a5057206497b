package campaign

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// Local day, week and month numbers agree with package time, across
// daylight-saving changes.
func TestCalendarNumbers(t *testing.T) {
	for _, name := range []string{"UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		z := newZone(loc, start.Add(100*24*time.Hour))
		for h := int64(0); h < 2*366*24; h += 7 {
			u := start.Unix() + h*3600 + h%3600
			lt := time.Unix(u, 0).In(loc)
			day := z.day(u)
			y, m, dd := civil(day)
			if int(y) != lt.Year() || time.Month(m) != lt.Month() || int(dd) != lt.Day() {
				t.Fatalf("%s %s: civil(%d) = %d-%d-%d", name, lt, day, y, m, dd)
			}
			if weekday(day) != int64(lt.Weekday()) {
				t.Fatalf("%s %s: weekday %d", name, lt, weekday(day))
			}
			if monthOf(day) != int64(lt.Year()*12+int(lt.Month())-1) {
				t.Fatalf("%s %s: month %d", name, lt, monthOf(day))
			}
			// Monday-based weeks: two times are in the same week iff their
			// Mondays are the same day.
			monday := time.Date(lt.Year(), lt.Month(), lt.Day()-(int(lt.Weekday())+6)%7, 12, 0, 0, 0, loc)
			if wk := weekOf(day); wk != weekOf(z.day(monday.Unix())) || weekday(z.day(monday.Unix())) != 1 {
				t.Fatalf("%s %s: week %d", name, lt, wk)
			}
			if mow := z.minuteOfWeek(u); mow != int(lt.Weekday())*1440+lt.Hour()*60+lt.Minute() {
				t.Fatalf("%s %s: minute of week %d", name, lt, mow)
			}
		}
	}
}

func TestNextSet(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		var m weekMask
		for range r.IntN(20) {
			lo := r.IntN(minutesPerWeek)
			for i := lo; i < min(minutesPerWeek, lo+r.IntN(300)); i++ {
				m.set(i)
			}
		}
		for range 50 {
			from, limit := r.IntN(minutesPerWeek), r.IntN(2*minutesPerWeek)
			want := -1
			for d := 0; d < limit; d++ {
				if m.has((from + d) % minutesPerWeek) {
					want = d
					break
				}
			}
			if got := m.nextSet(from, limit); got != want {
				t.Fatalf("nextSet(%d, %d) = %d, want %d", from, limit, got, want)
			}
		}
	}
}

func TestQuietHoursWrap(t *testing.T) {
	q := QuietHours{From: ClockOf(21, 0), To: ClockOf(8, 0)}
	for md, want := range map[int]bool{0: true, 7*60 + 59: true, 8 * 60: false, 20*60 + 59: false, 21 * 60: true, 23*60 + 59: true} {
		if q.quiet(md) != want {
			t.Errorf("quiet(%d) = %v", md, !want)
		}
	}
	if (QuietHours{From: 600, To: 600}).quiet(600) {
		t.Error("empty quiet hours are quiet")
	}
	if !(QuietHours{From: ClockOf(12, 0), To: ClockOf(14, 0)}).quiet(13 * 60) {
		t.Error("midday quiet hours not quiet")
	}
}

func TestParseClockAndDuration(t *testing.T) {
	for s, ok := range map[string]bool{"00:00": true, "24:00": true, "23:59": true, "24:01": false, "9:00": false, "12:60": false, "ab:cd": false, "-1:00": false} {
		if _, err := ParseClock(s); (err == nil) != ok {
			t.Errorf("ParseClock(%q) = %v", s, err)
		}
	}
	for s, want := range map[string]time.Duration{"15m": 15 * time.Minute, "30d": 30 * Day, "72h": 72 * time.Hour, "0": 0, "-2d": -2 * Day} {
		d, err := ParseDuration(s)
		if err != nil || time.Duration(d) != want {
			t.Errorf("ParseDuration(%q) = %v, %v", s, d, err)
		}
		if back, err := ParseDuration(d.String()); err != nil || back != d {
			t.Errorf("%q does not round-trip: %q", s, d.String())
		}
	}
	for _, s := range []string{"", "d", "1.5d", "99999999d", "3 days"} {
		if _, err := ParseDuration(s); err == nil {
			t.Errorf("ParseDuration(%q) accepted", s)
		}
	}
}

// The stable hashes behind holdouts split customers in the configured
// shares, independently per campaign.
func TestHoldoutShares(t *testing.T) {
	const n = 20000
	in, both := 0, 0
	for i := range n {
		id := "c" + string(rune('a'+i%26)) + strconv.Itoa(i)
		a := InHoldout(9, id, "camp_a", 0.1)
		b := InHoldout(9, id, "camp_b", 0.1)
		if a {
			in++
		}
		if a && b {
			both++
		}
		if a != InHoldout(9, id, "camp_a", 0.1) {
			t.Fatal("holdout not stable")
		}
	}
	if share := float64(in) / n; share < 0.09 || share > 0.11 {
		t.Errorf("holdout share %.3f, want 0.1", share)
	}
	if share := float64(both) / n; share < 0.005 || share > 0.015 {
		t.Errorf("joint holdout share %.4f, want about 0.01 (independent draws)", share)
	}
	if InHoldout(9, "x", "c", 0) || InGlobalControl(9, "x", 0) {
		t.Error("share 0 holds out")
	}
}
