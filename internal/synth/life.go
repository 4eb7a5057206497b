package synth

import (
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// here is where the customer is at some instant and what that implies.
type here struct {
	at      geo
	country string
	trip    *trip
	home    *homeSpell
	atHome  bool
	atWork  bool
	tripTag uint8 // hard-case bit of the trip under way
	moveTag uint8 // hard-case bit while at a new home
}

// whereAt returns where the customer is at t; false while travelling.
func (g *gen) whereAt(t time.Time) (here, bool) {
	var w here
	if tr, transit := g.tripAt(t); tr != nil {
		if transit {
			return w, false
		}
		w.trip = tr
		w.at = geo{tr.dest.lat, tr.dest.lon}
		w.country = g.mk.country
		if tr.abroad {
			w.country = tr.dest.country
		}
		w.tripTag = 1 << (tr.kind - 1)
		return w, true
	}
	h := g.homeAt(t)
	w.home = h
	w.country = g.mk.country
	lt := t.In(g.loc)
	hour, wd := lt.Hour(), lt.Weekday()
	if g.working && wd != time.Saturday && wd != time.Sunday && hour >= 9+g.shift/2 && hour < 18+g.shift/2 {
		w.atWork = true
		w.at = g.workLoc
		return w, true
	}
	w.atHome = true
	w.at = h.at
	if h.moveTag != 0 && t.Before(h.moveTill) {
		w.moveTag = h.moveTag
	}
	return w, true
}

// device returns the phone in use at t and its hard-case bits.
func (g *gen) device(t time.Time) (string, uint8) {
	p := g.phoneAt(t)
	if p.tag != 0 && t.Before(p.till) {
		return p.id, p.tag
	}
	return p.id, 0
}

// network returns the IP address an app or web event at t uses.
func (g *gen) network(r *rand.Rand, t time.Time, w *here, web bool) netip.Addr {
	if tr := w.trip; tr != nil {
		switch {
		case chance(r, 0.55) || web:
			return host(tr.hotelNet, r.IntN(253))
		case !tr.abroad || tr.carrierAbroad:
			return host(pick(r, g.carrier), r.IntN(253))
		default:
			return host([3]byte{tr.hotelNet[0], tr.hotelNet[1], tr.hotelNet[2] ^ 0x55}, r.IntN(253))
		}
	}
	if !web && chance(r, 0.02) {
		return host(randNet(r, g.mk.broadbandIP), r.IntN(253)) // public Wi-Fi
	}
	switch {
	case w.atHome && (web || chance(r, 0.7)):
		h := w.home
		if h.v6 {
			return host6(h.net6, r)
		}
		y, m, _ := t.In(g.loc).Date()
		return host(h.net, int(h.net[2])*7+(y*12+int(m))*31) // the lease changes monthly
	case w.atWork && g.hasWork && (web || chance(r, 0.6)):
		return host(g.workNet, 10+r.IntN(40))
	case web:
		h := g.homeAt(t)
		if h.v6 {
			return host6(h.net6, r)
		}
		return host(h.net, int(h.net[2])*7)
	}
	return host(pick(r, g.carrier), r.IntN(253))
}

// sessionAuth draws the authentication of an app login.
func (g *gen) sessionAuth(r *rand.Rand) profile.Auth {
	x := r.Float64()
	switch {
	case x < 0.03:
		return profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP)
	case x < 0.03+g.bio*0.97:
		return profile.AuthOf(profile.AuthBiometric)
	case x < 0.03+(g.bio+g.pw)*0.97:
		return profile.AuthOf(profile.AuthPassword)
	}
	return profile.AuthOf(profile.AuthFace)
}

// payAuth draws the authentication of an app payment of c cents.
func (g *gen) payAuth(r *rand.Rand, c int64, transfer bool) profile.Auth {
	if transfer && c >= g.bigTransfer {
		if chance(r, 0.7) {
			return profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP)
		}
		return profile.AuthOf(profile.AuthFace, profile.AuthPassword)
	}
	if !transfer && c <= g.mk.lowValue && chance(r, 0.35) {
		return 0 // small payment without authentication
	}
	if chance(r, g.bio/(g.bio+g.pw)) {
		return profile.AuthOf(profile.AuthBiometric)
	}
	return profile.AuthOf(profile.AuthPassword)
}

