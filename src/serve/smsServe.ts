// `continuum sms serve`: the secret management service alone: sessions for attested enclaves,
// secret pushes, the audit log, signed verdicts; its master key from configuration.
import type { Command } from "commander";
import { databaseTarget } from "../config/index.ts";
import { withExamples, type CommandKit } from "../cli/commandKit.ts";
import { runService, withServeFlags, describeDatabase, type ServeFlags } from "./runService.ts";

export function registerSmsServe(program: Command, kit: CommandKit): void {
  const sms = withExamples(program.command("sms").description("run the secret management service (SMS)"), "continuum sms serve --port 8090");
  withExamples(
    withServeFlags(
      sms
        .command("serve")
        .description(
          "serve the SMS until Ctrl-C or SIGTERM: it releases dataset keys and secrets only to attested enclaves. " +
            "Its master key (CONTINUUM_SMS_MASTER_KEY) encrypts the stored secrets; replicas share it",
        ),
      "sms",
      8090,
    ),
    "CONTINUUM_SMS_MASTER_KEY=… DATABASE_URL=postgres://…/sms continuum sms serve --host 0.0.0.0",
    "continuum --json sms serve --port 0",
  ).action(async (flags: ServeFlags, command: Command) => {
    const context = kit.contextOf(command);
    const rpcUrl = context.rpcUrl(context.deployment());
    await runService(
      context,
      {
        name: "sms",
        section: "sms",
        async start(config, logger) {
          const { startSms } = await import("../../sms/startSms.ts");
          const running = await startSms({ config, logger });
          return {
            url: running.url,
            facts: { signer: running.signer, chain: config.chain.rpcUrl, database: describeDatabase(databaseTarget(config, "sms")) },
            close: () => running.close(),
          };
        },
      },
      flags,
      { chain: { rpcUrl } },
    );
  });
}
