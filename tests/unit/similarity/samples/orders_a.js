'use strict';

class InvalidLine extends Error {}

function parseLine(raw, number) {
  // three comma separated fields
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length !== 3) {
    throw new InvalidLine(`line ${number}: expected 3 fields, got ${parts.length}`);
  }
  const [sku, quantity, price] = parts;
  if (!sku) throw new InvalidLine(`line ${number}: empty sku`);
  const qty = Number.parseInt(quantity, 10);
  const cents = Math.round(Number.parseFloat(price) * 100);
  if (Number.isNaN(qty) || Number.isNaN(cents) || qty <= 0 || cents < 0) {
    throw new InvalidLine(`line ${number}: bad quantity or price`);
  }
  return { sku: sku.toUpperCase(), quantity: qty, priceCents: cents };
}

function readLines(text) {
  const result = [];
  const errors = [];
  text.split('\n').forEach((row, index) => {
    if (!row.trim() || row.startsWith('#')) return;
    try {
      result.push(parseLine(row, index + 1));
    } catch (err) {
      if (!(err instanceof InvalidLine)) throw err;
      errors.push(err.message);
    }
  });
  return { result, errors };
}

function totals(lines) {
  // quantity and revenue per sku
  const perSku = new Map();
  for (const line of lines) {
    const [qty, revenue] = perSku.get(line.sku) || [0, 0];
    perSku.set(line.sku, [qty + line.quantity, revenue + line.quantity * line.priceCents]);
  }
  return perSku;
}

function bestSellers(perSku, limit = 3) {
  const ranked = [...perSku.entries()].sort((a, b) => b[1][1] - a[1][1] || a[0].localeCompare(b[0]));
  return ranked.slice(0, limit).map(([sku, [qty, revenue]]) => ({ sku, qty, revenue: revenue / 100 }));
}

function formatReport(perSku, limit = 3) {
  const lines = ['sku       qty   revenue'];
  for (const { sku, qty, revenue } of bestSellers(perSku, limit)) {
    lines.push(`${sku.padEnd(8)} ${String(qty).padStart(4)} ${revenue.toFixed(2).padStart(9)}`);
  }
  let grand = 0;
  for (const [, revenue] of perSku.values()) grand += revenue;
  lines.push(`total          ${(grand / 100).toFixed(2).padStart(9)}`);
  return lines.join('\n');
}

module.exports = { parseLine, readLines, totals, bestSellers, formatReport, InvalidLine };
