package profile

import (
	"math"
	"net/netip"
	"time"
)

// Options configures a Builder. The zero value (or nil) is the documented
// default for every field.
type Options struct {
	// HashKey, when non-empty, makes the profile keep device IDs and IP
	// networks only as keyed hashes (HMAC-SHA-256 truncated to 64 bits): no
	// raw device ID or IP address is stored anywhere in the profile or its
	// encodings. The same key must be used for the life of a profile
	// (Apply returns ErrMismatch otherwise). Nil keeps raw values.
	HashKey []byte
	// HalfLife is the half-life of the decayed behavioural aggregates
	// (weights of devices, places, counterparties, hours, channels, amount
	// habits, spending). Zero means 90 days. Like the key, it is fixed for
	// the life of a profile.
	HalfLife time.Duration
	// LateTolerance is how far behind the profile's watermark (its latest
	// event) an event may be and still be applied. Zero means events must
	// not be older than the watermark (equal times are fine). A late event
	// beyond the tolerance returns ErrLate unless its ID is among the last
	// 16 applied, in which case it is a duplicate and a no-op.
	LateTolerance time.Duration
	// ClockSkew is how far after now an event may be. Zero means 5 minutes.
	ClockSkew time.Duration
	// OwnInstitution lists the counterparty names under which this bank
	// receives loan repayments; repayments to any other name are loans from
	// other lenders. Empty means every lender counts as another lender.
	OwnInstitution []string
}

// Builder folds events into profiles. It holds only configuration, so one
// Builder is safe for concurrent use by many goroutines on different
// profiles.
type Builder struct {
	h        hasher
	keyCheck uint32
	tau      float64 // decay time constant in seconds: HalfLife / ln 2
	late     int64
	skew     int64
	own      map[string]bool
}

// NewBuilder returns a Builder configured by opts (nil for the defaults).
func NewBuilder(opts *Options) (*Builder, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	switch {
	case o.HalfLife < 0:
		return nil, newFieldError("HalfLife", o.HalfLife.String(), ErrInvalid)
	case o.LateTolerance < 0:
		return nil, newFieldError("LateTolerance", o.LateTolerance.String(), ErrInvalid)
	case o.ClockSkew < 0:
		return nil, newFieldError("ClockSkew", o.ClockSkew.String(), ErrInvalid)
	}
	if o.HalfLife == 0 {
		o.HalfLife = 90 * 24 * time.Hour
	}
	if o.ClockSkew == 0 {
		o.ClockSkew = 5 * time.Minute
	}
	b := &Builder{
		h:    newHasher(o.HashKey),
		tau:  o.HalfLife.Seconds() / math.Ln2,
		late: int64(o.LateTolerance / time.Second),
		skew: int64(o.ClockSkew / time.Second),
		own:  make(map[string]bool, len(o.OwnInstitution)),
	}
	b.keyCheck = b.h.keyCheck()
	for _, n := range o.OwnInstitution {
		b.own[n] = true
	}
	return b, nil
}

// Compatible reports whether b can read and fold p: a profile that already
// holds events must have been built with the same hashing key and half-life
// (ErrMismatch otherwise). Apply checks it itself; call it before
// Familiarity, which would otherwise report every device and network of a
// profile hashed with another key as new.
func (b *Builder) Compatible(p *Profile) error {
	if p == nil || p.seq == 0 {
		return nil
	}
	if p.keyCheck != b.keyCheck {
		return newFieldError("HashKey", "", ErrMismatch)
	}
	if p.tau != b.tau {
		return newFieldError("HalfLife", "", ErrMismatch)
	}
	return nil
}

// maxExponent bounds the forward-decay exponent before values are rescaled,
// keeping float32 weights far from overflow.
const maxExponent = 30

// Apply folds one event into p. now is the time of processing: events later
// than now plus Options.ClockSkew are rejected with ErrFuture. Events must
// come in time order per customer, within Options.LateTolerance; a repeated
// event ID among the last 16 applied is a no-op that returns nil.
//
// Apply validates everything before changing anything: on error p is
// unchanged. The error is a *FieldError naming the field, wrapping one of
// the package's sentinels. At steady state (known devices, places and
// payees) Apply does not allocate.
func (b *Builder) Apply(p *Profile, e *Event, now time.Time) error {
	if p == nil {
		return newFieldError("profile", "", ErrMissing)
	}
	if e == nil {
		return newFieldError("event", "", ErrMissing)
	}
	if now.IsZero() {
		return newFieldError("now", "", ErrMissing)
	}
	units, err := validateEvent(e)
	if err != nil {
		return err
	}
	if p.customerID != "" && e.CustomerID != p.customerID {
		return newFieldError("customer_id", "", ErrWrongCustomer)
	}
	if err := b.Compatible(p); err != nil {
		return err
	}
	t := e.Time.Unix()
	if t > now.Unix()+b.skew {
		return newFieldError("time", e.Time.Format(time.RFC3339), ErrFuture)
	}
	idh := fnv64(domEventID, e.ID)
	for _, r := range p.recent {
		if r == idh && p.seq > 0 {
			return nil // duplicate
		}
	}
	if p.seq > 0 && t < p.watermark-b.late {
		return newFieldError("time", e.Time.Format(time.RFC3339), ErrLate)
	}
	b.fold(p, e, t, units, idh)
	return nil
}

