package credit

import (
	"errors"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// Config assembles an Engine.
type Config struct {
	// Application is the application scorecard: the traditional model and
	// the base of every decision (required).
	Application *scorecard.Model
	// Behaviour is an optional behaviour scorecard on profile variables
	// (see ProfileVariables). It needs its training counts
	// (scorecard.Model.TrainRows), which give the prior odds its evidence
	// is measured against. Review and Warn re-score it without an
	// application, so its variables should all come from the profile
	// (application fields and attributes would be missing there).
	Behaviour *scorecard.Model
	// Mapping says how model variables are filled; nil fills every
	// variable from the profile variable or attribute of its name.
	Mapping Mapping
	// Policy is the credit policy; the zero value is the default.
	Policy Policy
	// Builder answers device familiarity. It must be configured like the
	// Builder that built the profiles when they keep keyed hashes of
	// devices (profile.Options.HashKey). nil means profile.NewBuilder(nil),
	// right for profiles that keep raw device IDs.
	Builder *profile.Builder
}

// Engine decides credit applications and monitors loans under one policy
// and one pair of models. It is immutable and safe for concurrent use.
type Engine struct {
	app, beh     *scorecard.Model
	appFill      []filler
	behFill      []filler
	pol          Policy
	builder      *profile.Builder
	appScale     scorecard.Scaling
	behScale     scorecard.Scaling
	behPrior     float64 // ln(goods/bads) of the behaviour model's training sample
	maxAdj       float64
	referOn      map[Code]bool
	denied       map[string]bool
	appID, behID string
	annuities    []annuity // by term, 1..Policy.MaxTermMonths, at the policy rate
	appHasNum    bool
	appHasCat    bool
	behHasNum    bool
	behHasCat    bool
}

// New checks the configuration and returns an Engine. A missing
// application model, a mapping that names unknown variables or sources, a
// source of the wrong kind, or a behaviour model without training counts
// is an error wrapping ErrModel (a *VarError names the variable); a bad
// policy field is a *FieldError wrapping ErrPolicy.
func New(cfg Config) (*Engine, error) {
	if cfg.Application == nil {
		return nil, fieldErr("Config.Application", "", ErrModel)
	}
	pol, err := cfg.Policy.Resolve()
	if err != nil {
		return nil, err
	}
	if err := checkMapping(cfg.Mapping, cfg.Application, cfg.Behaviour); err != nil {
		return nil, err
	}
	e := &Engine{app: cfg.Application, beh: cfg.Behaviour, pol: pol, builder: cfg.Builder}
	if e.builder == nil {
		if e.builder, err = profile.NewBuilder(nil); err != nil {
			return nil, err
		}
	}
	if e.appFill, err = resolve(SourceApplication, e.app, cfg.Mapping); err != nil {
		return nil, err
	}
	e.appScale, e.appID = e.app.Scaling(), e.app.ID()
	e.appHasNum, e.appHasCat = hasKinds(e.app)
	if e.beh != nil {
		if e.behFill, err = resolve(SourceBehaviour, e.beh, cfg.Mapping); err != nil {
			return nil, err
		}
		rows, bads := e.beh.TrainRows()
		if bads <= 0 || bads >= rows {
			return nil, fieldErr("Config.Behaviour", "model has no training counts (rows and bads)", ErrModel)
		}
		e.behPrior = math.Log(float64(rows-bads) / float64(bads))
		e.behScale, e.behID = e.beh.Scaling(), e.beh.ID()
		e.behHasNum, e.behHasCat = hasKinds(e.beh)
	}
	e.maxAdj = pol.MaxBehaviourPoints
	if e.maxAdj == 0 {
		e.maxAdj = 2 * e.appScale.PDO
	}
	e.referOn = make(map[Code]bool, len(pol.ReferOn))
	for _, c := range pol.ReferOn {
		e.referOn[c] = true
	}
	e.annuities = make([]annuity, pol.MaxTermMonths+1)
	for n := 1; n <= pol.MaxTermMonths; n++ {
		e.annuities[n] = newAnnuity(pol.AnnualRate, n)
	}
	e.denied = make(map[string]bool, len(pol.DeniedPurposes))
	for _, p := range pol.DeniedPurposes {
		e.denied[p] = true
	}
	return e, nil
}

func hasKinds(m *scorecard.Model) (num, cat bool) {
	for _, k := range m.Kinds() {
		if k == scorecard.Numeric {
			num = true
		} else {
			cat = true
		}
	}
	return num, cat
}

// Policy returns the resolved policy (every default filled in).
func (e *Engine) Policy() Policy {
	p := e.pol
	p.Bands = slices.Clone(p.Bands)
	p.ReferOn = slices.Clone(p.ReferOn)
	p.DeniedPurposes = slices.Clone(p.DeniedPurposes)
	return p
}

// ApplicationModel returns the application scorecard.
func (e *Engine) ApplicationModel() *scorecard.Model { return e.app }

// BehaviourModel returns the behaviour scorecard, or nil.
func (e *Engine) BehaviourModel() *scorecard.Model { return e.beh }

// Applicant is what the bank knows about an applicant besides the
// application.
type Applicant struct {
	// Profile is the applicant's profile; nil when the bank has none (a
	// new customer): nothing can then be observed or verified and the
	// decision is at best a referral.
	Profile *profile.Profile
	// Contacts are keyed hashes of the contacts on file (the same key as
	// Application.ContactHash); when empty the contact is not checked.
	Contacts []string
}

// shared counts other customers using an application's device or contact
// within a batch.
type shared struct{ device, contact int }

func profileMinor(code string) (int, bool) { return profile.MinorUnits(code) }

// Decide decides one application at now. The profile must belong to the
// applicant (ErrWrongCustomer), be kept in the application's currency
// (ErrCurrency) and hold no event later than now plus five minutes
// (ErrInvalid: a decision must not see the future); an invalid application
// is the *FieldError of Validate;
// an application attribute that a numeric model variable cannot read as a
// number is a *VarError (ErrInvalid). Decide only reads the profile and is
// deterministic: the same application, profile state, contacts and now give
// the same decision.
func (e *Engine) Decide(app *Application, a Applicant, now time.Time) (Decision, error) {
	return e.decide(app, a, now, shared{})
}

func (e *Engine) decide(app *Application, a Applicant, now time.Time, sh shared) (Decision, error) {
	if now.IsZero() {
		return Decision{}, fieldErr("now", "", ErrMissing)
	}
	if err := app.Validate(); err != nil {
		return Decision{}, err
	}
	p := a.Profile
	if p != nil && p.Seq() == 0 && p.CustomerID() == "" {
		p = nil // a zero Profile: nothing known
	}
	if p != nil {
		if p.CustomerID() != app.CustomerID {
			return Decision{}, fieldErr("Applicant.Profile", "profile of another customer", ErrWrongCustomer)
		}
		if c := p.Currency(); c != "" && c != app.Currency {
			return Decision{}, fieldErr("Application.Currency", "not the profile's currency", ErrCurrency)
		}
		if err := checkWatermark(p, now); err != nil {
			return Decision{}, err
		}
	}
	minor, _ := profile.MinorUnits(app.Currency)
	var snap Snapshot
	var income []profile.Stream
	if p != nil {
		snap, income = observe(p, now)
	} else {
		snap = Snapshot{At: now, CustomerID: app.CustomerID, Currency: app.Currency, SalaryDays: -1, DaysSinceLastSession: -1}
	}

	d := Decision{
		ApplicationID: app.ID, CustomerID: app.CustomerID, At: now,
		Currency: app.Currency, Requested: app.Amount, TermMonths: app.TermMonths, AnnualRate: e.pol.AnnualRate,
		ModelID: e.appID, ModelName: e.app.Name(), BehaviourModelID: e.behID, PolicyVersion: e.pol.Version,
	}

	// Scores.
	var reasonBuf [32]scorecard.Reason
	reasons := reasonBuf[:e.pol.ModelReasons]
	res, inputs, err := e.score(SourceApplication, e.app, e.appFill, e.appHasNum, e.appHasCat, app, &snap, reasons)
	if err != nil {
		return Decision{}, err
	}
	d.ApplicationInputs = inputs
	d.ApplicationScore, d.ApplicationPD = res.Score, res.PD
	var modelReasons []Reason
	for _, r := range reasons[:res.Reasons] {
		modelReasons = append(modelReasons, Reason{Code: Code(r.Code), Source: SourceApplication, Var: r.Name, Value: r.Lost})
	}
	d.Score = res.Score
	if e.beh != nil && p != nil {
		bres, binputs, err := e.score(SourceBehaviour, e.beh, e.behFill, e.behHasNum, e.behHasCat, app, &snap, reasons)
		if err != nil {
			return Decision{}, err
		}
		d.BehaviourInputs = binputs
		d.HasBehaviour, d.BehaviourScore, d.BehaviourPD = true, bres.Score, bres.PD
		snap.HasBehaviour, snap.BehaviourScore, snap.BehaviourPD = true, bres.Score, bres.PD
		d.BehaviourPoints = e.adjustment(bres.PD)
		d.Score += d.BehaviourPoints
		for _, r := range reasons[:bres.Reasons] {
			modelReasons = append(modelReasons, Reason{Code: Code(r.Code), Source: SourceBehaviour, Var: r.Name, Value: r.Lost})
		}
	}
	d.PD = e.app.PDFromScore(d.Score)
	d.Snapshot = snap

	// Cross-verification.
	d.Verification = e.verify(app, p, &snap, income, a.Contacts, sh, now)

	// Policy.
	outcome := Approve
	var why []Reason
	worse := func(o Outcome, r Reason) {
		r.Source = SourcePolicy
		why = append(why, r)
		if o > outcome {
			outcome = o
		}
	}
	if app.TermMonths > e.pol.MaxTermMonths {
		worse(Decline, Reason{Code: CodeTermOutOfPolicy, Value: float64(app.TermMonths)})
	}
	if e.denied[app.Purpose] {
		worse(Decline, Reason{Code: CodePurposeDenied})
	}
	if p == nil {
		worse(Refer, Reason{Code: CodeNoProfile})
	}
	switch days := snap.MaxLoanDaysOverdue; {
	case days >= e.pol.DelinquentDays:
		worse(Decline, Reason{Code: CodeDelinquent, Value: float64(days)})
	case days > e.pol.LateGraceDays:
		worse(Refer, Reason{Code: CodeRepaymentLate, Value: float64(days)})
	}
	if snap.IncomeStopped && len(snap.Payers) == 0 {
		worse(Refer, Reason{Code: CodeIncomeStopped})
	}
	switch {
	case d.PD > e.pol.DeclinePD:
		worse(Decline, Reason{Code: CodeScoreDecline, Value: d.PD})
	case d.PD > e.pol.ApprovePD:
		worse(Refer, Reason{Code: CodeScoreRefer, Value: d.PD})
	}
	if d.HasBehaviour && d.BehaviourPoints != 0 {
		c := CodeBehaviourUp
		if d.BehaviourPoints < 0 {
			c = CodeBehaviourDown
		}
		why = append(why, Reason{Code: c, Source: SourcePolicy, Value: d.BehaviourPoints})
	}

	// Limit.
	d.Band, _ = e.band(d.PD)
	observed := snap.Income()
	d.Income = observed
	if dec := app.DeclaredIncome.InexactFloat64(); dec > 0 && dec < d.Income {
		d.Income = dec
	}
	if observed > 0 && snap.MonthlyDebt >= e.pol.MaxDTI*observed {
		worse(Decline, Reason{Code: CodeDTIAboveMax, Value: snap.MonthlyDebt / observed})
	}
	var limit decimal.Decimal
	d.Capacity, d.Affordable, limit = e.limitFor(&snap, d.Income, d.PD, app.TermMonths, int32(minor))
	// Verification signals that refer.
	var signals []Reason
	referred := false
	for _, s := range d.Verification.Signals {
		if s.Severity >= Warning {
			signals = append(signals, Reason{Code: s.Code, Source: SourceVerification, Value: s.Value})
		}
		if e.referOn[s.Code] {
			referred = true
		}
	}
	if referred {
		worse(Refer, Reason{Code: CodeReferSignal})
	}
	if _, share := e.band(d.PD); limit.IsZero() && share > 0 {
		// Income and debt leave no room for an instalment: a decline.
		// Without observed income there is nothing to measure capacity on,
		// and nothing to lend automatically: a referral.
		if observed > 0 {
			worse(Decline, Reason{Code: CodeNoCapacity, Value: d.Capacity.InexactFloat64()})
		} else {
			worse(Refer, Reason{Code: CodeNoCapacity})
		}
	}

	d.Outcome = outcome
	if outcome != Decline {
		d.Limit = limit
		d.Amount = app.Amount
		if d.Amount.Cmp(limit) > 0 {
			d.Amount = limit
			why = append(why, Reason{Code: CodeLimitBelowRequest, Source: SourcePolicy, Value: limit.InexactFloat64()})
		}
		d.Payment = e.annuity(app.TermMonths).payment(d.Amount, int32(minor))
	} else {
		d.Limit, d.Amount, d.Payment = decimal.Zero, decimal.Zero, decimal.Zero
	}
	d.Reasons = append(append(why, signals...), modelReasons...)
	return d, nil
}

// annuity returns the annuity of a term at the policy rate.
func (e *Engine) annuity(months int) annuity {
	if months < len(e.annuities) {
		return e.annuities[months]
	}
	return newAnnuity(e.pol.AnnualRate, months)
}

// clockSkew is how far a profile's latest event may be after now, as
// profile.Options.ClockSkew allows by default.
const clockSkew = 5 * time.Minute

// checkWatermark rejects a profile that holds events after now: a
// decision at now must not see the future (a profile read after later
// events were applied would give another decision than the one made then).
func checkWatermark(p *profile.Profile, now time.Time) error {
	if w := p.Watermark(); w.After(now.Add(clockSkew)) {
		return fieldErr("now", "before the profile's latest event", ErrInvalid)
	}
	return nil
}

// adjustment is the behaviour evidence in application points:
// w × Factor_app × (ln odds_beh − ln prior odds_beh), clipped to ±maxAdj.
func (e *Engine) adjustment(pd float64) float64 {
	pd = math.Min(math.Max(pd, 1e-12), 1-1e-12)
	lr := math.Log((1-pd)/pd) - e.behPrior
	adj := e.pol.BehaviourWeight * e.appScale.Factor * lr
	adj = math.Max(-e.maxAdj, math.Min(e.maxAdj, adj))
	// Points are reported to 1e-9, so that tiny float differences between
	// platforms cannot change a decision at a cut-off.
	return math.Round(adj*1e9) / 1e9
}

// band returns the score band of a decision PD and its limit share.
func (e *Engine) band(pd float64) (string, float64) {
	for _, b := range e.pol.Bands {
		if pd <= b.MaxPD {
			return b.Name, b.Share
		}
	}
	return "", 0
}

// score fills and scores one model.
func (e *Engine) score(role string, m *scorecard.Model, fs []filler, hasNum, hasCat bool, app *Application, s *Snapshot, reasons []scorecard.Reason) (scorecard.Result, []Input, error) {
	num, cat := make([]float64, len(fs)), make([]string, len(fs))
	var row scorecard.Row
	if hasNum {
		row.Num = num
	}
	if hasCat {
		row.Cat = cat
	}
	if err := fill(role, fs, app, s, num, cat); err != nil {
		return scorecard.Result{}, nil, err
	}
	res, err := m.Score(row, reasons)
	if err != nil {
		ve := &VarError{Model: role, Reason: "scoring failed", Err: err}
		var se *scorecard.VarError
		if errors.As(err, &se) {
			ve.Var = se.Var
		}
		return scorecard.Result{}, nil, ve
	}
	inputs := make([]Input, len(fs))
	for j := range fs {
		in := Input{Name: fs[j].name}
		if fs[j].kind == scorecard.Numeric {
			if math.IsNaN(num[j]) {
				in.Missing = true
			} else {
				in.Num = num[j]
			}
		} else {
			in.Category = true
			in.Cat = cat[j]
			in.Missing = cat[j] == ""
		}
		inputs[j] = in
	}
	return res, inputs, nil
}
