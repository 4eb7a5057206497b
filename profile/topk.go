package profile

// seen is one member of a capped top-K set: a device, network, place,
// country, counterparty or app function, with when it was first and last
// seen, how often, and a forward-decayed weight that ranks it.
type seen struct {
	id          uint64
	label       string // raw value; "" when it is a keyed hash or has none
	first, last int64  // unix seconds
	count       uint32
	w           float32 // forward-decayed weight (see Builder)
	flags       uint8   // seenPayee, for counterparties
}

// seenPayee marks a counterparty the customer has transferred money to or
// received it from: a person or account rather than a merchant. The top-K
// set of counterparties evicts merchants before payees, so that a payee
// paid now and then is not forgotten among everyday merchants.
const seenPayee = 1

// topK is a set capped at max members. When full, a new member replaces the
// one with the smallest decayed weight (ties: least recently seen, then the
// smallest id) among the members without seenPayee if there are any, so
// long-unused members give way to new habits and payees outlast merchants.
type topK struct {
	items []seen
}

// find returns the index of id, or -1.
func (s *topK) find(id uint64) int {
	for i := range s.items {
		if s.items[i].id == id {
			return i
		}
	}
	return -1
}

// touch records one observation of id at time t with forward-decay weight g
// and returns the member's index and whether it is new (added or replacing
// the lightest member).
func (s *topK) touch(max int, id uint64, label string, t int64, g float64) (int, bool) {
	if i := s.find(id); i >= 0 {
		it := &s.items[i]
		it.count++
		it.w += float32(g)
		if t > it.last {
			it.last = t
		}
		if t < it.first {
			it.first = t
		}
		return i, false
	}
	n := seen{id: id, label: label, first: t, last: t, count: 1, w: float32(g)}
	if s.items == nil {
		s.items = make([]seen, 0, max)
	}
	if len(s.items) < max {
		s.items = append(s.items, n)
		return len(s.items) - 1, true
	}
	v := 0
	for i := 1; i < len(s.items); i++ {
		a, b := &s.items[i], &s.items[v]
		if ap, bp := a.flags&seenPayee, b.flags&seenPayee; ap != bp {
			if ap == 0 {
				v = i
			}
			continue
		}
		if a.w < b.w || a.w == b.w && (a.last < b.last || a.last == b.last && a.id < b.id) {
			v = i
		}
	}
	s.items[v] = n
	return v, true
}

func (s *topK) scale(f float64) {
	for i := range s.items {
		s.items[i].w = float32(float64(s.items[i].w) * f)
	}
}

func (s *topK) clone() topK {
	if s.items == nil {
		return topK{}
	}
	c := make([]seen, len(s.items), cap(s.items))
	copy(c, s.items)
	return topK{items: c}
}
