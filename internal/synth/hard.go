package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// hardCases emits the explicit events of the planned hard cases. Trips and
// moves also shape the daily life (see whereAt); the new rent is emitted
// with the bills.
func (g *gen) hardCases(r *rand.Rand) {
	for k := HardCaseKind(1); k < numHardCases; k++ {
		t := g.hard[k]
		if t.IsZero() {
			continue
		}
		bit := uint8(1) << (k - 1)
		switch k {
		case HardTravelAbroad, HardTravelDomestic:
			for i := range g.trips {
				if g.trips[i].kind == k {
					g.tripEvents(r, &g.trips[i], bit)
				}
			}
		case HardNewPhone:
			// The first login on the new phone binds it with strong
			// authentication; the phone is then used from t on.
			w, ok := g.whereAt(t)
			if !ok {
				continue
			}
			a := g.appContext(r, t, &w, false)
			auth := profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP)
			if chance(r, 0.35) {
				auth = profile.AuthOf(profile.AuthFace, profile.AuthSMSOTP)
			}
			g.session(r, a, auth, []string{"security", "balance"}, poisson(r, 1))
		case HardLargeKnownPayee:
			g.largeKnown(r, g.daytime(r, t), bit)
		case HardLargeNewPayee:
			t = g.daytime(r, t)
			name := g.businessName(r)
			c := roundTo(cents(g.income*unif(r, 0.8, 4)), g.mk.round*10)
			g.appTransfer(r, t, name, c, 0, bit)
		}
	}
}

// daytime moves t to a daytime hour of its day, away from travel.
func (g *gen) daytime(r *rand.Rand, t time.Time) time.Time {
	y, m, d := t.In(g.loc).Date()
	for range 10 {
		c := time.Date(y, m, d, 9+r.IntN(12), r.IntN(60), r.IntN(60), 0, g.loc)
		if tr, _ := g.tripAt(c); tr == nil && c.After(g.from) && c.Before(g.to) {
			return c
		}
		d += 3
	}
	return t
}

// largeKnown emits a large transfer to a payee paid before.
func (g *gen) largeKnown(r *rand.Rand, t time.Time, bit uint8) {
	known := map[string]bool{}
	for _, p := range g.payees {
		known[p.name] = true
	}
	var name string
	for i := range g.evs {
		e := &g.evs[i]
		if e.Kind == profile.KindTransferOut && e.Time.Before(t) && known[e.Counterparty] && g.tags[i] == 0 {
			name = e.Counterparty
			break
		}
	}
	if name == "" {
		// Pay them a normal amount first, a few weeks before.
		p := g.payees[0]
		name = p.name
		pt := g.daytime(r, t.Add(-time.Duration(10+r.IntN(30))*24*time.Hour))
		if pt.Before(g.from) {
			pt = g.daytime(r, g.from.Add(24*time.Hour))
			if !pt.Before(t) {
				return
			}
		}
		g.appTransfer(r, pt, name, cents(logn(r, p.median, 0.3)), 0, 0)
	}
	med := g.mk.transferMed
	for _, p := range g.payees {
		if p.name == name {
			med = p.median
		}
	}
	c := roundTo(cents(max(med*unif(r, 6, 20), g.income*unif(r, 0.8, 3))), g.mk.round*10)
	g.appTransfer(r, t, name, c, 0, bit)
}

// businessName invents a business paid once: a car dealer, a builder, a
// school, a lawyer, a travel agent.
func (g *gen) businessName(r *rand.Rand) string {
	if g.mk == &cnMarket {
		return g.city.name + " " + pick(r, []string{"Auto Sales Co Ltd", "Home Renovation Co Ltd", "Furniture Mall",
			"Education Consulting Co Ltd", "Wedding Services Co Ltd", "Jewellery Co Ltd", "Medical Aesthetics Clinic"})
	}
	return fmt.Sprintf(pick(r, []string{"Autohaus %s GmbH", "%s Bau GmbH", "Kanzlei %s", "%s Reisen GmbH",
		"Zahnklinik %s", "Mobelhaus %s", "Tischlerei %s"}), pick(r, g.mk.lastNames))
}

// tripEvents emits a trip's bookings, the login on arrival and the hotel
// bill; the days in between come from the daily life.
func (g *gen) tripEvents(r *rand.Rand, tr *trip, bit uint8) {
	mk := g.mk
	dist := haversine(g.city.lat, g.city.lon, tr.dest.lat, tr.dest.lon)
	// Book the journey weeks before.
	book := g.daytime(r, tr.depart.Add(-time.Duration(7+r.IntN(50))*24*time.Hour))
	if book.After(g.from) && book.Before(tr.depart) {
		carrier, mcc := pick(r, mk.airlines), uint16(4511)
		fare := unif(r, 700, 2500)
		if tr.abroad {
			fare = unif(r, 2500, 9000)
		}
		if dist < 600 {
			carrier, mcc, fare = mk.rail, 4112, unif(r, 120, 600)
		}
		fare *= either(mk == &cnMarket, 1, 0.12) * float64(1+r.IntN(2))
		g.appPayment(r, book, profile.KindPurchase, carrier, mcc, cents(fare), 0)
		if chance(r, 0.5) {
			hotel := pick(r, mk.hotels)
			nights := tr.leave.Sub(tr.arrive).Hours() / 24
			g.appPayment(r, book.Add(time.Duration(5+r.IntN(60))*time.Minute), profile.KindPurchase, hotel, 7011,
				cents(nights*unif(r, 300, 1200)*either(mk == &cnMarket, 1, 0.14)), 0)
		}
	}
	// Login on arrival, on the usual phone.
	at := tr.arrive.Add(time.Duration(10+r.IntN(80)) * time.Minute)
	if w, ok := g.whereAt(at); ok && w.trip == tr {
		a := g.appContext(r, at, &w, false)
		feats := []string{"balance"}
		if tr.abroad {
			feats = append(feats, "fx")
		}
		g.session(r, a, g.sessionAuth(r), feats, 0)
	}
	// The hotel bill, paid by card at check-out.
	if chance(r, 0.5) {
		out := tr.leave.Add(-time.Duration(1+r.IntN(3)) * time.Hour)
		if w, ok := g.whereAt(out); ok && w.trip == tr {
			nights := tr.leave.Sub(tr.arrive).Hours() / 24
			e := g.txn(out, profile.KindPurchase, cents(nights*unif(r, 300, 1200)*either(mk == &cnMarket, 1, 0.14)),
				tr.dest.name+" "+pick(r, []string{"Grand Hotel", "City Hotel", "Plaza Hotel", "Inn"}), 7011)
			lat, lon := jitter(r, tr.dest.lat, tr.dest.lon, 3)
			e.Channel = profile.ChannelPOS
			e.Location = profile.Location{Lat: lat, Lon: lon, HasCoords: true, Country: w.country}
			e.Auth = profile.AuthOf(profile.AuthCardChip, profile.AuthPIN)
			g.add(e, bit)
		}
	}
}
