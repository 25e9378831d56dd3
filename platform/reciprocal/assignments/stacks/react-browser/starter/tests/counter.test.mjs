// The visible tests: `npm test` (node's own test runner). The TypeScript helper is bundled with
// esbuild first, as the build does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const bundled = await build({
  entryPoints: [fileURLToPath(new URL("../src/counter.ts", import.meta.url))],
  bundle: true,
  write: false,
  format: "esm",
  logLevel: "silent",
});
const { counterText } = await import(
  "data:text/javascript," + encodeURIComponent(bundled.outputFiles[0].text)
);

test("an empty message has the whole limit left", () => {
  assert.equal(counterText("", 280), "280 characters left");
});

test("typing counts down", () => {
  assert.equal(counterText("hello", 280), "275 characters left");
});
