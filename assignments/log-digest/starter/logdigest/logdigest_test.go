package logdigest

import (
	"os"
	"testing"
	"time"
)

// A few visible tests to start from; the reviewers run a larger hidden suite.

func TestParseLine(t *testing.T) {
	entry, err := ParseLine(`203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET /api/users/42?x=1 HTTP/1.1" 200 512 0.042`)
	if err != nil {
		t.Fatal(err)
	}
	if entry.Endpoint != "GET /api/users/:id" || entry.Status != 200 || entry.Latency != 42*time.Millisecond {
		t.Errorf("unexpected entry: %+v", entry)
	}
}

func TestSummarizeSample(t *testing.T) {
	file, err := os.Open("../testdata/access.log")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	digest, err := Summarize(file, 10)
	if err != nil {
		t.Fatal(err)
	}
	if digest.TotalRequests != 7 || digest.MalformedLines != 2 {
		t.Errorf("total=%d malformed=%d, want 7 and 2", digest.TotalRequests, digest.MalformedLines)
	}
	if len(digest.Endpoints) == 0 {
		t.Fatal("no endpoints in the digest")
	}
	top := digest.Endpoints[0]
	if top.Endpoint != "GET /api/users/:id" || top.Count != 3 || top.P50Ms != 42 || top.P95Ms != 51 {
		t.Errorf("unexpected top endpoint: %+v", top)
	}
}
