import request from "supertest";
import { AddressRejectedError, CarrierUnavailableError } from "../src/carrier/client";
import { ACME_KEY, GLOBEX_KEY, buildTestApp, shipmentBody } from "./helpers";

const acme = `Bearer ${ACME_KEY}`;
const globex = `Bearer ${GLOBEX_KEY}`;

describe("POST /shipments", () => {
  it("buys a label and returns the shipment", async () => {
    const { app, carrier } = buildTestApp();

    const res = await request(app).post("/shipments").set("Authorization", acme).send(shipmentBody());

    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/shipments/${res.body.id}`);
    expect(res.body).toMatchObject({
      reference: "ORD-10042",
      status: "label_purchased",
      tracking_number: "TEST000001",
      cost: { amount_cents: 495, currency: "EUR" },
      created_at: "2024-11-04T09:00:00.000Z",
      cancelled_at: null,
    });
    expect(carrier.purchases).toHaveLength(1);
    expect(carrier.purchases[0]).toMatchObject({ merchantId: "merchant_acme", reference: "ORD-10042" });
  });

  it("refuses an invalid shipment without calling the carrier", async () => {
    const { app, carrier } = buildTestApp();

    const res = await request(app)
      .post("/shipments")
      .set("Authorization", acme)
      .send(shipmentBody({ service: "overnight", parcel: { weightGrams: 0 } }));

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details).toEqual(
      expect.arrayContaining(["service must be one of standard, express"]),
    );
    expect(carrier.purchases).toHaveLength(0);
  });

  it("answers 422 when the carrier rejects the address", async () => {
    const { app, carrier } = buildTestApp();
    carrier.failNextPurchaseWith = new AddressRejectedError("unknown postal code");

    const res = await request(app).post("/shipments").set("Authorization", acme).send(shipmentBody());

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("address_rejected");
  });

  it("answers 502 when the carrier is unavailable", async () => {
    const { app, carrier } = buildTestApp();
    carrier.failNextPurchaseWith = new CarrierUnavailableError();

    const res = await request(app).post("/shipments").set("Authorization", acme).send(shipmentBody());

    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("carrier_unavailable");
  });

  it("requires an API key", async () => {
    const { app, carrier } = buildTestApp();

    const res = await request(app).post("/shipments").send(shipmentBody());

    expect(res.status).toBe(401);
    expect(carrier.purchases).toHaveLength(0);
  });
});

describe("GET /shipments", () => {
  it("lists the merchant's own shipments, newest first, filtered by reference", async () => {
    const { app } = buildTestApp();
    const post = (auth: string, reference: string) =>
      request(app).post("/shipments").set("Authorization", auth).send(shipmentBody({ reference }));
    const first = await post(acme, "ORD-1");
    const second = await post(acme, "ORD-2");
    await post(globex, "ORD-1");

    const all = await request(app).get("/shipments").set("Authorization", acme);
    const filtered = await request(app).get("/shipments?reference=ORD-1").set("Authorization", acme);

    expect(all.body.items.map((s: { id: string }) => s.id)).toEqual([second.body.id, first.body.id]);
    expect(filtered.body.items.map((s: { id: string }) => s.id)).toEqual([first.body.id]);
  });

  it("does not show one merchant's shipment to another", async () => {
    const { app } = buildTestApp();
    const created = await request(app).post("/shipments").set("Authorization", acme).send(shipmentBody());

    const res = await request(app).get(`/shipments/${created.body.id}`).set("Authorization", globex);

    expect(res.status).toBe(404);
  });
});

describe("POST /shipments/:id/cancel", () => {
  it("voids the label and marks the shipment cancelled", async () => {
    const { app, carrier, clock } = buildTestApp();
    const created = await request(app).post("/shipments").set("Authorization", acme).send(shipmentBody());
    clock.advance(60_000);

    const res = await request(app).post(`/shipments/${created.body.id}/cancel`).set("Authorization", acme);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "cancelled", cancelled_at: "2024-11-04T09:01:00.000Z" });
    expect(carrier.voided).toEqual([created.body.tracking_number]);
  });

  it("refuses to cancel twice", async () => {
    const { app, carrier } = buildTestApp();
    const created = await request(app).post("/shipments").set("Authorization", acme).send(shipmentBody());
    await request(app).post(`/shipments/${created.body.id}/cancel`).set("Authorization", acme);

    const res = await request(app).post(`/shipments/${created.body.id}/cancel`).set("Authorization", acme);

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("shipment_already_cancelled");
    expect(carrier.voided).toHaveLength(1);
  });
});