// fold changes p; every check has passed.
func (b *Builder) fold(p *Profile, e *Event, t, units int64, idh uint64) {
	if p.customerID == "" {
		p.customerID = e.CustomerID
	}
	if p.seq == 0 {
		p.keyCheck, p.tau = b.keyCheck, b.tau
		p.first, p.watermark, p.landmark = t, t, t
	}
	p.recent[p.recentPos] = idh
	p.recentPos = (p.recentPos + 1) % recentIDs
	p.seq++
	if t > p.watermark {
		p.watermark = t
	}
	if t < p.first {
		p.first = t
	}

	x := float64(t-p.landmark) / b.tau
	if x > maxExponent {
		p.rescale(math.Exp(-x))
		p.landmark = t
		x = 0
	}
	g := math.Exp(x)

	loc := p.Location()
	lt := e.Time.In(loc)
	_, off := lt.Zone()
	lsec := t + int64(off)
	day := int32(floorDiv(lsec, dayWidth))
	how := int(((day+4)%7+7)%7)*24 + int(floorDiv(lsec, 3600)-floorDiv(lsec, dayWidth)*24)
	p.addHour(how, g)
	if e.Channel != 0 {
		p.channels[e.Channel] += float32(g)
	}
	if e.DeviceID != "" {
		label := e.DeviceID
		if b.h.keyed {
			label = ""
		}
		p.devices.touch(MaxDevices, b.h.sum(domDevice, e.DeviceID), label, t, g)
	}
	if e.IP.IsValid() {
		pfx := networkOf(e.IP)
		if i, isNew := p.networks.touch(MaxNetworks, b.h.networkID(pfx), "", t, g); isNew {
			p.netPrefix[i] = netip.Prefix{}
			if !b.h.keyed {
				p.netPrefix[i] = pfx // kept as a value: no allocation
			}
		}
	}
	if e.Location.HasCoords {
		p.cells.touch(MaxCells, cellID(e.Location.Lat, e.Location.Lon), "", t, g)
		if t >= p.lastGeo.time {
			p.lastGeo.lat, p.lastGeo.lon, p.lastGeo.time = e.Location.Lat, e.Location.Lon, t
			p.lastGeo.country = e.Location.Country
		}
	}
	if c := e.Location.Country; c != "" {
		p.countries.touch(MaxCountries, countryID(c), c, t, g)
	}
	if e.Auth.Strong() && t >= p.sinceSCA.epoch {
		p.sinceSCA = bucket{epoch: t}
	}

	switch e.Type {
	case TypeSession:
		p.sessions++
		if t > p.lastSession {
			p.lastSession = t
		}
		if t >= p.session.epoch {
			p.session = bucket{epoch: t} // a new session: its debits start from zero
		}
	case TypeFeature:
		p.appFunctions.touch(MaxAppFunctions, fnv64(domAppFunction, e.Feature), e.Feature, t, g)
	case TypeTransaction:
		b.foldTransaction(p, e, t, units, g, day, lt)
	}
}

