// The devnet chain journal as a file: entries come back in order, a line torn by a crash is cut
// off, and a damaged line anywhere else is refused by its code rather than silently skipped.
import { expect } from "chai";
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ChainJournalWriter, readChainJournal, type GenesisRecord } from "../../../src/devnet/chain/chainJournal.ts";
import { ChainJournalError } from "../../../src/devnet/chain/ChainJournalError.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";

const GENESIS: GenesisRecord = { kind: "genesis", version: 1, initialDate: "2025-01-01T00:00:00.000Z", chainId: 31337, hash: `0x${"ab".repeat(32)}` };
const MINED = { first: 1, firstTimestamp: 1735689601, last: 1, lastHash: `0x${"cd".repeat(32)}` };

describe("chain journal file", () => {
  let directory: TemporaryDirectory;
  let path: string;
  beforeEach(async () => {
    directory = await createTemporaryDirectory("journal-");
    path = join(directory.path, "chain", "journal.ndjson");
  });
  afterEach(() => directory.remove());

  it("has nothing to resume when there is no journal", async () => {
    expect(await readChainJournal(path)).to.equal(undefined);
  });

  it("reads back the genesis line and every appended call in order, each on disk once append resolves", async () => {
    const writer = await ChainJournalWriter.create(path, GENESIS);
    await writer.append({ method: "eth_sendRawTransaction", params: ["0x01"], ok: true, head: 1, blocks: MINED });
    expect((await readFile(path, "utf8")).trim().split("\n")).to.have.length(2);
    await writer.append({ method: "evm_increaseTime", params: [60], ok: true, head: 1 });
    await writer.close();
    const journal = await readChainJournal(path);
    expect(journal?.genesis).to.deep.equal(GENESIS);
    expect(journal?.calls.map((call) => [call.seq, call.method])).to.deep.equal([[1, "eth_sendRawTransaction"], [2, "evm_increaseTime"]]);
    expect(journal?.calls[0].blocks).to.deep.equal(MINED);
  });

  it("continues the sequence after reopening", async () => {
    await (await ChainJournalWriter.create(path, GENESIS)).close();
    const reopened = await ChainJournalWriter.open(path, 0);
    expect((await reopened.append({ method: "evm_mine", params: [], ok: true, head: 1, blocks: MINED })).seq).to.equal(1);
    await reopened.close();
    expect((await readChainJournal(path))?.calls).to.have.length(1);
  });

  it("cuts off a last line a crash left unterminated", async () => {
    const writer = await ChainJournalWriter.create(path, GENESIS);
    await writer.append({ method: "evm_mine", params: [], ok: true, head: 1, blocks: MINED });
    await writer.close();
    await appendFile(path, '{"kind":"call","seq":2,"meth');
    expect((await readChainJournal(path))?.calls).to.have.length(1);
    expect((await readFile(path, "utf8")).endsWith("\n")).to.equal(true);
  });

  it("refuses a damaged line before the end with CHAIN_JOURNAL_CORRUPT", async () => {
    const writer = await ChainJournalWriter.create(path, GENESIS);
    await writer.close();
    await appendFile(path, "not json\n");
    await appendFile(path, `${JSON.stringify({ kind: "call", seq: 2, method: "evm_mine", params: [], ok: true, head: 1 })}\n`);
    await rejectionOf(ChainJournalError, readChainJournal(path), "CHAIN_JOURNAL_CORRUPT");
  });

  it("refuses a gap in the sequence with CHAIN_JOURNAL_CORRUPT", async () => {
    const writer = await ChainJournalWriter.create(path, GENESIS);
    await writer.close();
    await appendFile(path, `${JSON.stringify({ kind: "call", seq: 2, method: "evm_mine", params: [], ok: true, head: 1 })}\n`);
    await rejectionOf(ChainJournalError, readChainJournal(path), "CHAIN_JOURNAL_CORRUPT");
  });

  it("never overwrites an existing journal when creating one", async () => {
    await (await ChainJournalWriter.create(path, GENESIS)).close();
    let failure: unknown;
    await ChainJournalWriter.create(path, GENESIS).catch((error: unknown) => (failure = error));
    expect((failure as NodeJS.ErrnoException).code).to.equal("EEXIST");
  });
});
