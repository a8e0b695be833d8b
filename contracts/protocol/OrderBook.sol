// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {OrderTypes} from "../libraries/OrderTypes.sol";
import {IContinuumErrors} from "../interfaces/IContinuumErrors.sol";
import {IContinuumEvents} from "../interfaces/IContinuumEvents.sol";
import {AppRegistry} from "../registries/AppRegistry.sol";
import {DatasetRegistry} from "../registries/DatasetRegistry.sol";
import {WorkerpoolRegistry} from "../registries/WorkerpoolRegistry.sol";

/// @title OrderBook
/// @notice On-chain side of the order book: EIP-712 digests bound to this chain and contract,
///         signature or on-chain approval checks, cancellation, and consumed volume per order.
/// @dev A cancelled order's consumed volume is set to `CANCELLED`, so one read answers both
///      "is it cancelled" and "how much is left".
abstract contract OrderBook is EIP712, IContinuumErrors, IContinuumEvents {
    using OrderTypes for OrderTypes.AppOrder;
    using OrderTypes for OrderTypes.DatasetOrder;
    using OrderTypes for OrderTypes.WorkerpoolOrder;
    using OrderTypes for OrderTypes.RequestOrder;

    uint8 internal constant KIND_APP = 0;
    uint8 internal constant KIND_DATASET = 1;
    uint8 internal constant KIND_WORKERPOOL = 2;
    uint8 internal constant KIND_REQUEST = 3;
    uint256 internal constant CANCELLED = type(uint256).max;

    /// @notice Registry of apps whose owners sign app orders.
    AppRegistry public immutable apps;
    /// @notice Registry of datasets whose owners sign dataset orders.
    DatasetRegistry public immutable datasets;
    /// @notice Registry of workerpools whose owners sign workerpool orders and authorizations.
    WorkerpoolRegistry public immutable workerpools;

    /// @notice Volume of an order (by EIP-712 digest) already used by deals; max uint if cancelled.
    mapping(bytes32 => uint256) public consumed;
    /// @notice Account that approved an order on-chain (instead of signing it), by digest.
    mapping(bytes32 => address) public approvedBy;

    constructor(AppRegistry apps_, DatasetRegistry datasets_, WorkerpoolRegistry workerpools_) {
        if (address(apps_) == address(0) || address(datasets_) == address(0) || address(workerpools_) == address(0)) {
            revert ZeroAddress();
        }
        apps = apps_;
        datasets = datasets_;
        workerpools = workerpools_;
    }

    /// @notice EIP-712 digest of an app order on this chain and contract.
    /// @param order The order.
    function appOrderDigest(OrderTypes.AppOrder calldata order) public view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @notice EIP-712 digest of a dataset order on this chain and contract.
    /// @param order The order.
    function datasetOrderDigest(OrderTypes.DatasetOrder calldata order) public view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @notice EIP-712 digest of a workerpool order on this chain and contract.
    /// @param order The order.
    function workerpoolOrderDigest(OrderTypes.WorkerpoolOrder calldata order) public view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @notice EIP-712 digest of a request order on this chain and contract.
    /// @param order The order.
    function requestOrderDigest(OrderTypes.RequestOrder calldata order) public view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @notice Volume of an order still available to deals (zero once cancelled or used up).
    /// @param orderDigest The order's EIP-712 digest.
    /// @param volume The order's volume field.
    function remainingVolume(bytes32 orderDigest, uint256 volume) public view returns (uint256) {
        uint256 used = consumed[orderDigest];
        return used >= volume ? 0 : volume - used;
    }

    /// @notice Approves an app order on-chain so it matches without a signature (for contract owners).
    /// @param order The order; the caller must own its app.
    function approveAppOrder(OrderTypes.AppOrder calldata order) external {
        _approve(KIND_APP, appOrderDigest(order), apps.ownerOf(order.app));
    }

    /// @notice Approves a dataset order on-chain.
    /// @param order The order; the caller must own its dataset.
    function approveDatasetOrder(OrderTypes.DatasetOrder calldata order) external {
        _approve(KIND_DATASET, datasetOrderDigest(order), datasets.ownerOf(order.dataset));
    }

    /// @notice Approves a workerpool order on-chain.
    /// @param order The order; the caller must own its workerpool.
    function approveWorkerpoolOrder(OrderTypes.WorkerpoolOrder calldata order) external {
        _approve(KIND_WORKERPOOL, workerpoolOrderDigest(order), workerpools.ownerOf(order.workerpool));
    }

    /// @notice Approves a request order on-chain.
    /// @param order The order; the caller must be its requester.
    function approveRequestOrder(OrderTypes.RequestOrder calldata order) external {
        _approve(KIND_REQUEST, requestOrderDigest(order), order.requester);
    }

    /// @notice Cancels an app order: no deal can use it afterwards.
    /// @param order The order; the caller must own its app.
    function cancelAppOrder(OrderTypes.AppOrder calldata order) external {
        _cancel(KIND_APP, appOrderDigest(order), apps.ownerOf(order.app));
    }

    /// @notice Cancels a dataset order.
    /// @param order The order; the caller must own its dataset.
    function cancelDatasetOrder(OrderTypes.DatasetOrder calldata order) external {
        _cancel(KIND_DATASET, datasetOrderDigest(order), datasets.ownerOf(order.dataset));
    }

    /// @notice Cancels a workerpool order.
    /// @param order The order; the caller must own its workerpool.
    function cancelWorkerpoolOrder(OrderTypes.WorkerpoolOrder calldata order) external {
        _cancel(KIND_WORKERPOOL, workerpoolOrderDigest(order), workerpools.ownerOf(order.workerpool));
    }

    /// @notice Cancels a request order.
    /// @param order The order; the caller must be its requester.
    function cancelRequestOrder(OrderTypes.RequestOrder calldata order) external {
        _cancel(KIND_REQUEST, requestOrderDigest(order), order.requester);
    }

    function _approve(uint8 kind, bytes32 digest, address signer) private {
        if (msg.sender != signer) revert NotOrderSigner(digest, signer, msg.sender);
        approvedBy[digest] = signer;
        emit OrderApproved(kind, digest, signer);
    }

    function _cancel(uint8 kind, bytes32 digest, address signer) private {
        if (msg.sender != signer) revert NotOrderSigner(digest, signer, msg.sender);
        consumed[digest] = CANCELLED;
        emit OrderCancelled(kind, digest, signer);
    }

    /// @dev An empty signature means "approved on-chain"; the approval counts only while the
    ///      approver is still the rightful signer (asset ownership may have moved).
    function _requireSignedBy(bytes32 digest, address signer, bytes calldata signature) internal view {
        if (signature.length == 0) {
            if (approvedBy[digest] != signer || signer == address(0)) revert InvalidSignature(digest, signer);
            return;
        }
        (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (error != ECDSA.RecoverError.NoError || recovered != signer) revert InvalidSignature(digest, signer);
    }

    /// @dev Returns the volume already consumed, after checking expiry, cancellation and that
    ///      something remains.
    function _usableOrder(bytes32 digest, uint256 volume, uint256 expiry) internal view returns (uint256 used) {
        if (block.timestamp > expiry) revert OrderExpired(digest, expiry);
        used = consumed[digest];
        if (used == CANCELLED) revert OrderWasCancelled(digest);
        if (used >= volume) revert OrderFullyConsumed(digest);
    }
}
