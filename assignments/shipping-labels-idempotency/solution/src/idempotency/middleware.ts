import type { RequestHandler, Response } from "express";
import { asyncHandler } from "../asyncHandler";
import { merchantOf } from "../auth";
import type { Clock } from "../clock";
import { HttpError } from "../errors";
import { requestFingerprint } from "./fingerprint";
import type { IdempotencyStore, StoredResponse } from "./store";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";
/** 1 to 255 visible ASCII characters (0x21-0x7E). */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
/** Response headers a replay must repeat besides the body. */
const REPLAYED_HEADERS = ["location"];

/**
 * SHIP-141: makes a POST route safe to retry. Mount it after requireMerchant (keys are per
 * merchant) and before the handler. Without the header the request goes through untouched.
 *
 * - first request with a key: runs; a response below 500 is stored for the key, a 5xx or a
 *   request that never answered frees the key so that a retry runs again;
 * - same key, same request, still running: 409 idempotency_request_in_progress;
 * - same key, same request, finished: the stored response with Idempotent-Replayed: true;
 * - same key, another method, path or body: 422 idempotency_key_reused.
 */
export function idempotent(store: IdempotencyStore, clock: Clock): RequestHandler {
  return asyncHandler(async (req, res, next) => {
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) {
      next();
      return;
    }
    if (!VALID_KEY.test(key)) {
      throw new HttpError(
        400,
        "invalid_idempotency_key",
        `${IDEMPOTENCY_HEADER} must be 1 to 255 visible ASCII characters.`,
      );
    }

    const scope = merchantOf(res);
    const fingerprint = requestFingerprint(req.method, req.baseUrl + req.path, req.body);
    const reservation = await store.reserve(scope, key, fingerprint, clock.now());

    if (!reservation.reserved) {
      const { existing } = reservation;
      if (existing.fingerprint !== fingerprint) {
        throw new HttpError(
          422,
          "idempotency_key_reused",
          `This ${IDEMPOTENCY_HEADER} was already used for a different request.`,
        );
      }
      if (existing.state === "in_progress") {
        res.set("Retry-After", "1");
        throw new HttpError(
          409,
          "idempotency_request_in_progress",
          `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly.`,
        );
      }
      replay(res, existing.response);
      return;
    }

    recordOutcome(res, {
      stored: (response) => store.complete(scope, key, response),
      failed: () => store.release(scope, key),
    });
    next();
  });
}

function replay(res: Response, stored: StoredResponse): void {
  res.status(stored.status).set(stored.headers).set(REPLAYED_HEADER, "true");
  res.type("application/json").send(stored.body);
}

/**
 * Watches the response of the request that holds the key. Every response of this service is
 * JSON sent through res.json (the routes' and, for thrown errors, the error handler's), so
 * that is where the outcome is captured.
 *
 * The key is deliberately not freed when the client disconnects: the client that timed out is
 * the one that retries, and the label is still being bought. Its retry gets 409 until the
 * first request ends, then the stored response.
 */
function recordOutcome(
  res: Response,
  outcome: { stored: (response: StoredResponse) => Promise<void>; failed: () => Promise<void> },
): void {
  let settled = false;
  const settle = (action: () => Promise<void>) => {
    if (settled) return;
    settled = true;
    // The in-memory store cannot fail; a remote one failing must not break the response.
    action().catch(() => undefined);
  };

  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    if (res.statusCode >= 500) {
      settle(outcome.failed);
    } else {
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = res.get(name);
        if (value !== undefined) headers[name] = value;
      }
      settle(() => outcome.stored({ status: res.statusCode, headers, body: JSON.stringify(body) }));
    }
    return json(body);
  };
}
