package clv_test

import (
	"compress/gzip"
	"fmt"
	"os"
	"time"

	"github.com/suanpan-dev/suanpan/segment/clv"
)

// Fit the BG/NBD and Gamma-Gamma models to the CDNOW sample with a 39-week
// calibration period, then score one customer.
func Example() {
	f, err := os.Open("testdata/CDNOW_sample.txt.gz")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	txs, err := clv.ReadCDNOW(zr)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := clv.Summarize(txs, time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	bg, err := clv.FitBGNBD(s.Customers, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	gg, err := clv.FitGammaGamma(s.Customers, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := bg.Model
	fmt.Printf("customers %d, repeaters %d\n", len(s.Customers), s.Repeaters)
	fmt.Printf("BG/NBD r=%.3f alpha=%.3f a=%.3f b=%.3f loglik=%.2f\n", m.R, m.Alpha, m.A, m.B, bg.LogLik)
	fmt.Printf("Gamma-Gamma p=%.2f q=%.2f gamma=%.2f\n", gg.Model.P, gg.Model.Q, gg.Model.Gamma)

	c := s.Customers[0] // two repeat purchases, the last 30.43 weeks in
	alive, _ := m.PAlive(c)
	next, _ := m.ConditionalTransactions(c, 52)
	value, _ := clv.Value(m, gg.Model, c, &clv.ValueOptions{DiscountRate: 0.01})
	fmt.Printf("customer %s: x=%d t_x=%.2f T=%.2f P(alive)=%.3f E[purchases in 52 weeks]=%.3f CLV(12 months, 1%%)=%.2f\n",
		c.ID, c.Frequency, c.Recency, c.T, alive, next, value)
	// Output:
	// customers 2357, repeaters 946
	// BG/NBD r=0.243 alpha=4.414 a=0.793 b=2.426 loglik=-9582.43
	// Gamma-Gamma p=6.25 q=3.74 gamma=15.44
	// customer 00004: x=2 t_x=30.43 T=38.86 P(alive)=0.727 E[purchases in 52 weeks]=1.559 CLV(12 months, 1%)=36.30
}
