// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DealTypes} from "../libraries/DealTypes.sol";

/// @title IContinuumEvents
/// @notice Every state change of the protocol contract emits one of these; an indexer rebuilds
///         escrow, order consumption, deals, tasks, categories and reputation from them alone.
/// @dev Escrow movements of a deal are not logged one by one: they follow from the deal's prices,
///      owners and stake in `DealCreated` and from each `ResultPushed` (payout, stake released),
///      `TaskFailed` (by cause: see `TaskResults.failTask`) or `TaskClaimed` (refund, stake
///      slashed to the requester). This keeps pushes cheap.
interface IContinuumEvents {
    event Deposited(address indexed from, address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    event CategoryCreated(uint256 indexed category, string name, string description, uint256 maxRunTime);
    /// @dev The ratio applies to deals matched from `effectiveAt` on; until then the previous one does.
    event StakeRatioChanged(uint256 stakeRatioBps, uint256 effectiveAt);
    event SmsSignerChanged(address indexed previousSigner, address indexed newSigner);

    /// @dev `kind`: 0 app, 1 dataset, 2 workerpool, 3 request.
    event OrderApproved(uint8 indexed kind, bytes32 indexed orderHash, address indexed signer);
    event OrderCancelled(uint8 indexed kind, bytes32 indexed orderHash, address indexed signer);
    /// @dev The request order's digest is `deal.requestHash`; each of the four orders' consumed
    ///      volume grew by `deal.volume`. `datasetOrderHash` is zero for a deal without dataset.
    event DealCreated(
        bytes32 indexed dealId,
        uint256 indexed workerpool,
        address indexed requester,
        DealTypes.Deal deal,
        bytes32 appOrderHash,
        bytes32 datasetOrderHash,
        bytes32 workerpoolOrderHash,
        string params
    );
    event ResultPushed(
        bytes32 indexed dealId,
        uint256 indexed index,
        bytes32 indexed taskId,
        address worker,
        address enclave,
        bytes32 resultDigest,
        string resultCid
    );
    event TaskClaimed(bytes32 indexed dealId, uint256 indexed index, bytes32 indexed taskId);
    /// @dev `cause` names who the SMS blamed: 1 requester, 2 dataset owner, 3 app owner
    ///      (`DealTypes.CAUSE_*`).
    event TaskFailed(bytes32 indexed dealId, uint256 indexed index, bytes32 indexed taskId, uint8 cause, uint32 attempt);
    event ReputationChanged(uint256 indexed workerpool, uint256 completed, uint256 failed, uint256 score);
}
