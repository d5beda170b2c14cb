import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiIdentifierNames, type IdentifierNames } from '../../master-data/dto/identifier-name.dto';

export class HopAnchorDto {
  @ApiProperty() batchId!: string;
  @ApiProperty({ example: '0x5c1d…' }) merkleRoot!: string;
  @ApiProperty() leafIndex!: number;
  @ApiProperty({ type: [String] }) proof!: string[];
  @ApiProperty({ enum: ['prepared', 'submitted', 'confirmed'] }) status!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) transactionHash!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) blockNumber!: number | null;
}

export class HopCustodyChainDto {
  @ApiProperty({
    enum: ['confirmed', 'mismatch', 'not_on_chain', 'unavailable'],
    description:
      "confirmed: CustodyLedger holds this handoff for this hop's event, signed by the participant owning the party's GLN; mismatch: signed by or for somebody else (the hop is then tampered); not_on_chain: no such handoff (yet, or refused: see chainError)",
  })
  status!: string;
  @ApiProperty({ description: 'keccak256 of the consignment key, as CustodyLedger indexes it' })
  consignmentId!: string;
  @ApiPropertyOptional({ description: 'the custodian that signed the shipment, as the chain records it' })
  from?: string;
  @ApiPropertyOptional({ description: 'the addressee, as the chain records it' }) to?: string;
  @ApiPropertyOptional({ description: "the consignment's shipment count at this handoff" }) sequence?: number;
  @ApiPropertyOptional() transactionHash?: string;
  @ApiPropertyOptional() blockNumber?: number;
  @ApiProperty({ type: [String] }) reasons!: string[];
}

export class HopCustodyDto {
  @ApiProperty({ enum: ['ship', 'receive'] }) action!: 'ship' | 'receive';
  @ApiProperty({ example: 'urn:epc:id:sscc:4012345.0000000001' }) consignment!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) fromParty!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) toParty!: string | null;
  @ApiProperty({
    enum: ['pending', 'awaiting_signature', 'shipped_on_chain', 'received_on_chain', 'failed'],
    description:
      "the platform's record (awaiting_signature: the member holds its own key and has not signed yet)",
  })
  status!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) shipTransactionHash!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) shipBlock!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) receiveTransactionHash!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) receiveBlock!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'why the chain refused the handoff' })
  chainError!: string | null;
  @ApiProperty({
    type: HopCustodyChainDto,
    description: "the handoff read back from CustodyLedger, not from Pedigree's records",
  })
  chain!: HopCustodyChainDto;
}

export class HopCheckDto {
  @ApiProperty({ enum: ['verified', 'pending', 'unanchored', 'tampered', 'unverifiable'] }) status!: string;
  @ApiProperty() hashMatches!: boolean;
  @ApiPropertyOptional({ type: Boolean, nullable: true }) proofValid!: boolean | null;
  @ApiPropertyOptional({ type: Boolean, nullable: true }) rootOnChain!: boolean | null;
  @ApiPropertyOptional({ type: String, nullable: true }) recomputedHash!: string | null;
  @ApiProperty({ type: [String] }) reasons!: string[];
}

export class ProvenanceHopDto {
  @ApiProperty({ example: 'ni:///sha-256;ffa4…?ver=CBV2.0' }) eventHash!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) eventId!: string | null;
  @ApiProperty({ example: 'ObjectEvent' }) eventType!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) action!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'shipping' }) bizStep!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'in_transit' }) disposition!: string | null;
  @ApiProperty() eventTime!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) bizLocation!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'container named by the event instead of the pack',
  })
  via!: string | null;
  @ApiProperty({ type: [Object] }) flags!: { code: string; detail: string }[];
  @ApiPropertyOptional({ type: HopAnchorDto, nullable: true }) anchor!: HopAnchorDto | null;
  @ApiPropertyOptional({ type: HopCustodyDto, nullable: true }) custody!: HopCustodyDto | null;
  @ApiProperty({ type: HopCheckDto }) check!: HopCheckDto;
  @ApiPropertyOptional({ description: 'the stored event (requested with ?include=events)' }) event?: Record<
    string,
    unknown
  >;
}

export class StateProofDto {
  @ApiProperty({ description: 'the root the proof is against: EventAnchor.latestState().root' })
  stateRoot!: string;
  @ApiProperty({
    description:
      "the key: the pack's EPC for its leaf, `alerts:<epc>` for its alerts; the trie key is keccak256 of its UTF-8 bytes",
  })
  key!: string;
  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description:
      'the leaf (StateLeaf v1: epc, kind, status, lot, expiry, custodian, owner, parent, shippedTo, count, head, flagged; AlertsLeaf v1: epc, open, resolved); its value in the trie is the UTF-8 of its RFC 8785 canonical JSON; null proves absence',
  })
  leaf!: Record<string, unknown> | null;
  @ApiProperty({
    type: [String],
    description: 'RLP-encoded Merkle-Patricia trie nodes from the root to the leaf (an EIP-1186 proof), hex',
  })
  nodes!: string[];
}

export class StateCheckDto {
  @ApiProperty({ enum: ['verified', 'pending', 'unanchored', 'tampered', 'absent', 'unverifiable'] })
  status!: string;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) stateRoot!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) committedAtBlock!: number | null;
  @ApiProperty({ description: 'steps of the history the committed leaf covers' }) committedSteps!: number;
  @ApiPropertyOptional({ type: StateProofDto, nullable: true }) proof!: StateProofDto | null;
  @ApiPropertyOptional({
    type: StateProofDto,
    nullable: true,
    description:
      "proof of the pack's committed alerts (key `alerts:<epc>`): only a committed resolution clears suspicion",
  })
  alertsProof!: StateProofDto | null;
}

export class ProvenanceResponse {
  @ApiProperty({ example: 'urn:epc:id:sgtin:4012345.012345.1001' }) epc!: string;
  @ApiPropertyOptional({ example: 'https://id.gs1.org/01/04012345123456/21/1001' }) digitalLink?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) gtin!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) serial!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lot!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) expiry!: string | null;
  @ApiProperty({ example: 'received' }) status!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) custodian!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the container it is in now' })
  parent!: string | null;
  @ApiProperty({
    enum: ['verified', 'pending', 'unanchored', 'tampered', 'unverifiable', 'unknown'],
    description:
      "tampered if any hop or the pack's state differs from what the chain committed; unknown if the chain's state map does not hold the pack; pending while some of it awaits its anchor; unanchored past the anchoring deadline; unverifiable when the chain cannot be read",
  })
  verdict!: string;
  @ApiProperty({
    type: [ProvenanceHopDto],
    description: 'the history, in the order applied (its hash-linked steps)',
  })
  hops!: ProvenanceHopDto[];
  @ApiProperty({
    type: StateCheckDto,
    description: "the pack's facts and history checked against the chain's latest state root, with the proof",
  })
  state!: StateCheckDto;
  @ApiProperty() checkedAt!: string;
  /** The pack's product, its custodian, and the hops' locations and parties. */
  @ApiIdentifierNames() names!: IdentifierNames;
}
