// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ICustodyLedger} from "./interfaces/ICustodyLedger.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title CustodyLedger
/// @author Pedigree
/// @notice Two-step custody handoffs of consignments between active participants of the registry, sent by the
/// party itself or relayed with its EIP-712 signature.
contract CustodyLedger is ICustodyLedger, EIP712 {
    /// @dev A consignment is in transit iff `addressee != custodian`. Receipt leaves `addressee` equal to the
    /// new custodian instead of clearing it, so the next shipment rewrites a non-zero slot (5k, not 22k gas).
    /// `sequence` shares the addressee's slot, which every shipment writes anyway: counting shipments only is
    /// enough against replay, since a receipt signs the sequence of the shipment it closes and a consignment
    /// can be received once per shipment.
    struct Custody {
        address custodian;
        address addressee;
        uint96 sequence;
    }

    // The type strings are hashed at compile time: their length costs nothing at run time.
    // solhint-disable gas-small-strings
    /// @notice EIP-712 type of a signed shipment.
    bytes32 public constant SHIPMENT_TYPEHASH = keccak256(
        "Shipment(bytes32 consignmentId,address to,bytes32 eventHash,uint256 sequence)"
    );
    /// @notice EIP-712 type of a signed receipt.
    bytes32 public constant RECEIPT_TYPEHASH = keccak256(
        "Receipt(bytes32 consignmentId,bytes32 eventHash,uint256 sequence)"
    );
    // solhint-enable gas-small-strings

    IParticipantRegistry private immutable _registry;
    mapping(bytes32 consignmentId => Custody) private _custody;

    /// @notice Binds the ledger to a participant registry.
    /// @param registry_ The registry.
    constructor(IParticipantRegistry registry_) EIP712("Pedigree CustodyLedger", "1") {
        _registry = registry_;
    }

    /// @inheritdoc ICustodyLedger
    function recordShipment(bytes32 consignmentId, address to, bytes32 eventHash) external {
        _requireActive(msg.sender);
        _requireRecipient(msg.sender, to);
        _ship(consignmentId, msg.sender, to, eventHash);
    }

    /// @inheritdoc ICustodyLedger
    function recordReceipt(bytes32 consignmentId, bytes32 eventHash) external {
        _requireActive(msg.sender);
        _receive(consignmentId, msg.sender, eventHash);
    }

    /// @inheritdoc ICustodyLedger
    function relayShipments(SignedShipment[] calldata shipments) external {
        // Batches are mostly one signer to one addressee: check each distinct run of them once.
        address lastSigner;
        address lastRecipient;
        for (uint256 i; i < shipments.length; ++i) {
            SignedShipment calldata s = shipments[i];
            uint256 sequence = _custody[s.consignmentId].sequence;
            bytes32 structHash = keccak256(
                abi.encode(SHIPMENT_TYPEHASH, s.consignmentId, s.to, s.eventHash, sequence)
            );
            address signer = _signer(s.consignmentId, structHash, s.signature);
            if (signer != lastSigner) {
                _requireActive(signer);
                lastSigner = signer;
                lastRecipient = address(0);
            }
            if (s.to != lastRecipient) {
                _requireRecipient(signer, s.to);
                lastRecipient = s.to;
            }
            _ship(s.consignmentId, signer, s.to, s.eventHash);
        }
    }

    /// @inheritdoc ICustodyLedger
    function relayReceipts(SignedReceipt[] calldata receipts) external {
        address lastSigner;
        for (uint256 i; i < receipts.length; ++i) {
            SignedReceipt calldata r = receipts[i];
            uint256 sequence = _custody[r.consignmentId].sequence;
            bytes32 structHash = keccak256(
                abi.encode(RECEIPT_TYPEHASH, r.consignmentId, r.eventHash, sequence)
            );
            address signer = _signer(r.consignmentId, structHash, r.signature);
            if (signer != lastSigner) {
                _requireActive(signer);
                lastSigner = signer;
            }
            _receive(r.consignmentId, signer, r.eventHash);
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
    function sequencesOf(
        bytes32[] calldata consignmentIds
    ) external view returns (uint256[] memory sequences) {
        sequences = new uint256[](consignmentIds.length);
        for (uint256 i; i < consignmentIds.length; ++i) {
            sequences[i] = _custody[consignmentIds[i]].sequence;
        }
    }

    /// @inheritdoc ICustodyLedger
    function handoffDigest(
        bytes32 consignmentId,
        address to,
        bytes32 eventHash,
        uint256 sequence
    ) external view returns (bytes32 digest) {
        bytes32 structHash =
            to == address(0)
                ? keccak256(abi.encode(RECEIPT_TYPEHASH, consignmentId, eventHash, sequence))
                : keccak256(abi.encode(SHIPMENT_TYPEHASH, consignmentId, to, eventHash, sequence));
        return _hashTypedDataV4(structHash);
    }

    /// @inheritdoc ICustodyLedger
    function registry() external view returns (IParticipantRegistry registry_) {
        return _registry;
    }

    /// @dev Records one shipment by `party`, the custodian, or the originator of a consignment nobody holds.
    function _ship(bytes32 consignmentId, address party, address to, bytes32 eventHash) private {
        Custody storage custody = _custody[consignmentId];
        address custodian = custody.custodian;
        if (custody.addressee != custodian) revert CustodyLedgerInTransit(consignmentId, custody.addressee);
        if (custodian == address(0)) {
            if (consignmentId == bytes32(0)) revert CustodyLedgerZeroConsignmentId();
            _requireOriginator(party);
            custody.custodian = party;
        } else if (custodian != party) {
            revert CustodyLedgerNotCustodian(consignmentId, party);
        }
        uint96 sequence = custody.sequence + 1;
        custody.addressee = to;
        custody.sequence = sequence;
        emit ShipmentRecorded(consignmentId, party, to, eventHash, sequence);
    }

    function _receive(bytes32 consignmentId, address party, bytes32 eventHash) private {
        Custody storage custody = _custody[consignmentId];
        address custodian = custody.custodian;
        address addressee = custody.addressee;
        if (addressee == custodian) revert CustodyLedgerNothingPending(consignmentId);
        if (addressee != party) revert CustodyLedgerNotAddressee(consignmentId, party);
        custody.custodian = party;
        emit ReceiptRecorded(consignmentId, custodian, party, eventHash, custody.sequence);
    }

    /// @dev The signer of a relayed handoff. A malformed signature reverts; a well-formed one by anybody else
    /// recovers to an address the registry does not hold, or to one that is not the party, and fails there.
    function _signer(
        bytes32 consignmentId,
        bytes32 structHash,
        bytes calldata signature
    ) private view returns (address signer) {
        ECDSA.RecoverError error;
        (signer, error, ) = ECDSA.tryRecover(_hashTypedDataV4(structHash), signature);
        if (error != ECDSA.RecoverError.NoError) revert CustodyLedgerInvalidSignature(consignmentId);
    }

    function _requireActive(address account) private view {
        if (!_registry.isActive(account)) revert CustodyLedgerInactiveParticipant(account);
    }

    function _requireRecipient(address party, address to) private view {
        if (to == party) revert CustodyLedgerSelfShipment(to);
        if (!_registry.isActive(to)) revert CustodyLedgerInactiveRecipient(to);
    }

    function _requireOriginator(address account) private view {
        if (
            !_registry.hasActiveRole(account, Roles.MANUFACTURER) &&
            !_registry.hasActiveRole(account, Roles.DISTRIBUTOR)
        ) revert CustodyLedgerUnauthorizedOriginator(account);
    }
}
