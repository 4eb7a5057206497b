package profile

import (
	"math"
	"time"
)

// Novelty says whether one attribute of an event (its device, network,
// place, country or counterparty) is known to the profile, and how well.
type Novelty struct {
	Known bool
	Count int       // earlier observations
	First time.Time // first observation; zero when unknown
	Last  time.Time // latest observation; zero when unknown
	Share float64   // its share of the set's decayed weight, in [0, 1]
}

// Familiarity compares one event with a profile's habits, before the event
// is applied. It is what transaction risk and campaign timing ask of a
// profile: is this the customer's device, network, place, payee, hour,
// channel and amount?
type Familiarity struct {
	Empty        bool // the profile has no events: nothing is familiar
	Device       Novelty
	Network      Novelty
	Place        Novelty // the 0.1-degree cell of the event's coordinates
	Country      Novelty
	Counterparty Novelty // also known when it is a tracked income stream or bill
	// TopCountry reports whether the event's country is the profile's
	// most used country (its home country in practice).
	TopCountry bool
	// HourOfWeekShare is the share of the customer's activity in the
	// event's local hour of the week; HourOfDayShare the share in its hour
	// of the day over all weekdays. A uniform customer has 1/168 and 1/24.
	HourOfWeekShare float64
	HourOfDayShare  float64
	// ChannelShare is the share of the customer's activity on the event's
	// channel (0 when the channel is unknown).
	ChannelShare float64
	// Habit is the customer's amount habit for the event's kind, and
	// LogAmount the natural log of the event's amount (transactions in the
	// profile currency only; 0 otherwise).
	Habit     Habit
	LogAmount float64
	// DistanceKm is the great-circle distance from the last place with
	// coordinates, Elapsed the time since it, and SpeedKmh their ratio
	// (elapsed time floored at one minute). All 0 when either place is
	// unknown.
	DistanceKm float64
	Elapsed    time.Duration
	SpeedKmh   float64
}

// Familiarity returns how familiar event e is to profile p, computed with
// b's hashing so that keyed profiles can be asked. It does not change p or
// allocate, and validates neither e nor that p was built with b's key (see
// Compatible).
func (b *Builder) Familiarity(p *Profile, e *Event) Familiarity {
	var f Familiarity
	if p.seq == 0 {
		f.Empty = true
		return f
	}
	t := e.Time.Unix()
	if e.DeviceID != "" {
		f.Device = novelty(&p.devices, b.h.sum(domDevice, e.DeviceID))
	}
	if e.IP.IsValid() {
		f.Network = novelty(&p.networks, b.h.networkID(networkOf(e.IP)))
	}
	if e.Location.HasCoords {
		f.Place = novelty(&p.cells, cellID(e.Location.Lat, e.Location.Lon))
		if p.lastGeo.time != 0 {
			f.DistanceKm = Haversine(p.lastGeo.lat, p.lastGeo.lon, e.Location.Lat, e.Location.Lon)
			f.Elapsed = time.Duration(t-p.lastGeo.time) * time.Second
			hours := math.Max(float64(t-p.lastGeo.time), 60) / 3600
			f.SpeedKmh = f.DistanceKm / hours
		}
	}
	if c := e.Location.Country; len(c) == 2 {
		id := countryID(c)
		f.Country = novelty(&p.countries, id)
		top, bw := uint64(0), float32(-1)
		for _, it := range p.countries.items {
			if it.w > bw {
				top, bw = it.id, it.w
			}
		}
		f.TopCountry = top == id
	}
	if e.Counterparty != "" {
		id := fnv64(domCounterparty, e.Counterparty)
		f.Counterparty = novelty(&p.counterparties, id)
		if !f.Counterparty.Known {
			f.Counterparty = streamNovelty(p, id)
		}
	}
	_, off := e.Time.In(p.Location()).Zone()
	lsec := t + int64(off)
	day := floorDiv(lsec, dayWidth)
	hour := int(floorDiv(lsec, 3600) - day*24)
	how := int((day+4)%7+7)%7*24 + hour
	var sum, hod float64
	for i, v := range p.hours {
		sum += float64(v)
		if i%24 == hour {
			hod += float64(v)
		}
	}
	if sum > 0 {
		f.HourOfWeekShare = float64(p.hours[how]) / sum
		f.HourOfDayShare = hod / sum
	}
	if e.Channel != 0 && int(e.Channel) < NumChannels {
		var cs float64
		for _, v := range p.channels {
			cs += float64(v)
		}
		if cs > 0 {
			f.ChannelShare = float64(p.channels[e.Channel]) / cs
		}
	}
	if e.Type == TypeTransaction && e.Currency == p.currency && int(e.Kind) < NumKinds {
		f.Habit = p.AmountHabit(e.Kind)
		if u, ok := toUnits(e.Amount); ok && u > 0 {
			f.LogAmount = math.Log(unitsFloat(u))
		}
	}
	return f
}

func novelty(s *topK, id uint64) Novelty {
	i := s.find(id)
	if i < 0 {
		return Novelty{}
	}
	var total float64
	for _, it := range s.items {
		total += float64(it.w)
	}
	it := &s.items[i]
	n := Novelty{Known: true, Count: int(it.count), First: time.Unix(it.first, 0).UTC(), Last: time.Unix(it.last, 0).UTC()}
	if total > 0 {
		n.Share = float64(it.w) / total
	}
	return n
}

// streamNovelty recognises a counterparty that is a tracked income stream or
// bill even when it has left the top-K set of counterparties (a landlord
// paid monthly among many merchants). Share is 0: it carries no weight there.
func streamNovelty(p *Profile, id uint64) Novelty {
	for _, ss := range [][]stream{p.income[:p.nIncome], p.bills[:p.nBills]} {
		for i := range ss {
			if s := &ss[i]; s.id == id && s.n > 0 {
				return Novelty{Known: true, Count: int(s.count),
					First: time.Unix(s.times[s.n-1], 0).UTC(), Last: time.Unix(s.times[0], 0).UTC()}
			}
		}
	}
	return Novelty{}
}

// earthRadiusKm is the mean Earth radius (IUGG).
const earthRadiusKm = 6371.0088

// Haversine returns the great-circle distance in kilometres between two
// points given in degrees, by the haversine formula (Sinnott 1984).
func Haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(math.Min(1, a)))
}
