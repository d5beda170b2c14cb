// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {IParticipantRegistry} from "./IParticipantRegistry.sol";

/// @title ICustodyLedger
/// @author Pedigree
/// @notice Custody of consignments (keccak256 of an SSCC URN, or of a lot + shipment key) between registered
/// participants, with a two-step handoff: the custodian records a shipment to an addressee, the addressee
/// records receipt, custody moves. Each handoff names the EPCIS event (its Event Hash ID digest) it
/// records, and is either sent by the party itself or relayed with the party's EIP-712 signature: the
/// relayer is never the party, so a platform relaying handoffs cannot move custody a custodian did not sign.
interface ICustodyLedger {
    /// @notice A shipment signed by its custodian, for `relayShipments`.
    /// @param consignmentId The consignment.
    /// @param to The addressee.
    /// @param eventHash The shipping event's Event Hash ID digest.
    /// @param signature The custodian's EIP-712 signature of `Shipment(consignmentId,to,eventHash,sequence)`.
    struct SignedShipment {
        bytes32 consignmentId;
        address to;
        bytes32 eventHash;
        bytes signature;
    }

    /// @notice A receipt signed by its addressee, for `relayReceipts`.
    /// @param consignmentId The consignment.
    /// @param eventHash The receiving event's Event Hash ID digest.
    /// @param signature The addressee's EIP-712 signature of `Receipt(consignmentId,eventHash,sequence)`.
    struct SignedReceipt {
        bytes32 consignmentId;
        bytes32 eventHash;
        bytes signature;
    }

    /// @notice Emitted when a custodian ships a consignment (or originates it by shipping it).
    /// @param consignmentId The consignment.
    /// @param from The custodian.
    /// @param to The addressee.
    /// @param eventHash The shipping event's Event Hash ID digest.
    /// @param sequence The consignment's shipment count after this one.
    event ShipmentRecorded(
        bytes32 indexed consignmentId,
        address indexed from,
        address indexed to,
        bytes32 eventHash,
        uint256 sequence
    );

    /// @notice Emitted when the addressee receives a consignment and becomes its custodian.
    /// @param consignmentId The consignment.
    /// @param from The previous custodian.
    /// @param to The new custodian.
    /// @param eventHash The receiving event's Event Hash ID digest.
    /// @param sequence The consignment's shipment count (the shipment this receipt closes).
    event ReceiptRecorded(
        bytes32 indexed consignmentId,
        address indexed from,
        address indexed to,
        bytes32 eventHash,
        uint256 sequence
    );

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

    /// @notice A relayed handoff's signature is malformed.
    /// @param consignmentId The consignment.
    error CustodyLedgerInvalidSignature(bytes32 consignmentId);

    /// @notice Records the shipment of a consignment by its custodian (the caller) to an active participant.
    /// A consignment without a custodian is originated by the caller, who must be an active manufacturer or
    /// distributor.
    /// @param consignmentId The consignment.
    /// @param to The addressee.
    /// @param eventHash The shipping event's Event Hash ID digest.
    function recordShipment(bytes32 consignmentId, address to, bytes32 eventHash) external;

    /// @notice Records the receipt of a consignment by its addressee (the caller), who becomes its custodian.
    /// @param consignmentId The consignment.
    /// @param eventHash The receiving event's Event Hash ID digest.
    function recordReceipt(bytes32 consignmentId, bytes32 eventHash) external;

    /// @notice Records shipments signed by their custodians, all or nothing. Anyone may relay: the signer,
    /// not the caller, is the party, under the same rules as `recordShipment`.
    /// @param shipments The signed shipments.
    function relayShipments(SignedShipment[] calldata shipments) external;

    /// @notice Records receipts signed by their addressees, all or nothing.
    /// @param receipts The signed receipts.
    function relayReceipts(SignedReceipt[] calldata receipts) external;

    /// @notice The custody of a consignment.
    /// @param consignmentId The consignment.
    /// @return custodian The custodian, or the zero address if the consignment was never shipped.
    /// @return pendingRecipient The addressee while in transit, else the zero address.
    function custodyOf(
        bytes32 consignmentId
    ) external view returns (address custodian, address pendingRecipient);

    /// @notice How many times each consignment was shipped: the `sequence` the next shipment signs, and the
    /// one a receipt of the pending shipment signs.
    /// @param consignmentIds The consignments.
    /// @return sequences Their shipment counts.
    function sequencesOf(
        bytes32[] calldata consignmentIds
    ) external view returns (uint256[] memory sequences);

    /// @notice The EIP-712 digest a party signs for a handoff (`to` is the zero address for a receipt).
    /// @param consignmentId The consignment.
    /// @param to The addressee of a shipment, or the zero address for a receipt.
    /// @param eventHash The event's Event Hash ID digest.
    /// @param sequence The shipment count before a shipment, or of the shipment a receipt closes.
    /// @return digest The typed-data digest.
    function handoffDigest(
        bytes32 consignmentId,
        address to,
        bytes32 eventHash,
        uint256 sequence
    ) external view returns (bytes32 digest);

    /// @notice The participant registry this ledger reads.
    /// @return registry_ The registry.
    function registry() external view returns (IParticipantRegistry registry_);
}
