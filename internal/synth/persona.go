package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// persona is a customer's hidden life: household, places, devices,
// networks and habits.
type persona struct {
	stage   Stage
	occ     string // true occupation
	city    *place
	income  float64 // true monthly income level, currency units
	workLoc geo
	working bool // goes to a workplace on workdays
	workNet [3]byte
	hasWork bool // has a work Wi-Fi network

	homes   []homeSpell
	phones  []phoneSpell
	laptop  string
	webUser bool
	webUse  float64 // share of sessions on the web, for web users
	carrier [][3]byte
	shift   int // hours the customer's day is shifted (late risers positive)

	bio, pw  float64      // session authentication habit: biometric, password (rest: face)
	webAuth  profile.Auth // usual authentication for the web
	sessWeek float64
	featW    []float64
	featMean float64
	sessCum  [2][24]float32 // cumulative hour weights: workday, weekend
	catCum   [numCats][2][24]float32
	catRate  [numCats]float64
	catMed   [numCats]float64
	catSig   [numCats]float64
	shops    [numCats][]shop
	posShare float64
	atms     []shop

	car, kids, youngKids            bool
	mortgage, renter, carLoan       bool
	consumerLoan, insurance, parent bool
	branch                          bool // prefers the branch (older customers)
	payees                          []payee
	transferRate, creditRate        float64
	cashRate                        float64
	bigTransfer                     int64 // transfers above this (cents) get step-up authentication

	trips   []trip
	hard    [numHardCases]time.Time // planned start of each hard case; zero when none
	episode struct {
		pattern Pattern
		at      time.Time
	}
}

type geo struct{ lat, lon float64 }

type homeSpell struct {
	from     time.Time
	at       geo
	v6       bool
	net      [3]byte   // IPv4 /24
	net6     [3]uint16 // IPv6 /48
	moveTag  uint8     // hard-case bit while the home is new
	moveTill time.Time
}

type phoneSpell struct {
	from time.Time
	id   string
	tag  uint8 // hard-case bit while the phone is new
	till time.Time
}

// shop is a merchant outlet: a brand at a place.
type shop struct {
	merchant
	at     geo
	weight float64
}

type payee struct {
	name   string
	median float64 // median transfer, currency units
	weight float64
}

type trip struct {
	kind          HardCaseKind
	dest          *place
	depart        time.Time // leaves home
	arrive        time.Time // arrives at the destination
	leave         time.Time // leaves the destination
	back          time.Time // back home
	zone          *time.Location
	hotelNet      [3]byte
	shops         [numCats][]shop
	abroad        bool
	carrierAbroad bool // mobile data roams through the home carrier
}

// Features of the app and online bank.
var features = []string{"balance", "transfer", "bill_pay", "card", "wealth", "loan", "rewards",
	"statements", "fx", "payees", "insurance", "credit_card", "limits", "security"}

var featureBase = []float64{5, 2, 1, 1.5, 1, 0.5, 1, 0.8, 0.2, 0.2, 0.3, 1, 0.05, 0.1}

// Hour-of-day curves (relative weights, local time) of app activity and of
// each spending category, on workdays and weekends.
var sessionHours = [2][24]float32{
	{0.2, 0.1, 0.05, 0.03, 0.03, 0.05, 0.3, 1.0, 1.5, 1.0, 0.8, 0.9, 1.6, 1.2, 0.8, 0.8, 0.9, 1.0, 1.4, 1.8, 2.0, 2.0, 1.5, 0.7},
	{0.4, 0.2, 0.1, 0.05, 0.03, 0.03, 0.1, 0.3, 0.8, 1.2, 1.4, 1.5, 1.5, 1.3, 1.2, 1.2, 1.3, 1.4, 1.6, 1.8, 1.8, 1.6, 1.2, 0.7},
}

