import { Injectable } from '@nestjs/common';
import { deriveWallet, type Handoff, signHandoff } from '@pedigree/chain';
import { PedigreeConfig } from '@pedigree/config';
import type { HDNodeWallet, TypedDataDomain } from 'ethers';

/**
 * The custody keys the platform holds for members who don't sign handoffs themselves, derived from
 * LEDGER_CUSTODY_MNEMONIC: a secret apart from the anchoring key (LEDGER_MNEMONIC), so that the key which anchors
 * batches cannot move custody, and the keystore could move to its own process or a KMS behind this interface.
 * Only this class reads the custody mnemonic. The keys sign typed data and never send transactions (the relayer
 * pays the gas), so they hold no ether.
 */
@Injectable()
export class CustodyKeystoreService {
  private readonly wallets = new Map<number, HDNodeWallet>();

  constructor(private readonly config: PedigreeConfig) {}

  address(accountIndex: number): string {
    return this.wallet(accountIndex).address;
  }

  sign(accountIndex: number, domain: TypedDataDomain, handoff: Handoff): Promise<string> {
    return signHandoff(this.wallet(accountIndex), domain, handoff);
  }

  private wallet(index: number): HDNodeWallet {
    let wallet = this.wallets.get(index);
    if (!wallet) {
      wallet = deriveWallet(this.config.ledgerCustodyMnemonic!, index);
      this.wallets.set(index, wallet);
    }
    return wallet;
  }
}
