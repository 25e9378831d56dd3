package server

import (
	"encoding/json"
	"errors"
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
	if _, ok := s.cfg.Providers[provider]; !ok {
		writeError(w, http.StatusNotFound, "unknown_provider", "no provider named "+provider)
		return
	}

	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	var payload json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&payload); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is over the limit")
			return
		}
		writeError(w, http.StatusBadRequest, "invalid_json", "the body is not JSON")
		return
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(payload, &head); err != nil || head.Type == "" {
		writeError(w, http.StatusBadRequest, "invalid_payload", `the body must be a JSON object with a "type"`)
		return
	}

	// TODO(HOOK-112): verify the signature before we trust anything in the request.

	evt := events.Event{
		ID:         s.newID(),
		Provider:   provider,
		DeliveryID: r.Header.Get("Webhook-Id"),
		Type:       head.Type,
		ReceivedAt: s.now().UTC(),
		Payload:    payload,
	}
	if err := s.store.Append(r.Context(), evt); err != nil {
		s.log.Printf("append %s delivery %q: %v", provider, evt.DeliveryID, err)
		writeError(w, http.StatusInternalServerError, "internal", "could not store the event")
		return
	}
	s.log.Printf("accepted %s %s delivery %q as %s", provider, evt.Type, evt.DeliveryID, evt.ID)
	writeJSON(w, http.StatusAccepted, ackBody{Status: "accepted", EventID: evt.ID})
}
