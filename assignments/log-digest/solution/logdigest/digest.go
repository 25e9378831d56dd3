package logdigest

import (
	"bufio"
	"errors"
	"io"
	"math"
	"sort"
	"strings"
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

// Aggregator accumulates entries; use Add for each line, then Digest.
type Aggregator struct {
	total     int
	malformed int
	endpoints map[string]*endpoint
}

type endpoint struct {
	errors    int
	latencies []time.Duration
}

// NewAggregator returns an empty Aggregator.
func NewAggregator() *Aggregator {
	return &Aggregator{endpoints: map[string]*endpoint{}}
}

// AddLine parses and counts one line; blank lines are ignored, bad ones counted as malformed.
func (a *Aggregator) AddLine(line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	entry, err := ParseLine(line)
	if err != nil {
		a.malformed++
		return
	}
	a.Add(entry)
}

// Add counts one parsed entry.
func (a *Aggregator) Add(entry Entry) {
	a.total++
	stats := a.endpoints[entry.Endpoint]
	if stats == nil {
		stats = &endpoint{}
		a.endpoints[entry.Endpoint] = stats
	}
	if entry.Status >= 500 {
		stats.errors++
	}
	stats.latencies = append(stats.latencies, entry.Latency)
}

// AddLines adds every line of r. Lines longer than MaxLineBytes count as malformed.
func (a *Aggregator) AddLines(r io.Reader) error {
	reader := bufio.NewReaderSize(r, 64*1024)
	for {
		line, tooLong, err := readLine(reader)
		if tooLong {
			a.malformed++
		} else if line != "" {
			a.AddLine(line)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readLine reads up to the next newline without holding more than MaxLineBytes in memory.
func readLine(reader *bufio.Reader) (line string, tooLong bool, err error) {
	var builder strings.Builder
	for {
		chunk, isPrefix, err := reader.ReadLine()
		if builder.Len()+len(chunk) > MaxLineBytes {
			tooLong = true
		}
		if !tooLong {
			builder.Write(chunk)
		}
		if err != nil || !isPrefix {
			return builder.String(), tooLong, err
		}
	}
}

// Digest returns the top endpoints by request count (ties by name); top <= 0 means all.
func (a *Aggregator) Digest(top int) Digest {
	rows := make([]EndpointStats, 0, len(a.endpoints))
	for name, stats := range a.endpoints {
		sorted := append([]time.Duration(nil), stats.latencies...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		count := len(sorted)
		rows = append(rows, EndpointStats{
			Endpoint:  name,
			Count:     count,
			Errors:    stats.errors,
			ErrorRate: math.Round(float64(stats.errors)/float64(count)*10000) / 10000,
			P50Ms:     milliseconds(Percentile(sorted, 50)),
			P95Ms:     milliseconds(Percentile(sorted, 95)),
		})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Endpoint < rows[j].Endpoint
	})
	if top > 0 && len(rows) > top {
		rows = rows[:top]
	}
	return Digest{TotalRequests: a.total, MalformedLines: a.malformed, Endpoints: rows}
}

// Percentile returns the nearest-rank percentile of sorted samples: the smallest sample such
// that at least p% of the samples are less than or equal to it. Zero for no samples.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

// Summarize reads a whole log and returns its digest (see Aggregator.Digest for top).
func Summarize(r io.Reader, top int) (Digest, error) {
	aggregator := NewAggregator()
	if err := aggregator.AddLines(r); err != nil {
		return Digest{}, err
	}
	return aggregator.Digest(top), nil
}
