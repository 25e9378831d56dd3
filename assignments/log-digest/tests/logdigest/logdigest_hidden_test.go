package logdigest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"example.com/logdigest/logdigest"
)

// line builds a well-formed access log line.
func line(method, path string, status int, seconds string) string {
	return fmt.Sprintf(`203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "%s %s HTTP/1.1" %d 512 %s`,
		method, path, status, seconds)
}

func summarize(t *testing.T, lines []string, top int) logdigest.Digest {
	t.Helper()
	digest, err := logdigest.Summarize(strings.NewReader(strings.Join(lines, "\n")+"\n"), top)
	if err != nil {
		t.Fatalf("Summarize returned an error for valid input: %v", err)
	}
	return digest
}

func find(t *testing.T, digest logdigest.Digest, endpoint string) logdigest.EndpointStats {
	t.Helper()
	for _, row := range digest.Endpoints {
		if row.Endpoint == endpoint {
			return row
		}
	}
	t.Fatalf("endpoint %q not in the digest; got %+v", endpoint, digest.Endpoints)
	return logdigest.EndpointStats{}
}

func TestParseLineFields(t *testing.T) {
	entry, err := logdigest.ParseLine(
		`198.51.100.23 - alice [10/Oct/2023:13:55:36 -0700] "POST /api/orders?dry_run=1 HTTP/1.1" 201 88 0.210`)
	if err != nil {
		t.Fatalf("a valid line must parse, got error: %v", err)
	}
	wantTime := time.Date(2023, 10, 10, 20, 55, 36, 0, time.UTC)
	if !entry.Time.Equal(wantTime) {
		t.Errorf("Time = %v, want %v (the offset -0700 must be honoured)", entry.Time, wantTime)
	}
	if entry.RemoteAddr != "198.51.100.23" || entry.Method != "POST" || entry.Status != 201 || entry.Bytes != 88 {
		t.Errorf("unexpected fields: %+v", entry)
	}
	if entry.Path != "/api/orders" {
		t.Errorf("Path = %q, want %q (the query string is dropped)", entry.Path, "/api/orders")
	}
	if entry.Endpoint != "POST /api/orders" {
		t.Errorf("Endpoint = %q, want %q", entry.Endpoint, "POST /api/orders")
	}
	if entry.Latency != 210*time.Millisecond {
		t.Errorf("Latency = %v, want 210ms (the last field is the request time in seconds)", entry.Latency)
	}
}

func TestParseLineDashSizeAndCRLF(t *testing.T) {
	entry, err := logdigest.ParseLine(
		`203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "HEAD /healthz HTTP/1.0" 304 - 0.0005` + "\r\n")
	if err != nil {
		t.Fatalf("a size of \"-\" and a CRLF line ending are valid, got error: %v", err)
	}
	if entry.Bytes != 0 {
		t.Errorf("Bytes = %d, want 0 for \"-\"", entry.Bytes)
	}
	if entry.Latency != 500*time.Microsecond {
		t.Errorf("Latency = %v, want 500µs", entry.Latency)
	}
}

func TestParseLineMalformed(t *testing.T) {
	if _, err := logdigest.ParseLine(line("GET", "/", 200, "0.1")); err != nil {
		t.Fatalf("precondition: a valid line must parse before rejections mean anything: %v", err)
	}
	cases := map[string]string{
		"empty":               ``,
		"garbage":             `this line was cut off by log rotation "GET /api/us`,
		"dash request":        `192.0.2.1 - - [10/Oct/2023:13:55:40 +0000] "-" 400 0 0.000`,
		"missing latency":     `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 512`,
		"bad timestamp":       `203.0.113.7 - - [31/Foo/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 512 0.1`,
		"bad status":          `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 2x0 512 0.1`,
		"status out of range": `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 999 512 0.1`,
		"negative latency":    `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 512 -0.1`,
		"latency not number":  `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 512 fast`,
		"lowercase method":    `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "get / HTTP/1.1" 200 512 0.1`,
		"relative path":       `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET index.html HTTP/1.1" 200 512 0.1`,
		"no protocol":         `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET /" 200 512 0.1`,
		"trailing junk":       `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 512 0.1 extra`,
	}
	for name, input := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := logdigest.ParseLine(input); err == nil {
				t.Errorf("ParseLine(%q) should fail", input)
			} else if !errors.Is(err, logdigest.ErrMalformed) {
				t.Errorf("the error should wrap logdigest.ErrMalformed, got %v", err)
			}
		})
	}
}

