// Which JSON-RPC methods change the devnet chain (and so are journaled and replayed), and which
// cannot be replayed at all; every other method only reads and is forwarded as is.

/** Methods whose effects the journal records and a replay repeats, in order. */
const JOURNALED_METHODS: ReadonlySet<string> = new Set([
  "eth_sendTransaction",
  "eth_sendRawTransaction",
  "evm_mine",
  "hardhat_mine",
  "evm_increaseTime",
  "evm_setNextBlockTimestamp",
  "evm_setAutomine",
  "evm_snapshot",
  "evm_revert",
  "evm_setBlockGasLimit",
  "hardhat_setBalance",
  "hardhat_setCode",
  "hardhat_setNonce",
  "hardhat_setStorageAt",
  "hardhat_setCoinbase",
  "hardhat_setMinGasPrice",
  "hardhat_setNextBlockBaseFeePerGas",
  "hardhat_setPrevRandao",
  "hardhat_impersonateAccount",
  "hardhat_stopImpersonatingAccount",
  "hardhat_dropTransaction",
  // Anvil's names for the same changes.
  "anvil_mine",
  "anvil_setBalance",
  "anvil_setCode",
  "anvil_setNonce",
  "anvil_setStorageAt",
  "anvil_setCoinbase",
  "anvil_setMinGasPrice",
  "anvil_setNextBlockBaseFeePerGas",
  "anvil_impersonateAccount",
  "anvil_stopImpersonatingAccount",
  "anvil_dropTransaction",
  "anvil_setBlockGasLimit",
]);

/**
 * Methods refused on a persistent devnet: a reset throws the recorded chain away behind the
 * databases' back, and interval mining makes blocks no request accounts for.
 */
const REFUSED_METHODS: ReadonlySet<string> = new Set([
  "hardhat_reset",
  "evm_setIntervalMining",
  "anvil_reset",
  "anvil_setIntervalMining",
  "anvil_loadState",
  "anvil_setBlockTimestampInterval",
  "evm_setTime",
]);

export function isJournaledMethod(method: string): boolean {
  return JOURNALED_METHODS.has(method);
}

export function isRefusedMethod(method: string): boolean {
  return REFUSED_METHODS.has(method);
}
