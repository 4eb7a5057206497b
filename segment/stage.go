package segment

import (
	"fmt"
	"math"
	"strings"
)

// Stage is a customer's financial life-cycle stage.
type Stage uint8

// Life-cycle stages, youngest first. The zero value is StageUnknown: no
// attribute or behaviour said anything about the customer's stage.
const (
	StageUnknown            Stage = iota // no evidence
	StageStudent                         // in education, supported by family or allowances
	StageEarlyCareer                     // first salaried years
	StageFamilyFormation                 // household, children, home and car purchase
	StageWealthAccumulation              // peak earning and saving, mid-life
	StagePreRetirement                   // the decade or so before retirement
	StageRetired                         // living on pensions and savings
	numStages
)

// NumStages is one more than the largest Stage, for arrays indexed by Stage.
const NumStages = int(numStages)

var stageNames = [...]string{
	StageUnknown: "unknown", StageStudent: "student", StageEarlyCareer: "early_career",
	StageFamilyFormation: "family_formation", StageWealthAccumulation: "wealth_accumulation",
	StagePreRetirement: "pre_retirement", StageRetired: "retired",
}

// String returns the stage's name: "student", "early_career",
// "family_formation", "wealth_accumulation", "pre_retirement", "retired",
// or "unknown".
func (s Stage) String() string {
	if s < numStages {
		return stageNames[s]
	}
	return "invalid"
}

// ParseStage parses a stage name as String spells it.
func ParseStage(name string) (Stage, error) {
	for i, n := range stageNames {
		if n == name {
			return Stage(i), nil
		}
	}
	return 0, optErr("stage", "unknown stage name")
}

// Stages returns the known stages, youngest first (StageUnknown excluded).
func Stages() []Stage {
	return []Stage{StageStudent, StageEarlyCareer, StageFamilyFormation, StageWealthAccumulation,
		StagePreRetirement, StageRetired}
}

// ProductFamily is the family of products a bank leads with for a stage.
type ProductFamily uint8

// Product families. FamilyNone is the zero value: no family (the stage is
// unknown).
const (
	FamilyNone     ProductFamily = iota // no lead product family
	FamilyPayments                      // accounts, cards, wallets, transfers
	FamilyCredit                        // credit cards, consumer, car and home loans
	FamilyWealth                        // deposits, funds, insurance, pensions
	numFamilies
)

var familyNames = [...]string{FamilyNone: "none", FamilyPayments: "payments", FamilyCredit: "credit", FamilyWealth: "wealth"}

// String returns "payments", "credit", "wealth" or "none".
func (f ProductFamily) String() string {
	if f < numFamilies {
		return familyNames[f]
	}
	return "invalid"
}

// ParseFamily parses a product family name as String spells it.
func ParseFamily(name string) (ProductFamily, error) {
	for i, n := range familyNames {
		if n == name {
			return ProductFamily(i), nil
		}
	}
	return 0, optErr("family", "unknown product family name")
}

// AgeBand is the age range [Min, Max) in whole years typical of a stage.
// Max may be +Inf.
type AgeBand struct{ Min, Max float64 }

