import { Injectable } from '@nestjs/common';
import { gs1CheckDigit } from '@pedigree/gs1';
import { type NormalisedEvent } from '@pedigree/epcis';
import { classifyStep } from '@pedigree/supply-chain';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { type Principal, readsEverything } from '../auth/principal';
import { MasterDataService } from '../master-data/master-data.service';
import type { LotPackDto, LotProvenanceResponse } from './dto/lot-provenance.response';
import { type LotPackRow, LotProvenanceRepository } from './lot-provenance.repository';
import { ProvenanceErrorCode, ProvenanceException } from './provenance.exception';

/** A recall or a pharmacy checking a lot reads this many packs at most in one answer. */
export const LOT_PACK_LIMIT = 10_000;
/** GS1 AI (10): up to 20 characters of the GS1 AI encodable character set 82. */
const LOT = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;

/**
 * Every pack of a lot, where it is and its state: what a pharmacy checking a lot, or a recall, needs. Visibility
 * follows custody as for one pack: regulators and the lot's manufacturer (owner of the GTIN's company prefix) see
 * every pack; another member sees the packs it holds or has handled (shipped, received, dispensed, …), never those
 * it only observed.
 */
@Injectable()
export class LotProvenanceService {
  constructor(
    private readonly repository: LotProvenanceRepository,
    private readonly masterData: MasterDataService,
  ) {}

  async lot(gtin: string, lot: string, principal: Principal): Promise<LotProvenanceResponse> {
    this.check(gtin, lot);
    const everything =
      readsEverything(principal) ||
      (!!principal.organisationId && (await this.repository.ownsGtin(principal.organisationId, gtin)));
    const asker = everything ? null : (principal.organisationId ?? null);
    const rows = await this.repository.packs(gtin, lot, asker, LOT_PACK_LIMIT + 1);
    const visible = everything ? rows : rows.filter((row) => handled(row, asker));
    if (visible.length === 0) {
      throw new ProvenanceException(
        ProvenanceErrorCode.UNKNOWN_PACK,
        `No pack of lot ${lot} of GTIN ${gtin} that your organisation may see: lots are visible in full to their ` +
          'manufacturer and regulators, and pack by pack to the organisations that handled them.',
      );
    }
    const packs = visible.slice(0, LOT_PACK_LIMIT).map(toDto);
    const product = await this.masterData.productOfPack(packs[0]!.epc);
    const byStatus: Record<string, number> = {};
    for (const pack of packs) byStatus[pack.status] = (byStatus[pack.status] ?? 0) + 1;
    return {
      gtin,
      lot,
      ...(product ? { product } : {}),
      scope: everything ? 'whole_lot' : 'handled_by_you',
      packCount: packs.length,
      truncated: visible.length > LOT_PACK_LIMIT,
      byStatus,
      flaggedPacks: packs.filter((p) => p.flagged).length,
      packs,
    };
  }

  private check(gtin: string, lot: string): void {
    if (!/^\d{14}$/.test(gtin) || gs1CheckDigit(gtin.slice(0, 13)) !== Number(gtin[13])) {
      throw new CommonError(
        CommonErrorCode.VALIDATION_FAILED,
        `gtin must be a GTIN-14 with its check digit (14 digits), not "${gtin.slice(0, 20)}".`,
        { field: 'gtin' },
      );
    }
    if (!LOT.test(lot)) {
      throw new CommonError(
        CommonErrorCode.VALIDATION_FAILED,
        'lot must be 1 to 20 characters of the GS1 character set (AI 10).',
        { field: 'lot' },
      );
    }
  }
}

function handled(row: LotPackRow, asker: string | null): boolean {
  if (asker !== null && row.ownerOrgId === asker) return true;
  return row.ownSteps.some(
    (step) =>
      classifyStep({
        type: step.type,
        action: step.action ?? undefined,
        bizStep: step.bizStep ?? undefined,
        disposition: step.disposition ?? undefined,
      } as NormalisedEvent) !== 'observe',
  );
}

function toDto(row: LotPackRow): LotPackDto {
  return {
    epc: row.epc,
    serial: row.serial,
    status: row.status,
    expiry: row.expiry,
    custodian: row.custodian,
    holder: row.ownerName,
    location: row.location,
    container: row.parentEpc,
    containerStatus: row.containerStatus,
    flagged: row.flagged > 0,
    lastEventTime: row.lastEventTime ? new Date(row.lastEventTime).toISOString() : null,
  };
}
