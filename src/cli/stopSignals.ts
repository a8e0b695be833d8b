// How a long-running command (a scheduler, a worker) learns it should stop: SIGINT (Ctrl-C) or
// SIGTERM, counted, so a second signal can ask for a faster stop than the first.
export type StopSignal = "SIGINT" | "SIGTERM";

const STOP_SIGNALS: readonly StopSignal[] = ["SIGINT", "SIGTERM"];

export type StopSignals = {
  /** Resolves on the first SIGINT or SIGTERM. */
  readonly first: Promise<StopSignal>;
  /** Stops listening; signals then take Node's default action again. */
  dispose(): void;
};

/** Listens for stop signals; `onSignal` hears every one with its count (1 for the first). */
export function listenForStopSignals(onSignal: (signal: StopSignal, count: number) => void = () => undefined): StopSignals {
  let count = 0;
  let resolveFirst: (signal: StopSignal) => void = () => undefined;
  const first = new Promise<StopSignal>((resolve) => (resolveFirst = resolve));
  const listener = (signal: StopSignal) => {
    count += 1;
    if (count === 1) resolveFirst(signal);
    onSignal(signal, count);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, listener);
  return {
    first,
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, listener);
    },
  };
}
