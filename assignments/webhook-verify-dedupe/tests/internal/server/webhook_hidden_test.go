package server_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"ledgerly.dev/hooksink/internal/config"
	"ledgerly.dev/hooksink/internal/events"
	"ledgerly.dev/hooksink/internal/server"
)

// ---- fixtures --------------------------------------------------------------------------

const (
	paystreamSecret = "whsec_ps_hidden_1b7e"
	shipwellNew     = "whsec_sw_hidden_new_90c2"
	shipwellOld     = "whsec_sw_hidden_old_44d1"
	settled         = `{"type":"payment.settled","payment_id":"pay_81","amount":1250,"currency":"EUR"}`
)

const baseConfig = `
providers:
  paystream:
    secrets: ["` + paystreamSecret + `"]
  shipwell:
    secrets: ["` + shipwellNew + `", "` + shipwellOld + `"]
`

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type harness struct {
	t     *testing.T
	srv   *server.Server
	store events.Store
	clock *fakeClock
}

func newHarness(t *testing.T, extraConfig string, store events.Store) *harness {
	t.Helper()
	cfg, err := config.Parse([]byte(extraConfig + baseConfig))
	if err != nil {
		t.Fatalf("config.Parse: %v", err)
	}
	if store == nil {
		store = events.NewMemory()
	}
	clock := &fakeClock{t: time.Date(2024, time.March, 14, 9, 30, 0, 0, time.UTC)}
	return &harness{t: t, srv: server.New(cfg, store, server.WithClock(clock.Now)), store: store, clock: clock}
}

func hexMAC(secret, id, timestamp, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(id + "." + timestamp + "." + body))
	return hex.EncodeToString(mac.Sum(nil))
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

type delivery struct {
	provider  string
	id        string
	timestamp string
	signature string
	body      string
	omit      []string // headers to leave out
}

// signed is a delivery signed now with the provider's (first) secret.
func (h *harness) signed(provider, secret, id, body string) delivery {
	ts := unix(h.clock.Now())
	return delivery{provider: provider, id: id, timestamp: ts, body: body,
		signature: "v1=" + hexMAC(secret, id, ts, body)}
}

type reply struct {
	code    int
	raw     string
	Status  string `json:"status"`
	EventID string `json:"event_id"`
	Error   string `json:"error"`
}

func (h *harness) send(d delivery) reply {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/"+d.provider, strings.NewReader(d.body))
	req.Header.Set("Content-Type", "application/json")
	headers := map[string]string{"Webhook-Id": d.id, "Webhook-Timestamp": d.timestamp, "Webhook-Signature": d.signature}
	for _, name := range d.omit {
		delete(headers, name)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	r := reply{code: rec.Code, raw: rec.Body.String()}
	_ = json.Unmarshal(rec.Body.Bytes(), &r)
	return r
}

func (h *harness) stored() []events.Event {
	h.t.Helper()
	list, err := h.store.List(context.Background())
	if err != nil {
		h.t.Fatalf("List: %v", err)
	}
	return list
}

func expect(t *testing.T, r reply, code int, errorCode string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("status = %d, want %d; body %s", r.code, code, r.raw)
	}
	if errorCode != "" && r.Error != errorCode {
		t.Fatalf(`error = %q, want %q; body %s`, r.Error, errorCode, r.raw)
	}
}

func expectStored(t *testing.T, h *harness, n int) {
	t.Helper()
	if got := h.stored(); len(got) != n {
		t.Fatalf("%d events stored, want %d: %+v", len(got), n, got)
	}
}

// ---- signatures (HOOK-112) ---------------------------------------------------------------

