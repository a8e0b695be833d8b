// Consistency of the task description with its deal, checked before any work: the deal id, the
// task index, the params the deal committed to, the dataset, the result key and the run time.
import { keccak256, toUtf8Bytes } from "ethers";
import { CryptoError, parseResultPublicKey } from "../src/crypto/index.ts";
import { dealIdOf } from "../src/wire/eip712/index.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { EnclaveTask } from "./EnclaveTask.ts";

export function checkTask(task: EnclaveTask): void {
  const { deal } = task;
  if (dealIdOf(deal.requestHash, deal.requestOffset) !== task.dealId.toLowerCase()) {
    throw badTask("dealId is not the id of the given deal.", { dealId: task.dealId });
  }
  if (task.taskIndex < 0n || task.taskIndex >= deal.volume) {
    throw badTask("The task index is outside the deal's volume.", { taskIndex: task.taskIndex.toString() });
  }
  if (keccak256(toUtf8Bytes(task.params)) !== deal.paramsHash.toLowerCase()) {
    throw new EnclaveError("PARAMS_MISMATCH", "The params do not hash to the deal's paramsHash.", {
      paramsHash: deal.paramsHash,
    });
  }
  if ((deal.dataset !== 0n) !== (task.dataset !== undefined)) {
    throw badTask("A dataset must be given exactly when the deal names one.", { dataset: deal.dataset.toString() });
  }
  if (!Number.isFinite(task.maxRunTimeSeconds) || task.maxRunTimeSeconds <= 0) {
    throw badTask("maxRunTimeSeconds must be a positive number.", { maxRunTimeSeconds: task.maxRunTimeSeconds });
  }
  try {
    parseResultPublicKey(deal.resultPublicKey);
  } catch (error) {
    if (error instanceof CryptoError) throw badTask("The deal's resultPublicKey is not an X25519 public key.");
    throw error;
  }
}

function badTask(message: string, details?: Record<string, unknown>): EnclaveError {
  return new EnclaveError("BAD_TASK", message, details);
}
