// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @title IParticipantRegistry
/// @author Pedigree
/// @notice Consortium membership: which account belongs to which organisation, in which supply-chain role,
/// which hashed GS1 identifiers (company prefixes, GLNs) it owns, and whether it is active.
/// @dev Participant roles are record attributes (one per participant), not AccessControl grants: query them
/// with `hasActiveRole`. AccessControl governs the registry itself (`DEFAULT_ADMIN_ROLE`) and anchoring
/// (`ANCHORER_ROLE`).
interface IParticipantRegistry is IAccessControl {
    /// @notice One registration in a batch.
    /// @param account The organisation's account.
    /// @param role One of the participant roles (manufacturer, distributor, dispenser, regulator).
    /// @param orgId The organisation's off-chain id.
    /// @param identifierHashes Hashed GS1 identifiers to bind, e.g. keccak256("gln:0614141000005").
    struct Registration {
        address account;
        bytes32 role;
        bytes32 orgId;
        bytes32[] identifierHashes;
    }

    /// @notice Emitted when a participant is registered (active).
    /// @param account The participant's account.
    /// @param role Its participant role.
    /// @param orgId Its off-chain organisation id.
    event ParticipantRegistered(address indexed account, bytes32 indexed role, bytes32 indexed orgId);

    /// @notice Emitted when a participant is deactivated.
    /// @param account The participant's account.
    event ParticipantDeactivated(address indexed account);

    /// @notice Emitted when a participant is reactivated.
    /// @param account The participant's account.
    event ParticipantReactivated(address indexed account);

    /// @notice Emitted when an identifier hash is bound to a participant.
    /// @param identifierHash The identifier hash.
    /// @param account The participant's account.
    event IdentifierBound(bytes32 indexed identifierHash, address indexed account);

    /// @notice Emitted when an identifier hash is released by its participant.
    /// @param identifierHash The identifier hash.
    /// @param account The participant that owned it.
    event IdentifierUnbound(bytes32 indexed identifierHash, address indexed account);

    /// @notice The account is the zero address.
    error ParticipantRegistryZeroAddress();

    /// @notice The role is not a participant role.
    /// @param role The rejected role.
    error ParticipantRegistryInvalidRole(bytes32 role);

    /// @notice The organisation id is zero.
    error ParticipantRegistryInvalidOrgId();

    /// @notice The account is already registered.
    /// @param account The account.
    error ParticipantRegistryAlreadyRegistered(address account);

    /// @notice The account is not registered.
    /// @param account The account.
    error ParticipantRegistryNotRegistered(address account);

    /// @notice The participant already has the requested status.
    /// @param account The participant.
    /// @param active The status it already has.
    error ParticipantRegistryStatusUnchanged(address account, bool active);

    /// @notice The identifier hash is zero.
    error ParticipantRegistryInvalidIdentifier();

    /// @notice The identifier is already bound to a participant.
    /// @param identifierHash The identifier hash.
    /// @param owner The participant it is bound to.
    error ParticipantRegistryIdentifierAlreadyBound(bytes32 identifierHash, address owner);

    /// @notice The identifier is not bound to any participant.
    /// @param identifierHash The identifier hash.
    error ParticipantRegistryIdentifierNotBound(bytes32 identifierHash);

    /// @notice Registers an active participant and binds its identifiers. Admin only.
    /// @param account The organisation's account.
    /// @param role One of the participant roles.
    /// @param orgId The organisation's off-chain id (non-zero).
    /// @param identifierHashes Hashed GS1 identifiers to bind to the account.
    function registerParticipant(
        address account,
        bytes32 role,
        bytes32 orgId,
        bytes32[] calldata identifierHashes
    ) external;

    /// @notice Registers many participants at once, all or nothing. Admin only.
    /// @param registrations The registrations.
    function registerParticipants(Registration[] calldata registrations) external;

    /// @notice Binds identifier hashes to a registered participant. Admin only.
    /// @param account The participant's account.
    /// @param identifierHashes The identifier hashes; none may be bound already.
    function bindIdentifiers(address account, bytes32[] calldata identifierHashes) external;

    /// @notice Releases bound identifier hashes. Admin only.
    /// @param identifierHashes The identifier hashes; each must be bound.
    function unbindIdentifiers(bytes32[] calldata identifierHashes) external;

    /// @notice Deactivates an active participant: it can no longer ship or receive. Admin only.
    /// @param account The participant's account.
    function deactivateParticipant(address account) external;

    /// @notice Reactivates an inactive participant. Admin only.
    /// @param account The participant's account.
    function reactivateParticipant(address account) external;

    /// @notice Whether the account is a registered, active participant.
    /// @param account The account.
    /// @return active True if registered and active.
    function isActive(address account) external view returns (bool active);

    /// @notice The participant record of an account (all zero if unregistered).
    /// @param account The account.
    /// @return role The participant role.
    /// @return orgId The off-chain organisation id.
    /// @return active Whether the participant is active.
    function participantOf(address account) external view returns (bytes32 role, bytes32 orgId, bool active);

    /// @notice The participant an identifier hash is bound to.
    /// @param identifierHash The identifier hash.
    /// @return account The participant, or the zero address if unbound.
    function identifierOwner(bytes32 identifierHash) external view returns (address account);

    /// @notice Whether the account is an active participant with the given participant role.
    /// @param account The account.
    /// @param role The participant role.
    /// @return allowed True if the account is active and registered with `role`.
    function hasActiveRole(address account, bytes32 role) external view returns (bool allowed);
}
