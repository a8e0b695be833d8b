// Each service's Prometheus registry and its GET /metrics answer. A service gets its own
// registry (several services share one process in the devnet, so the global one would mix
// them), labelled with the service's name, and defines its metrics on it.
import type { Request, Response } from "express";
import { Registry } from "prom-client";

export type ServiceName = "market" | "sms" | "scheduler" | "worker";

/** A fresh registry whose every series carries `service="<name>"`. */
export function createServiceRegistry(service: ServiceName): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  return registry;
}

/** Express handler serving `registry` in the Prometheus text exposition format. */
export function metricsHandler(registry: Registry) {
  return async function serveMetrics(_req: Request, res: Response): Promise<void> {
    const text = await registry.metrics();
    res.set("Content-Type", registry.contentType).send(text);
  };
}

/** Seconds elapsed since `startedAt` (a performance.now() reading), for histograms. */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1_000;
}
