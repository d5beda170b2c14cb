// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IEventAnchor} from "./interfaces/IEventAnchor.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title EventAnchor
/// @author Pedigree
/// @notice Anchors Merkle roots of EPCIS event batches; proofs are checked here by anyone.
contract EventAnchor is IEventAnchor {
    IParticipantRegistry private immutable _registry;
    uint64 private _anchorCount;
    mapping(bytes32 root => Anchor) private _anchors;
    StateCommitment private _latestState;

    /// @notice Binds the anchor to the registry that grants `ANCHORER_ROLE`.
    /// @param registry_ The registry.
    constructor(IParticipantRegistry registry_) {
        _registry = registry_;
    }

    /// @inheritdoc IEventAnchor
    function anchor(bytes32 root, uint32 eventCount) external returns (uint64 sequence) {
        _checkAnchorer();
        sequence = _anchor(root, eventCount);
    }

    /// @inheritdoc IEventAnchor
    function anchorWithState(
        bytes32 root,
        uint32 eventCount,
        bytes32 stateRoot,
        uint64 stateSequence
    ) external returns (uint64 sequence) {
        _checkAnchorer();
        sequence = _anchor(root, eventCount);
        _commitState(stateRoot, stateSequence);
    }

    /// @inheritdoc IEventAnchor
    function commitState(bytes32 stateRoot, uint64 stateSequence) external {
        _checkAnchorer();
        _commitState(stateRoot, stateSequence);
    }

    /// @inheritdoc IEventAnchor
    function latestState() external view returns (StateCommitment memory commitment) {
        return _latestState;
    }

    /// @inheritdoc IEventAnchor
    function anchorOf(bytes32 root) external view returns (Anchor memory record) {
        return _anchors[root];
    }

    /// @inheritdoc IEventAnchor
    function isAnchored(bytes32 root) external view returns (bool anchored) {
        return _anchors[root].blockNumber != 0;
    }

    /// @inheritdoc IEventAnchor
    function anchorCount() external view returns (uint64 count) {
        return _anchorCount;
    }

    /// @inheritdoc IEventAnchor
    function verifyEvent(
        bytes32 root,
        bytes32[] calldata proof,
        bytes32 eventDigest
    ) external view returns (bool valid) {
        return _anchors[root].blockNumber != 0 && MerkleProof.verifyCalldata(proof, root, _leaf(eventDigest));
    }

    /// @inheritdoc IEventAnchor
    function verifyEvents(
        bytes32 root,
        bytes32[] calldata proof,
        bool[] calldata proofFlags,
        bytes32[] calldata eventDigests
    ) external view returns (bool valid) {
        uint256 count = eventDigests.length;
        if (count == 0 || _anchors[root].blockNumber == 0) return false;
        bytes32[] memory leaves = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            leaves[i] = _leaf(eventDigests[i]);
        }
        return MerkleProof.multiProofVerifyCalldata(proof, proofFlags, root, leaves);
    }

    /// @inheritdoc IEventAnchor
    function registry() external view returns (IParticipantRegistry registry_) {
        return _registry;
    }

    /// @dev Records a state root; only a higher sequence becomes the latest (a late resend never undoes it).
    function _commitState(bytes32 stateRoot, uint64 stateSequence) private {
        if (stateRoot == bytes32(0)) revert EventAnchorZeroStateRoot();
        if (stateSequence > _latestState.sequence) {
            _latestState = StateCommitment(stateRoot, stateSequence, uint64(block.number));
            emit StateCommitted(stateRoot, stateSequence);
        }
    }

    /// @dev Records a batch root once.
    function _anchor(bytes32 root, uint32 eventCount) private returns (uint64 sequence) {
        if (root == bytes32(0)) revert EventAnchorZeroRoot();
        if (eventCount == 0) revert EventAnchorZeroEventCount();
        if (_anchors[root].blockNumber != 0) revert EventAnchorRootAlreadyAnchored(root);
        sequence = ++_anchorCount;
        _anchors[root] = Anchor(uint64(block.number), uint64(block.timestamp), sequence, eventCount);
        emit RootAnchored(root, sequence, eventCount, msg.sender);
    }

    /// @dev Only `ANCHORER_ROLE` holders anchor or commit state.
    function _checkAnchorer() private view {
        if (!_registry.hasRole(Roles.ANCHORER, msg.sender))
            revert EventAnchorUnauthorizedAnchorer(msg.sender);
    }

    /// @dev The `StandardMerkleTree` leaf of a `bytes32` value.
    function _leaf(bytes32 eventDigest) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(eventDigest))));
    }
}
