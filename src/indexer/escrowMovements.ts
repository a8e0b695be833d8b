// The escrow movements a deal implies, exactly as the contract settles them: the events log a
// deal's terms and each task's outcome, not the transfers, so they are derived here.
import type { DealTerms, PaymentKind } from "../persistence/ledger/index.ts";

export type Movement = { kind: PaymentKind; fromAddress: string; toAddress: string; amount: bigint };

type LockTerms = DealTerms & { volume: string };

/** `matchOrders`: the requester locks the price of every task, the workerpool its stake. */
export function dealLockMovements(deal: LockTerms): Movement[] {
  const volume = BigInt(deal.volume);
  return [
    { kind: "lock", fromAddress: deal.requester, toAddress: deal.requester, amount: taskPrice(deal) * volume },
    {
      kind: "stake_lock",
      fromAddress: deal.workerpoolOwner,
      toAddress: deal.workerpoolOwner,
      amount: BigInt(deal.stakePerTask) * volume,
    },
  ];
}

/** An accepted result: each owner is paid its price out of the requester's lock; the stake is released. */
export function resultMovements(deal: DealTerms): Movement[] {
  const movements: Movement[] = [
    { kind: "payout_app", fromAddress: deal.requester, toAddress: deal.appOwner, amount: BigInt(deal.appPrice) },
  ];
  if (BigInt(deal.dataset) !== 0n) {
    movements.push({
      kind: "payout_dataset",
      fromAddress: deal.requester,
      toAddress: deal.datasetOwner,
      amount: BigInt(deal.datasetPrice),
    });
  }
  movements.push(
    { kind: "payout_workerpool", fromAddress: deal.requester, toAddress: deal.workerpoolOwner, amount: BigInt(deal.workerpoolPrice) },
    { kind: "stake_release", fromAddress: deal.workerpoolOwner, toAddress: deal.workerpoolOwner, amount: BigInt(deal.stakePerTask) },
  );
  return movements;
}

/** A claimed task: the requester gets its price back and the task's stake from the workerpool. */
export function claimMovements(deal: DealTerms): Movement[] {
  return [
    { kind: "refund", fromAddress: deal.requester, toAddress: deal.requester, amount: taskPrice(deal) },
    { kind: "slash", fromAddress: deal.workerpoolOwner, toAddress: deal.requester, amount: BigInt(deal.stakePerTask) },
  ];
}

/**
 * A task settled by `failTask`: the stake is released; if the requester was to blame the
 * workerpool is paid its price and the app and dataset prices are refunded, otherwise the whole
 * price is refunded.
 */
export function failureMovements(deal: DealTerms, requesterCaused: boolean): Movement[] {
  const poolPay = requesterCaused ? BigInt(deal.workerpoolPrice) : 0n;
  return [
    { kind: "payout_workerpool", fromAddress: deal.requester, toAddress: deal.workerpoolOwner, amount: poolPay },
    { kind: "refund", fromAddress: deal.requester, toAddress: deal.requester, amount: taskPrice(deal) - poolPay },
    { kind: "stake_release", fromAddress: deal.workerpoolOwner, toAddress: deal.workerpoolOwner, amount: BigInt(deal.stakePerTask) },
  ];
}

function taskPrice(deal: DealTerms): bigint {
  return BigInt(deal.appPrice) + BigInt(deal.datasetPrice) + BigInt(deal.workerpoolPrice);
}
