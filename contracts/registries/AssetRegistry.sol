// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title AssetRegistry
/// @notice Common base of the app, dataset and workerpool registries: each asset is an ERC-721
///         token with a sequential id starting at 1; its owner signs orders for it.
/// @dev Each asset has an epoch, starting at 0, that orders for it sign (`assetEpoch`): it grows
///      when the asset changes hands and when its owner revokes its orders, so an order signed
///      before a transfer stays dead when the asset comes back to the same owner.
abstract contract AssetRegistry is ERC721 {
    /// @notice An asset's epoch changed: every order signed in an earlier epoch is dead.
    event EpochChanged(uint256 indexed id, uint256 epoch);

    /// @notice A required text field of an asset was empty.
    error EmptyField(string field);
    /// @notice A registration named the zero address as owner.
    error InvalidOwner();
    /// @notice The caller does not own the asset.
    error NotAssetOwner(uint256 id, address caller);

    uint256 private _lastId;
    mapping(uint256 => uint256) private _epochs;

    /// @notice Number of assets registered so far (ids are 1..count).
    function count() external view returns (uint256) {
        return _lastId;
    }

    /// @notice Whether an asset with this id exists.
    /// @param id Token id.
    function exists(uint256 id) external view returns (bool) {
        return _ownerOf(id) != address(0);
    }

    /// @notice The epoch orders for this asset must sign to be matched now.
    /// @dev Reverts with `ERC721NonexistentToken` for an unknown id.
    /// @param id Token id.
    function epochOf(uint256 id) external view returns (uint256) {
        _requireOwned(id);
        return _epochs[id];
    }

    /// @notice The asset's owner and epoch in one call, as matching reads them.
    /// @dev Reverts with `ERC721NonexistentToken` for an unknown id.
    /// @param id Token id.
    /// @return owner Account that signs the asset's orders.
    /// @return epoch Epoch those orders must sign.
    function ownerAndEpochOf(uint256 id) external view returns (address owner, uint256 epoch) {
        return (_requireOwned(id), _epochs[id]);
    }

    /// @notice Kills every order signed so far for an asset the caller owns, in one transaction.
    /// @dev Bumps the asset's epoch; orders signed afterwards must carry the new epoch.
    /// @param id Token id.
    function revokeOrders(uint256 id) external {
        if (_requireOwned(id) != msg.sender) revert NotAssetOwner(id, msg.sender);
        _bumpEpoch(id);
    }

    function _mintNext(address owner) internal returns (uint256 id) {
        if (owner == address(0)) revert InvalidOwner();
        id = ++_lastId;
        _mint(owner, id);
    }

    function _requireText(string calldata value, string memory field) internal pure {
        if (bytes(value).length == 0) revert EmptyField(field);
    }

    /// @dev Every move of an existing token (not its mint) starts a new epoch.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0)) _bumpEpoch(tokenId);
    }

    function _bumpEpoch(uint256 id) private {
        uint256 epoch = ++_epochs[id];
        emit EpochChanged(id, epoch);
    }
}
