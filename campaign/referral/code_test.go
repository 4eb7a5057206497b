package referral

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

var testSecret = []byte("0123456789abcdef-test-secret")

func TestCodeDeterministic(t *testing.T) {
	c1, _ := NewCoder(testSecret, nil)
	c2, _ := NewCoder(append([]byte(nil), testSecret...), nil)
	if c1.Code("alice", 0) != c2.Code("alice", 0) {
		t.Fatal("same secret, customer and attempt gave different codes")
	}
	other, _ := NewCoder([]byte("0123456789abcdef-test-secreT"), nil)
	prog, _ := NewCoder(testSecret, &CodeOptions{Programme: "p2"})
	seen := map[Code]string{}
	for name, c := range map[string]Code{
		"base": c1.Code("alice", 0), "attempt 1": c1.Code("alice", 1), "other customer": c1.Code("alicf", 0),
		"other secret": other.Code("alice", 0), "other programme": prog.Code("alice", 0),
	} {
		if prev, dup := seen[c]; dup {
			t.Errorf("%s and %s gave the same code", name, prev)
		}
		seen[c] = name
	}
	if got := c1.Code("alice", 0); len(got) != 9 || c1.Length() != 9 {
		t.Fatalf("default code %q has length %d, want 9", got, len(got))
	}
	long, _ := NewCoder(testSecret, &CodeOptions{Length: 24})
	if got := long.Code("alice", 0); len(got) != 25 {
		t.Fatalf("24-symbol code has length %d", len(got))
	}
}

func TestNewCoderErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		secret []byte
		opts   *CodeOptions
	}{
		"short secret": {[]byte("short"), nil},
		"short code":   {testSecret, &CodeOptions{Length: 5}},
		"long code":    {testSecret, &CodeOptions{Length: 25}},
	} {
		if _, err := NewCoder(tc.secret, tc.opts); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	c, _ := NewCoder(testSecret, nil)
	if strings.Contains(c.String(), string(testSecret)) || strings.Contains(fmt.Sprintf("%v", c), "test-secret") {
		t.Fatal("the coder prints its secret")
	}
}

// TestLuhnCheck checks the check symbol against values worked by hand:
// payload "1": 1 doubled = 2, check (32-2) mod 32 = 30 = "Y"; payload "Z":
// 31 doubled = 62 = 1*32 + 30, digit sum 31, check 1 = "1"; payload "10":
// 0 doubled + 1 = 1, check 31 = "Z".
func TestLuhnCheck(t *testing.T) {
	for payload, want := range map[string]byte{"1": 'Y', "Z": '1', "10": 'Z', "0": '0'} {
		if got := alphabet[checkSymbol([]byte(payload))]; got != want {
			t.Errorf("check of %q = %c, want %c", payload, got, want)
		}
	}
}

// TestParseDetectsErrors: every single-symbol substitution and every
// adjacent transposition (except 0<->Z, the documented blind spot of Luhn
// mod 32) of real codes is refused.
func TestParseDetectsErrors(t *testing.T) {
	c, _ := NewCoder(testSecret, nil)
	for i := range 50 {
		code := c.Code(fmt.Sprint("customer-", i), 0)
		if got, err := c.Parse(string(code)); err != nil || got != code {
			t.Fatalf("Parse(%q) = %q, %v", code, got, err)
		}
		for p := range len(code) {
			for s := 0; s < len(alphabet); s++ {
				if alphabet[s] == code[p] {
					continue
				}
				b := []byte(code)
				b[p] = alphabet[s]
				if _, err := c.Parse(string(b)); !errors.Is(err, ErrCode) {
					t.Fatalf("substitution at %d accepted", p)
				}
			}
			if p+1 < len(code) && code[p] != code[p+1] {
				b := []byte(code)
				b[p], b[p+1] = b[p+1], b[p]
				pair := string(code[p]) + string(code[p+1])
				_, err := c.Parse(string(b))
				if pair != "0Z" && pair != "Z0" && !errors.Is(err, ErrCode) {
					t.Fatalf("transposition %q at %d accepted", pair, p)
				}
			}
		}
	}
}

func TestParseLenient(t *testing.T) {
	c, _ := NewCoder(testSecret, nil)
	code := c.Code("bob", 0)
	variants := []string{string(code), code.Format(), strings.ToLower(code.Format()), " " + strings.ReplaceAll(string(code), "", " ") + " "}
	alias := strings.NewReplacer("0", "O", "1", "l").Replace(string(code))
	variants = append(variants, alias)
	for _, v := range variants {
		if got, err := c.Parse(v); err != nil || got != code {
			t.Errorf("Parse(%q) = %q, %v; want %q", v, got, err, code)
		}
	}
	for _, bad := range []string{"", string(code[:8]), string(code) + "0", string(code[:8]) + "U", "ABCD_EFGH_J", strings.Repeat("-", 100), "你好"} {
		_, err := c.Parse(bad)
		var e *Error
		if !errors.Is(err, ErrCode) || !errors.As(err, &e) || e.Field != "code" {
			t.Errorf("Parse(%q): err = %v, want ErrCode", bad, err)
		}
		if err != nil && bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("error echoes the input: %v", err)
		}
	}
}

// TestCodeUniformity: codes of consecutive customer IDs are distinct and
// their symbols uniform (chi-square over 32 symbols x 8 positions), as
// HMAC output should be; a guessable derivation would show structure.
func TestCodeUniformity(t *testing.T) {
	c, _ := NewCoder(testSecret, nil)
	const n = 20000
	var counts [8][32]int
	seen := make(map[Code]bool, n)
	for i := range n {
		code := c.Code(fmt.Sprint("c", i), 0)
		if seen[code] {
			t.Fatalf("collision among %d sequential customers", i)
		}
		seen[code] = true
		for p := range 8 {
			counts[p][decodeTable[code[p]]]++
		}
	}
	for p := range 8 {
		chi := 0.0
		e := float64(n) / 32
		for _, o := range counts[p] {
			chi += (float64(o) - e) * (float64(o) - e) / e
		}
		// 31 degrees of freedom: the 0.9999 quantile is about 69.
		if chi > 69 || math.IsNaN(chi) {
			t.Errorf("position %d: chi-square %.1f over 31 df", p, chi)
		}
	}
}
