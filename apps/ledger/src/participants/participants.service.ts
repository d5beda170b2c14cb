import { Injectable } from '@nestjs/common';
import { decodeChainError, identifierHash } from '@pedigree/chain';
import { PedigreeConfig } from '@pedigree/config';
import type { OrganisationEntity, OrganisationRole } from '@pedigree/database';
import { keccak256, toUtf8Bytes, ZeroHash, zeroPadValue } from 'ethers';
import { LedgerChainService } from '../chain/ledger-chain.service';
import { CustodyKeystoreService } from '../custody/custody-keystore.service';
import { LeaderLockService } from '../worker/leader-lock.service';
import { PollingWorker } from '../worker/polling-worker';
import { type ParticipantJob, ParticipantsRepository } from './participants.repository';

const ROLE_HASH: Record<OrganisationRole, string> = {
  manufacturer: keccak256(toUtf8Bytes('MANUFACTURER_ROLE')),
  distributor: keccak256(toUtf8Bytes('DISTRIBUTOR_ROLE')),
  dispenser: keccak256(toUtf8Bytes('DISPENSER_ROLE')),
  regulator: keccak256(toUtf8Bytes('REGULATOR_ROLE')),
};

/** The organisation's UUID as the contract's bytes32 org id. */
export function orgIdBytes32(uuid: string): string {
  return zeroPadValue(`0x${uuid.replace(/-/g, '')}`, 32);
}

/**
 * Registers organisations on-chain as the consortium admin: role, org id and hashed GS1 identifiers bound to the
 * organisation's custody address (a keystore key, or the member's own once it registers one); deactivation and
 * reactivation follow the database.
 */
@Injectable()
export class ParticipantsService extends PollingWorker {
  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: ParticipantsRepository,
    private readonly chain: LedgerChainService,
    private readonly keystore: CustodyKeystoreService,
    leader: LeaderLockService,
  ) {
    super();
    this.leader = leader;
  }

  protected get idleDelayMs(): number {
    return Math.max(500, this.config.ledgerPollIntervalMs);
  }

  protected async tick(): Promise<boolean> {
    const jobs = await this.repository.pendingJobs(20);
    for (const job of jobs) {
      if (!this.isRunning) break;
      await this.process(job);
    }
    return jobs.length > 0;
  }

  private async process(job: ParticipantJob): Promise<void> {
    const organisation = await this.repository.organisation(job.payload.organisationId);
    if (!organisation) {
      await this.repository.complete(job, { note: 'organisation-missing' });
      return;
    }
    const address = this.custodyAddress(organisation);
    try {
      switch (job.payload.action) {
        case 'register':
        case 'update':
          return await this.register(job, organisation, address);
        case 'rekey':
          return await this.rekey(job, organisation, address);
        case 'deactivate':
        case 'reactivate':
          return await this.setActive(job, organisation.chainAddress ?? address);
      }
    } catch (error) {
      const decoded = decodeChainError(error);
      this.chain.resetNonce(this.chain.adminIndex);
      if (decoded.kind === 'revert') {
        this.logger.error(
          `on-chain registration of ${organisation.name} refused: ${decoded.name ?? decoded.message}`,
        );
        await this.repository.complete(job, {
          address,
          status: 'failed',
          note: `refused:${decoded.name ?? 'revert'}`,
        });
        return;
      }
      throw error;
    }
  }

  /** The organisation's participant address: its custody key, held in the keystore or its own. */
  private custodyAddress(organisation: OrganisationEntity): string {
    if (organisation.custodyKey === 'own' && organisation.ownCustodyAddress)
      return organisation.ownCustodyAddress;
    return this.keystore.address(organisation.chainAccountIndex);
  }

  private identifierHashes(organisation: OrganisationEntity): string[] {
    return [
      ...organisation.companyPrefixes.map((p) => identifierHash('gcp', p)),
      ...organisation.glns.map((g) => identifierHash('gln', g)),
    ];
  }

  private async register(
    job: ParticipantJob,
    organisation: OrganisationEntity,
    address: string,
  ): Promise<void> {
    const [role] = await this.chain.readOnly().registry.participantOf(address);
    if (role !== ZeroHash) {
      await this.repository.complete(job, { address, status: 'registered', note: 'already-registered' });
      return;
    }
    const registry = this.chain.contractsAs(this.chain.adminIndex).registry;
    const tx = await registry.registerParticipant(
      address,
      ROLE_HASH[organisation.role],
      orgIdBytes32(organisation.id),
      this.identifierHashes(organisation),
    );
    await tx.wait(1);
    this.logger.log(`registered ${organisation.name} (${organisation.role}) as ${address} in tx ${tx.hash}`);
    await this.repository.complete(job, {
      address,
      status: 'registered',
      txHash: tx.hash,
      note: `registered:${tx.hash}`,
    });
  }

  /**
   * Moves the organisation's participant to the custody address it registered: its identifiers are unbound from
   * the old address, the old address is deactivated (so the keystore's key can no longer act for it), and the
   * new one is registered with the same org id and identifiers.
   */
  private async rekey(job: ParticipantJob, organisation: OrganisationEntity, address: string): Promise<void> {
    const previous = organisation.chainAddress;
    if (!previous || previous.toLowerCase() === address.toLowerCase())
      return this.register(job, organisation, address);
    const reader = this.chain.readOnly().registry;
    const registry = this.chain.contractsAs(this.chain.adminIndex).registry;
    const hashes = this.identifierHashes(organisation);
    const owners = await Promise.all(hashes.map((h) => reader.identifierOwner(h)));
    const bound = hashes.filter((_, i) => owners[i].toLowerCase() === previous.toLowerCase());
    if (bound.length > 0) await (await registry.unbindIdentifiers(bound)).wait(1);
    const [, , active] = await reader.participantOf(previous);
    if (active) await (await registry.deactivateParticipant(previous)).wait(1);
    this.logger.log(`${organisation.name} now signs custody with its own key ${address} (was ${previous})`);
    await this.register(job, organisation, address);
  }

  private async setActive(job: ParticipantJob, address: string): Promise<void> {
    const wantActive = job.payload.action === 'reactivate';
    const [role, , active] = await this.chain.readOnly().registry.participantOf(address);
    if (role !== ZeroHash && active !== wantActive) {
      const registry = this.chain.contractsAs(this.chain.adminIndex).registry;
      const tx = wantActive
        ? await registry.reactivateParticipant(address)
        : await registry.deactivateParticipant(address);
      await tx.wait(1);
    }
    await this.repository.complete(job, { note: job.payload.action });
  }

  static roleHash(organisation: Pick<OrganisationEntity, 'role'>): string {
    return ROLE_HASH[organisation.role];
  }
}
