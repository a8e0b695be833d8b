// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IContinuumErrors} from "../interfaces/IContinuumErrors.sol";
import {IContinuumEvents} from "../interfaces/IContinuumEvents.sol";

/// @title Escrow
/// @notice Holds every account's deposit of the payment token, split into a free balance and an
///         amount locked by live deals (requester payments and workerpool stakes).
/// @dev Invariant: token.balanceOf(this) == sum over accounts of (balance + locked). Balance and
///      locked share one slot so a lock or a payout is a single storage write per account.
///      Supported tokens: plain ERC-20s, and tokens that take a fee out of the amount transferred
///      (a deposit credits what arrived, a withdrawal sends `amount` and the receiver gets what the
///      token leaves of it). Not supported: rebasing tokens, whose balances move without a
///      transfer (the invariant cannot hold), and tokens that charge the sender more than the
///      amount (withdrawals revert with `TokenTransferMismatch`).
abstract contract Escrow is IContinuumErrors, IContinuumEvents, ReentrancyGuard {
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
    /// @dev The caller must have approved this contract for `amount` on the token. The balance is
    ///      credited with what the contract actually received (less than `amount` for a
    ///      fee-on-transfer token), and `Deposited` carries that figure.
    /// @param amount Amount in the token's smallest unit.
    function deposit(uint256 amount) external nonReentrant {
        _deposit(msg.sender, amount);
    }

    /// @notice Deposits `amount` tokens from the caller into `account`'s escrow balance.
    /// @dev Credits what actually arrived, as `deposit` does.
    /// @param account Account credited.
    /// @param amount Amount in the token's smallest unit.
    function depositFor(address account, uint256 amount) external nonReentrant {
        _deposit(account, amount);
    }

    /// @notice Withdraws `amount` tokens of the caller's free balance to the caller.
    /// @dev Reverts with `TokenTransferMismatch` if the contract's token balance does not drop by
    ///      exactly `amount` (a token charging the sender on top of the amount is not supported).
    /// @param amount Amount in the token's smallest unit; locked funds cannot be withdrawn.
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Account storage account = _accounts[msg.sender];
        if (account.balance < amount) revert InsufficientBalance(msg.sender, account.balance, amount);
        account.balance -= uint128(amount);
        emit Withdrawn(msg.sender, amount);
        uint256 before = token.balanceOf(address(this));
        token.safeTransfer(msg.sender, amount);
        uint256 sent = before - token.balanceOf(address(this));
        if (sent != amount) revert TokenTransferMismatch(amount, sent);
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

    /// @dev The transfer comes before the credit because the credit is what the transfer
    ///      delivered; `nonReentrant` on every token-moving entry point keeps a token's callback
    ///      from nesting a second deposit inside the measured window.
    function _deposit(address account, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        if (account == address(0)) revert ZeroAddress();
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received == 0) revert ZeroAmount();
        _accounts[account].balance += received.toUint128();
        emit Deposited(msg.sender, account, received);
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
