// `continuum gateway serve`: an IPFS HTTP gateway (GET /ipfs/<cid>) over the embedded Helia node,
// or over a Kubo node when ipfs.apiUrl names one, for workers and requesters to fetch content.
import type { Command } from "commander";
import { withExamples, type CommandKit } from "../cli/commandKit.ts";
import { runService, withServeFlags, type ServeFlags } from "./runService.ts";

export function registerGatewayServe(program: Command, kit: CommandKit): void {
  const gateway = withExamples(program.command("gateway").description("run an IPFS HTTP gateway for bundles, datasets and results"), "continuum gateway serve --port 8088");
  withExamples(
    withServeFlags(
      gateway
        .command("serve")
        .description(
          "serve GET /ipfs/<cid> until Ctrl-C or SIGTERM from the embedded IPFS node in <data-dir>/ipfs, " +
            "or from a Kubo node (CONTINUUM_IPFS_API_URL); content is verified against its CID. Stored content only, " +
            "unless CONTINUUM_GATEWAY_NETWORK_FETCH_MS (gateway.networkFetchMs) lets it fetch from its peers, e.g. " +
            "the results of workers on other machines that connected to it with --ipfs-peer",
        ),
      "gateway",
      8088,
    ),
    "continuum gateway serve --host 0.0.0.0",
    "CONTINUUM_IPFS_API_URL=http://127.0.0.1:5001 continuum --json gateway serve --port 0",
    "CONTINUUM_GATEWAY_NETWORK_FETCH_MS=10000 continuum gateway serve --host 0.0.0.0",
  ).action(async (flags: ServeFlags, command: Command) => {
    const context = kit.contextOf(command);
    await runService(context, {
      name: "gateway",
      section: "gateway",
      async start(config, logger) {
        const { createGatewayServer, openContentStore } = await import("../storage/index.ts");
        const store = await openContentStore({ dataDir: config.dataDir, ipfsApiUrl: config.ipfs.apiUrl, logger });
        try {
          const server = await createGatewayServer(store, {
            host: config.gateway.host,
            port: config.gateway.port,
            networkFetchMs: config.gateway.networkFetchMs,
            logger,
          });
          const peers = "multiaddrs" in store ? store.multiaddrs() : [];
          return {
            url: server.url,
            facts: {
              ipfs: config.ipfs.apiUrl ? `Kubo at ${config.ipfs.apiUrl}` : `Helia in ${config.dataDir}/ipfs`,
              fetches: config.gateway.networkFetchMs > 0 ? `from its peers, up to ${config.gateway.networkFetchMs} ms` : "stored content only",
              ...(peers.length > 0 ? { peer: String(peers[0]) } : {}),
            },
            close: async () => {
              await server.close();
              await store.stop();
            },
          };
        } catch (error) {
          await store.stop();
          throw error;
        }
      },
    }, flags);
  });
}