// ctxEvent fills the context of an app or web event.
type appCtx struct {
	t       time.Time
	channel profile.Channel
	device  string
	ip      netip.Addr
	loc     profile.Location
	tag     uint8
}

// appContext returns the context of an app (or web) action at t.
func (g *gen) appContext(r *rand.Rand, t time.Time, w *here, web bool) appCtx {
	a := appCtx{t: t, channel: profile.ChannelApp}
	var ptag uint8
	a.device, ptag = g.device(t)
	a.tag = ptag | w.tripTag | w.moveTag
	if web {
		a.channel = profile.ChannelWeb
		a.device = g.laptop
		a.tag = w.tripTag | w.moveTag
		a.loc = profile.Location{Country: w.country}
	} else {
		lat, lon := jitter(r, w.at.lat, w.at.lon, 0.4)
		a.loc = profile.Location{Lat: lat, Lon: lon, HasCoords: true, Country: w.country}
	}
	a.ip = g.network(r, t, w, web)
	return a
}

// apply copies the context into an event.
func (a *appCtx) apply(e *profile.Event) {
	e.Channel, e.DeviceID, e.IP, e.Location = a.channel, a.device, a.ip, a.loc
}

// session emits a login and the features used after it; it returns the
// time after the last feature.
func (g *gen) session(r *rand.Rand, a appCtx, auth profile.Auth, feats []string, extra int) time.Time {
	e := profile.Event{Time: a.t, Type: profile.TypeSession, Auth: auth}
	a.apply(&e)
	g.add(e, a.tag)
	t := a.t
	emit := func(f string) {
		t = t.Add(time.Duration(10+r.IntN(100)) * time.Second)
		fe := profile.Event{Time: t, Type: profile.TypeFeature, Feature: f}
		a.apply(&fe)
		g.add(fe, a.tag)
	}
	for _, f := range feats {
		emit(f)
	}
	for range extra {
		emit(features[weighted(r, g.featW)])
	}
	return t
}

// useWeb reports whether an action at w happens on the web.
func (g *gen) useWeb(r *rand.Rand, w *here) bool {
	return g.webUser && (w.atHome || w.atWork && g.hasWork) && w.trip == nil && chance(r, g.webUse)
}

// appTransfer emits a transfer out made in the app or online bank (or at
// the branch for branch customers), with its login.
func (g *gen) appTransfer(r *rand.Rand, t time.Time, payee string, c int64, mcc uint16, tag uint8) {
	w, ok := g.whereAt(t)
	if !ok {
		w, _ = g.whereAt(t.Add(-24 * time.Hour))
	}
	e := g.txn(t, profile.KindTransferOut, c, payee, mcc)
	if g.branch && w.trip == nil && chance(r, 0.6) {
		lat, lon := jitter(r, w.home.at.lat, w.home.at.lon, 2)
		e.Channel = profile.ChannelBranch
		e.Location = profile.Location{Lat: lat, Lon: lon, HasCoords: true, Country: g.mk.country}
		e.Auth = profile.AuthOf(profile.AuthPIN)
		g.add(e, tag|w.tripTag)
		return
	}
	web := g.useWeb(r, &w)
	a := g.appContext(r, t.Add(-time.Duration(40+r.IntN(300))*time.Second), &w, web)
	a.tag |= tag
	auth := g.sessionAuth(r)
	if web {
		auth = g.webAuth
	}
	g.session(r, a, auth, []string{"transfer"}, 0)
	a.apply(&e)
	e.Auth = g.payAuth(r, c, true)
	if web {
		e.Auth = g.webAuth
	}
	g.add(e, a.tag)
}

