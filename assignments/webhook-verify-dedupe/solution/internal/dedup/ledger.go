// Package dedup remembers which webhook deliveries hooksink has already taken, so that a
// provider's retries are acknowledged without being processed twice.
package dedup

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// Outcome is what Begin decided about a delivery.
type Outcome int

const (
	// New: the delivery was not seen inside the window. The caller now owns it and must call
	// Commit once the event is stored, or Abort if storing failed.
	New Outcome = iota
	// Duplicate: the same delivery (same ID, same body) was already taken; EventID is the
	// event it became.
	Duplicate
	// Conflict: the ID was already taken with a different body.
	Conflict
)

// Claim is the result of Begin.
type Claim struct {
	Outcome Outcome
	EventID string
	entry   *entry
}

type key struct{ provider, deliveryID string }

type entry struct {
	key       key
	bodySum   [sha256.Size]byte
	eventID   string
	firstSeen time.Time
	// done is closed when the delivery that created the entry is committed or aborted; until
	// then a retry waits rather than acknowledging an event that may never be stored.
	done    chan struct{}
	pending bool
	aborted bool
}

// Ledger is an in-memory record of recent deliveries, safe for concurrent use. Each entry is
// kept for the window from its first acceptance, then forgotten: memory is bounded by the
// delivery rate times the window.
type Ledger struct {
	window time.Duration

	mu      sync.Mutex
	entries map[key]*entry
	order   []*entry // by firstSeen, oldest first, for expiry
}

// NewLedger returns a ledger that remembers deliveries for window.
func NewLedger(window time.Duration) *Ledger {
	return &Ledger{window: window, entries: make(map[key]*entry)}
}

// Begin records the delivery as in progress if it is new, or reports the earlier delivery with
// the same ID. A retry that arrives while the first attempt is still being stored waits for it
// (or for ctx).
func (l *Ledger) Begin(ctx context.Context, provider, deliveryID string, body []byte, eventID string, now time.Time) (Claim, error) {
	k := key{provider, deliveryID}
	sum := sha256.Sum256(body)
	for {
		l.mu.Lock()
		l.expire(now)
		e, seen := l.entries[k]
		if !seen {
			e = &entry{key: k, bodySum: sum, eventID: eventID, firstSeen: now,
				done: make(chan struct{}), pending: true}
			l.entries[k] = e
			l.order = append(l.order, e)
			l.mu.Unlock()
			return Claim{Outcome: New, EventID: eventID, entry: e}, nil
		}
		if e.pending {
			done := e.done
			l.mu.Unlock()
			select {
			case <-done:
				continue // committed or aborted: look again
			case <-ctx.Done():
				return Claim{}, ctx.Err()
			}
		}
		l.mu.Unlock()
		if e.bodySum != sum {
			return Claim{Outcome: Conflict, EventID: e.eventID}, nil
		}
		return Claim{Outcome: Duplicate, EventID: e.eventID}, nil
	}
}

// Commit marks a New claim's event as stored: from now on its retries are duplicates.
func (l *Ledger) Commit(c Claim) {
	l.finish(c, false)
}

// Abort forgets a New claim whose event could not be stored, so the provider's retry is
// processed as a new delivery.
func (l *Ledger) Abort(c Claim) {
	l.finish(c, true)
}

func (l *Ledger) finish(c Claim, aborted bool) {
	if c.entry == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e := c.entry
	if !e.pending {
		return
	}
	e.pending = false
	e.aborted = aborted
	if aborted && l.entries[e.key] == e {
		delete(l.entries, e.key)
	}
	close(e.done)
}

// Len is the number of deliveries remembered, in progress included.
func (l *Ledger) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// expire drops entries whose window has passed. l.order is sorted by firstSeen, so this stops
// at the first live entry: amortised O(1) per delivery. Callers hold l.mu.
func (l *Ledger) expire(now time.Time) {
	n := 0
	for _, e := range l.order {
		if e.pending || now.Sub(e.firstSeen) < l.window {
			break
		}
		if l.entries[e.key] == e {
			delete(l.entries, e.key)
		}
		n++
	}
	if n > 0 {
		for i := range l.order[:n] {
			l.order[i] = nil // let the collector have them
		}
		l.order = l.order[n:]
	}
}
