import { ACME, cancel, create, parcelFor, replayed, setup, shipmentsOf } from "./support";

test("the same key with a different body is refused with 422 and buys nothing", async () => {
  const { app, carrier } = setup();
  await create(app, ACME, parcelFor("ORD-8001"), "key-8001");

  const res = await create(app, ACME, parcelFor("ORD-8001", { service: "standard" }), "key-8001");

  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe("idempotency_key_reused");
  expect(replayed(res)).toBe(false);
  expect(carrier.purchases).toHaveLength(1);
  expect(await shipmentsOf(app, ACME)).toHaveLength(1);
});

test("a key used to create is refused with 422 when sent to cancel", async () => {
  const { app, carrier } = setup();
  const created = await create(app, ACME, parcelFor("ORD-8002"), "key-8002");

  const res = await cancel(app, ACME, created.body.id, "key-8002");

  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe("idempotency_key_reused");
  expect(carrier.voided).toHaveLength(0);
});

test("a key used to cancel one shipment is refused with 422 for another shipment", async () => {
  const { app, carrier } = setup();
  const one = await create(app, ACME, parcelFor("ORD-8003"));
  const other = await create(app, ACME, parcelFor("ORD-8004"));
  await cancel(app, ACME, one.body.id, "cancel-8003");

  const res = await cancel(app, ACME, other.body.id, "cancel-8003");

  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe("idempotency_key_reused");
  expect(carrier.voided).toEqual([one.body.tracking_number]);
});

test("a refused reuse leaves the first response in place", async () => {
  const { app, carrier } = setup();
  const first = await create(app, ACME, parcelFor("ORD-8005"), "key-8005");
  await create(app, ACME, parcelFor("ORD-8099"), "key-8005");

  const again = await create(app, ACME, parcelFor("ORD-8005"), "key-8005");

  expect(again.status).toBe(201);
  expect(again.body).toEqual(first.body);
  expect(replayed(again)).toBe(true);
  expect(carrier.purchases).toHaveLength(1);
});
