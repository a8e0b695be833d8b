// A TCP port on loopback that was free a moment ago, for servers a test starts.
//
// Ports come from below the kernel's ephemeral range (32768–60999 on Linux): a port taken from
// inside it can be handed, after the probe closes, to an outbound connection or to a server
// listening on port 0 (the devnet's inner chain node does) — and a test that restarts a stack on
// the same ports then fails with EADDRINUSE. Ports handed out once are not handed out again.
import { createServer } from "node:net";

const FIRST = 20_000;
const LAST = 32_000;
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port found between ${FIRST} and ${LAST}`);
}