// DefaultAgeBand returns the default age band of stage s:
//
//	student               [0, 25)    education, before full-time work
//	early_career          [22, 30)   starting out: the 20s
//	family_formation      [30, 40)   family building and mid-career: the 30s
//	wealth_accumulation   [40, 50)   peak earning and accumulation
//	pre_retirement        [50, 65)   the 50s to early 60s
//	retired               [65, +Inf) from the normal pension age
//
// The stages are the financial stages of life that financial planners
// use — education, early career, career development and family, peak
// accumulation, pre-retirement, retirement (the CFA Institute's
// private-wealth curriculum lists education, early career, career
// development, peak accumulation, preretirement, early and late
// retirement) — with their usual ages: early career in the 20s to early
// 30s, family building in the 30s to 40s, peak earning and pre-retirement
// in the 50s to early 60s, retirement from the mid-60s. They rest on
// Modigliani and Brumberg's life-cycle hypothesis ("Utility analysis and
// the consumption function", 1954; see Deaton, "Franco Modigliani and the
// life cycle theory of consumption", 2005): people borrow when young,
// accumulate through their working years with wealth peaking just before
// retirement, and draw it down in retirement, hence the product families
// of DefaultFamily. 65 is about the OECD's average normal retirement age
// (64.4 for men retiring in 2022, rising to 66.3: OECD, Pensions at a
// Glance 2023); banks in markets with earlier pension ages (China's 60,
// say) should move the bands (LifecycleOptions.Bands), although pension
// credits and a recorded occupation of retired already outweigh age. The
// student and early-career bands overlap on purpose: at 22–24 behaviour
// decides.
func DefaultAgeBand(s Stage) AgeBand {
	switch s {
	case StageStudent:
		return AgeBand{0, 25}
	case StageEarlyCareer:
		return AgeBand{22, 30}
	case StageFamilyFormation:
		return AgeBand{30, 40}
	case StageWealthAccumulation:
		return AgeBand{40, 50}
	case StagePreRetirement:
		return AgeBand{50, 65}
	case StageRetired:
		return AgeBand{65, math.Inf(1)}
	}
	return AgeBand{}
}

// DefaultFamily returns the product family a bank leads with at stage s:
// payments for students; credit for those starting a career or a family
// (the life-cycle hypothesis's borrowing years); wealth for mid-life
// accumulation, pre-retirement and retirement; FamilyNone when unknown.
func DefaultFamily(s Stage) ProductFamily {
	switch s {
	case StageStudent:
		return FamilyPayments
	case StageEarlyCareer, StageFamilyFormation:
		return FamilyCredit
	case StageWealthAccumulation, StagePreRetirement, StageRetired:
		return FamilyWealth
	}
	return FamilyNone
}

// Weights are the points each piece of evidence adds to the stages it
// supports. A stage's score is the sum of its points; the assigned stage
// is the highest score (ties go to the younger stage) and its confidence
// is its softmax share exp(score)/Σ exp(score) over the six stages, so
// points act as log-odds. A weight of zero ignores that evidence.
type Weights struct {
	// Age: points for an age inside a stage's AgeBand. Outside the band
	// the points fade linearly to zero over AgeSoftness years.
	Age         float64
	AgeSoftness float64
	// Occupation: points for a recorded occupation of student (student)
	// or retired (retired).
	Occupation float64
	// Pension: points to retired for live pension credits.
	Pension float64
	// Salary: points to each working stage (early career, family
	// formation, wealth accumulation, pre-retirement) for a live salary
	// (profile.Features.SalaryDays >= 0).
	Salary float64
	// SalaryStarted: points to early career for a salary that began
	// (Features.SalaryDays) recently after a salary-less history: the
	// start of a career.
	SalaryStarted float64
	// Education: points to student, family formation and wealth
	// accumulation for spending on education (own tuition or children's
	// schooling; age decides which).
	Education float64
	// Childcare: points to family formation for spending on child care.
	Childcare float64
	// Loans: points to early career and family formation for live loan
	// repayments (mortgage, car or consumer loan).
	Loans float64
	// Wealth: points to wealth accumulation, pre-retirement and retired
	// for using the app's wealth functions.
	Wealth float64
}

// DefaultWeights returns the default weights: Age 3 (fading over 3 years),
// Occupation 3, Pension 4, Salary 1, SalaryStarted 1.5, Education 1.5,
// Childcare 2, Loans 1, Wealth 1. Attributes (age, a recorded occupation,
// pension credits) weigh most because they define the stages; behaviours
// that several stages share weigh least. They are principled round
// numbers, not fitted to any data set.
func DefaultWeights() Weights {
	return Weights{Age: 3, AgeSoftness: 3, Occupation: 3, Pension: 4, Salary: 1, SalaryStarted: 1.5,
		Education: 1.5, Childcare: 2, Loans: 1, Wealth: 1}
}

