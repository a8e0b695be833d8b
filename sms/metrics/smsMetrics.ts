// The SMS's Prometheus metrics: sessions by outcome (released, refused, error) and refusal
// reason, and how long a session takes from request to answer (attestation, chain checks,
// audit entry and sealing included).
import { Counter, Histogram, type Registry } from "prom-client";
import { createServiceRegistry, secondsSince } from "../../src/http/metrics.ts";
import type { SessionService } from "../sessions/sessionService.ts";

/** Seconds; collateral fetches on a cold cache can take a few. */
const SESSION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type SmsMetrics = {
  readonly registry: Registry;
  /** The session service, its sessions counted and timed. */
  observeSessions(sessions: SessionService): SessionService;
};

export function createSmsMetrics(): SmsMetrics {
  const registry = createServiceRegistry("sms");
  const registers = [registry];
  const sessions = new Counter({
    name: "continuum_sms_sessions_total",
    help: "Sessions answered, by outcome (released, refused, error) and refusal reason (empty unless refused).",
    labelNames: ["outcome", "reason"],
    registers,
  });
  const latency = new Histogram({
    name: "continuum_sms_session_duration_seconds",
    help: "Time to answer a session, by outcome.",
    labelNames: ["outcome"],
    buckets: SESSION_BUCKETS,
    registers,
  });
  return {
    registry,
    observeSessions(service) {
      return {
        challenges: service.challenges,
        challengeTtlSeconds: service.challengeTtlSeconds,
        async open(request) {
          const startedAt = performance.now();
          try {
            const result = await service.open(request);
            sessions.inc({ outcome: result.outcome, reason: result.outcome === "refused" ? result.reason : "" });
            latency.observe({ outcome: result.outcome }, secondsSince(startedAt));
            return result;
          } catch (error) {
            sessions.inc({ outcome: "error", reason: "" });
            latency.observe({ outcome: "error" }, secondsSince(startedAt));
            throw error;
          }
        },
      };
    },
  };
}