var categoryHours = [numCats][2][24]float32{
	catGroceries: {
		{0, 0, 0, 0, 0, 0, 0.1, 0.4, 0.5, 0.3, 0.3, 0.5, 1.2, 0.6, 0.3, 0.3, 0.6, 1.5, 2.2, 2.0, 1.2, 0.6, 0.3, 0.05},
		{0, 0, 0, 0, 0, 0, 0, 0.2, 0.8, 1.5, 1.8, 1.6, 1.2, 1.0, 1.2, 1.4, 1.6, 1.8, 1.6, 1.0, 0.6, 0.3, 0.1, 0},
	},
	catDining: {
		{0.05, 0.02, 0, 0, 0, 0, 0.2, 1.2, 1.0, 0.3, 0.3, 2.0, 3.0, 1.0, 0.4, 0.5, 0.5, 1.0, 2.2, 2.0, 1.0, 0.5, 0.4, 0.2},
		{0.1, 0.05, 0, 0, 0, 0, 0, 0.2, 0.6, 1.0, 1.2, 2.0, 2.4, 1.5, 0.8, 0.8, 1.0, 1.6, 2.4, 2.2, 1.2, 0.6, 0.4, 0.2},
	},
	catTransport: {
		{0.1, 0.05, 0, 0, 0, 0.1, 0.6, 2.5, 2.5, 0.6, 0.4, 0.4, 0.5, 0.5, 0.4, 0.5, 0.8, 1.8, 2.2, 1.2, 0.6, 0.6, 0.6, 0.3},
		{0.2, 0.1, 0.05, 0, 0, 0, 0.1, 0.2, 0.5, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.7, 0.5, 0.3},
	},
	catFuel: {
		{0, 0, 0, 0, 0, 0.1, 0.5, 1.5, 1.2, 0.6, 0.5, 0.5, 0.6, 0.5, 0.5, 0.6, 0.8, 1.4, 1.5, 0.8, 0.4, 0.2, 0.1, 0},
		{0, 0, 0, 0, 0, 0, 0.1, 0.3, 0.8, 1.2, 1.2, 1.0, 0.8, 0.8, 1.0, 1.0, 1.0, 1.0, 0.8, 0.5, 0.3, 0.1, 0.05, 0},
	},
	catShopping: {
		{0.2, 0.1, 0.02, 0, 0, 0, 0.05, 0.2, 0.3, 0.4, 0.5, 0.6, 1.0, 0.8, 0.5, 0.5, 0.6, 0.8, 1.2, 1.6, 2.0, 2.0, 1.4, 0.6},
		{0.2, 0.1, 0.02, 0, 0, 0, 0, 0.1, 0.4, 0.9, 1.4, 1.6, 1.6, 1.6, 1.8, 1.8, 1.6, 1.4, 1.2, 1.2, 1.4, 1.4, 0.9, 0.4},
	},
	catEntertainment: {
		{0.3, 0.1, 0, 0, 0, 0, 0, 0, 0.05, 0.1, 0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.4, 0.8, 1.5, 2.2, 2.5, 2.0, 1.2, 0.6},
		{0.4, 0.2, 0.05, 0, 0, 0, 0, 0, 0.1, 0.4, 0.8, 1.0, 1.2, 1.5, 1.6, 1.6, 1.5, 1.5, 1.8, 2.0, 2.0, 1.6, 1.0, 0.6},
	},
	catHealth: {
		{0, 0, 0, 0, 0, 0, 0, 0.3, 1.2, 1.6, 1.6, 1.2, 0.8, 1.0, 1.2, 1.2, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2, 0.05, 0},
		{0, 0, 0, 0, 0, 0, 0, 0.2, 0.8, 1.4, 1.4, 1.2, 0.8, 0.8, 0.8, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0, 0},
	},
}

// Daily purchase rates per category (CN, EU) and per-stage multipliers.
var baseRate = [2][numCats]float64{
	{catGroceries: 0.2, catDining: 0.32, catTransport: 0.26, catFuel: 0.07, catShopping: 0.14, catEntertainment: 0.05, catHealth: 0.035},
	{catGroceries: 0.27, catDining: 0.19, catTransport: 0.15, catFuel: 0.08, catShopping: 0.12, catEntertainment: 0.04, catHealth: 0.035},
}

