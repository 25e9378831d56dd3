package server_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"ledgerly.dev/hooksink/internal/config"
	"ledgerly.dev/hooksink/internal/events"
	"ledgerly.dev/hooksink/internal/server"
)

const testConfig = `
providers:
  paystream:
    secrets: ["whsec_test_only"]
`

var fixedNow = time.Date(2024, time.March, 14, 9, 30, 0, 0, time.UTC)

func newServer(t *testing.T) (*server.Server, *events.Memory) {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	store := events.NewMemory()
	return server.New(cfg, store, server.WithClock(func() time.Time { return fixedNow })), store
}

// sign computes a v1 signature as docs/webhook-signing.md describes.
func sign(secret, id, timestamp, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(id + "." + timestamp + "." + body))
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

func post(h http.Handler, provider string, headers map[string]string, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/"+provider, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHealthz(t *testing.T) {
	srv, _ := newServer(t)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
}

func TestSignedDeliveryIsAccepted(t *testing.T) {
	srv, store := newServer(t)
	body := `{"type":"payment.settled","amount":1250}`
	ts := strconv.FormatInt(fixedNow.Unix(), 10)
	rec := post(srv, "paystream", map[string]string{
		"Webhook-Id":        "msg_001",
		"Webhook-Timestamp": ts,
		"Webhook-Signature": sign("whsec_test_only", "msg_001", ts, body),
	}, body)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("status = %d, want 202; body %s", rec.Code, rec.Body)
	}
	var ack struct {
		Status  string `json:"status"`
		EventID string `json:"event_id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &ack); err != nil || ack.Status != "accepted" || ack.EventID == "" {
		t.Fatalf("response = %s, want {\"status\":\"accepted\",\"event_id\":...}", rec.Body)
	}
	stored, _ := store.List(context.Background())
	if len(stored) != 1 || stored[0].DeliveryID != "msg_001" || stored[0].Type != "payment.settled" {
		t.Fatalf("stored = %+v, want the one payment.settled event of msg_001", stored)
	}
}

func TestUnsignedDeliveryIsRejected(t *testing.T) {
	srv, store := newServer(t)
	rec := post(srv, "paystream", map[string]string{"Webhook-Id": "msg_002"},
		`{"type":"payment.settled","amount":99999}`)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401; body %s", rec.Code, rec.Body)
	}
	if stored, _ := store.List(context.Background()); len(stored) != 0 {
		t.Fatalf("an unsigned delivery was stored: %+v", stored)
	}
}

func TestUnknownProviderIsNotFound(t *testing.T) {
	srv, _ := newServer(t)
	rec := post(srv, "acme", nil, `{"type":"x"}`)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", rec.Code)
	}
}