func TestSignedDeliveryIsAcceptedAndStored(t *testing.T) {
	h := newHarness(t, "", nil)
	r := h.send(h.signed("paystream", paystreamSecret, "msg_2Xb81kQ", settled))
	expect(t, r, http.StatusAccepted, "")
	if r.Status != "accepted" {
		t.Fatalf(`status field = %q, want "accepted"`, r.Status)
	}
	if _, err := uuid.Parse(r.EventID); err != nil {
		t.Fatalf("event_id %q is not a UUID: %v", r.EventID, err)
	}
	got := h.stored()
	if len(got) != 1 {
		t.Fatalf("%d events stored, want 1", len(got))
	}
	e := got[0]
	if e.ID != r.EventID || e.Provider != "paystream" || e.DeliveryID != "msg_2Xb81kQ" || e.Type != "payment.settled" {
		t.Errorf("stored %+v; want id %s, provider paystream, delivery msg_2Xb81kQ, type payment.settled", e, r.EventID)
	}
	if !e.ReceivedAt.Equal(h.clock.Now()) {
		t.Errorf("ReceivedAt = %s, want the server clock %s", e.ReceivedAt, h.clock.Now())
	}
	if string(e.Payload) != settled {
		t.Errorf("Payload = %s, want the body exactly as sent", e.Payload)
	}
}

func TestMissingSignatureHeadersAreRejected(t *testing.T) {
	for _, header := range []string{"Webhook-Timestamp", "Webhook-Signature"} {
		t.Run(header, func(t *testing.T) {
			h := newHarness(t, "", nil)
			d := h.signed("paystream", paystreamSecret, "msg_1", settled)
			d.omit = []string{header}
			expect(t, h.send(d), http.StatusUnauthorized, "missing_signature")
			expectStored(t, h, 0)
		})
	}
}

func TestMissingDeliveryIDIsRejected(t *testing.T) {
	h := newHarness(t, "", nil)
	d := h.signed("paystream", paystreamSecret, "", settled)
	d.omit = []string{"Webhook-Id"}
	expect(t, h.send(d), http.StatusBadRequest, "missing_delivery_id")
	expectStored(t, h, 0)
}

func TestNonNumericTimestampIsRejected(t *testing.T) {
	for _, ts := range []string{"2024-03-14T09:30:00Z", "1710408600.5", "abc"} {
		t.Run(ts, func(t *testing.T) {
			h := newHarness(t, "", nil)
			d := delivery{provider: "paystream", id: "msg_1", timestamp: ts, body: settled,
				signature: "v1=" + hexMAC(paystreamSecret, "msg_1", ts, settled)}
			expect(t, h.send(d), http.StatusUnauthorized, "invalid_timestamp")
			expectStored(t, h, 0)
		})
	}
}

func signedAt(h *harness, at time.Time, id string) delivery {
	ts := unix(at)
	return delivery{provider: "paystream", id: id, timestamp: ts, body: settled,
		signature: "v1=" + hexMAC(paystreamSecret, id, ts, settled)}
}

func TestTimestampOlderThanToleranceIsRejected(t *testing.T) {
	h := newHarness(t, "", nil)
	d := signedAt(h, h.clock.Now().Add(-5*time.Minute-time.Second), "msg_old")
	expect(t, h.send(d), http.StatusUnauthorized, "timestamp_out_of_tolerance")
	expectStored(t, h, 0)
}

func TestTimestampTooFarInFutureIsRejected(t *testing.T) {
	h := newHarness(t, "", nil)
	d := signedAt(h, h.clock.Now().Add(5*time.Minute+time.Second), "msg_future")
	expect(t, h.send(d), http.StatusUnauthorized, "timestamp_out_of_tolerance")
	expectStored(t, h, 0)
}

func TestTimestampAtToleranceBoundaryIsAccepted(t *testing.T) {
	h := newHarness(t, "", nil)
	expect(t, h.send(signedAt(h, h.clock.Now().Add(-5*time.Minute), "msg_edge_past")), http.StatusAccepted, "")
	expect(t, h.send(signedAt(h, h.clock.Now().Add(5*time.Minute), "msg_edge_future")), http.StatusAccepted, "")
	expectStored(t, h, 2)
}

