// The money an order commits, computed exactly as matchOrders locks it: a request's cost per task
// and a workerpool's stake per task.
import type { RequestOrder } from "../../wire/eip712/index.ts";
import { MAX_STAKE_RATIO_BPS } from "./chainState.ts";

/** Most a request can cost per task: its maximum prices (the dataset's only when it names one). */
export function requestCostPerTask(request: RequestOrder): bigint {
  return request.appMaxPrice + (request.dataset === 0n ? 0n : request.datasetMaxPrice) + request.workerpoolMaxPrice;
}

/** Stake a workerpool locks per task at `price`, rounded up as the contract does (so a small price still stakes something). */
export function stakePerTask(price: bigint, stakeRatioBps: bigint): bigint {
  return (price * stakeRatioBps + MAX_STAKE_RATIO_BPS - 1n) / MAX_STAKE_RATIO_BPS;
}
