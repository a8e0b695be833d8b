// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AssetRegistry} from "./AssetRegistry.sol";

/// @title DatasetRegistry
/// @notice Registers datasets: the IPFS CID of the encrypted dataset and the sha256 checksum of
///         that ciphertext. The decryption key lives only in the SMS.
contract DatasetRegistry is AssetRegistry {
    struct Dataset {
        string name;
        string cid;
        bytes32 checksum;
    }

    /// @notice A dataset was registered.
    event DatasetRegistered(uint256 indexed dataset, address indexed owner, string name, string cid, bytes32 checksum);

    /// @notice The dataset checksum was zero.
    error EmptyChecksum();

    mapping(uint256 => Dataset) private _datasets;

    constructor() ERC721("Continuum Dataset", "CDATA") {}

    /// @notice Registers a dataset and mints its token to `owner`.
    /// @param owner Account that will own the dataset and sign its orders.
    /// @param name Human-readable name.
    /// @param cid IPFS CID of the encrypted dataset.
    /// @param checksum sha256 of the encrypted dataset bytes.
    /// @return dataset The new dataset id.
    function registerDataset(address owner, string calldata name, string calldata cid, bytes32 checksum)
        external
        returns (uint256 dataset)
    {
        _requireText(name, "name");
        _requireText(cid, "cid");
        if (checksum == bytes32(0)) revert EmptyChecksum();
        dataset = _mintNext(owner);
        _datasets[dataset] = Dataset(name, cid, checksum);
        emit DatasetRegistered(dataset, owner, name, cid, checksum);
    }

    /// @notice The registered record of a dataset.
    /// @dev Reverts with `ERC721NonexistentToken` for an unknown id.
    /// @param dataset Dataset id.
    function datasetOf(uint256 dataset) external view returns (Dataset memory) {
        _requireOwned(dataset);
        return _datasets[dataset];
    }
}