func TestToleranceComesFromConfig(t *testing.T) {
	h := newHarness(t, "signature_tolerance: 30s\n", nil)
	expect(t, h.send(signedAt(h, h.clock.Now().Add(-45*time.Second), "msg_a")), http.StatusUnauthorized, "timestamp_out_of_tolerance")
	expect(t, h.send(signedAt(h, h.clock.Now().Add(-20*time.Second), "msg_b")), http.StatusAccepted, "")
}

func TestWrongSecretIsRejected(t *testing.T) {
	h := newHarness(t, "", nil)
	expect(t, h.send(h.signed("paystream", "whsec_guessed", "msg_1", settled)), http.StatusUnauthorized, "invalid_signature")
	expectStored(t, h, 0)
}

func TestSecretOfAnotherProviderIsRejected(t *testing.T) {
	h := newHarness(t, "", nil)
	expect(t, h.send(h.signed("paystream", shipwellNew, "msg_1", settled)), http.StatusUnauthorized, "invalid_signature")
	expectStored(t, h, 0)
}

func TestTamperedBodyIsRejected(t *testing.T) {
	h := newHarness(t, "", nil)
	d := h.signed("paystream", paystreamSecret, "msg_1", settled)
	d.body = strings.Replace(settled, "1250", "125000", 1)
	expect(t, h.send(d), http.StatusUnauthorized, "invalid_signature")
	expectStored(t, h, 0)
}

func TestSignatureCoversDeliveryID(t *testing.T) {
	h := newHarness(t, "", nil)
	d := h.signed("paystream", paystreamSecret, "msg_original", settled)
	d.id = "msg_replayed"
	expect(t, h.send(d), http.StatusUnauthorized, "invalid_signature")
	expectStored(t, h, 0)
}

func TestSignatureCoversTimestamp(t *testing.T) {
	h := newHarness(t, "", nil)
	d := signedAt(h, h.clock.Now().Add(-time.Minute), "msg_1")
	d.timestamp = unix(h.clock.Now()) // refreshed timestamp, old signature
	expect(t, h.send(d), http.StatusUnauthorized, "invalid_signature")
	expectStored(t, h, 0)
}

func TestAnyConfiguredSecretIsAccepted(t *testing.T) {
	h := newHarness(t, "", nil)
	body := `{"type":"shipment.delivered","shipment_id":"shp_3"}`
	expect(t, h.send(h.signed("shipwell", shipwellNew, "sw_1", body)), http.StatusAccepted, "")
	expect(t, h.send(h.signed("shipwell", shipwellOld, "sw_2", body)), http.StatusAccepted, "")
	expectStored(t, h, 2)
}

func TestAnyListedSignatureMayMatch(t *testing.T) {
	h := newHarness(t, "", nil)
	d := h.signed("paystream", paystreamSecret, "msg_rotating", settled)
	stale := hexMAC("whsec_retired", d.id, d.timestamp, settled)
	d.signature = "v1=" + stale + ", " + d.signature
	expect(t, h.send(d), http.StatusAccepted, "")
}

func TestOtherSignatureVersionsAreIgnored(t *testing.T) {
	h := newHarness(t, "", nil)
	d := h.signed("paystream", paystreamSecret, "msg_v0", settled)
	good := d.signature
	d.signature = "v0=" + strings.TrimPrefix(good, "v1=")
	expect(t, h.send(d), http.StatusUnauthorized, "invalid_signature")
	d.signature = "v0=deadbeef," + good
	expect(t, h.send(d), http.StatusAccepted, "")
}

func TestUppercaseHexSignatureIsAccepted(t *testing.T) {
	h := newHarness(t, "", nil)
	d := h.signed("paystream", paystreamSecret, "msg_upper", settled)
	d.signature = "v1=" + strings.ToUpper(strings.TrimPrefix(d.signature, "v1="))
	expect(t, h.send(d), http.StatusAccepted, "")
}

