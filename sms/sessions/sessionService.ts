// The enclave-facing service without its HTTP clothing: challenges to put in quotes, and sessions
// that trade a quote and an authorization for sealed secrets. The HTTP routes call it; so can a
// process embedding the SMS, or a benchmark timing the checks themselves.
import { ChallengeRegistry } from "../../src/attestation/index.ts";
import { openSession, type SessionContext, type SessionOutcome } from "./openSession.ts";
import type { SessionRequest } from "./checkSession.ts";

export type SessionService = {
  readonly challenges: ChallengeRegistry;
  readonly challengeTtlSeconds: number;
  /** Runs every check of the trust model, then releases or refuses, with its audit entry written. */
  open(request: SessionRequest): Promise<SessionOutcome>;
};

export type SessionServiceParts = Omit<SessionContext, "attestation"> & {
  attestation: Omit<SessionContext["attestation"], "freshness">;
  challengeTtlSeconds: number;
  /** Unanswered challenges one client may hold at once (ChallengeRegistry's default when absent). */
  maxChallengesPerClient?: number;
};

export function createSessionService(parts: SessionServiceParts): SessionService {
  const challenges = new ChallengeRegistry({ ttlSeconds: parts.challengeTtlSeconds, maxOutstandingPerClient: parts.maxChallengesPerClient });
  const context: SessionContext = { ...parts, attestation: { ...parts.attestation, freshness: challenges } };
  return {
    challenges,
    challengeTtlSeconds: parts.challengeTtlSeconds,
    open: (request) => openSession(context, request),
  };
}
