// Reusable zod field validators for the configuration schema, each with a message that says
// what a valid value looks like, so a rejected key reads well in a ConfigError.
import { z } from "zod";

export function integer(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A TCP port; 0 asks the OS for a free port (handy in tests). */
export function port() {
  return integer(0, 65_535);
}

export function host() {
  return z.string({ error: "must be a host name or IP address" }).min(1, { error: "must not be empty" });
}

export function urlWithProtocols(protocols: readonly string[]) {
  const pattern = new RegExp(`^(${protocols.join("|")})$`);
  return z.url({ protocol: pattern, error: `must be a URL with protocol ${protocols.map((p) => `${p}:`).join(" or ")}` });
}

export function filePath() {
  return z.string({ error: "must be a path" }).min(1, { error: "must not be empty" });
}

/** 32 bytes of hex, with or without `0x`, normalized to 64 lowercase hex characters. */
export function hexKey32() {
  return z
    .string({ error: "must be 32 bytes of hex (64 hex characters)" })
    .regex(/^(0x)?[0-9a-fA-F]{64}$/, { error: "must be 32 bytes of hex (64 hex characters)" })
    .transform((value) => value.replace(/^0x/, "").toLowerCase());
}
