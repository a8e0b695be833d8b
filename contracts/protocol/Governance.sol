// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IContinuumErrors} from "../interfaces/IContinuumErrors.sol";
import {IContinuumEvents} from "../interfaces/IContinuumEvents.sol";

/// @title Governance
/// @notice What the protocol owner manages: compute categories and the workerpool stake ratio.
/// @dev Ownership changes in two steps (transferOwnership, then acceptOwnership).
abstract contract Governance is Ownable2Step, IContinuumErrors, IContinuumEvents {
    struct Category {
        string name;
        string description;
        uint256 maxRunTime;
    }

    /// @notice Largest allowed stake ratio: 100% of the workerpool price.
    uint256 public constant MAX_STAKE_RATIO_BPS = 10_000;

    /// @notice Stake a workerpool locks per task, in basis points of its price.
    uint256 public stakeRatioBps;

    uint256 private _categoryCount;
    mapping(uint256 => Category) private _categories;

    /// @notice Creates a category of compute.
    /// @param name Short name, e.g. "S".
    /// @param description Resources offered, e.g. "2 vCPU, 4 GiB RAM, no GPU".
    /// @param maxRunTime Longest run of one task, in seconds; deal deadlines derive from it.
    /// @return category The new category id (ids start at 1).
    function createCategory(string calldata name, string calldata description, uint256 maxRunTime)
        external
        onlyOwner
        returns (uint256 category)
    {
        if (bytes(name).length == 0) revert InvalidCategory("empty name");
        if (maxRunTime == 0) revert InvalidCategory("zero maxRunTime");
        category = ++_categoryCount;
        _categories[category] = Category(name, description, maxRunTime);
        emit CategoryCreated(category, name, description, maxRunTime);
    }

    /// @notice Sets the stake ratio applied to deals matched from now on.
    /// @param newStakeRatioBps Stake per task in basis points of the workerpool price (at most 10000).
    function setStakeRatio(uint256 newStakeRatioBps) external onlyOwner {
        _setStakeRatio(newStakeRatioBps);
    }

    /// @notice A category's record.
    /// @param category Category id.
    function categoryOf(uint256 category) external view returns (Category memory) {
        _requireCategory(category);
        return _categories[category];
    }

    /// @notice Number of categories created (ids are 1..count).
    function categoryCount() external view returns (uint256) {
        return _categoryCount;
    }

    function _setStakeRatio(uint256 newStakeRatioBps) internal {
        if (newStakeRatioBps > MAX_STAKE_RATIO_BPS) revert InvalidStakeRatio(newStakeRatioBps);
        stakeRatioBps = newStakeRatioBps;
        emit StakeRatioChanged(newStakeRatioBps);
    }

    function _maxRunTime(uint256 category) internal view returns (uint256 maxRunTime) {
        maxRunTime = _categories[category].maxRunTime;
        if (maxRunTime == 0) revert UnknownCategory(category);
    }

    function _requireCategory(uint256 category) private view {
        if (_categories[category].maxRunTime == 0) revert UnknownCategory(category);
    }
}
