package signature

import (
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2024, time.March, 14, 9, 30, 0, 0, time.UTC)

func v1(secret, id, ts, body string) string {
	return "v1=" + hex.EncodeToString(Sign([]byte(secret), id, ts, []byte(body)))
}

// The example in docs/webhook-signing.md.
func TestSignMatchesDocumentedExample(t *testing.T) {
	got := hex.EncodeToString(Sign([]byte("whsec_test_only"), "msg_001", "1710408600",
		[]byte(`{"type":"payment.settled","amount":1250}`)))
	want := "38020bd5c9632fb4bfc444533e27bd23cc3ab99a3d42dc18ec26ba39b19c1e5e"
	if got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	ts := strconv.FormatInt(now.Unix(), 10)
	old := strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)
	ahead := strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10)
	edge := strconv.FormatInt(now.Add(-5*time.Minute).Unix(), 10)
	body := `{"type":"payment.settled"}`
	good := v1("new", "msg_1", ts, body)
	v := NewVerifier([]string{"new", "old"}, 5*time.Minute)

	cases := []struct {
		name, id, ts, header, body string
		want                       error
	}{
		{"valid", "msg_1", ts, good, body, nil},
		{"old secret", "msg_1", ts, v1("old", "msg_1", ts, body), body, nil},
		{"second entry matches", "msg_1", ts, "v1=" + strings.Repeat("ab", 32) + ", " + good, body, nil},
		{"other versions ignored", "msg_1", ts, "v0=abc," + good, body, nil},
		{"uppercase hex", "msg_1", ts, "v1=" + strings.ToUpper(strings.TrimPrefix(good, "v1=")), body, nil},
		{"at the tolerance", "msg_1", edge, v1("new", "msg_1", edge, body), body, nil},
		{"no timestamp", "msg_1", "", good, body, ErrMissing},
		{"no signature", "msg_1", ts, "", body, ErrMissing},
		{"timestamp in ms is far in the future", "msg_1", ts + "000", good, body, ErrOutOfTolerance},
		{"timestamp not a number", "msg_1", "yesterday", good, body, ErrInvalidTimestamp},
		{"too old", "msg_1", old, v1("new", "msg_1", old, body), body, ErrOutOfTolerance},
		{"too far ahead", "msg_1", ahead, v1("new", "msg_1", ahead, body), body, ErrOutOfTolerance},
		{"unknown secret", "msg_1", ts, v1("other", "msg_1", ts, body), body, ErrNoMatch},
		{"body changed", "msg_1", ts, good, body + " ", ErrNoMatch},
		{"id changed", "msg_2", ts, good, body, ErrNoMatch},
		{"only v0", "msg_1", ts, "v0=" + strings.TrimPrefix(good, "v1="), body, ErrNoMatch},
		{"not hex", "msg_1", ts, "v1=zz", body, ErrNoMatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Verify(tc.id, tc.ts, tc.header, []byte(tc.body), now)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}
