// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IContinuumEvents} from "../interfaces/IContinuumEvents.sol";

/// @title Reputation
/// @notice Completed and failed task counts per workerpool and a score derived from them.
/// @dev score = (completed + 1) * 10000 / (completed + failed + 2): a smoothed success rate in
///      basis points, 5000 for a new pool, rising with completions and falling with claims.
abstract contract Reputation is IContinuumEvents {
    struct Record {
        uint64 completed;
        uint64 failed;
    }

    mapping(uint256 => Record) private _records;

    /// @notice A workerpool's reputation in one call.
    /// @param workerpool Workerpool id.
    /// @return completed Tasks whose result was accepted.
    /// @return failed Tasks claimed after their deadline.
    /// @return score Smoothed success rate in basis points.
    function reputationOf(uint256 workerpool) external view returns (uint256 completed, uint256 failed, uint256 score) {
        Record memory record = _records[workerpool];
        return (record.completed, record.failed, _score(record));
    }

    function _scoreOf(uint256 workerpool) internal view returns (uint256) {
        return _score(_records[workerpool]);
    }

    function _recordOutcome(uint256 workerpool, uint256 completed, uint256 failed) internal {
        Record memory record = _records[workerpool];
        record.completed += uint64(completed);
        record.failed += uint64(failed);
        _records[workerpool] = record;
        emit ReputationChanged(workerpool, record.completed, record.failed, _score(record));
    }

    function _score(Record memory record) private pure returns (uint256) {
        return (uint256(record.completed) + 1) * 10_000 / (uint256(record.completed) + record.failed + 2);
    }
}
