import express, { type Express } from "express";
import { requireMerchant } from "./auth";
import type { CarrierClient } from "./carrier/client";
import { systemClock, type Clock } from "./clock";
import { errorHandler, notFound } from "./errors";
import { InMemoryIdempotencyStore, type IdempotencyStore } from "./idempotency/store";
import { jsonLogger, type Logger } from "./logger";
import { shipmentRoutes } from "./shipments/routes";
import { InMemoryShipmentStore, type ShipmentStore } from "./shipments/store";

export interface AppOptions {
  carrier: CarrierClient;
  /** API key → merchant id. */
  apiKeys: Record<string, string>;
  clock?: Clock;
  shipments?: ShipmentStore;
  idempotency?: IdempotencyStore;
  logger?: Logger;
}

/** How long an Idempotency-Key is remembered, from the first request that used it. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export function createApp(options: AppOptions): Express {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? jsonLogger;
  const shipments = options.shipments ?? new InMemoryShipmentStore();
  const idempotency = options.idempotency ?? new InMemoryIdempotencyStore(IDEMPOTENCY_KEY_TTL_MS);

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "64kb" }));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.use(
    "/shipments",
    requireMerchant(new Map(Object.entries(options.apiKeys))),
    shipmentRoutes({ shipments, idempotency, carrier: options.carrier, clock, logger }),
  );

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
