package logdigest

import (
	"bufio"
	"io"
	"time"
)

// EndpointStats is one row of the digest.
type EndpointStats struct {
	Endpoint  string  `json:"endpoint"`
	Count     int     `json:"count"`
	Errors    int     `json:"errors"`     // responses with a 5xx status
	ErrorRate float64 `json:"error_rate"` // Errors / Count, rounded to 4 decimals
	P50Ms     float64 `json:"p50_ms"`
	P95Ms     float64 `json:"p95_ms"`
}

// Digest is the whole report.
type Digest struct {
	TotalRequests  int             `json:"total_requests"`
	MalformedLines int             `json:"malformed_lines"`
	Endpoints      []EndpointStats `json:"endpoints"`
}

// Summarize reads a whole log and returns its digest: the top endpoints by request count (ties
// by endpoint name); top <= 0 means all. See README.md.
func Summarize(r io.Reader, top int) (Digest, error) {
	// TODO: this first draft only counts lines, and breaks on lines longer than 64 KiB.
	digest := Digest{Endpoints: []EndpointStats{}}
	scanner := bufio.NewScanner(r)
	for scanner.Scan() {
		if _, err := ParseLine(scanner.Text()); err != nil {
			digest.MalformedLines++
			continue
		}
		digest.TotalRequests++
	}
	return digest, scanner.Err()
}

// Percentile returns the nearest-rank percentile of sorted samples: the smallest sample such
// that at least p% of the samples are less than or equal to it. Zero for no samples.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	// TODO
	return 0
}
