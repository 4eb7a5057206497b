// Command filestore shows a real, durable profile.Store: one file per
// customer in a directory, written atomically (write to a temporary file,
// fsync, rename) with the version in the file, and optimistic concurrency
// checked under a per-customer lock. It is the pattern a bank follows on its
// own database — compare the stored version and write in one atomic step —
// and its test runs the SDK's conformance kit, profiletest.TestStore,
// against it.
//
//	go run ./examples/filestore -dir /tmp/profiles
//
// The lock is in-process (a sync.Mutex per customer), so one process owns a
// directory; across processes a database's conditional UPDATE ... WHERE
// version = $expected plays this part.
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// FileStore keeps each customer's encoded profile in dir/<hex of ID>.prof:
// 8 bytes of version (big-endian) followed by profile.MarshalBinary.
type FileStore struct {
	dir   string
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// NewFileStore returns a store in dir, creating it if needed.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	return &FileStore{dir: dir, locks: make(map[string]*sync.Mutex)}, nil
}

func (s *FileStore) lock(id string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.locks[id]
	if !ok {
		l = new(sync.Mutex)
		s.locks[id] = l
	}
	return l
}

// path names the customer's file by the hex of the ID, so any ID is a safe
// file name.
func (s *FileStore) path(id string) string {
	return filepath.Join(s.dir, fmt.Sprintf("%x.prof", id))
}

// read returns the stored version and encoded profile (0, nil when none).
func (s *FileStore) read(id string) (uint64, []byte, error) {
	data, err := os.ReadFile(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	if len(data) < 8 {
		return 0, nil, fmt.Errorf("filestore: %s is truncated", s.path(id))
	}
	return binary.BigEndian.Uint64(data), data[8:], nil
}

// Get implements profile.Store.
func (s *FileStore) Get(ctx context.Context, id string) (*profile.Profile, uint64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	v, data, err := s.read(id)
	if err != nil {
		return nil, 0, err
	}
	if data == nil {
		return nil, 0, profile.ErrNotFound
	}
	p := new(profile.Profile)
	if err := p.UnmarshalBinary(data); err != nil {
		return nil, 0, err
	}
	return p, v, nil
}

// Put implements profile.Store: the version check and the rename happen
// under the customer's lock, and the rename is atomic, so a failed or
// conflicting write leaves the stored file exactly as it was.
func (s *FileStore) Put(ctx context.Context, p *profile.Profile, version uint64) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	id := p.CustomerID()
	if id == "" {
		return 0, &profile.FieldError{Field: "customer_id", Err: profile.ErrMissing}
	}
	enc, err := p.MarshalBinary()
	if err != nil {
		return 0, err
	}
	l := s.lock(id)
	l.Lock()
	defer l.Unlock()
	cur, _, err := s.read(id)
	if err != nil {
		return 0, err
	}
	if cur != version {
		return 0, profile.ErrConflict
	}
	next := version + 1
	buf := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(enc)), next)
	buf = append(buf, enc...)
	tmp, err := os.CreateTemp(s.dir, "put-*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(buf); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), s.path(id)); err != nil {
		return 0, err
	}
	return next, nil
}

func main() {
	dir := flag.String("dir", "", "directory for the profiles (default: a new temporary directory)")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "filestore:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "suanpan-profiles-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	store, err := NewFileStore(dir)
	if err != nil {
		return err
	}
	b, err := profile.NewBuilder(nil)
	if err != nil {
		return err
	}
	ctx := context.Background()
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, amount := range []string{"12.50", "8.20", "23.00"} {
		e := profile.Event{ID: fmt.Sprintf("e%d", i), CustomerID: "c42", Time: day.Add(time.Duration(i) * time.Hour),
			Type: profile.TypeTransaction, Kind: profile.KindPurchase, Direction: profile.Debit,
			Amount: decimal.RequireFromString(amount), Currency: "EUR", Counterparty: "Bakery"}
		p, err := profile.Update(ctx, store, "c42", func(p *profile.Profile) error { return b.Apply(p, &e, e.Time) })
		if err != nil {
			return err
		}
		_, v, _ := store.Get(ctx, "c42")
		fmt.Printf("applied %s: profile has %d events, stored version %d\n", e.ID, p.Seq(), v)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	fmt.Printf("files in %s: %s\n", dir, strings.Join(names, ", "))
	return nil
}
