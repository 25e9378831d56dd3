const FIELDS = ['sku', 'quantity', 'price'];

function makeBook() {
  return { units: {}, revenue: {}, problems: [] };
}

function toCents(text) {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] || '').padEnd(2, '0'));
}

function addRecord(book, index, raw) {
  const fields = raw.split(',');
  if (fields.length !== FIELDS.length) {
    book.problems.push({ index, why: 'wrong number of fields' });
    return;
  }
  const record = Object.fromEntries(FIELDS.map((name, i) => [name, fields[i].trim()]));
  const cents = toCents(record.price);
  if (!record.sku || !/^\d+$/.test(record.quantity) || cents === null) {
    book.problems.push({ index, why: 'bad field' });
    return;
  }
  const key = record.sku.toUpperCase();
  const amount = Number(record.quantity);
  book.units[key] = (book.units[key] ?? 0) + amount;
  book.revenue[key] = (book.revenue[key] ?? 0) + amount * cents;
}

export function load(text) {
  const book = makeBook();
  let index = 0;
  for (const raw of text.split(/\r?\n/)) {
    index += 1;
    const clean = raw.trim();
    if (clean === '' || clean[0] === '#') continue;
    addRecord(book, index, clean);
  }
  return book;
}

export function top(book, n = 3) {
  return Object.keys(book.revenue)
    .sort((x, y) => book.revenue[y] - book.revenue[x])
    .slice(0, n)
    .map((k) => [k, book.units[k], book.revenue[k] / 100]);
}

export function total(book) {
  return Object.values(book.revenue).reduce((sum, v) => sum + v, 0) / 100;
}
