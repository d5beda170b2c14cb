import { custodyKeyTypedData } from '@pedigree/chain';
import { loadConfig } from '@pedigree/config';
import type { Command } from 'commander';
import { type TypedDataDomain, type TypedDataField, Wallet } from 'ethers';
import { callApi, type Problem } from '../api-client';
import { CliError, ExitCode } from '../exit-codes';
import { type GlobalOptions, print } from '../output';

interface CustodyKey {
  mode: 'platform' | 'own';
  address: string | null;
  pendingAddress: string | null;
  chainStatus: string;
  domain: TypedDataDomain | null;
}

interface SignatureRequest {
  id: string;
  action: 'ship' | 'receive';
  consignment: string;
  status: string;
  typedData: {
    domain: TypedDataDomain;
    types: Record<string, TypedDataField[]>;
    message: Record<string, string>;
  };
}

/**
 * `pedigree custody`: for members that hold their own custody key (PEDIGREE_CUSTODY_KEY) instead of leaving it
 * with the platform's keystore. The key never leaves this process: the API gets addresses and signatures.
 */
export function registerCustody(program: Command, globals: () => GlobalOptions): void {
  const custody = program
    .command('custody')
    .description("your organisation's custody key: who signs your handoffs on CustodyLedger");
  custody
    .command('key')
    .description('show who signs your handoffs and your address on chain')
    .action(async () => {
      const options = globals();
      const key = await getKey(options);
      print(options, key, () =>
        [
          `custody key: ${key.mode === 'own' ? 'your own' : "held in the platform's keystore"}`,
          `address on chain: ${key.address ?? '(not registered yet)'} (${key.chainStatus})`,
          ...(key.pendingAddress ? [`moving to: ${key.pendingAddress}`] : []),
        ].join('\n'),
      );
    });
  custody
    .command('register-key')
    .description('register PEDIGREE_CUSTODY_KEY as your custody key; from then on you sign your handoffs')
    .action(async () => {
      const options = globals();
      const wallet = custodyWallet();
      const current = await getKey(options);
      const organisationId = await me(options);
      if (!current.domain) throw new CliError('The chain is not known to the API yet.', ExitCode.UNAVAILABLE);
      const typed = custodyKeyTypedData(current.domain, organisationId, wallet.address);
      const signature = await wallet.signTypedData(typed.domain, typed.types, typed.message);
      const response = await callApi<CustodyKey | Problem>(options, 'PUT', '/v1/custody/key', {
        address: wallet.address,
        signature,
      });
      if (response.status !== 200) throw problem(response.body as Problem, response.status);
      print(
        options,
        response.body,
        () => `registered ${wallet.address}; the ledger now moves your participant to it`,
      );
    });
  custody
    .command('sign')
    .description('sign every handoff waiting for your custody key (the ledger then relays them)')
    .action(async () => {
      const options = globals();
      const wallet = custodyWallet();
      const pending = await callApi<{ items: SignatureRequest[] } | Problem>(
        options,
        'GET',
        '/v1/custody/signature-requests',
      );
      if (pending.status !== 200) throw problem(pending.body as Problem, pending.status);
      const signed: { id: string; action: string; consignment: string }[] = [];
      for (const request of (pending.body as { items: SignatureRequest[] }).items) {
        if (request.status !== 'awaiting_signature') continue;
        const { domain, types, message } = request.typedData;
        const signature = await wallet.signTypedData(domain, types, message);
        const response = await callApi<Problem>(
          options,
          'POST',
          `/v1/custody/signature-requests/${request.id}/signature`,
          { signature },
        );
        if (response.status !== 200) throw problem(response.body, response.status);
        signed.push({ id: request.id, action: request.action, consignment: request.consignment });
      }
      print(options, { signed }, () =>
        signed.length === 0
          ? 'nothing waits for your signature'
          : signed.map((s) => `signed ${s.action} of ${s.consignment} (request ${s.id})`).join('\n'),
      );
    });
}

function custodyWallet(): Wallet {
  const key = loadConfig('cli').memberCustodyKey;
  if (!key)
    throw new CliError(
      'No custody key.',
      ExitCode.CONFIG,
      'Set PEDIGREE_CUSTODY_KEY to your custody key (0x + 64 hex).',
    );
  return new Wallet(key);
}

async function getKey(options: GlobalOptions): Promise<CustodyKey> {
  const response = await callApi<CustodyKey | Problem>(options, 'GET', '/v1/custody/key');
  if (response.status !== 200) throw problem(response.body as Problem, response.status);
  return response.body as CustodyKey;
}

async function me(options: GlobalOptions): Promise<string> {
  const response = await callApi<{ organisationId?: string }>(options, 'GET', '/v1/me');
  if (!response.body.organisationId)
    throw new CliError('This key belongs to no member organisation.', ExitCode.NO_PERMISSION);
  return response.body.organisationId;
}

function problem(body: Problem, status: number): CliError {
  return new CliError(
    `${body.code ?? status}: ${body.detail ?? 'the API refused'}`,
    status === 403 ? ExitCode.NO_PERMISSION : status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.DATA_ERROR,
  );
}
