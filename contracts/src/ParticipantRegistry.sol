// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title ParticipantRegistry
/// @author Pedigree
/// @notice Consortium membership for the Pedigree supply chain, administered by `DEFAULT_ADMIN_ROLE`.
contract ParticipantRegistry is IParticipantRegistry, AccessControl {
    /// @dev `role` is non-zero exactly for registered accounts.
    struct Participant {
        bytes32 role;
        bytes32 orgId;
        bool active;
    }

    /// @notice Participant role of manufacturers (may originate consignments).
    bytes32 public constant MANUFACTURER_ROLE = Roles.MANUFACTURER;
    /// @notice Participant role of wholesale distributors (may originate consignments).
    bytes32 public constant DISTRIBUTOR_ROLE = Roles.DISTRIBUTOR;
    /// @notice Participant role of dispensers (pharmacies, hospitals).
    bytes32 public constant DISPENSER_ROLE = Roles.DISPENSER;
    /// @notice Participant role of regulators.
    bytes32 public constant REGULATOR_ROLE = Roles.REGULATOR;
    /// @notice AccessControl role of the accounts allowed to anchor event batches.
    bytes32 public constant ANCHORER_ROLE = Roles.ANCHORER;

    mapping(address account => Participant) private _participants;
    mapping(bytes32 identifierHash => address account) private _identifierOwners;

    /// @notice Grants `DEFAULT_ADMIN_ROLE` to the deployer.
    constructor() {
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
    }

    /// @inheritdoc IParticipantRegistry
    function registerParticipant(
        address account,
        bytes32 role,
        bytes32 orgId,
        bytes32[] calldata identifierHashes
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _register(account, role, orgId, identifierHashes);
    }

    /// @inheritdoc IParticipantRegistry
    function registerParticipants(
        Registration[] calldata registrations
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        for (uint256 i; i < registrations.length; ++i) {
            Registration calldata r = registrations[i];
            _register(r.account, r.role, r.orgId, r.identifierHashes);
        }
    }

    /// @inheritdoc IParticipantRegistry
    function bindIdentifiers(
        address account,
        bytes32[] calldata identifierHashes
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (_participants[account].role == bytes32(0)) revert ParticipantRegistryNotRegistered(account);
        _bind(account, identifierHashes);
    }

    /// @inheritdoc IParticipantRegistry
    function unbindIdentifiers(bytes32[] calldata identifierHashes) external onlyRole(DEFAULT_ADMIN_ROLE) {
        for (uint256 i; i < identifierHashes.length; ++i) {
            bytes32 identifierHash = identifierHashes[i];
            address owner = _identifierOwners[identifierHash];
            if (owner == address(0)) revert ParticipantRegistryIdentifierNotBound(identifierHash);
            delete _identifierOwners[identifierHash];
            emit IdentifierUnbound(identifierHash, owner);
        }
    }

    /// @inheritdoc IParticipantRegistry
    function deactivateParticipant(address account) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setActive(account, false);
    }

    /// @inheritdoc IParticipantRegistry
    function reactivateParticipant(address account) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setActive(account, true);
    }

    /// @inheritdoc IParticipantRegistry
    function isActive(address account) external view returns (bool active) {
        return _participants[account].active;
    }

    /// @inheritdoc IParticipantRegistry
    function participantOf(address account) external view returns (bytes32 role, bytes32 orgId, bool active) {
        Participant storage participant = _participants[account];
        return (participant.role, participant.orgId, participant.active);
    }

    /// @inheritdoc IParticipantRegistry
    function identifierOwner(bytes32 identifierHash) external view returns (address account) {
        return _identifierOwners[identifierHash];
    }

    /// @inheritdoc IParticipantRegistry
    function hasActiveRole(address account, bytes32 role) external view returns (bool allowed) {
        Participant storage participant = _participants[account];
        return participant.active && participant.role == role;
    }

    function _register(
        address account,
        bytes32 role,
        bytes32 orgId,
        bytes32[] calldata identifierHashes
    ) private {
        if (account == address(0)) revert ParticipantRegistryZeroAddress();
        if (!_isParticipantRole(role)) revert ParticipantRegistryInvalidRole(role);
        if (orgId == bytes32(0)) revert ParticipantRegistryInvalidOrgId();
        Participant storage participant = _participants[account];
        if (participant.role != bytes32(0)) revert ParticipantRegistryAlreadyRegistered(account);
        participant.role = role;
        participant.orgId = orgId;
        participant.active = true;
        emit ParticipantRegistered(account, role, orgId);
        _bind(account, identifierHashes);
    }

    function _bind(address account, bytes32[] calldata identifierHashes) private {
        for (uint256 i; i < identifierHashes.length; ++i) {
            bytes32 identifierHash = identifierHashes[i];
            if (identifierHash == bytes32(0)) revert ParticipantRegistryInvalidIdentifier();
            address owner = _identifierOwners[identifierHash];
            if (owner != address(0)) revert ParticipantRegistryIdentifierAlreadyBound(identifierHash, owner);
            _identifierOwners[identifierHash] = account;
            emit IdentifierBound(identifierHash, account);
        }
    }

    function _setActive(address account, bool active) private {
        Participant storage participant = _participants[account];
        if (participant.role == bytes32(0)) revert ParticipantRegistryNotRegistered(account);
        if (participant.active == active) revert ParticipantRegistryStatusUnchanged(account, active);
        participant.active = active;
        if (active) emit ParticipantReactivated(account);
        else emit ParticipantDeactivated(account);
    }

    function _isParticipantRole(bytes32 role) private pure returns (bool) {
        return
            role == Roles.MANUFACTURER ||
            role == Roles.DISTRIBUTOR ||
            role == Roles.DISPENSER ||
            role == Roles.REGULATOR;
    }
}