func TestUnknownProviderGets404(t *testing.T) {
	h := newHarness(t, "", nil)
	expect(t, h.send(h.signed("acme", paystreamSecret, "msg_1", settled)), http.StatusNotFound, "unknown_provider")
}

func TestBodyOverLimitIsRejected(t *testing.T) {
	h := newHarness(t, "max_body_bytes: 1024\n", nil)
	body := `{"type":"payout.batch","items":"` + strings.Repeat("x", 2048) + `"}`
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_big", body)), http.StatusRequestEntityTooLarge, "body_too_large")
	expectStored(t, h, 0)
}

func TestSignedBodyThatIsNotAnEventIsRejected(t *testing.T) {
	cases := map[string]string{"not json": `{"type":`, "no type": `{"amount":5}`, "array": `[1,2]`}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, "", nil)
			r := h.send(h.signed("paystream", paystreamSecret, "msg_1", body))
			if r.code != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400; body %s", r.code, r.raw)
			}
			expectStored(t, h, 0)
		})
	}
}

// ---- de-duplication (HOOK-118) -----------------------------------------------------------

func TestRetryWithSameDeliveryIDIsAcknowledgedAsDuplicate(t *testing.T) {
	h := newHarness(t, "", nil)
	first := h.send(h.signed("paystream", paystreamSecret, "msg_retry", settled))
	expect(t, first, http.StatusAccepted, "")
	h.clock.Advance(90 * time.Second) // the retry is signed afresh
	again := h.send(h.signed("paystream", paystreamSecret, "msg_retry", settled))
	expect(t, again, http.StatusOK, "")
	if again.Status != "duplicate" || again.EventID != first.EventID {
		t.Fatalf(`retry = %s, want {"status":"duplicate","event_id":%q}`, again.raw, first.EventID)
	}
	expectStored(t, h, 1)
}

func TestDuplicateWithDifferentBodyIsConflict(t *testing.T) {
	h := newHarness(t, "", nil)
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_reused", settled)), http.StatusAccepted, "")
	other := `{"type":"payment.refunded","payment_id":"pay_81","amount":1250,"currency":"EUR"}`
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_reused", other)), http.StatusConflict, "delivery_id_conflict")
	expectStored(t, h, 1)
}

func TestSameDeliveryIDFromDifferentProvidersIsNotDuplicate(t *testing.T) {
	h := newHarness(t, "", nil)
	body := `{"type":"shipment.delivered","shipment_id":"shp_3"}`
	a := h.send(h.signed("paystream", paystreamSecret, "evt_1", body))
	b := h.send(h.signed("shipwell", shipwellNew, "evt_1", body))
	expect(t, a, http.StatusAccepted, "")
	expect(t, b, http.StatusAccepted, "")
	if a.EventID == b.EventID {
		t.Fatalf("both deliveries got event %s", a.EventID)
	}
	expectStored(t, h, 2)
}

func TestUnsignedRetryOfKnownDeliveryIsRejected(t *testing.T) {
	h := newHarness(t, "", nil)
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_known", settled)), http.StatusAccepted, "")
	forged := h.signed("paystream", "whsec_guessed", "msg_known", settled)
	r := h.send(forged)
	expect(t, r, http.StatusUnauthorized, "invalid_signature")
	if r.EventID != "" {
		t.Fatalf("an unauthenticated request learned event_id %s", r.EventID)
	}
}

func TestRejectedDeliveryDoesNotBlockGenuineOne(t *testing.T) {
	h := newHarness(t, "", nil)
	expect(t, h.send(h.signed("paystream", "whsec_guessed", "msg_contested", settled)), http.StatusUnauthorized, "invalid_signature")
	r := h.send(h.signed("paystream", paystreamSecret, "msg_contested", settled))
	expect(t, r, http.StatusAccepted, "")
	if r.Status != "accepted" {
		t.Fatalf(`status field = %q, want "accepted"`, r.Status)
	}
	expectStored(t, h, 1)
}

