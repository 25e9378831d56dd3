// Package events holds the webhook events hooksink has accepted. The ledger workers read them
// from the store and apply them; anything appended here is processed exactly once per Append.
package events

import (
	"context"
	"encoding/json"
	"time"
)

// Event is one accepted webhook delivery.
type Event struct {
	ID         string          `json:"id"`          // ours, a UUID
	Provider   string          `json:"provider"`    // "paystream", "shipwell", ...
	DeliveryID string          `json:"delivery_id"` // the sender's Webhook-Id
	Type       string          `json:"type"`        // the payload's "type", e.g. "payment.settled"
	ReceivedAt time.Time       `json:"received_at"` // UTC
	Payload    json.RawMessage `json:"payload"`     // the body exactly as received
}

// Store is where accepted events go. The production implementation writes to the outbox table
// the ledger workers poll; tests and local runs use Memory.
type Store interface {
	Append(ctx context.Context, e Event) error
	List(ctx context.Context) ([]Event, error)
}
