import { expect } from "chai";
import fc from "fast-check";
import { TypedDataEncoder, getAddress, hexlify } from "ethers";
import {
  AUTHORIZATION_TYPES,
  ENCLAVE_ATTESTED_TYPES,
  ORDER_TYPES,
  RESULT_TYPES,
  TASK_FAILURE_TYPES,
  type OrderKind,
} from "../../../../src/wire/eip712/index.ts";
import { structHasher } from "../../../../src/wire/eip712/structHasher.ts";

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length }).map((value) => hexlify(value));
const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  uint256: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
  uint32: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
  uint8: fc.integer({ min: 0, max: 255 }),
  bytes32: bytes(32),
  address: bytes(20).map((value) => getAddress(value)),
  string: fc.string({ unit: "grapheme", maxLength: 200 }),
};

function valuesOf(types: Record<string, { name: string; type: string }[]>): fc.Arbitrary<Record<string, unknown>> {
  const [fields] = Object.values(types);
  return fc.record(Object.fromEntries(fields!.map((field) => [field.name, FIELD_VALUES[field.type]!])));
}

describe("structHasher", () => {
  const typeSets: [string, Record<string, { name: string; type: string }[]>][] = [
    ...(Object.keys(ORDER_TYPES) as OrderKind[]).map((kind): [string, Record<string, { name: string; type: string }[]>] => [kind, ORDER_TYPES[kind]]),
    ["authorization", AUTHORIZATION_TYPES],
    ["result", RESULT_TYPES],
    ["enclave attestation", ENCLAVE_ATTESTED_TYPES],
    ["task failure", TASK_FAILURE_TYPES],
  ];
  for (const [name, types] of typeSets) {
    it(`hashes any ${name} exactly as ethers' TypedDataEncoder does`, () => {
      const hash = structHasher(types);
      const reference = TypedDataEncoder.from(types);
      fc.assert(
        fc.property(valuesOf(types), (value) => {
          expect(hexlify(hash(value))).to.equal(reference.hash(value));
        }),
        { numRuns: 100 },
      );
    });
  }

  it("refuses values outside their type, and types it cannot encode", () => {
    const hash = structHasher(ORDER_TYPES.app);
    const [fields] = Object.values(ORDER_TYPES.app);
    const valid = Object.fromEntries(fields!.map((field) => [field.name, fc.sample(FIELD_VALUES[field.type]!, 1)[0]]));
    expect(() => hash(valid)).to.not.throw();
    expect(() => hash({ ...valid, price: -1n })).to.throw(RangeError);
    expect(() => hash({ ...valid, price: 1n << 256n })).to.throw(RangeError);
    expect(() => hash({ ...valid, tag: "0x1234" })).to.throw(TypeError);
    expect(() => hash({ ...valid, requesterRestrict: "0x1234" })).to.throw(TypeError);
    const failure = structHasher(TASK_FAILURE_TYPES);
    expect(() => failure({ taskId: `0x${"0".repeat(64)}`, cause: 256, attempt: 1 })).to.throw(RangeError);
    expect(() => failure({ taskId: `0x${"0".repeat(64)}`, cause: 1, attempt: 1n << 32n })).to.throw(RangeError);
    expect(() => structHasher({ Nested: [{ name: "inner", type: "Inner" }] })).to.throw(TypeError);
    expect(() => structHasher({ A: [], B: [] })).to.throw(TypeError);
  });
});
