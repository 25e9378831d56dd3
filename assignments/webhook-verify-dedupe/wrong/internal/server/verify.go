package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

var (
	errMissingSignature = errors.New("missing_signature")
	errBadTimestamp     = errors.New("invalid_timestamp")
	errExpired          = errors.New("timestamp_out_of_tolerance")
	errBadSignature     = errors.New("invalid_signature")
)

// verify checks the v1 signature of a delivery against the provider's secrets.
func verify(secrets []string, tolerance time.Duration, id, timestamp, header string, body []byte, now time.Time) error {
	if timestamp == "" || header == "" {
		return errMissingSignature
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errBadTimestamp
	}
	// Reject replays of old deliveries.
	if now.Sub(time.Unix(sec, 0)) > tolerance {
		return errExpired
	}
	for _, secret := range secrets {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(id + "." + timestamp + "."))
		mac.Write(body)
		expected := hex.EncodeToString(mac.Sum(nil))
		for _, part := range strings.Split(header, ",") {
			part = strings.TrimSpace(part)
			if !strings.HasPrefix(part, "v1=") {
				continue
			}
			got := strings.ToLower(strings.TrimPrefix(part, "v1="))
			if hmac.Equal([]byte(expected), []byte(got)) {
				return nil
			}
		}
	}
	return errBadSignature
}
