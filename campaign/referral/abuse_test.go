package referral

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// activity describes what one customer did: devices, IP addresses and
// payees, each used on one day.
type activity struct {
	devices, ips, payees []string
}

func buildProfile(t *testing.T, b *profile.Builder, id string, act activity, start time.Time) *profile.Profile {
	t.Helper()
	p := profile.New(id)
	if err := p.SetCustomer(profile.Customer{ID: id, Currency: "CNY", TimeZone: "Asia/Shanghai"}); err != nil {
		t.Fatal(err)
	}
	at := start
	n := 0
	apply := func(e profile.Event) {
		t.Helper()
		n++
		e.ID, e.CustomerID, e.Time = fmt.Sprint(id, "-", n), id, at
		at = at.Add(time.Hour)
		if err := b.Apply(p, &e, at); err != nil {
			t.Fatal(err)
		}
	}
	for _, dev := range act.devices {
		apply(profile.Event{Type: profile.TypeSession, Channel: profile.ChannelApp, DeviceID: dev})
	}
	for _, ip := range act.ips {
		apply(profile.Event{Type: profile.TypeSession, Channel: profile.ChannelWeb, IP: netip.MustParseAddr(ip)})
	}
	for _, payee := range act.payees {
		apply(profile.Event{Type: profile.TypeTransaction, Kind: profile.KindTransferOut, Direction: profile.Debit,
			Amount: decimal.NewFromInt(100), Currency: "CNY", Counterparty: payee, Channel: profile.ChannelApp})
	}
	return p
}

func TestCheck(t *testing.T) {
	start := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	now := start.Add(30 * day)
	for _, key := range [][]byte{nil, []byte("profile hashing key")} {
		b, err := profile.NewBuilder(&profile.Options{HashKey: key})
		if err != nil {
			t.Fatal(err)
		}
		referrer := buildProfile(t, b, "alice", activity{
			devices: []string{"phone-A", "tablet-A"}, ips: []string{"203.0.113.7", "198.51.100.20"}, payees: []string{"State Grid", "Mum"},
		}, start)
		cases := []struct {
			name string
			act  activity
			opts *CheckOptions
			want Finding
		}{
			{"stranger", activity{devices: []string{"phone-B"}, ips: []string{"192.0.2.1"}, payees: []string{"Landlord"}}, nil, Finding{}},
			{"same phone", activity{devices: []string{"phone-A"}}, nil, Finding{Flags: FlagSharedDevice, SharedDevices: 1}},
			{"same flat", activity{ips: []string{"203.0.113.99"}}, nil, Finding{Flags: FlagSharedNetwork, SharedNetworks: 1}},
			{"same payees", activity{payees: []string{"Mum", "State Grid"}}, nil, Finding{Flags: FlagSharedPayee, SharedPayees: 2}},
			{"common payee ignored", activity{payees: []string{"State Grid"}}, &CheckOptions{Common: func(k Flags, key string) bool {
				return k == FlagSharedPayee && key == "State Grid"
			}}, Finding{}},
			{"everything", activity{devices: []string{"tablet-A"}, ips: []string{"198.51.100.1"}, payees: []string{"Mum"}}, nil,
				Finding{Flags: FlagSharedDevice | FlagSharedNetwork | FlagSharedPayee, SharedDevices: 1, SharedNetworks: 1, SharedPayees: 1}},
		}
		for _, tc := range cases {
			referee := buildProfile(t, b, "bob", tc.act, start.Add(10*day))
			got, err := Check(referrer, referee, now, tc.opts)
			if err != nil || got != tc.want {
				t.Errorf("key %v, %s: Check = %+v, %v; want %+v", key != nil, tc.name, got, err, tc.want)
			}
		}
		// Recent: the referrer's device was last used 30 days before now.
		referee := buildProfile(t, b, "bob", activity{devices: []string{"phone-A"}}, start.Add(10*day))
		if got, _ := Check(referrer, referee, now, &CheckOptions{Recent: 7 * day}); got.Flags != 0 {
			t.Errorf("a device the referrer stopped using long ago was flagged: %+v", got)
		}
	}
	b, _ := profile.NewBuilder(nil)
	p := buildProfile(t, b, "alice", activity{}, start)
	for name, f := range map[string]func() error{
		"nil referrer": func() error { _, err := Check(nil, p, now, nil); return err },
		"nil referee":  func() error { _, err := Check(p, nil, now, nil); return err },
		"same profile": func() error { _, err := Check(p, p, now, nil); return err },
		"zero now":     func() error { _, err := Check(p, profile.New("x"), time.Time{}, nil); return err },
		"bad recent":   func() error { _, err := Check(p, profile.New("x"), now, &CheckOptions{Recent: -1}); return err },
	} {
		if err := f(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if s := (FlagSharedDevice | FlagSharedPayee).String(); s != "device,payee" || Flags(0).String() != "none" || !strings.Contains(Flags(255).String(), "unknown") {
		t.Errorf("Flags.String: %q", s)
	}
}
