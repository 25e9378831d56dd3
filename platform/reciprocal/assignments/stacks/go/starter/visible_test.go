package wordcount

import "testing"

func TestTwoWords(t *testing.T) {
	if Count("hello world") != 2 {
		t.Fatal("expected 2 words")
	}
}
