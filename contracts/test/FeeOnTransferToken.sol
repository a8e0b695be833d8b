// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice Test-only ERC-20 with the misbehaviours the escrow must survive: it burns a fee on every
///         transfer (out of the amount, or on top of it from the sender), and it can call back
///         into a contract in the middle of a transfer, as a token with transfer hooks would.
/// @dev Never deployed outside tests: anyone may mint and change its behaviour.
contract FeeOnTransferToken is ERC20 {
    /// @notice Fee per transfer in basis points of the amount.
    uint256 public immutable feeBps;
    /// @notice Whether the fee is charged to the sender on top of the amount instead of out of it.
    bool public feeOnTop;
    /// @notice Contract called with `callbackData` during the next transfer, then forgotten.
    address public callbackTarget;
    bytes private _callbackData;

    /// @param feeBps_ Fee per transfer in basis points of the amount.
    constructor(uint256 feeBps_) ERC20("Fee On Transfer", "FOT") {
        feeBps = feeBps_;
    }

    /// @notice Mints `amount` to `to`, free of fee.
    /// @param to Receiver.
    /// @param amount Amount minted.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Switches between taking the fee out of the amount and charging it on top.
    /// @param onTop True to charge the sender amount + fee and deliver the whole amount.
    function setFeeOnTop(bool onTop) external {
        feeOnTop = onTop;
    }

    /// @notice Makes the next transfer call `target` with `data` (bubbling up its revert).
    /// @param target Contract to call back.
    /// @param data Calldata of the callback.
    function setCallback(address target, bytes calldata data) external {
        callbackTarget = target;
        _callbackData = data;
    }

    function _update(address from, address to, uint256 amount) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, amount);
        uint256 fee = amount * feeBps / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, feeOnTop ? amount : amount - fee);
        address target = callbackTarget;
        if (target != address(0)) {
            callbackTarget = address(0);
            (bool ok, bytes memory reason) = target.call(_callbackData);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(reason, 32), mload(reason))
                }
            }
        }
    }
}
