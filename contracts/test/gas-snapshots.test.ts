import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { expect } from 'chai';
import { type ContractTransactionResponse } from 'ethers';
import hre, { ethers } from 'hardhat';
import {
  consignmentId,
  deployFixture,
  eventDigest,
  registeredFixture,
  signReceipt,
  signShipment,
} from './helpers/fixtures';
import { loadFixture } from './helpers/load-fixture';

/**
 * Gas snapshots, after Uniswap v4-core's `snapshots/`: figures are written to contracts/gas-snapshots.json and
 * the test fails when one grows by more than 5% over the stored figure, unless UPDATE_SNAPSHOTS=true.
 */
const SNAPSHOT_FILE = path.join(__dirname, '..', 'gas-snapshots.json');
const TOLERANCE = 0.05;
const UPDATE = process.env.UPDATE_SNAPSHOTS === 'true';
// Instrumented bytecode costs more gas: under solidity-coverage the figures are measured but not compared.
const COVERAGE = (hre as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;

const ANCHOR_BATCH_SIZES = [100, 1_000, 10_000];
const HANDOFF_BATCH_SIZES = [1, 10, 100];

type Snapshot = Record<string, number>;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

const perUnit = (gas: number, units: number): number => Math.round((gas / units) * 100) / 100;

function readSnapshot(): Snapshot {
  return existsSync(SNAPSHOT_FILE) ? (JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as Snapshot) : {};
}

function writeSnapshot(snapshot: Snapshot): void {
  const sorted = Object.fromEntries(Object.entries(snapshot).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}

describe('gas snapshots', () => {
  const measured: Snapshot = {};

  it('anchor: amortised gas per event at 100, 1,000 and 10,000 events (only the root goes on-chain)', async () => {
    const { anchor } = await loadFixture(deployFixture);
    // Warm-up: the first anchor also initialises the batch counter; measure the steady state.
    await anchor.anchor(ethers.id('warm-up'), 1);
    for (const size of ANCHOR_BATCH_SIZES) {
      const digests = Array.from({ length: size }, (_, i) => [eventDigest(size * 100_000 + i)]);
      const { root } = StandardMerkleTree.of(digests, ['bytes32']);
      const gas = await gasOf(anchor.anchor(root, size));
      measured[`EventAnchor.anchor [${size} events]`] = gas;
      measured[`EventAnchor.anchor [${size} events] per event`] = perUnit(gas, size);
    }
    if (!COVERAGE) expect(measured['EventAnchor.anchor [1000 events] per event']).to.be.at.most(100);
  });

  it('anchorWithState: the event root and the state root together, per event at 100, 1,000 and 10,000', async () => {
    const { anchor } = await loadFixture(deployFixture);
    await anchor.anchorWithState(ethers.id('warm-up'), 1, ethers.id('state-0'), 1);
    for (const [i, size] of ANCHOR_BATCH_SIZES.entries()) {
      const digests = Array.from({ length: size }, (_, j) => [eventDigest(size * 100_000 + j)]);
      const { root } = StandardMerkleTree.of(digests, ['bytes32']);
      const gas = await gasOf(anchor.anchorWithState(root, size, ethers.id(`state-${i + 1}`), i + 2));
      measured[`EventAnchor.anchorWithState [${size} events]`] = gas;
      measured[`EventAnchor.anchorWithState [${size} events] per event`] = perUnit(gas, size);
    }
    if (!COVERAGE) expect(measured['EventAnchor.anchorWithState [1000 events] per event']).to.be.at.most(100);
  });

  it('custody: gas per handoff of relayShipments / relayReceipts at 1, 10 and 100 handoffs', async () => {
    const { custody, anchorer, manufacturer, distributor, dispenser } = await loadFixture(registeredFixture);
    const relayer = custody.connect(anchorer);
    for (const size of HANDOFF_BATCH_SIZES) {
      const ids = Array.from({ length: size }, (_, i) => consignmentId(size * 1_000 + i));
      const record = (name: string, kind: string, gas: number): void => {
        measured[`CustodyLedger.${name} [${size} ${kind}]`] = gas;
        measured[`CustodyLedger.${name} [${size} ${kind}] per handoff`] = perUnit(gas, size);
      };
      const ship = (from: typeof manufacturer, to: string) =>
        Promise.all(ids.map((c, i) => signShipment(custody, from, c, to, eventDigest(i))));
      record(
        'relayShipments',
        'originations',
        await gasOf(relayer.relayShipments(await ship(manufacturer, distributor.address))),
      );
      const receipts = await Promise.all(
        ids.map((c, i) => signReceipt(custody, distributor, c, eventDigest(i))),
      );
      record('relayReceipts', 'receipts', await gasOf(relayer.relayReceipts(receipts)));
      record(
        'relayShipments',
        'forwards',
        await gasOf(relayer.relayShipments(await ship(distributor, dispenser.address))),
      );
    }
    const single = consignmentId('single');
    const digest = eventDigest(1);
    measured['CustodyLedger.recordShipment [origination]'] = await gasOf(
      custody.connect(manufacturer).recordShipment(single, distributor.address, digest),
    );
    measured['CustodyLedger.recordReceipt'] = await gasOf(
      custody.connect(distributor).recordReceipt(single, digest),
    );
    measured['CustodyLedger.recordShipment [forward]'] = await gasOf(
      custody.connect(distributor).recordShipment(single, dispenser.address, digest),
    );
  });

  it(`stays within ${TOLERANCE * 100}% of contracts/gas-snapshots.json (UPDATE_SNAPSHOTS=true to accept)`, () => {
    if (COVERAGE) return;
    const stored = readSnapshot();
    const regressions = Object.entries(measured)
      .filter(([name, gas]) => stored[name] !== undefined && gas > stored[name] * (1 + TOLERANCE))
      .map(([name, gas]) => `${name}: ${stored[name]} -> ${gas}`);
    if (UPDATE) {
      writeSnapshot(measured);
      return;
    }
    expect(regressions, `gas grew by more than ${TOLERANCE * 100}%`).to.deep.equal([]);
    if (Object.keys(measured).some((name) => stored[name] === undefined))
      writeSnapshot({ ...stored, ...measured });
  });
});
