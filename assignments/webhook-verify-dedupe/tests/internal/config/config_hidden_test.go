package config_test

import (
	"testing"

	"ledgerly.dev/hooksink/internal/config"
)

// How the durations behave is tested through the server (internal/server); these tests only
// check what the configuration accepts and refuses.

const providers = "providers:\n  paystream:\n    secrets: [whsec_a]\n"

func TestToleranceAndWindowKeysAreAccepted(t *testing.T) {
	for _, doc := range []string{
		"signature_tolerance: 90s\n",
		"dedup_window: 48h\n",
		"signature_tolerance: 2m30s\ndedup_window: 36h\n",
	} {
		if _, err := config.Parse([]byte(doc + providers)); err != nil {
			t.Errorf("Parse(%q): %v", doc, err)
		}
	}
}

func TestNegativeDurationsAreRejected(t *testing.T) {
	for _, doc := range []string{"signature_tolerance: -1m\n", "dedup_window: -24h\n"} {
		if _, err := config.Parse([]byte(doc + providers)); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", doc)
		}
	}
}

func TestDurationsWithoutUnitsAreRejected(t *testing.T) {
	for _, doc := range []string{"signature_tolerance: 300\n", "dedup_window: one day\n"} {
		if _, err := config.Parse([]byte(doc + providers)); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", doc)
		}
	}
}

func TestExistingValidationStillHolds(t *testing.T) {
	for name, doc := range map[string]string{
		"no providers": "dedup_window: 1h\n",
		"no secrets":   "providers:\n  paystream: {}\n",
		"unknown key":  "dedup_windw: 1h\n" + providers,
	} {
		if _, err := config.Parse([]byte(doc)); err == nil {
			t.Errorf("%s: Parse succeeded, want an error", name)
		}
	}
}
