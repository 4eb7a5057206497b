package campaign

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Channel is a way to reach a customer.
type Channel uint8

// Channels. The zero value is not a channel.
const (
	ChannelPush  Channel = iota + 1 // push notification to the bank's app
	ChannelSMS                      // text message
	ChannelEmail                    // e-mail
	ChannelInApp                    // placement inside the app (banner, inbox card)
	ChannelAgent                    // task for a branch employee or marketing agent (O2O)
	ChannelPhone                    // outbound call
)

// NumChannels is one more than the largest Channel, for arrays indexed by
// Channel.
const NumChannels = int(ChannelPhone) + 1

var channelNames = [...]string{
	ChannelPush: "push", ChannelSMS: "sms", ChannelEmail: "email",
	ChannelInApp: "in_app", ChannelAgent: "agent", ChannelPhone: "phone",
}

// String returns the channel's name in campaign files ("push", "sms",
// "email", "in_app", "agent", "phone"); "" for the zero value.
func (c Channel) String() string { return enumName(channelNames[:], uint8(c)) }

// ParseChannel parses a channel name.
func ParseChannel(s string) (Channel, error) {
	v, ok := enumParse(channelNames[:], s)
	if !ok {
		return 0, ErrInvalid
	}
	return Channel(v), nil
}

// MarshalText implements encoding.TextMarshaler.
func (c Channel) MarshalText() ([]byte, error) {
	if c == 0 || int(c) >= NumChannels {
		return nil, ErrInvalid
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Channel) UnmarshalText(b []byte) error {
	v, err := ParseChannel(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Channels is a set of channels.
type Channels uint8

// ChannelsOf returns the set of the given channels.
func ChannelsOf(cs ...Channel) Channels {
	var s Channels
	for _, c := range cs {
		s = s.With(c)
	}
	return s
}

// With returns s with c added.
func (s Channels) With(c Channel) Channels {
	if c == 0 || int(c) >= NumChannels {
		return s
	}
	return s | 1<<c
}

// Has reports whether c is in s.
func (s Channels) Has(c Channel) bool { return c != 0 && int(c) < NumChannels && s&(1<<c) != 0 }

// Reason is why a message was not sent (or not sent yet): a machine-readable
// suppression code.
type Reason uint8

// Suppression reasons.
const (
	ReasonCap        Reason = iota + 1 // a contact cap (global, channel or campaign maximum) is reached
	ReasonQuietHours                   // quiet hours or outside the campaign's send windows: held until the window opens
	ReasonConsent                      // no marketing consent for the channel, or opted out
	ReasonBusy                         // the customer is in an urgent journey (transfer, payment): held until it ends
	ReasonHoldout                      // the customer is in the campaign's holdout or the global control group
	ReasonCooldown                     // the campaign contacted the customer too recently
	ReasonFatigue                      // the offer was ignored too often and is paused
	ReasonCapacity                     // the channel's daily capacity or the campaign's budget is used up
	ReasonRiskGate                     // the risk gate refused a credit offer (early warning, declined)
)

// NumReasons is one more than the largest Reason, for arrays indexed by
// Reason.
const NumReasons = int(ReasonRiskGate) + 1

var reasonNames = [...]string{
	ReasonCap: "cap", ReasonQuietHours: "quiet_hours", ReasonConsent: "consent", ReasonBusy: "busy",
	ReasonHoldout: "holdout", ReasonCooldown: "cooldown", ReasonFatigue: "fatigue",
	ReasonCapacity: "capacity", ReasonRiskGate: "risk_gate",
}

// String returns the reason code: "cap", "quiet_hours", "consent", "busy",
// "holdout", "cooldown", "fatigue", "capacity" or "risk_gate".
func (r Reason) String() string { return enumName(reasonNames[:], uint8(r)) }

// Reasons returns every reason in code order.
func Reasons() []Reason {
	out := make([]Reason, 0, NumReasons-1)
	for r := Reason(1); int(r) < NumReasons; r++ {
		out = append(out, r)
	}
	return out
}

// MarshalText implements encoding.TextMarshaler.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Recurrence says how often a scheduled campaign may reach a customer: one
// occurrence per customer for the whole window, or one per calendar day,
// week (Monday to Sunday) or month in the customer's own time zone.
type Recurrence uint8

// Recurrences. The zero value is RecurrenceOnce.
const (
	RecurrenceOnce Recurrence = iota
	RecurrenceDaily
	RecurrenceWeekly
	RecurrenceMonthly
)

var recurrenceNames = [...]string{
	RecurrenceOnce: "once", RecurrenceDaily: "daily", RecurrenceWeekly: "weekly", RecurrenceMonthly: "monthly",
}

// String returns "once", "daily", "weekly" or "monthly".
func (r Recurrence) String() string { return enumName(recurrenceNames[:], uint8(r)) }

// MarshalText implements encoding.TextMarshaler.
func (r Recurrence) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler ("" is once).
func (r *Recurrence) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = RecurrenceOnce
		return nil
	}
	v, ok := enumParse(recurrenceNames[:], string(b))
	if !ok {
		return ErrInvalid
	}
	*r = Recurrence(v)
	return nil
}

// TriggerType says what starts a campaign for a customer.
type TriggerType uint8

// Trigger types. The zero value is TriggerNone: a scheduled campaign whose
// audience is evaluated at every planning run.
const (
	TriggerNone    TriggerType = iota
	TriggerSegment             // a segment transition (entered or left), including "stage:" and "tier:" segments
	TriggerBillDue             // a recurring bill coming due within the lead days
	TriggerEvent               // an event since the previous run, such as a salary credit
)

var triggerNames = [...]string{
	TriggerNone: "none", TriggerSegment: "segment", TriggerBillDue: "bill_due", TriggerEvent: "event",
}

// String returns "none", "segment", "bill_due" or "event".
func (t TriggerType) String() string { return enumName(triggerNames[:], uint8(t)) }

// MarshalText implements encoding.TextMarshaler.
func (t TriggerType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler ("" is none).
func (t *TriggerType) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*t = TriggerNone
		return nil
	}
	v, ok := enumParse(triggerNames[:], string(b))
	if !ok {
		return ErrInvalid
	}
	*t = TriggerType(v)
	return nil
}

