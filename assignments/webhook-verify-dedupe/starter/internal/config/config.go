// Package config loads hooksink's YAML configuration.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"

	"gopkg.in/yaml.v3"
)

const (
	DefaultListen       = ":8080"
	DefaultMaxBodyBytes = 256 << 10
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
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return cfg, nil
}

func (c Config) validate() error {
	if c.MaxBodyBytes < 0 {
		return errors.New("max_body_bytes must be positive")
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
