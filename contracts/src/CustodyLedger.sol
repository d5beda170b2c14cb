// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.28;

import {ICustodyLedger} from "./interfaces/ICustodyLedger.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title CustodyLedger
/// @author Pedigree
/// @notice Two-step custody handoffs of consignments between active participants of the registry.
contract CustodyLedger is ICustodyLedger {
    /// @dev A consignment is in transit iff `addressee != custodian`. Receipt leaves `addressee` equal to the
    /// new custodian instead of clearing it, so the next shipment rewrites a non-zero slot (5k, not 22k gas).
    struct Custody {
        address custodian;
        address addressee;
    }

    IParticipantRegistry private immutable _registry;
    mapping(bytes32 consignmentId => Custody) private _custody;

    /// @notice Binds the ledger to a participant registry.
    /// @param registry_ The registry.
    constructor(IParticipantRegistry registry_) {
        _registry = registry_;
    }

    /// @inheritdoc ICustodyLedger
    function recordShipment(bytes32 consignmentId, address to) external {
        _requireActive(msg.sender);
        _requireRecipient(to);
        _ship(consignmentId, to, false);
    }

    /// @inheritdoc ICustodyLedger
    function recordShipments(bytes32[] calldata consignmentIds, address[] calldata to) external {
        uint256 count = consignmentIds.length;
        if (count != to.length) revert CustodyLedgerLengthMismatch(count, to.length);
        _requireActive(msg.sender);
        bool originator;
        for (uint256 i; i < count; ++i) {
            // Batches usually go to one addressee: check each distinct run of recipients once.
            if (i == 0 || to[i] != to[i - 1]) _requireRecipient(to[i]);
            originator = _ship(consignmentIds[i], to[i], originator);
        }
    }

    /// @inheritdoc ICustodyLedger
    function recordReceipt(bytes32 consignmentId) external {
        _requireActive(msg.sender);
        _receive(consignmentId);
    }

    /// @inheritdoc ICustodyLedger
    function recordReceipts(bytes32[] calldata consignmentIds) external {
        _requireActive(msg.sender);
        for (uint256 i; i < consignmentIds.length; ++i) {
            _receive(consignmentIds[i]);
        }
    }

    /// @inheritdoc ICustodyLedger
    function custodyOf(
        bytes32 consignmentId
    ) external view returns (address custodian, address pendingRecipient) {
        Custody storage custody = _custody[consignmentId];
        custodian = custody.custodian;
        address addressee = custody.addressee;
        if (addressee != custodian) pendingRecipient = addressee;
    }

    /// @inheritdoc ICustodyLedger
    function registry() external view returns (IParticipantRegistry registry_) {
        return _registry;
    }

    /// @dev Records one shipment by `msg.sender`. `originator` tells whether the caller's right to originate
    /// was already checked in this call; returns it, updated.
    function _ship(bytes32 consignmentId, address to, bool originator) private returns (bool) {
        Custody storage custody = _custody[consignmentId];
        address custodian = custody.custodian;
        address addressee = custody.addressee;
        if (addressee != custodian) revert CustodyLedgerInTransit(consignmentId, addressee);
        if (custodian == address(0)) {
            if (consignmentId == bytes32(0)) revert CustodyLedgerZeroConsignmentId();
            if (!originator) {
                _requireOriginator(msg.sender);
                originator = true;
            }
            custody.custodian = msg.sender;
        } else if (custodian != msg.sender) {
            revert CustodyLedgerNotCustodian(consignmentId, msg.sender);
        }
        custody.addressee = to;
        emit ShipmentRecorded(consignmentId, msg.sender, to);
        return originator;
    }

    function _receive(bytes32 consignmentId) private {
        Custody storage custody = _custody[consignmentId];
        address custodian = custody.custodian;
        address addressee = custody.addressee;
        if (addressee == custodian) revert CustodyLedgerNothingPending(consignmentId);
        if (addressee != msg.sender) revert CustodyLedgerNotAddressee(consignmentId, msg.sender);
        custody.custodian = msg.sender;
        emit ReceiptRecorded(consignmentId, custodian, msg.sender);
    }

    function _requireActive(address account) private view {
        if (!_registry.isActive(account)) revert CustodyLedgerInactiveParticipant(account);
    }

    function _requireRecipient(address to) private view {
        if (to == msg.sender) revert CustodyLedgerSelfShipment(to);
        if (!_registry.isActive(to)) revert CustodyLedgerInactiveRecipient(to);
    }

    function _requireOriginator(address account) private view {
        if (
            !_registry.hasActiveRole(account, Roles.MANUFACTURER) &&
            !_registry.hasActiveRole(account, Roles.DISTRIBUTOR)
        ) revert CustodyLedgerUnauthorizedOriginator(account);
    }
}
