// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title DealTypes
/// @notice A deal as matched on-chain, the result a worker pushes, the failure a workerpool
///         reports, and the EIP-712 messages that authorize, attest and sign them.
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

    /// @dev `enclave`, `enclaveSignature` and `smsAttestation` are empty for tasks of a non-TEE
    ///      deal. `smsAttestation` is the SMS signer's signature of `EnclaveAttested(taskId, enclave)`.
    struct TaskResult {
        uint256 index;
        address worker;
        address enclave;
        bytes32 resultDigest;
        string resultCid;
        bytes authorization;
        bytes enclaveSignature;
        bytes smsAttestation;
    }

    /// @dev A task that failed before its enclave ran, with the SMS signer's signature of
    ///      `TaskFailure(taskId, cause, attempt)` as evidence. `attempt` is the attempt the SMS
    ///      refused (1 for the first), reported to the requester with the failure.
    struct FailureReport {
        uint256 index;
        uint8 cause;
        uint32 attempt;
        bytes smsSignature;
    }

    /// @dev Failure causes: the party the SMS blames. The requester: a requester secret named by
    ///      the request is missing, or the request's inputs are invalid.
    uint8 internal constant CAUSE_REQUESTER = 1;
    /// @dev The dataset owner: the dataset key is missing or withheld.
    uint8 internal constant CAUSE_DATASET_OWNER = 2;
    /// @dev The app owner: an app secret is missing, or the bundle does not match its checksum.
    uint8 internal constant CAUSE_APP_OWNER = 3;

    /// @dev Signed by the workerpool owner (the scheduler): this worker may run this task with
    ///      this enclave key.
    bytes32 internal constant AUTHORIZATION_TYPEHASH =
        keccak256("Authorization(address worker,bytes32 taskId,address enclave)");

    /// @dev Signed by the enclave key: this worker's enclave produced this result for this task.
    bytes32 internal constant RESULT_TYPEHASH =
        keccak256("Result(address worker,bytes32 taskId,bytes32 resultDigest,string resultCid)");

    /// @dev Signed by the SMS: this enclave key passed attestation (quote, measurement of the
    ///      deal's app, the workerpool owner's authorization) for this task.
    bytes32 internal constant ENCLAVE_ATTESTED_TYPEHASH = keccak256("EnclaveAttested(bytes32 taskId,address enclave)");

    /// @dev Signed by the SMS: this task cannot run, and `cause` is to blame; the SMS refused it at
    ///      attempt `attempt`.
    bytes32 internal constant TASK_FAILURE_TYPEHASH =
        keccak256("TaskFailure(bytes32 taskId,uint8 cause,uint32 attempt)");

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

    function enclaveAttestedHash(bytes32 taskId_, address enclave) internal pure returns (bytes32) {
        return keccak256(abi.encode(ENCLAVE_ATTESTED_TYPEHASH, taskId_, enclave));
    }

    function taskFailureHash(bytes32 taskId_, uint8 cause, uint32 attempt) internal pure returns (bytes32) {
        return keccak256(abi.encode(TASK_FAILURE_TYPEHASH, taskId_, cause, attempt));
    }
}
