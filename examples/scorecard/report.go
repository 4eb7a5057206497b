package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// strength is Siddiqi's (2006, ch. 6) reading of an information value.
func strength(iv float64) string {
	switch {
	case iv < 0.02:
		return "unpredictive"
	case iv < 0.1:
		return "weak"
	case iv < 0.3:
		return "medium"
	case iv < 0.5:
		return "strong"
	}
	return "very strong (check for leakage)"
}

// stability is the usual reading of a PSI or CSI.
func stability(psi float64) string {
	switch {
	case psi < 0.1:
		return "stable"
	case psi < 0.25:
		return "moderate shift, review"
	}
	return "significant shift"
}

func pct(num, den int) string {
	if den == 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(num)/float64(den), 'f', 1, 64) + "%"
}

func section(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("-", len(title)))
}

// tableWriter collects tab-separated rows and prints them with the first
// column left-aligned and the others right-aligned (numbers line up).
type tableWriter struct {
	w      io.Writer
	indent string
	align  string // per column 'l' or 'r'; missing columns: first 'l', others 'r'
	rows   [][]string
}

func table(w io.Writer) *tableWriter { return &tableWriter{w: w} }

// Write takes one or more lines of tab-separated cells (a trailing tab is
// ignored), so fmt.Fprintf works on a table.
func (t *tableWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		line = strings.TrimSuffix(line, "\t")
		t.rows = append(t.rows, strings.Split(line, "\t"))
	}
	return len(p), nil
}

// Flush prints the collected rows.
func (t *tableWriter) Flush() {
	var width []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		b.WriteString(t.indent)
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			left := i == 0
			if i < len(t.align) {
				left = t.align[i] == 'l'
			}
			if i > 0 {
				b.WriteString("  ")
			}
			if left {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		fmt.Fprintln(t.w, strings.TrimRight(b.String(), " "))
	}
	t.rows = nil
}

