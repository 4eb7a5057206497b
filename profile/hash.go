package profile

import (
	"crypto/sha256"
	"encoding/binary"
	"net/netip"
)

// Hash domains keep identifiers of different kinds apart.
const (
	domDevice byte = iota + 1
	domNetwork
	domCounterparty
	domAppFunction
	domEventID
	domKeyCheck
)

// hasher turns identifiers into 64-bit IDs. Unkeyed, it uses FNV-1a 64
// (deterministic across processes). Keyed, it uses HMAC-SHA-256 (RFC 2104,
// FIPS 198-1) truncated to 64 bits, so stored IDs reveal nothing without the
// key; the raw value is then not kept.
type hasher struct {
	keyed      bool
	ipad, opad [sha256.BlockSize]byte
}

func newHasher(key []byte) hasher {
	var h hasher
	if len(key) == 0 {
		return h
	}
	h.keyed = true
	k := key
	if len(k) > sha256.BlockSize {
		s := sha256.Sum256(k)
		k = s[:]
	}
	for i := range h.ipad {
		var b byte
		if i < len(k) {
			b = k[i]
		}
		h.ipad[i] = b ^ 0x36
		h.opad[i] = b ^ 0x5c
	}
	return h
}

// sum hashes domain||data. It does not allocate for data up to 192 bytes.
func (h *hasher) sum(domain byte, data string) uint64 { return hashSum(h, domain, data) }

func hashSum[S string | []byte](h *hasher, domain byte, data S) uint64 {
	if !h.keyed {
		return fnv64(domain, data)
	}
	var buf [sha256.BlockSize + 1 + 192]byte
	if len(data) > 192 {
		// Rare: long identifiers go through the streaming hash.
		return h.slowSum(domain, []byte(data))
	}
	n := copy(buf[:], h.ipad[:])
	buf[n] = domain
	n++
	n += copy(buf[n:], data)
	inner := sha256.Sum256(buf[:n])
	var outer [sha256.BlockSize + sha256.Size]byte
	copy(outer[:], h.opad[:])
	copy(outer[sha256.BlockSize:], inner[:])
	s := sha256.Sum256(outer[:])
	return binary.BigEndian.Uint64(s[:8])
}

func (h *hasher) slowSum(domain byte, data []byte) uint64 {
	in := sha256.New()
	in.Write(h.ipad[:])
	in.Write([]byte{domain})
	in.Write(data)
	inner := in.Sum(nil)
	out := sha256.New()
	out.Write(h.opad[:])
	out.Write(inner)
	return binary.BigEndian.Uint64(out.Sum(nil)[:8])
}

// keyCheck fingerprints the key so a profile cannot be mixed between keys.
func (h *hasher) keyCheck() uint32 {
	if !h.keyed {
		return 0
	}
	c := uint32(h.sum(domKeyCheck, "suanpan key check"))
	if c == 0 {
		c = 1
	}
	return c
}

func fnv64[S string | []byte](domain byte, data S) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	x := uint64(offset)
	x ^= uint64(domain)
	x *= prime
	for i := 0; i < len(data); i++ {
		x ^= uint64(data[i])
		x *= prime
	}
	return x
}

// networkOf returns the IP network an address belongs to: its /24 for IPv4
// (including IPv4-mapped IPv6) and its /48 for IPv6, the granularity at
// which consumer ISPs assign addresses.
func networkOf(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p
}

// networkID hashes the prefix's address bytes and length.
func (h *hasher) networkID(p netip.Prefix) uint64 {
	var buf [17]byte
	a := p.Addr()
	n := 0
	if a.Is4() {
		b := a.As4()
		n = copy(buf[:], b[:])
	} else {
		b := a.As16()
		n = copy(buf[:], b[:])
	}
	buf[n] = byte(p.Bits())
	return hashSum(h, domNetwork, buf[:n+1])
}
