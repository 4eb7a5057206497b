package profile

// Category is a spending category, derived from a transaction's kind and
// merchant category code (MCC).
type Category uint8

// Spending categories.
const (
	CategoryOther Category = iota
	CategoryGroceries
	CategoryDining
	CategoryTransport
	CategoryFuel
	CategoryTravel
	CategoryShopping
	CategoryUtilities
	CategoryTelecom
	CategoryHousing
	CategoryEducation
	CategoryChildcare
	CategoryHealth
	CategoryInsurance
	CategoryEntertainment
	CategoryGambling
	CategoryCash
	CategoryLoans
	CategoryFees
	CategoryTransfers
	numCategories
)

// NumCategories is the number of categories, for arrays indexed by Category.
const NumCategories = int(numCategories)

var categoryNames = [...]string{
	CategoryOther: "other", CategoryGroceries: "groceries", CategoryDining: "dining",
	CategoryTransport: "transport", CategoryFuel: "fuel", CategoryTravel: "travel",
	CategoryShopping: "shopping", CategoryUtilities: "utilities", CategoryTelecom: "telecom",
	CategoryHousing: "housing", CategoryEducation: "education", CategoryChildcare: "childcare",
	CategoryHealth: "health", CategoryInsurance: "insurance", CategoryEntertainment: "entertainment",
	CategoryGambling: "gambling", CategoryCash: "cash", CategoryLoans: "loans",
	CategoryFees: "fees", CategoryTransfers: "transfers",
}

// String returns the category's name, for example "groceries".
func (c Category) String() string { return enumString(categoryNames[:], uint8(c)) }

// Essential reports whether spending in c is a necessity that a household
// cannot easily cut (food at home, housing, utilities, telecom, transport,
// fuel, education, childcare, health, insurance). Purchasing power is income
// minus essential spending and debt service.
func (c Category) Essential() bool {
	switch c {
	case CategoryGroceries, CategoryTransport, CategoryFuel, CategoryUtilities, CategoryTelecom,
		CategoryHousing, CategoryEducation, CategoryChildcare, CategoryHealth, CategoryInsurance:
		return true
	}
	return false
}

// CategoryOf returns the spending category of a debit of kind k with
// merchant category code mcc. Kinds that say what the money is for decide
// first (cash withdrawal, loan repayment, fee); otherwise the MCC decides,
// using the ISO 18245 code groups as the card schemes publish them (for
// example the Visa Merchant Data Standards Manual): 3000–3999 travel
// (airlines, car rental, lodging), 4111–4131 transport, 4812–4899 telecom,
// 4900 utilities, 5411–5499 groceries, 5812–5814 dining, 5541/5542 fuel,
// 6513 rent, 8211–8299 education, 8351 child care, 80xx health, 7995
// gambling. A bill payment without an MCC is utilities; a transfer out
// without one is a transfer.
func CategoryOf(k Kind, mcc uint16) Category {
	switch k {
	case KindCashWithdrawal:
		return CategoryCash
	case KindLoanRepayment:
		return CategoryLoans
	case KindFee:
		return CategoryFees
	}
	if c, ok := mccCategory(mcc); ok {
		return c
	}
	switch k {
	case KindBillPayment:
		return CategoryUtilities
	case KindTransferOut:
		return CategoryTransfers
	case KindPurchase:
		return CategoryShopping
	}
	return CategoryOther
}

func mccCategory(m uint16) (Category, bool) {
	switch m {
	case 0:
		return 0, false
	case 4111, 4112, 4121, 4131, 4784, 4789, 7523:
		return CategoryTransport, true
	case 4411, 4511, 4722, 7011, 7012, 7512, 7513, 7519:
		return CategoryTravel, true
	case 4812, 4814, 4816, 4899:
		return CategoryTelecom, true
	case 4900:
		return CategoryUtilities, true
	case 5411, 5422, 5441, 5451, 5462, 5499:
		return CategoryGroceries, true
	case 5812, 5813, 5814:
		return CategoryDining, true
	case 5541, 5542, 5552, 5983:
		return CategoryFuel, true
	case 6513:
		return CategoryHousing, true
	case 8211, 8220, 8241, 8244, 8249, 8299:
		return CategoryEducation, true
	case 8351, 5641:
		return CategoryChildcare, true
	case 5912, 5975, 5976, 4119, 8011, 8021, 8031, 8041, 8042, 8043, 8049, 8050, 8062, 8071, 8099:
		return CategoryHealth, true
	case 5960, 6300, 6381:
		return CategoryInsurance, true
	case 7995, 9406:
		return CategoryGambling, true
	case 6010, 6011:
		return CategoryCash, true
	case 4829, 6012, 6051, 6540:
		return CategoryTransfers, true
	case 5815, 5816, 5817, 5818, 7832, 7841, 7922, 7929, 7932, 7933, 7941,
		7991, 7992, 7993, 7994, 7996, 7997, 7998, 7999:
		return CategoryEntertainment, true
	}
	switch {
	case m >= 3000 && m <= 3999:
		return CategoryTravel, true
	case m >= 5000 && m <= 5999:
		return CategoryShopping, true
	}
	return CategoryOther, true
}