// LifecycleOptions configures lifecycle staging. The zero value (or nil)
// is the documented default for every field.
type LifecycleOptions struct {
	// Bands are the age bands indexed by Stage (index 0 unused); a zero
	// AgeBand means DefaultAgeBand.
	Bands [NumStages]AgeBand
	// Families map stages to product families, indexed by Stage; a zero
	// entry means DefaultFamily. Index 0 (unknown) is always FamilyNone.
	Families [NumStages]ProductFamily
	// Weights are the evidence points; nil means DefaultWeights().
	Weights *Weights
	// StudentOccupations and RetiredOccupations are the recorded
	// occupations (case-insensitive) that count as evidence; nil means
	// {"student"} and {"retired", "pensioner"}.
	StudentOccupations []string
	RetiredOccupations []string
	// WealthUseMin is the share of app use on wealth functions
	// (Input.WealthUse) from which it counts as evidence; 0 means 0.10.
	WealthUseMin float64
	// SalaryStartedDays is how recent a salary's start must be to count
	// as the start of a career; 0 means 365 days. The profile must also
	// have seen the customer at least 60 days before the salary began,
	// with no matured income stream stopped since.
	SalaryStartedDays float64
	// MinSpend is the monthly spending rate on education or child care
	// above which it counts as evidence; 0 means any positive rate.
	MinSpend float64
}

// evidence kinds, in the order reasons are listed.
const (
	evAge = iota
	evOccupation
	evPension
	evSalary
	evSalaryStarted
	evEducation
	evChildcare
	evLoans
	evWealth
	numEvidence
)

var evidenceCodes = [numEvidence]string{
	evAge: "age_band", evOccupation: "occupation", evPension: "pension_income", evSalary: "salary_income",
	evSalaryStarted: "salary_started", evEducation: "education_spend", evChildcare: "childcare_spend",
	evLoans: "loan_repayments", evWealth: "wealth_use",
}

// lifecycle is resolved LifecycleOptions, ready for the hot path.
type lifecycle struct {
	bands    [NumStages]AgeBand
	families [NumStages]ProductFamily
	w        Weights
	points   [numEvidence][NumStages]float64 // weight × support of each evidence for each stage
	reasons  [numEvidence][NumStages]Reason  // reason shown for evidence e supporting stage s
	student  []string
	retired  []string
	wealth   float64
	started  float64
	minSpend float64
	unknown  Reason
}

