// The SMS's one-enclave-per-attempt policy as its repository keeps it, on PGlite and PostgreSQL:
// a task's attempt belongs to the first enclave bound to it, an older attempt is never reopened,
// the number of attempts is bounded, and simultaneous sessions (one batch) are judged in order.
import { expect } from "chai";
import fc from "fast-check";
import { Wallet, hexlify, randomBytes } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { openDataSource } from "../../../src/persistence/openDataSource.ts";
import { EnclaveBindingRepository, type BindingRequest } from "../../../sms/persistence/EnclaveBindingRepository.ts";
import { smsEntities } from "../../../sms/persistence/smsEntities.ts";
import { smsMigrations } from "../../../sms/persistence/smsMigrations.ts";
import { databaseBackends, describeBackend } from "../persistence/databaseBackends.ts";

const task = () => hexlify(randomBytes(32));
const enclave = () => Wallet.createRandom().address;

for (const backend of await databaseBackends()) {
  describeBackend(backend, "EnclaveBindingRepository", () => {
    let dataSource: DataSource;

    beforeEach(async () => {
      dataSource = await openDataSource({ ...(await backend.freshTarget()), entities: smsEntities, migrations: smsMigrations, logger: silentLogger() });
    });
    afterEach(() => dataSource.destroy());
    after(() => backend.cleanup());

    it("binds an attempt to its first enclave, again to the same one, never to another", async () => {
      const bindings = new EnclaveBindingRepository(dataSource, { maxAttemptsPerTask: 3 });
      const [taskId, first, second] = [task(), enclave(), enclave()];
      expect(await bindings.bind({ taskId, attempt: 1, enclave: first })).to.deep.equal({ ok: true });
      expect(await bindings.bind({ taskId, attempt: 1, enclave: first })).to.deep.equal({ ok: true });
      expect(await bindings.bind({ taskId, attempt: 1, enclave: second })).to.include({ ok: false, reason: "ENCLAVE_ALREADY_BOUND" });
    });

    it("serves a reassignment as a later attempt, never an older one again, and at most the bound", async () => {
      const bindings = new EnclaveBindingRepository(dataSource, { maxAttemptsPerTask: 2 });
      const taskId = task();
      expect(await bindings.bind({ taskId, attempt: 1, enclave: enclave() })).to.deep.equal({ ok: true });
      expect(await bindings.bind({ taskId, attempt: 3, enclave: enclave() })).to.deep.equal({ ok: true });
      expect(await bindings.bind({ taskId, attempt: 2, enclave: enclave() })).to.include({ ok: false, reason: "STALE_ATTEMPT" });
      expect(await bindings.bind({ taskId, attempt: 4, enclave: enclave() })).to.include({ ok: false, reason: "TOO_MANY_ATTEMPTS" });
      expect(await bindings.bind({ taskId: task(), attempt: 1, enclave: enclave() }), "other tasks are not affected").to.deep.equal({ ok: true });
    });

    it("never lets two enclaves hold one attempt, whatever the simultaneous requests", async () => {
      const enclaves = [enclave(), enclave(), enclave()];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ attempt: fc.integer({ min: 1, max: 3 }), enclave: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 12 }),
          async (draws) => {
            const bindings = new EnclaveBindingRepository(dataSource, { maxAttemptsPerTask: 5 });
            const taskId = task();
            const requests: BindingRequest[] = draws.map((draw) => ({ taskId, attempt: draw.attempt, enclave: enclaves[draw.enclave] }));
            const verdicts = await Promise.all(requests.map((request) => bindings.bind(request)));
            const holders = new Map<number, Set<string>>();
            requests.forEach((request, index) => {
              if (!verdicts[index].ok) return;
              const held = holders.get(request.attempt) ?? new Set();
              held.add(request.enclave);
              holders.set(request.attempt, held);
            });
            for (const held of holders.values()) expect(held.size).to.equal(1);
          },
        ),
        { numRuns: 25 },
      );
    });
  });
}
