// `continuum market serve`: the market operator's service alone — the REST API under /v1, the
// chain indexer, the explorer and, with market.matcherKey, the matcher — against a running chain;
// several replicas on one PostgreSQL database share the work, one of them leading.
import type { Command } from "commander";
import { databaseTarget } from "../config/index.ts";
import { withExamples, type CommandKit } from "../cli/commandKit.ts";
import { runService, withServeFlags, describeDatabase, type ServeFlags } from "./runService.ts";

export function registerMarketServe(program: Command, kit: CommandKit): void {
  const market = withExamples(program.command("market").description("run the market service (order book, matcher, REST API, explorer)"), "continuum market serve --port 8080");
  withExamples(
    withServeFlags(
      market
        .command("serve")
        .description(
          "serve the market until Ctrl-C or SIGTERM: orders, requests, deals and the audit API under /v1, the explorer, " +
            "and matching when a matcher key is configured (CONTINUUM_MATCHER_KEY); the chain is the deployment's. " +
            "Replicas started on one PostgreSQL database (DATABASE_URL) all serve; the one holding the leader lease " +
            "(a PostgreSQL advisory lock) indexes the chain and matches, and another takes over when it dies",
        ),
      "market",
      8080,
    ),
    "CONTINUUM_MATCHER_KEY=… DATABASE_URL=postgres://…/market continuum market serve --host 0.0.0.0",
    "continuum --json market serve --port 0",
  ).action(async (flags: ServeFlags, command: Command) => {
    const context = kit.contextOf(command);
    const rpcUrl = context.rpcUrl(context.deployment());
    await runService(
      context,
      {
        name: "market",
        section: "market",
        async start(config, logger) {
          const { startMarket } = await import("../market/service/startMarket.ts");
          const running = await startMarket({ config, logger });
          return {
            url: running.url,
            facts: {
              matcher: config.market.matcherKey === undefined ? "off (no market.matcherKey)" : running.lease === "sole" ? "on" : "on while this replica leads",
              replica: running.replica,
              lease: running.lease === "sole" ? "sole (embedded database: always the leader)" : "PostgreSQL advisory lock (one leader among the replicas)",
              chain: config.chain.rpcUrl,
              database: describeDatabase(databaseTarget(config, "market")),
            },
            close: () => running.close(),
          };
        },
      },
      flags,
      { chain: { rpcUrl } },
    );
  });
}
