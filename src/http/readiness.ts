// Readiness as data: each check names what it looks at and, when that is not ready, says why.
// GET /readyz runs every check (each bounded in time) and answers 200, or 503 with the reasons;
// GET /healthz only says the process answers.
import type { Request, Response } from "express";
import type { ReadinessCheck } from "../core/readinessCheck.ts";

export type { ReadinessCheck } from "../core/readinessCheck.ts";

export type CheckResult = { name: string; ready: boolean; reason?: string };
export type ReadinessReport = { status: "ready" | "not_ready"; checks: CheckResult[] };

/** A check that has not answered within this long is not ready. */
export const READINESS_TIMEOUT_MS = 3_000;

export async function runReadinessChecks(checks: readonly ReadinessCheck[], timeoutMs = READINESS_TIMEOUT_MS): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs)));
  return { status: results.every((result) => result.ready) ? "ready" : "not_ready", checks: results };
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    const reason = await Promise.race([check.check(), timeout]);
    return reason === undefined ? { name: check.name, ready: true } : { name: check.name, ready: false, reason };
  } catch (error) {
    return { name: check.name, ready: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function readinessHandler(checks: readonly ReadinessCheck[]) {
  return async function serveReadiness(_req: Request, res: Response): Promise<void> {
    const report = await runReadinessChecks(checks);
    res.status(report.status === "ready" ? 200 : 503).json(report);
  };
}
