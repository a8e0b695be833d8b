// Specification of the deterministic directory archive: one set of files gives one byte string,
// and unpacking refuses every path that could land outside the target directory.
import { expect } from "chai";
import fc from "fast-check";
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ArchiveError,
  decodeArchive,
  encodeArchive,
  packDirectory,
  readArchive,
  unpackArchive,
} from "../../../src/apps/index.ts";
import { rejectionOf, thrownBy } from "../../helpers/expectFailure.ts";
import { makeTempDir, removeDir, writeTree } from "./appsTestKit.ts";

/** Builds archive bytes by hand, in the given order, so tests can express what encodeArchive never writes. */
function rawArchive(entries: { path: string; flags?: number; content?: string }[], trailer = Buffer.alloc(0)): Uint8Array {
  const parts: Buffer[] = [Buffer.from("CTMA", "ascii"), Buffer.of(1)];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const entry of entries) {
    const path = Buffer.from(entry.path, "utf8");
    const content = Buffer.from(entry.content ?? "x");
    const fields = Buffer.alloc(2 + path.length + 1 + 8);
    fields.writeUInt16BE(path.length, 0);
    path.copy(fields, 2);
    fields.writeUInt8(entry.flags ?? 0, 2 + path.length);
    fields.writeBigUInt64BE(BigInt(content.length), 3 + path.length);
    parts.push(fields, content);
  }
  parts.push(trailer);
  return Buffer.concat(parts);
}

describe("packDirectory", () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    return dir;
  };
  after(async () => Promise.all(dirs.map(removeDir)));

  it("gives the same bytes for the same files created in a different order at different times", async () => {
    const first = await tempDir();
    const second = await tempDir();
    await writeTree(first, { "b.txt": "bee", "a/z.txt": "zed", "a/b/c.txt": "sea", "run.sh": { content: "x", mode: 0o755 } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeTree(second, { "run.sh": { content: "x", mode: 0o700 }, "a/b/c.txt": "sea", "b.txt": "bee", "a/z.txt": "zed" });
    const [one, two] = [await packDirectory(first), await packDirectory(second)];
    expect(Buffer.from(one).equals(Buffer.from(two))).to.equal(true);
  });

  it("keeps only the executable bit of a file's mode", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "plain.txt": { content: "p", mode: 0o600 }, "tool": { content: "t", mode: 0o750 } });
    const entries = decodeArchive(await packDirectory(dir), { maxEntries: 10 });
    expect(entries.map(({ path, executable }) => ({ path, executable }))).to.deep.equal([
      { path: "plain.txt", executable: false },
      { path: "tool", executable: true },
    ]);
  });

  it("changes when a file's content, name or executable bit changes", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "a.txt": "one" });
    const base = Buffer.from(await packDirectory(dir));
    await writeFile(join(dir, "a.txt"), "two");
    const edited = Buffer.from(await packDirectory(dir));
    await writeTree(dir, { "a.txt": { content: "two", mode: 0o755 } });
    const executable = Buffer.from(await packDirectory(dir));
    expect(base.equals(edited)).to.equal(false);
    expect(edited.equals(executable)).to.equal(false);
  });

  it("refuses a symbolic link instead of following it", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "a.txt": "a" });
    await symlink("/etc/passwd", join(dir, "passwd"));
    await rejectionOf(ArchiveError, packDirectory(dir), "ARCHIVE_SYMLINK");
  });

  it("refuses a directory over the size or file count limit", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "a.txt": "12345", "b.txt": "67890" });
    await rejectionOf(ArchiveError, packDirectory(dir, { maxBytes: 9, maxEntries: 10 }), "ARCHIVE_TOO_LARGE");
    await rejectionOf(ArchiveError, packDirectory(dir, { maxBytes: 100, maxEntries: 1 }), "ARCHIVE_TOO_LARGE");
  });

  it("leaves empty directories out", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "empty"));
    await writeTree(dir, { "a.txt": "a" });
    expect(decodeArchive(await packDirectory(dir), { maxEntries: 10 }).map((entry) => entry.path)).to.deep.equal(["a.txt"]);
  });
});

