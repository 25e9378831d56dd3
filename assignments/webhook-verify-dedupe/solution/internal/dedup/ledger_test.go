package dedup

import (
	"context"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2024, time.March, 14, 9, 30, 0, 0, time.UTC)

func begin(t *testing.T, l *Ledger, id, body, eventID string, at time.Time) Claim {
	t.Helper()
	c, err := l.Begin(context.Background(), "paystream", id, []byte(body), eventID, at)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return c
}

func TestLedgerOutcomes(t *testing.T) {
	l := NewLedger(time.Hour)
	first := begin(t, l, "msg_1", "a", "evt_1", t0)
	if first.Outcome != New {
		t.Fatalf("first = %v, want New", first.Outcome)
	}
	l.Commit(first)

	if c := begin(t, l, "msg_1", "a", "evt_2", t0.Add(time.Minute)); c.Outcome != Duplicate || c.EventID != "evt_1" {
		t.Errorf("retry = %+v, want Duplicate of evt_1", c)
	}
	if c := begin(t, l, "msg_1", "b", "evt_3", t0.Add(time.Minute)); c.Outcome != Conflict {
		t.Errorf("other body = %v, want Conflict", c.Outcome)
	}
	if c := begin(t, l, "msg_2", "a", "evt_4", t0.Add(time.Minute)); c.Outcome != New {
		t.Errorf("other id = %v, want New", c.Outcome)
	}
	if c, _ := l.Begin(context.Background(), "shipwell", "msg_1", []byte("a"), "evt_5", t0); c.Outcome != New {
		t.Errorf("other provider = %v, want New", c.Outcome)
	}
}

func TestLedgerForgetsAfterWindowFromFirstSeen(t *testing.T) {
	l := NewLedger(time.Hour)
	l.Commit(begin(t, l, "msg_1", "a", "evt_1", t0))
	// A retry inside the window does not extend it.
	if c := begin(t, l, "msg_1", "a", "x", t0.Add(59*time.Minute)); c.Outcome != Duplicate {
		t.Fatalf("inside the window: %v, want Duplicate", c.Outcome)
	}
	c := begin(t, l, "msg_1", "a", "evt_2", t0.Add(time.Hour))
	if c.Outcome != New || c.EventID != "evt_2" {
		t.Fatalf("after the window: %+v, want New evt_2", c)
	}
	l.Commit(c)
	if n := l.Len(); n != 1 {
		t.Errorf("Len = %d, want 1 (the expired entry dropped)", n)
	}
}

func TestLedgerAbortForgets(t *testing.T) {
	l := NewLedger(time.Hour)
	l.Abort(begin(t, l, "msg_1", "a", "evt_1", t0))
	if c := begin(t, l, "msg_1", "a", "evt_2", t0); c.Outcome != New {
		t.Fatalf("after Abort: %v, want New", c.Outcome)
	}
}

func TestLedgerRetryWaitsForPendingAttempt(t *testing.T) {
	l := NewLedger(time.Hour)
	first := begin(t, l, "msg_1", "a", "evt_1", t0)
	got := make(chan Claim)
	go func() {
		c, _ := l.Begin(context.Background(), "paystream", "msg_1", []byte("a"), "evt_2", t0)
		got <- c
	}()
	l.Abort(first) // the first attempt failed to store: the waiting retry takes over
	if c := <-got; c.Outcome != New || c.EventID != "evt_2" {
		t.Fatalf("waiting retry = %+v, want New evt_2", c)
	}
}

func TestLedgerWaitStopsWithContext(t *testing.T) {
	l := NewLedger(time.Hour)
	begin(t, l, "msg_1", "a", "evt_1", t0) // never finished
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Begin(ctx, "paystream", "msg_1", []byte("a"), "evt_2", t0); err == nil {
		t.Fatal("Begin returned no error for a cancelled context")
	}
}

func TestLedgerConcurrentBeginsHaveOneOwner(t *testing.T) {
	l := NewLedger(time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	owners := 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := l.Begin(context.Background(), "paystream", "msg_1", []byte("a"), "evt", t0)
			if err != nil {
				t.Error(err)
				return
			}
			if c.Outcome == New {
				mu.Lock()
				owners++
				mu.Unlock()
				l.Commit(c)
			}
		}()
	}
	wg.Wait()
	if owners != 1 {
		t.Fatalf("%d owners, want 1", owners)
	}
}