func (b *Builder) foldTransaction(p *Profile, e *Event, t, units int64, g float64, day int32, lt time.Time) {
	p.transactions++
	if p.currency == "" {
		p.currency = e.Currency
	}
	home := e.Currency == p.currency
	if !home {
		p.foreign++
		units = 0 // counted, never summed: amounts in other currencies are not comparable
	}
	var cp uint64 // the counterparty's ID, hashed once
	if e.Counterparty != "" {
		cp = fnv64(domCounterparty, e.Counterparty)
		i, _ := p.counterparties.touch(MaxCounterparties, cp, e.Counterparty, t, g)
		if e.Kind == KindTransferOut || e.Kind == KindTransferIn {
			p.counterparties.items[i].flags |= seenPayee
		}
	}
	if home {
		h := &p.habits[e.Kind]
		lx := math.Log(unitsFloat(units))
		h.n++
		h.w += g
		h.s1 += g * lx
		h.s2 += g * lx * lx
		if units > h.maxAmount {
			h.maxAmount = units
		}
	}
	mn := int32(lt.Year()*12 + int(lt.Month()) - 1)
	m := p.monthSlot(mn)
	loc := p.Location()

	if e.Direction == Debit {
		if t > p.lastDebit {
			p.lastDebit = t
		}
		addBucket(p.minutes[:], t, minuteWidth, units)
		addBucket(p.hourly[:], t, hourWidth, units)
		addBucket(p.daily[:], t, dayWidth, units)
		if int64(day) > p.today.epoch {
			p.today = bucket{epoch: int64(day)}
		}
		if int64(day) == p.today.epoch {
			p.today.count++
			p.today.sum += units
		}
		if p.session.epoch != 0 && t >= p.session.epoch {
			p.session.count++
			p.session.sum += units
		}
		if e.Channel.Remote() && !e.Auth.Strong() && t >= p.sinceSCA.epoch {
			p.sinceSCA.count++
			p.sinceSCA.sum += units
		}
		cat := CategoryOf(e.Kind, e.MCC)
		if home {
			p.spend[cat] += g * unitsFloat(units)
		}
		if m != nil {
			m.debits += units
			switch e.Kind {
			case KindLoanRepayment:
				m.debt += units
			case KindTransferOut:
			default:
				m.spend += units
			}
		}
		if e.Kind == KindPurchase {
			r := &p.rfm
			if r.count == 0 || t < r.first {
				r.first = t
			}
			if t >= r.last {
				r.last = t
			}
			if r.count == 0 || day != r.lastDay {
				r.days++
				r.lastDay = day
			}
			r.count++
			r.sum += units
		}
		if e.Counterparty != "" && home && billCandidate(e) {
			s := admitStream(p.bills[:], &p.nBills, cp, e.Counterparty, t)
			if s != nil {
				s.observe(t, units, e.Kind, loc)
				s.otherLender = e.Kind == KindLoanRepayment && !b.own[e.Counterparty]
			}
		}
		return
	}

	// Credit.
	income := e.Kind == KindSalary || e.Kind == KindPension
	if e.Counterparty != "" && home && (income || e.Kind == KindTransferIn) {
		s := admitStream(p.income[:], &p.nIncome, cp, e.Counterparty, t)
		if s != nil {
			s.observe(t, units, e.Kind, loc)
			income = income || s.freq != FrequencyUnknown
		}
	}
	if m != nil {
		m.credits += units
		if income {
			m.income += units
		}
	}
}

// billCandidate reports whether a debit may belong to a recurring bill:
// bill payments, loan repayments, transfers out (rent, savings plans) and
// subscription merchants (telecom, streaming, continuity billing).
func billCandidate(e *Event) bool {
	switch e.Kind {
	case KindBillPayment, KindLoanRepayment, KindTransferOut:
		return true
	case KindPurchase:
		switch e.MCC {
		case 4812, 4814, 4899, 5815, 5816, 5817, 5818, 5968:
			return true
		}
	}
	return false
}

// monthSlot returns the ring slot for month number mn, resetting a slot
// that holds an older month, or nil when mn is older than the ring keeps.
func (p *Profile) monthSlot(mn int32) *month {
	s := &p.months[int(mn)%monthsKept]
	switch {
	case s.num == mn:
		return s
	case s.num < mn:
		*s = month{num: mn}
		return s
	}
	return nil
}

// addBucket adds a debit at time t to a ring of buckets of the given width.
func addBucket(ring []bucket, t, width, units int64) {
	ep := floorDiv(t, width)
	s := &ring[int(ep%int64(len(ring)))]
	switch {
	case s.epoch == ep:
	case s.epoch < ep:
		*s = bucket{epoch: ep}
	default:
		return // older than the ring keeps
	}
	s.count++
	s.sum += units
}

// addHour adds decayed weight g to hour-of-week bin how.
func (p *Profile) addHour(how int, g float64) {
	if p.hourUnit == 0 {
		p.hourUnit = g / 1024 // the first observation counts 1024
	}
	for {
		c := uint64(p.hours[how]) + uint64(math.Round(g/p.hourUnit))
		if c <= math.MaxUint16 {
			p.hours[how] = uint16(c)
			return
		}
		for i := range p.hours {
			p.hours[i] = uint16((uint32(p.hours[i]) + 1) / 2)
		}
		p.hourUnit *= 2
	}
}

// rescale multiplies every forward-decayed value by f when the landmark moves.
func (p *Profile) rescale(f float64) {
	for _, s := range []*topK{&p.devices, &p.networks, &p.cells, &p.countries, &p.counterparties, &p.appFunctions} {
		s.scale(f)
	}
	p.hourUnit *= f
	for i := range p.channels {
		p.channels[i] = float32(float64(p.channels[i]) * f)
	}
	for i := range p.habits {
		p.habits[i].w *= f
		p.habits[i].s1 *= f
		p.habits[i].s2 *= f
	}
	for i := range p.spend {
		p.spend[i] *= f
	}
}

// cellID packs a coarse cell of 0.1 degree of latitude and longitude.
func cellID(lat, lon float64) uint64 {
	la := int64(math.Floor(lat*10)) + 900
	lo := int64(math.Floor(lon*10)) + 1800
	return uint64(la)<<16 | uint64(lo)
}

// cellCentre returns the centre of a cell.
func cellCentre(id uint64) (lat, lon float64) {
	la := int64(id>>16) - 900
	lo := int64(id&0xffff) - 1800
	return (float64(la) + 0.5) / 10, (float64(lo) + 0.5) / 10
}

func countryID(c string) uint64 { return uint64(c[0])<<8 | uint64(c[1]) }
