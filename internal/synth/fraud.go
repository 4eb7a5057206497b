package synth

import (
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// fraud emits the customer's fraud episode, if any. Every event it emits
// is tagged fraud, except the genuine purchase that precedes a cloned card.
func (g *gen) fraud(r *rand.Rand) {
	if g.episode.pattern == 0 {
		return
	}
	switch g.episode.pattern {
	case PatternAccountTakeover:
		g.accountTakeover(r)
	case PatternSIMSwap:
		g.simSwap(r)
	case PatternAPPScam:
		g.appScam(r)
	case PatternCardTesting:
		g.cardTesting(r)
	case PatternClonedCard:
		g.clonedCard(r)
	}
}

// fraudCtx is the context of events made by a fraudster.
type fraudCtx struct {
	channel profile.Channel
	device  string
	ip      netip.Addr
	loc     profile.Location
}

func (f *fraudCtx) apply(e *profile.Event) {
	e.Channel, e.DeviceID, e.IP, e.Location = f.channel, f.device, f.ip, f.loc
}

// fraudAmount shapes a drained amount: round, just below a round limit, or
// odd.
func (g *gen) fraudAmount(r *rand.Rand, units float64) int64 {
	c := cents(units)
	unit := g.mk.round // 100 CNY, 10 EUR
	switch x := r.Float64(); {
	case x < 0.45:
		return roundTo(c, unit)
	case x < 0.7:
		return max(roundTo(c, unit*10)-unit/100, unit/100) // 9,999.00
	}
	return c
}

// mules returns n new payees: accounts the stolen money goes to.
func (g *gen) mules(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = personName(r, g.mk)
	}
	return out
}

// split divides total into n positive parts of varying size.
func split(r *rand.Rand, total float64, n int) []float64 {
	w := make([]float64, n)
	var s float64
	for i := range w {
		w[i] = 0.4 + r.Float64()
		s += w[i]
	}
	for i := range w {
		w[i] = total * w[i] / s
	}
	return w
}

// fraudSession emits a fraudster's login and feature use.
func (g *gen) fraudSession(r *rand.Rand, t time.Time, f *fraudCtx, auth profile.Auth, feats ...string) time.Time {
	e := profile.Event{Time: t, Type: profile.TypeSession, Auth: auth}
	f.apply(&e)
	g.add(e, tagFraud)
	for _, ft := range feats {
		t = t.Add(time.Duration(5+r.IntN(60)) * time.Second)
		fe := profile.Event{Time: t, Type: profile.TypeFeature, Feature: ft}
		f.apply(&fe)
		g.add(fe, tagFraud)
	}
	return t
}

// fraudTransfer emits a transfer out made by a fraudster.
func (g *gen) fraudTransfer(t time.Time, f *fraudCtx, payee string, c int64, auth profile.Auth) {
	e := g.txn(t, profile.KindTransferOut, c, payee, 0)
	f.apply(&e)
	e.Auth = auth
	g.add(e, tagFraud)
}

