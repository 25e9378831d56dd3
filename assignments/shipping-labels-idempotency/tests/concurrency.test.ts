import { ACME, create, inFlight, parcelFor, replayed, setup, shipmentsOf } from "./support";

test("a repeat while the first request is still running gets 409 with Retry-After", async () => {
  const { app, carrier } = setup();
  const hold = carrier.holdNextPurchase();
  const first = inFlight(create(app, ACME, parcelFor("ORD-6001"), "key-6001"));
  await hold.started;

  const repeat = await create(app, ACME, parcelFor("ORD-6001"), "key-6001");
  hold.release();
  await first;

  expect(repeat.status).toBe(409);
  expect(repeat.body.error.code).toBe("idempotency_request_in_progress");
  expect(repeat.headers["retry-after"]).toBe("1");
  expect(carrier.purchases).toHaveLength(1);
});

test("the first request completes after a concurrent repeat was turned away, and is replayed afterwards", async () => {
  const { app, carrier } = setup();
  const hold = carrier.holdNextPurchase();
  const first = inFlight(create(app, ACME, parcelFor("ORD-6002"), "key-6002"));
  await hold.started;
  await create(app, ACME, parcelFor("ORD-6002"), "key-6002");

  hold.release();
  const original = await first;
  const later = await create(app, ACME, parcelFor("ORD-6002"), "key-6002");

  expect(original.status).toBe(201);
  expect(later.status).toBe(201);
  expect(later.body).toEqual(original.body);
  expect(replayed(later)).toBe(true);
  expect(carrier.purchases).toHaveLength(1);
  expect(await shipmentsOf(app, ACME)).toHaveLength(1);
});

test("requests with different keys run side by side", async () => {
  const { app, carrier } = setup();
  const hold = carrier.holdNextPurchase();
  const slow = inFlight(create(app, ACME, parcelFor("ORD-6003"), "key-6003"));
  await hold.started;

  const other = await create(app, ACME, parcelFor("ORD-6004"), "key-6004");
  hold.release();
  const slowResult = await slow;

  expect(other.status).toBe(201);
  expect(slowResult.status).toBe(201);
  expect(carrier.purchases).toHaveLength(2);
});
