"""Independent solution of the same task, written another way."""
import sys
from collections import Counter, defaultdict

FIELDS = ("sku", "quantity", "price")


class OrderBook:
    def __init__(self):
        self.units = Counter()
        self.revenue = defaultdict(int)
        self.problems = []

    def add_text(self, text):
        for index, raw in enumerate(text.splitlines(), start=1):
            raw = raw.strip()
            if raw and not raw.startswith("#"):
                self._add(index, raw)
        return self

    def _add(self, index, raw):
        fields = raw.split(",")
        if len(fields) != len(FIELDS):
            self.problems.append((index, "wrong number of fields"))
            return
        record = dict(zip(FIELDS, (f.strip() for f in fields), strict=True))
        if not record["sku"] or not record["quantity"].isdigit():
            self.problems.append((index, "bad sku or quantity"))
            return
        amount = int(record["quantity"])
        whole, _, frac = record["price"].partition(".")
        if not whole.isdigit() or (frac and not frac.isdigit()):
            self.problems.append((index, "bad price"))
            return
        cents = int(whole) * 100 + int((frac + "00")[:2] or 0)
        key = record["sku"].upper()
        self.units[key] += amount
        self.revenue[key] += amount * cents

    def top(self, n=3):
        order = sorted(self.revenue, key=lambda k: self.revenue[k], reverse=True)
        return [(k, self.units[k], self.revenue[k] / 100) for k in order[:n]]

    def total(self):
        return sum(self.revenue.values()) / 100


def main(argv):
    with open(argv[1]) as stream:
        book = OrderBook().add_text(stream.read())
    for k, units, money in book.top():
        print(k, units, f"{money:.2f}")
    print("total", f"{book.total():.2f}")
    for index, why in book.problems:
        print(f"skipped line {index}: {why}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