describe("unpackArchive", () => {
  let target: string;
  beforeEach(async () => {
    target = await makeTempDir();
  });
  afterEach(async () => removeDir(target));

  it("restores files, directories and the executable bit", async () => {
    const bytes = encodeArchive([
      { path: "bin/run", executable: true, content: Buffer.from("#!run") },
      { path: "data/deep/x.json", executable: false, content: Buffer.from("{}") },
    ]);
    await unpackArchive(bytes, join(target, "out"));
    expect(await readFile(join(target, "out/data/deep/x.json"), "utf8")).to.equal("{}");
    expect((await lstat(join(target, "out/bin/run"))).mode & 0o777).to.equal(0o755);
    expect((await lstat(join(target, "out/data/deep/x.json"))).mode & 0o777).to.equal(0o644);
  });

  for (const path of ["../escape.txt", "a/../../escape.txt", "/etc/cron.d/evil", "a/./b", "a//b", "a\\..\\b", "C:/x", "a/\u0000b"]) {
    it(`refuses the path ${JSON.stringify(path)} and writes nothing`, async () => {
      const bytes = rawArchive([{ path: "a.txt" }, { path }].sort((x, y) => Buffer.compare(Buffer.from(x.path), Buffer.from(y.path))));
      await rejectionOf(ArchiveError, unpackArchive(bytes, join(target, "out")), "ARCHIVE_PATH_REFUSED");
      expect(await readdir(target)).to.deep.equal([]);
    });
  }

  it("refuses entries out of order, duplicated, or a file that is also a directory", () => {
    thrownBy(ArchiveError, () => readArchive(rawArchive([{ path: "b" }, { path: "a" }])), "BAD_ARCHIVE");
    thrownBy(ArchiveError, () => readArchive(rawArchive([{ path: "a" }, { path: "a" }])), "BAD_ARCHIVE");
    thrownBy(ArchiveError, () => readArchive(rawArchive([{ path: "a" }, { path: "a/b" }])), "BAD_ARCHIVE");
  });

  it("refuses unknown flags, trailing bytes, truncation and a foreign format", () => {
    thrownBy(ArchiveError, () => readArchive(rawArchive([{ path: "a", flags: 2 }])), "BAD_ARCHIVE");
    thrownBy(ArchiveError, () => readArchive(rawArchive([{ path: "a" }], Buffer.from("junk"))), "BAD_ARCHIVE");
    const whole = rawArchive([{ path: "a", content: "hello" }]);
    thrownBy(ArchiveError, () => readArchive(whole.subarray(0, whole.length - 1)), "BAD_ARCHIVE");
    thrownBy(ArchiveError, () => readArchive(Buffer.from("PK\u0003\u0004 not ours")), "BAD_ARCHIVE");
  });

  it("refuses an archive over the limits", () => {
    const bytes = rawArchive([{ path: "a", content: "12345" }, { path: "b", content: "67890" }]);
    thrownBy(ArchiveError, () => readArchive(bytes, { maxBytes: 9, maxEntries: 10 }), "ARCHIVE_TOO_LARGE");
    thrownBy(ArchiveError, () => readArchive(bytes, { maxBytes: 100, maxEntries: 1 }), "ARCHIVE_TOO_LARGE");
  });

  it("refuses to unpack into a directory that is not empty", async () => {
    await writeFile(join(target, "existing"), "keep");
    const bytes = encodeArchive([{ path: "a", executable: false, content: Buffer.from("a") }]);
    await rejectionOf(ArchiveError, unpackArchive(bytes, target), "ARCHIVE_TARGET_NOT_EMPTY");
    expect(await readdir(target)).to.deep.equal(["existing"]);
  });
});

describe("encodeArchive / decodeArchive", () => {
  const segment = fc.stringMatching(/^[a-z0-9_.-]{1,8}$/).filter((name) => name !== "." && name !== "..");
  const pathArbitrary = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join("/"));

  it("round-trips any consistent set of files and encodes any order of them identically", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ path: pathArbitrary, executable: fc.boolean(), content: fc.uint8Array({ maxLength: 64 }) }), {
          selector: (entry) => entry.path,
          maxLength: 8,
        }),
        (entries) => {
          const paths = new Set(entries.map((entry) => entry.path));
          fc.pre(entries.every((entry) => ![...paths].some((other) => other.startsWith(`${entry.path}/`))));
          const bytes = Buffer.from(encodeArchive(entries));
          const reversed = Buffer.from(encodeArchive([...entries].reverse()));
          expect(bytes.equals(reversed)).to.equal(true);
          const decoded = decodeArchive(bytes, { maxEntries: 100 });
          expect(decoded.map((entry) => entry.path)).to.deep.equal(
            [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
          );
          expect(Buffer.from(encodeArchive(decoded)).equals(bytes)).to.equal(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
