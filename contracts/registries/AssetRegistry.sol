// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title AssetRegistry
/// @notice Common base of the app, dataset and workerpool registries: each asset is an ERC-721
///         token with a sequential id starting at 1; its owner signs orders for it.
abstract contract AssetRegistry is ERC721 {
    /// @notice A required text field of an asset was empty.
    error EmptyField(string field);
    /// @notice A registration named the zero address as owner.
    error InvalidOwner();

    uint256 private _lastId;

    /// @notice Number of assets registered so far (ids are 1..count).
    function count() external view returns (uint256) {
        return _lastId;
    }

    /// @notice Whether an asset with this id exists.
    /// @param id Token id.
    function exists(uint256 id) external view returns (bool) {
        return _ownerOf(id) != address(0);
    }

    function _mintNext(address owner) internal returns (uint256 id) {
        if (owner == address(0)) revert InvalidOwner();
        id = ++_lastId;
        _mint(owner, id);
    }

    function _requireText(string calldata value, string memory field) internal pure {
        if (bytes(value).length == 0) revert EmptyField(field);
    }
}