// appPayment emits a bill or purchase paid in the app, with its login.
func (g *gen) appPayment(r *rand.Rand, t time.Time, k profile.Kind, payee string, mcc uint16, c int64, tag uint8) {
	w, ok := g.whereAt(t)
	if !ok {
		return
	}
	web := g.useWeb(r, &w)
	a := g.appContext(r, t.Add(-time.Duration(40+r.IntN(300))*time.Second), &w, web)
	a.tag |= tag
	auth := g.sessionAuth(r)
	if web {
		auth = g.webAuth
	}
	g.session(r, a, auth, []string{"bill_pay"}, 0)
	e := g.txn(t, k, c, payee, mcc)
	a.apply(&e)
	e.Auth = g.payAuth(r, c, false)
	g.add(e, a.tag)
}

// Rate multipliers on trip days per category.
var tripRate = [numCats]float64{0.2, 1.8, 1.0, 0, 1.3, 1.4, 0.3}

// dailyLife generates spending, sessions, transfers, cash and small credits
// day by day.
func (g *gen) dailyLife() {
	r := g.r
	y, m, d := g.from.Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, g.loc); day.Before(g.to); day = day.AddDate(0, 0, 1) {
		wd := day.Weekday()
		we := 0
		if wd == time.Saturday || wd == time.Sunday {
			we = 1
		}
		zone := g.loc
		var tripDay *trip
		if tr, transit := g.tripAt(day.Add(13 * time.Hour)); tr != nil && !transit {
			tripDay, zone = tr, tr.zone
		}
		dy, dm, dd := day.Date()
		sample := func(cum *[24]float32) time.Time {
			return time.Date(dy, dm, dd, hourFrom(r, cum), r.IntN(60), r.IntN(60), 0, zone)
		}
		ok := func(t time.Time) bool { return !t.Before(g.from) && t.Before(g.to) }

		for k := catID(0); k < numCats; k++ {
			rate := g.catRate[k]
			if we == 1 && (k == catGroceries || k == catShopping || k == catEntertainment) {
				rate *= 1.3
			}
			if tripDay != nil {
				rate *= tripRate[k]
				if tripDay.abroad && k == catTransport {
					rate *= 1.2
				}
			}
			for range poisson(r, rate) {
				t := sample(&g.catCum[k][we])
				if !ok(t) {
					continue
				}
				if w, in := g.whereAt(t); in {
					g.purchase(r, t, k, &w)
				}
			}
		}
		sess := g.sessWeek / 7
		if tripDay != nil {
			sess *= 1.3
		}
		for range poisson(r, sess) {
			t := sample(&g.sessCum[we])
			if !ok(t) {
				continue
			}
			w, in := g.whereAt(t)
			if !in {
				continue
			}
			web := g.useWeb(r, &w)
			a := g.appContext(r, t, &w, web)
			auth := g.sessionAuth(r)
			if web {
				auth = g.webAuth
			}
			feats := poisson(r, g.featMean)
			var first []string
			if tripDay != nil && tripDay.abroad && chance(r, 0.3) {
				first = []string{"fx"}
			}
			g.session(r, a, auth, first, feats)
		}
		tr := g.transferRate
		if tripDay != nil {
			tr *= 0.3
		}
		for range poisson(r, tr) {
			t := sample(&g.sessCum[we])
			if !ok(t) {
				continue
			}
			if _, in := g.whereAt(t); !in {
				continue
			}
			g.transfer(r, t)
		}
		for range poisson(r, g.creditRate) {
			t := sample(&g.sessCum[we])
			if !ok(t) {
				continue
			}
			p := g.payees[weighted(r, payeeWeights(g.payees))]
			g.add(g.txn(t, profile.KindTransferIn, cents(logn(r, p.median*0.4, 0.6)), p.name, 0), 0)
		}
		cash := g.cashRate
		if tripDay != nil && tripDay.abroad {
			cash *= 1.5
		}
		for range poisson(r, cash) {
			t := sample(&g.catCum[catGroceries][we])
			if !ok(t) {
				continue
			}
			if w, in := g.whereAt(t); in {
				g.withdraw(r, t, &w)
			}
		}
		// Quarterly interest on the 21st (Chinese banks settle deposit
		// interest on the 20th of the last month of each quarter).
		if g.mk == &cnMarket && dd == 21 && dm%3 == 0 {
			t := time.Date(dy, dm, dd, 3, 0, 0, 0, g.loc)
			if ok(t) {
				g.add(g.txn(t, profile.KindInterest, cents(g.income*unif(r, 0.001, 0.012)), OwnBank, 0), 0)
			}
		}
	}
}

