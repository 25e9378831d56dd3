// Visible tests of what you start from: run them with `node --test tests/` after `npm install`.
// The hidden tests drive your built page in Chromium; these only check that the sample schedule
// has the shape src/api.ts describes and that the page bundles. Add your own beside them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { build } from "esbuild";

test("the sample schedule has the shape of src/api.ts", () => {
  const schedule = JSON.parse(readFileSync("public/slots.json", "utf8"));
  assert.equal(typeof schedule.address, "string");
  assert.match(schedule.currency, /^[A-Z]{3}$/);
  assert.ok(schedule.days.length > 0);
  for (const day of schedule.days) {
    assert.match(day.date, /^\d{4}-\d{2}-\d{2}$/);
    for (const slot of day.slots) {
      assert.equal(typeof slot.id, "string");
      assert.match(slot.start, /^\d{2}:\d{2}$/);
      assert.match(slot.end, /^\d{2}:\d{2}$/);
      assert.ok(Number.isInteger(slot.fee) && slot.fee >= 0, `fee ${slot.fee} in cents`);
      assert.equal(typeof slot.available, "boolean");
    }
  }
});

test("the page bundles", async () => {
  const result = await build({
    entryPoints: ["src/main.tsx"], bundle: true, write: false, outdir: "bundle-check",
    format: "esm", jsx: "automatic", logLevel: "silent",
  });
  assert.equal(result.errors.length, 0);
  assert.ok(result.outputFiles.some((file) => file.text.includes("createRoot")));
});
