package credit

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// Comparison is a champion/challenger run: the same applications decided
// by two engines side by side. Only the champion's decisions count; the
// challenger's are recorded to see what it would have done.
type Comparison struct {
	// Compared counts applications both engines decided; Failed those
	// where either failed (they are left out of every other figure).
	Compared int `json:"compared"`
	Failed   int `json:"failed"`
	// Agree counts the same outcome from both; Agreement is Agree/Compared.
	Agree     int     `json:"agree"`
	Agreement float64 `json:"agreement"`
	// SwapIn counts applications the challenger approves and the champion
	// does not (refers or declines); SwapOut those the champion approves
	// and the challenger does not: the swap set of a scorecard change
	// (swap-set analysis, Siddiqi 2006, "Credit Risk Scorecards").
	SwapIn  int `json:"swap_in"`
	SwapOut int `json:"swap_out"`
	// Matrix counts applications by champion outcome (row) and challenger
	// outcome (column), in the order approve, refer, decline.
	Matrix     [3][3]int     `json:"matrix"`
	Champion   EngineSummary `json:"champion"`
	Challenger EngineSummary `json:"challenger"`
	// Pairs has one entry per input application, in input order.
	Pairs []Pair `json:"pairs"`
}

// EngineSummary sums one engine's decisions in a comparison.
type EngineSummary struct {
	ModelID          string          `json:"model_id"`
	BehaviourModelID string          `json:"behaviour_model_id,omitempty"`
	PolicyVersion    string          `json:"policy_version"`
	Approve          int             `json:"approve"`
	Refer            int             `json:"refer"`
	Decline          int             `json:"decline"`
	ApprovalRate     float64         `json:"approval_rate"`
	MeanPD           float64         `json:"mean_pd"`
	Offered          decimal.Decimal `json:"offered"` // sum of Amount over approvals
}

// Pair is one application's two decisions in brief.
type Pair struct {
	ApplicationID     string          `json:"application_id"`
	Champion          Outcome         `json:"champion"` // 0 when it failed
	Challenger        Outcome         `json:"challenger"`
	ChampionPD        float64         `json:"champion_pd"`
	ChallengerPD      float64         `json:"challenger_pd"`
	ChampionAmount    decimal.Decimal `json:"champion_amount"`
	ChallengerAmount  decimal.Decimal `json:"challenger_amount"`
	ChallengerFailure string          `json:"challenger_failure,omitempty"` // the challenger's error, when only it failed
}

// Compare decides apps with the champion exactly as champion.DecideBatch
// does, and with the challenger on the same applicant data (one lookup per
// application), and returns the champion's results (the decisions that
// count, unaffected by the challenger) with the comparison. Cancellation
// and per-item errors are handled as in DecideBatch.
func Compare(ctx context.Context, champion, challenger *Engine, apps []Application, profiles Profiles, now time.Time, opts *BatchOptions) ([]Result, *Comparison, error) {
	if champion == nil || challenger == nil {
		return nil, nil, fieldErr("engine", "need a champion and a challenger", ErrMissing)
	}
	var o BatchOptions
	if opts != nil {
		o = *opts
	}
	out := make([]Result, len(apps))
	shadow := make([]Result, len(apps))
	if profiles == nil {
		return out, nil, fieldErr("profiles", "", ErrMissing)
	}
	if o.Workers < 0 {
		return out, nil, fieldErr("BatchOptions.Workers", "must not be negative", ErrInvalid)
	}
	var sh []shared
	if !o.NoSharedCheck {
		sh = sharedUse(apps)
	}
	book, _ := profiles.(ContactBook)
	err := run(ctx, len(apps), o.Workers, func(ctx context.Context, i int) {
		a := &apps[i]
		var s shared
		if sh != nil {
			s = sh[i]
		}
		fail := func(r *Result, err error) { r.Err = &ItemError{Index: i, ID: safeID(a.ID), Err: err} }
		ap, err := lookup(ctx, a, profiles, book)
		if err != nil {
			fail(&out[i], err)
			fail(&shadow[i], err)
			return
		}
		if d, err := champion.decide(a, ap, now, s); err != nil {
			fail(&out[i], err)
		} else {
			out[i].Decision = d
		}
		if d, err := challenger.decide(a, ap, now, s); err != nil {
			fail(&shadow[i], err)
		} else {
			shadow[i].Decision = d
		}
	}, func(i int, err error) {
		out[i].Err = &ItemError{Index: i, ID: safeID(apps[i].ID), Err: err}
		shadow[i].Err = out[i].Err
	})
	c := summarize(champion, challenger, apps, out, shadow)
	return out, c, err
}

func summarize(champion, challenger *Engine, apps []Application, out, shadow []Result) *Comparison {
	c := &Comparison{Pairs: make([]Pair, len(apps))}
	c.Champion = EngineSummary{ModelID: champion.appID, BehaviourModelID: champion.behID, PolicyVersion: champion.pol.Version, Offered: decimal.Zero}
	c.Challenger = EngineSummary{ModelID: challenger.appID, BehaviourModelID: challenger.behID, PolicyVersion: challenger.pol.Version, Offered: decimal.Zero}
	count := func(s *EngineSummary, d *Decision) {
		switch d.Outcome {
		case Approve:
			s.Approve++
			s.Offered = s.Offered.Add(d.Amount)
		case Refer:
			s.Refer++
		case Decline:
			s.Decline++
		}
		s.MeanPD += d.PD
	}
	for i := range apps {
		p := &c.Pairs[i]
		p.ApplicationID = safeID(apps[i].ID)
		if out[i].Err == nil {
			d := &out[i].Decision
			p.Champion, p.ChampionPD, p.ChampionAmount = d.Outcome, d.PD, d.Amount
		}
		if shadow[i].Err == nil {
			d := &shadow[i].Decision
			p.Challenger, p.ChallengerPD, p.ChallengerAmount = d.Outcome, d.PD, d.Amount
		} else if out[i].Err == nil {
			p.ChallengerFailure = trimPrefix(shadow[i].Err)
		}
		if out[i].Err != nil || shadow[i].Err != nil {
			c.Failed++
			continue
		}
		a, b := &out[i].Decision, &shadow[i].Decision
		c.Compared++
		count(&c.Champion, a)
		count(&c.Challenger, b)
		c.Matrix[a.Outcome-1][b.Outcome-1]++
		switch {
		case a.Outcome == b.Outcome:
			c.Agree++
		case b.Outcome == Approve:
			c.SwapIn++
		case a.Outcome == Approve:
			c.SwapOut++
		}
	}
	if c.Compared > 0 {
		n := float64(c.Compared)
		c.Agreement = float64(c.Agree) / n
		for _, s := range []*EngineSummary{&c.Champion, &c.Challenger} {
			s.ApprovalRate = float64(s.Approve) / n
			s.MeanPD /= n
		}
	}
	return c
}
