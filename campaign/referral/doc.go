// Package referral runs referral (viral) programmes: deterministic,
// collision-checked codes that cannot be guessed without the bank's
// secret; the referral tree with cycle detection; an attribution window;
// rewards per generation; the K-factor (viral coefficient) per
// generation; and abuse flags when a referee shares the referrer's device,
// IP network or payee, read from their profiles.
//
// # Quick start
//
//	tree, _ := referral.NewTree(secret, &referral.Options{
//		Window:        30 * 24 * time.Hour,
//		Rewards:       []decimal.Decimal{decimal.NewFromInt(500)}, // referrer
//		RefereeReward: decimal.NewFromInt(200),                    // welcome bonus
//	})
//	code, _ := tree.Issue("alice")                  // show code.Format() in Alice's app
//	err := tree.Refer("bob", "7kq2 m9xd h", signup) // Bob typed it at sign-up
//	// ... Bob opens his account: the qualifying event.
//	f, _ := referral.Check(aliceProfile, bobProfile, now, &referral.CheckOptions{Common: bigPayees})
//	q, err := tree.Qualify("bob", now, f.Flags)
//	for _, r := range q.Rewards {
//		if r.Status == referral.StatusPayable {
//			// Pay through the rewards ledger; r.ID makes paying idempotent.
//			ledger.Apply(ctx, rewards.Op{ID: r.ID, Kind: rewards.KindEarn,
//				Customer: r.Beneficiary, Points: r.Points, At: now, Ref: "referral"})
//		}
//	}
//	for _, g := range tree.Generations() { fmt.Println(g.Depth, g.K) }
//
// # Bad input
//
// Errors are *Error (naming the field and, in a batch, the index) or
// *CycleError, wrapping sentinels such as ErrSelfReferral, ErrCycle,
// ErrAlreadyReferred, ErrOutsideWindow and ErrCode; they never contain
// customer IDs, codes or the secret. A failed call leaves the tree
// unchanged; a batch (Add, Restore) is all or nothing.
//
// # Storage
//
// A Tree lives in memory; Snapshot and Restore (with DecodeSnapshot for
// JSON) move it to and from the caller's storage. Codes are not stored:
// they are derived from the secret.
package referral
