import { ACME, create, parcelFor, replayed, setup, shipmentsOf } from "./support";

test("requests without an Idempotency-Key are processed every time, as before", async () => {
  const { app, carrier } = setup();

  const first = await create(app, ACME, parcelFor("ORD-5001"));
  const second = await create(app, ACME, parcelFor("ORD-5001"));

  expect(first.status).toBe(201);
  expect(second.status).toBe(201);
  expect(second.body.id).not.toBe(first.body.id);
  expect(replayed(second)).toBe(false);
  expect(carrier.purchases).toHaveLength(2);
});

test("an empty Idempotency-Key is refused with 400 invalid_idempotency_key", async () => {
  const { app, carrier } = setup();

  const res = await create(app, ACME, parcelFor("ORD-5002"), "");

  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("invalid_idempotency_key");
  expect(carrier.purchases).toHaveLength(0);
});

test("a key longer than 255 characters is refused with 400 and buys nothing", async () => {
  const { app, carrier } = setup();

  const res = await create(app, ACME, parcelFor("ORD-5003"), "k".repeat(256));

  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("invalid_idempotency_key");
  expect(carrier.purchases).toHaveLength(0);
  expect(await shipmentsOf(app, ACME)).toHaveLength(0);
});

test("a key of 255 visible ASCII characters is accepted and remembered", async () => {
  const { app, carrier } = setup();
  const visible = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join("");
  const key = (visible + visible + visible).slice(0, 255);

  const first = await create(app, ACME, parcelFor("ORD-5004"), key);
  const again = await create(app, ACME, parcelFor("ORD-5004"), key);

  expect(first.status).toBe(201);
  expect(again.status).toBe(201);
  expect(again.body.id).toBe(first.body.id);
  expect(carrier.purchases).toHaveLength(1);
});

test("a key containing a space is refused with 400", async () => {
  const { app, carrier } = setup();

  const res = await create(app, ACME, parcelFor("ORD-5005"), "order 5005");

  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("invalid_idempotency_key");
  expect(carrier.purchases).toHaveLength(0);
});

test("a key with a character outside ASCII is refused with 400", async () => {
  const { app, carrier } = setup();

  const res = await create(app, ACME, parcelFor("ORD-5006"), "commande-\u00e9t\u00e9-5006");

  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("invalid_idempotency_key");
  expect(carrier.purchases).toHaveLength(0);
});
