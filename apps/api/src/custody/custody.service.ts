import { Injectable } from '@nestjs/common';
import { custodyKeySigner, handoffSigner, handoffTypedData } from '@pedigree/chain';
import { getAddress, type TypedDataDomain } from 'ethers';
import type { Principal } from '../auth/principal';
import { ChainReaderService } from '../chain/chain-reader.service';
import { CustodyErrorCode, CustodyException } from './custody.exception';
import { CustodyRepository, type SignatureRequestRow } from './custody.repository';
import type {
  CustodyKeyDto,
  RegisterCustodyKeyDto,
  SignatureRequestDto,
  SignatureRequestsDto,
  TypedDataDomainDto,
} from './dto/custody.dto';

/**
 * A member's custody key: left with the platform's keystore, or its own. A member with its own key signs each
 * handoff the ledger asks it to (EIP-712 typed data, which CustodyLedger checks); the API checks the signature
 * recovers to the member's address before the ledger relays it, so a wrong one is refused here with a reason.
 */
@Injectable()
export class CustodyService {
  constructor(
    private readonly repository: CustodyRepository,
    private readonly chain: ChainReaderService,
  ) {}

  async key(principal: Principal): Promise<CustodyKeyDto> {
    const organisationId = this.member(principal);
    const row = await this.repository.key(organisationId);
    if (!row) throw new CustodyException(CustodyErrorCode.NOT_A_MEMBER, 'the organisation no longer exists');
    const pending =
      row.own_custody_address && row.own_custody_address.toLowerCase() !== row.chain_address?.toLowerCase();
    return {
      mode: row.custody_key,
      address: row.chain_address,
      pendingAddress: pending ? row.own_custody_address : null,
      chainStatus: row.chain_status,
      domain: (this.chain.custodyDomain() as TypedDataDomainDto | undefined) ?? null,
    };
  }

  /**
   * Registers the member's own custody key, proved by its signature of CustodyKey(organisationId, key); the
   * ledger then moves the member's participant to it on chain (the keystore's key is deactivated there).
   */
  async registerKey(principal: Principal, body: RegisterCustodyKeyDto): Promise<CustodyKeyDto> {
    const organisationId = this.member(principal);
    const domain = this.domain();
    const address = getAddress(body.address);
    let signer: string;
    try {
      signer = custodyKeySigner(domain, organisationId, address, body.signature);
    } catch {
      throw new CustodyException(
        CustodyErrorCode.KEY_PROOF_INVALID,
        'the signature is malformed',
        'signature',
      );
    }
    if (signer !== address)
      throw new CustodyException(
        CustodyErrorCode.KEY_PROOF_INVALID,
        `the signature is by ${signer}, not by ${address}: sign CustodyKey(organisationId, key) with the key you register`,
        'signature',
      );
    if (await this.repository.addressTaken(organisationId, address))
      throw new CustodyException(
        CustodyErrorCode.KEY_IN_USE,
        `${address} belongs to another member`,
        'address',
      );
    await this.repository.registerOwnKey(organisationId, address);
    return this.key(principal);
  }

  async requests(principal: Principal, all: boolean): Promise<SignatureRequestsDto> {
    const organisationId = this.member(principal);
    const rows = await this.repository.requests(organisationId, !all, 500);
    if (rows.length === 0) return { items: [] };
    const domain = this.domain();
    return { items: rows.map((row) => this.toDto(row, domain)) };
  }

  async sign(principal: Principal, id: string, signature: string): Promise<SignatureRequestDto> {
    const organisationId = this.member(principal);
    const row = /^\d{1,18}$/.test(id) ? await this.repository.request(organisationId, id) : undefined;
    if (!row)
      throw new CustodyException(CustodyErrorCode.REQUEST_NOT_FOUND, `no signature request ${id} for you`);
    if (row.settled)
      throw new CustodyException(
        CustodyErrorCode.REQUEST_SETTLED,
        `request ${id} is settled: ${row.outcome}`,
      );
    const domain = this.domain();
    let signer: string;
    try {
      signer = handoffSigner(domain, this.handoff(row), signature);
    } catch {
      throw new CustodyException(
        CustodyErrorCode.SIGNATURE_INVALID,
        'the signature is malformed',
        'signature',
      );
    }
    if (signer.toLowerCase() !== row.signerAddress.toLowerCase())
      throw new CustodyException(
        CustodyErrorCode.SIGNATURE_INVALID,
        `the signature is by ${signer}, not by your custody key ${row.signerAddress}; sign the request's typedData as given`,
        'signature',
      );
    await this.repository.saveSignature(row.id, signature);
    return this.toDto({ ...row, signature }, domain);
  }

  private member(principal: Principal): string {
    if (!principal.organisationId)
      throw new CustodyException(
        CustodyErrorCode.NOT_A_MEMBER,
        'custody keys belong to member organisations',
      );
    return principal.organisationId;
  }

  private domain(): TypedDataDomain {
    const domain = this.chain.custodyDomain();
    if (!domain)
      throw new CustodyException(
        CustodyErrorCode.CHAIN_UNAVAILABLE,
        'the contract deployment is not known yet',
      );
    return domain;
  }

  private handoff(row: SignatureRequestRow) {
    return {
      action: row.action,
      consignmentId: row.consignmentId,
      to: row.recipientAddress ?? undefined,
      eventHash: row.eventHash,
      sequence: BigInt(row.sequence),
    };
  }

  private toDto(row: SignatureRequestRow, domain: TypedDataDomain): SignatureRequestDto {
    const typed = handoffTypedData(domain, this.handoff(row));
    const status = row.settled
      ? row.outcome === 'recorded'
        ? 'recorded'
        : 'refused'
      : row.signature
        ? 'signed'
        : 'awaiting_signature';
    return {
      id: row.id,
      action: row.action,
      consignment: row.consignmentKey,
      eventHash: row.eventHash,
      status,
      outcome: row.settled && row.outcome !== 'recorded' ? row.outcome : null,
      createdAt: new Date(row.createdAt).toISOString(),
      typedData: typed as unknown as SignatureRequestDto['typedData'],
    };
  }
}
