import {
  type AlertsLeaf,
  alertsKey,
  CustodyChecker,
  historyHeadOf,
  readChainDeployment,
  type StateLeaf,
  type StateProof,
  verifyStateProof,
} from '@pedigree/chain';
import {
  CustodyLedger__factory,
  EventAnchor__factory,
  ParticipantRegistry__factory,
} from '@pedigree/contracts';
import { loadConfig } from '@pedigree/config';
import { computeEventHash, eventHashDigest } from '@pedigree/epcis';
import type { Command } from 'commander';
import { JsonRpcProvider } from 'ethers';
import { callApi, type Problem } from '../api-client';
import { CliError, ExitCode } from '../exit-codes';
import { type GlobalOptions, print } from '../output';
import { registerAuditModel } from './audit-model.command';
import { unescapeBarcode } from './verify.command';

interface ProvenanceHop {
  eventHash: string;
  bizStep: string | null;
  eventTime: string;
  anchor: { merkleRoot: string; proof: string[]; transactionHash: string | null } | null;
  custody?: {
    action: 'ship' | 'receive';
    consignment: string;
    fromParty: string | null;
    toParty: string | null;
    status: string;
    chainError: string | null;
  } | null;
  event?: Record<string, unknown>;
}

interface Provenance {
  epc: string;
  verdict: string;
  status: string;
  lot: string | null;
  expiry: string | null;
  custodian: string | null;
  parent: string | null;
  hops: ProvenanceHop[];
  state?: { proof: StateProof | null; alertsProof?: StateProof<AlertsLeaf> | null };
}

type HopOutcome = 'proven' | 'tampered' | 'unanchored';
type Outcome = HopOutcome | 'unknown' | 'suspect';

interface StateAudit {
  outcome: Outcome;
  checks: string[];
  stateRoot?: string;
  committedAtBlock?: number;
}

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
  const audit = program.command('audit');
  registerAuditModel(audit, globals, (flag) => contractAddress('EventAnchor', flag));
  audit
    .description(
      'check a pack’s chain of custody against the chain itself: exit 0 every hop proven, 1 tampered, 2 unanchored',
    )
    .argument('<pack>', 'EPC URN, GS1 Digital Link or a scanned barcode')
    // Checked in the action, not by commander: a required option here would be required of `audit model` too.
    .option('--rpc <url>', 'an Ethereum JSON-RPC endpoint of the consortium chain you trust (required)')
    .option('--anchor <address>', 'the EventAnchor contract (default: from CHAIN_DEPLOYMENT_FILE)')
    .option('--custody <address>', 'the CustodyLedger contract (default: from CHAIN_DEPLOYMENT_FILE)')
    .addHelpText(
      'after',
      `
For every hop the API returns, audit recomputes the CBV 2.0 Event Hash from the event itself (not the hash the API
states), and asks the EventAnchor contract, over --rpc, whether the Merkle proof takes that hash to a root anchored
on chain (EventAnchor.verifyEvent) and in which block (anchorOf). Then it reads the latest state root from the
contract (EventAnchor.latestState) and checks the answer's Merkle-Patricia proof of the pack's leaf against it: the
hops must walk to the history head the leaf commits (none missing, added or reordered) and the pack's status, lot,
expiry, custodian and container must be the committed ones; suspicion comes from the committed flags and alerts.
Each custody handoff (shipping, receiving) is read back from CustodyLedger's events for that very event: the
chain's sender and addressee must be the participants the registry binds to the parties' GLNs.
Exit 0 proven, 1 tampered, unknown to the chain or suspect, 2 not yet committed (run it again shortly).
Examples:
  pedigree audit urn:epc:id:sgtin:4012345.012345.1001 --rpc https://rpc.consortium.example --anchor 0x…
  pedigree audit '(01)04012345123456(21)SN1001' --rpc http://127.0.0.1:8545 --json`,
    )
    .action(async (pack: string, flags: { rpc?: string; anchor?: string; custody?: string }) => {
      const options = globals();
      if (!flags.rpc) throw new CliError("required option '--rpc <url>' not specified", ExitCode.USAGE);
      const rpc = flags.rpc;
      const { hops, state, provenance } = await auditChain(
        (root) => fetchProvenance(options, pack, root),
        rpc,
        contractAddress('EventAnchor', flags.anchor),
        contractAddress('CustodyLedger', flags.custody),
      );
      const outcomes = [...hops.map((h) => h.outcome), state.outcome];
      const outcome: Outcome = outcomes.includes('tampered')
        ? 'tampered'
        : outcomes.includes('unknown')
          ? 'unknown'
          : outcomes.includes('unanchored') || hops.length === 0
            ? 'unanchored'
            : outcomes.includes('suspect')
              ? 'suspect'
              : 'proven';
      const report = {
        epc: provenance.epc,
        outcome,
        apiVerdict: provenance.verdict,
        rpc,
        state,
        hops,
      };
      print(options, report, () => describe(report));
      process.exitCode =
        outcome === 'proven' ? ExitCode.OK : outcome === 'unanchored' ? ExitCode.PENDING : ExitCode.NEGATIVE;
    });
}

