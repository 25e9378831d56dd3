import { ACME, GLOBEX, create, parcelFor, replayed, setup, shipmentsOf } from "./support";

test("the same key and body from another merchant creates that merchant's own shipment", async () => {
  const { app, carrier } = setup();
  const acme = await create(app, ACME, parcelFor("ORD-1"), "order-1");

  const globex = await create(app, GLOBEX, parcelFor("ORD-1"), "order-1");

  expect(globex.status).toBe(201);
  expect(replayed(globex)).toBe(false);
  expect(globex.body.id).not.toBe(acme.body.id);
  expect(carrier.purchases.map((p) => p.merchantId)).toEqual(["merchant_acme", "merchant_globex"]);
  expect((await shipmentsOf(app, GLOBEX)).map((s) => s.id)).toEqual([globex.body.id]);
});

test("the same key with another body from another merchant is not a reuse", async () => {
  const { app } = setup();
  await create(app, ACME, parcelFor("ORD-1"), "order-1");

  const globex = await create(app, GLOBEX, parcelFor("GX-77", { service: "standard" }), "order-1");

  expect(globex.status).toBe(201);
  expect(globex.body.reference).toBe("GX-77");
});

test("a request refused for its API key does not use up the key", async () => {
  const { app, carrier } = setup();

  const refused = await create(app, "Bearer sk_live_revoked", parcelFor("ORD-9001"), "key-9001");
  const accepted = await create(app, ACME, parcelFor("ORD-9001"), "key-9001");

  expect(refused.status).toBe(401);
  expect(accepted.status).toBe(201);
  expect(replayed(accepted)).toBe(false);
  expect(carrier.purchases).toHaveLength(1);
});
