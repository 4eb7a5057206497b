package credit_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk/credit"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// salaried returns the profile of a customer paid 12,000 CNY a month by
// Huawei, repaying 2,000 a month to a car lender, and logging in weekly on
// phone-1, from January to June 2025.
func salaried() (*profile.Profile, time.Time) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	b, _ := profile.NewBuilder(&profile.Options{OwnInstitution: []string{"Suanpan Bank"}})
	p := profile.New("c42")
	_ = p.SetCustomer(profile.Customer{ID: "c42", Currency: "CNY", TimeZone: "Asia/Shanghai", Occupation: "employee",
		BirthDate: time.Date(1985, 3, 1, 0, 0, 0, 0, time.UTC)})
	n := 0
	add := func(e profile.Event) {
		n++
		e.ID, e.CustomerID = fmt.Sprint("e", n), "c42"
		if e.Type == 0 {
			e.Type, e.Currency, e.Direction = profile.TypeTransaction, "CNY", e.Kind.Direction()
		}
		_ = b.Apply(p, &e, e.Time)
	}
	for m := time.January; m <= time.June; m++ {
		add(profile.Event{Type: profile.TypeSession, Time: time.Date(2025, m, 2, 20, 0, 0, 0, loc), DeviceID: "phone-1"})
		add(profile.Event{Time: time.Date(2025, m, 10, 9, 0, 0, 0, loc), Kind: profile.KindSalary,
			Amount: decimal.NewFromInt(12000), Counterparty: "Huawei Technologies Co Ltd"})
		add(profile.Event{Time: time.Date(2025, m, 15, 9, 0, 0, 0, loc), Kind: profile.KindLoanRepayment,
			Amount: decimal.NewFromInt(2000), Counterparty: "SAIC-GMAC Auto Finance"})
		add(profile.Event{Type: profile.TypeSession, Time: time.Date(2025, m, 20, 20, 0, 0, 0, loc), DeviceID: "phone-1"})
	}
	return p, time.Date(2025, 7, 1, 10, 0, 0, 0, loc)
}

// Example decides one application: the German credit scorecard is the
// application model, the profile supplies observed income, debt and
// devices, and the policy is the default.
func Example() {
	ds, err := scorecard.ReadCSVFile("testdata/german.csv", &scorecard.CSVOptions{
		Target: "class", Bad: "2", Good: "1",
		Drop: []string{"personal_status_sex", "foreign_worker"}, // protected attributes
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	model, _, err := scorecard.Fit(ds, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	eng, err := credit.New(credit.Config{
		Application: model,
		Mapping: credit.Mapping{
			"duration_months": {From: credit.FromApplication, Name: "term_months"},
			"age":             {From: credit.FromProfile, Name: "age_years"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, now := salaried()
	app := credit.Application{
		ID: "A-1001", CustomerID: "c42", Currency: "CNY",
		Amount: decimal.NewFromInt(150000), TermMonths: 24,
		DeclaredIncome: decimal.NewFromInt(13000), Employer: "HUAWEI TECHNOLOGIES CO., LTD.",
		Purpose: "car", DeviceID: "phone-1",
		Attributes: map[string]string{ // form and bureau data, in the model's codes
			"checking_status": "A14", "credit_history": "A34", "purpose": "A41", "credit_amount": "2000",
			"savings": "A65", "employment_since": "A75", "installment_rate": "2", "other_debtors": "A101",
			"property": "A121", "other_installment_plans": "A143", "housing": "A152",
		},
	}
	d, err := eng.Decide(&app, credit.Applicant{Profile: p}, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: limit %s, offered %s at %s a month (capacity %s)\n",
		d.Outcome, d.Limit.StringFixed(2), d.Amount.StringFixed(2), d.Payment.StringFixed(2), d.Capacity.StringFixed(2))
	fmt.Printf("band %s, PD %.3f\n", d.Band, d.PD)
	for _, s := range d.Verification.Signals {
		fmt.Println(s.Code, s.Severity)
	}
	for _, r := range d.Reasons {
		if r.Source == credit.SourcePolicy {
			fmt.Println("reason:", r.Code)
		}
	}
	// Output:
	// approve: limit 67129.10, offered 67129.10 at 3160.00 a month (capacity 3160.00)
	// band A, PD 0.008
	// INCOME_VERIFIED info
	// EMPLOYER_MATCH info
	// DEVICE_KNOWN info
	// CONTACT_NOT_CHECKED info
	// reason: LIMIT_BELOW_REQUEST
}

// ExampleNormalizeName shows the form in which employer names are compared.
func ExampleNormalizeName() {
	fmt.Println(credit.NormalizeName("HUAWEI TECHNOLOGIES CO., LTD."))
	fmt.Println(credit.NormalizeName("Müller Logistik GmbH"))
	fmt.Println(credit.NormalizeName("华为技术有限公司"))
	fmt.Println(credit.CompareNames("Huawei", "Huawei Technologies Co Ltd", 0))
	// Output:
	// huawei technologies
	// muller logistik
	// 华为技术
	// partial
}

// ExamplePayment prices a 100,000 loan over three years at 12% a year.
func ExamplePayment() {
	pay, _ := credit.Payment(decimal.NewFromInt(100000), decimal.RequireFromString("0.12"), 36, 2)
	max, _ := credit.MaxPrincipal(pay, decimal.RequireFromString("0.12"), 36, 2)
	fmt.Println(pay, max)
	// Output: 3321.44 100000.27
}