var stageRate = map[Stage][numCats]float64{
	StageStudent:            {0.5, 1.2, 1.2, 0.5, 0.8, 1.3, 0.5},
	StageEarlyCareer:        {0.8, 1.2, 1.1, 0.8, 1.1, 1.2, 0.7},
	StageFamilyFormation:    {1.3, 0.9, 0.9, 1.1, 1.1, 0.8, 1.0},
	StageWealthAccumulation: {1.2, 1.0, 0.9, 1.1, 1.0, 0.8, 1.1},
	StagePreRetirement:      {1.2, 0.8, 0.8, 1.0, 0.8, 0.6, 1.4},
	StageRetired:            {1.3, 0.5, 0.6, 0.7, 0.6, 0.4, 2.2},
}

var catSigma = [numCats]float64{0.6, 0.55, 0.5, 0.3, 0.9, 0.6, 0.8}

// Occupations per stage (in Stages() order), drawn uniformly.
var occupations = [][]string{
	{"student"},
	{"employee", "employee", "employee", "employee", "employee", "employee", "employee", "self_employed", "civil_servant", "unemployed"},
	{"employee", "employee", "employee", "employee", "employee", "employee", "self_employed", "self_employed", "civil_servant", "homemaker"},
	{"employee", "employee", "employee", "employee", "employee", "self_employed", "self_employed", "civil_servant", "civil_servant", "homemaker"},
	{"employee", "employee", "employee", "employee", "employee", "employee", "self_employed", "civil_servant", "civil_servant", "unemployed"},
	{"retired"},
}

// Probabilities per stage, in Stages() order.
var (
	stageShare   = []float64{0.10, 0.20, 0.25, 0.20, 0.12, 0.13}
	pMortgage    = []float64{0, 0.06, 0.45, 0.45, 0.25, 0.03}
	pRenter      = []float64{0.2, 0.7, 0.5, 0.25, 0.15, 0.05}
	pCarCN       = []float64{0.05, 0.35, 0.55, 0.6, 0.5, 0.2}
	pCarEU       = []float64{0.1, 0.5, 0.75, 0.8, 0.75, 0.55}
	pConsumer    = []float64{0.05, 0.22, 0.15, 0.08, 0.06, 0.02}
	pKids        = []float64{0, 0.05, 0.6, 0.7, 0.2, 0}
	pParentCN    = []float64{0, 0.25, 0.35, 0.3, 0.15, 0}
	pParentEU    = []float64{0, 0.03, 0.04, 0.04, 0.02, 0}
	sessionsWeek = []float64{5, 5, 4, 4, 3, 1.8}
)

// either returns a when c holds, else b.
func either(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}

func stageIndex(s Stage) int {
	for i, x := range Stages() {
		if x == s {
			return i
		}
	}
	return 0
}

