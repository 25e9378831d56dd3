import request from "supertest";
import { CarrierUnavailableError, type LabelRequest, type PurchasedLabel } from "../src/carrier/client";
import { canonicalJson } from "../src/idempotency/fingerprint";
import { InMemoryIdempotencyStore } from "../src/idempotency/store";
import { ACME_KEY, GLOBEX_KEY, buildTestApp, shipmentBody, type FakeCarrier } from "./helpers";

const acme = `Bearer ${ACME_KEY}`;
const globex = `Bearer ${GLOBEX_KEY}`;
const DAY = 24 * 60 * 60 * 1000;

function post(app: Parameters<typeof request>[0], auth: string, body: object, key?: string) {
  const req = request(app).post("/shipments").set("Authorization", auth);
  return key === undefined ? req.send(body) : req.set("Idempotency-Key", key).send(body);
}

describe("Idempotency-Key on POST /shipments", () => {
  it("replays the first response for a repeat and buys one label", async () => {
    const { app, carrier } = buildTestApp();

    const first = await post(app, acme, shipmentBody(), "k-1");
    const again = await post(app, acme, shipmentBody(), "k-1");

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    expect(carrier.purchases).toHaveLength(1);
  });

  it("refuses a key reused for another body, and keeps the first response", async () => {
    const { app, carrier } = buildTestApp();
    const first = await post(app, acme, shipmentBody(), "k-2");

    const reused = await post(app, acme, shipmentBody({ reference: "ORD-other" }), "k-2");
    const again = await post(app, acme, shipmentBody(), "k-2");

    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("idempotency_key_reused");
    expect(again.body).toEqual(first.body);
    expect(carrier.purchases).toHaveLength(1);
  });

  it.each([["empty", ""], ["too long", "x".repeat(256)], ["with a space", "a b"]])(
    "refuses a key that is %s",
    async (_label, key) => {
      const { app, carrier } = buildTestApp();

      const res = await post(app, acme, shipmentBody(), key);

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_idempotency_key");
      expect(carrier.purchases).toHaveLength(0);
    },
  );

  it("keeps merchants' keys apart", async () => {
    const { app, carrier } = buildTestApp();
    await post(app, acme, shipmentBody(), "shared");

    const other = await post(app, globex, shipmentBody({ reference: "GX-1" }), "shared");

    expect(other.status).toBe(201);
    expect(other.body.reference).toBe("GX-1");
    expect(carrier.purchases).toHaveLength(2);
  });

  it("turns away a repeat while the first request is still at the carrier", async () => {
    const { app, carrier } = buildTestApp();
    const held = holdPurchases(carrier);
    const first = new Promise<request.Response>((resolve, reject) =>
      post(app, acme, shipmentBody(), "k-3").end((err, res) => (err ? reject(err) : resolve(res))),
    );
    await held.entered;

    const repeat = await post(app, acme, shipmentBody(), "k-3");
    const otherKey = await post(app, acme, shipmentBody(), "k-4");
    held.release();

    expect(repeat.status).toBe(409);
    expect(repeat.body.error.code).toBe("idempotency_request_in_progress");
    expect(repeat.headers["retry-after"]).toBe("1");
    expect(otherKey.status).toBe(201);
    expect((await first).status).toBe(201);
    expect(carrier.purchases).toHaveLength(2);
  });

  it("frees the key when the carrier is unavailable, so that a retry buys the label", async () => {
    const { app, carrier } = buildTestApp();
    carrier.failNextPurchaseWith = new CarrierUnavailableError();

    const failed = await post(app, acme, shipmentBody(), "k-5");
    const retry = await post(app, acme, shipmentBody(), "k-5");

    expect(failed.status).toBe(502);
    expect(retry.status).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBeUndefined();
  });

  it("forgets a key 24 hours after its first request, however often it was replayed", async () => {
    const { app, clock, carrier } = buildTestApp();
    await post(app, acme, shipmentBody(), "k-6");
    clock.advance(DAY - 1);
    expect((await post(app, acme, shipmentBody(), "k-6")).headers["idempotent-replayed"]).toBe("true");

    clock.advance(1);
    const fresh = await post(app, acme, shipmentBody({ reference: "ORD-new" }), "k-6");

    expect(fresh.status).toBe(201);
    expect(fresh.body.reference).toBe("ORD-new");
    expect(carrier.purchases).toHaveLength(2);
  });
});

describe("Idempotency-Key on POST /shipments/:id/cancel", () => {
  it("replays the cancellation instead of answering 409, and voids once", async () => {
    const { app, carrier } = buildTestApp();
    const created = await post(app, acme, shipmentBody());
    const cancel = () =>
      request(app).post(`/shipments/${created.body.id}/cancel`).set("Authorization", acme).set("Idempotency-Key", "c-1");

    const first = await cancel();
    const again = await cancel();

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(carrier.voided).toHaveLength(1);
  });

  it("refuses a create's key for a cancel", async () => {
    const { app } = buildTestApp();
    const created = await post(app, acme, shipmentBody(), "k-7");

    const res = await request(app)
      .post(`/shipments/${created.body.id}/cancel`)
      .set("Authorization", acme)
      .set("Idempotency-Key", "k-7");

    expect(res.status).toBe(422);
  });
});

describe("InMemoryIdempotencyStore", () => {
  const at = (ms: number) => new Date(Date.UTC(2024, 10, 4) + ms);
  const response = { status: 201, headers: {}, body: "{}" };

  it("sweeps expired responses but keeps requests still running", async () => {
    const store = new InMemoryIdempotencyStore(DAY);
    await store.reserve("m", "done", "f", at(0));
    await store.complete("m", "done", response);
    await store.reserve("m", "running", "f", at(1));

    await store.reserve("m", "new", "f", at(2 * DAY));

    expect(store.size).toBe(2);
    expect(await store.reserve("m", "running", "f", at(2 * DAY))).toMatchObject({ reserved: false });
  });
});

describe("canonicalJson", () => {
  it("ignores the order of object fields but not of array items", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});

/** Makes the fake carrier's next purchase wait until release() is called. */
function holdPurchases(carrier: FakeCarrier) {
  let entered!: () => void;
  let release!: () => void;
  const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const purchase = carrier.purchaseLabel.bind(carrier);
  let held = false;
  carrier.purchaseLabel = async (labelRequest: LabelRequest): Promise<PurchasedLabel> => {
    if (!held) {
      held = true;
      entered();
      await released;
    }
    return purchase(labelRequest);
  };
  return { entered: enteredPromise, release };
}
