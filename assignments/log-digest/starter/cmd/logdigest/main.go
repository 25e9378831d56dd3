// Command logdigest prints a JSON digest of access logs: the busiest endpoints with their
// error rate and latency percentiles.
//
//	logdigest [-top N] [FILE...]    (no FILE, or "-": read standard input)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"example.com/logdigest/logdigest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status (0 ok, 1 runtime error,
// 2 usage error).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("logdigest", flag.ContinueOnError)
	flags.SetOutput(stderr)
	top := flags.Int("top", 10, "number of endpoints to show (0 = all)")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: logdigest [-top N] [FILE...]")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *top < 0 {
		fmt.Fprintln(stderr, "logdigest: -top must be 0 or more")
		return 2
	}

	// TODO: read every FILE argument (or stdin when there is none, or for "-") into one digest.
	digest, err := logdigest.Summarize(stdin, *top)
	if err != nil {
		fmt.Fprintf(stderr, "logdigest: %v\n", err)
		return 1
	}

	encoder := json.NewEncoder(stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(digest); err != nil {
		fmt.Fprintf(stderr, "logdigest: %v\n", err)
		return 1
	}
	return 0
}