// accountTakeover: stolen credentials used from a new device abroad with
// weak authentication, often at night in the customer's time zone,
// draining to new payees within minutes, sometimes again the next day.
func (g *gen) accountTakeover(r *rand.Rand) {
	mk := g.mk
	w := make([]float64, len(mk.fraudOrigins))
	for i, p := range mk.fraudOrigins {
		w[i] = p.weight
	}
	origin := &mk.fraudOrigins[weighted(r, w)]
	f := fraudCtx{channel: profile.ChannelApp, device: deviceID(r)}
	country := origin.country
	if chance(r, 0.25) {
		// Through a hosting provider abroad.
		f.ip = host(randNet(r, mk.hostingIP), r.IntN(253))
		country = pick(r, either2(mk == &cnMarket, []string{"SG", "US", "JP", "HK"}, []string{"NL", "US", "GB", "FR"}))
	} else {
		f.ip = host(randNet(r, origin.ip), r.IntN(253))
	}
	if chance(r, 0.4) {
		f.channel = profile.ChannelWeb
	}
	f.loc = profile.Location{Country: country}
	if f.channel == profile.ChannelApp && chance(r, 0.6) && country == origin.country {
		lat, lon := jitter(r, origin.lat, origin.lon, 10)
		f.loc = profile.Location{Lat: lat, Lon: lon, HasCoords: true, Country: country}
	}
	t := g.episode.at
	if chance(r, 0.6) {
		y, m, d := t.In(g.loc).Date()
		t = time.Date(y, m, d, r.IntN(6), r.IntN(60), r.IntN(60), 0, g.loc)
		if !t.After(g.from) {
			t = g.episode.at
		}
	}
	auth := profile.AuthOf(profile.AuthPassword)
	if chance(r, 0.15) {
		auth = auth.With(profile.AuthSMSOTP) // one-time code phished too
	}
	waves := 1
	if chance(r, 0.2) {
		waves = 2
	}
	payees := g.mules(r, 1+r.IntN(3))
	for wave := range waves {
		feats := []string{"balance", "payees"}
		if chance(r, 0.3) {
			feats = append(feats, "limits")
		}
		feats = append(feats, "transfer")
		t = g.fraudSession(r, t, &f, auth, feats...)
		n := 1 + r.IntN(4)
		for i, a := range split(r, g.income*unif(r, 0.5, 3)/float64(waves), n) {
			t = t.Add(time.Duration(30+r.IntN(600)) * time.Second)
			if !t.Before(g.to) {
				return
			}
			g.fraudTransfer(t, &f, payees[(i+wave)%len(payees)], g.fraudAmount(r, a), auth)
		}
		t = t.Add(time.Duration(18+r.IntN(12)) * time.Hour)
		if !t.Before(g.to) {
			return
		}
	}
}

// either2 returns a when c holds, else b.
func either2[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}

// simSwap: the number moved to the fraudster's SIM; a new device on a new
// mobile network in the customer's city logs in with password and SMS
// code, raises limits and drains quickly to new payees.
func (g *gen) simSwap(r *rand.Rand) {
	mk := g.mk
	f := fraudCtx{channel: profile.ChannelApp, device: deviceID(r)}
	own := g.carrier[0]
	for {
		n := randNet(r, mk.mobileIP)
		if chance(r, 0.3) {
			n = randNet(r, mk.broadbandIP)
		}
		if n[0] != own[0] || n[1] != own[1] {
			f.ip = host(n, r.IntN(253))
			break
		}
	}
	home := g.homeAt(g.episode.at).at
	lat, lon := jitter(r, home.lat, home.lon, 25)
	f.loc = profile.Location{Lat: lat, Lon: lon, HasCoords: true, Country: mk.country}
	t := g.episode.at
	if chance(r, 0.6) {
		y, m, d := t.In(g.loc).Date()
		t = time.Date(y, m, d, 20, 0, 0, 0, g.loc).Add(time.Duration(r.IntN(6*3600)) * time.Second)
		if !t.Before(g.to) {
			t = g.episode.at
		}
	}
	auth := profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP)
	if chance(r, 0.15) {
		auth = profile.AuthOf(profile.AuthSMSOTP)
	}
	feats := []string{"security"}
	if chance(r, 0.5) {
		feats = append(feats, "limits")
	}
	feats = append(feats, "payees", "transfer")
	t = g.fraudSession(r, t, &f, auth, feats...)
	payees := g.mules(r, 1+r.IntN(3))
	n := 2 + r.IntN(5)
	for i := range n {
		a := g.income * unif(r, 0.3, 1.5)
		if i == 0 && chance(r, 0.3) {
			a = g.income * unif(r, 0.01, 0.05) // a small test first
		}
		t = t.Add(time.Duration(60+r.IntN(1200)) * time.Second)
		if !t.Before(g.to) {
			return
		}
		g.fraudTransfer(t, &f, payees[i%len(payees)], g.fraudAmount(r, a), auth)
	}
}

