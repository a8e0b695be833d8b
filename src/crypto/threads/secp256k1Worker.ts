// The thread behind Secp256k1Pool: runs one job at a time and posts its answer back.
import { parentPort } from "node:worker_threads";
import { runSecp256k1Job, type Secp256k1Job } from "./secp256k1Jobs.ts";

parentPort?.on("message", (job: Secp256k1Job) => {
  const answer = runSecp256k1Job(job);
  parentPort!.postMessage(answer);
  // The message was copied when posted; this thread's copy of the shared secrets is wiped.
  if (answer.op === "agree") for (const agreement of answer.agreements) agreement?.sharedX.fill(0);
});