// newPersona draws the customer's attributes and habits.
func (g *gen) newPersona(r *rand.Rand) {
	mk, c := g.mk, g.c
	c.ID = customerID(g.idx)
	c.Currency = mk.currency
	c.TimeZone = mk.zone
	si := weighted(r, stageShare)
	g.stage = Stages()[si]
	c.Stage = g.stage
	start := g.cfg.start
	eu := mk == &euMarket

	// Age and occupation.
	ageLo := []int{18, 22, 29, 40, 50, 60}
	ageHi := []int{24, 30, 40, 50, 59, 82}
	if eu {
		ageLo = []int{19, 23, 30, 40, 52, 65}
		ageHi = []int{26, 31, 40, 52, 64, 86}
	}
	age := ageLo[si] + r.IntN(ageHi[si]-ageLo[si]+1)
	by, bm, bd := start.Date()
	birth := time.Date(by-age, bm, bd, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1-r.IntN(364))
	c.BirthDate = birth
	g.occ = pick(r, occupations[si])
	if !chance(r, 0.05) {
		c.Occupation = g.occ
	}

	// Place and work.
	cw := make([]float64, len(mk.cities))
	for i, p := range mk.cities {
		cw[i] = p.weight
	}
	g.city = &mk.cities[weighted(r, cw)]
	c.City = g.city.name
	hlat, hlon := jitter(r, g.city.lat, g.city.lon, 12)
	g.working = g.occ == "employee" || g.occ == "civil_servant" || g.occ == "student" || (g.occ == "self_employed" && chance(r, 0.5))
	if g.working {
		g.workLoc.lat, g.workLoc.lon = jitter(r, g.city.lat, g.city.lon, 8)
		if g.occ != "student" && chance(r, 0.3) {
			g.hasWork = true
			g.workNet = randNet(r, mk.broadbandIP)
		}
	}

	// Income.
	g.income = logn(r, mk.medianIncome[g.stage], 0.4)
	if g.occ == "self_employed" {
		g.income *= logn(r, 1.1, 0.3)
	}
	if g.occ == "unemployed" || g.occ == "homemaker" {
		g.income *= 0.5
	}
	c.MonthlyIncome = money(cents(g.income)).Round(0)
	g.declare(r)

	// Joined.
	g.from = start
	span := g.to.Sub(start)
	if chance(r, 0.06) {
		j := between(r, start, start.Add(span/2))
		y, m, d := j.Date()
		c.Joined = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		g.from = time.Date(y, m, d, 0, 0, 0, 0, g.loc)
	} else {
		lo := birth.AddDate(16, 0, 0)
		if l := start.AddDate(-25, 0, 0); l.After(lo) {
			lo = l
		}
		hi := start.AddDate(0, 0, -60)
		if !lo.Before(hi) {
			lo = hi.AddDate(0, 0, -30)
		}
		y, m, d := between(r, lo, hi).Date()
		c.Joined = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}

	// Consent.
	young := si <= 2
	c.Consent.SMS = chance(r, either(young, 0.6, 0.72))
	c.Consent.Email = chance(r, either(eu, 0.6, 0.35))
	c.Consent.Push = chance(r, either(young, 0.65, 0.4))

	// Household.
	g.mortgage = chance(r, pMortgage[si])
	g.renter = !g.mortgage && chance(r, pRenter[si])
	if eu {
		g.car = chance(r, pCarEU[si])
		g.parent = chance(r, pParentEU[si])
	} else {
		g.car = chance(r, pCarCN[si])
		g.parent = chance(r, pParentCN[si])
	}
	g.carLoan = g.car && si >= 1 && si <= 4 && chance(r, either(si <= 2, 0.35, 0.2))
	g.consumerLoan = chance(r, pConsumer[si])
	g.kids = chance(r, pKids[si])
	g.youngKids = g.kids && (si == 2 || si == 1) && chance(r, 0.6)
	g.insurance = si > 0 && chance(r, either(eu, 0.55, 0.28))
	g.branch = si == 5 && chance(r, 0.3) || si == 4 && chance(r, 0.08)

	home := homeSpell{from: time.Time{}, at: geo{hlat, hlon}}
	g.newHomeNet(r, &home)
	g.homes = []homeSpell{home}
	g.phones = []phoneSpell{{id: deviceID(r)}}
	g.webUser = chance(r, []float64{0.1, 0.15, 0.2, 0.3, 0.3, 0.2}[si])
	if g.webUser {
		g.laptop = deviceID(r)
		g.webUse = unif(r, 0.2, 0.7)
	}
	carrier := pick(r, mk.mobileIP)
	n := 2 + r.IntN(2)
	for range n {
		a, b := parse16(carrier)
		g.carrier = append(g.carrier, [3]byte{a, b, byte(r.IntN(256))})
	}
	g.shift = int(math.Round(r.NormFloat64() * 0.9))
	if si == 5 {
		g.shift--
	}
	if chance(r, 0.08) {
		g.shift += 3 // night owl
	}
	g.shift = max(-3, min(4, g.shift))

	// Authentication habits.
	switch {
	case si == 5:
		g.bio, g.pw = 0.35, 0.6
	default:
		g.bio = unif(r, 0.5, 0.9)
		g.pw = (1 - g.bio) * 0.8
	}
	if eu {
		g.webAuth = pick(r, []profile.Auth{profile.AuthOf(profile.AuthPassword, profile.AuthPush),
			profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP), profile.AuthOf(profile.AuthPassword, profile.AuthToken)})
	} else {
		g.webAuth = pick(r, []profile.Auth{profile.AuthOf(profile.AuthPassword, profile.AuthUKey),
			profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP), profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP),
			profile.AuthOf(profile.AuthPassword, profile.AuthCertificate), profile.AuthOf(profile.AuthPassword)})
	}
	g.sessWeek = logn(r, sessionsWeek[si], 0.5)
	if g.branch {
		g.sessWeek = unif(r, 0.1, 0.6)
	}
	g.featMean = unif(r, 0.4, 1.4)
	g.featW = make([]float64, len(features))
	for i, w := range featureBase {
		m := 1.0
		switch features[i] {
		case "wealth", "insurance":
			m = []float64{0.2, 0.6, 1, 2.5, 3, 3}[si]
		case "loan":
			m = []float64{0.3, 2, 2, 1, 0.6, 0.2}[si]
		case "rewards":
			m = []float64{2.5, 1.5, 1, 0.8, 0.8, 0.6}[si]
		case "credit_card":
			m = []float64{1, 1.5, 1.2, 1, 0.6, 0.3}[si]
		}
		g.featW[i] = w * m * logn(r, 1, 0.8)
	}
	g.hourCurves(r)

	// Spending habits.
	ref := mk.medianIncome[StageFamilyFormation]
	act := logn(r, 0.85, 0.35)
	mi := 0
	if eu {
		mi = 1
	}
	for k := catID(0); k < numCats; k++ {
		g.catRate[k] = baseRate[mi][k] * stageRate[g.stage][k] * act * logn(r, 1, 0.4)
		g.catMed[k] = mk.medianSpend[k] * math.Pow(g.income/ref, 0.35) * logn(r, 1, 0.3)
		g.catSig[k] = catSigma[k] * unif(r, 0.8, 1.2)
	}
	if !g.car {
		g.catRate[catFuel] = 0
	}
	g.posShare = min(0.98, max(0.02, mk.posShare+r.NormFloat64()*0.15))
	for k := catID(0); k < numCats; k++ {
		g.shops[k] = g.habitualShops(r, k)
	}
	g.atms = make([]shop, 1+r.IntN(2))
	for i := range g.atms {
		at := home.at
		if g.working && i == 1 {
			at = g.workLoc
		}
		lat, lon := jitter(r, at.lat, at.lon, 1.5)
		g.atms[i] = shop{merchant: merchant{name: pick(r, []string{OwnBank + " ATM", OwnBank + " ATM", pick(r, mk.otherBanks) + " ATM"}), mcc: 6011}, at: geo{lat, lon}}
	}
	g.cashRate = mk.cashUse * unif(r, 0.03, 0.12) * []float64{0.7, 0.8, 1, 1, 1.3, 1.8}[si]

	// Payees.
	np := 2 + r.IntN(5)
	for range np {
		g.payees = append(g.payees, payee{name: personName(r, mk), median: logn(r, mk.transferMed, 0.6), weight: logn(r, 1, 0.8)})
	}
	g.transferRate = logn(r, 0.07, 0.5) * []float64{0.8, 1, 1, 1, 0.9, 0.7}[si]
	g.creditRate = logn(r, 0.03, 0.6)
	if eu {
		g.bigTransfer = 100000 // 1,000 EUR
	} else {
		g.bigTransfer = 500000 // 5,000 CNY
	}
}

