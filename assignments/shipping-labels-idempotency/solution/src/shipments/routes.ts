import { randomUUID } from "node:crypto";
import { Router } from "express";
import { asyncHandler } from "../asyncHandler";
import { merchantOf } from "../auth";
import {
  AddressRejectedError,
  CarrierUnavailableError,
  type CarrierClient,
} from "../carrier/client";
import type { Clock } from "../clock";
import { HttpError } from "../errors";
import { idempotent } from "../idempotency/middleware";
import type { IdempotencyStore } from "../idempotency/store";
import type { Logger } from "../logger";
import { toResponse, type Shipment } from "./model";
import type { ShipmentStore } from "./store";
import { parseCreateShipment } from "./validation";

export interface ShipmentRoutesDeps {
  shipments: ShipmentStore;
  idempotency: IdempotencyStore;
  carrier: CarrierClient;
  clock: Clock;
  logger: Logger;
}

export function shipmentRoutes({ shipments, idempotency, carrier, clock, logger }: ShipmentRoutesDeps): Router {
  const router = Router();
  // Both POSTs buy or void a label at the carrier: clients may retry them with an Idempotency-Key.
  const retrySafe = idempotent(idempotency, clock);

  router.post(
    "/",
    retrySafe,
    asyncHandler(async (req, res) => {
      const merchantId = merchantOf(res);
      const parsed = parseCreateShipment(req.body);
      if (!parsed.ok) {
        throw new HttpError(400, "validation_failed", "The shipment is not valid.", parsed.problems);
      }
      const input = parsed.value;

      const label = await carrierCall(() => carrier.purchaseLabel({ merchantId, ...input }));
      const shipment: Shipment = {
        id: `shp_${randomUUID().replace(/-/g, "")}`,
        merchantId,
        ...input,
        status: "label_purchased",
        trackingNumber: label.trackingNumber,
        labelUrl: label.labelUrl,
        costCents: label.costCents,
        createdAt: clock.now(),
        cancelledAt: null,
      };
      await shipments.insert(shipment);
      logger.info("label purchased", { merchantId, shipmentId: shipment.id, costCents: shipment.costCents });

      res.status(201).location(`/shipments/${shipment.id}`).json(toResponse(shipment));
    }),
  );

  router.get(
    "/",
    asyncHandler(async (req, res) => {
      const reference = typeof req.query.reference === "string" ? req.query.reference : undefined;
      const found = await shipments.list(merchantOf(res), { reference });
      res.json({ items: found.map(toResponse) });
    }),
  );

  router.get(
    "/:id",
    asyncHandler(async (req, res) => {
      const shipment = await shipments.get(merchantOf(res), req.params.id);
      if (!shipment) {
        throw new HttpError(404, "shipment_not_found", `No shipment ${req.params.id}.`);
      }
      res.json(toResponse(shipment));
    }),
  );

  router.post(
    "/:id/cancel",
    retrySafe,
    asyncHandler(async (req, res) => {
      const merchantId = merchantOf(res);
      const shipment = await shipments.get(merchantId, req.params.id);
      if (!shipment) {
        throw new HttpError(404, "shipment_not_found", `No shipment ${req.params.id}.`);
      }
      if (shipment.status === "cancelled") {
        throw new HttpError(409, "shipment_already_cancelled", `Shipment ${shipment.id} is already cancelled.`);
      }
      await carrierCall(() => carrier.voidLabel(shipment.trackingNumber));
      const cancelled: Shipment = { ...shipment, status: "cancelled", cancelledAt: clock.now() };
      await shipments.update(cancelled);
      logger.info("label voided", { merchantId, shipmentId: shipment.id });

      res.json(toResponse(cancelled));
    }),
  );

  return router;
}

/** The carrier's failures as our API reports them. */
async function carrierCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AddressRejectedError) {
      throw new HttpError(422, "address_rejected", error.message);
    }
    if (error instanceof CarrierUnavailableError) {
      throw new HttpError(502, "carrier_unavailable", "The carrier is unavailable; try again later.");
    }
    throw error;
  }
}
