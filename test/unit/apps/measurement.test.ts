// Specification of app measurements: node keeps the bundle's sha256; python and wasi hash a
// documented measurement document over the bundle's sha256 and the runtime profile's digest, so any
// change to the interpreter, a declared package or a vendored file changes it; hardware TEE images
// are measured from their own files.
import { expect } from "chai";
import { createHash } from "node:crypto";
import fc from "fast-check";
import {
  appMeasurement,
  canonicalJson,
  checkPackageRequirements,
  confidentialImageMeasurement,
  encodeArchive,
  packBundle,
  parseRuntimeProfile,
  readBundle,
  runtimeOfMeasurement,
  runtimeProfileDigest,
  RuntimeProfileError,
  sgxMrenclaveOf,
  tdxTdMeasurement,
  WASI_PROFILE,
  type AppManifest,
  type PythonProfile,
} from "../../../src/apps/index.ts";
import { makeTempDir, removeDir, writeTree } from "./appsTestKit.ts";

const sha = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return `0x${hash.digest("hex")}`;
};
const hex32 = (byte: string) => `0x${byte.repeat(32)}` as const;

const PROFILE: PythonProfile = {
  runtime: "python",
  sandbox: "bwrap-python/1",
  interpreter: { implementation: "cpython", version: "3.11.2", executableSha256: hex32("a1"), stdlibSha256: hex32("b2"), librariesSha256: hex32("c3") },
  packages: [{ name: "numpy", version: "1.24.2", filesSha256: hex32("d4") }],
};
const PYTHON_MANIFEST: AppManifest = { name: "p", version: "1.0.0", description: "d", runtime: "python", entrypoint: "main.py", python: { packages: { numpy: "1.24.2" } } };

describe("app measurement", () => {
  it("is the bundle's sha256 for node, and the documented document hash for python and wasi", () => {
    const bundle = hex32("11");
    expect(appMeasurement("node", bundle, "ignored")).to.equal(bundle);
    const profile = runtimeProfileDigest(PROFILE);
    expect(profile).to.equal(sha("continuum/runtime-profile/v1\n", canonicalJson(PROFILE as never)));
    expect(appMeasurement("python", bundle, profile)).to.equal(
      sha("continuum/measurement/v1\n", `{"bundle":"${bundle}","kind":"python","runtime":"${profile}"}`),
    );
    const wasi = runtimeProfileDigest(WASI_PROFILE);
    expect(appMeasurement("wasi", bundle, wasi)).to.equal(sha("continuum/measurement/v1\n", `{"bundle":"${bundle}","kind":"wasi","runtime":"${wasi}"}`));
  });

  it("changes with the interpreter's version or binary, the standard library, the libraries, any declared package, or the bundle", () => {
    const base = appMeasurement("python", hex32("11"), runtimeProfileDigest(PROFILE));
    const changed = [
      { ...PROFILE, interpreter: { ...PROFILE.interpreter, version: "3.11.3" } },
      { ...PROFILE, interpreter: { ...PROFILE.interpreter, executableSha256: hex32("a2") } },
      { ...PROFILE, interpreter: { ...PROFILE.interpreter, stdlibSha256: hex32("b3") } },
      { ...PROFILE, interpreter: { ...PROFILE.interpreter, librariesSha256: hex32("c4") } },
      { ...PROFILE, packages: [{ ...PROFILE.packages[0]!, version: "1.24.3" }] },
      { ...PROFILE, packages: [{ ...PROFILE.packages[0]!, filesSha256: hex32("d5") }] },
      { ...PROFILE, packages: [...PROFILE.packages, { name: "pandas", version: "1.5.3", filesSha256: hex32("e6") }] },
      { ...PROFILE, packages: [] },
    ].map((profile) => appMeasurement("python", hex32("11"), runtimeProfileDigest(profile)));
    expect(new Set([base, ...changed]).size).to.equal(changed.length + 1);
    expect(appMeasurement("python", hex32("12"), runtimeProfileDigest(PROFILE))).to.not.equal(base);
  });

  it("canonical JSON ignores key order, so equal profiles have equal digests", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).to.equal(canonicalJson(object));
      }),
    );
  });

  it("changes when a vendored file of the bundle changes", async () => {
    const dir = await makeTempDir();
    try {
      const manifest = JSON.stringify({ ...PYTHON_MANIFEST, python: undefined });
      await writeTree(`${dir}/a`, { "continuum.json": manifest, "main.py": "import six", "vendor/six.py": "x = 1" });
      await writeTree(`${dir}/b`, { "continuum.json": manifest, "main.py": "import six", "vendor/six.py": "x = 2" });
      const [a, b] = [await packBundle(`${dir}/a`, { profile: PROFILE }), await packBundle(`${dir}/b`, { profile: PROFILE })];
      expect(a.measurement).to.not.equal(b.measurement);
      expect(a.measured.document).to.deep.equal({ kind: "python", bundle: a.checksum, runtime: runtimeProfileDigest(PROFILE) });
    } finally {
      await removeDir(dir);
    }
  });

  it("finds which runtime offer a registered measurement belongs to", () => {
    const checksum = hex32("21");
    const python = { runtime: "python", profile: runtimeProfileDigest(PROFILE) };
    const wasi = { runtime: "wasi", profile: runtimeProfileDigest(WASI_PROFILE) };
    const offers = [{ runtime: "node" }, python, wasi];
    expect(runtimeOfMeasurement(appMeasurement("python", checksum, python.profile), checksum, offers)).to.equal(python);
    expect(runtimeOfMeasurement(appMeasurement("wasi", checksum, wasi.profile), checksum, offers)).to.equal(wasi);
    expect(runtimeOfMeasurement(checksum, checksum, offers)).to.deep.equal({ runtime: "node" });
    expect(runtimeOfMeasurement(hex32("99"), checksum, offers)).to.equal(undefined);
  });

  it("refuses to measure a python app for a profile lacking a package it needs", () => {
    expect(() => checkPackageRequirements({ ...PYTHON_MANIFEST, python: { packages: { pandas: "1.5.3" } } }, PROFILE))
      .to.throw(RuntimeProfileError)
      .with.property("code", "PACKAGES_NOT_DECLARED");
    expect(() => checkPackageRequirements(PYTHON_MANIFEST, PROFILE)).to.not.throw();
    expect(parseRuntimeProfile(JSON.parse(JSON.stringify(PROFILE)))).to.deep.equal(PROFILE);
    expect(() => parseRuntimeProfile({ ...PROFILE, sandbox: "other" })).to.throw(RuntimeProfileError);
  });
});

