package referral

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
)

// alphabet is Crockford's Base32 (Douglas Crockford, "Base32 Encoding",
// https://www.crockford.com/base32.html): digits and upper-case letters
// without I, L, O and U, so codes read aloud or typed from a poster survive
// the usual confusions.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// decodeTable maps a byte to its symbol value, or -1. Lower case is
// accepted, and the confusable letters decode as Crockford says: O and o
// as 0, I, i, L and l as 1.
var decodeTable = func() [256]int8 {
	var t [256]int8
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		c := alphabet[i]
		t[c] = int8(i)
		if c >= 'A' && c <= 'Z' {
			t[c+'a'-'A'] = int8(i)
		}
	}
	t['O'], t['o'] = 0, 0
	t['I'], t['i'], t['L'], t['l'] = 1, 1, 1, 1
	return t
}()

// Code is a referral code in canonical form: Length symbols of Crockford's
// Base32 followed by one check symbol, upper case, without separators.
type Code string

// Format returns the code in groups of four separated by hyphens, for
// display ("7KQ2-M9XD-H"). Coder.Parse reads both forms.
func (c Code) Format() string {
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(c[i])
	}
	return b.String()
}

// CodeOptions configures a Coder. The zero value gives the defaults.
type CodeOptions struct {
	// Programme separates the codes of different programmes: the same
	// customer gets unrelated codes in two programmes. Empty is allowed.
	Programme string
	// Length is the number of random symbols, 5 bits each, before the check
	// symbol. 0 means 8 (40 bits, about 1.1e12 codes); at least 6, at most
	// 24.
	Length int
}

// Coder derives and checks referral codes. A code is
//
//	HMAC-SHA-256(secret, "suanpan/referral/v1" | programme | customer | attempt)
//
// (RFC 2104; fields length-prefixed), truncated to Length symbols of
// Crockford's Base32, plus a check symbol computed with the Luhn mod N
// algorithm over the 32-symbol alphabet (the generalisation of Luhn's
// check digit, H. P. Luhn, US patent 2,950,048, 1960), which catches every
// single-symbol error and every transposition of adjacent symbols except
// that of the first and last symbols of the alphabet ("0Z" and "Z0"). Codes
// are deterministic for a secret, so they can be re-derived rather than
// stored, and cannot be guessed or enumerated without the secret: a
// stranger guessing a code with n codes issued succeeds with probability
// n / 32^Length per try (about 1e-6 for a million 8-symbol codes). Attempt
// numbers other than 0 are used only when a code collides (see
// Tree.Issue). A Coder is immutable and safe for concurrent use.
type Coder struct {
	key       []byte
	programme string
	length    int
}

// MinSecret is the shortest secret NewCoder accepts, in bytes.
const MinSecret = 16

// NewCoder returns a Coder keyed by secret (at least MinSecret bytes; keep
// it like a password: whoever holds it can derive every customer's code).
// Errors: ErrInvalid as *Error naming "secret" or the option.
func NewCoder(secret []byte, opts *CodeOptions) (*Coder, error) {
	var o CodeOptions
	if opts != nil {
		o = *opts
	}
	if len(secret) < MinSecret {
		return nil, fieldErr("secret", -1, ErrInvalid)
	}
	if o.Length == 0 {
		o.Length = 8
	}
	if o.Length < 6 || o.Length > 24 {
		return nil, fieldErr("Length", -1, ErrInvalid)
	}
	return &Coder{key: append([]byte(nil), secret...), programme: o.Programme, length: o.Length}, nil
}

// Length returns the number of symbols of a code, check symbol included.
func (c *Coder) Length() int { return c.length + 1 }

// Code returns the code of customer for the given attempt (0 first).
func (c *Coder) Code(customer string, attempt int) Code {
	m := hmac.New(sha256.New, c.key)
	var n [8]byte
	for _, s := range []string{"suanpan/referral/v1", c.programme, customer} {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		m.Write(n[:])
		m.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(n[:], uint64(attempt))
	m.Write(n[:])
	sum := m.Sum(nil)
	out := make([]byte, c.length+1)
	// Take 5 bits per symbol from the digest (24 symbols use 120 of its 256
	// bits).
	var acc uint64
	bits, next := 0, 0
	for i := 0; i < c.length; i++ {
		if bits < 5 {
			acc = acc<<8 | uint64(sum[next])
			next++
			bits += 8
		}
		bits -= 5
		out[i] = alphabet[(acc>>bits)&31]
	}
	out[c.length] = alphabet[checkSymbol(out[:c.length])]
	return Code(out)
}

// checkSymbol returns the Luhn mod 32 check value of symbols (canonical
// upper-case alphabet bytes): from the rightmost symbol leftwards, every
// second value is doubled and its base-32 digits added; the check value
// makes the total a multiple of 32.
func checkSymbol(symbols []byte) int {
	const n = 32
	sum := 0
	double := true
	for i := len(symbols) - 1; i >= 0; i-- {
		v := int(decodeTable[symbols[i]])
		if double {
			v *= 2
			v = v/n + v%n
		}
		sum += v
		double = !double
	}
	return (n - sum%n) % n
}

// Parse reads a code typed by a customer: case is ignored, spaces and
// hyphens are skipped, O reads as 0 and I or L as 1. It returns the
// canonical code, or ErrCode (as *Error naming "code") when the length, a
// symbol or the check symbol is wrong. Parse only checks the form; whether
// the code was issued is for Tree.Lookup. The input is never echoed in the
// error.
func (c *Coder) Parse(s string) (Code, error) {
	if len(s) > 4*(c.length+1)+16 {
		return "", fieldErr("code", -1, ErrCode)
	}
	out := make([]byte, 0, c.length+1)
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b == '-' || b == ' ' {
			continue
		}
		v := decodeTable[b]
		if v < 0 || len(out) == c.length+1 {
			return "", fieldErr("code", -1, ErrCode)
		}
		out = append(out, alphabet[v])
	}
	if len(out) != c.length+1 || int(decodeTable[out[c.length]]) != checkSymbol(out[:c.length]) {
		return "", fieldErr("code", -1, ErrCode)
	}
	return Code(out), nil
}

// String returns a description of the coder without its secret.
func (c *Coder) String() string {
	return "referral.Coder{programme: " + strconv.Quote(c.programme) + ", length: " + strconv.Itoa(c.length) + "}"
}
