// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title OrderTypes
/// @notice The four EIP-712 order types of the marketplace and their struct hashes.
/// @dev The TypeScript type definitions in `src/wire/eip712/types.ts` mirror these strings
///      exactly; a test compares hashes computed on both sides. Asset fields are registry token
///      ids; restriction fields are token ids or addresses, zero meaning "anyone". `assetEpoch`
///      is the asset's epoch in its registry when the order was signed (`AssetRegistry.epochOf`):
///      an order matches only in that epoch, so orders die when the asset changes hands (and stay
///      dead if it comes back) or when its owner revokes them all at once.
library OrderTypes {
    /// @dev Bit 0 of a tag: the task must run in an attested enclave (TEE).
    bytes32 internal constant TAG_TEE = bytes32(uint256(1));

    struct AppOrder {
        uint256 app;
        uint256 price;
        uint256 volume;
        bytes32 tag;
        uint256 datasetRestrict;
        uint256 workerpoolRestrict;
        address requesterRestrict;
        uint256 assetEpoch;
        bytes32 salt;
        uint256 expiry;
    }

    struct DatasetOrder {
        uint256 dataset;
        uint256 price;
        uint256 volume;
        bytes32 tag;
        uint256 appRestrict;
        uint256 workerpoolRestrict;
        address requesterRestrict;
        uint256 assetEpoch;
        bytes32 salt;
        uint256 expiry;
    }

    struct WorkerpoolOrder {
        uint256 workerpool;
        uint256 price;
        uint256 volume;
        bytes32 tag;
        uint256 category;
        uint256 appRestrict;
        uint256 datasetRestrict;
        address requesterRestrict;
        uint256 assetEpoch;
        bytes32 salt;
        uint256 expiry;
    }

    /// @dev `dataset` zero: a request without dataset. `workerpool` is a restriction (zero: any).
    ///      `trust` is the minimum workerpool reputation score, in basis points.
    ///      `resultPublicKey` is the beneficiary's X25519 key: results are encrypted to it.
    struct RequestOrder {
        uint256 app;
        uint256 appMaxPrice;
        uint256 dataset;
        uint256 datasetMaxPrice;
        uint256 workerpool;
        uint256 workerpoolMaxPrice;
        address requester;
        uint256 volume;
        bytes32 tag;
        uint256 category;
        uint256 trust;
        address beneficiary;
        bytes32 resultPublicKey;
        string params;
        bytes32 salt;
        uint256 expiry;
    }

    bytes32 internal constant APP_ORDER_TYPEHASH = keccak256(
        "AppOrder(uint256 app,uint256 price,uint256 volume,bytes32 tag,uint256 datasetRestrict,uint256 workerpoolRestrict,address requesterRestrict,uint256 assetEpoch,bytes32 salt,uint256 expiry)"
    );
    bytes32 internal constant DATASET_ORDER_TYPEHASH = keccak256(
        "DatasetOrder(uint256 dataset,uint256 price,uint256 volume,bytes32 tag,uint256 appRestrict,uint256 workerpoolRestrict,address requesterRestrict,uint256 assetEpoch,bytes32 salt,uint256 expiry)"
    );
    bytes32 internal constant WORKERPOOL_ORDER_TYPEHASH = keccak256(
        "WorkerpoolOrder(uint256 workerpool,uint256 price,uint256 volume,bytes32 tag,uint256 category,uint256 appRestrict,uint256 datasetRestrict,address requesterRestrict,uint256 assetEpoch,bytes32 salt,uint256 expiry)"
    );
    bytes32 internal constant REQUEST_ORDER_TYPEHASH = keccak256(
        "RequestOrder(uint256 app,uint256 appMaxPrice,uint256 dataset,uint256 datasetMaxPrice,uint256 workerpool,uint256 workerpoolMaxPrice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,bytes32 resultPublicKey,string params,bytes32 salt,uint256 expiry)"
    );

    function hash(AppOrder calldata order) internal pure returns (bytes32) {
        return keccak256(abi.encode(APP_ORDER_TYPEHASH, order));
    }

    function hash(DatasetOrder calldata order) internal pure returns (bytes32) {
        return keccak256(abi.encode(DATASET_ORDER_TYPEHASH, order));
    }

    function hash(WorkerpoolOrder calldata order) internal pure returns (bytes32) {
        return keccak256(abi.encode(WORKERPOOL_ORDER_TYPEHASH, order));
    }

    function hash(RequestOrder calldata order) internal pure returns (bytes32) {
        // Dynamic `params` is hashed per EIP-712; abi.encode of the fixed fields keeps it cheap.
        return keccak256(
            bytes.concat(
                abi.encode(
                    REQUEST_ORDER_TYPEHASH,
                    order.app,
                    order.appMaxPrice,
                    order.dataset,
                    order.datasetMaxPrice,
                    order.workerpool,
                    order.workerpoolMaxPrice,
                    order.requester,
                    order.volume
                ),
                abi.encode(
                    order.tag,
                    order.category,
                    order.trust,
                    order.beneficiary,
                    order.resultPublicKey,
                    keccak256(bytes(order.params)),
                    order.salt,
                    order.expiry
                )
            )
        );
    }
}