/** The provenance answer with proofs against `stateRoot`, the root the audit read from the chain itself. */
async function fetchProvenance(options: GlobalOptions, pack: string, stateRoot: string): Promise<Provenance> {
  const id = pack.startsWith('urn:') || pack.startsWith('http') ? pack : unescapeBarcode(pack);
  const root = /^0x0+$/.test(stateRoot) ? '' : `&stateRoot=${stateRoot}`;
  const response = await callApi<Provenance | Problem>(
    options,
    'GET',
    `/v1/provenance/${encodeURIComponent(id)}?include=events${root}`,
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

function contractAddress(name: 'EventAnchor' | 'CustodyLedger', flag: string | undefined): string {
  if (flag) return flag;
  try {
    return readChainDeployment(loadConfig('cli').chainDeploymentFile).contracts[name];
  } catch (error) {
    const option = name === 'EventAnchor' ? '--anchor' : '--custody';
    throw new CliError(`No ${name} address: pass ${option} (${(error as Error).message})`, ExitCode.USAGE);
  }
}

/**
 * Reads the latest state root from the chain first, then asks the API for proofs against exactly that root (the
 * state moves every few seconds, and the chain's latest is the only root to trust), then checks them.
 */
async function auditChain(
  fetch: (stateRoot: string) => Promise<Provenance>,
  rpc: string,
  address: string,
  custodyAddress: string,
): Promise<{ hops: HopAudit[]; state: StateAudit; provenance: Provenance }> {
  const provider = new JsonRpcProvider(rpc, undefined, { staticNetwork: true });
  const anchor = EventAnchor__factory.connect(address, provider);
  const custody = CustodyLedger__factory.connect(custodyAddress, provider);
  try {
    await provider.getBlockNumber();
  } catch (error) {
    provider.destroy();
    throw new CliError(`Cannot reach the chain at ${rpc}: ${(error as Error).message}`, ExitCode.UNAVAILABLE);
  }
  try {
    const latest = await anchor.latestState();
    // The registry is the one the custody contract itself names, not one the answer could point to.
    const registry = ParticipantRegistry__factory.connect(await custody.registry(), provider);
    const checker = new CustodyChecker(custody, registry);
    const provenance = await fetch(latest.root);
    const anchored: HopAudit[] = [];
    for (const hop of provenance.hops) anchored.push(await auditHop(hop, anchor));
    // The state is judged on the events alone; custody is a further check of each proven hop.
    const state = await auditState(provenance, anchored, latest);
    const hops: HopAudit[] = [];
    for (const [i, hop] of provenance.hops.entries())
      hops.push(
        anchored[i]!.outcome === 'proven' ? await auditCustody(hop, anchored[i]!, checker) : anchored[i]!,
      );
    return { hops, state, provenance };
  } finally {
    provider.destroy();
  }
}

/**
 * The pack's state and the completeness of its history, against EventAnchor.latestState(): the answer's proof must
 * take the pack's leaf to that root (read here, never taken from the answer), the hops must walk to the head the
 * leaf commits, and the answer's facts must be the leaf's.
 */
async function auditState(
  provenance: Provenance,
  hops: HopAudit[],
  latest: { root: string; blockNumber: bigint },
): Promise<StateAudit> {
  const audit: StateAudit = {
    outcome: 'tampered',
    checks: [],
    stateRoot: latest.root,
    committedAtBlock: Number(latest.blockNumber),
  };
  const proof = provenance.state?.proof;
  if (/^0x0+$/.test(latest.root)) {
    return {
      ...audit,
      outcome: 'unanchored',
      checks: ['EventAnchor.latestState(): no state committed on chain yet'],
    };
  }
  audit.checks.push(`EventAnchor.latestState(): root ${latest.root}, block ${latest.blockNumber}`);
  if (!proof || proof.key !== provenance.epc) {
    audit.checks.push('the answer carries no state proof for this pack');
    return audit;
  }
  if (proof.stateRoot.toLowerCase() !== latest.root.toLowerCase()) {
    audit.checks.push(`the answer's proof is against root ${proof.stateRoot}, not the one asked for`);
    return audit;
  }
  const check = await verifyStateProof(latest.root, proof);
  if (!check.valid) {
    audit.checks.push(`the state proof does not hold: ${check.reason}`);
    return audit;
  }
  const leaf = check.leaf;
  if (!leaf) {
    audit.checks.push(
      "the proof shows the chain's state map holds no such pack: whatever the database says, it is unknown",
    );
    return { ...audit, outcome: 'unknown' };
  }
  audit.checks.push(
    `Merkle-Patricia proof of its leaf checked against that root: ${leaf.status}, ${leaf.count} event(s)`,
  );
  const compared = compareLeaf(provenance, hops, leaf, audit.checks);
  if (compared.outcome !== 'proven') return { ...audit, ...compared };
  return { ...audit, ...(await suspicion(latest.root, leaf, provenance.state?.alertsProof, audit.checks)) };
}

/** Suspicion as the chain commits it: flagged events in the history, and the pack's open and resolved alerts. */
async function suspicion(
  root: string,
  leaf: StateLeaf,
  proof: StateProof<AlertsLeaf> | null | undefined,
  checks: string[],
): Promise<Pick<StateAudit, 'outcome' | 'checks'>> {
  if (!proof || proof.key !== alertsKey(leaf.epc) || proof.stateRoot.toLowerCase() !== root.toLowerCase()) {
    checks.push('the answer carries no proof of its alerts against the latest root');
    return { outcome: 'tampered', checks };
  }
  const check = await verifyStateProof<AlertsLeaf>(root, proof);
  if (!check.valid) {
    checks.push(`the proof of its alerts does not hold: ${check.reason}`);
    return { outcome: 'tampered', checks };
  }
  const open = check.leaf?.open.length ?? 0;
  const resolved = check.leaf?.resolved.length ?? 0;
  checks.push(`alerts committed: ${open} open, ${resolved} resolved; ${leaf.flagged} flagged event(s)`);
  return { outcome: open > 0 || (leaf.flagged > 0 && resolved === 0) ? 'suspect' : 'proven', checks };
}

function compareLeaf(
  provenance: Provenance,
  hops: HopAudit[],
  leaf: StateLeaf,
  checks: string[],
): Pick<StateAudit, 'outcome' | 'checks'> {
  if (hops.some((h) => h.outcome === 'tampered')) {
    checks.push('history not walked: a hop does not hash to its Event Hash ID');
    return { outcome: 'tampered', checks };
  }
  if (hops.length < leaf.count) {
    checks.push(
      `the chain commits ${leaf.count} events; the answer shows ${hops.length}: events are missing`,
    );
    return { outcome: 'tampered', checks };
  }
  const digests = hops.slice(0, leaf.count).map((h) => eventHashDigest(h.eventHash));
  if (historyHeadOf(digests).toString('hex') !== leaf.head) {
    checks.push(
      'its events do not walk to the history head the chain committed: edited, removed, reordered or inserted',
    );
    return { outcome: 'tampered', checks };
  }
  checks.push(`its first ${leaf.count} event(s) walk to the committed history head`);
  if (hops.length > leaf.count) {
    checks.push(`${hops.length - leaf.count} newer event(s) are not committed on chain yet`);
    return { outcome: 'unanchored', checks };
  }
  const stated = {
    status: provenance.status,
    lot: provenance.lot,
    expiry: provenance.expiry,
    custodian: provenance.custodian,
    parent: provenance.parent,
  };
  const differing = (Object.keys(stated) as (keyof typeof stated)[]).filter((k) => stated[k] !== leaf[k]);
  if (differing.length > 0) {
    for (const key of differing)
      checks.push(
        `the answer says ${key} ${JSON.stringify(stated[key])}; the chain committed ${JSON.stringify(leaf[key])}`,
      );
    return { outcome: 'tampered', checks };
  }
  checks.push('status, lot, expiry, custodian and container in the answer are the committed ones');
  return { outcome: 'proven', checks };
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

/**
 * The hop's custody handoff as CustodyLedger records it for this very event (the digest recomputed above):
 * signed by the participant owning the sender's GLN, received by the one owning the addressee's.
 */
async function auditCustody(hop: ProvenanceHop, audit: HopAudit, checker: CustodyChecker): Promise<HopAudit> {
  if (!hop.custody) return audit;
  const check = await checker.check({
    action: hop.custody.action,
    consignmentKey: hop.custody.consignment,
    eventHash: eventHashDigest(audit.eventHash).toString('hex'),
    fromParty: hop.custody.fromParty,
    toParty: hop.custody.toParty,
  });
  const verb = hop.custody.action === 'ship' ? 'shipment' : 'receipt';
  if (check.status === 'confirmed') {
    audit.checks.push(
      `CustodyLedger: ${verb} of ${hop.custody.consignment} recorded in block ${check.blockNumber}, ${check.from} → ${check.to}, signed by the ${hop.custody.action === 'ship' ? 'sender' : 'addressee'}`,
    );
    return audit;
  }
  if (check.status === 'mismatch') {
    audit.checks.push(...check.reasons.map((r) => `CustodyLedger: ${r}`));
    return { ...audit, outcome: 'tampered' };
  }
  if (hop.custody.status === 'failed') {
    audit.checks.push(
      `CustodyLedger holds no ${verb} for it; Pedigree reports the chain refused it (${hop.custody.chainError ?? 'no reason'})`,
    );
    return audit;
  }
  audit.checks.push(`CustodyLedger holds no ${verb} for it yet (Pedigree: ${hop.custody.status})`);
  return { ...audit, outcome: 'unanchored' };
}

const HEADLINES: Record<Outcome, (rpc: string) => string> = {
  proven: (rpc) => `✔ PROVEN against the chain at ${rpc}`,
  tampered: () => '✖ TAMPERED: the answer does not match what the chain holds',
  unknown: () => '✖ UNKNOWN: the chain holds no such pack',
  unanchored: () => '… NOT PROVEN: part of it is not committed on chain',
  suspect: () => '✖ SUSPECT: proven, and the chain commits a flag or an open alert with no resolution',
};

function describe(report: {
  epc: string;
  outcome: Outcome;
  rpc: string;
  state: StateAudit;
  hops: HopAudit[];
}): string {
  const lines = [HEADLINES[report.outcome](report.rpc), `  ${report.epc}: ${report.hops.length} hop(s)`];
  lines.push(`  ${report.state.outcome === 'proven' ? '✔' : '✖'} state and history`);
  for (const check of report.state.checks) lines.push(`      ${check}`);
  for (const hop of report.hops) {
    lines.push(
      `  ${hop.outcome === 'proven' ? '✔' : '✖'} ${hop.eventTime} ${hop.bizStep ?? '-'} ${hop.eventHash}`,
    );
    for (const check of hop.checks) lines.push(`      ${check}`);
  }
  lines.push(
    '  Not checked (the chain cannot know it): that each event happened physically as its publisher signed it.',
  );
  return lines.join('\n');
}