func (o *outcome) writeReport(w io.Writer) {
	m := o.model
	fmt.Fprintln(w, "CREDIT SCORECARD REPORT")
	fmt.Fprintln(w, "=======================")

	section(w, "Data")
	trainBad := countTrue(o.train.Bad)
	testBad := countTrue(o.test.Bad)
	fmt.Fprintf(w, "target              %s (bad = %q, good = %q)\n", o.train.Target, o.train.BadLabel, o.train.GoodLabel)
	fmt.Fprintf(w, "training rows       %d (%d bad, %s) from %s\n", o.train.Rows(), trainBad, pct(trainBad, o.train.Rows()), filepath.Base(o.cfg.train))
	if o.cfg.test != "" {
		fmt.Fprintf(w, "test rows           %d (%d bad, %s) from %s\n", o.test.Rows(), testBad, pct(testBad, o.test.Rows()), filepath.Base(o.cfg.test))
	} else {
		fmt.Fprintf(w, "test rows           %d (%d bad, %s): stratified %.0f%% hold-out, seed %d\n", o.test.Rows(), testBad, pct(testBad, o.test.Rows()), 100*o.cfg.testFraction, o.cfg.seed)
	}
	if len(o.cfg.special) > 0 {
		fmt.Fprintf(w, "special codes       %v (own bins in numeric columns)\n", o.cfg.special)
	}
	fmt.Fprintf(w, "model               %d variables, ID %s, fitted in %.3f s\n", m.NumVars(), m.ID(), o.fitSeconds)

	section(w, "Candidate variables by information value")
	cands := slices.Clone(o.report.Candidates)
	slices.SortStableFunc(cands, func(a, b scorecard.Candidate) int { return cmp.Compare(b.IV, a.IV) })
	tw := table(w)
	tw.align = "llrll"
	fmt.Fprintln(tw, "variable\tkind\tIV\tpredictive power\tdecision\t")
	for _, c := range cands {
		iv, power := "-", "-"
		if c.Binning != nil {
			iv, power = fmt.Sprintf("%.4f", c.IV), strength(c.IV)
		}
		decision := c.Status.String()
		if c.Detail != "" {
			decision += ": " + c.Detail
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", c.Name, c.Kind, iv, power, decision)
	}
	tw.Flush()

	section(w, "Logistic regression on WoE (maximum likelihood)")
	lr := o.report.Logit
	tw = table(w)
	fmt.Fprintln(tw, "variable\tcoef\tstd err\tz\tP>|z|\t[0.025\t0.975]\t")
	for j, name := range lr.Names {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.3f\t%.4f\t%.4f\t%.4f\t\n", name, lr.Coef[j], lr.SE[j], lr.Z[j], lr.P[j], lr.CILow[j], lr.CIHigh[j])
	}
	tw.Flush()
	fmt.Fprintf(w, "log-likelihood %.2f, null %.2f, LLR p-value %.3g, McFadden pseudo R² %.4f, AIC %.1f, BIC %.1f, %d rows, %d Newton iterations\n",
		lr.LogLik, lr.LLNull, lr.LLRPValue, lr.PseudoR2, lr.AIC, lr.BIC, lr.N, lr.Iterations)
	io.WriteString(w, "(WoE = ln(%good/%bad): coefficients on the log-odds of bad are negative)\n")

	sc := m.Scaling()
	lo, hi := m.MinMaxScore()
	section(w, "Points table")
	fmt.Fprintf(w, "scale: %.0f points at good:bad odds %.0f:1, %.0f points to double the odds (factor %.4f, offset %.4f); intercept spread over the variables; points rounded: %v\n",
		sc.BaseScore, sc.BaseOdds, sc.PDO, sc.Factor, sc.Offset, sc.Rounded)
	fmt.Fprintf(w, "score range %.0f to %.0f; higher score = lower risk\n", lo, hi)
	fmt.Fprintln(w, "a bin with count 0 (a special code or missing values absent from training) has WoE 0 and scores neutral points")
	for _, v := range m.Variables() {
		fmt.Fprintf(w, "\n%s (%s, IV %.4f, coef %.4f, trend %s, reason code %s)\n", v.Name, v.Kind, v.IV, v.Coef.Est, v.Trend, v.Code)
		tw = table(w)
		tw.indent = "  "
		fmt.Fprintln(tw, "bin\tcount\tshare\tbads\tbad rate\tWoE\tIV\tpoints\t")
		total := 0
		for _, b := range v.Bins {
			total += b.Count
		}
		for i, b := range v.Bins {
			rate := "-"
			if b.Count > 0 {
				rate = fmt.Sprintf("%.1f%%", 100*b.BadRate())
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%+.4f\t%.4f\t%s\t\n", b.Label(), b.Count, pct(b.Count, total), b.Bads, rate, b.WoE, b.IV, fmtPoints(v.Points[i]))
		}
		tw.Flush()
	}

	section(w, "Performance")
	tw = table(w)
	fmt.Fprintln(tw, "metric\ttrain\ttest\t")
	fmt.Fprintf(tw, "AUC\t%.4f\t%.4f\t\n", o.aucTrain, o.aucTest)
	fmt.Fprintf(tw, "Gini\t%.4f\t%.4f\t\n", o.giniTrain, o.giniTest)
	fmt.Fprintf(tw, "KS\t%.4f\t%.4f\t\n", o.ksTrain, o.ksTest)
	tw.Flush()

	section(w, "Gains by score band (test, riskiest band first)")
	tw = table(w)
	fmt.Fprintln(tw, "band\tscore\tcount\tbads\tbad rate\tcum % bads\tcum % goods\tlift\tKS\t")
	for _, g := range o.gains {
		fmt.Fprintf(tw, "%d\t%s-%s\t%d\t%d\t%.1f%%\t%.1f%%\t%.1f%%\t%.2f\t%.3f\t\n", g.Band, fmtPoints(g.Lo), fmtPoints(g.Hi), g.Count, g.Bads, 100*g.BadRate, 100*g.CumBadShare, 100*g.CumGoodShare, g.Lift, g.KS)
	}
	tw.Flush()

	section(w, "Calibration (test, bands of predicted PD)")
	tw = table(w)
	fmt.Fprintln(tw, "band\tPD range\tcount\tmean PD\tobserved bad rate\t")
	for _, r := range o.calibration.Rows {
		fmt.Fprintf(tw, "%d\t%.3f-%.3f\t%d\t%.3f\t%.3f\t\n", r.Band, r.Lo, r.Hi, r.Count, r.MeanPD, r.BadRate)
	}
	tw.Flush()
	fmt.Fprintf(w, "Hosmer-Lemeshow %.2f on %d df, p = %.4f\n", o.calibration.HL, o.calibration.DF, o.calibration.P)

	section(w, "Stability of the test sample against training")
	fmt.Fprintf(w, "score PSI %.4f (%s)\n", o.drift.ScorePSI, stability(o.drift.ScorePSI))
	tw = table(w)
	tw.align = "lrl"
	fmt.Fprintln(tw, "variable\tCSI\treading\t")
	for _, v := range o.drift.Vars {
		fmt.Fprintf(tw, "%s\t%.4f\t%s\t\n", v.Name, v.CSI, stability(v.CSI))
	}
	tw.Flush()

	section(w, "Sample applicant (first test row)")
	bins := make([]int, m.NumVars())
	_ = m.Bins(o.sampleRow, bins)
	tw = table(w)
	tw.align = "lllrr"
	fmt.Fprintln(tw, "variable\tvalue\tbin\tpoints\tbest\t")
	vars := m.Variables()
	for j, v := range vars {
		val := ""
		if v.Kind == scorecard.Numeric {
			if x := o.sampleRow.Num[j]; math.IsNaN(x) {
				val = "(missing)"
			} else {
				val = strconv.FormatFloat(x, 'g', -1, 64)
			}
		} else if val = o.sampleRow.Cat[j]; val == "" {
			val = "(missing)"
		}
		best := math.Inf(-1)
		for i, p := range v.Points {
			if v.Bins[i].Count > 0 {
				best = math.Max(best, p)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", v.Name, val, v.Bins[bins[j]].Label(), fmtPoints(v.Points[bins[j]]), fmtPoints(best))
	}
	tw.Flush()
	outcomeLabel := "good"
	if o.test.Bad[0] {
		outcomeLabel = "bad"
	}
	fmt.Fprintf(w, "score %s, PD %.2f%% (actual outcome: %s)\n", fmtPoints(o.sampleResult.Score), 100*o.sampleResult.PD, outcomeLabel)
	if len(o.reasons) == 0 {
		fmt.Fprintln(w, "no adverse-action reason: every variable is at its best bin")
	}
	for i, r := range o.reasons {
		fmt.Fprintf(w, "reason %d  [%s] %s is %s: %s points below the best bin\n", i+1, r.Code, r.Name, r.Label, fmtPoints(r.Lost))
	}
}

func fmtPoints(p float64) string {
	if p == math.Trunc(p) {
		return strconv.FormatFloat(p, 'f', 0, 64)
	}
	return strconv.FormatFloat(p, 'f', 2, 64)
}

func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}
