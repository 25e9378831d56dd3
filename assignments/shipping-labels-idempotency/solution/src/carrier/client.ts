import type { Address, Parcel, ServiceLevel } from "../shipments/model";

/** What we ask the carrier for: one label for one parcel. */
export interface LabelRequest {
  merchantId: string;
  reference: string;
  service: ServiceLevel;
  to: Address;
  parcel: Parcel;
}

export interface PurchasedLabel {
  trackingNumber: string;
  labelUrl: string;
  /** What the carrier charges us, in euro cents. */
  costCents: number;
}

/**
 * The carrier's label API. Buying a label costs money: every successful purchaseLabel call is
 * billed to us, whether or not the merchant ever uses the label.
 */
export interface CarrierClient {
  purchaseLabel(request: LabelRequest): Promise<PurchasedLabel>;
  /** Voids an unused label; the carrier refunds it. */
  voidLabel(trackingNumber: string): Promise<void>;
}

/** The carrier could not be reached or answered with a server error: worth retrying later. */
export class CarrierUnavailableError extends Error {
  constructor(message = "The carrier is unavailable.") {
    super(message);
    this.name = "CarrierUnavailableError";
  }
}

/** The carrier refused the address (unknown postal code, undeliverable...): not retryable. */
export class AddressRejectedError extends Error {
  constructor(readonly reason: string) {
    super(`The carrier rejected the address: ${reason}`);
    this.name = "AddressRejectedError";
  }
}
