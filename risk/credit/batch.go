package credit

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// Profiles looks up customers' profiles for a batch.
type Profiles interface {
	// Profile returns the profile of customerID. When the bank holds none
	// it returns an error for which errors.Is(err, profile.ErrNotFound)
	// holds: the application is then decided without a profile (see
	// Applicant). Any other error fails that item only. The returned
	// profile is only read. It is called concurrently from several
	// goroutines and must honour ctx.
	Profile(ctx context.Context, customerID string) (*profile.Profile, error)
}

// ContactBook is an optional interface a Profiles value may also
// implement; a batch then checks application contacts against the
// contacts on file.
type ContactBook interface {
	// Contacts returns the keyed hashes of the customer's contacts on file
	// (the same key as Application.ContactHash), or nil when none (the
	// contact is then not checked). It is called concurrently and must
	// honour ctx.
	Contacts(ctx context.Context, customerID string) ([]string, error)
}

// StoreProfiles adapts a profile.Store to Profiles: Profile calls
// Store.Get and drops the version.
func StoreProfiles(s profile.Store) Profiles { return storeProfiles{s} }

type storeProfiles struct{ s profile.Store }

// Profile implements Profiles.
func (s storeProfiles) Profile(ctx context.Context, customerID string) (*profile.Profile, error) {
	p, _, err := s.s.Get(ctx, customerID)
	return p, err
}

// BatchOptions configures DecideBatch and WarnBatch. The zero value (or
// nil) is the default.
type BatchOptions struct {
	// Workers is the number of goroutines. 0 means GOMAXPROCS.
	Workers int
	// NoSharedCheck turns off the batch-wide check for one device or
	// contact used by applications of different customers (DEVICE_SHARED,
	// CONTACT_SHARED), which otherwise makes a decision depend on the
	// other applications of its batch.
	NoSharedCheck bool
}

// Result is the outcome of one item of a batch: a decision, or the item's
// error (a *ItemError naming its index and ID).
type Result struct {
	Decision Decision
	Err      error
}

// DecideBatch decides apps at now on a pool of workers, looking each
// applicant up in profiles (and its contacts, when profiles is also a
// ContactBook). Results are in the order of apps, whatever the scheduling,
// and each equals what Decide gives for that application (plus the shared
// device and contact signals, see BatchOptions). A failing item (invalid
// application, lookup error) gets its error in its Result and does not
// stop the others. When ctx is cancelled, items not yet decided get the
// context's error and DecideBatch returns it too; otherwise it returns
// nil.
func (e *Engine) DecideBatch(ctx context.Context, apps []Application, profiles Profiles, now time.Time, opts *BatchOptions) ([]Result, error) {
	var o BatchOptions
	if opts != nil {
		o = *opts
	}
	out := make([]Result, len(apps))
	if profiles == nil {
		return out, fieldErr("profiles", "", ErrMissing)
	}
	if o.Workers < 0 {
		return out, fieldErr("BatchOptions.Workers", "must not be negative", ErrInvalid)
	}
	var sh []shared
	if !o.NoSharedCheck {
		sh = sharedUse(apps)
	}
	book, _ := profiles.(ContactBook)
	err := run(ctx, len(apps), o.Workers, func(ctx context.Context, i int) {
		a := &apps[i]
		var s shared
		if sh != nil {
			s = sh[i]
		}
		d, err := e.decideOne(ctx, a, profiles, book, now, s)
		if err != nil {
			out[i].Err = &ItemError{Index: i, ID: safeID(a.ID), Err: err}
			return
		}
		out[i].Decision = d
	}, func(i int, err error) {
		out[i].Err = &ItemError{Index: i, ID: safeID(apps[i].ID), Err: err}
	})
	return out, err
}

// safeID returns id when it is a valid ID, else "" (errors never echo
// malformed input).
func safeID(id string) string {
	if checkID("", id) != nil {
		return ""
	}
	return id
}

func (e *Engine) decideOne(ctx context.Context, a *Application, profiles Profiles, book ContactBook, now time.Time, sh shared) (Decision, error) {
	ap, err := lookup(ctx, a, profiles, book)
	if err != nil {
		return Decision{}, err
	}
	return e.decide(a, ap, now, sh)
}

// lookup validates an application and fetches its applicant's profile and
// contacts on file.
func lookup(ctx context.Context, a *Application, profiles Profiles, book ContactBook) (Applicant, error) {
	var ap Applicant
	if err := a.Validate(); err != nil {
		return ap, err
	}
	p, err := profiles.Profile(ctx, a.CustomerID)
	switch {
	case err == nil:
		ap.Profile = p
	case errors.Is(err, profile.ErrNotFound):
	case ctx.Err() != nil:
		return ap, ctx.Err()
	default:
		return ap, lookupErr("profile", err)
	}
	if book != nil && a.ContactHash != "" {
		c, err := book.Contacts(ctx, a.CustomerID)
		if err != nil {
			if ctx.Err() != nil {
				return ap, ctx.Err()
			}
			return ap, lookupErr("contacts", err)
		}
		ap.Contacts = c
	}
	return ap, nil
}

// LookupError is the failure of the caller's lookup for one item. It
// unwraps to both ErrLookup and the lookup's own error.
type LookupError struct {
	What string // "profile" or "contacts"
	Err  error
}

// Error returns "credit: lookup failed: WHAT: CAUSE".
func (e *LookupError) Error() string {
	return "credit: lookup failed: " + e.What + ": " + e.Err.Error()
}

// Unwrap returns ErrLookup and the lookup's error.
func (e *LookupError) Unwrap() []error { return []error{ErrLookup, e.Err} }

func lookupErr(what string, err error) error { return &LookupError{What: what, Err: err} }

// sharedUse counts, for each application, the other customers whose
// applications in the batch carry the same device ID or contact hash.
func sharedUse(apps []Application) []shared {
	devices := map[string]map[string]bool{}
	contacts := map[string]map[string]bool{}
	note := func(m map[string]map[string]bool, key, customer string) {
		if key == "" {
			return
		}
		set := m[key]
		if set == nil {
			set = map[string]bool{}
			m[key] = set
		}
		set[customer] = true
	}
	for i := range apps {
		note(devices, apps[i].DeviceID, apps[i].CustomerID)
		note(contacts, apps[i].ContactHash, apps[i].CustomerID)
	}
	out := make([]shared, len(apps))
	for i := range apps {
		if n := len(devices[apps[i].DeviceID]); apps[i].DeviceID != "" && n > 1 {
			out[i].device = n - 1
		}
		if n := len(contacts[apps[i].ContactHash]); apps[i].ContactHash != "" && n > 1 {
			out[i].contact = n - 1
		}
	}
	return out
}

// run calls do(ctx, i) for i in [0, n) on workers goroutines (0 means
// GOMAXPROCS). Items not started when ctx is done get skip(i, ctx.Err()),
// and run then returns ctx.Err(); when every item ran it returns nil.
func run(ctx context.Context, n, workers int, do func(ctx context.Context, i int), skip func(i int, err error)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(n, 1))
	next := make(chan int)
	var skipped atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					skipped.Store(true)
					skip(i, err)
					continue
				}
				do(ctx, i)
			}
		}()
	}
	i := 0
feed:
	for ; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if i < n {
		err := ctx.Err()
		for ; i < n; i++ {
			skip(i, err)
		}
		return err
	}
	if skipped.Load() {
		return ctx.Err()
	}
	return nil
}