// declare sets the declared monthly income: often right, sometimes
// overstated, understated or missing.
func (g *gen) declare(r *rand.Rand) {
	unit := int64(10000)
	if g.mk == &euMarket {
		unit = 5000
	}
	pMissing := 0.2
	if g.stage == StageStudent {
		pMissing = 0.6
	}
	x := r.Float64()
	var v float64
	switch {
	case chance(r, pMissing):
		return
	case x < 0.55:
		v = g.income
	case x < 0.8:
		v = g.income * unif(r, 1.15, 1.8)
	case x < 0.92:
		v = g.income * unif(r, 0.6, 0.9)
	default:
		v = g.income * unif(r, 0.8, 1.2)
	}
	g.c.DeclaredMonthlyIncome = money(roundTo(cents(v), unit))
}

// hourCurves builds the customer's cumulative hour weights, shifted by
// their rhythm and perturbed.
func (g *gen) hourCurves(r *rand.Rand) {
	build := func(dst *[24]float32, base *[24]float32, noise float64) {
		var s float32
		for h := range 24 {
			src := ((h-g.shift)%24 + 24) % 24
			s += base[src] * float32(logn(r, 1, noise))
			dst[h] = s
		}
	}
	for w := range 2 {
		build(&g.sessCum[w], &sessionHours[w], 0.5)
		for k := range numCats {
			build(&g.catCum[k][w], &categoryHours[k][w], 0.3)
		}
	}
}

