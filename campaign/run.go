package campaign

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Run plans the customers at now (see Plan), then for each customer
// commits the choices to the ContactLog with the history version the plan
// read, takes any channel capacity or budget they need from the Counters,
// and hands the messages due now to d, at most once each: the ContactLog
// records a message as sent before d sees it. A customer whose commit
// loses a race with another planner (ErrConflict, ErrDuplicate, or
// capacity taken meanwhile) is planned again against the fresh history, up
// to Options.MaxRetries times, so two planners running at once never send
// the same message twice and never break a cap.
//
// The returned Plan describes what was committed: Sends are the messages
// handed to d, Failed those d refused (recorded as StatusFailed), Retries
// the re-plans, and Skipped the customers still conflicting after the
// retries (nothing was written for them). Customers are processed in
// parallel and d may be called concurrently. When ctx is cancelled, Run
// stops, records undelivered messages as failed, and returns ctx.Err()
// with the plan so far.
func (p *Planner) Run(ctx context.Context, now time.Time, customers []Customer, d Delivery) (*Plan, error) {
	if d == nil {
		return nil, fieldErr("delivery", ErrMissing)
	}
	pl, err := p.Plan(ctx, now, customers)
	if err != nil {
		return nil, err
	}
	commits := pl.commits
	final := make([]*commit, len(commits))
	failed := make([][]Send, len(commits))
	var retries atomic.Int64
	var skippedMu sync.Mutex
	var skipped []string
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	for range max(1, min(p.workers, len(commits))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(commits) {
					return
				}
				cm, fl, n, err := p.execute(ctx, now, customers, commits[i], d)
				retries.Add(int64(n))
				final[i], failed[i] = cm, fl
				switch {
				case errors.Is(err, errGiveUp):
					skippedMu.Lock()
					skipped = append(skipped, commits[i].customerID)
					skippedMu.Unlock()
				case err != nil:
					errOnce.Do(func() { firstErr = err })
				}
			}
		}()
	}
	wg.Wait()
	var done []*commit
	for _, c := range final {
		if c != nil {
			done = append(done, c)
		}
	}
	out := p.assemble(now, done)
	for _, f := range failed {
		out.Failed = append(out.Failed, f...)
	}
	if len(out.Failed) > 0 {
		fk := make(map[string]bool, len(out.Failed))
		for _, f := range out.Failed {
			fk[f.Key] = true
		}
		kept := out.Sends[:0]
		for _, s := range out.Sends {
			if !fk[s.Key] {
				kept = append(kept, s)
			}
		}
		out.Sends = kept
	}
	out.Retries = int(retries.Load())
	out.Skipped = skipped
	return out, firstErr
}

// errGiveUp: a customer still conflicted after the retries.
var errGiveUp = errors.New("campaign: gave up after retries")

// execute commits one customer's plan and delivers its due messages,
// re-planning on a lost race. It returns the commit that was written (nil
// when none), the messages whose delivery failed, and the re-plans made.
func (p *Planner) execute(ctx context.Context, now time.Time, customers []Customer, cm *commit, d Delivery) (*commit, []Send, int, error) {
	retries := 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, nil, retries, err
		}
		ok, err := p.tryCommit(ctx, cm)
		if err != nil {
			return nil, nil, retries, err
		}
		if ok {
			break
		}
		if retries >= p.retries {
			return nil, nil, retries, errGiveUp
		}
		retries++
		r := p.newRun(now, true)
		re, err := r.planAll(ctx, customers[cm.idx:cm.idx+1])
		if err != nil {
			return nil, nil, retries, err
		}
		if len(re) == 0 {
			return nil, nil, retries, nil // nothing left to do
		}
		idx := cm.idx
		cm = re[0]
		cm.idx = idx
	}
	var failed []Send
	for i := range cm.sends {
		s := &cm.sends[i]
		err := ctx.Err()
		if err == nil {
			err = d.Deliver(ctx, s)
		}
		if err != nil {
			failed = append(failed, *s)
		}
	}
	if len(failed) > 0 {
		keys := make(map[string]bool, len(failed))
		for _, f := range failed {
			keys[f.Key] = true
		}
		// Record the failures even when ctx was cancelled: it is cleanup.
		err := updateContacts(context.WithoutCancel(ctx), p.log, cm.customerID, func(c *Contact) bool {
			if keys[c.Key] && c.Status == StatusSent {
				c.Status = StatusFailed
				return true
			}
			return false
		})
		if err != nil {
			return cm, failed, retries, err
		}
	}
	return cm, failed, retries, ctx.Err()
}