func TestNormalizePath(t *testing.T) {
	cases := map[string]string{
		"/api/users/42":          "/api/users/:id",
		"/api/users/42/orders/7": "/api/users/:id/orders/:id",
		"/api/users/9f8b3c2a-1d4e-4a5b-8c6d-7e8f9a0b1c2d": "/api/users/:id",
		"/api/users/9F8B3C2A-1D4E-4A5B-8C6D-7E8F9A0B1C2D": "/api/users/:id",
		"/api/users/42?expand=orders":                     "/api/users/:id",
		"/api/users/":                                     "/api/users",
		"/api//users":                                     "/api/users",
		"/":                                               "/",
		"/v2/items":                                       "/v2/items",
		"/api/users/me":                                   "/api/users/me",
		"/api/users/42abc":                                "/api/users/42abc",
	}
	for input, want := range cases {
		if got := logdigest.NormalizePath(input); got != want {
			t.Errorf("NormalizePath(%q) = %q, want %q", input, got, want)
		}
	}
}

func TestCountsPerEndpoint(t *testing.T) {
	digest := summarize(t, []string{
		line("GET", "/api/users/1", 200, "0.010"),
		line("GET", "/api/users/2", 200, "0.020"),
		line("POST", "/api/users", 201, "0.030"),
		line("GET", "/api/users", 200, "0.040"),
	}, 0)
	if digest.TotalRequests != 4 {
		t.Errorf("TotalRequests = %d, want 4", digest.TotalRequests)
	}
	if got := find(t, digest, "GET /api/users/:id").Count; got != 2 {
		t.Errorf("GET /api/users/:id count = %d, want 2 (ids are grouped)", got)
	}
	if got := find(t, digest, "POST /api/users").Count; got != 1 {
		t.Errorf("POST /api/users count = %d, want 1 (the method is part of the endpoint)", got)
	}
}

func TestErrorRateCountsOnly5xx(t *testing.T) {
	digest := summarize(t, []string{
		line("GET", "/a", 200, "0.01"),
		line("GET", "/a", 404, "0.01"),
		line("GET", "/a", 500, "0.01"),
		line("GET", "/a", 503, "0.01"),
	}, 0)
	row := find(t, digest, "GET /a")
	if row.Errors != 2 || row.ErrorRate != 0.5 {
		t.Errorf("errors = %d, rate = %v; want 2 and 0.5 (5xx are errors, 4xx are not)", row.Errors, row.ErrorRate)
	}
}

func TestErrorRateIsRounded(t *testing.T) {
	digest := summarize(t, []string{
		line("GET", "/a", 500, "0.01"), line("GET", "/a", 200, "0.01"), line("GET", "/a", 200, "0.01"),
	}, 0)
	if got := find(t, digest, "GET /a").ErrorRate; got != 0.3333 {
		t.Errorf("ErrorRate = %v, want 0.3333 (rounded to 4 decimals)", got)
	}
}

func TestPercentilesNearestRank(t *testing.T) {
	var lines []string
	for ms := 100; ms >= 1; ms-- { // 1..100 ms, in reverse order to catch unsorted input
		lines = append(lines, line("GET", "/p", 200, fmt.Sprintf("%.3f", float64(ms)/1000)))
	}
	row := find(t, summarize(t, lines, 0), "GET /p")
	if row.P50Ms != 50 || row.P95Ms != 95 {
		t.Errorf("p50 = %v, p95 = %v; want 50 and 95 (nearest-rank percentiles of 1..100 ms)", row.P50Ms, row.P95Ms)
	}
}

func TestPercentilesSmallSamples(t *testing.T) {
	digest := summarize(t, []string{
		line("GET", "/one", 200, "0.250"),
		line("GET", "/two", 200, "0.010"), line("GET", "/two", 200, "0.030"),
		line("GET", "/ten", 200, "0.001"), line("GET", "/ten", 200, "0.002"), line("GET", "/ten", 200, "0.003"),
		line("GET", "/ten", 200, "0.004"), line("GET", "/ten", 200, "0.005"), line("GET", "/ten", 200, "0.006"),
		line("GET", "/ten", 200, "0.007"), line("GET", "/ten", 200, "0.008"), line("GET", "/ten", 200, "0.009"),
		line("GET", "/ten", 200, "0.100"),
	}, 0)
	checks := []struct {
		endpoint string
		p50, p95 float64
	}{
		{"GET /one", 250, 250},
		{"GET /two", 10, 30},
		{"GET /ten", 5, 100},
	}
	for _, c := range checks {
		row := find(t, digest, c.endpoint)
		if row.P50Ms != c.p50 || row.P95Ms != c.p95 {
			t.Errorf("%s: p50 = %v, p95 = %v; want %v and %v (nearest rank: ceil(p/100 * n)-th smallest)",
				c.endpoint, row.P50Ms, row.P95Ms, c.p50, c.p95)
		}
	}
}

func TestFractionalMilliseconds(t *testing.T) {
	row := find(t, summarize(t, []string{line("GET", "/f", 200, "0.0425")}, 0), "GET /f")
	if row.P50Ms != 42.5 {
		t.Errorf("p50 = %v, want 42.5 (milliseconds keep their fraction)", row.P50Ms)
	}
}

