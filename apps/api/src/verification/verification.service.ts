import { Injectable } from '@nestjs/common';
import { counter, histogram } from '@pedigree/common';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import {
  glnOfLocationOrParty,
  Gs1ParseError,
  isValidGtin,
  normaliseGtin,
  parseScannedBarcode,
} from '@pedigree/gs1';
import type { Principal } from '../auth/principal';
import { HopVerifierService } from '../provenance/hop-verifier.service';
import type { VerificationResponse } from './dto/verification.response';
import { MasterDataService } from '../master-data/master-data.service';
import { VerificationAccessRecorder } from './verification-access.recorder';
import { REASONS, VerificationReason } from './verification.reasons';
import { RuleCode } from '@pedigree/supply-chain';
import { type VerifiedPack, VerificationRepository } from './verification.repository';
import {
  isSuspect,
  packVerdict,
  type PackVerdict,
  type StateCheck,
  StateCheckService,
  toStateDto,
} from '../provenance/state-check.service';

const verifications = counter('pedigree_api_verifications_total', 'verification verdicts', ['status']);
const verifySeconds = histogram(
  'pedigree_api_verification_seconds',
  'verification latency',
  [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
);

export interface VerificationInput {
  gtin: string;
  serial: string;
  lot?: string;
  /** YYYY-MM-DD */
  expiry?: string;
}

const TERMINAL: Partial<Record<string, VerificationReason>> = {
  dispensed: VerificationReason.ALREADY_DISPENSED,
  decommissioned: VerificationReason.DECOMMISSIONED,
  destroyed: VerificationReason.DECOMMISSIONED,
  recalled: VerificationReason.RECALLED,
  stolen: VerificationReason.STOLEN,
  expired: VerificationReason.EXPIRED,
};

const VERDICT_REASON: Record<PackVerdict, VerificationReason | undefined> = {
  verified: undefined,
  tampered: VerificationReason.TAMPERED,
  unknown: VerificationReason.NOT_ON_CHAIN,
  unanchored: VerificationReason.UNANCHORED,
  unverifiable: VerificationReason.CHAIN_UNAVAILABLE,
  pending: VerificationReason.NOT_YET_ANCHORED,
};

/**
 * Why a pack under suspicion is: a temperature excursion in its history (a sensor reading outside the product's
 * storage range, flagged by ingest for this pack), and SUSPECT unless that is the only flag its history holds. A
 * resolved alert (a manufacturer's stability assessment) clears both, as it clears any suspicion.
 */
function suspicionReasons(epc: string, steps: VerifiedPack['steps']): VerificationReason[] {
  const excursionCode: string = RuleCode.TEMPERATURE_EXCURSION;
  const flags = steps.flatMap((step) => step.hop?.flags ?? []);
  const excursion = flags.some((f) => f.code === excursionCode && (f.epcs ?? [epc]).includes(epc));
  if (!excursion) return [VerificationReason.SUSPECT];
  const others = flags.some((f) => f.code !== excursionCode);
  return others
    ? [VerificationReason.TEMPERATURE_EXCURSION, VerificationReason.SUSPECT]
    : [VerificationReason.TEMPERATURE_EXCURSION];
}

/** "Is this pack genuine and may I dispense it?" — every check, and the history checked against the chain. */
@Injectable()
export class VerificationService {
  constructor(
    private readonly repository: VerificationRepository,
    private readonly verifier: HopVerifierService,
    private readonly stateCheck: StateCheckService,
    private readonly access: VerificationAccessRecorder,
    private readonly masterData: MasterDataService,
  ) {}

  async verifyBarcode(barcode: string, principal?: Principal): Promise<VerificationResponse> {
    let scanned;
    try {
      scanned = parseScannedBarcode(barcode);
    } catch (error) {
      if (error instanceof Gs1ParseError) {
        throw new CommonError(CommonErrorCode.VALIDATION_FAILED, error.message, {
          field: 'barcode',
          extensions: { gs1Code: error.code, ai: error.ai, position: error.position },
        });
      }
      throw error;
    }
    if (!scanned.gtin || !scanned.serial) {
      throw new CommonError(
        CommonErrorCode.VALIDATION_FAILED,
        `The barcode carries no ${scanned.gtin ? 'serial number (21)' : 'GTIN (01)'}: it is not a serialised pack code.`,
        { field: 'barcode' },
      );
    }
    return this.verify(
      { gtin: scanned.gtin, serial: scanned.serial, lot: scanned.lot, expiry: scanned.expiry?.iso },
      principal,
      scanned.warnings,
    );
  }

  /** What the pack's facts say: mismatches with the scanned code, terminal states, suspicion, transit. */
  private packReasons(
    { pack, openAlerts, resolvedAlerts, steps }: VerifiedPack,
    input: VerificationInput,
    state: StateCheck,
  ): VerificationReason[] {
    const reasons: VerificationReason[] = [];
    if (input.lot !== undefined && pack.lot !== null && input.lot !== pack.lot)
      reasons.push(VerificationReason.LOT_MISMATCH);
    if (input.expiry !== undefined && pack.expiry !== null && input.expiry !== pack.expiry)
      reasons.push(VerificationReason.EXPIRY_MISMATCH);
    const terminal = TERMINAL[pack.status];
    if (terminal) reasons.push(terminal);
    const today = new Date().toISOString().slice(0, 10);
    if (pack.expiry && pack.expiry < today && terminal !== VerificationReason.EXPIRED)
      reasons.push(VerificationReason.EXPIRED);
    // A flag in the pack's history (a count the state map commits) is suspicion in itself, alert or not
    // (intelligence may not have run, or the alert may have been deleted); only a committed resolution clears it.
    if (isSuspect(pack, { openAlerts, resolvedAlerts }, state))
      reasons.push(...suspicionReasons(pack.epc, steps));
    if (pack.status === 'in_transit') reasons.push(VerificationReason.IN_TRANSIT);
    return reasons;
  }

  /** What the chain says about those facts: each event against its anchor, the state against the latest root. */
  private async proofReasons({ steps }: VerifiedPack, state: StateCheck): Promise<VerificationReason[]> {
    const hops = steps.flatMap((step) => (step.hop ? [step.hop] : []));
    const checks = await Promise.all(hops.map((hop) => this.verifier.check(hop)));
    const verdict = packVerdict(
      checks.map((c) => c.status),
      state,
    );
    const reason = VERDICT_REASON[verdict];
    return reason ? [reason] : [];
  }

  async verify(
    input: VerificationInput,
    principal?: Principal,
    scanWarnings: string[] = [],
  ): Promise<VerificationResponse> {
    const stop = verifySeconds.startTimer();
    if (!isValidGtin(input.gtin)) {
      throw new CommonError(
        CommonErrorCode.VALIDATION_FAILED,
        `GTIN ${input.gtin} has a wrong check digit.`,
        { field: 'gtin' },
      );
    }
    const gtin = normaliseGtin(input.gtin);
    const reasons: VerificationReason[] = [];
    const found = await this.repository.pack(gtin, input.serial);
    let state: StateCheck | undefined;
    // Read beside the checks: the product's name is what the pharmacist reads first (never a reason to fail).
    const product = found
      ? this.masterData.productOfPack(found.pack.epc).catch(() => undefined)
      : Promise.resolve(undefined);
    if (!found) {
      reasons.push(
        (await this.repository.gtinKnown(gtin))
          ? VerificationReason.UNKNOWN_SERIAL
          : VerificationReason.GTIN_NOT_FOUND,
      );
    } else {
      state = await this.stateCheck.check(found.pack, found.steps);
      reasons.push(...this.packReasons(found, input, state), ...(await this.proofReasons(found, state)));
    }
    const effects = new Set(reasons.map((r) => REASONS[r].effect));
    const status = effects.has('fail') ? 'not_verified' : effects.has('pending') ? 'pending' : 'verified';
    verifications.inc({ status });
    this.recordAccess(principal, gtin, input.serial, found);
    stop();
    return {
      verified: status === 'verified',
      status,
      reasons: reasons.map((code) => ({ code, ...REASONS[code] })),
      gtin,
      serial: input.serial,
      lot: input.lot,
      expiry: input.expiry,
      epc: found?.pack.epc,
      packStatus: found?.pack.status,
      ...(await product.then((p) => (p ? { product: p } : {}))),
      ...(state ? { state: toStateDto(state) } : {}),
      ...(scanWarnings.length > 0 ? { scanWarnings } : {}),
      checkedAt: new Date().toISOString(),
    };
  }

  /** Members' verifications feed the harvesting detector (the admin token is not a member's key). */
  private recordAccess(
    principal: Principal | undefined,
    gtin: string,
    serial: string,
    found?: VerifiedPack,
  ): void {
    if (!principal?.apiKeyId || !principal.organisationId) return;
    this.access.record({
      schemaVersion: 1,
      apiKeyId: principal.apiKeyId,
      organisationId: principal.organisationId,
      ...(principal.organisationName ? { organisationName: principal.organisationName } : {}),
      gtin,
      serial,
      found: found !== undefined,
      held: found !== undefined && heldBy(found, principal),
      at: new Date().toISOString(),
    });
  }
}

/** Whether the pack's history names the caller's organisation: holder, publisher, sender or addressee. */
export function heldBy({ pack, steps }: VerifiedPack, principal: Principal): boolean {
  const glns = new Set(principal.glns);
  const ours = (party: string | null) => party !== null && glns.has(glnOfLocationOrParty(party) ?? party);
  if (pack.ownerOrgId === principal.organisationId || ours(pack.custodian) || ours(pack.shippedTo))
    return true;
  return steps.some(
    ({ hop }) =>
      hop !== null &&
      (hop.publisherOrgId === principal.organisationId ||
        ours(hop.custody?.fromParty ?? null) ||
        ours(hop.custody?.toParty ?? null)),
  );
}
