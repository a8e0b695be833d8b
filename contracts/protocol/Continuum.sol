// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Escrow} from "./Escrow.sol";
import {OrderBook} from "./OrderBook.sol";
import {Matching} from "./Matching.sol";
import {TaskResults} from "./TaskResults.sol";
import {AppRegistry} from "../registries/AppRegistry.sol";
import {DatasetRegistry} from "../registries/DatasetRegistry.sol";
import {WorkerpoolRegistry} from "../registries/WorkerpoolRegistry.sol";

/// @title Continuum
/// @notice The protocol contract: escrow, categories, orders and matching, deals, task results,
///         claims and reputation. Assets live in three ERC-721 registries.
/// @dev EIP-712 domain: name "Continuum", version "1", this chain id and this contract.
contract Continuum is Matching, TaskResults {
    /// @param token_ Payment token.
    /// @param apps_ App registry.
    /// @param datasets_ Dataset registry.
    /// @param workerpools_ Workerpool registry.
    /// @param owner_ Protocol owner (categories, stake ratio, SMS signer).
    /// @param stakeRatioBps_ Workerpool stake per task in basis points of its price; applies at once.
    /// @param smsSigner_ The SMS's signing address, or zero to register it later with `setSmsSigner`.
    constructor(
        IERC20 token_,
        AppRegistry apps_,
        DatasetRegistry datasets_,
        WorkerpoolRegistry workerpools_,
        address owner_,
        uint256 stakeRatioBps_,
        address smsSigner_
    ) Escrow(token_) OrderBook(apps_, datasets_, workerpools_) EIP712("Continuum", "1") Ownable(owner_) {
        _scheduleStakeRatio(stakeRatioBps_, block.timestamp);
        if (smsSigner_ != address(0)) {
            smsSigner = smsSigner_;
            emit SmsSignerChanged(address(0), smsSigner_);
        }
    }
}