func TestPercentileFunction(t *testing.T) {
	samples := []time.Duration{1, 2, 3, 4}
	cases := map[float64]time.Duration{50: 2, 75: 3, 95: 4, 100: 4, 0: 1}
	for p, want := range cases {
		if got := logdigest.Percentile(samples, p); got != want {
			t.Errorf("Percentile(1..4, %v) = %v, want %v", p, got, want)
		}
	}
	if got := logdigest.Percentile(nil, 50); got != 0 {
		t.Errorf("Percentile(nil, 50) = %v, want 0", got)
	}
}

func TestSortedByCountThenName(t *testing.T) {
	digest := summarize(t, []string{
		line("GET", "/b", 200, "0.01"),
		line("GET", "/c", 200, "0.01"), line("GET", "/c", 200, "0.01"),
		line("GET", "/a", 200, "0.01"),
	}, 0)
	var got []string
	for _, row := range digest.Endpoints {
		got = append(got, row.Endpoint)
	}
	want := []string{"GET /c", "GET /a", "GET /b"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("order = %v, want %v (by count descending, then endpoint ascending)", got, want)
	}
}

func TestTopN(t *testing.T) {
	lines := []string{
		line("GET", "/a", 200, "0.01"), line("GET", "/a", 200, "0.01"), line("GET", "/a", 200, "0.01"),
		line("GET", "/b", 200, "0.01"), line("GET", "/b", 200, "0.01"),
		line("GET", "/c", 200, "0.01"),
	}
	if got := len(summarize(t, lines, 2).Endpoints); got != 2 {
		t.Errorf("top 2 returned %d endpoints", got)
	}
	if got := len(summarize(t, lines, 0).Endpoints); got != 3 {
		t.Errorf("top 0 should return all 3 endpoints, got %d", got)
	}
	if got := len(summarize(t, lines, 10).Endpoints); got != 3 {
		t.Errorf("top 10 with 3 endpoints should return 3, got %d", got)
	}
	if got := summarize(t, lines, 2).TotalRequests; got != 6 {
		t.Errorf("TotalRequests counts every request, not only the top ones: got %d, want 6", got)
	}
}

func TestMalformedAndBlankLines(t *testing.T) {
	digest := summarize(t, []string{
		line("GET", "/a", 200, "0.01"),
		"",
		"   ",
		"garbage",
		`192.0.2.1 - - [10/Oct/2023:13:55:40 +0000] "-" 400 0 0.000`,
		line("GET", "/a", 200, "0.01"),
	}, 0)
	if digest.MalformedLines != 2 {
		t.Errorf("MalformedLines = %d, want 2 (blank lines are not malformed)", digest.MalformedLines)
	}
	if digest.TotalRequests != 2 {
		t.Errorf("TotalRequests = %d, want 2 (malformed lines are not requests)", digest.TotalRequests)
	}
}

func TestVeryLongLineIsMalformedAndReadingContinues(t *testing.T) {
	long := line("GET", "/"+strings.Repeat("x", 100*1024), 200, "0.01")
	digest := summarize(t, []string{line("GET", "/a", 200, "0.01"), long, line("GET", "/a", 200, "0.01")}, 0)
	if digest.MalformedLines != 1 || digest.TotalRequests != 2 {
		t.Errorf("a 100 KiB line should count as 1 malformed line and the next line still be read; "+
			"got malformed=%d total=%d", digest.MalformedLines, digest.TotalRequests)
	}
}

func TestLastLineWithoutNewline(t *testing.T) {
	digest, err := logdigest.Summarize(strings.NewReader(line("GET", "/a", 200, "0.01")), 0)
	if err != nil || digest.TotalRequests != 1 {
		t.Errorf("a final line without a newline must be counted: total=%d err=%v", digest.TotalRequests, err)
	}
}

func TestEmptyInputHasEmptyEndpointsArray(t *testing.T) {
	digest, err := logdigest.Summarize(strings.NewReader(""), 10)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(digest)
	if !strings.Contains(string(out), `"endpoints":[]`) {
		t.Errorf("empty input should encode \"endpoints\": [] (not null), got %s", out)
	}
}

func TestJSONFieldNames(t *testing.T) {
	out, _ := json.Marshal(summarize(t, []string{line("GET", "/a", 500, "0.01")}, 0))
	var decoded map[string]any
	if err := json.Unmarshal(out, &decoded); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"total_requests", "malformed_lines", "endpoints"} {
		if _, ok := decoded[key]; !ok {
			t.Errorf("JSON is missing %q: %s", key, out)
		}
	}
	rows, _ := decoded["endpoints"].([]any)
	if len(rows) != 1 {
		t.Fatalf("expected one endpoint in %s", out)
	}
	row, _ := rows[0].(map[string]any)
	for _, key := range []string{"endpoint", "count", "errors", "error_rate", "p50_ms", "p95_ms"} {
		if _, ok := row[key]; !ok {
			t.Errorf("endpoint JSON is missing %q: %v", key, row)
		}
	}
}
