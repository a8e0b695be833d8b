// Public API of the order types and signing helpers shared by contracts' tests, the market,
// the CLI, the scheduler and the SMS.
export * from "./types.ts";
export * from "./signing.ts";
export * from "./signedOrder.ts";
