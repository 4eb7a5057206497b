package credit

import (
	"encoding/json"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/suanpan-dev/suanpan/profile"
)

// FuzzParseApplication: any bytes either fail with an error or give a valid
// application that survives a JSON round trip unchanged.
func FuzzParseApplication(f *testing.F) {
	f.Add([]byte(`{"id":"A-1","customer_id":"c1","currency":"CNY","amount":"30000.00","term_months":24,"declared_income":"12000","employer":"Huawei Technologies Co Ltd","purpose":"car","device_id":"d1","contact_hash":"h","attributes":{"housing":"A152","age":"41"}}`))
	f.Add([]byte(`{"id":"A-2","customer_id":"c2","currency":"JPY","amount":1500,"term_months":6}`))
	f.Add([]byte(`{"id":"A-3","customer_id":"c3","currency":"EUR","amount":"1e3","term_months":480,"declared_income":"0"}`))
	f.Add([]byte(`{"id":"x","amount":"1e999999999"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseApplication(data)
		if err != nil {
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("parsed but invalid: %v", err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseApplication(b)
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if !cmp.Equal(a, back) {
			t.Fatalf("round trip changed the application: %s", cmp.Diff(a, back))
		}
	})
}

var fuzzEngine struct {
	once sync.Once
	e    *Engine
	p    *profile.Profile
	now  time.Time
	err  error
}

// FuzzDecide: any application document either fails with an error or is
// decided with a valid outcome, finite numbers, and money that respects the
// repayment capacity.
func FuzzDecide(f *testing.F) {
	f.Add([]byte(`{"id":"A-1","customer_id":"c","currency":"CNY","amount":"30000.00","term_months":24,"declared_income":"12000","employer":"Huawei","device_id":"phone-1","attributes":{"checking_status":"A14","duration_months":"24","credit_history":"A34","age":"41"}}`))
	f.Add([]byte(`{"id":"A-2","customer_id":"c","currency":"CNY","amount":"999999999","term_months":480,"declared_income":"1","purpose":"car","attributes":{"credit_amount":"-1e300"}}`))
	f.Add([]byte(`{"id":"A-3","customer_id":"c","currency":"CNY","amount":"0.01","term_months":1,"employer":"华为技术有限公司","device_id":"x","contact_hash":"h"}`))
	f.Add([]byte(`{"id":"A-4","customer_id":"other","currency":"CNY","amount":"5","term_months":3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzEngine.once.Do(func() {
			loadGerman(t)
			fuzzEngine.e, fuzzEngine.err = New(Config{Application: german.model, Mapping: germanMapping()})
			l := steady("c", 6)
			fuzzEngine.now = l.month(6, 1)
			fuzzEngine.p = l.profile(t, fuzzEngine.now)
		})
		if fuzzEngine.err != nil {
			t.Fatal(fuzzEngine.err)
		}
		a, err := ParseApplication(data)
		if err != nil {
			return
		}
		d, err := fuzzEngine.e.Decide(&a, Applicant{Profile: fuzzEngine.p, Contacts: []string{"h"}}, fuzzEngine.now)
		if err != nil {
			return
		}
		if d.Outcome < Approve || d.Outcome > Decline {
			t.Fatalf("outcome %v", d.Outcome)
		}
		for _, x := range []float64{d.Score, d.PD, d.ApplicationScore, d.Income} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("non-finite number in %+v", d)
			}
		}
		if d.Limit.Sign() < 0 || d.Amount.Cmp(d.Limit) > 0 || d.Amount.Cmp(a.Amount) > 0 || d.Payment.Cmp(d.Capacity) > 0 {
			t.Fatalf("money: limit %v amount %v payment %v capacity %v", d.Limit, d.Amount, d.Payment, d.Capacity)
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatal(err)
		}
	})
}
