// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AssetRegistry} from "./AssetRegistry.sol";

/// @title WorkerpoolRegistry
/// @notice Registers workerpools; the owner runs the scheduler and signs its orders and task
///         authorizations.
contract WorkerpoolRegistry is AssetRegistry {
    /// @notice A workerpool was registered.
    event WorkerpoolRegistered(uint256 indexed workerpool, address indexed owner, string description);
    /// @notice A workerpool's description changed.
    event WorkerpoolDescriptionChanged(uint256 indexed workerpool, string description);

    /// @notice The caller does not own the workerpool.
    error NotWorkerpoolOwner(uint256 workerpool, address caller);

    mapping(uint256 => string) private _descriptions;

    constructor() ERC721("Continuum Workerpool", "CPOOL") {}

    /// @notice Registers a workerpool and mints its token to `owner`.
    /// @param owner Account that will own the workerpool.
    /// @param description What the pool offers (hardware, location, contact).
    /// @return workerpool The new workerpool id.
    function registerWorkerpool(address owner, string calldata description) external returns (uint256 workerpool) {
        _requireText(description, "description");
        workerpool = _mintNext(owner);
        _descriptions[workerpool] = description;
        emit WorkerpoolRegistered(workerpool, owner, description);
    }

    /// @notice Changes the description of a workerpool the caller owns.
    /// @param workerpool Workerpool id.
    /// @param description New description.
    function setDescription(uint256 workerpool, string calldata description) external {
        if (_requireOwned(workerpool) != msg.sender) revert NotWorkerpoolOwner(workerpool, msg.sender);
        _requireText(description, "description");
        _descriptions[workerpool] = description;
        emit WorkerpoolDescriptionChanged(workerpool, description);
    }

    /// @notice The description of a workerpool.
    /// @dev Reverts with `ERC721NonexistentToken` for an unknown id.
    /// @param workerpool Workerpool id.
    function descriptionOf(uint256 workerpool) external view returns (string memory) {
        _requireOwned(workerpool);
        return _descriptions[workerpool];
    }
}
