// Shared by the hidden tests. The submission is used only through its public surface:
// createApp(options) from src/app.ts, CarrierUnavailableError and AddressRejectedError from
// src/carrier/client.ts, and HTTP.
import type { Express } from "express";
import request from "supertest";
import { createApp } from "../src/app";
import type { CarrierClient, LabelRequest, PurchasedLabel } from "../src/carrier/client";

export const ACME = "Bearer sk_live_acme_9f2c";
export const GLOBEX = "Bearer sk_live_globex_41ab";
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** A purchase the test holds inside the carrier call until it calls release(). */
export class Hold {
  readonly started: Promise<void>;
  readonly released: Promise<void>;
  private markStarted!: () => void;
  private open!: () => void;

  constructor() {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.released = new Promise((resolve) => (this.open = resolve));
  }

  enter(): void {
    this.markStarted();
  }

  release(): void {
    this.open();
  }
}

/** The carrier as the tests script it: counts what was bought and voided. */
export class ScriptedCarrier implements CarrierClient {
  readonly purchases: LabelRequest[] = [];
  readonly voided: string[] = [];
  private readonly failures: Error[] = [];
  private readonly holds: Hold[] = [];
  private issued = 0;

  failNextPurchase(error: Error): void {
    this.failures.push(error);
  }

  holdNextPurchase(): Hold {
    const hold = new Hold();
    this.holds.push(hold);
    return hold;
  }

  async purchaseLabel(labelRequest: LabelRequest): Promise<PurchasedLabel> {
    this.purchases.push(structuredClone(labelRequest));
    const hold = this.holds.shift();
    const failure = this.failures.shift();
    if (hold) {
      hold.enter();
      await hold.released;
    }
    if (failure) {
      throw failure;
    }
    this.issued += 1;
    const trackingNumber = `JD0146${String(this.issued).padStart(8, "0")}`;
    return { trackingNumber, labelUrl: `http://localhost/labels/${trackingNumber}.pdf`, costCents: 545 };
  }

  async voidLabel(trackingNumber: string): Promise<void> {
    this.voided.push(trackingNumber);
  }
}

export class ManualClock {
  private current = Date.parse("2025-03-10T08:30:00.000Z");

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

const quiet = { info: () => undefined, error: () => undefined };

export function setup(): { app: Express; carrier: ScriptedCarrier; clock: ManualClock } {
  const carrier = new ScriptedCarrier();
  const clock = new ManualClock();
  const app = createApp({
    carrier,
    clock,
    apiKeys: { sk_live_acme_9f2c: "merchant_acme", sk_live_globex_41ab: "merchant_globex" },
    logger: quiet,
  });
  return { app, carrier, clock };
}

export function parcelFor(reference: string, overrides: Record<string, unknown> = {}) {
  return {
    reference,
    service: "express",
    to: {
      name: "Joris Bakker",
      line1: "Oudegracht 158",
      line2: "2e verdieping",
      city: "Utrecht",
      postalCode: "3511 AZ",
      country: "NL",
    },
    parcel: { weightGrams: 2300, lengthCm: 40, widthCm: 30, heightCm: 15 },
    ...overrides,
  };
}

export function create(app: Express, auth: string, body: unknown, key?: string) {
  const req = request(app).post("/shipments").set("Authorization", auth);
  if (key !== undefined) {
    req.set("Idempotency-Key", key);
  }
  return req.send(body as object);
}

export function cancel(app: Express, auth: string, shipmentId: string, key?: string) {
  const req = request(app).post(`/shipments/${shipmentId}/cancel`).set("Authorization", auth);
  if (key !== undefined) {
    req.set("Idempotency-Key", key);
  }
  return req.send();
}

export async function shipmentsOf(app: Express, auth: string): Promise<Array<{ id: string }>> {
  const res = await request(app).get("/shipments").set("Authorization", auth);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** Starts a request now (supertest sends only once awaited) and returns its response later. */
export function inFlight(pending: request.Test): Promise<request.Response> {
  return new Promise((resolve, reject) => {
    pending.end((error, res) => (error ? reject(error) : resolve(res)));
  });
}

export function replayed(res: request.Response): boolean {
  return res.headers["idempotent-replayed"] === "true";
}
