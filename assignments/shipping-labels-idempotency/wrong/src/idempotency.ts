import { createHash } from "node:crypto";
import type { RequestHandler } from "express";
import type { Clock } from "./clock";
import { errorBody } from "./errors";

const TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface CachedResponse {
  requestHash: string;
  createdAt: number;
  status: number;
  location?: string;
  body: unknown;
}

/**
 * Idempotency-Key support (SHIP-141): the first response for a key is cached for 24 hours and
 * replayed for retries of the same request.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, CachedResponse>();

  constructor(private readonly clock: Clock) {}

  middleware(): RequestHandler {
    return (req, res, next) => {
      const key = req.get("Idempotency-Key");
      if (key === undefined) {
        next();
        return;
      }
      if (!KEY_PATTERN.test(key)) {
        res.status(400).json(errorBody("invalid_idempotency_key", "Idempotency-Key must be 1-255 printable ASCII characters."));
        return;
      }

      const now = this.clock.now().getTime();
      const requestHash = createHash("sha256")
        .update(`${req.method} ${req.originalUrl} ${JSON.stringify(req.body)}`)
        .digest("hex");

      const cached = this.entries.get(key);
      if (cached && now - cached.createdAt < TTL_MS) {
        if (cached.requestHash !== requestHash) {
          res.status(422).json(errorBody("idempotency_key_reused", "Idempotency-Key was used for another request."));
          return;
        }
        res.status(cached.status).set("Idempotent-Replayed", "true");
        if (cached.location) res.location(cached.location);
        res.json(cached.body);
        return;
      }

      // Capture what the handler sends, and cache it once the response has gone out.
      let sentBody: unknown;
      const json = res.json.bind(res);
      res.json = (body?: unknown) => {
        sentBody = body;
        return json(body);
      };
      res.on("finish", () => {
        if (res.statusCode < 500) {
          this.entries.set(key, {
            requestHash,
            createdAt: now,
            status: res.statusCode,
            location: res.get("location"),
            body: sentBody,
          });
        }
      });
      next();
    };
  }
}
