package credit

import (
	"strings"
	"unicode"
)

// legalForms are tokens that name a company's legal form or are generic
// corporate words; they are dropped before employer names are compared.
var legalForms = map[string]bool{
	"co": true, "company": true, "corp": true, "corporation": true, "inc": true, "incorporated": true,
	"ltd": true, "limited": true, "llc": true, "llp": true, "plc": true, "lp": true,
	"gmbh": true, "ggmbh": true, "mbh": true, "ag": true, "se": true, "kg": true, "kgaa": true, "ev": true, "eg": true,
	"sa": true, "sas": true, "sarl": true, "srl": true, "spa": true, "bv": true, "nv": true, "oy": true, "ab": true, "as": true,
	"pte": true, "pty": true, "bhd": true, "sdn": true, "kk": true,
	"group": true, "holding": true, "holdings": true, "the": true, "and": true,
}

// cjkForms are Chinese legal-form suffixes, longest first, removed from the
// end of a run of Han characters.
var cjkForms = []string{"股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司"}

// foldRune maps full-width forms to ASCII and common Latin letters with
// diacritics to their base letter (a small subset of Unicode NFKD, enough for
// employer names; the standard library has no normaliser).
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return r - 0xFEE0
	case r == 0x3000: // ideographic space
		return ' '
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā':
		return 'a'
	case 'ç', 'č', 'ć':
		return 'c'
	case 'è', 'é', 'ê', 'ë', 'ē', 'ě':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'ī':
		return 'i'
	case 'ñ', 'ń', 'ň':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	case 'š', 'ś':
		return 's'
	case 'ž', 'ź', 'ż':
		return 'z'
	case 'ř':
		return 'r'
	case 'ł':
		return 'l'
	}
	return r
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// nameTokens splits a normalised name into tokens: lower-cased, folded
// (see foldRune; ß becomes ss), every rune that is not a letter or digit a
// separator, runs of Han characters one token each with their legal-form
// suffix removed, and legal-form tokens dropped.
func nameTokens(s string) []string {
	var toks []string
	var b strings.Builder
	han := false
	flush := func() {
		if b.Len() == 0 {
			return
		}
		t := b.String()
		b.Reset()
		if han {
			for {
				cut := false
				for _, f := range cjkForms {
					if len(t) > len(f) && strings.HasSuffix(t, f) {
						t, cut = strings.TrimSuffix(t, f), true
						break
					}
				}
				if !cut {
					break
				}
			}
		} else if legalForms[t] {
			return
		}
		toks = append(toks, t)
	}
	for _, r := range s {
		r = foldRune(unicode.ToLower(r))
		switch {
		case r == 'ß':
			if han {
				flush()
			}
			han = false
			b.WriteString("ss")
		case isHan(r):
			if !han {
				flush()
			}
			han = true
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if han {
				flush()
			}
			han = false
			b.WriteRune(r)
		default:
			flush()
			han = false
		}
	}
	flush()
	return toks
}

// NormalizeName returns the form in which employer and payer names are
// compared: lower case; full-width characters folded to ASCII and common
// Latin diacritics removed (ä→a, é→e, ß→ss); punctuation and spaces turned
// into single spaces; legal forms and generic corporate words dropped (co,
// ltd, limited, inc, corp, gmbh, ag, se, plc, llc, sa, bv, group, holdings,
// the, ...; and the Chinese suffixes 股份有限公司, 有限责任公司, 有限公司,
// 集团, 公司). "HUAWEI TECHNOLOGIES CO., LTD." and "Huawei Technologies Co
// Ltd" both become "huawei technologies".
func NormalizeName(s string) string { return strings.Join(nameTokens(s), " ") }

// NameMatch is how well two names agree.
type NameMatch uint8

// Name matches.
const (
	NameUnknown  NameMatch = iota // nothing to compare
	NameMismatch                  // different names
	NamePartial                   // one name's tokens are all in the other's, or they share enough tokens
	NameExact                     // equal after normalisation
)

var nameMatchNames = [...]string{"unknown", "mismatch", "partial", "exact"}

// String returns "unknown", "mismatch", "partial" or "exact".
func (m NameMatch) String() string {
	if int(m) < len(nameMatchNames) {
		return nameMatchNames[m]
	}
	return "unknown"
}

// CompareNames compares two names after normalisation (NormalizeName):
// exact when equal; partial when every token of one is a token of the other
// (a name and its longer legal name: "Huawei" and "Huawei Technologies"),
// when one run of Han characters contains the other (华为 and 华为技术), or
// when the token sets' Jaccard similarity |A∩B| / |A∪B| is at least
// minSimilarity (0 means 0.5); otherwise a mismatch. A name that normalises
// to nothing gives NameUnknown.
func CompareNames(a, b string, minSimilarity float64) NameMatch {
	return compareTokens(nameTokens(a), nameTokens(b), minSimilarity)
}

func compareTokens(ta, tb []string, minSim float64) NameMatch {
	if minSim <= 0 {
		minSim = 0.5
	}
	if len(ta) == 0 || len(tb) == 0 {
		return NameUnknown
	}
	if strings.Join(ta, " ") == strings.Join(tb, " ") {
		return NameExact
	}
	inter := 0
	for _, x := range ta {
		for _, y := range tb {
			if x == y {
				inter++
				break
			}
		}
	}
	if inter == len(ta) || inter == len(tb) {
		return NamePartial
	}
	if len(ta) == 1 && len(tb) == 1 {
		x, y := ta[0], tb[0]
		if hanOnly(x) && hanOnly(y) && len([]rune(min2(x, y))) >= 2 && (strings.Contains(x, y) || strings.Contains(y, x)) {
			return NamePartial
		}
	}
	union := len(ta) + len(tb) - inter
	if float64(inter)/float64(union) >= minSim {
		return NamePartial
	}
	return NameMismatch
}

func min2(a, b string) string {
	if len(a) < len(b) {
		return a
	}
	return b
}

func hanOnly(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return s != ""
}
