// Package logdigest turns access logs into a per-endpoint digest: traffic, errors and latency.
package logdigest

import (
	"errors"
	"time"
)

// MaxLineBytes is the longest line we accept; longer lines are counted as malformed.
const MaxLineBytes = 64 * 1024

// TimeLayout is the timestamp format between the square brackets.
const TimeLayout = "02/Jan/2006:15:04:05 -0700"

// Entry is one parsed request.
type Entry struct {
	RemoteAddr string
	Time       time.Time
	Method     string
	Path       string // as requested, without the query string
	Endpoint   string // "GET /api/users/:id": method plus normalised path
	Status     int
	Bytes      int64
	Latency    time.Duration
}

// ErrMalformed is wrapped by every parse error.
var ErrMalformed = errors.New("malformed log line")

// ParseLine parses one access log line (a trailing "\r\n" or "\n" is allowed). Errors wrap
// ErrMalformed. See README.md for the format and what counts as malformed.
func ParseLine(line string) (Entry, error) {
	// TODO
	return Entry{}, ErrMalformed
}

// NormalizePath groups requests for the same route: the query string goes, numeric and UUID
// segments become ":id", repeated and trailing slashes go ("/api//users/42/" -> "/api/users/:id").
func NormalizePath(path string) string {
	// TODO
	return path
}
