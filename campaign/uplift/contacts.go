package uplift

// ContactRow is one line of a contacts-versus-conversion table: the
// customers contacted exactly Contacts times in a campaign.
type ContactRow struct {
	Contacts  int // number of contacts k
	Customers int // customers contacted exactly Contacts times
	Converted int // of whom converted
	// Rate is Converted / Customers.
	Rate float64
	// Reached is the customers contacted at least Contacts times, and
	// Hazard = Converted / Reached the conversion rate of the Contacts-th
	// contact itself: of the customers who got that contact, the share who
	// converted on it (a campaign stops calling a customer who converts, so
	// a converted customer converted on their last contact).
	Reached int
	Hazard  float64
	// CumConversions is the share of all conversions reached with at most
	// Contacts contacts, and CumContacts the share of all contacts that a
	// cap of Contacts would have kept (sum of min(contacts, cap) over the
	// sum of contacts): capping here keeps CumConversions of the
	// conversions for CumContacts of the effort.
	CumConversions float64
	CumContacts    float64
}

// ContactCurve tabulates conversion by number of contacts in a campaign,
// for k = 1 ... upTo (upTo <= 0 means the largest count observed).
// contacts[i] is how many times customer i was contacted (at least 1) and
// converted[i] whether they converted. The hazard column is the discrete
// survival-analysis hazard (Allison 1982, "Discrete-time methods for the
// analysis of event histories", Sociological Methodology 13:61-98) of
// converting at the k-th contact. It is observational: customers called
// many times are the ones who did not convert earlier, and whoever chose
// whom to call chose for reasons of their own.
//
// Errors: ErrLength, ErrEmpty, ErrRange (a count below 1, naming the row).
func ContactCurve(contacts []int, converted []bool, upTo int) ([]ContactRow, error) {
	if len(contacts) != len(converted) {
		return nil, fieldErr("converted", -1, ErrLength)
	}
	if len(contacts) == 0 {
		return nil, fieldErr("contacts", -1, ErrEmpty)
	}
	hi := 0
	for i, c := range contacts {
		if c < 1 {
			return nil, fieldErr("contacts", i, ErrRange)
		}
		hi = max(hi, c)
	}
	if upTo <= 0 || upTo > hi {
		upTo = hi
	}
	exact := make([]int, hi+2)
	conv := make([]int, hi+2)
	totalConv, totalContacts := 0, 0
	for i, c := range contacts {
		exact[c]++
		totalContacts += c
		if converted[i] {
			conv[c]++
			totalConv++
		}
	}
	rows := make([]ContactRow, upTo)
	reached := len(contacts)
	cumConv, below, belowContacts := 0, 0, 0 // conversions, customers and contacts of customers with fewer than k contacts
	for k := 1; k <= upTo; k++ {
		r := ContactRow{Contacts: k, Customers: exact[k], Converted: conv[k], Reached: reached}
		if r.Customers > 0 {
			r.Rate = float64(r.Converted) / float64(r.Customers)
		}
		if reached > 0 {
			r.Hazard = float64(r.Converted) / float64(reached)
		}
		cumConv += conv[k]
		below += exact[k]
		belowContacts += k * exact[k]
		if totalConv > 0 {
			r.CumConversions = float64(cumConv) / float64(totalConv)
		}
		capped := belowContacts + k*(len(contacts)-below)
		r.CumContacts = float64(capped) / float64(totalContacts)
		rows[k-1] = r
		reached -= exact[k]
	}
	return rows, nil
}

// SuggestCap returns the largest k such that every contact up to the k-th
// converts at least ratio times as well as the first contact (Hazard >=
// ratio * rows[0].Hazard), the point after which one more contact earns
// less than ratio of what the first one did. ratio 0 means 0.5. It returns
// 0 when rows is empty or the first contact never converts. Errors:
// ErrRange for ratio outside [0, 1].
func SuggestCap(rows []ContactRow, ratio float64) (int, error) {
	if !(ratio >= 0 && ratio <= 1) {
		return 0, fieldErr("ratio", -1, ErrRange)
	}
	if ratio == 0 {
		ratio = 0.5
	}
	if len(rows) == 0 || rows[0].Hazard <= 0 {
		return 0, nil
	}
	floor := ratio * rows[0].Hazard
	k := 0
	for _, r := range rows {
		if r.Hazard < floor {
			break
		}
		k = r.Contacts
	}
	return k, nil
}