// appScam: the customer, talked into it, sends one or several large
// transfers to a new payee from their own device, network and place with
// their usual authentication (stepping up themselves when the bank asks),
// at their usual hours, sometimes over days.
func (g *gen) appScam(r *rand.Rand) {
	mk := g.mk
	payee := personName(r, mk)
	if chance(r, 0.4) {
		if mk == &cnMarket {
			payee = g.city.name + " " + pick(r, []string{"Huifeng Investment Consulting Co Ltd", "Safe Account Services",
				"Jinxin Asset Management Co Ltd", "Customs Clearance Services Co Ltd"})
		} else {
			payee = pick(r, mk.lastNames) + " " + pick(r, []string{"Capital Ltd", "Krypto Invest GmbH", "Sicherheitskonto Service", "Trading Partners OU"})
		}
	}
	second := ""
	if chance(r, 0.25) {
		second = personName(r, mk)
	}
	n := 1 + r.IntN(5)
	t := g.episode.at
	for i := range n {
		if i > 0 {
			if chance(r, 0.5) {
				t = t.Add(time.Duration(10+r.IntN(110)) * time.Minute)
			} else {
				t = t.Add(time.Duration(12+r.IntN(60)) * time.Hour)
			}
		}
		y, m, d := t.In(g.loc).Date()
		we := 0
		if wd := t.In(g.loc).Weekday(); wd == time.Saturday || wd == time.Sunday {
			we = 1
		}
		if i == 0 || t.Hour() < 7 || t.Hour() > 22 {
			t = time.Date(y, m, d, hourFrom(r, &g.sessCum[we]), r.IntN(60), r.IntN(60), 0, g.loc)
		}
		if !t.Before(g.to) || !t.After(g.from) {
			continue
		}
		w, ok := g.whereAt(t)
		if !ok || w.trip != nil {
			if i > 0 {
				continue
			}
			h := g.homeAt(t)
			w = here{at: h.at, country: mk.country, home: h, atHome: true}
		}
		web := g.useWeb(r, &w)
		a := g.appContext(r, t.Add(-time.Duration(60+r.IntN(300))*time.Second), &w, web)
		auth := g.sessionAuth(r)
		if web {
			auth = g.webAuth
		}
		feats := []string{"transfer"}
		if i == 0 {
			feats = []string{"payees", "transfer"}
		}
		e := profile.Event{Time: a.t, Type: profile.TypeSession, Auth: auth}
		a.apply(&e)
		g.add(e, tagFraud)
		ft := a.t
		for _, f := range feats {
			ft = ft.Add(time.Duration(10+r.IntN(60)) * time.Second)
			fe := profile.Event{Time: ft, Type: profile.TypeFeature, Feature: f}
			a.apply(&fe)
			g.add(fe, tagFraud)
		}
		a.t = t
		share := unif(r, 0.3, 2.5)
		if i == 0 && n > 1 {
			share = unif(r, 0.1, 0.8)
		}
		c := g.fraudAmount(r, g.income*share)
		to := payee
		if second != "" && i == n-1 && n > 1 {
			to = second
		}
		tx := g.txn(t, profile.KindTransferOut, c, to, 0)
		a.apply(&tx)
		tx.Auth = g.payAuth(r, c, true)
		if web {
			tx.Auth = g.webAuth
		}
		g.add(tx, tagFraud)
	}
}

// cardTesting: stolen card details tried with a burst of tiny
// card-not-present purchases at unfamiliar online merchants from the
// fraudster's device and network, then larger purchases.
func (g *gen) cardTesting(r *rand.Rand) {
	mk := g.mk
	f := fraudCtx{channel: profile.ChannelWeb, device: deviceID(r)}
	switch x := r.Float64(); {
	case x < 0.5:
		f.ip = host(randNet(r, mk.hostingIP), r.IntN(253))
		f.loc = profile.Location{Country: pick(r, []string{"US", "NL", "DE", "SG", "GB"})}
	case x < 0.8:
		o := pick(r, mk.fraudOrigins)
		f.ip = host(randNet(r, o.ip), r.IntN(253))
		f.loc = profile.Location{Country: o.country}
	default:
		f.ip = host(randNet(r, mk.broadbandIP), r.IntN(253))
		f.loc = profile.Location{Country: mk.country}
	}
	if chance(r, 0.3) {
		f.device = "" // the merchant passed no device fingerprint
	}
	t := g.episode.at
	tiny := 3 + r.IntN(13)
	shops := make([]merchant, 1+r.IntN(3))
	for i := range shops {
		shops[i] = pick(r, mk.testMerchants)
	}
	maxTiny := int64(either2(mk == &cnMarket, 500, 200))
	for range tiny {
		t = t.Add(time.Duration(20+r.IntN(240)) * time.Second)
		if !t.Before(g.to) {
			return
		}
		m := pick(r, shops)
		e := g.txn(t, profile.KindPurchase, 1+r.Int64N(maxTiny), m.name, m.mcc)
		f.apply(&e)
		g.add(e, tagFraud)
	}
	t = t.Add(time.Duration(300+r.IntN(36*3600)) * time.Second)
	scale := either(mk == &cnMarket, 1, 0.18)
	for range 1 + r.IntN(4) {
		if !t.Before(g.to) {
			return
		}
		m := pick(r, mk.cashOutMerchants)
		e := g.txn(t, profile.KindPurchase, cents(unif(r, 800, 8000)*scale), m.name, m.mcc)
		f.apply(&e)
		g.add(e, tagFraud)
		t = t.Add(time.Duration(120+r.IntN(1800)) * time.Second)
	}
}