func payeeWeights(ps []payee) []float64 {
	w := make([]float64, len(ps))
	for i, p := range ps {
		w[i] = p.weight
	}
	return w
}

// transfer emits a transfer to family or friends, now and then to someone
// new.
func (g *gen) transfer(r *rand.Rand, t time.Time) {
	var name string
	var med float64
	if chance(r, 0.1) {
		name, med = personName(r, g.mk), g.mk.transferMed*0.5
	} else {
		p := g.payees[weighted(r, payeeWeights(g.payees))]
		name, med = p.name, p.median
	}
	c := cents(logn(r, med, 0.5))
	if chance(r, 0.4) {
		c = roundTo(c, g.mk.round/10)
	}
	g.appTransfer(r, t, name, c, 0, 0)
}

// purchase emits a card or app purchase in category k at t.
func (g *gen) purchase(r *rand.Rand, t time.Time, k catID, w *here) {
	mk := g.mk
	var s shop
	switch {
	case w.trip != nil:
		s = pick(r, w.trip.shops[k])
	case k == catTransport && chance(r, either(g.car, 0.3, 0.65)):
		lat, lon := jitter(r, w.at.lat, w.at.lon, 1.5)
		s = shop{merchant: merchant{name: cityName(mk.transitName, g.city.name), mcc: 4111}, at: geo{lat, lon}}
	case chance(r, 0.86):
		s = g.shops[k][weighted(r, shopWeights(g.shops[k]))]
	default:
		lat, lon := jitter(r, w.at.lat, w.at.lon, 3)
		s = shop{merchant: pick(r, mk.merchants[k]), at: geo{lat, lon}}
	}
	med := g.catMed[k]
	if s.mcc == 4111 {
		med = either(mk == &cnMarket, 4, 2.9)
	}
	if w.trip != nil && w.trip.abroad && (k == catDining || k == catShopping) {
		med *= 1.6
	}
	c := cents(logn(r, med, g.catSig[k]))
	e := g.txn(t, profile.KindPurchase, c, s.name, s.mcc)
	tag := w.tripTag
	switch {
	case s.online:
		web := g.useWeb(r, w)
		a := g.appContext(r, t, w, web)
		a.apply(&e)
		tag = a.tag
		if web {
			if c > mk.lowValue/2 || chance(r, 0.5) {
				e.Auth = g.webAuth
			}
		} else {
			e.Auth = g.payAuth(r, c, false)
		}
		if k == catShopping && chance(r, 0.04) {
			// A return, refunded a few days later.
			rt := t.Add(time.Duration(2+r.IntN(12))*24*time.Hour + time.Duration(r.IntN(36000))*time.Second)
			if rt.Before(g.to) {
				g.add(g.txn(rt, profile.KindRefund, c, s.name, s.mcc), 0)
			}
		}
	case chance(r, g.posShare) || w.trip != nil && w.trip.abroad:
		e.Channel = profile.ChannelPOS
		e.Location = profile.Location{Lat: s.at.lat, Lon: s.at.lon, HasCoords: true, Country: w.country}
		switch {
		case w.trip != nil && w.trip.abroad && chance(r, 0.12):
			if chance(r, 0.5) {
				e.Auth = profile.AuthOf(profile.AuthPIN) // magnetic stripe abroad
			}
		case c > mk.lowValue:
			e.Auth = profile.AuthOf(profile.AuthCardChip, profile.AuthPIN)
		default:
			e.Auth = profile.AuthOf(profile.AuthCardChip)
		}
	default:
		// Paid by scanning a QR code with the app at the till.
		a := g.appContext(r, t, w, false)
		a.apply(&e)
		e.Location = profile.Location{Lat: s.at.lat, Lon: s.at.lon, HasCoords: true, Country: w.country}
		e.Auth = g.payAuth(r, c, false)
		tag = a.tag
	}
	g.add(e, tag)
}

