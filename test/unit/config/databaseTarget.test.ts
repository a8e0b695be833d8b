// Specifies databaseTarget: each service gets its own PGlite directory under the data dir, or
// its own schema on the PostgreSQL server named by DATABASE_URL.
import { expect } from "chai";
import { ConfigError, databaseTarget, loadConfig } from "../../../src/config/index.ts";

describe("databaseTarget", () => {
  it("places a service's PGlite database under <dataDir>/db/<service>", () => {
    const config = loadConfig({ env: { CONTINUUM_DATA_DIR: "/data" } });
    expect(databaseTarget(config, "market")).to.deep.equal({ pgliteDir: "/data/db/market" });
  });

  it("uses a schema named after the service when DATABASE_URL is set", () => {
    const config = loadConfig({ env: { DATABASE_URL: "postgres://db.internal/continuum" } });
    expect(databaseTarget(config, "sms")).to.deep.equal({ url: "postgres://db.internal/continuum", schema: "sms" });
  });

  it("refuses a service name that is not a lowercase identifier", () => {
    const config = loadConfig({ env: {} });
    expect(() => databaseTarget(config, "../market")).to.throw(ConfigError);
  });
});
