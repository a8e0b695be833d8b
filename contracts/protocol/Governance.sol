// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IContinuumErrors} from "../interfaces/IContinuumErrors.sol";
import {IContinuumEvents} from "../interfaces/IContinuumEvents.sol";

/// @title Governance
/// @notice What the protocol owner manages: compute categories, the workerpool stake ratio and
///         the SMS signer whose verdicts (enclave attested, task failed) the contract accepts.
/// @dev Ownership changes in two steps (transferOwnership, then acceptOwnership). A new stake
///      ratio applies only `STAKE_RATIO_DELAY` after it is set: workerpool orders do not sign the
///      ratio, so the delay is what lets a pool (or a requester relying on the stake) see a change
///      coming and revoke its orders (`AssetRegistry.revokeOrders`) before it applies.
abstract contract Governance is Ownable2Step, IContinuumErrors, IContinuumEvents {
    struct Category {
        string name;
        string description;
        uint256 maxRunTime;
    }

    /// @dev The ratio in force is `next` from `effectiveAt` on, `current` before; one slot.
    struct StakeRatioSchedule {
        uint16 current;
        uint16 next;
        uint64 effectiveAt;
    }

    /// @notice Largest allowed stake ratio: 100% of the workerpool price.
    uint256 public constant MAX_STAKE_RATIO_BPS = 10_000;

    /// @notice Time between setting a stake ratio and its use by new deals.
    uint256 public constant STAKE_RATIO_DELAY = 7 days;

    /// @notice The SMS's signing address: its `EnclaveAttested` signatures make TEE results
    ///         acceptable and its `TaskFailure` signatures settle failed tasks. Zero until set.
    /// @dev While zero, TEE results are accepted on the workerpool's authorization and the
    ///      enclave's signature alone, and `failTask` is unavailable. Once set it can be replaced
    ///      (key rotation) but never cleared.
    address public smsSigner;

    StakeRatioSchedule private _stakeRatio;

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

    /// @notice Sets the stake ratio applied to deals matched `STAKE_RATIO_DELAY` from now on.
    /// @dev Replaces a ratio set earlier that has not applied yet, and restarts the delay.
    /// @param newStakeRatioBps Stake per task in basis points of the workerpool price (at most 10000).
    function setStakeRatio(uint256 newStakeRatioBps) external onlyOwner {
        _scheduleStakeRatio(newStakeRatioBps, block.timestamp + STAKE_RATIO_DELAY);
    }

    /// @notice Registers the SMS's signing address, or rotates it.
    /// @dev Attestations and failure reports signed by the previous key stop being accepted.
    /// @param newSigner The SMS's new signing address (not zero).
    function setSmsSigner(address newSigner) external onlyOwner {
        if (newSigner == address(0)) revert ZeroAddress();
        address previous = smsSigner;
        smsSigner = newSigner;
        emit SmsSignerChanged(previous, newSigner);
    }

    /// @notice Stake a workerpool locks per task of a deal matched now, in basis points of its price.
    function stakeRatioBps() public view returns (uint256) {
        StakeRatioSchedule memory schedule = _stakeRatio;
        return block.timestamp >= schedule.effectiveAt ? schedule.next : schedule.current;
    }

    /// @notice The latest stake ratio set and when it applies (in the past once it does).
    /// @return stakeRatioBps_ Ratio in basis points.
    /// @return effectiveAt Unix time from which matches use it.
    function scheduledStakeRatio() external view returns (uint256 stakeRatioBps_, uint256 effectiveAt) {
        StakeRatioSchedule memory schedule = _stakeRatio;
        return (schedule.next, schedule.effectiveAt);
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

    function _scheduleStakeRatio(uint256 newStakeRatioBps, uint256 effectiveAt) internal {
        if (newStakeRatioBps > MAX_STAKE_RATIO_BPS) revert InvalidStakeRatio(newStakeRatioBps);
        _stakeRatio = StakeRatioSchedule({
            current: uint16(stakeRatioBps()),
            next: uint16(newStakeRatioBps),
            effectiveAt: uint64(effectiveAt)
        });
        emit StakeRatioChanged(newStakeRatioBps, effectiveAt);
    }

    function _maxRunTime(uint256 category) internal view returns (uint256 maxRunTime) {
        maxRunTime = _categories[category].maxRunTime;
        if (maxRunTime == 0) revert UnknownCategory(category);
    }

    function _requireCategory(uint256 category) private view {
        if (_categories[category].maxRunTime == 0) revert UnknownCategory(category);
    }
}
