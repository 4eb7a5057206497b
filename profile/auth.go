package profile

import (
	"math/bits"
	"strings"
)

// Auth is the set of authentication methods used for an event, a bit set of
// AuthMethod values. The zero Auth means no authentication was recorded.
type Auth uint16

// AuthMethod is one authentication method. Each method belongs to one factor
// type (knowledge, possession or inherence) as NIST SP 800-63B and the PSD2
// RTS (Commission Delegated Regulation (EU) 2018/389, Art. 4) classify them;
// AuthUKey and AuthCertificate also carry a digital certificate, which the
// PBOC 2015 online-payment rules treat separately.
type AuthMethod uint8

// Authentication methods, spelled in the events CSV as in the comments,
// joined with "+" when several were used ("password+sms_otp").
const (
	AuthPassword    AuthMethod = iota // "password": knowledge
	AuthPIN                           // "pin": knowledge
	AuthSMSOTP                        // "sms_otp": possession of the SIM
	AuthPush                          // "push": approval on a bound device (possession)
	AuthToken                         // "token": one-time code from a hardware or soft token (possession)
	AuthBiometric                     // "biometric": fingerprint or face on the customer's device (inherence)
	AuthFace                          // "face": server-side face recognition with liveness (inherence)
	AuthUKey                          // "ukey": USB hardware key with a digital certificate (possession, certificate)
	AuthCertificate                   // "certificate": software digital certificate or e-signature (possession, certificate)
	AuthCardChip                      // "chip": EMV card chip at a terminal (possession)
	numAuthMethods
)

var authNames = [...]string{
	AuthPassword: "password", AuthPIN: "pin", AuthSMSOTP: "sms_otp", AuthPush: "push",
	AuthToken: "token", AuthBiometric: "biometric", AuthFace: "face", AuthUKey: "ukey",
	AuthCertificate: "certificate", AuthCardChip: "chip",
}

// String returns the CSV spelling of m.
func (m AuthMethod) String() string { return enumString(authNames[:], uint8(m)) }

// Factor types of authentication (NIST SP 800-63B §5.1; PSD2 RTS Art. 6-8).
const (
	FactorKnowledge  = 1 << iota // something the customer knows
	FactorPossession             // something the customer has
	FactorInherence              // something the customer is
)

var authFactor = [numAuthMethods]uint8{
	AuthPassword: FactorKnowledge, AuthPIN: FactorKnowledge,
	AuthSMSOTP: FactorPossession, AuthPush: FactorPossession, AuthToken: FactorPossession,
	AuthBiometric: FactorInherence, AuthFace: FactorInherence,
	AuthUKey: FactorPossession, AuthCertificate: FactorPossession, AuthCardChip: FactorPossession,
}

// AuthOf returns the Auth holding exactly the given methods.
func AuthOf(methods ...AuthMethod) Auth {
	var a Auth
	for _, m := range methods {
		a = a.With(m)
	}
	return a
}

// With returns a with method m added.
func (a Auth) With(m AuthMethod) Auth {
	if m >= numAuthMethods {
		return a
	}
	return a | 1<<m
}

// Has reports whether method m was used.
func (a Auth) Has(m AuthMethod) bool { return m < numAuthMethods && a&(1<<m) != 0 }

// FactorTypes returns the bit set of factor types (FactorKnowledge,
// FactorPossession, FactorInherence) covered by a.
func (a Auth) FactorTypes() int {
	var f uint8
	for m := AuthMethod(0); m < numAuthMethods; m++ {
		if a.Has(m) {
			f |= authFactor[m]
		}
	}
	return int(f)
}

// Factors returns how many distinct factor types a covers (0 to 3).
func (a Auth) Factors() int { return bits.OnesCount(uint(a.FactorTypes())) }

// Strong reports whether a is strong customer authentication: at least two
// distinct factor types (PSD2 Art. 4(30); NIST multi-factor).
func (a Auth) Strong() bool { return a.Factors() >= 2 }

// HasCertificate reports whether a includes a digital certificate or
// e-signature (AuthUKey or AuthCertificate).
func (a Auth) HasCertificate() bool { return a.Has(AuthUKey) || a.Has(AuthCertificate) }

// String returns the CSV spelling of a: method names joined with "+", or ""
// for no authentication.
func (a Auth) String() string {
	var b strings.Builder
	for m := AuthMethod(0); m < numAuthMethods; m++ {
		if a.Has(m) {
			if b.Len() > 0 {
				b.WriteByte('+')
			}
			b.WriteString(authNames[m])
		}
	}
	return b.String()
}

// ParseAuth parses method names joined with "+" ("password+sms_otp"); the
// empty string is no authentication.
func ParseAuth(s string) (Auth, error) {
	var a Auth
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	for part := range strings.SplitSeq(s, "+") {
		v, err := parseEnum(authNames[:], strings.TrimSpace(part), "auth")
		if err != nil {
			return 0, newFieldError("auth", s, ErrInvalid)
		}
		a = a.With(AuthMethod(v))
	}
	return a, nil
}
