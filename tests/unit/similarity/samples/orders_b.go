package orders

import (
	"bufio"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
)

var pricePattern = regexp.MustCompile(`^(\d+)(?:\.(\d{1,2}))?$`)

type Book struct {
	units    map[string]int
	revenue  map[string]int
	Problems []string
}

func NewBook() *Book {
	return &Book{units: make(map[string]int), revenue: make(map[string]int)}
}

func cents(text string) (int, error) {
	m := pricePattern.FindStringSubmatch(text)
	if m == nil {
		return 0, errors.New("bad price")
	}
	whole, _ := strconv.Atoi(m[1])
	frac, _ := strconv.Atoi((m[2] + "00")[:2])
	return whole*100 + frac, nil
}

func (b *Book) Load(r io.Reader) error {
	scanner := bufio.NewScanner(r)
	n := 0
	for scanner.Scan() {
		n++
		text := strings.TrimSpace(scanner.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		fields := strings.Split(text, ",")
		if len(fields) != 3 {
			b.Problems = append(b.Problems, "line "+strconv.Itoa(n)+": wrong number of fields")
			continue
		}
		amount, err := strconv.Atoi(strings.TrimSpace(fields[1]))
		if err != nil {
			b.Problems = append(b.Problems, "line "+strconv.Itoa(n)+": bad quantity")
			continue
		}
		c, err := cents(strings.TrimSpace(fields[2]))
		if err != nil {
			b.Problems = append(b.Problems, "line "+strconv.Itoa(n)+": "+err.Error())
			continue
		}
		key := strings.ToUpper(strings.TrimSpace(fields[0]))
		b.units[key] += amount
		b.revenue[key] += amount * c
	}
	return scanner.Err()
}

func (b *Book) Total() float64 {
	sum := 0
	for _, v := range b.revenue {
		sum += v
	}
	return float64(sum) / 100
}