// habitualShops chooses the outlets the customer returns to in a category.
func (g *gen) habitualShops(r *rand.Rand, k catID) []shop {
	pool := g.mk.merchants[k]
	n := 2 + r.IntN(3)
	out := make([]shop, 0, n)
	seen := map[int]bool{}
	for len(out) < n && len(seen) < len(pool) {
		i := r.IntN(len(pool))
		if seen[i] {
			continue
		}
		seen[i] = true
		at := g.homes[0].at
		if g.working && chance(r, 0.4) {
			at = g.workLoc
		}
		lat, lon := jitter(r, at.lat, at.lon, 2.5)
		out = append(out, shop{merchant: pool[i], at: geo{lat, lon}, weight: logn(r, 1, 0.7)})
	}
	return out
}

// newHomeNet gives a home its broadband network.
func (g *gen) newHomeNet(r *rand.Rand, h *homeSpell) {
	if chance(r, 0.15) {
		h.v6 = true
		p := pick(r, g.mk.broadbandV6)
		a, b, _ := strings.Cut(p, ":")
		x, _ := strconv.ParseUint(a, 16, 16)
		y, _ := strconv.ParseUint(b, 16, 16)
		h.net6 = [3]uint16{uint16(x), uint16(y), uint16(r.IntN(65536))}
		return
	}
	h.net = randNet(r, g.mk.broadbandIP)
}

// randNet draws a /24 inside one of the "a.b" prefixes.
func randNet(r *rand.Rand, prefixes []string) [3]byte {
	a, b := parse16(pick(r, prefixes))
	return [3]byte{a, b, byte(r.IntN(256))}
}

func parse16(s string) (byte, byte) {
	x, y, _ := strings.Cut(s, ".")
	a, _ := strconv.Atoi(x)
	b, _ := strconv.Atoi(y)
	return byte(a), byte(b)
}

// host returns an address in a /24 with a host part in [2, 254].
func host(n [3]byte, h int) netip.Addr {
	return netip.AddrFrom4([4]byte{n[0], n[1], n[2], byte(2 + (h%253+253)%253)})
}

// host6 returns an address in a /48.
func host6(n [3]uint16, r *rand.Rand) netip.Addr {
	var b [16]byte
	b[0], b[1] = byte(n[0]>>8), byte(n[0])
	b[2], b[3] = byte(n[1]>>8), byte(n[1])
	b[4], b[5] = byte(n[2]>>8), byte(n[2])
	b[7] = byte(r.IntN(16))
	v := r.Uint64()
	for i := range 8 {
		b[8+i] = byte(v >> (8 * i))
	}
	return netip.AddrFrom16(b)
}

