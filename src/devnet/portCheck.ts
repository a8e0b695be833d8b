// Tells whether a TCP port is free on a host, so services can refuse a busy port with a clear
// message instead of a stack trace.
import { createServer } from "node:net";
import { ContinuumError } from "../core/ContinuumError.ts";

export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function requirePortFree(host: string, port: number, service: string): Promise<void> {
  if (!(await isPortFree(host, port))) {
    throw new ContinuumError(
      "PORT_IN_USE",
      `${service} cannot listen on ${host}:${port}: the port is already in use. ` +
        `Stop the other process or choose another port.`,
      { host, port, service },
    );
  }
}
