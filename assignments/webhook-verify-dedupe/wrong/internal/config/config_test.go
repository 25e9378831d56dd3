package config_test

import (
	"strings"
	"testing"

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
