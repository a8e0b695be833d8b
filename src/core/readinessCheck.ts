// The shape of one readiness check, shared by the modules that own what is checked (chain,
// database, indexer) and the HTTP shell that serves /readyz from them.

export type ReadinessCheck = {
  /** Short name shown in the answer, e.g. "chain", "database", "indexer". */
  name: string;
  /** Resolves to undefined when ready, or to the reason it is not. May throw: the error's message is the reason. */
  check(): Promise<string | undefined>;
};