// SendTime says how a message's send time is chosen within the allowed
// windows.
type SendTime uint8

// Send-time modes. The zero value is SendTimeDefault: SendTimeBest for
// scheduled campaigns, SendTimeASAP for triggered ones.
const (
	SendTimeDefault SendTime = iota
	SendTimeBest             // the customer's most active allowed hour within the horizon
	SendTimeASAP             // the earliest allowed time
)

var sendTimeNames = [...]string{SendTimeDefault: "default", SendTimeBest: "best", SendTimeASAP: "asap"}

// String returns "default", "best" or "asap".
func (s SendTime) String() string { return enumName(sendTimeNames[:], uint8(s)) }

// MarshalText implements encoding.TextMarshaler.
func (s SendTime) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler ("" is default).
func (s *SendTime) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*s = SendTimeDefault
		return nil
	}
	v, ok := enumParse(sendTimeNames[:], string(b))
	if !ok {
		return ErrInvalid
	}
	*s = SendTime(v)
	return nil
}

// Clock is a local time of day in minutes after midnight, 0 to 1440; it is
// written "HH:MM" in campaign files ("24:00" is the end of the day).
type Clock uint16

// ClockOf returns the clock time h:m.
func ClockOf(h, m int) Clock { return Clock(h*60 + m) }

// String returns "HH:MM".
func (c Clock) String() string {
	b := make([]byte, 0, 5)
	return string(appendClock(b, c))
}

func appendClock(b []byte, c Clock) []byte {
	h, m := int(c)/60, int(c)%60
	b = append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10))
	return b
}

// ParseClock parses "HH:MM" (00:00 to 24:00).
func ParseClock(s string) (Clock, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, ErrInvalid
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || h == 24 && m != 0 {
		return 0, ErrInvalid
	}
	return Clock(h*60 + m), nil
}

// MarshalText implements encoding.TextMarshaler.
func (c Clock) MarshalText() ([]byte, error) {
	if c > 1440 {
		return nil, ErrInvalid
	}
	return appendClock(nil, c), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Duration is a time.Duration written in campaign files as a Go duration
// string ("15m", "72h") or a whole number of days ("30d").
type Duration time.Duration

// Day is 24 hours, the unit of "d" durations.
const Day = 24 * time.Hour

// String returns "Nd" for whole days, otherwise time.Duration's form.
func (d Duration) String() string {
	td := time.Duration(d)
	if td != 0 && td%Day == 0 {
		return strconv.FormatInt(int64(td/Day), 10) + "d"
	}
	return td.String()
}

// ParseDuration parses a Go duration string or "Nd" whole days.
func ParseDuration(s string) (Duration, error) {
	if strings.HasSuffix(s, "d") {
		n, err := strconv.ParseInt(strings.TrimSuffix(s, "d"), 10, 64)
		if err != nil || n > 100*365 || n < -100*365 {
			return 0, ErrInvalid
		}
		return Duration(time.Duration(n) * Day), nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, ErrInvalid
	}
	return Duration(v), nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Weekdays is a set of weekdays; the empty set means every day.
type Weekdays uint8

// WeekdaysOf returns the set of the given weekdays.
func WeekdaysOf(ds ...time.Weekday) Weekdays {
	var w Weekdays
	for _, d := range ds {
		if d >= time.Sunday && d <= time.Saturday {
			w |= 1 << d
		}
	}
	return w
}

// Has reports whether d is in w; every day is in the empty set.
func (w Weekdays) Has(d time.Weekday) bool { return w == 0 || w&(1<<d) != 0 }

var dayNames = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// MarshalJSON writes the set as a list of "mon", "tue", ...
func (w Weekdays) MarshalJSON() ([]byte, error) {
	out := make([]string, 0, 7)
	for d, n := range dayNames {
		if w&(1<<d) != 0 {
			out = append(out, n)
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a list of "sun", "mon", ..., "sat".
func (w *Weekdays) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	var v Weekdays
	for _, n := range names {
		i, ok := enumParse(dayNames[:], n)
		if !ok {
			return ErrInvalid
		}
		if v&(1<<i) != 0 {
			return ErrDuplicate
		}
		v |= 1 << i
	}
	*w = v
	return nil
}

func enumName(names []string, v uint8) string {
	if int(v) < len(names) {
		return names[v]
	}
	return "invalid"
}

func enumParse(names []string, s string) (uint8, bool) {
	for i, n := range names {
		if n != "" && n == s {
			return uint8(i), true
		}
	}
	return 0, false
}

// List returns the channels in s in Channel order.
func (s Channels) List() []Channel {
	var out []Channel
	for c := Channel(1); int(c) < NumChannels; c++ {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// MarshalJSON writes the set as a list of channel names.
func (s Channels) MarshalJSON() ([]byte, error) {
	l := s.List()
	if l == nil {
		l = []Channel{}
	}
	return json.Marshal(l)
}

// UnmarshalJSON reads a list of channel names; a repeated name is an error.
func (s *Channels) UnmarshalJSON(b []byte) error {
	var l []Channel
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	var v Channels
	for _, c := range l {
		if v.Has(c) {
			return ErrDuplicate
		}
		v = v.With(c)
	}
	*s = v
	return nil
}
