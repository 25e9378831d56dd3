import { AddressRejectedError } from "../src/carrier/client";
import { ACME, cancel, create, parcelFor, replayed, setup, shipmentsOf } from "./support";

test("repeating a create with the same key returns the first response and buys one label", async () => {
  const { app, carrier } = setup();

  const first = await create(app, ACME, parcelFor("ORD-7001"), "c0ffee-7001");
  const again = await create(app, ACME, parcelFor("ORD-7001"), "c0ffee-7001");

  expect(first.status).toBe(201);
  expect(again.status).toBe(201);
  expect(again.body).toEqual(first.body);
  expect(carrier.purchases).toHaveLength(1);
  expect(await shipmentsOf(app, ACME)).toHaveLength(1);
});

test("a replayed response says Idempotent-Replayed: true and keeps the original Location", async () => {
  const { app } = setup();

  const first = await create(app, ACME, parcelFor("ORD-7002"), "c0ffee-7002");
  const again = await create(app, ACME, parcelFor("ORD-7002"), "c0ffee-7002");

  expect(replayed(again)).toBe(true);
  expect(first.headers.location).toBe(`/shipments/${first.body.id}`);
  expect(again.headers.location).toBe(first.headers.location);
  expect(again.headers["content-type"]).toMatch(/^application\/json/);
});

test("a first response with a key is not marked as replayed", async () => {
  const { app } = setup();

  const first = await create(app, ACME, parcelFor("ORD-7003"), "c0ffee-7003");

  expect(first.status).toBe(201);
  expect(first.headers["idempotent-replayed"]).toBeUndefined();
});

test("the same JSON body with its fields in another order is a repeat", async () => {
  const { app, carrier } = setup();
  const body = parcelFor("ORD-7004");
  const reordered = {
    parcel: { heightCm: 15, widthCm: 30, lengthCm: 40, weightGrams: 2300 },
    to: { country: "NL", postalCode: "3511 AZ", city: "Utrecht", line2: "2e verdieping", line1: "Oudegracht 158", name: "Joris Bakker" },
    service: "express",
    reference: "ORD-7004",
  };
  expect(reordered).toEqual(body);

  const first = await create(app, ACME, body, "c0ffee-7004");
  const again = await create(app, ACME, reordered, "c0ffee-7004");

  expect(again.status).toBe(201);
  expect(again.body.id).toBe(first.body.id);
  expect(replayed(again)).toBe(true);
  expect(carrier.purchases).toHaveLength(1);
});

test("different keys create different shipments", async () => {
  const { app, carrier } = setup();

  const first = await create(app, ACME, parcelFor("ORD-7005"), "c0ffee-7005-a");
  const second = await create(app, ACME, parcelFor("ORD-7005"), "c0ffee-7005-b");

  expect(second.status).toBe(201);
  expect(second.body.id).not.toBe(first.body.id);
  expect(replayed(second)).toBe(false);
  expect(carrier.purchases).toHaveLength(2);
});

test("a replay returns the stored response even after the shipment was cancelled", async () => {
  const { app } = setup();
  const first = await create(app, ACME, parcelFor("ORD-7006"), "c0ffee-7006");
  const cancelled = await cancel(app, ACME, first.body.id);
  expect(cancelled.body.status).toBe("cancelled");

  const again = await create(app, ACME, parcelFor("ORD-7006"), "c0ffee-7006");

  expect(again.status).toBe(201);
  expect(again.body).toEqual(first.body);
  expect(again.body.status).toBe("label_purchased");
});

test("repeating a cancel with the same key returns the first 200 and voids the label once", async () => {
  const { app, carrier, clock } = setup();
  const created = await create(app, ACME, parcelFor("ORD-7007"));
  clock.advance(5 * 60 * 1000);

  const first = await cancel(app, ACME, created.body.id, "cancel-7007");
  clock.advance(30 * 1000);
  const again = await cancel(app, ACME, created.body.id, "cancel-7007");

  expect(first.status).toBe(200);
  expect(again.status).toBe(200);
  expect(again.body).toEqual(first.body);
  expect(again.body.cancelled_at).toBe("2025-03-10T08:35:00.000Z");
  expect(replayed(again)).toBe(true);
  expect(carrier.voided).toEqual([created.body.tracking_number]);
});

test("a 409 for cancelling a cancelled shipment is stored and replayed", async () => {
  const { app } = setup();
  const created = await create(app, ACME, parcelFor("ORD-7008"));
  await cancel(app, ACME, created.body.id, "cancel-7008-a");

  const refused = await cancel(app, ACME, created.body.id, "cancel-7008-b");
  const again = await cancel(app, ACME, created.body.id, "cancel-7008-b");

  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe("shipment_already_cancelled");
  expect(again.status).toBe(409);
  expect(again.body).toEqual(refused.body);
  expect(replayed(again)).toBe(true);
});

test("a 400 for an invalid shipment is stored and replayed", async () => {
  const { app, carrier } = setup();
  const invalid = parcelFor("ORD-7009", { service: "same-day" });

  const refused = await create(app, ACME, invalid, "c0ffee-7009");
  const again = await create(app, ACME, invalid, "c0ffee-7009");

  expect(refused.status).toBe(400);
  expect(again.status).toBe(400);
  expect(again.body).toEqual(refused.body);
  expect(replayed(again)).toBe(true);
  expect(carrier.purchases).toHaveLength(0);
});

test("a 422 for an address the carrier rejected is replayed without asking the carrier again", async () => {
  const { app, carrier } = setup();
  carrier.failNextPurchase(new AddressRejectedError("postal code does not exist"));

  const refused = await create(app, ACME, parcelFor("ORD-7010"), "c0ffee-7010");
  const again = await create(app, ACME, parcelFor("ORD-7010"), "c0ffee-7010");

  expect(refused.status).toBe(422);
  expect(refused.body.error.code).toBe("address_rejected");
  expect(again.status).toBe(422);
  expect(again.body).toEqual(refused.body);
  expect(replayed(again)).toBe(true);
  expect(carrier.purchases).toHaveLength(1);
});
