import { createHash } from "node:crypto";

/**
 * What makes two requests "the same" for an idempotency key: method, path and the JSON
 * value of the body. Object keys are sorted, so neither their order nor whitespace matter.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n`)
    .update(canonicalJson(body))
    .digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${entries.join(",")}}`;
  }
  // Strings, numbers, booleans and null; undefined (no body at all) reads as null.
  return JSON.stringify(value ?? null);
}
