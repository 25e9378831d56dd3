// Package config loads hooksink's YAML configuration.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"gopkg.in/yaml.v3"
)

const (
	DefaultListen             = ":8080"
	DefaultMaxBodyBytes       = 256 << 10
	DefaultSignatureTolerance = 5 * time.Minute
	// DefaultDedupWindow matches how long providers retry a delivery (docs/webhook-signing.md).
	DefaultDedupWindow = 24 * time.Hour
)

// Provider is one webhook sender we accept deliveries from.
type Provider struct {
	// Secrets are the shared signing secrets for this provider. More than one is configured
	// while a secret is being rotated: the new one first, the old one until the provider has
	// switched over.
	Secrets []string `yaml:"secrets"`
}

// Config is the whole service configuration.
type Config struct {
	Listen       string              `yaml:"listen"`
	MaxBodyBytes int64               `yaml:"max_body_bytes"`
	Providers    map[string]Provider `yaml:"providers"`
	// SignatureTolerance is how far a delivery's Webhook-Timestamp may be from our clock, in
	// either direction, before we refuse it as a possible replay.
	SignatureTolerance time.Duration `yaml:"signature_tolerance"`
	// DedupWindow is how long a delivery ID is remembered after its first acceptance.
	DedupWindow time.Duration `yaml:"dedup_window"`
}

// Load reads and parses the configuration file at path.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Parse decodes YAML, applies defaults and validates the result. Unknown keys are an error, so
// a typo in a deployed file fails at start-up instead of being silently ignored.
func Parse(data []byte) (Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.SignatureTolerance == 0 {
		cfg.SignatureTolerance = DefaultSignatureTolerance
	}
	if cfg.DedupWindow == 0 {
		cfg.DedupWindow = DefaultDedupWindow
	}
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return cfg, nil
}

func (c Config) validate() error {
	if c.MaxBodyBytes < 0 {
		return errors.New("max_body_bytes must be positive")
	}
	if c.SignatureTolerance < 0 {
		return fmt.Errorf("signature_tolerance must be positive, got %s", c.SignatureTolerance)
	}
	if c.DedupWindow < 0 {
		return fmt.Errorf("dedup_window must be positive, got %s", c.DedupWindow)
	}
	if len(c.Providers) == 0 {
		return errors.New("at least one provider is required")
	}
	for _, name := range c.ProviderNames() {
		p := c.Providers[name]
		if len(p.Secrets) == 0 {
			return fmt.Errorf("provider %q: at least one secret is required", name)
		}
		for i, s := range p.Secrets {
			if s == "" {
				return fmt.Errorf("provider %q: secret %d is empty", name, i+1)
			}
		}
	}
	return nil
}

// ProviderNames returns the configured provider names in a stable order.
func (c Config) ProviderNames() []string {
	names := make([]string, 0, len(c.Providers))
	for name := range c.Providers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
