package events

import (
	"context"
	"sync"
)

// Memory is an in-process Store, safe for concurrent use.
type Memory struct {
	mu     sync.Mutex
	events []Event
}

// NewMemory returns an empty Memory store.
func NewMemory() *Memory {
	return &Memory{}
}

// Append records e.
func (m *Memory) Append(_ context.Context, e Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, e)
	return nil
}

// List returns a copy of every event, oldest first.
func (m *Memory) List(_ context.Context) ([]Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Event, len(m.events))
	copy(out, m.events)
	return out, nil
}
