package config_test

import (
	"strings"
	"testing"
	"time"

	"ledgerly.dev/hooksink/internal/config"
)

func TestExampleConfigLoads(t *testing.T) {
	cfg, err := config.Load("../../config.example.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := cfg.ProviderNames(); strings.Join(got, ",") != "paystream,shipwell" {
		t.Errorf("providers = %v, want [paystream shipwell]", got)
	}
	if n := len(cfg.Providers["shipwell"].Secrets); n != 2 {
		t.Errorf("shipwell has %d secrets, want 2", n)
	}
}

func TestParseAppliesDefaults(t *testing.T) {
	cfg, err := config.Parse([]byte("providers:\n  paystream:\n    secrets: [s3cret]\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if cfg.Listen != config.DefaultListen {
		t.Errorf("Listen = %q, want %q", cfg.Listen, config.DefaultListen)
	}
	if cfg.MaxBodyBytes != config.DefaultMaxBodyBytes {
		t.Errorf("MaxBodyBytes = %d, want %d", cfg.MaxBodyBytes, config.DefaultMaxBodyBytes)
	}
}

func TestParseRejectsBadConfig(t *testing.T) {
	cases := map[string]string{
		"no providers":     "listen: \":9000\"\n",
		"provider no keys": "providers:\n  paystream: {}\n",
		"empty secret":     "providers:\n  paystream:\n    secrets: [\"\"]\n",
		"unknown key":      "providers:\n  paystream:\n    secrets: [a]\n    secret: b\n",
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := config.Parse([]byte(doc)); err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
		})
	}
}

func TestParseDurations(t *testing.T) {
	cases := []struct {
		name      string
		doc       string
		tolerance time.Duration
		window    time.Duration
		wantErr   bool
	}{
		{name: "defaults", tolerance: 5 * time.Minute, window: 24 * time.Hour},
		{name: "set", doc: "signature_tolerance: 90s\ndedup_window: 48h\n", tolerance: 90 * time.Second, window: 48 * time.Hour},
		{name: "zero means default", doc: "signature_tolerance: 0s\n", tolerance: 5 * time.Minute, window: 24 * time.Hour},
		{name: "negative tolerance", doc: "signature_tolerance: -1m\n", wantErr: true},
		{name: "negative window", doc: "dedup_window: -1h\n", wantErr: true},
		{name: "no unit", doc: "dedup_window: 3600\n", wantErr: true},
		{name: "not a duration", doc: "signature_tolerance: five minutes\n", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(tc.doc + "providers:\n  paystream:\n    secrets: [s]\n"))
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Parse succeeded with %+v, want an error", cfg)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if cfg.SignatureTolerance != tc.tolerance || cfg.DedupWindow != tc.window {
				t.Errorf("tolerance, window = %s, %s; want %s, %s",
					cfg.SignatureTolerance, cfg.DedupWindow, tc.tolerance, tc.window)
			}
		})
	}
}