func deviceID(r *rand.Rand) string {
	return fmt.Sprintf("%016x", r.Uint64())
}

// personName invents a private person as a bank statement shows a
// counterparty: the name and the last four digits of the account.
func personName(r *rand.Rand, mk *market) string {
	f, l := pick(r, mk.firstNames), pick(r, mk.lastNames)
	tail := strconv.Itoa(1000 + r.IntN(9000))
	if mk.familyName {
		return l + " " + f + " *" + tail
	}
	return f + " " + l + " *" + tail
}

// cityName fills "%s" in a pattern with the city.
func cityName(pattern, city string) string {
	if strings.Contains(pattern, "%s") {
		return fmt.Sprintf(pattern, city)
	}
	return pattern
}

// plan decides the hard cases and the fraud episode and when they happen.
func (g *gen) plan(r *rand.Rand) {
	p := g.cfg
	span := g.to.Sub(g.from)
	lo := g.from.Add(span / 5)
	hi := g.to.Add(-48 * time.Hour)
	if !lo.Before(hi) {
		lo = g.from
	}
	for k := HardCaseKind(1); k < numHardCases; k++ {
		if !chance(r, p.hardShare) {
			continue
		}
		t := between(r, lo, hi)
		switch k {
		case HardTravelAbroad, HardTravelDomestic:
			tr, ok := g.planTrip(r, k, lo, hi)
			if !ok {
				continue
			}
			g.trips = append(g.trips, tr)
			t = tr.depart
		case HardNewPhone:
			// Not while travelling: a trip is then on the old phone or
			// the new one throughout.
			for try := 0; try < 20 && g.nearTrip(t, 72*time.Hour); try++ {
				t = between(r, lo, hi)
			}
			g.phones = append(g.phones, phoneSpell{from: t, id: deviceID(r), tag: 1 << (k - 1), till: t.Add(14 * 24 * time.Hour)})
		case HardNewRentPayee:
			// Move at the end of a month, rent at the new home from the
			// next, early enough for a rent payment to fall in the period.
			mhi := hi.Add(-40 * 24 * time.Hour)
			if !lo.Before(mhi) {
				continue
			}
			t = between(r, lo, mhi)
			y, m, _ := t.Date()
			mv := time.Date(y, m, 18+r.IntN(10), 10+r.IntN(8), r.IntN(60), 0, 0, g.loc)
			if !mv.After(lo) || !mv.Before(mhi) {
				mv = t
			}
			t = mv
			old := g.homes[0].at
			lat, lon := jitter(r, old.lat, old.lon, 15)
			h := homeSpell{from: t, at: geo{lat, lon}, moveTag: 1 << (k - 1), moveTill: t.Add(14 * 24 * time.Hour)}
			g.newHomeNet(r, &h)
			g.homes = append(g.homes, h)
		}
		g.hard[k] = t
		g.c.HardCases = append(g.c.HardCases, HardCase{Kind: k, Start: t})
	}
}

// planFraud decides whether the customer suffers a fraud episode, of which
// pattern and when: after the first third of their time with the bank,
// away from trips.
func (g *gen) planFraud(r *rand.Rand) {
	p := g.cfg
	if p.fraudShare <= 0 || !chance(r, p.fraudShare) {
		return
	}
	g.episode.pattern = p.patterns[r.IntN(len(p.patterns))]
	span := g.to.Sub(g.from)
	hi := g.to.Add(-48 * time.Hour)
	lo := g.from.Add(span / 3)
	if !lo.Before(hi) {
		lo = g.from.Add(span / 2)
	}
	for range 50 {
		t := between(r, lo, hi)
		if !g.nearTrip(t, 36*time.Hour) {
			g.episode.at = t
			break
		}
	}
	if g.episode.at.IsZero() {
		g.episode.at = between(r, lo, hi)
	}
	g.c.Episodes = append(g.c.Episodes, Episode{Pattern: g.episode.pattern, Start: g.episode.at})
}

