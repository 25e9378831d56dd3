package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET /api/users/42 HTTP/1.1" 200 512 0.042
203.0.113.7 - - [10/Oct/2023:13:55:37 +0000] "GET /api/users/43 HTTP/1.1" 500 0 0.300
garbage line
198.51.100.23 - - [10/Oct/2023:13:55:38 +0000] "POST /api/orders HTTP/1.1" 201 88 0.210
`

type digest struct {
	TotalRequests  int `json:"total_requests"`
	MalformedLines int `json:"malformed_lines"`
	Endpoints      []struct {
		Endpoint string  `json:"endpoint"`
		Count    int     `json:"count"`
		Errors   int     `json:"errors"`
		P95Ms    float64 `json:"p95_ms"`
	} `json:"endpoints"`
}

func runCLI(t *testing.T, stdin string, args ...string) (int, digest, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	var d digest
	if code == 0 {
		if err := json.Unmarshal(stdout.Bytes(), &d); err != nil {
			t.Fatalf("stdout should be one JSON document, got %q: %v", stdout.String(), err)
		}
	}
	return code, d, stderr.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCLIReadsStdin(t *testing.T) {
	code, d, stderr := runCLI(t, sample)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if d.TotalRequests != 3 || d.MalformedLines != 1 {
		t.Errorf("got total=%d malformed=%d, want 3 and 1", d.TotalRequests, d.MalformedLines)
	}
	if len(d.Endpoints) == 0 || d.Endpoints[0].Endpoint != "GET /api/users/:id" || d.Endpoints[0].Count != 2 {
		t.Errorf("the busiest endpoint should be GET /api/users/:id with 2 requests: %+v", d.Endpoints)
	}
}

func TestCLIAggregatesSeveralFiles(t *testing.T) {
	first := writeFile(t, "a.log", sample)
	second := writeFile(t, "b.log", sample)
	code, d, stderr := runCLI(t, "", first, second)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if d.TotalRequests != 6 || len(d.Endpoints) == 0 || d.Endpoints[0].Count != 4 {
		t.Errorf("two files should be aggregated together: total=%d, endpoints=%+v", d.TotalRequests, d.Endpoints)
	}
}

func TestCLITopFlag(t *testing.T) {
	code, d, _ := runCLI(t, sample, "-top", "1")
	if code != 0 || len(d.Endpoints) != 1 {
		t.Errorf("-top 1 should print exactly one endpoint, got exit %d and %d endpoints", code, len(d.Endpoints))
	}
}

func TestCLIDefaultTopIsTen(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 12; i++ {
		b.WriteString(`203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET /e` + string(rune('a'+i)) + ` HTTP/1.1" 200 1 0.001` + "\n")
	}
	_, d, _ := runCLI(t, b.String())
	if len(d.Endpoints) != 10 {
		t.Errorf("by default the digest shows the top 10 endpoints, got %d", len(d.Endpoints))
	}
}

func TestCLIMissingFileExits1(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{filepath.Join(t.TempDir(), "missing.log")}, strings.NewReader(""), &stdout, &stderr)
	if code != 1 {
		t.Errorf("a missing file should exit 1, got %d", code)
	}
	if !strings.Contains(stderr.String(), "missing.log") {
		t.Errorf("stderr should name the file, got %q", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("nothing should be printed on stdout on failure, got %q", stdout.String())
	}
}

func TestCLIBadFlagExits2(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-top", "lots"}, strings.NewReader(""), &stdout, &stderr); code != 2 {
		t.Errorf("an invalid flag value is a usage error (exit 2), got %d", code)
	}
	if code := run([]string{"-top", "-1"}, strings.NewReader(""), &stdout, &stderr); code != 2 {
		t.Errorf("-top -1 is a usage error (exit 2), got %d", code)
	}
}
