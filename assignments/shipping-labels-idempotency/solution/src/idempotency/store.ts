/** A response as it is replayed: status, the headers worth keeping, and the JSON body as sent. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyRecord =
  | { state: "in_progress"; fingerprint: string; firstSeenAt: Date }
  | { state: "completed"; fingerprint: string; firstSeenAt: Date; response: StoredResponse };

export type Reservation =
  | { reserved: true }
  | { reserved: false; existing: IdempotencyRecord };

/**
 * Idempotency keys and what became of their requests, scoped by merchant.
 *
 * `reserve` must be atomic: of two requests with the same key, exactly one gets the key. The
 * in-memory store gets that from running on one event loop; a shared store (SHIP-142) would use
 * an atomic insert (Redis SET NX with a TTL, or INSERT ... ON CONFLICT DO NOTHING).
 */
export interface IdempotencyStore {
  /** Claims the key for a new request, unless a request still running or a live (unexpired)
   *  response holds it; then returns that record. */
  reserve(scope: string, key: string, fingerprint: string, now: Date): Promise<Reservation>;
  /** The request finished with a response worth replaying. */
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** The request failed in a way a retry may fix: the key is free again. */
  release(scope: string, key: string): Promise<void>;
}

export class InMemoryIdempotencyStore implements IdempotencyStore {
  // Insertion order is first-seen order (a released key is deleted, so re-reserving it
  // appends), which lets expired records be swept from the front.
  private readonly records = new Map<string, IdempotencyRecord>();

  constructor(private readonly ttlMs: number) {}

  async reserve(scope: string, key: string, fingerprint: string, now: Date): Promise<Reservation> {
    this.sweep(now);
    const id = recordId(scope, key);
    const existing = this.records.get(id);
    // A request still running keeps its key, however long it takes: taking the key from it
    // would let its late completion overwrite the newer request's record.
    if (existing && (existing.state === "in_progress" || !this.expired(existing, now))) {
      return { reserved: false, existing };
    }
    this.records.delete(id);
    this.records.set(id, { state: "in_progress", fingerprint, firstSeenAt: now });
    return { reserved: true };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    const id = recordId(scope, key);
    const record = this.records.get(id);
    if (record?.state === "in_progress") {
      this.records.set(id, { ...record, state: "completed", response });
    }
  }

  async release(scope: string, key: string): Promise<void> {
    const id = recordId(scope, key);
    if (this.records.get(id)?.state === "in_progress") {
      this.records.delete(id);
    }
  }

  /** How many keys are held (for metrics and tests). */
  get size(): number {
    return this.records.size;
  }

  private expired(record: IdempotencyRecord, now: Date): boolean {
    return now.getTime() - record.firstSeenAt.getTime() >= this.ttlMs;
  }

  /** Drops expired records from the oldest on; stops at the first live one. In-progress
   *  records are kept until their request ends, however old. */
  private sweep(now: Date): void {
    for (const [id, record] of this.records) {
      if (!this.expired(record, now)) {
        return;
      }
      if (record.state === "completed") {
        this.records.delete(id);
      }
    }
  }
}

function recordId(scope: string, key: string): string {
  return JSON.stringify([scope, key]);
}