// planTrip plans a trip that does not overlap another.
func (g *gen) planTrip(r *rand.Rand, k HardCaseKind, lo, hi time.Time) (trip, bool) {
	mk := g.mk
	var tr trip
	tr.kind = k
	var days int
	if k == HardTravelAbroad {
		w := make([]float64, len(mk.abroad))
		for i, p := range mk.abroad {
			w[i] = p.weight
		}
		tr.dest = &mk.abroad[weighted(r, w)]
		tr.abroad = true
		tr.zone = time.FixedZone(tr.dest.name, tr.dest.offset*3600)
		days = 4 + r.IntN(11)
		tr.carrierAbroad = chance(r, 0.4)
		tr.hotelNet = randNet(r, tr.dest.ip)
	} else {
		var w []float64
		for i := range mk.cities {
			c := &mk.cities[i]
			if c.name == g.city.name || haversine(c.lat, c.lon, g.city.lat, g.city.lon) < 150 {
				w = append(w, 0)
				continue
			}
			w = append(w, c.weight)
		}
		tr.dest = &mk.cities[weighted(r, w)]
		tr.zone = g.loc
		days = 2 + r.IntN(5)
		tr.hotelNet = randNet(r, mk.broadbandIP)
	}
	dist := haversine(g.city.lat, g.city.lon, tr.dest.lat, tr.dest.lon)
	travel := time.Duration((dist/700 + 1.5) * float64(time.Hour))
	if dist < 600 {
		travel = time.Duration((dist/220 + 0.7) * float64(time.Hour))
	}
	latest := hi.Add(-time.Duration(days+1) * 24 * time.Hour)
	for range 20 {
		if !lo.Before(latest) {
			return tr, false
		}
		d := between(r, lo, latest)
		y, m, dd := d.Date()
		tr.depart = time.Date(y, m, dd, 7+r.IntN(12), r.IntN(60), 0, 0, g.loc)
		tr.arrive = tr.depart.Add(travel)
		ay, am, ad := tr.arrive.In(tr.zone).Date()
		tr.leave = time.Date(ay, am, ad+days, 9+r.IntN(11), r.IntN(60), 0, 0, tr.zone).In(g.loc)
		tr.back = tr.leave.Add(travel)
		clash := false
		for _, o := range g.trips {
			if tr.depart.Before(o.back.Add(72*time.Hour)) && o.depart.Before(tr.back.Add(72*time.Hour)) {
				clash = true
			}
		}
		if !clash && tr.back.Before(g.to) {
			g.tripShops(r, &tr)
			return tr, true
		}
	}
	return tr, false
}

// nearTrip reports whether t is within d of a trip.
func (g *gen) nearTrip(t time.Time, d time.Duration) bool {
	for i := range g.trips {
		tr := &g.trips[i]
		if t.After(tr.depart.Add(-d)) && t.Before(tr.back.Add(d)) {
			return true
		}
	}
	return false
}

// tripAt returns the trip under way at t and whether the customer is in
// transit.
func (g *gen) tripAt(t time.Time) (*trip, bool) {
	for i := range g.trips {
		tr := &g.trips[i]
		if !t.Before(tr.depart) && t.Before(tr.back) {
			return tr, t.Before(tr.arrive) || !t.Before(tr.leave)
		}
	}
	return nil, false
}

// homeAt returns the home lived in at t.
func (g *gen) homeAt(t time.Time) *homeSpell {
	h := &g.homes[0]
	for i := 1; i < len(g.homes); i++ {
		if !t.Before(g.homes[i].from) {
			h = &g.homes[i]
		}
	}
	return h
}

// phoneAt returns the phone in use at t.
func (g *gen) phoneAt(t time.Time) *phoneSpell {
	p := &g.phones[0]
	for i := 1; i < len(g.phones); i++ {
		if !t.Before(g.phones[i].from) {
			p = &g.phones[i]
		}
	}
	return p
}
