package wordcount

import "testing"

func TestCount(t *testing.T) {
	cases := []struct {
		name, text string
		want       int
	}{
		{"empty", "", 0},
		{"one", "one", 1},
		{"single_spaces", "a b c", 3},
		{"spaced", "  spaced   out  ", 2},
		{"tabs_and_lines", "tabs\tand\nlines", 3},
	}
	for _, c := range cases {
		c := c
		t.Run(c.name, func(t *testing.T) {
			if got := Count(c.text); got != c.want {
				t.Fatalf("Count(%q) = %d, want %d", c.text, got, c.want)
			}
		})
	}
}
