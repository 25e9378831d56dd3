// Package logdigest turns access logs into a per-endpoint digest: traffic, errors and latency.
package logdigest

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
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

// remote ident user [time] "request" status bytes request_time
var lineRE = regexp.MustCompile(`^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+|-) (\d+(?:\.\d+)?)$`)

var methodRE = regexp.MustCompile(`^[A-Z]+$`)

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// ParseLine parses one access log line (a trailing "\r\n" or "\n" is allowed).
func ParseLine(line string) (Entry, error) {
	line = strings.TrimRight(line, "\r\n")
	if len(line) > MaxLineBytes {
		return Entry{}, malformed("line longer than %d bytes", MaxLineBytes)
	}
	m := lineRE.FindStringSubmatch(line)
	if m == nil {
		return Entry{}, malformed("does not match the access log format")
	}
	when, err := time.Parse(TimeLayout, m[4])
	if err != nil {
		return Entry{}, malformed("bad timestamp %q", m[4])
	}
	request := strings.Split(m[5], " ")
	if len(request) != 3 || !methodRE.MatchString(request[0]) ||
		!strings.HasPrefix(request[1], "/") || !strings.HasPrefix(request[2], "HTTP/") {
		return Entry{}, malformed("bad request line %q", m[5])
	}
	status, _ := strconv.Atoi(m[6]) // three digits, guaranteed by the pattern
	if status < 100 || status > 599 {
		return Entry{}, malformed("bad status %d", status)
	}
	var size int64
	if m[7] != "-" {
		if size, err = strconv.ParseInt(m[7], 10, 64); err != nil {
			return Entry{}, malformed("bad size %q", m[7])
		}
	}
	seconds, err := strconv.ParseFloat(m[8], 64)
	if err != nil || math.IsInf(seconds, 0) {
		return Entry{}, malformed("bad request time %q", m[8])
	}
	path := stripQuery(request[1])
	return Entry{
		RemoteAddr: m[1],
		Time:       when,
		Method:     request[0],
		Path:       path,
		Endpoint:   request[0] + " " + NormalizePath(path),
		Status:     status,
		Bytes:      size,
		Latency:    time.Duration(math.Round(seconds*1e6)) * time.Microsecond,
	}, nil
}

func stripQuery(path string) string {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		return path[:i]
	}
	return path
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
var digitsRE = regexp.MustCompile(`^[0-9]+$`)

// NormalizePath groups requests for the same route: the query string goes, numeric and UUID
// segments become ":id", repeated and trailing slashes go ("/api//users/42/" -> "/api/users/:id").
func NormalizePath(path string) string {
	path = stripQuery(path)
	var segments []string
	for _, segment := range strings.Split(path, "/") {
		switch {
		case segment == "":
			continue
		case digitsRE.MatchString(segment), uuidRE.MatchString(segment):
			segments = append(segments, ":id")
		default:
			segments = append(segments, segment)
		}
	}
	return "/" + strings.Join(segments, "/")
}