func newLifecycle(o *LifecycleOptions) (*lifecycle, error) {
	var opts LifecycleOptions
	if o != nil {
		opts = *o
	}
	l := &lifecycle{w: DefaultWeights(), wealth: 0.10, started: 365}
	if opts.Weights != nil {
		l.w = *opts.Weights
	}
	for _, v := range []struct {
		name string
		v    float64
	}{
		{"Age", l.w.Age}, {"AgeSoftness", l.w.AgeSoftness}, {"Occupation", l.w.Occupation},
		{"Pension", l.w.Pension}, {"Salary", l.w.Salary}, {"SalaryStarted", l.w.SalaryStarted},
		{"Education", l.w.Education}, {"Childcare", l.w.Childcare}, {"Loans", l.w.Loans}, {"Wealth", l.w.Wealth},
	} {
		if math.IsNaN(v.v) || math.IsInf(v.v, 0) || v.v < 0 || v.v > 100 {
			return nil, optErr("LifecycleOptions.Weights."+v.name, "not in [0, 100]")
		}
	}
	for s := StageStudent; s < numStages; s++ {
		b := opts.Bands[s]
		if b == (AgeBand{}) {
			b = DefaultAgeBand(s)
		}
		if math.IsNaN(b.Min) || math.IsNaN(b.Max) || b.Min < 0 || math.IsInf(b.Min, 0) || b.Max <= b.Min {
			return nil, optErr(fmt.Sprintf("LifecycleOptions.Bands[%s]", s), "want 0 <= Min < Max")
		}
		l.bands[s] = b
		f := opts.Families[s]
		if f == FamilyNone {
			f = DefaultFamily(s)
		}
		if f >= numFamilies {
			return nil, optErr(fmt.Sprintf("LifecycleOptions.Families[%s]", s), "unknown product family")
		}
		l.families[s] = f
	}
	if opts.Families[StageUnknown] != FamilyNone {
		return nil, optErr("LifecycleOptions.Families[unknown]", "must be FamilyNone")
	}
	l.student, l.retired = []string{"student"}, []string{"retired", "pensioner"}
	if opts.StudentOccupations != nil {
		l.student = append([]string(nil), opts.StudentOccupations...)
	}
	if opts.RetiredOccupations != nil {
		l.retired = append([]string(nil), opts.RetiredOccupations...)
	}
	for name, v := range map[string]*float64{"WealthUseMin": &opts.WealthUseMin, "SalaryStartedDays": &opts.SalaryStartedDays, "MinSpend": &opts.MinSpend} {
		if math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0 {
			return nil, optErr("LifecycleOptions."+name, "NaN, infinite or negative")
		}
	}
	if opts.WealthUseMin > 1 {
		return nil, optErr("LifecycleOptions.WealthUseMin", "greater than 1")
	}
	if opts.WealthUseMin > 0 {
		l.wealth = opts.WealthUseMin
	}
	if opts.SalaryStartedDays > 0 {
		l.started = opts.SalaryStartedDays
	}
	l.minSpend = opts.MinSpend

	support := func(e int, w float64, detail string, stages ...Stage) {
		for _, s := range stages {
			l.points[e][s] = w
			l.reasons[e][s] = Reason{Code: evidenceCodes[e], Detail: detail}
		}
	}
	for s := StageStudent; s < numStages; s++ {
		b := l.bands[s]
		hi := "+Inf"
		if !math.IsInf(b.Max, 1) {
			hi = fmt.Sprintf("%g", b.Max)
		}
		support(evAge, l.w.Age, fmt.Sprintf("age near the %s band [%g, %s) years", s, b.Min, hi), s)
	}
	l.points[evOccupation][StageStudent] = l.w.Occupation
	l.reasons[evOccupation][StageStudent] = Reason{Code: evidenceCodes[evOccupation], Detail: "occupation recorded as student"}
	l.points[evOccupation][StageRetired] = l.w.Occupation
	l.reasons[evOccupation][StageRetired] = Reason{Code: evidenceCodes[evOccupation], Detail: "occupation recorded as retired"}
	support(evPension, l.w.Pension, "live pension credits", StageRetired)
	support(evSalary, l.w.Salary, "live salary credits", StageEarlyCareer, StageFamilyFormation, StageWealthAccumulation, StagePreRetirement)
	support(evSalaryStarted, l.w.SalaryStarted, fmt.Sprintf("first salary began within the last %g days", l.started), StageEarlyCareer)
	support(evEducation, l.w.Education, "spending on education (tuition, schooling)", StageStudent, StageFamilyFormation, StageWealthAccumulation)
	support(evChildcare, l.w.Childcare, "spending on child care", StageFamilyFormation)
	support(evLoans, l.w.Loans, "live loan repayments (mortgage, car or consumer loan)", StageEarlyCareer, StageFamilyFormation)
	support(evWealth, l.w.Wealth, fmt.Sprintf("at least %g%% of app use on wealth functions", 100*l.wealth), StageWealthAccumulation, StagePreRetirement, StageRetired)
	l.unknown = Reason{Code: "no_evidence", Detail: "no age, occupation or life-stage behaviour known"}
	return l, nil
}

