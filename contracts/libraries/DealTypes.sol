// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title DealTypes
/// @notice A deal as matched on-chain, the result a worker pushes, and the EIP-712 messages that
///         authorize and sign results.
/// @dev Only a commitment to a deal is stored; the full deal is emitted in `DealCreated` and passed
///      back as calldata by pushes and claims, which check it against the commitment.
library DealTypes {
    struct Deal {
        uint256 app;
        uint256 dataset;
        uint256 workerpool;
        address appOwner;
        address datasetOwner;
        address workerpoolOwner;
        uint256 appPrice;
        uint256 datasetPrice;
        uint256 workerpoolPrice;
        address requester;
        address beneficiary;
        uint256 category;
        bytes32 tag;
        uint256 volume;
        uint256 stakePerTask;
        uint256 startTime;
        uint256 deadline;
        bytes32 resultPublicKey;
        bytes32 paramsHash;
        bytes32 requestHash;
        uint256 requestOffset;
    }

    /// @dev `enclave` and `enclaveSignature` are empty for tasks of a non-TEE deal.
    struct TaskResult {
        uint256 index;
        address worker;
        address enclave;
        bytes32 resultDigest;
        string resultCid;
        bytes authorization;
        bytes enclaveSignature;
    }

    /// @dev Signed by the workerpool owner (the scheduler): this worker may run this task with
    ///      this enclave key.
    bytes32 internal constant AUTHORIZATION_TYPEHASH =
        keccak256("Authorization(address worker,bytes32 taskId,address enclave)");

    /// @dev Signed by the enclave key: this worker's enclave produced this result for this task.
    bytes32 internal constant RESULT_TYPEHASH =
        keccak256("Result(address worker,bytes32 taskId,bytes32 resultDigest,string resultCid)");

    function hash(Deal calldata deal) internal pure returns (bytes32) {
        return keccak256(abi.encode(deal));
    }

    /// @dev `requestOffset` is the request's consumed volume before this deal, so deals of one
    ///      request never share an id.
    function dealId(bytes32 requestHash, uint256 requestOffset) internal pure returns (bytes32) {
        return keccak256(abi.encode(requestHash, requestOffset));
    }

    function taskId(bytes32 dealId_, uint256 index) internal pure returns (bytes32) {
        return keccak256(abi.encode(dealId_, index));
    }

    function authorizationHash(address worker, bytes32 taskId_, address enclave) internal pure returns (bytes32) {
        return keccak256(abi.encode(AUTHORIZATION_TYPEHASH, worker, taskId_, enclave));
    }

    function resultHash(address worker, bytes32 taskId_, bytes32 resultDigest, string calldata resultCid)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(RESULT_TYPEHASH, worker, taskId_, resultDigest, keccak256(bytes(resultCid))));
    }
}
