// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AssetRegistry} from "./AssetRegistry.sol";

/// @title AppRegistry
/// @notice Registers apps: an IPFS bundle, its sha256 checksum and its enclave measurement.
contract AppRegistry is AssetRegistry {
    struct App {
        string name;
        string bundleCid;
        bytes32 checksum;
        bytes32 measurement;
    }

    /// @notice An app was registered.
    event AppRegistered(
        uint256 indexed app, address indexed owner, string name, string bundleCid, bytes32 checksum, bytes32 measurement
    );

    /// @notice An app's checksum or measurement was zero.
    error EmptyDigest(string field);

    mapping(uint256 => App) private _apps;

    constructor() ERC721("Continuum App", "CAPP") {}

    /// @notice Registers an app and mints its token to `owner`.
    /// @param owner Account that will own the app and sign its orders.
    /// @param name Human-readable name.
    /// @param bundleCid IPFS CID of the app bundle.
    /// @param checksum sha256 of the bundle archive bytes.
    /// @param measurement Enclave measurement (sha256 of the bundle's canonical bytes) that
    ///        attested enclaves must report to receive secrets for this app.
    /// @return app The new app id.
    function registerApp(
        address owner,
        string calldata name,
        string calldata bundleCid,
        bytes32 checksum,
        bytes32 measurement
    ) external returns (uint256 app) {
        _requireText(name, "name");
        _requireText(bundleCid, "bundleCid");
        if (checksum == bytes32(0)) revert EmptyDigest("checksum");
        if (measurement == bytes32(0)) revert EmptyDigest("measurement");
        app = _mintNext(owner);
        _apps[app] = App(name, bundleCid, checksum, measurement);
        emit AppRegistered(app, owner, name, bundleCid, checksum, measurement);
    }

    /// @notice The registered record of an app.
    /// @dev Reverts with `ERC721NonexistentToken` for an unknown id.
    /// @param app App id.
    function appOf(uint256 app) external view returns (App memory) {
        _requireOwned(app);
        return _apps[app];
    }
}
