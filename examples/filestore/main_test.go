package main

import (
	"testing"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/profile/profiletest"
)

// TestFileStore runs the SDK's conformance kit against the file store.
func TestFileStore(t *testing.T) {
	profiletest.TestStore(t, func(t *testing.T) profile.Store {
		s, err := NewFileStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestRun(t *testing.T) {
	if err := run(t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
