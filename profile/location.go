package profile

import (
	"sync"
	"time"
)

// locations memoises time.LoadLocation, which reads the time zone database
// on every call. It changes no behaviour: a name always maps to the same zone.
var locations sync.Map // string -> *time.Location

// loadLocation returns the IANA zone name ("" is UTC).
func loadLocation(name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, l)
	return l, nil
}
