// Public API of the Secret Management Service: start it from configuration, or build the express
// app from its parts; the signed messages owners send; the session API's types and refusal codes.
export { startSms, type RunningSms, type StartSmsOptions } from "./startSms.ts";
export {
  createSmsApp,
  createSmsService,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_CHALLENGE_TTL_SECONDS,
  type SmsAppOptions,
  type SmsChain,
  type SmsPolicy,
  type SmsService,
} from "./createSmsApp.ts";
export { parseSessionRequest } from "./http/sessionRoutes.ts";
export type { SessionService } from "./sessions/sessionService.ts";
export type { SessionRequest } from "./sessions/checkSession.ts";
export type { SessionOutcome } from "./sessions/openSession.ts";
export { SmsError, type SmsErrorCode } from "./SmsError.ts";
export { MasterKey } from "./secrets/MasterKey.ts";
export { smsEntities } from "./persistence/smsEntities.ts";
export { smsMigrations } from "./persistence/smsMigrations.ts";
export {
  AUDIT_QUERY_TYPES,
  SECRET_PUSH_TYPES,
  recoverAuditQuerySigner,
  recoverSecretPushSigner,
  secretHashOf,
  signAuditQuery,
  signSecretPush,
  type AuditQueryMessage,
  type SecretPushMessage,
} from "../src/wire/eip712/smsMessages.ts";
export { SECRET_KINDS, SECRET_KIND_NUMBER, type SecretKind, type SecretReference } from "../src/wire/smsApi/secretKinds.ts";
export { SESSION_REFUSALS, type SessionRefusalReason } from "./sessions/sessionRefusals.ts";
export type { ReleasedSecrets, SealedNamedSecret } from "./sessions/releaseSecrets.ts";
export type { AuditEntryView, AuditPage } from "./audit/readAudit.ts";
export { SMS_ERROR_STATUS } from "./http/smsErrors.ts";
