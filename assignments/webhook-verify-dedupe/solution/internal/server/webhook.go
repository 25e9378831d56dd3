package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"

	"ledgerly.dev/hooksink/internal/dedup"
	"ledgerly.dev/hooksink/internal/events"
	"ledgerly.dev/hooksink/internal/signature"
)

// ackBody is what a sender gets back for a delivery we took.
type ackBody struct {
	Status  string `json:"status"`
	EventID string `json:"event_id"`
}

// handleWebhook takes one delivery. The order matters: nothing in the request is trusted, and
// nothing is remembered, before the signature is verified; the delivery is marked as seen only
// once its event is stored.
func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request) {
	provider := chi.URLParam(r, "provider")
	verifier, ok := s.verifiers[provider]
	if !ok {
		writeError(w, http.StatusNotFound, "unknown_provider", "no provider named "+provider)
		return
	}

	// The signature covers the exact bytes, so read them all before decoding anything.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is over the limit")
			return
		}
		writeError(w, http.StatusBadRequest, "unreadable_body", "could not read the body")
		return
	}

	deliveryID := r.Header.Get("Webhook-Id")
	if deliveryID == "" {
		writeError(w, http.StatusBadRequest, "missing_delivery_id", "Webhook-Id is required")
		return
	}
	now := s.now()
	err = verifier.Verify(deliveryID, r.Header.Get("Webhook-Timestamp"), r.Header.Get("Webhook-Signature"), body, now)
	if err != nil {
		code := signatureErrorCode(err)
		s.log.Printf("rejected %s delivery %q: %v", provider, deliveryID, err)
		writeError(w, http.StatusUnauthorized, code, err.Error())
		return
	}

	var head struct {
		Type string `json:"type"`
	}
	if !json.Valid(body) {
		writeError(w, http.StatusBadRequest, "invalid_json", "the body is not JSON")
		return
	}
	if err := json.Unmarshal(body, &head); err != nil || head.Type == "" {
		writeError(w, http.StatusBadRequest, "invalid_payload", `the body must be a JSON object with a "type"`)
		return
	}

	claim, err := s.seen.Begin(r.Context(), provider, deliveryID, body, s.newID(), now)
	if err != nil { // the request was cancelled while an earlier attempt was being stored
		writeError(w, http.StatusServiceUnavailable, "retry_later", "the delivery is being processed")
		return
	}
	switch claim.Outcome {
	case dedup.Duplicate:
		s.log.Printf("duplicate %s delivery %q (event %s)", provider, deliveryID, claim.EventID)
		writeJSON(w, http.StatusOK, ackBody{Status: "duplicate", EventID: claim.EventID})
		return
	case dedup.Conflict:
		s.log.Printf("conflict: %s delivery %q reused with another body", provider, deliveryID)
		writeError(w, http.StatusConflict, "delivery_id_conflict",
			"this Webhook-Id was already delivered with a different body")
		return
	}

	evt := events.Event{
		ID:         claim.EventID,
		Provider:   provider,
		DeliveryID: deliveryID,
		Type:       head.Type,
		ReceivedAt: now.UTC(),
		Payload:    json.RawMessage(body),
	}
	if err := s.store.Append(r.Context(), evt); err != nil {
		s.seen.Abort(claim)
		s.log.Printf("append %s delivery %q: %v", provider, deliveryID, err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the event")
		return
	}
	s.seen.Commit(claim)
	s.log.Printf("accepted %s %s delivery %q as %s", provider, evt.Type, deliveryID, evt.ID)
	writeJSON(w, http.StatusAccepted, ackBody{Status: "accepted", EventID: evt.ID})
}

func signatureErrorCode(err error) string {
	switch {
	case errors.Is(err, signature.ErrMissing):
		return "missing_signature"
	case errors.Is(err, signature.ErrInvalidTimestamp):
		return "invalid_timestamp"
	case errors.Is(err, signature.ErrOutOfTolerance):
		return "timestamp_out_of_tolerance"
	default:
		return "invalid_signature"
	}
}
