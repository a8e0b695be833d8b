// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IContinuumErrors} from "../interfaces/IContinuumErrors.sol";
import {IContinuumEvents} from "../interfaces/IContinuumEvents.sol";

/// @title Escrow
/// @notice Holds every account's deposit of the payment token, split into a free balance and an
///         amount locked by live deals (requester payments and workerpool stakes).
/// @dev Invariant: token.balanceOf(this) == sum over accounts of (balance + locked). Balance and
///      locked share one slot so a lock or a payout is a single storage write per account.
abstract contract Escrow is IContinuumErrors, IContinuumEvents {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    struct Account {
        uint128 balance;
        uint128 locked;
    }

    /// @notice The ERC-20 token all prices and stakes are paid in.
    IERC20 public immutable token;

    mapping(address => Account) internal _accounts;

    constructor(IERC20 token_) {
        if (address(token_) == address(0)) revert ZeroAddress();
        token = token_;
    }

    /// @notice Deposits `amount` tokens from the caller into the caller's escrow balance.
    /// @dev The caller must have approved this contract for `amount` on the token.
    /// @param amount Amount in the token's smallest unit.
    function deposit(uint256 amount) external {
        _deposit(msg.sender, amount);
    }

    /// @notice Deposits `amount` tokens from the caller into `account`'s escrow balance.
    /// @param account Account credited.
    /// @param amount Amount in the token's smallest unit.
    function depositFor(address account, uint256 amount) external {
        _deposit(account, amount);
    }

    /// @notice Withdraws `amount` tokens of the caller's free balance to the caller.
    /// @param amount Amount in the token's smallest unit; locked funds cannot be withdrawn.
    function withdraw(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Account storage account = _accounts[msg.sender];
        if (account.balance < amount) revert InsufficientBalance(msg.sender, account.balance, amount);
        account.balance -= uint128(amount);
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice Free (withdrawable) escrow balance of `account`.
    /// @param account The account.
    function balanceOf(address account) external view returns (uint256) {
        return _accounts[account].balance;
    }

    /// @notice Escrow amount of `account` locked by live deals.
    /// @param account The account.
    function lockedOf(address account) external view returns (uint256) {
        return _accounts[account].locked;
    }

    function _deposit(address account, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        if (account == address(0)) revert ZeroAddress();
        _accounts[account].balance += amount.toUint128();
        emit Deposited(msg.sender, account, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Moves `amount` from free balance to locked.
    function _lock(address who, uint256 amount) internal {
        Account storage account = _accounts[who];
        if (account.balance < amount) revert InsufficientBalance(who, account.balance, amount);
        account.balance -= uint128(amount);
        account.locked += uint128(amount);
    }

    /// @dev Takes `unlocked` out of `who`'s locked funds and adds `credited` to its free balance.
    ///      Callers only unlock what a deal locked, so the subtraction cannot underflow.
    function _settle(address who, uint256 unlocked, uint256 credited) internal {
        if (unlocked == 0 && credited == 0) return;
        Account storage account = _accounts[who];
        account.locked -= unlocked.toUint128();
        account.balance += credited.toUint128();
    }
}
