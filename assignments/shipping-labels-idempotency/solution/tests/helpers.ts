import type { Express } from "express";
import { createApp } from "../src/app";
import type { CarrierClient, LabelRequest, PurchasedLabel } from "../src/carrier/client";
import type { Clock } from "../src/clock";
import { silentLogger } from "../src/logger";

/** Records every call; a test can make the next purchase fail. */
export class FakeCarrier implements CarrierClient {
  readonly purchases: LabelRequest[] = [];
  readonly voided: string[] = [];
  failNextPurchaseWith: Error | null = null;

  async purchaseLabel(request: LabelRequest): Promise<PurchasedLabel> {
    this.purchases.push(request);
    const failure = this.failNextPurchaseWith;
    if (failure) {
      this.failNextPurchaseWith = null;
      throw failure;
    }
    const trackingNumber = `TEST${String(this.purchases.length).padStart(6, "0")}`;
    return { trackingNumber, labelUrl: `https://labels.test/${trackingNumber}.pdf`, costCents: 495 };
  }

  async voidLabel(trackingNumber: string): Promise<void> {
    this.voided.push(trackingNumber);
  }
}

export class FakeClock implements Clock {
  constructor(private current = new Date("2024-11-04T09:00:00Z")) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const ACME_KEY = "sk_test_acme";
export const GLOBEX_KEY = "sk_test_globex";

export function buildTestApp(): { app: Express; carrier: FakeCarrier; clock: FakeClock } {
  const carrier = new FakeCarrier();
  const clock = new FakeClock();
  const app = createApp({
    carrier,
    clock,
    apiKeys: { [ACME_KEY]: "merchant_acme", [GLOBEX_KEY]: "merchant_globex" },
    logger: silentLogger,
  });
  return { app, carrier, clock };
}

export function shipmentBody(overrides: Record<string, unknown> = {}) {
  return {
    reference: "ORD-10042",
    service: "standard",
    to: {
      name: "Noor de Vries",
      line1: "Prinsengracht 263",
      city: "Amsterdam",
      postalCode: "1016 GV",
      country: "NL",
    },
    parcel: { weightGrams: 1200, lengthCm: 30, widthCm: 20, heightCm: 10 },
    ...overrides,
  };
}
