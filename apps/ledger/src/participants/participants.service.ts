import { Injectable } from '@nestjs/common';
import { decodeChainError, deriveAddress, identifierHash } from '@pedigree/chain';
import { PedigreeConfig } from '@pedigree/config';
import type { OrganisationEntity, OrganisationRole } from '@pedigree/database';
import { keccak256, toUtf8Bytes, zeroPadValue } from 'ethers';
import { LedgerChainService } from '../chain/ledger-chain.service';
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
 * organisation's own account; deactivation and reactivation follow the database.
 */
@Injectable()
export class ParticipantsService extends PollingWorker {
  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: ParticipantsRepository,
    private readonly chain: LedgerChainService,
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
    const address = deriveAddress(this.config.ledgerMnemonic!, organisation.chainAccountIndex);
    const registry = this.chain.contractsAs(this.chain.adminIndex).registry;
    const [role, , active] = await this.chain.readOnly().registry.participantOf(address);
    const registered = role !== `0x${'0'.repeat(64)}`;
    try {
      switch (job.payload.action) {
        case 'register':
        case 'update': {
          if (registered) {
            await this.repository.complete(job, {
              address,
              status: 'registered',
              note: 'already-registered',
            });
            return;
          }
          await this.fund(address);
          const identifiers = [
            ...organisation.companyPrefixes.map((p) => identifierHash('gcp', p)),
            ...organisation.glns.map((g) => identifierHash('gln', g)),
          ];
          const tx = await registry.registerParticipant(
            address,
            ROLE_HASH[organisation.role],
            orgIdBytes32(organisation.id),
            identifiers,
          );
          await tx.wait(1);
          this.logger.log(
            `registered ${organisation.name} (${organisation.role}) as ${address} in tx ${tx.hash}`,
          );
          await this.repository.complete(job, {
            address,
            status: 'registered',
            txHash: tx.hash,
            note: `registered:${tx.hash}`,
          });
          return;
        }
        case 'deactivate':
        case 'reactivate': {
          const wantActive = job.payload.action === 'reactivate';
          if (registered && active !== wantActive) {
            const tx = wantActive
              ? await registry.reactivateParticipant(address)
              : await registry.deactivateParticipant(address);
            await tx.wait(1);
          }
          await this.repository.complete(job, { note: job.payload.action });
          return;
        }
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

  /** Dev and gas-priced chains: give the organisation's account gas money from the admin account. */
  private async fund(address: string): Promise<void> {
    const target = BigInt(this.config.ledgerAccountFundingWei);
    if (target === 0n) return;
    const balance = await this.chain.provider.getBalance(address);
    if (balance >= target / 2n) return;
    const tx = await this.chain
      .signer(this.chain.adminIndex)
      .sendTransaction({ to: address, value: target - balance });
    await tx.wait(1);
  }

  static roleHash(organisation: Pick<OrganisationEntity, 'role'>): string {
    return ROLE_HASH[organisation.role];
  }
}
