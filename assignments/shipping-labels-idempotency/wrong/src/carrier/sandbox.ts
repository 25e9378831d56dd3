import { AddressRejectedError, type CarrierClient, type LabelRequest, type PurchasedLabel } from "./client";

const PRICES_CENTS = { standard: 495, express: 1290 } as const;

/**
 * A stand-in for the carrier for local development and demos: labels are free and
 * instant, and postal code 00000 is refused the way the carrier refuses unknown codes.
 */
export class SandboxCarrier implements CarrierClient {
  private issued = 0;

  async purchaseLabel(request: LabelRequest): Promise<PurchasedLabel> {
    if (request.to.postalCode === "00000") {
      throw new AddressRejectedError("unknown postal code");
    }
    this.issued += 1;
    const trackingNumber = `SBX${String(this.issued).padStart(9, "0")}`;
    return {
      trackingNumber,
      labelUrl: `https://sandbox.labels.invalid/${trackingNumber}.pdf`,
      costCents: PRICES_CENTS[request.service],
    };
  }

  async voidLabel(): Promise<void> {}
}
