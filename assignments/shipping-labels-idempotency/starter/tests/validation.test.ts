import { parseCreateShipment } from "../src/shipments/validation";
import { shipmentBody } from "./helpers";

describe("parseCreateShipment", () => {
  it("accepts a complete shipment and trims its text", () => {
    const result = parseCreateShipment(shipmentBody({ reference: "  ORD-7 " }));

    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ reference: "ORD-7", service: "standard" }),
    });
  });

  it("reports every problem at once", () => {
    const result = parseCreateShipment({ service: "standard", to: { country: "nl" }, parcel: {} });

    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toEqual([
        "reference is required",
        "to.name is required",
        "to.line1 is required",
        "to.city is required",
        "to.postalCode is required",
        "to.country must be an ISO 3166-1 alpha-2 code such as NL",
        "parcel.weightGrams must be a whole number from 1 to 31500",
        "parcel.lengthCm must be a whole number from 1 to 120",
        "parcel.widthCm must be a whole number from 1 to 120",
        "parcel.heightCm must be a whole number from 1 to 120",
      ]);
    }
  });

  it("refuses a parcel over the carrier's weight limit", () => {
    const result = parseCreateShipment(
      shipmentBody({ parcel: { weightGrams: 40_000, lengthCm: 30, widthCm: 20, heightCm: 10 } }),
    );

    expect(result).toEqual({ ok: false, problems: ["parcel.weightGrams must be a whole number from 1 to 31500"] });
  });
});