// tryCommit takes the commit's counters and writes it; false means the
// customer must be planned again (a race was lost).
func (p *Planner) tryCommit(ctx context.Context, cm *commit) (bool, error) {
	taken := 0
	release := func() error {
		for _, u := range cm.uses[:taken] {
			if err := p.counters.Release(context.WithoutCancel(ctx), u.key, 1); err != nil {
				return &CallerError{Op: "Counters.Release", CustomerID: cm.customerID, Err: err}
			}
		}
		return nil
	}
	for _, u := range cm.uses {
		ok, err := p.counters.Take(ctx, u.key, 1, u.limit)
		if err != nil {
			if rerr := release(); rerr != nil {
				return false, rerr
			}
			return false, &CallerError{Op: "Counters.Take", CustomerID: cm.customerID, Err: err}
		}
		if !ok {
			return false, release()
		}
		taken++
	}
	if len(cm.inserts) == 0 && len(cm.updates) == 0 {
		return true, nil
	}
	_, err := p.log.Commit(ctx, cm.customerID, cm.version, cm.inserts, cm.updates)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrConflict) || errors.Is(err, ErrDuplicate):
		return false, release()
	}
	if rerr := release(); rerr != nil {
		return false, rerr
	}
	return false, &CallerError{Op: "ContactLog.Commit", CustomerID: cm.customerID, Err: err}
}

// maxUpdateAttempts bounds the read-modify-write loops of updateContacts.
const maxUpdateAttempts = 20

// updateContacts applies change to the customer's contacts and commits
// those it changed, re-reading on version conflicts.
func updateContacts(ctx context.Context, log ContactLog, customerID string, change func(c *Contact) bool) error {
	var buf []Contact
	for range maxUpdateAttempts {
		hist, version, err := log.Contacts(ctx, customerID, time.Time{}, buf[:0])
		if err != nil {
			return &CallerError{Op: "ContactLog.Contacts", CustomerID: customerID, Err: err}
		}
		buf = hist
		var upd []Contact
		for i := range hist {
			c := hist[i]
			if change(&c) {
				upd = append(upd, c)
			}
		}
		if len(upd) == 0 {
			return nil
		}
		_, err = log.Commit(ctx, customerID, version, nil, upd)
		if err == nil {
			return nil
		}
		if !errors.Is(err, ErrConflict) {
			return &CallerError{Op: "ContactLog.Commit", CustomerID: customerID, Err: err}
		}
	}
	return &CallerError{Op: "ContactLog.Commit", CustomerID: customerID, Err: ErrConflict}
}

// RecordOutcome records the customer's response to the message with the
// given idempotency key (which drives fatigue): it reads the history,
// sets Outcome and OutcomeAt, and commits, retrying on version conflicts.
// A key the customer's history does not hold is ErrNotFound.
func RecordOutcome(ctx context.Context, log ContactLog, customerID, key string, o Outcome, at time.Time) error {
	if o > OutcomeEngaged {
		return fieldErr("outcome", ErrInvalid)
	}
	if at.IsZero() {
		return fieldErr("at", ErrMissing)
	}
	found := false
	err := updateContacts(ctx, log, customerID, func(c *Contact) bool {
		if c.Key != key {
			return false
		}
		found = true
		if c.Outcome == o && c.OutcomeAt.Equal(at) {
			return false
		}
		c.Outcome, c.OutcomeAt = o, at.UTC()
		return true
	})
	if err != nil {
		return err
	}
	if !found {
		return fieldErr("key", ErrNotFound)
	}
	return nil
}
