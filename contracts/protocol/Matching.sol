// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {OrderTypes} from "../libraries/OrderTypes.sol";
import {DealTypes} from "../libraries/DealTypes.sol";
import {Escrow} from "./Escrow.sol";
import {Governance} from "./Governance.sol";
import {Reputation} from "./Reputation.sol";
import {OrderBook} from "./OrderBook.sol";
import {DealStore} from "./DealStore.sol";
import {AssetRegistry} from "../registries/AssetRegistry.sol";

/// @title Matching
/// @notice `matchOrders`: turns a compatible app, dataset, workerpool and request order into a
///         deal, locking the requester's payment and the workerpool's stake.
abstract contract Matching is Escrow, Governance, Reputation, OrderBook, DealStore {
    using OrderTypes for OrderTypes.AppOrder;
    using OrderTypes for OrderTypes.DatasetOrder;
    using OrderTypes for OrderTypes.WorkerpoolOrder;
    using OrderTypes for OrderTypes.RequestOrder;

    /// @notice A deal's deadline is its start plus its category's maximum run time times
    ///         (DEADLINE_SLACK_RUN_TIMES + volume): one run time per task, so a pool running one
    ///         task at a time can still finish, plus this slack for queueing and retries.
    uint256 public constant DEADLINE_SLACK_RUN_TIMES = 10;

    struct Digests {
        bytes32 app;
        bytes32 dataset;
        bytes32 workerpool;
        bytes32 request;
    }

    /// @notice Matches four orders into a deal of volume = the smallest remaining volume.
    /// @dev Checks expiry, cancellation, remaining volume, category, tags (the workerpool must
    ///      offer every bit asked by app, dataset and request), prices against the request's
    ///      maxima, every restriction, the workerpool's reputation against the request's trust,
    ///      every signature (or on-chain approval), each asset order's epoch against its asset's
    ///      current one, a non-zero result key for a TEE deal, and escrow balances. For a request
    ///      without dataset, pass an all-zero dataset order and an empty signature. The stake per
    ///      task is the workerpool price times the stake ratio in force, rounded up; the deadline
    ///      is `DEADLINE_SLACK_RUN_TIMES + volume` maximum run times after the match.
    /// @param appOrder Order signed by the app owner.
    /// @param appSignature 65-byte signature, or empty if approved on-chain.
    /// @param datasetOrder Order signed by the dataset owner (all zero when no dataset).
    /// @param datasetSignature Signature, or empty if approved on-chain or no dataset.
    /// @param workerpoolOrder Order signed by the workerpool owner.
    /// @param workerpoolSignature Signature, or empty if approved on-chain.
    /// @param requestOrder Order signed by the requester.
    /// @param requestSignature Signature, or empty if approved on-chain.
    /// @return dealId The new deal's id.
    function matchOrders(
        OrderTypes.AppOrder calldata appOrder,
        bytes calldata appSignature,
        OrderTypes.DatasetOrder calldata datasetOrder,
        bytes calldata datasetSignature,
        OrderTypes.WorkerpoolOrder calldata workerpoolOrder,
        bytes calldata workerpoolSignature,
        OrderTypes.RequestOrder calldata requestOrder,
        bytes calldata requestSignature
    ) external returns (bytes32 dealId) {
        Digests memory digests = Digests({
            app: _hashTypedDataV4(appOrder.hash()),
            dataset: requestOrder.dataset == 0 ? bytes32(0) : _hashTypedDataV4(datasetOrder.hash()),
            workerpool: _hashTypedDataV4(workerpoolOrder.hash()),
            request: _hashTypedDataV4(requestOrder.hash())
        });
        _checkTerms(appOrder, datasetOrder, workerpoolOrder, requestOrder);
        _checkRestrictions(appOrder, datasetOrder, workerpoolOrder, requestOrder, digests);

        DealTypes.Deal memory deal;
        deal.appOwner = _currentSigner(apps, appOrder.app, appOrder.assetEpoch, digests.app);
        deal.workerpoolOwner =
            _currentSigner(workerpools, workerpoolOrder.workerpool, workerpoolOrder.assetEpoch, digests.workerpool);
        _requireSignedBy(digests.app, deal.appOwner, appSignature);
        _requireSignedBy(digests.workerpool, deal.workerpoolOwner, workerpoolSignature);
        _requireSignedBy(digests.request, requestOrder.requester, requestSignature);
        if (requestOrder.dataset != 0) {
            deal.datasetOwner = _currentSigner(datasets, datasetOrder.dataset, datasetOrder.assetEpoch, digests.dataset);
            _requireSignedBy(digests.dataset, deal.datasetOwner, datasetSignature);
        }

        uint256 volume = _consumeVolumes(appOrder, datasetOrder, workerpoolOrder, requestOrder, digests, deal);
        _fillDeal(deal, appOrder, datasetOrder, workerpoolOrder, requestOrder, digests.request, volume);
        dealId = DealTypes.dealId(digests.request, deal.requestOffset);

        _lock(deal.requester, (deal.appPrice + deal.datasetPrice + deal.workerpoolPrice) * volume);
        _lock(deal.workerpoolOwner, deal.stakePerTask * volume);
        _storeDeal(dealId, keccak256(abi.encode(deal)));

        emit DealCreated(
            dealId, deal.workerpool, deal.requester, deal, digests.app, digests.dataset, digests.workerpool, requestOrder.params
        );
    }

    /// @dev The asset's owner, after checking the order was signed in the asset's current epoch.
    function _currentSigner(AssetRegistry registry, uint256 id, uint256 signedEpoch, bytes32 digest)
        private
        view
        returns (address owner)
    {
        uint256 epoch;
        (owner, epoch) = registry.ownerAndEpochOf(id);
        if (epoch != signedEpoch) revert StaleOrder(digest, signedEpoch, epoch);
    }

    /// @dev Assets, category, tag, prices, trust and beneficiary.
    function _checkTerms(
        OrderTypes.AppOrder calldata appOrder,
        OrderTypes.DatasetOrder calldata datasetOrder,
        OrderTypes.WorkerpoolOrder calldata workerpoolOrder,
        OrderTypes.RequestOrder calldata requestOrder
    ) private view {
        if (requestOrder.app != appOrder.app) revert AssetMismatch("app", requestOrder.app, appOrder.app);
        if (requestOrder.dataset != datasetOrder.dataset) {
            revert AssetMismatch("dataset", requestOrder.dataset, datasetOrder.dataset);
        }
        if (requestOrder.dataset == 0 && (datasetOrder.price != 0 || datasetOrder.tag != bytes32(0))) {
            revert DatasetOrderNotEmpty();
        }
        if (requestOrder.workerpool != 0 && requestOrder.workerpool != workerpoolOrder.workerpool) {
            revert AssetMismatch("workerpool", requestOrder.workerpool, workerpoolOrder.workerpool);
        }
        if (requestOrder.category != workerpoolOrder.category) {
            revert CategoryMismatch(requestOrder.category, workerpoolOrder.category);
        }
        bytes32 required = appOrder.tag | datasetOrder.tag | requestOrder.tag;
        if (workerpoolOrder.tag & required != required) revert TagNotSatisfied(required, workerpoolOrder.tag);
        if (appOrder.price > requestOrder.appMaxPrice) {
            revert PriceTooHigh("app", appOrder.price, requestOrder.appMaxPrice);
        }
        if (datasetOrder.price > requestOrder.datasetMaxPrice) {
            revert PriceTooHigh("dataset", datasetOrder.price, requestOrder.datasetMaxPrice);
        }
        if (workerpoolOrder.price > requestOrder.workerpoolMaxPrice) {
            revert PriceTooHigh("workerpool", workerpoolOrder.price, requestOrder.workerpoolMaxPrice);
        }
        if (requestOrder.beneficiary == address(0)) revert BadBeneficiary();
        if (requestOrder.trust != 0) {
            uint256 score = _scoreOf(workerpoolOrder.workerpool);
            if (score < requestOrder.trust) revert TrustNotMet(workerpoolOrder.workerpool, score, requestOrder.trust);
        }
    }

    /// @dev Every restriction of every order; zero means "anyone".
    function _checkRestrictions(
        OrderTypes.AppOrder calldata appOrder,
        OrderTypes.DatasetOrder calldata datasetOrder,
        OrderTypes.WorkerpoolOrder calldata workerpoolOrder,
        OrderTypes.RequestOrder calldata requestOrder,
        Digests memory digests
    ) private pure {
        uint256 requester = uint160(requestOrder.requester);
        _restrict(digests.app, "dataset", appOrder.datasetRestrict, requestOrder.dataset);
        _restrict(digests.app, "workerpool", appOrder.workerpoolRestrict, workerpoolOrder.workerpool);
        _restrict(digests.app, "requester", uint160(appOrder.requesterRestrict), requester);
        if (requestOrder.dataset != 0) {
            _restrict(digests.dataset, "app", datasetOrder.appRestrict, appOrder.app);
            _restrict(digests.dataset, "workerpool", datasetOrder.workerpoolRestrict, workerpoolOrder.workerpool);
            _restrict(digests.dataset, "requester", uint160(datasetOrder.requesterRestrict), requester);
        }
        _restrict(digests.workerpool, "app", workerpoolOrder.appRestrict, appOrder.app);
        _restrict(digests.workerpool, "dataset", workerpoolOrder.datasetRestrict, requestOrder.dataset);
        _restrict(digests.workerpool, "requester", uint160(workerpoolOrder.requesterRestrict), requester);
    }

    function _restrict(bytes32 digest, string memory field, uint256 restriction, uint256 actual) private pure {
        if (restriction != 0 && restriction != actual) revert RestrictionViolated(digest, field, restriction, actual);
    }

    /// @dev Picks the deal volume and records it as consumed on every order.
    function _consumeVolumes(
        OrderTypes.AppOrder calldata appOrder,
        OrderTypes.DatasetOrder calldata datasetOrder,
        OrderTypes.WorkerpoolOrder calldata workerpoolOrder,
        OrderTypes.RequestOrder calldata requestOrder,
        Digests memory digests,
        DealTypes.Deal memory deal
    ) private returns (uint256 volume) {
        uint256 appUsed = _usableOrder(digests.app, appOrder.volume, appOrder.expiry);
        uint256 poolUsed = _usableOrder(digests.workerpool, workerpoolOrder.volume, workerpoolOrder.expiry);
        uint256 requestUsed = _usableOrder(digests.request, requestOrder.volume, requestOrder.expiry);
        volume = _min(_min(appOrder.volume - appUsed, workerpoolOrder.volume - poolUsed), requestOrder.volume - requestUsed);
        uint256 datasetUsed;
        if (requestOrder.dataset != 0) {
            datasetUsed = _usableOrder(digests.dataset, datasetOrder.volume, datasetOrder.expiry);
            volume = _min(volume, datasetOrder.volume - datasetUsed);
            consumed[digests.dataset] = datasetUsed + volume;
        }
        consumed[digests.app] = appUsed + volume;
        consumed[digests.workerpool] = poolUsed + volume;
        consumed[digests.request] = requestUsed + volume;
        deal.requestOffset = requestUsed;
    }

    function _fillDeal(
        DealTypes.Deal memory deal,
        OrderTypes.AppOrder calldata appOrder,
        OrderTypes.DatasetOrder calldata datasetOrder,
        OrderTypes.WorkerpoolOrder calldata workerpoolOrder,
        OrderTypes.RequestOrder calldata requestOrder,
        bytes32 requestDigest,
        uint256 volume
    ) private view {
        deal.app = appOrder.app;
        deal.dataset = requestOrder.dataset;
        deal.workerpool = workerpoolOrder.workerpool;
        deal.appPrice = appOrder.price;
        deal.datasetPrice = datasetOrder.price;
        deal.workerpoolPrice = workerpoolOrder.price;
        deal.requester = requestOrder.requester;
        deal.beneficiary = requestOrder.beneficiary;
        deal.category = requestOrder.category;
        deal.tag = appOrder.tag | datasetOrder.tag | workerpoolOrder.tag | requestOrder.tag;
        if (deal.tag & OrderTypes.TAG_TEE != 0 && requestOrder.resultPublicKey == bytes32(0)) {
            revert ZeroResultKey(requestDigest);
        }
        deal.volume = volume;
        // Rounded up, so that a small price still puts something at stake.
        deal.stakePerTask = Math.ceilDiv(workerpoolOrder.price * stakeRatioBps(), MAX_STAKE_RATIO_BPS);
        deal.startTime = block.timestamp;
        deal.deadline =
            block.timestamp + _maxRunTime(requestOrder.category) * (DEADLINE_SLACK_RUN_TIMES + volume);
        deal.resultPublicKey = requestOrder.resultPublicKey;
        deal.paramsHash = keccak256(bytes(requestOrder.params));
        deal.requestHash = requestDigest;
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
