package credit

import (
	"math"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// verify compares the application with the profile. p may be nil (no
// profile); income holds the profile's income streams at now.
func (e *Engine) verify(app *Application, p *profile.Profile, s *Snapshot, income []profile.Stream, contacts []string, sh shared, now time.Time) Verification {
	var v Verification
	vp := &e.pol.Verification
	add := func(c Code, sev Severity, val float64) {
		v.Signals = append(v.Signals, Signal{Code: c, Severity: sev, Value: val})
	}

	// Income: declared against observed, in ratio bands.
	declared := app.DeclaredIncome.InexactFloat64()
	switch observed := s.Income(); {
	case observed <= 0:
		add(CodeIncomeNotObserved, Critical, 0)
		if declared <= 0 {
			add(CodeIncomeNotDeclared, Info, 0)
		}
	case declared <= 0:
		add(CodeIncomeNotDeclared, Info, 0)
	default:
		r := declared / observed
		v.IncomeRatio = r
		switch {
		case r > vp.IncomeOverstated:
			add(CodeIncomeOverstated, Critical, r)
		case r > vp.IncomeTolerance:
			add(CodeIncomeAboveObserved, Warning, r)
		case r < vp.IncomeUnderstated:
			add(CodeIncomeBelowObserved, Info, r)
		default:
			add(CodeIncomeVerified, Info, r)
		}
	}

	// Employer: the declared employer against salary payers, live first.
	if app.Employer == "" {
		add(CodeEmployerNotDeclared, Info, 0)
	} else {
		emp := nameTokens(app.Employer)
		live, former := NameUnknown, NameUnknown
		salaries := 0
		for i := range income {
			st := &income[i]
			if st.Kind != profile.KindSalary {
				continue
			}
			salaries++
			m := compareTokens(emp, nameTokens(st.Counterparty), vp.EmployerSimilarity)
			if st.Status == profile.StatusStopped {
				former = max(former, m)
			} else {
				live = max(live, m)
			}
		}
		switch {
		case salaries == 0 || len(emp) == 0:
			add(CodeEmployerNotObserved, Info, 0)
		case live == NameExact:
			v.Employer = NameExact
			add(CodeEmployerMatch, Info, 0)
		case live == NamePartial:
			v.Employer = NamePartial
			add(CodeEmployerPartial, Info, 0)
		case former >= NamePartial:
			v.Employer = NameMismatch
			add(CodeEmployerFormer, Warning, 0)
		default:
			v.Employer = NameMismatch
			add(CodeEmployerMismatch, Critical, 0)
		}
	}

	// Device: known to the profile, and for how long.
	switch {
	case app.DeviceID == "":
		add(CodeDeviceNotProvided, Info, 0)
	default:
		var nov profile.Novelty
		if p != nil {
			ev := profile.Event{Type: profile.TypeSession, CustomerID: app.CustomerID, Time: now, DeviceID: app.DeviceID}
			nov = e.builder.Familiarity(p, &ev).Device
		}
		switch {
		case !nov.Known:
			add(CodeDeviceNew, Critical, 0)
		default:
			v.DeviceKnown = true
			days := 0.0
			if !nov.First.IsZero() {
				days = math.Max(0, now.Sub(nov.First).Hours()/24)
			}
			v.DeviceDays = days
			if days < float64(vp.DeviceMinDays) {
				add(CodeDeviceRecent, Warning, days)
			} else {
				add(CodeDeviceKnown, Info, days)
			}
		}
		if sh.device > 0 {
			add(CodeDeviceShared, Critical, float64(sh.device))
		}
	}

	// Contact: against the contacts on file.
	switch {
	case app.ContactHash == "" || len(contacts) == 0:
		add(CodeContactNotChecked, Info, 0)
	default:
		v.ContactChecked = true
		for _, c := range contacts {
			if c == app.ContactHash {
				v.ContactOnFile = true
				break
			}
		}
		if v.ContactOnFile {
			add(CodeContactMatch, Info, 0)
		} else {
			add(CodeContactMismatch, Critical, 0)
		}
	}
	if app.ContactHash != "" && sh.contact > 0 {
		add(CodeContactShared, Critical, float64(sh.contact))
	}
	return v
}
