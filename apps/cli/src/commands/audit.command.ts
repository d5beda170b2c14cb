import { readChainDeployment } from '@pedigree/chain';
import { EventAnchor__factory } from '@pedigree/contracts';
import { loadConfig } from '@pedigree/config';
import { computeEventHash, eventHashDigest } from '@pedigree/epcis';
import type { Command } from 'commander';
import { JsonRpcProvider } from 'ethers';
import { callApi, type Problem } from '../api-client';
import { CliError, ExitCode } from '../exit-codes';
import { type GlobalOptions, print } from '../output';
import { unescapeBarcode } from './verify.command';

interface ProvenanceHop {
  eventHash: string;
  bizStep: string | null;
  eventTime: string;
  anchor: { merkleRoot: string; proof: string[]; transactionHash: string | null } | null;
  event?: Record<string, unknown>;
}

interface Provenance {
  epc: string;
  verdict: string;
  hops: ProvenanceHop[];
}

type HopOutcome = 'proven' | 'tampered' | 'unanchored';

interface HopAudit {
  eventHash: string;
  bizStep: string | null;
  eventTime: string;
  outcome: HopOutcome;
  /** What was checked, each against the bytes of the answer and the contract itself. */
  checks: string[];
  anchoredAtBlock?: number;
}

/**
 * `pedigree audit`: takes the provenance answer with its proofs and checks each hop against the EventAnchor
 * contract over an RPC endpoint the auditor chooses: it trusts neither the API nor its database for what it checks.
 */
export function registerAudit(program: Command, globals: () => GlobalOptions): void {
  program
    .command('audit')
    .description(
      'check a pack’s chain of custody against the chain itself: exit 0 every hop proven, 1 tampered, 2 unanchored',
    )
    .argument('<pack>', 'EPC URN, GS1 Digital Link or a scanned barcode')
    .requiredOption('--rpc <url>', 'an Ethereum JSON-RPC endpoint of the consortium chain you trust')
    .option('--anchor <address>', 'the EventAnchor contract (default: from CHAIN_DEPLOYMENT_FILE)')
    .addHelpText(
      'after',
      `
For every hop the API returns, audit recomputes the CBV 2.0 Event Hash from the event itself (not the hash the API
states), and asks the EventAnchor contract, over --rpc, whether the Merkle proof takes that hash to a root anchored
on chain (EventAnchor.verifyEvent) and in which block (anchorOf). It does not check that the API returned every
hop, nor the pack's current state: those are committed on chain by the state map of "Hard to fool, part 2".
Examples:
  pedigree audit urn:epc:id:sgtin:4012345.012345.1001 --rpc https://rpc.consortium.example --anchor 0x…
  pedigree audit '(01)04012345123456(21)SN1001' --rpc http://127.0.0.1:8545 --json`,
    )
    .action(async (pack: string, flags: { rpc: string; anchor?: string }) => {
      const options = globals();
      const provenance = await fetchProvenance(options, pack);
      const hops = await auditHops(provenance.hops, flags.rpc, anchorAddress(flags.anchor));
      const outcome: HopOutcome = hops.some((h) => h.outcome === 'tampered')
        ? 'tampered'
        : hops.some((h) => h.outcome === 'unanchored') || hops.length === 0
          ? 'unanchored'
          : 'proven';
      const report = { epc: provenance.epc, outcome, apiVerdict: provenance.verdict, rpc: flags.rpc, hops };
      print(options, report, () => describe(report));
      process.exitCode =
        outcome === 'proven' ? ExitCode.OK : outcome === 'tampered' ? ExitCode.NEGATIVE : ExitCode.PENDING;
    });
}

