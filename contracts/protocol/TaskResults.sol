// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {OrderTypes} from "../libraries/OrderTypes.sol";
import {DealTypes} from "../libraries/DealTypes.sol";
import {Escrow} from "./Escrow.sol";
import {Governance} from "./Governance.sol";
import {Reputation} from "./Reputation.sol";
import {OrderBook} from "./OrderBook.sol";
import {DealStore} from "./DealStore.sol";

/// @title TaskResults
/// @notice Settles each task of a deal exactly once, in one of three ways:
///         - completed (`pushResult`, `pushResultBatch`): app owner, dataset owner and workerpool
///           are paid, the stake is released. A task whose app ran and failed, or whose inputs the
///           enclave found invalid, completes this way too, with a failure result (the error
///           report encrypted to the requester): the pool did its work.
///         - failed through someone else's fault (`failTask`, `failTaskBatch`), before the
///           deadline, on the SMS's signed verdict naming the party to blame: if the requester,
///           the workerpool is paid its price for the attempt and the app and dataset prices go
///           back to the requester; if the dataset or app owner, the requester gets everything
///           back and nobody is paid. The stake is released either way and reputation is unchanged.
///         - unfinished at the deadline (`claim`): nothing was pushed and no verdict shows someone
///           else to blame, which only the workerpool can bring about, so the requester is
///           refunded and gets the stake, and the pool's reputation drops.
///         Nobody gains by causing a failure: a requester who breaks its own task pays the pool
///         and gets no stake; a pool gets paid without a result only on an SMS verdict against
///         the requester.
/// @dev A TEE task needs the workerpool owner's authorization of (worker, task, enclave), the
///      enclave's signature of (worker, task, digest, CID) and, once an SMS signer is registered,
///      the SMS's signature that this enclave passed attestation for this task, so a pool owner
///      cannot authorize an unattested key and be paid. A non-TEE task needs the authorization
///      alone, with no enclave, pushed by the worker or the workerpool owner. Results live in
///      `ResultPushed` events, not in storage.
abstract contract TaskResults is Escrow, Governance, Reputation, OrderBook, DealStore {
    /// @notice Pushes the result of one task and pays for it.
    /// @dev Completion counts towards the pool's reputation only for independent, paid work: see
    ///      `_buildsReputation`.
    /// @param deal The deal as emitted in `DealCreated`.
    /// @param result The task's result with its authorization (and, for TEE, the enclave's
    ///        signature and the SMS's attestation).
    function pushResult(DealTypes.Deal calldata deal, DealTypes.TaskResult calldata result) external {
        (bytes32 dealId, uint256 slot) = _openDeal(deal);
        uint256 updated = _finalizeTask(dealId, deal.volume, slot, result.index);
        _acceptResult(deal, dealId, result, smsSigner);
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
        address attester = smsSigner;
        uint256 updated = slot;
        for (uint256 i = 0; i < results.length; ++i) {
            updated = _finalizeTask(dealId, deal.volume, updated, results[i].index);
            _acceptResult(deal, dealId, results[i], attester);
        }
        _saveSlot(dealId, slot, updated);
        _payout(deal, results.length);
    }

    /// @notice Settles a task that cannot run through the fault of someone other than the
    ///         workerpool, on the SMS's signed verdict, before the deal's deadline.
    /// @dev Only the workerpool owner may call: it chooses between settling the failure and trying
    ///      again (a requester may store its missing secret meanwhile), and no one else can use the
    ///      verdict to cut in front of a result being pushed. Cause 1 (requester): the workerpool
    ///      is paid its price, the app and dataset prices are refunded. Cause 2 (dataset owner,
    ///      only on a deal with a dataset) or 3 (app owner): everything is refunded, nobody is
    ///      paid. Either way the stake is released and reputation is unchanged.
    /// @param deal The deal as emitted in `DealCreated`.
    /// @param report The task's index, the party the SMS blames (`DealTypes.CAUSE_*`), the attempt
    ///        it refused, and its signature of `TaskFailure(taskId, cause, attempt)`.
    function failTask(DealTypes.Deal calldata deal, DealTypes.FailureReport calldata report) external {
        (bytes32 dealId, uint256 slot) = _openDeal(deal);
        address attester = _requireSmsSigner();
        uint256 updated = _finalizeTask(dealId, deal.volume, slot, report.index);
        _acceptFailure(deal, dealId, report, attester);
        _saveSlot(dealId, slot, updated);
        bool requesterCaused = report.cause == DealTypes.CAUSE_REQUESTER;
        _settleFailures(deal, requesterCaused ? 1 : 0, requesterCaused ? 0 : 1);
    }

    /// @notice Settles several failed tasks of one deal in one transaction, as `failTask` does.
    /// @param deal The deal as emitted in `DealCreated`.
    /// @param reports Distinct, unfinalized tasks of this deal, each with its cause and verdict.
    function failTaskBatch(DealTypes.Deal calldata deal, DealTypes.FailureReport[] calldata reports) external {
        if (reports.length == 0) revert EmptyBatch();
        (bytes32 dealId, uint256 slot) = _openDeal(deal);
        address attester = _requireSmsSigner();
        uint256 updated = slot;
        uint256 requesterCaused;
        for (uint256 i = 0; i < reports.length; ++i) {
            DealTypes.FailureReport calldata report = reports[i];
            updated = _finalizeTask(dealId, deal.volume, updated, report.index);
            _acceptFailure(deal, dealId, report, attester);
            if (report.cause == DealTypes.CAUSE_REQUESTER) ++requesterCaused;
        }
        _saveSlot(dealId, slot, updated);
        _settleFailures(deal, requesterCaused, reports.length - requesterCaused);
    }

    /// @notice After a deal's deadline, settles unfinished tasks: the requester gets its payment
    ///         back plus the workerpool's stake for each task, and the pool's reputation drops.
    /// @dev Anyone may call. Reverts if any listed task is already finalized. A task reaches this
    ///      only if the pool pushed no result (a failure result included) and settled no
    ///      SMS-attested failure in time, which only the pool can bring about.
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

    function _requireSmsSigner() private view returns (address attester) {
        attester = smsSigner;
        if (attester == address(0)) revert SmsSignerNotSet();
    }

    /// @dev `attester` is the SMS signer, zero while none is registered.
    function _acceptResult(
        DealTypes.Deal calldata deal,
        bytes32 dealId,
        DealTypes.TaskResult calldata result,
        address attester
    ) private {
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
            if (attester != address(0)) {
                bytes32 attested = _hashTypedDataV4(DealTypes.enclaveAttestedHash(taskId, result.enclave));
                if (!_signedBy(attested, attester, result.smsAttestation)) {
                    revert EnclaveNotAttested(taskId, result.enclave);
                }
            }
        } else {
            if (result.enclave != address(0) || result.enclaveSignature.length != 0 || result.smsAttestation.length != 0) {
                revert EnclaveNotAllowed(taskId);
            }
            if (msg.sender != result.worker && msg.sender != deal.workerpoolOwner) {
                revert UnauthorizedPusher(taskId, msg.sender);
            }
        }
        emit ResultPushed(
            dealId, result.index, taskId, result.worker, result.enclave, result.resultDigest, result.resultCid
        );
    }

    function _acceptFailure(
        DealTypes.Deal calldata deal,
        bytes32 dealId,
        DealTypes.FailureReport calldata report,
        address attester
    ) private {
        uint8 cause = report.cause;
        bytes32 taskId = DealTypes.taskId(dealId, report.index);
        if (msg.sender != deal.workerpoolOwner) revert UnauthorizedFailureReport(taskId, msg.sender);
        bool blamesDataset = cause == DealTypes.CAUSE_DATASET_OWNER;
        if (
            (cause != DealTypes.CAUSE_REQUESTER && !blamesDataset && cause != DealTypes.CAUSE_APP_OWNER)
                || (blamesDataset && deal.dataset == 0)
        ) {
            revert InvalidFailureCause(taskId, cause);
        }
        if (
            !_signedBy(
                _hashTypedDataV4(DealTypes.taskFailureHash(taskId, cause, report.attempt)), attester, report.smsSignature
            )
        ) {
            revert InvalidFailureEvidence(taskId, attester);
        }
        emit TaskFailed(dealId, report.index, taskId, cause, report.attempt);
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
        if (_buildsReputation(deal)) _recordOutcome(deal.workerpool, count, 0);
    }

    /// @dev Settles failed tasks: `requesterCaused` of them pay the workerpool its price, the
    ///      others pay nobody; every other locked amount goes back to whoever locked it.
    function _settleFailures(DealTypes.Deal calldata deal, uint256 requesterCaused, uint256 othersCaused) private {
        uint256 count = requesterCaused + othersCaused;
        uint256 price = (deal.appPrice + deal.datasetPrice + deal.workerpoolPrice) * count;
        uint256 poolPay = deal.workerpoolPrice * requesterCaused;
        uint256 stake = deal.stakePerTask * count;
        _settle(deal.requester, price, price - poolPay);
        _settle(deal.workerpoolOwner, stake, stake + poolPay);
    }

    /// @dev Completions lift a pool's reputation only when they paid it something and its owner was
    ///      not its own customer: self-dealt or free tasks cost a pool nothing to fake. The app and
    ///      dataset owners may be the requester (an app developer running its own app is the usual
    ///      customer); the pool still worked for someone else. A pool owner paying itself through a
    ///      second address is not caught: see the README on what reputation cannot prove.
    function _buildsReputation(DealTypes.Deal calldata deal) private pure returns (bool) {
        return deal.workerpoolPrice != 0 && deal.requester != deal.workerpoolOwner;
    }

    function _signedBy(bytes32 digest, address signer, bytes calldata signature) private pure returns (bool) {
        (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecoverCalldata(digest, signature);
        return error == ECDSA.RecoverError.NoError && recovered == signer && signer != address(0);
    }
}
