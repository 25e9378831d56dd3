package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"

	"ledgerly.dev/hooksink/internal/events"
)

// ackBody is what a sender gets back for a delivery we took.
type ackBody struct {
	Status  string `json:"status"`
	EventID string `json:"event_id"`
}

func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request) {
	provider := chi.URLParam(r, "provider")
	p, ok := s.cfg.Providers[provider]
	if !ok {
		writeError(w, http.StatusNotFound, "unknown_provider", "no provider named "+provider)
		return
	}
	deliveryID := r.Header.Get("Webhook-Id")
	if deliveryID == "" {
		writeError(w, http.StatusBadRequest, "missing_delivery_id", "Webhook-Id is required")
		return
	}
	now := s.now()
	key := provider + "/" + deliveryID

	// Retries are cheap to answer: check them first, before reading the body.
	s.mu.Lock()
	if prev, ok := s.seen[key]; ok && now.Sub(prev.at) < s.cfg.DedupWindow {
		s.seen[key] = seenDelivery{eventID: prev.eventID, at: now} // still retrying: keep it
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, ackBody{Status: "duplicate", EventID: prev.eventID})
		return
	}
	s.mu.Unlock()

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is over the limit")
			return
		}
		writeError(w, http.StatusBadRequest, "invalid_json", "could not read the body")
		return
	}
	err = verify(p.Secrets, s.cfg.SignatureTolerance, deliveryID,
		r.Header.Get("Webhook-Timestamp"), r.Header.Get("Webhook-Signature"), body, now)
	if err != nil {
		writeError(w, http.StatusUnauthorized, err.Error(), "signature check failed")
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

	evt := events.Event{
		ID:         s.newID(),
		Provider:   provider,
		DeliveryID: deliveryID,
		Type:       head.Type,
		ReceivedAt: now.UTC(),
		Payload:    json.RawMessage(body),
	}
	s.mu.Lock()
	s.seen[key] = seenDelivery{eventID: evt.ID, at: now}
	s.mu.Unlock()
	if err := s.store.Append(r.Context(), evt); err != nil {
		s.log.Printf("append %s delivery %q: %v", provider, evt.DeliveryID, err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the event")
		return
	}
	writeJSON(w, http.StatusAccepted, ackBody{Status: "accepted", EventID: evt.ID})
}
