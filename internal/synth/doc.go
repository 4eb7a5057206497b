// Package synth simulates a retail bank's customers over months: who they
// are, what they earn and pay, where, when and how they bank, and the fraud
// they suffer. It is the data the SDK's tests, benchmarks and examples run
// on, and it writes the SDK's events and customers CSV formats, so a
// simulated population can be replayed like a real export.
//
// # What is simulated
//
// Each customer has a life-cycle stage (student, early career, family
// formation, wealth accumulation, pre-retirement, retired) with matching
// age, occupation, income and household: declared income that is sometimes
// overstated or missing, per-channel marketing consent, a join date, a home
// and a workplace in one of the market's cities.
//
//   - Income: salaries on truthful payroll schedules (a fixed day moved back
//     to Friday at weekends, the last business day, the 15th and the last
//     day, biweekly Fridays), small noise and an occasional bonus month;
//     job changes (a new payer) and job losses; weekly gig payouts of
//     varying amounts; pensions that rise each July; students' allowances
//     from a parent; household money from a spouse; the irregular earnings
//     of the self-employed.
//   - Bills: utilities, telecom, insurance, rent to a landlord,
//     subscriptions, childcare and tuition, support to parents, mortgage,
//     car and consumer loans to this bank (OwnBank) and other lenders, new
//     loans during the period, occasional late or missed repayments. In
//     China automatic debits run on weekends too; in the euro area they
//     move to the next business day.
//   - Habits: per-customer lognormal amounts per category, habitual
//     merchants at fixed places near home or work, habitual hours on
//     workdays and weekends, a channel mix (card at the till, QR code in
//     the app, online in the app or on the web, cash at ATMs or the
//     branch), transfers to a few known payees and now and then to someone
//     new, logins several times a week with favourite app functions, one or
//     two devices, a home broadband network and a mobile carrier's
//     networks, occasional public Wi-Fi.
//
// # Truth
//
// Every Customer carries the truth behind its events: Stage, the Income and
// Bills streams with their schedules (Stream.Next gives the true next date
// a profile's prediction is compared to), the fraud Episodes and the honest
// HardCases, each with the IDs of its events. Fraud events are labelled
// profile.LabelFraud, every other event profile.LabelLegit.
//
// Fraud patterns (Pattern) and what each looks like, so that detection can
// be designed without reading the generator:
//
//   - account_takeover: a new device and an IP network abroad (a fraud
//     origin country or a hosting provider), country abroad (with GPS
//     coordinates for some app logins), app or web, password only (now and
//     then with a phished SMS code), at night in the customer's zone for
//     60%; features balance, payees, sometimes limits, then one to four
//     transfers to one to three new payees within minutes, in total 0.5-3
//     months of income; a second wave the next day for 20%.
//   - sim_swap: a new device on a new mobile (or broadband) network in the
//     home country and city (5-25 km from home), password plus SMS code
//     (strong by factor count) or SMS code only; features security,
//     sometimes limits, payees, transfer; two to six transfers to new
//     payees within about an hour, each 0.3-1.5 months of income, sometimes
//     after a tiny test transfer; evenings and nights for 60%.
//   - app_scam: the customer's own device, network, place and usual
//     authentication (stepping up themselves for large amounts), at their
//     usual hours; one to five transfers to one new payee (a person or an
//     "investment" or "safe account" business; a second payee for 25%),
//     each 0.3-2.5 months of income, minutes or days apart.
//   - card_testing: web purchases with no authentication from the
//     fraudster's device (or none) and network (hosting, abroad or
//     domestic), country only, no coordinates: three to fifteen purchases
//     of at most 5 CNY / 2 EUR at unfamiliar digital merchants seconds to
//     minutes apart, then one to four purchases of 800-8000 CNY (150-1500
//     EUR) at other unfamiliar online merchants minutes to 36 hours later.
//   - cloned_card: a genuine chip purchase at home, then 20 minutes to 4
//     hours later (4-12 hours for 30%) two to six card-present ATM
//     withdrawals (PIN, no chip) and POS purchases (no chip, sometimes PIN)
//     in a city at least 400 km away or abroad.
//
// Honest hard cases (HardCaseKind), all labelled genuine: a trip abroad on
// the usual phone (foreign country, coordinates, hotel Wi-Fi or roaming,
// local hours, card-present spending, cash and fees abroad, some magnetic
// stripe), a domestic trip after a plausible journey, a new phone whose
// first login is strong and which then stays, a large transfer to a known
// payee, a move to a new rented home (deposit and rent to a new landlord,
// a new home place and network), and a large one-off payment to a new
// business.
//
// # Determinism and scale
//
// Customer i depends only on (Seed, i) and the Config: Config.Customer
// generates one customer without the others, so a caller can stream a
// million customers lazily or in parallel. Each part of a life draws from
// its own generator (math/rand/v2 PCG seeded from Seed and i), so changing
// FraudShare changes no honest event (a cloned card adds one genuine
// purchase before it). Generate runs on all cores and returns the same
// bytes every time. A customer-year is about 1,000 events (40-120 a month).
//
// # Quick start
//
//	cs, err := synth.Generate(synth.Config{Seed: 1, Customers: 2000})
//	if err != nil { ... }
//	err = synth.WriteCSV(cs, eventsFile, customersFile)
//
// or from the command line:
//
//	go run ./examples/simulate -customers 2000 -months 12 -seed 1 -events events.csv -customers-out customers.csv
//
// Package synth is internal: it is not part of the SDK's public API.
package synth