func shopWeights(ss []shop) []float64 {
	w := make([]float64, len(ss))
	for i, s := range ss {
		w[i] = s.weight
	}
	return w
}

// withdraw emits a cash withdrawal at an ATM (or the branch counter).
func (g *gen) withdraw(r *rand.Rand, t time.Time, w *here) {
	mk := g.mk
	unit := mk.round
	if mk == &euMarket {
		unit = 2000
	}
	c := roundTo(cents(logn(r, mk.cashMed, 0.5)), unit)
	e := g.txn(t, profile.KindCashWithdrawal, c, "", 6011)
	e.Auth = profile.AuthOf(profile.AuthCardChip, profile.AuthPIN)
	e.Channel = profile.ChannelATM
	switch {
	case w.trip != nil:
		lat, lon := jitter(r, w.at.lat, w.at.lon, 4)
		e.Counterparty = w.trip.dest.name + " ATM"
		e.Location = profile.Location{Lat: lat, Lon: lon, HasCoords: true, Country: w.country}
		if w.trip.abroad {
			e.Amount = money(roundTo(c*2, unit))
			// The bank's fee for cash abroad.
			g.add(g.txn(t.Add(time.Second), profile.KindFee, max(c/100, 300), OwnBank, 0), w.tripTag)
		}
	case g.branch && chance(r, 0.4):
		lat, lon := jitter(r, w.home.at.lat, w.home.at.lon, 2)
		e.Channel = profile.ChannelBranch
		e.Counterparty = OwnBank + " Branch"
		e.MCC = 6010
		e.Auth = profile.AuthOf(profile.AuthPIN)
		e.Location = profile.Location{Lat: lat, Lon: lon, HasCoords: true, Country: w.country}
	default:
		a := g.atms[r.IntN(len(g.atms))]
		e.Counterparty = a.name
		e.Location = profile.Location{Lat: a.at.lat, Lon: a.at.lon, HasCoords: true, Country: w.country}
	}
	g.add(e, w.tripTag)
}

// tripShops builds the outlets used on a trip.
func (g *gen) tripShops(r *rand.Rand, tr *trip) {
	kinds := [numCats][]merchant{
		catGroceries:     {{"Supermarket", 5411, false}, {"Convenience Store", 5499, false}},
		catDining:        {{"Restaurant", 5812, false}, {"Cafe", 5814, false}, {"Bistro", 5812, false}, {"Noodle Bar", 5812, false}, {"Bar", 5813, false}},
		catTransport:     {{"Taxi", 4121, false}, {"Metro", 4111, false}, {"Airport Express", 4112, false}},
		catFuel:          {{"Petrol Station", 5541, false}},
		catShopping:      {{"Department Store", 5311, false}, {"Duty Free", 5309, false}, {"Outlet", 5651, false}, {"Souvenir Shop", 5947, false}},
		catEntertainment: {{"Museum", 7991, false}, {"Theme Park", 7996, false}, {"Theatre", 7922, false}},
		catHealth:        {{"Pharmacy", 5912, false}},
	}
	for k := catID(0); k < numCats; k++ {
		n := 2 + r.IntN(4)
		for range n {
			var m merchant
			if tr.abroad {
				m = pick(r, kinds[k])
				m.name = tr.dest.name + " " + m.name
			} else if k == catTransport {
				m = pick(r, kinds[k])
				m.name = tr.dest.name + " " + m.name
			} else {
				m = pick(r, g.mk.merchants[k])
				m.online = false
			}
			lat, lon := jitter(r, tr.dest.lat, tr.dest.lon, 5)
			tr.shops[k] = append(tr.shops[k], shop{merchant: m, at: geo{lat, lon}, weight: 1})
		}
	}
}
