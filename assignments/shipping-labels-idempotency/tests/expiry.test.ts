import { ACME, DAY, create, parcelFor, replayed, setup } from "./support";

test("a repeat one second before 24 hours after the first request is replayed", async () => {
  const { app, carrier, clock } = setup();
  const first = await create(app, ACME, parcelFor("ORD-3001"), "key-3001");

  clock.advance(DAY - 1000);
  const again = await create(app, ACME, parcelFor("ORD-3001"), "key-3001");

  expect(again.status).toBe(201);
  expect(again.body.id).toBe(first.body.id);
  expect(replayed(again)).toBe(true);
  expect(carrier.purchases).toHaveLength(1);
});

test("24 hours after the first request the key is free, even for another body", async () => {
  const { app, carrier, clock } = setup();
  const first = await create(app, ACME, parcelFor("ORD-3002"), "key-3002");

  clock.advance(DAY);
  const reused = await create(app, ACME, parcelFor("ORD-3099", { service: "standard" }), "key-3002");

  expect(reused.status).toBe(201);
  expect(reused.body.id).not.toBe(first.body.id);
  expect(reused.body.reference).toBe("ORD-3099");
  expect(replayed(reused)).toBe(false);
  expect(carrier.purchases).toHaveLength(2);
});

test("the 24 hours run from the first request, not from the latest replay", async () => {
  const { app, carrier, clock } = setup();
  const first = await create(app, ACME, parcelFor("ORD-3003"), "key-3003");
  clock.advance(23 * 60 * 60 * 1000);
  const replay = await create(app, ACME, parcelFor("ORD-3003"), "key-3003");
  expect(replay.body.id).toBe(first.body.id);

  clock.advance(60 * 60 * 1000);
  const afterwards = await create(app, ACME, parcelFor("ORD-3003"), "key-3003");

  expect(afterwards.status).toBe(201);
  expect(afterwards.body.id).not.toBe(first.body.id);
  expect(replayed(afterwards)).toBe(false);
  expect(carrier.purchases).toHaveLength(2);
});
