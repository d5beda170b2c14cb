// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {IParticipantRegistry} from "./IParticipantRegistry.sol";

/// @title IEventAnchor
/// @author Pedigree
/// @notice Anchors Merkle roots of batches of EPCIS event digests (CBV 2.0 Event Hash IDs, as 32-byte SHA-256
/// digests) and lets anyone check an event against an anchored root.
/// @dev Trees are OpenZeppelin `StandardMerkleTree`s over `["bytes32"]`: the leaf of a digest `d` is
/// `keccak256(bytes.concat(keccak256(abi.encode(d))))` and pairs are hashed sorted.
interface IEventAnchor {
    /// @notice The anchoring record of a root, packed in one storage slot.
    /// @param blockNumber The block that anchored the root (zero if never anchored).
    /// @param timestamp That block's timestamp.
    /// @param sequence The batch sequence number, from 1.
    /// @param eventCount The number of events in the batch.
    struct Anchor {
        uint64 blockNumber;
        uint64 timestamp;
        uint64 sequence;
        uint32 eventCount;
    }

    /// @notice The latest committed root of the pack-state map (a Merkle-Patricia trie; see the README's
    /// proof format), packed with its sequence and block.
    /// @param root The state root.
    /// @param sequence The off-chain batch sequence that produced it (strictly increasing).
    /// @param blockNumber The block that committed it.
    struct StateCommitment {
        bytes32 root;
        uint64 sequence;
        uint64 blockNumber;
    }

    // The event's shape is part of the off-chain contract: only root and sequence are indexed.
    // solhint-disable gas-indexed-events
    /// @notice Emitted when a batch root is anchored.
    /// @param root The Merkle root.
    /// @param sequence The batch sequence number.
    /// @param eventCount The number of events in the batch.
    /// @param anchoredBy The anchoring account.
    event RootAnchored(bytes32 indexed root, uint64 indexed sequence, uint32 eventCount, address anchoredBy);

    /// @notice Emitted when a state root becomes the latest (the logs are the history of committed roots;
    /// storage keeps only the latest, the one root a verifier may trust).
    /// @param stateRoot The root of the pack-state map.
    /// @param sequence Its off-chain batch sequence.
    event StateCommitted(bytes32 indexed stateRoot, uint64 indexed sequence);
    // solhint-enable gas-indexed-events

    /// @notice The caller does not hold `ANCHORER_ROLE` on the registry.
    /// @param account The caller.
    error EventAnchorUnauthorizedAnchorer(address account);

    /// @notice The root is zero.
    error EventAnchorZeroRoot();

    /// @notice The event count is zero.
    error EventAnchorZeroEventCount();

    /// @notice The state root is zero.
    error EventAnchorZeroStateRoot();

    /// @notice The root is already anchored.
    /// @param root The root.
    error EventAnchorRootAlreadyAnchored(bytes32 root);

    /// @notice Anchors the Merkle root of a batch of event digests. Only for `ANCHORER_ROLE` holders on the
    /// registry.
    /// @param root The Merkle root (non-zero, not anchored yet).
    /// @param eventCount The number of events in the batch (non-zero).
    /// @return sequence The batch sequence number.
    function anchor(bytes32 root, uint32 eventCount) external returns (uint64 sequence);

    /// @notice Anchors a batch root and commits the pack-state root that includes the batch's effects. A
    /// state sequence not above the latest one (a resent older batch landing late) anchors the events and
    /// leaves the latest state as it is, so the latest state never goes back.
    /// @param root The Merkle root of the batch's event digests.
    /// @param eventCount The number of events in the batch (non-zero).
    /// @param stateRoot The root of the pack-state map after the batch (non-zero).
    /// @param stateSequence The batch's off-chain sequence.
    /// @return sequence The batch sequence number.
    function anchorWithState(
        bytes32 root,
        uint32 eventCount,
        bytes32 stateRoot,
        uint64 stateSequence
    ) external returns (uint64 sequence);

    /// @notice Commits a pack-state root with no new events (an alert resolved, for instance).
    /// @param stateRoot The root of the pack-state map (non-zero).
    /// @param stateSequence Its off-chain sequence; ignored unless above the latest one.
    function commitState(bytes32 stateRoot, uint64 stateSequence) external;

    /// @notice The latest committed state root; verifiers prove pack state against this and nothing older.
    /// @return commitment The root, its sequence and block (all zero before the first commit).
    function latestState() external view returns (StateCommitment memory commitment);

    /// @notice The anchoring record of a root (all zero if never anchored).
    /// @param root The root.
    /// @return record The record.
    function anchorOf(bytes32 root) external view returns (Anchor memory record);

    /// @notice Whether a root is anchored.
    /// @param root The root.
    /// @return anchored True if anchored.
    function isAnchored(bytes32 root) external view returns (bool anchored);

    /// @notice The number of anchored batches, which is also the last sequence number.
    /// @return count The count.
    function anchorCount() external view returns (uint64 count);

    /// @notice Checks that an event digest belongs to an anchored batch.
    /// @param root The batch root.
    /// @param proof The `StandardMerkleTree` proof of the digest.
    /// @param eventDigest The event's 32-byte SHA-256 digest.
    /// @return valid False if the root is not anchored or the proof does not hold.
    function verifyEvent(
        bytes32 root,
        bytes32[] calldata proof,
        bytes32 eventDigest
    ) external view returns (bool valid);

    /// @notice Checks that several event digests belong to an anchored batch, with a `StandardMerkleTree`
    /// multiproof. Reverts with `MerkleProofInvalidMultiproof` on a malformed multiproof.
    /// @param root The batch root.
    /// @param proof The multiproof's `proof`.
    /// @param proofFlags The multiproof's `proofFlags`.
    /// @param eventDigests The digests, in the order of the multiproof's `leaves`.
    /// @return valid False if the root is not anchored, no digest is given, or the proof does not hold.
    function verifyEvents(
        bytes32 root,
        bytes32[] calldata proof,
        bool[] calldata proofFlags,
        bytes32[] calldata eventDigests
    ) external view returns (bool valid);

    /// @notice The participant registry holding `ANCHORER_ROLE`.
    /// @return registry_ The registry.
    function registry() external view returns (IParticipantRegistry registry_);
}