func TestDeliveryIDForgottenAfterDedupWindow(t *testing.T) {
	h := newHarness(t, "", nil)
	first := h.send(h.signed("paystream", paystreamSecret, "msg_daily", settled))
	expect(t, first, http.StatusAccepted, "")
	h.clock.Advance(24*time.Hour - time.Second)
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_daily", settled)), http.StatusOK, "")
	h.clock.Advance(2 * time.Second)
	later := h.send(h.signed("paystream", paystreamSecret, "msg_daily", settled))
	expect(t, later, http.StatusAccepted, "")
	if later.EventID == first.EventID {
		t.Fatalf("after the window the delivery got the old event id %s", later.EventID)
	}
	expectStored(t, h, 2)
}

func TestDedupWindowComesFromConfig(t *testing.T) {
	h := newHarness(t, "dedup_window: 10m\n", nil)
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_short", settled)), http.StatusAccepted, "")
	h.clock.Advance(9 * time.Minute)
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_short", settled)), http.StatusOK, "")
	h.clock.Advance(2 * time.Minute)
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_short", settled)), http.StatusAccepted, "")
}

func TestDedupWindowCountsFromFirstAcceptance(t *testing.T) {
	h := newHarness(t, "", nil)
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_fixed", settled)), http.StatusAccepted, "")
	h.clock.Advance(20 * time.Hour)
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_fixed", settled)), http.StatusOK, "")
	h.clock.Advance(5 * time.Hour) // 25 h after the first acceptance, 5 h after the retry
	expect(t, h.send(h.signed("paystream", paystreamSecret, "msg_fixed", settled)), http.StatusAccepted, "")
	expectStored(t, h, 2)
}

func TestConcurrentDuplicateDeliveriesStoreOneEvent(t *testing.T) {
	h := newHarness(t, "", nil)
	d := h.signed("paystream", paystreamSecret, "msg_burst", settled)
	const n = 24
	replies := make([]reply, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			replies[i] = h.send(d)
		}(i)
	}
	close(start)
	wg.Wait()
	accepted, duplicates := 0, 0
	ids := map[string]bool{}
	for _, r := range replies {
		switch r.code {
		case http.StatusAccepted:
			accepted++
		case http.StatusOK:
			duplicates++
		default:
			t.Errorf("unexpected reply %d %s", r.code, r.raw)
		}
		ids[r.EventID] = true
	}
	if accepted != 1 || duplicates != n-1 || len(ids) != 1 {
		t.Fatalf("%d accepted, %d duplicates, %d distinct event ids; want 1, %d, 1", accepted, duplicates, len(ids), n-1)
	}
	expectStored(t, h, 1)
}

// failingStore fails its first Append, as a database blip would.
type failingStore struct {
	*events.Memory
	mu       sync.Mutex
	failures int
}

func (s *failingStore) Append(ctx context.Context, e events.Event) error {
	s.mu.Lock()
	if s.failures > 0 {
		s.failures--
		s.mu.Unlock()
		return errors.New("outbox: connection reset")
	}
	s.mu.Unlock()
	return s.Memory.Append(ctx, e)
}

func TestStoreFailureDoesNotMarkDeliveryAsSeen(t *testing.T) {
	store := &failingStore{Memory: events.NewMemory(), failures: 1}
	h := newHarness(t, "", store)
	r := h.send(h.signed("paystream", paystreamSecret, "msg_blip", settled))
	if r.code < 500 {
		t.Fatalf("status = %d when the store failed, want a 5xx so the provider retries; body %s", r.code, r.raw)
	}
	h.clock.Advance(time.Minute)
	retry := h.send(h.signed("paystream", paystreamSecret, "msg_blip", settled))
	expect(t, retry, http.StatusAccepted, "")
	if retry.Status != "accepted" {
		t.Fatalf(`status field = %q, want "accepted"`, retry.Status)
	}
	expectStored(t, h, 1)
}