async function fetchProvenance(options: GlobalOptions, pack: string): Promise<Provenance> {
  const id = pack.startsWith('urn:') || pack.startsWith('http') ? pack : unescapeBarcode(pack);
  const response = await callApi<Provenance | Problem>(
    options,
    'GET',
    `/v1/provenance/${encodeURIComponent(id)}?include=events`,
  );
  if (response.status !== 200) {
    throw new CliError(
      `The API did not give the pack's provenance: ${(response.body as Problem).detail ?? response.status}`,
      response.status === 404 ? ExitCode.NEGATIVE : ExitCode.NO_PERMISSION,
      'A regulator key, or the key of a member that held the pack, reads its provenance.',
    );
  }
  return response.body as Provenance;
}

function anchorAddress(flag: string | undefined): string {
  if (flag) return flag;
  try {
    return readChainDeployment(loadConfig('cli').chainDeploymentFile).contracts.EventAnchor;
  } catch (error) {
    throw new CliError(`No EventAnchor address: pass --anchor (${(error as Error).message})`, ExitCode.USAGE);
  }
}

async function auditHops(hops: ProvenanceHop[], rpc: string, address: string): Promise<HopAudit[]> {
  const provider = new JsonRpcProvider(rpc, undefined, { staticNetwork: true });
  const anchor = EventAnchor__factory.connect(address, provider);
  try {
    await provider.getBlockNumber();
  } catch (error) {
    provider.destroy();
    throw new CliError(`Cannot reach the chain at ${rpc}: ${(error as Error).message}`, ExitCode.UNAVAILABLE);
  }
  try {
    const out: HopAudit[] = [];
    for (const hop of hops) out.push(await auditHop(hop, anchor));
    return out;
  } finally {
    provider.destroy();
  }
}

async function auditHop(hop: ProvenanceHop, anchor: ReturnType<typeof EventAnchor__factory.connect>) {
  const result: HopAudit = {
    eventHash: hop.eventHash,
    bizStep: hop.bizStep,
    eventTime: hop.eventTime,
    outcome: 'tampered',
    checks: [],
  };
  if (!hop.event) {
    result.checks.push('the answer holds no event to hash');
    return result;
  }
  const { ['@context']: context, ...event } = hop.event;
  const recomputed = computeEventHash(event, context as never);
  if (recomputed !== hop.eventHash) {
    result.checks.push(`the event hashes to ${recomputed}, not to the Event Hash ID the answer states`);
    return result;
  }
  result.checks.push('Event Hash ID recomputed from the event (CBV 2.0)');
  if (!hop.anchor) {
    result.outcome = 'unanchored';
    result.checks.push('no anchor: the event is not on chain');
    return result;
  }
  const digest = `0x${eventHashDigest(recomputed).toString('hex')}`;
  if (!(await anchor.verifyEvent(hop.anchor.merkleRoot, hop.anchor.proof, digest))) {
    result.checks.push(`EventAnchor.verifyEvent refuses the proof to root ${hop.anchor.merkleRoot}`);
    return result;
  }
  const record = await anchor.anchorOf(hop.anchor.merkleRoot);
  result.outcome = 'proven';
  result.anchoredAtBlock = Number(record.blockNumber);
  result.checks.push(
    `EventAnchor.verifyEvent: the proof takes it to root ${hop.anchor.merkleRoot}, anchored in block ${record.blockNumber}`,
  );
  return result;
}

function describe(report: { epc: string; outcome: HopOutcome; rpc: string; hops: HopAudit[] }): string {
  const head =
    report.outcome === 'proven'
      ? `✔ PROVEN against the chain at ${report.rpc}`
      : report.outcome === 'tampered'
        ? `✖ TAMPERED: a hop does not match what the chain holds`
        : `… NOT PROVEN: a hop is not anchored on chain`;
  const lines = [head, `  ${report.epc}: ${report.hops.length} hop(s)`];
  for (const hop of report.hops) {
    lines.push(
      `  ${hop.outcome === 'proven' ? '✔' : '✖'} ${hop.eventTime} ${hop.bizStep ?? '-'} ${hop.eventHash}`,
    );
    for (const check of hop.checks) lines.push(`      ${check}`);
  }
  lines.push(
    '  Not checked: that these are all of the pack’s events, and its current state (the on-chain state map of part 2).',
  );
  return lines.join('\n');
}
