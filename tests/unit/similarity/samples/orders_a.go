package orders

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Line is one order line.
type Line struct {
	SKU        string
	Quantity   int
	PriceCents int
}

// ParseLine parses "sku,quantity,price".
func ParseLine(raw string, number int) (Line, error) {
	parts := strings.Split(raw, ",")
	if len(parts) != 3 {
		return Line{}, fmt.Errorf("line %d: expected 3 fields, got %d", number, len(parts))
	}
	sku := strings.TrimSpace(parts[0])
	if sku == "" {
		return Line{}, fmt.Errorf("line %d: empty sku", number)
	}
	qty, err := strconv.Atoi(strings.TrimSpace(parts[1]))
	if err != nil || qty <= 0 {
		return Line{}, fmt.Errorf("line %d: bad quantity", number)
	}
	price, err := strconv.ParseFloat(strings.TrimSpace(parts[2]), 64)
	if err != nil || price < 0 {
		return Line{}, fmt.Errorf("line %d: bad price", number)
	}
	return Line{SKU: strings.ToUpper(sku), Quantity: qty, PriceCents: int(price*100 + 0.5)}, nil
}

// ReadLines parses every line, collecting the errors.
func ReadLines(text string) ([]Line, []string) {
	var result []Line
	var errors []string
	for index, row := range strings.Split(text, "\n") {
		if strings.TrimSpace(row) == "" || strings.HasPrefix(row, "#") {
			continue
		}
		line, err := ParseLine(row, index+1)
		if err != nil {
			errors = append(errors, err.Error())
			continue
		}
		result = append(result, line)
	}
	return result, errors
}

// Total is the quantity and revenue of one SKU.
type Total struct {
	SKU      string
	Quantity int
	Revenue  int
}

// Totals sums quantity and revenue per SKU.
func Totals(lines []Line) map[string]*Total {
	perSKU := map[string]*Total{}
	for _, line := range lines {
		t, ok := perSKU[line.SKU]
		if !ok {
			t = &Total{SKU: line.SKU}
			perSKU[line.SKU] = t
		}
		t.Quantity += line.Quantity
		t.Revenue += line.Quantity * line.PriceCents
	}
	return perSKU
}

// BestSellers ranks SKUs by revenue.
func BestSellers(perSKU map[string]*Total, limit int) []*Total {
	ranked := make([]*Total, 0, len(perSKU))
	for _, t := range perSKU {
		ranked = append(ranked, t)
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].Revenue != ranked[j].Revenue {
			return ranked[i].Revenue > ranked[j].Revenue
		}
		return ranked[i].SKU < ranked[j].SKU
	})
	if len(ranked) > limit {
		ranked = ranked[:limit]
	}
	return ranked
}