// clonedCard: a skimmed card used card-present (ATM and POS, magnetic
// stripe: no chip) in another city or country shortly after the customer
// used the real card at home.
func (g *gen) clonedCard(r *rand.Rand) {
	mk := g.mk
	t0 := g.daytime(r, g.episode.at)
	w, ok := g.whereAt(t0)
	if !ok || w.trip != nil {
		w = here{at: g.homeAt(t0).at, country: mk.country, home: g.homeAt(t0), atHome: true}
	}
	// The genuine purchase at home.
	s := g.shops[catGroceries][r.IntN(len(g.shops[catGroceries]))]
	e := g.txn(t0, profile.KindPurchase, cents(logn(r, g.catMed[catGroceries], 0.4)), s.name, s.mcc)
	e.Channel = profile.ChannelPOS
	e.Location = profile.Location{Lat: s.at.lat, Lon: s.at.lon, HasCoords: true, Country: mk.country}
	e.Auth = profile.AuthOf(profile.AuthCardChip)
	g.add(e, 0)

	var far place
	if chance(r, 0.5) {
		var cs []place
		for _, c := range mk.cities {
			if haversine(c.lat, c.lon, g.city.lat, g.city.lon) > 400 {
				c.country = mk.country
				cs = append(cs, c)
			}
		}
		if len(cs) > 0 {
			far = pick(r, cs)
		}
	}
	if far.name == "" {
		far = pick(r, append(append([]place(nil), mk.abroad...), mk.fraudOrigins...))
	}
	t := t0.Add(time.Duration(20+r.IntN(220)) * time.Minute)
	if chance(r, 0.3) {
		t = t0.Add(time.Duration(4*60+r.IntN(8*60)) * time.Minute)
	}
	scale := either(mk == &cnMarket, 1, 0.16)
	n := 2 + r.IntN(5)
	for range n {
		if !t.Before(g.to) {
			return
		}
		lat, lon := jitter(r, far.lat, far.lon, 6)
		loc := profile.Location{Lat: lat, Lon: lon, HasCoords: true, Country: far.country}
		var e profile.Event
		if chance(r, 0.5) {
			unit := mk.round
			e = g.txn(t, profile.KindCashWithdrawal, roundTo(cents(unif(r, 1000, 5000)*scale), unit), far.name+" ATM", 6011)
			e.Channel = profile.ChannelATM
			e.Auth = profile.AuthOf(profile.AuthPIN)
		} else {
			name := far.name + " " + pick(r, []string{"Electronics", "Jewellery", "Department Store", "Watch Gallery"})
			mcc := pick(r, []uint16{5732, 5944, 5311, 5944})
			e = g.txn(t, profile.KindPurchase, cents(unif(r, 800, 9000)*scale), name, mcc)
			e.Channel = profile.ChannelPOS
			if chance(r, 0.4) {
				e.Auth = profile.AuthOf(profile.AuthPIN)
			}
		}
		e.Location = loc
		g.add(e, tagFraud)
		t = t.Add(time.Duration(3+r.IntN(38)) * time.Minute)
	}
}
