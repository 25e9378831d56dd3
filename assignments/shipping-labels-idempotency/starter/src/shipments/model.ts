export type ServiceLevel = "standard" | "express";
export const SERVICE_LEVELS: readonly ServiceLevel[] = ["standard", "express"];

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

export interface Parcel {
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

export type ShipmentStatus = "label_purchased" | "cancelled";

export interface Shipment {
  id: string;
  merchantId: string;
  /** The merchant's own reference, usually their order number. Not unique: an order may
   *  ship in several parcels. */
  reference: string;
  service: ServiceLevel;
  to: Address;
  parcel: Parcel;
  status: ShipmentStatus;
  trackingNumber: string;
  labelUrl: string;
  costCents: number;
  createdAt: Date;
  cancelledAt: Date | null;
}

/** What the API answers for a shipment (the merchant id is implied by the API key). */
export interface ShipmentResponse {
  id: string;
  reference: string;
  service: ServiceLevel;
  to: Address;
  parcel: Parcel;
  status: ShipmentStatus;
  tracking_number: string;
  label_url: string;
  cost: { amount_cents: number; currency: "EUR" };
  created_at: string;
  cancelled_at: string | null;
}

export function toResponse(shipment: Shipment): ShipmentResponse {
  return {
    id: shipment.id,
    reference: shipment.reference,
    service: shipment.service,
    to: { ...shipment.to },
    parcel: { ...shipment.parcel },
    status: shipment.status,
    tracking_number: shipment.trackingNumber,
    label_url: shipment.labelUrl,
    cost: { amount_cents: shipment.costCents, currency: "EUR" },
    created_at: shipment.createdAt.toISOString(),
    cancelled_at: shipment.cancelledAt ? shipment.cancelledAt.toISOString() : null,
  };
}
