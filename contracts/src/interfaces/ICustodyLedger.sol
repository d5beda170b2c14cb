// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {IParticipantRegistry} from "./IParticipantRegistry.sol";

/// @title ICustodyLedger
/// @author Pedigree
/// @notice Custody of consignments (keccak256 of an SSCC URN, or of a lot + shipment key) between registered
/// participants, with a two-step handoff: the custodian records a shipment to an addressee, the addressee
/// records receipt, custody moves.
interface ICustodyLedger {
    /// @notice Emitted when a custodian ships a consignment (or originates it by shipping it).
    /// @param consignmentId The consignment.
    /// @param from The custodian.
    /// @param to The addressee.
    event ShipmentRecorded(bytes32 indexed consignmentId, address indexed from, address indexed to);

    /// @notice Emitted when the addressee receives a consignment and becomes its custodian.
    /// @param consignmentId The consignment.
    /// @param from The previous custodian.
    /// @param to The new custodian.
    event ReceiptRecorded(bytes32 indexed consignmentId, address indexed from, address indexed to);

    /// @notice The caller is not a registered, active participant.
    /// @param account The caller.
    error CustodyLedgerInactiveParticipant(address account);

    /// @notice The caller may not originate consignments (only active manufacturers and distributors may).
    /// @param account The caller.
    error CustodyLedgerUnauthorizedOriginator(address account);

    /// @notice The consignment id is zero.
    error CustodyLedgerZeroConsignmentId();

    /// @notice The caller is not the consignment's custodian.
    /// @param consignmentId The consignment.
    /// @param account The caller.
    error CustodyLedgerNotCustodian(bytes32 consignmentId, address account);

    /// @notice The consignment is in transit to another addressee.
    /// @param consignmentId The consignment.
    /// @param pendingRecipient Its addressee.
    error CustodyLedgerInTransit(bytes32 consignmentId, address pendingRecipient);

    /// @notice The recipient is not a registered, active participant.
    /// @param recipient The recipient.
    error CustodyLedgerInactiveRecipient(address recipient);

    /// @notice The recipient is the sender.
    /// @param account The sender.
    error CustodyLedgerSelfShipment(address account);

    /// @notice The consignment is not in transit.
    /// @param consignmentId The consignment.
    error CustodyLedgerNothingPending(bytes32 consignmentId);

    /// @notice The caller is not the consignment's addressee.
    /// @param consignmentId The consignment.
    /// @param account The caller.
    error CustodyLedgerNotAddressee(bytes32 consignmentId, address account);

    /// @notice The batch arrays differ in length.
    /// @param consignments The number of consignment ids.
    /// @param recipients The number of recipients.
    error CustodyLedgerLengthMismatch(uint256 consignments, uint256 recipients);

    /// @notice Records the shipment of a consignment by its custodian to an active participant. A consignment
    /// without a custodian is originated by the caller, who must be an active manufacturer or distributor.
    /// @param consignmentId The consignment.
    /// @param to The addressee.
    function recordShipment(bytes32 consignmentId, address to) external;

    /// @notice Records many shipments, all or nothing.
    /// @param consignmentIds The consignments.
    /// @param to The addressee of each consignment.
    function recordShipments(bytes32[] calldata consignmentIds, address[] calldata to) external;

    /// @notice Records the receipt of a consignment by its addressee, who becomes its custodian.
    /// @param consignmentId The consignment.
    function recordReceipt(bytes32 consignmentId) external;

    /// @notice Records many receipts, all or nothing.
    /// @param consignmentIds The consignments.
    function recordReceipts(bytes32[] calldata consignmentIds) external;

    /// @notice The custody of a consignment.
    /// @param consignmentId The consignment.
    /// @return custodian The custodian, or the zero address if the consignment was never shipped.
    /// @return pendingRecipient The addressee while in transit, else the zero address.
    function custodyOf(
        bytes32 consignmentId
    ) external view returns (address custodian, address pendingRecipient);

    /// @notice The participant registry this ledger reads.
    /// @return registry_ The registry.
    function registry() external view returns (IParticipantRegistry registry_);
}
