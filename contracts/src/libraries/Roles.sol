// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title Roles
/// @author Pedigree
/// @notice Role identifiers shared by the Pedigree contracts: keccak256 of the role names.
/// @dev Participant roles (manufacturer, distributor, dispenser, regulator) are attributes of a participant
/// record in the ParticipantRegistry, one per organisation. The anchorer role is an AccessControl grant.
library Roles {
    /// @dev keccak256("MANUFACTURER_ROLE")
    bytes32 internal constant MANUFACTURER = keccak256("MANUFACTURER_ROLE");
    /// @dev keccak256("DISTRIBUTOR_ROLE")
    bytes32 internal constant DISTRIBUTOR = keccak256("DISTRIBUTOR_ROLE");
    /// @dev keccak256("DISPENSER_ROLE")
    bytes32 internal constant DISPENSER = keccak256("DISPENSER_ROLE");
    /// @dev keccak256("REGULATOR_ROLE")
    bytes32 internal constant REGULATOR = keccak256("REGULATOR_ROLE");
    /// @dev keccak256("ANCHORER_ROLE")
    bytes32 internal constant ANCHORER = keccak256("ANCHORER_ROLE");
}
