// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IContinuumErrors
/// @notice Every custom error of the protocol contract, with the data needed to debug it.
interface IContinuumErrors {
    // Escrow
    error ZeroAmount();
    error ZeroAddress();
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @dev The token moved a different amount than asked on a withdrawal (a fee charged on top
    ///      of the amount, or a rebase): such tokens are not supported.
    error TokenTransferMismatch(uint256 expected, uint256 actual);

    // Categories and parameters
    error UnknownCategory(uint256 category);
    error InvalidCategory(string reason);
    error InvalidStakeRatio(uint256 stakeRatioBps);
    error SmsSignerNotSet();

    // Orders
    error InvalidSignature(bytes32 orderHash, address expectedSigner);
    error NotOrderSigner(bytes32 orderHash, address signer, address caller);
    error OrderExpired(bytes32 orderHash, uint256 expiry);
    error OrderWasCancelled(bytes32 orderHash);
    error OrderFullyConsumed(bytes32 orderHash);
    /// @dev The order was signed in an earlier epoch of its asset: the asset changed hands or its
    ///      owner revoked its orders since.
    error StaleOrder(bytes32 orderHash, uint256 signedEpoch, uint256 currentEpoch);

    // Matching
    error AssetMismatch(string asset, uint256 requested, uint256 offered);
    error DatasetOrderNotEmpty();
    error CategoryMismatch(uint256 requested, uint256 offered);
    error TagNotSatisfied(bytes32 required, bytes32 offered);
    error PriceTooHigh(string asset, uint256 price, uint256 maxPrice);
    error RestrictionViolated(bytes32 orderHash, string field, uint256 restriction, uint256 actual);
    error TrustNotMet(uint256 workerpool, uint256 score, uint256 requiredScore);
    error BadBeneficiary();
    /// @dev A TEE request must name the key its results are encrypted to.
    error ZeroResultKey(bytes32 requestHash);

    // Tasks and results
    error UnknownDeal(bytes32 dealId);
    error TaskIndexOutOfRange(bytes32 dealId, uint256 index, uint256 volume);
    error TaskAlreadyFinalized(bytes32 dealId, uint256 index);
    error DeadlinePassed(bytes32 dealId, uint256 deadline);
    error DeadlineNotReached(bytes32 dealId, uint256 deadline);
    error InvalidAuthorization(bytes32 taskId, address expectedSigner);
    error InvalidEnclaveSignature(bytes32 taskId, address enclave);
    error EnclaveRequired(bytes32 taskId);
    error EnclaveNotAllowed(bytes32 taskId);
    error UnauthorizedPusher(bytes32 taskId, address caller);
    /// @dev The SMS's signature that `enclave` passed attestation for `taskId` is missing or wrong.
    error EnclaveNotAttested(bytes32 taskId, address enclave);
    error EmptyBatch();

    // Failed tasks
    error UnauthorizedFailureReport(bytes32 taskId, address caller);
    error InvalidFailureCause(bytes32 taskId, uint8 cause);
    error InvalidFailureEvidence(bytes32 taskId, address expectedSigner);
}
