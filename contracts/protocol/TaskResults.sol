// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {OrderTypes} from "../libraries/OrderTypes.sol";
import {DealTypes} from "../libraries/DealTypes.sol";
import {Escrow} from "./Escrow.sol";
import {Reputation} from "./Reputation.sol";
import {OrderBook} from "./OrderBook.sol";
import {DealStore} from "./DealStore.sol";

/// @title TaskResults
/// @notice Accepts task results (single or batched) and settles each task: payout, stake
///         release and reputation; or, after the deadline, `claim` refunds and slashes.
/// @dev A TEE task needs two signatures: the workerpool owner's authorization of
///      (worker, task, enclave) and the enclave's signature of (worker, task, digest, CID).
///      A non-TEE task needs the authorization alone, with no enclave, pushed by the worker or
///      the workerpool owner. Results live in `ResultPushed` events, not in storage.
abstract contract TaskResults is Escrow, Reputation, OrderBook, DealStore {
    /// @notice Pushes the result of one task and pays for it.
    /// @param deal The deal as emitted in `DealCreated`.
    /// @param result The task's result with its authorization (and enclave signature for TEE).
    function pushResult(DealTypes.Deal calldata deal, DealTypes.TaskResult calldata result) external {
        (bytes32 dealId, uint256 slot) = _openDeal(deal);
        uint256 updated = _finalizeTask(dealId, deal.volume, slot, result.index);
        _acceptResult(deal, dealId, result);
        _saveSlot(dealId, slot, updated);
        _payout(deal, 1);
    }

    /// @notice Pushes the results of several tasks of one deal in one transaction.
    /// @dev Each account's escrow and the pool's reputation are written once per batch.
    /// @param deal The deal as emitted in `DealCreated`.
    /// @param results Results of distinct, unfinalized tasks of this deal.
    function pushResultBatch(DealTypes.Deal calldata deal, DealTypes.TaskResult[] calldata results) external {
        if (results.length == 0) revert EmptyBatch();
        (bytes32 dealId, uint256 slot) = _openDeal(deal);
        uint256 updated = slot;
        for (uint256 i = 0; i < results.length; ++i) {
            updated = _finalizeTask(dealId, deal.volume, updated, results[i].index);
            _acceptResult(deal, dealId, results[i]);
        }
        _saveSlot(dealId, slot, updated);
        _payout(deal, results.length);
    }

    /// @notice After a deal's deadline, settles unfinished tasks: the requester gets its payment
    ///         back plus the workerpool's stake for each task, and the pool's reputation drops.
    /// @dev Anyone may call. Reverts if any listed task is already finalized.
    /// @param deal The deal as emitted in `DealCreated`.
    /// @param indexes Indexes of the unfinished tasks to claim.
    function claim(DealTypes.Deal calldata deal, uint256[] calldata indexes) external {
        if (indexes.length == 0) revert EmptyBatch();
        (bytes32 dealId, uint256 slot) = _loadDeal(deal);
        if (block.timestamp <= deal.deadline) revert DeadlineNotReached(dealId, deal.deadline);
        uint256 updated = slot;
        for (uint256 i = 0; i < indexes.length; ++i) {
            updated = _finalizeTask(dealId, deal.volume, updated, indexes[i]);
            emit TaskClaimed(dealId, indexes[i], DealTypes.taskId(dealId, indexes[i]));
        }
        _saveSlot(dealId, slot, updated);

        uint256 count = indexes.length;
        uint256 price = (deal.appPrice + deal.datasetPrice + deal.workerpoolPrice) * count;
        uint256 stake = deal.stakePerTask * count;
        _settle(deal.requester, price, price + stake);
        _settle(deal.workerpoolOwner, stake, 0);
        _recordOutcome(deal.workerpool, 0, count);
    }

    function _openDeal(DealTypes.Deal calldata deal) private view returns (bytes32 dealId, uint256 slot) {
        (dealId, slot) = _loadDeal(deal);
        if (block.timestamp > deal.deadline) revert DeadlinePassed(dealId, deal.deadline);
    }

    function _acceptResult(DealTypes.Deal calldata deal, bytes32 dealId, DealTypes.TaskResult calldata result)
        private
    {
        bytes32 taskId = DealTypes.taskId(dealId, result.index);
        bytes32 authorization =
            _hashTypedDataV4(DealTypes.authorizationHash(result.worker, taskId, result.enclave));
        if (!_signedBy(authorization, deal.workerpoolOwner, result.authorization)) {
            revert InvalidAuthorization(taskId, deal.workerpoolOwner);
        }
        if (deal.tag & OrderTypes.TAG_TEE != 0) {
            if (result.enclave == address(0)) revert EnclaveRequired(taskId);
            bytes32 signed =
                _hashTypedDataV4(DealTypes.resultHash(result.worker, taskId, result.resultDigest, result.resultCid));
            if (!_signedBy(signed, result.enclave, result.enclaveSignature)) {
                revert InvalidEnclaveSignature(taskId, result.enclave);
            }
        } else {
            if (result.enclave != address(0) || result.enclaveSignature.length != 0) revert EnclaveNotAllowed(taskId);
            if (msg.sender != result.worker && msg.sender != deal.workerpoolOwner) {
                revert UnauthorizedPusher(taskId, msg.sender);
            }
        }
        emit ResultPushed(
            dealId, result.index, taskId, result.worker, result.enclave, result.resultDigest, result.resultCid
        );
    }

    /// @dev Pays `count` tasks: app and dataset owners their price, the workerpool its price and
    ///      its stake back, all out of the requester's locked payment.
    function _payout(DealTypes.Deal calldata deal, uint256 count) private {
        uint256 appPay = deal.appPrice * count;
        uint256 datasetPay = deal.datasetPrice * count;
        uint256 poolPay = deal.workerpoolPrice * count;
        uint256 stake = deal.stakePerTask * count;
        _settle(deal.requester, appPay + datasetPay + poolPay, 0);
        _settle(deal.appOwner, 0, appPay);
        if (deal.dataset != 0) _settle(deal.datasetOwner, 0, datasetPay);
        _settle(deal.workerpoolOwner, stake, poolPay + stake);
        _recordOutcome(deal.workerpool, count, 0);
    }

    function _signedBy(bytes32 digest, address signer, bytes calldata signature) private pure returns (bool) {
        (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecoverCalldata(digest, signature);
        return error == ECDSA.RecoverError.NoError && recovered == signer && signer != address(0);
    }
}