describe("hardware TEE image measurements", () => {
  it("reads MRENCLAVE from a SIGSTRUCT and hashes the five TDX registers as documented", () => {
    const sigstruct = Buffer.alloc(1808);
    Buffer.from("06000000e10000000000010000000000", "hex").copy(sigstruct, 0);
    Buffer.from("01010000600000006000000001000000", "hex").copy(sigstruct, 24);
    Buffer.alloc(32, 0x5a).copy(sigstruct, 960);
    expect(sgxMrenclaveOf(sigstruct)).to.equal(hex32("5a"));
    expect(() => sgxMrenclaveOf(sigstruct.subarray(0, 1000))).to.throw();

    const registers = { mrtd: Buffer.alloc(48, 1), rtmr0: Buffer.alloc(48, 2), rtmr1: Buffer.alloc(48, 3), rtmr2: Buffer.alloc(48, 4), rtmr3: Buffer.alloc(48, 5) };
    const hex = (bytes: Buffer) => `0x${bytes.toString("hex")}`;
    const document = `{"format":"continuum-measurement/1","tee":"tdx","mrTd":"${hex(registers.mrtd)}","rtmr0":"${hex(registers.rtmr0)}","rtmr1":"${hex(registers.rtmr1)}","rtmr2":"${hex(registers.rtmr2)}","rtmr3":"${hex(registers.rtmr3)}"}`;
    const expected = `0x${createHash("sha256").update(document).digest("hex")}`;
    expect(tdxTdMeasurement(registers), "the sha256 of the TD's canonical measurement document").to.equal(expected);

    const manifest = { name: "td", version: "1.0.0", description: "d", runtime: "python", entrypoint: "main.py", confidentialImage: { kind: "tdx-td", measurements: "tdx/measurements.json" } };
    const values = Object.fromEntries(Object.entries(registers).map(([name, bytes]) => [name, bytes.toString("hex")]));
    const bundle = readBundle(
      encodeArchive([
        { path: "continuum.json", executable: false, content: Buffer.from(JSON.stringify(manifest)) },
        { path: "main.py", executable: false, content: Buffer.from("") },
        { path: "tdx/measurements.json", executable: false, content: Buffer.from(JSON.stringify(values)) },
      ]),
    );
    expect(confidentialImageMeasurement(bundle.manifest, bundle.entries)).to.deep.equal({ kind: "tdx-td", measurement: expected });
  });
});
