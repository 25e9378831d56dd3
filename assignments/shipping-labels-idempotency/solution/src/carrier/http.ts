import {
  AddressRejectedError,
  CarrierUnavailableError,
  type CarrierClient,
  type LabelRequest,
  type PurchasedLabel,
} from "./client";

/**
 * The carrier's REST API (v2). Production and staging use this client; local development
 * uses the SandboxCarrier unless CARRIER_URL is set.
 */
export class HttpCarrierClient implements CarrierClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async purchaseLabel(request: LabelRequest): Promise<PurchasedLabel> {
    const response = await this.call("POST", "/v2/labels", {
      service: request.service,
      customer_reference: `${request.merchantId}/${request.reference}`,
      recipient: {
        name: request.to.name,
        address_line_1: request.to.line1,
        address_line_2: request.to.line2 ?? null,
        city: request.to.city,
        postal_code: request.to.postalCode,
        country_code: request.to.country,
      },
      parcel: {
        weight_g: request.parcel.weightGrams,
        length_cm: request.parcel.lengthCm,
        width_cm: request.parcel.widthCm,
        height_cm: request.parcel.heightCm,
      },
    });
    if (response.status === 422) {
      const body = (await response.json()) as { reason?: string };
      throw new AddressRejectedError(body.reason ?? "unknown reason");
    }
    if (!response.ok) {
      throw new CarrierUnavailableError(`The carrier answered ${response.status}.`);
    }
    const body = (await response.json()) as {
      tracking_number: string;
      label_url: string;
      price: { amount_cents: number };
    };
    return {
      trackingNumber: body.tracking_number,
      labelUrl: body.label_url,
      costCents: body.price.amount_cents,
    };
  }

  async voidLabel(trackingNumber: string): Promise<void> {
    const response = await this.call("POST", `/v2/labels/${encodeURIComponent(trackingNumber)}/void`);
    // 409: already voided, which is what we wanted.
    if (!response.ok && response.status !== 409) {
      throw new CarrierUnavailableError(`The carrier answered ${response.status}.`);
    }
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          "content-type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new CarrierUnavailableError(`The carrier could not be reached: ${String(error)}`);
    }
  }
}
