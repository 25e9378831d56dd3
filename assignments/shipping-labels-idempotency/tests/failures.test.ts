import { CarrierUnavailableError } from "../src/carrier/client";
import { ACME, create, parcelFor, replayed, setup, shipmentsOf } from "./support";

test("a 502 from an unavailable carrier is not stored: a retry with the key buys the label", async () => {
  const { app, carrier } = setup();
  carrier.failNextPurchase(new CarrierUnavailableError());

  const failed = await create(app, ACME, parcelFor("ORD-4001"), "key-4001");
  const retry = await create(app, ACME, parcelFor("ORD-4001"), "key-4001");

  expect(failed.status).toBe(502);
  expect(retry.status).toBe(201);
  expect(replayed(retry)).toBe(false);
  expect(carrier.purchases).toHaveLength(2);
  expect(await shipmentsOf(app, ACME)).toHaveLength(1);
});

test("an unexpected error (500) is not stored: a retry with the key is processed", async () => {
  const { app, carrier } = setup();
  carrier.failNextPurchase(new TypeError("Cannot read properties of undefined (reading 'tracking_number')"));

  const failed = await create(app, ACME, parcelFor("ORD-4002"), "key-4002");
  const retry = await create(app, ACME, parcelFor("ORD-4002"), "key-4002");

  expect(failed.status).toBe(500);
  expect(retry.status).toBe(201);
  expect(replayed(retry)).toBe(false);
});

test("after a failed attempt, the successful retry is what later repeats replay", async () => {
  const { app, carrier } = setup();
  carrier.failNextPurchase(new CarrierUnavailableError());
  await create(app, ACME, parcelFor("ORD-4003"), "key-4003");
  const retry = await create(app, ACME, parcelFor("ORD-4003"), "key-4003");

  const later = await create(app, ACME, parcelFor("ORD-4003"), "key-4003");

  expect(later.status).toBe(201);
  expect(later.body).toEqual(retry.body);
  expect(replayed(later)).toBe(true);
  expect(carrier.purchases).toHaveLength(2);
});
