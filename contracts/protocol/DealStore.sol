// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IContinuumErrors} from "../interfaces/IContinuumErrors.sol";
import {DealTypes} from "../libraries/DealTypes.sol";

/// @title DealStore
/// @notice Storage of deals and of which of their tasks are finalized (completed or claimed).
/// @dev One slot per deal: the high 192 bits hold the high 192 bits of keccak256(abi.encode(deal))
///      and the low 64 bits are the finalized flags of tasks 0..63, so a small deal's first push
///      rewrites a warm, non-zero slot instead of creating a new one. Tasks from 64 on use one
///      bitmap word per 256 tasks. A 192-bit commitment leaves no practical room for a second
///      pre-image.
abstract contract DealStore is IContinuumErrors {
    uint256 private constant INLINE_TASKS = 64;
    uint256 private constant COMMITMENT_MASK = ~uint256(type(uint64).max);

    mapping(bytes32 => uint256) private _dealSlots;
    mapping(bytes32 => mapping(uint256 => uint256)) private _taskWords;

    /// @notice Whether `deal` is exactly the deal recorded under its id.
    /// @param deal The deal as emitted in `DealCreated`.
    function isDeal(DealTypes.Deal calldata deal) external view returns (bool) {
        bytes32 id = DealTypes.dealId(deal.requestHash, deal.requestOffset);
        return _commitmentMatches(_dealSlots[id], keccak256(abi.encode(deal)));
    }

    /// @notice Whether a task is finalized: its result was accepted or it was claimed.
    /// @param dealId Deal id.
    /// @param index Task index within the deal.
    function isTaskFinalized(bytes32 dealId, uint256 index) public view returns (bool) {
        if (index < INLINE_TASKS) return _dealSlots[dealId] & (1 << index) != 0;
        uint256 offset = index - INLINE_TASKS;
        return _taskWords[dealId][offset >> 8] & (1 << (offset & 255)) != 0;
    }

    /// @notice Id of task `index` of deal `dealId`: what authorizations and results sign.
    /// @param dealId Deal id.
    /// @param index Task index within the deal.
    function taskIdOf(bytes32 dealId, uint256 index) external pure returns (bytes32) {
        return DealTypes.taskId(dealId, index);
    }

    function _storeDeal(bytes32 dealId, bytes32 commitment) internal {
        _dealSlots[dealId] = uint256(commitment) & COMMITMENT_MASK;
    }

    /// @dev Checks `deal` against its commitment and returns its id and slot.
    function _loadDeal(DealTypes.Deal calldata deal) internal view returns (bytes32 dealId, uint256 slot) {
        dealId = DealTypes.dealId(deal.requestHash, deal.requestOffset);
        slot = _dealSlots[dealId];
        if (!_commitmentMatches(slot, keccak256(abi.encode(deal)))) revert UnknownDeal(dealId);
    }

    /// @dev Marks a task finalized. Inline flags are returned in `slot` for the caller to write
    ///      once with `_saveSlot`; flags of later tasks are written here.
    function _finalizeTask(bytes32 dealId, uint256 volume, uint256 slot, uint256 index) internal returns (uint256) {
        if (index >= volume) revert TaskIndexOutOfRange(dealId, index, volume);
        if (index < INLINE_TASKS) {
            uint256 bit = 1 << index;
            if (slot & bit != 0) revert TaskAlreadyFinalized(dealId, index);
            return slot | bit;
        }
        uint256 offset = index - INLINE_TASKS;
        uint256 flag = 1 << (offset & 255);
        uint256 word = _taskWords[dealId][offset >> 8];
        if (word & flag != 0) revert TaskAlreadyFinalized(dealId, index);
        _taskWords[dealId][offset >> 8] = word | flag;
        return slot;
    }

    function _saveSlot(bytes32 dealId, uint256 before, uint256 slot) internal {
        if (slot != before) _dealSlots[dealId] = slot;
    }

    function _commitmentMatches(uint256 slot, bytes32 commitment) private pure returns (bool) {
        return slot & COMMITMENT_MASK == uint256(commitment) & COMMITMENT_MASK && slot != 0;
    }
}
