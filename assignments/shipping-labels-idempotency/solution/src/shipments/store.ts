import type { Shipment } from "./model";

/**
 * Where shipments live. In memory for now; the PostgreSQL implementation is SHIP-120 and
 * will implement this same interface.
 */
export interface ShipmentStore {
  insert(shipment: Shipment): Promise<void>;
  update(shipment: Shipment): Promise<void>;
  get(merchantId: string, id: string): Promise<Shipment | undefined>;
  /** The merchant's shipments, newest first; optionally only those with a reference. */
  list(merchantId: string, filter?: { reference?: string }): Promise<Shipment[]>;
}

export class InMemoryShipmentStore implements ShipmentStore {
  private readonly shipments = new Map<string, Shipment>();

  async insert(shipment: Shipment): Promise<void> {
    if (this.shipments.has(shipment.id)) {
      throw new Error(`shipment ${shipment.id} already exists`);
    }
    this.shipments.set(shipment.id, structuredClone(shipment));
  }

  async update(shipment: Shipment): Promise<void> {
    if (!this.shipments.has(shipment.id)) {
      throw new Error(`shipment ${shipment.id} does not exist`);
    }
    this.shipments.set(shipment.id, structuredClone(shipment));
  }

  async get(merchantId: string, id: string): Promise<Shipment | undefined> {
    const shipment = this.shipments.get(id);
    return shipment && shipment.merchantId === merchantId ? structuredClone(shipment) : undefined;
  }

  async list(merchantId: string, filter: { reference?: string } = {}): Promise<Shipment[]> {
    return [...this.shipments.values()]
      .filter((s) => s.merchantId === merchantId)
      .filter((s) => filter.reference === undefined || s.reference === filter.reference)
      .reverse()
      .map((s) => structuredClone(s));
  }
}
