// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title DevnetToken
/// @notice The ERC-20 payment token deployed on local devnets; its owner mints test balances.
/// @dev Production deployments pass an existing token to the protocol instead.
contract DevnetToken is ERC20, Ownable {
    /// @param initialOwner The account allowed to mint.
    constructor(address initialOwner) ERC20("Continuum Devnet Token", "CTD") Ownable(initialOwner) {}

    /// @notice Mints `amount` tokens to `to`.
    /// @param to Receiver of the new tokens.
    /// @param amount Amount in the token's smallest unit.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
