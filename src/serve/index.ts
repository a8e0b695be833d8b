// The commands that run a service from the `continuum` program. They compose a server with the
// CLI's command kit, so the client commands in src/cli/ never import a server.
import type { ProgramExtension } from "../cli/commandKit.ts";
import { registerGatewayServe } from "./gatewayServe.ts";
import { registerMarketServe } from "./marketServe.ts";
import { registerSchedulerStart } from "./schedulerStart.ts";
import { registerSmsServe } from "./smsServe.ts";

/** Every service command, in the order they join the program. */
export const SERVICE_COMMANDS: readonly ProgramExtension[] = [registerSchedulerStart, registerMarketServe, registerSmsServe, registerGatewayServe];