// describe returns a canonical text of the resolved options, for versions.
func (l *lifecycle) describe() string {
	return fmt.Sprintf("lifecycle{bands=%v families=%v w=%+v student=%q retired=%q wealth=%g started=%g minspend=%g}",
		l.bands, l.families, l.w, l.student, l.retired, l.wealth, l.started, l.minSpend)
}

// anyFold reports whether s equals one of list, ignoring case.
func anyFold(s string, list []string) bool {
	if s == "" {
		return false
	}
	for _, x := range list {
		if strings.EqualFold(s, x) {
			return true
		}
	}
	return false
}

// classify returns the stage of in, its confidence, and the evidence that
// supported it appended to ev. It does not allocate when ev has room.
func (l *lifecycle) classify(in *Input, ev []Reason) (Stage, float64, []Reason) {
	f := &in.Profile
	var present [numEvidence]bool
	var ageFade [NumStages]float64
	var score [NumStages]float64
	if f.AgeYears > 0 && l.w.Age > 0 {
		for s := StageStudent; s < numStages; s++ {
			b := l.bands[s]
			d := 0.0
			switch {
			case f.AgeYears < b.Min:
				d = b.Min - f.AgeYears
			case f.AgeYears >= b.Max:
				d = f.AgeYears - b.Max + 1
			}
			switch {
			case d == 0:
				ageFade[s] = 1
			case d < l.w.AgeSoftness:
				ageFade[s] = 1 - d/l.w.AgeSoftness
			}
			score[s] += l.w.Age * ageFade[s]
		}
		present[evAge] = true
	}
	occ := StageUnknown // the stage a recorded occupation supports
	switch {
	case anyFold(f.Occupation, l.student):
		occ = StageStudent
	case anyFold(f.Occupation, l.retired):
		occ = StageRetired
	}
	if occ != StageUnknown {
		score[occ] += l.points[evOccupation][occ]
	}
	// Features.SalaryDays dates the longest-running live salary stream
	// (pensions have PensionDays).
	salary := f.SalaryDays >= 0
	present[evPension] = f.PensionIncome
	present[evSalary] = salary
	present[evSalaryStarted] = salary && f.SalaryDays <= l.started && f.HistoryDays-f.SalaryDays >= 60 && !f.IncomeStopped
	present[evEducation] = f.Spend.Education > l.minSpend
	present[evChildcare] = f.Spend.Childcare > l.minSpend
	present[evLoans] = f.Loans > 0
	present[evWealth] = in.WealthUse >= l.wealth && in.WealthUse > 0
	for e := evPension; e < numEvidence; e++ {
		if !present[e] {
			continue
		}
		for s := StageStudent; s < numStages; s++ {
			score[s] += l.points[e][s]
		}
	}
	best := StageStudent
	for s := StageEarlyCareer; s < numStages; s++ {
		if score[s] > score[best] {
			best = s
		}
	}
	if score[best] <= 0 {
		return StageUnknown, 0, append(ev, l.unknown)
	}
	// Softmax share of the best stage. Scores are sums of a few weights,
	// so many stages tie: each distinct difference is exponentiated once.
	var sum float64
	var seenD [NumStages]float64
	var seenE [NumStages]float64
	nseen := 0
next:
	for s := StageStudent; s < numStages; s++ {
		d := score[s] - score[best]
		if d == 0 {
			sum++
			continue
		}
		for k := range nseen {
			if seenD[k] == d {
				sum += seenE[k]
				continue next
			}
		}
		e := math.Exp(d)
		seenD[nseen], seenE[nseen] = d, e
		nseen++
		sum += e
	}
	conf := 1 / sum
	if present[evAge] && ageFade[best] > 0 {
		ev = append(ev, l.reasons[evAge][best])
	}
	if occ == best && l.points[evOccupation][best] > 0 {
		ev = append(ev, l.reasons[evOccupation][best])
	}
	for e := evPension; e < numEvidence; e++ {
		if present[e] && l.points[e][best] > 0 {
			ev = append(ev, l.reasons[e][best])
		}
	}
	return best, conf, ev
}
