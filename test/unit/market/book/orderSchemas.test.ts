// Specification of the order JSON schemas, the JSON round trip and the cached digester: what a
// client may post, what is refused with INVALID_ORDER, and digests equal to the shared helpers.
import { expect } from "chai";
import fc from "fast-check";
import { Wallet } from "ethers";
import { orderDigest, recoverOrderSigner, signOrder, type OrderKind } from "../../../../src/wire/eip712/index.ts";
import { OrderDigester, parsePublishBody } from "../../../../src/market/book/index.ts";
import { MarketError } from "../../../../src/market/MarketError.ts";
import { orderFromJson, orderToJson, publishBodyOf } from "../../../../src/wire/marketApi/orderJson.ts";
import { thrownBy } from "../../../helpers/expectFailure.ts";
import { TEST_DOMAIN, TEST_REQUESTER, typedOrder } from "./bookTestOrders.ts";

const KINDS: OrderKind[] = ["app", "dataset", "workerpool", "request"];
const SIGNATURE = `0x${"11".repeat(65)}`;

/** The address with the case of its letters swapped: same bytes, broken EIP-55 checksum. */
function wrongChecksum(address: string): string {
  const hex = address.slice(2).replace(/[a-fA-F]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
  return `0x${hex}`;
}

function refusal(kind: OrderKind, body: unknown): MarketError {
  return thrownBy(MarketError, () => parsePublishBody(kind, body));
}

describe("order JSON schemas", function () {
  for (const kind of KINDS) {
    it(`parses a ${kind} order posted as JSON back into the typed order`, function () {
      const order = typedOrder(kind);
      const body = JSON.parse(JSON.stringify(publishBodyOf(kind, order, SIGNATURE)));
      expect(parsePublishBody(kind, body)).to.deep.equal({ order, signature: SIGNATURE });
    });
  }

  it("accepts uint256 as decimal, 0x-hex or a safe integer, and the largest uint256", function () {
    const max = (1n << 256n) - 1n;
    const body = publishBodyOf("app", typedOrder("app"), SIGNATURE) as { order: Record<string, unknown>; signature: string };
    body.order.price = `0x${max.toString(16)}`;
    body.order.volume = 7;
    body.order.expiry = "4000000000";
    const parsed = parsePublishBody("app", body);
    expect(parsed.order.price).to.equal(max);
    expect(parsed.order.volume).to.equal(7n);
    expect(parsed.order.expiry).to.equal(4_000_000_000n);
  });

  it("normalizes addresses to checksum spelling and hex to lower case", function () {
    const body = publishBodyOf("request", typedOrder("request"), SIGNATURE.toUpperCase().replace("0X", "0x"));
    body.order.requester = body.order.requester.toLowerCase();
    const parsed = parsePublishBody("request", body);
    expect(parsed.order.requester).to.equal(TEST_REQUESTER);
    expect(parsed.signature).to.equal(SIGNATURE);
  });

  const badOrders: [string, OrderKind, (order: Record<string, unknown>) => void, string][] = [
    ["a missing field", "app", (o) => delete o.price, "order.price"],
    ["an unknown field", "app", (o) => (o.colour = "red"), "order"],
    ["a negative amount", "app", (o) => (o.price = "-1"), "order.price"],
    ["a fractional number", "dataset", (o) => (o.price = 1.5), "order.price"],
    ["an amount above uint256", "app", (o) => (o.price = (1n << 256n).toString()), "order.price"],
    ["zero volume", "workerpool", (o) => (o.volume = "0"), "order.volume"],
    ["app id 0", "app", (o) => (o.app = "0"), "order.app"],
    ["category 0", "workerpool", (o) => (o.category = "0"), "order.category"],
    ["a short tag", "app", (o) => (o.tag = "0x01"), "order.tag"],
    ["a bad address checksum", "app", (o) => (o.requesterRestrict = wrongChecksum("0x5FbDB2315678afecb367f032d93F642f64180aa3")), "order.requesterRestrict"],
    ["a zero beneficiary", "request", (o) => (o.beneficiary = "0x0000000000000000000000000000000000000000"), "order.beneficiary"],
    ["overlong params", "request", (o) => (o.params = "x".repeat(8_193)), "order.params"],
  ];
  for (const [what, kind, mutate, path] of badOrders) {
    it(`refuses ${what} with 400 INVALID_ORDER naming ${path}`, function () {
      const body = publishBodyOf(kind, typedOrder(kind), SIGNATURE) as { order: Record<string, unknown> };
      mutate(body.order);
      const error = refusal(kind, body);
      expect(error.code).to.equal("INVALID_ORDER");
      const issues = (error.details as { issues: { path: string }[] }).issues;
      expect(issues.map((issue) => issue.path)).to.include(path);
      expect(error.message).to.contain(path);
    });
  }

  it("refuses a body that is not an object, and a signature of the wrong length", function () {
    expect(refusal("app", undefined).code).to.equal("INVALID_ORDER");
    expect(refusal("app", [1, 2]).code).to.equal("INVALID_ORDER");
    const body = publishBodyOf("app", typedOrder("app"), "0x1234");
    expect((refusal("app", body).details as { issues: { path: string }[] }).issues[0].path).to.equal("signature");
  });
});

describe("orderToJson / orderFromJson", function () {
  it("round-trips any app order", function () {
    const uint = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
    fc.assert(
      fc.property(uint, uint, uint, (price, volume, expiry) => {
        const order = typedOrder("app", { price, volume, expiry });
        expect(orderFromJson("app", JSON.parse(JSON.stringify(orderToJson("app", order))))).to.deep.equal(order);
      }),
      { numRuns: 50 },
    );
  });
});

describe("OrderDigester", function () {
  const digester = new OrderDigester(TEST_DOMAIN);

  for (const kind of KINDS) {
    it(`computes the same ${kind} digest and signer as the shared signing helpers`, async function () {
      const wallet = Wallet.createRandom();
      const order = typedOrder(kind);
      const signature = await signOrder(kind, wallet, TEST_DOMAIN, order);
      const digest = digester.digest(kind, order);
      expect(digest).to.equal(orderDigest(kind, TEST_DOMAIN, order));
      expect(digester.recover(digest, signature)).to.equal(recoverOrderSigner(kind, TEST_DOMAIN, order, signature));
      expect(digester.recover(digest, signature)).to.equal(wallet.address);
    });
  }

  it("throws on a signature that cannot be recovered", function () {
    expect(() => digester.recover(digester.digest("app", typedOrder("app")), `0x${"00".repeat(65)}`)).to.throw();
  });

  it("throws on signatures the contract refuses: v of 0 or 1, and the high-s twin", async function () {
    const order = typedOrder("app");
    const digest = digester.digest("app", order);
    const signature = await signOrder("app", Wallet.createRandom(), TEST_DOMAIN, order);
    const v = Number.parseInt(signature.slice(130), 16);
    expect(() => digester.recover(digest, `${signature.slice(0, 130)}0${v - 27}`)).to.throw(RangeError);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS = (n - BigInt(`0x${signature.slice(66, 130)}`)).toString(16).padStart(64, "0");
    expect(() => digester.recover(digest, `${signature.slice(0, 66)}${highS}${v === 27 ? "1c" : "1b"}`)).to.throw(RangeError);
  });
});

describe("request orders a task could only fail on", function () {
  const TEE_TAG = `0x${"0".repeat(63)}1`;
  const teeRequest = (overrides: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(publishBodyOf("request", typedOrder("request", { tag: TEE_TAG, resultPublicKey: `0x${"42".repeat(32)}`, ...overrides }), SIGNATURE)));
  const problemOf = (body: unknown) => (refusal("request", body).details as { issues: { path: string; message: string }[] }).issues;

  it("accepts a TEE request with a usable result key and well-named requester secrets", function () {
    const body = teeRequest({ params: JSON.stringify({ requesterSecrets: ["city-api", "TOKEN_2"] }) });
    expect(parsePublishBody("request", body).order.params).to.contain("city-api");
  });

  it("refuses a TEE request whose result key is zero or of small order: no enclave can encrypt to it", function () {
    for (const key of [`0x${"00".repeat(32)}`, `0x01${"00".repeat(31)}`]) {
      expect(problemOf(teeRequest({ resultPublicKey: key }))[0]).to.include({ path: "order.resultPublicKey" });
    }
  });

  it("refuses params naming requester secrets that are not secret names, too many of them, or NUL characters", function () {
    for (const params of [
      JSON.stringify({ requesterSecrets: ["bad\u0000name"] }),
      JSON.stringify({ requesterSecrets: ["has space"] }),
      JSON.stringify({ requesterSecrets: "city-api" }),
      JSON.stringify({ requesterSecrets: Array.from({ length: 17 }, (_, i) => `s${i}`) }),
      "free text with a \u0000",
    ]) {
      expect(problemOf(teeRequest({ params }))[0], params).to.include({ path: "order.params" });
    }
  });
});
