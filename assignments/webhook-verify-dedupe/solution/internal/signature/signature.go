// Package signature verifies v1 webhook signatures (docs/webhook-signing.md).
package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The reasons a delivery fails verification. The HTTP layer maps each to an error code.
var (
	ErrMissing          = errors.New("signature: Webhook-Timestamp or Webhook-Signature is missing")
	ErrInvalidTimestamp = errors.New("signature: Webhook-Timestamp is not Unix seconds")
	ErrOutOfTolerance   = errors.New("signature: Webhook-Timestamp is outside the tolerance")
	ErrNoMatch          = errors.New("signature: no v1 signature matches a configured secret")
)

// Verifier checks deliveries from one provider.
type Verifier struct {
	secrets   [][]byte
	tolerance time.Duration
}

// NewVerifier accepts signatures made with any of secrets, for timestamps at most tolerance
// away from the receiver's clock.
func NewVerifier(secrets []string, tolerance time.Duration) Verifier {
	keys := make([][]byte, len(secrets))
	for i, s := range secrets {
		keys[i] = []byte(s)
	}
	return Verifier{secrets: keys, tolerance: tolerance}
}

// Verify checks one delivery's headers and raw body at time now. The timestamp is checked
// before any HMAC is computed, so stale replays cost us nothing.
func (v Verifier) Verify(deliveryID, timestamp, signatureHeader string, body []byte, now time.Time) error {
	if timestamp == "" || signatureHeader == "" {
		return ErrMissing
	}
	unix, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrInvalidTimestamp
	}
	if skew := now.Sub(time.Unix(unix, 0)); skew > v.tolerance || skew < -v.tolerance {
		return ErrOutOfTolerance
	}

	candidates := v1Signatures(signatureHeader)
	if len(candidates) == 0 {
		return ErrNoMatch
	}
	for _, key := range v.secrets {
		expected := Sign(key, deliveryID, timestamp, body)
		for _, got := range candidates {
			// hmac.Equal compares in constant time for equal lengths.
			if hmac.Equal(expected, got) {
				return nil
			}
		}
	}
	return ErrNoMatch
}

// Sign returns the raw v1 MAC of a delivery.
func Sign(key []byte, deliveryID, timestamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(deliveryID))
	mac.Write([]byte{'.'})
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

// v1Signatures decodes the v1 entries of a Webhook-Signature header. Entries of other
// versions and entries that are not hex are skipped: they can never match.
func v1Signatures(header string) [][]byte {
	var out [][]byte
	for _, entry := range strings.Split(header, ",") {
		entry = strings.TrimSpace(entry)
		if !strings.HasPrefix(entry, "v1=") {
			continue
		}
		raw, err := hex.DecodeString(strings.TrimPrefix(entry, "v1="))
		if err != nil || len(raw) != sha256.Size {
			continue
		}
		out = append(out, raw)
	}
	return out
}
