import { expect } from 'chai';
import { ethers } from 'hardhat';
import { anyValue } from '@nomicfoundation/hardhat-chai-matchers/withArgs';
import {
  consignmentId,
  custodyDomain,
  eventDigest,
  RECEIPT_TYPE,
  registeredFixture,
  SHIPMENT_TYPE,
  signReceipt,
  signShipment,
} from './helpers/fixtures';
import { loadFixture } from './helpers/load-fixture';

describe('CustodyLedger', () => {
  const EVT = eventDigest(42);
  const pallet = consignmentId(1);
  const ids = (from: number, count: number): string[] =>
    Array.from({ length: count }, (_, i) => consignmentId(from + i));

  describe('handoffs', () => {
    it('reads the registry it was deployed with and reports unknown consignments as empty', async () => {
      const { custody, registry } = await loadFixture(registeredFixture);
      expect(await custody.registry()).to.equal(await registry.getAddress());
      expect(await custody.custodyOf(pallet)).to.deep.equal([ethers.ZeroAddress, ethers.ZeroAddress]);
    });

    it('moves custody manufacturer -> distributor -> dispenser in two-step handoffs', async () => {
      const { custody, manufacturer, distributor, dispenser } = await loadFixture(registeredFixture);

      await expect(custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT))
        .to.emit(custody, 'ShipmentRecorded')
        .withArgs(pallet, manufacturer.address, distributor.address, EVT, anyValue);
      expect(await custody.custodyOf(pallet)).to.deep.equal([manufacturer.address, distributor.address]);

      await expect(custody.connect(distributor).recordReceipt(pallet, EVT))
        .to.emit(custody, 'ReceiptRecorded')
        .withArgs(pallet, manufacturer.address, distributor.address, EVT, anyValue);
      expect(await custody.custodyOf(pallet)).to.deep.equal([distributor.address, ethers.ZeroAddress]);

      await expect(custody.connect(distributor).recordShipment(pallet, dispenser.address, EVT))
        .to.emit(custody, 'ShipmentRecorded')
        .withArgs(pallet, distributor.address, dispenser.address, EVT, anyValue);
      expect(await custody.custodyOf(pallet)).to.deep.equal([distributor.address, dispenser.address]);

      await expect(custody.connect(dispenser).recordReceipt(pallet, EVT))
        .to.emit(custody, 'ReceiptRecorded')
        .withArgs(pallet, distributor.address, dispenser.address, EVT, anyValue);
      expect(await custody.custodyOf(pallet)).to.deep.equal([dispenser.address, ethers.ZeroAddress]);
    });

    it('lets a distributor originate a consignment (it creates SSCCs too)', async () => {
      const { custody, distributor, dispenser } = await loadFixture(registeredFixture);
      await expect(custody.connect(distributor).recordShipment(pallet, dispenser.address, EVT))
        .to.emit(custody, 'ShipmentRecorded')
        .withArgs(pallet, distributor.address, dispenser.address, EVT, anyValue);
    });

    it('lets a dispenser return goods it holds, and the regulator receive them', async () => {
      const { custody, manufacturer, distributor, dispenser, regulator } =
        await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, dispenser.address, EVT);
      await custody.connect(dispenser).recordReceipt(pallet, EVT);
      await custody.connect(dispenser).recordShipment(pallet, distributor.address, EVT);
      await custody.connect(distributor).recordReceipt(pallet, EVT);
      await custody.connect(distributor).recordShipment(pallet, regulator.address, EVT);
      await expect(custody.connect(regulator).recordReceipt(pallet, EVT))
        .to.emit(custody, 'ReceiptRecorded')
        .withArgs(pallet, distributor.address, regulator.address, EVT, anyValue);
    });
  });

  describe('relayed handoffs', () => {
    it('records shipments and receipts signed by the parties, sent by a relayer that is no party', async () => {
      const { custody, anchorer, manufacturer, distributor, wholesaler } =
        await loadFixture(registeredFixture);
      const batch = ids(100, 4);
      const to = [distributor.address, distributor.address, wholesaler.address, distributor.address];
      const signed = await Promise.all(
        batch.map((c, i) => signShipment(custody, manufacturer, c, to[i], eventDigest(i))),
      );
      const shipped = custody.connect(anchorer).relayShipments(signed);
      for (const [i, consignment] of batch.entries()) {
        await expect(shipped)
          .to.emit(custody, 'ShipmentRecorded')
          .withArgs(consignment, manufacturer.address, to[i], eventDigest(i), 1);
      }
      const receipts = [batch[0], batch[1], batch[3]];
      const received = custody
        .connect(anchorer)
        .relayReceipts(await Promise.all(receipts.map((c) => signReceipt(custody, distributor, c, EVT))));
      for (const consignment of receipts) {
        await expect(received)
          .to.emit(custody, 'ReceiptRecorded')
          .withArgs(consignment, manufacturer.address, distributor.address, EVT, 1);
        expect(await custody.custodyOf(consignment)).to.deep.equal([distributor.address, ethers.ZeroAddress]);
      }
      expect(await custody.custodyOf(batch[2])).to.deep.equal([manufacturer.address, wholesaler.address]);
      expect(await custody.sequencesOf([batch[0], batch[2], pallet])).to.deep.equal([1n, 1n, 0n]);
    });

    it('agrees with the off-chain typed-data digest', async () => {
      const { custody, distributor } = await loadFixture(registeredFixture);
      const domain = await custodyDomain(custody);
      expect(await custody.handoffDigest(pallet, distributor.address, EVT, 7)).to.equal(
        ethers.TypedDataEncoder.hash(
          domain,
          { Shipment: SHIPMENT_TYPE },
          {
            consignmentId: pallet,
            to: distributor.address,
            eventHash: EVT,
            sequence: 7,
          },
        ),
      );
      expect(await custody.handoffDigest(pallet, ethers.ZeroAddress, EVT, 7)).to.equal(
        ethers.TypedDataEncoder.hash(
          domain,
          { Receipt: RECEIPT_TYPE },
          {
            consignmentId: pallet,
            eventHash: EVT,
            sequence: 7,
          },
        ),
      );
    });

    it('the relayer cannot move custody with its own signature, nor with one for another addressee', async () => {
      const { custody, anchorer, manufacturer, distributor, wholesaler } =
        await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT);
      await custody.connect(distributor).recordReceipt(pallet, EVT);
      const byRelayer = await signShipment(custody, anchorer, pallet, wholesaler.address, EVT);
      await expect(custody.connect(anchorer).relayShipments([byRelayer]))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(anchorer.address);
      // The custodian signed a shipment to the wholesaler; relaying it to the manufacturer recovers a stranger.
      const signed = await signShipment(custody, distributor, pallet, wholesaler.address, EVT);
      await expect(custody.connect(anchorer).relayShipments([{ ...signed, to: manufacturer.address }])).to.be
        .reverted;
      expect(await custody.custodyOf(pallet)).to.deep.equal([distributor.address, ethers.ZeroAddress]);
    });

    it('a signature is good once: a replayed shipment or receipt fails after the consignment moved on', async () => {
      const { custody, anchorer, manufacturer, distributor } = await loadFixture(registeredFixture);
      const ship = await signShipment(custody, manufacturer, pallet, distributor.address, EVT);
      await custody.connect(anchorer).relayShipments([ship]);
      const receipt = await signReceipt(custody, distributor, pallet, EVT);
      await custody.connect(anchorer).relayReceipts([receipt]);
      // Back to the manufacturer (a return), so that the manufacturer is the custodian again.
      await custody.connect(distributor).recordShipment(pallet, manufacturer.address, EVT);
      await custody.connect(manufacturer).recordReceipt(pallet, EVT);
      // The first shipment signed sequence 0; the consignment is at 2 now, so it recovers somebody else.
      await expect(custody.connect(anchorer).relayShipments([ship])).to.be.revertedWithCustomError(
        custody,
        'CustodyLedgerInactiveParticipant',
      );
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT);
      await expect(custody.connect(anchorer).relayReceipts([receipt])).to.be.revertedWithCustomError(
        custody,
        'CustodyLedgerInactiveParticipant',
      );
      expect(await custody.custodyOf(pallet)).to.deep.equal([manufacturer.address, distributor.address]);
    });

    it('refuses a malformed signature, naming the consignment', async () => {
      const { custody, anchorer, manufacturer, distributor } = await loadFixture(registeredFixture);
      const ship = await signShipment(custody, manufacturer, pallet, distributor.address, EVT);
      await expect(custody.connect(anchorer).relayShipments([{ ...ship, signature: '0x1234' }]))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInvalidSignature')
        .withArgs(pallet);
    });

    it('is all or nothing', async () => {
      const { custody, anchorer, manufacturer, distributor, dispenser } =
        await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT);
      const other = consignmentId(2);
      const batch = [
        await signShipment(custody, manufacturer, other, dispenser.address, EVT),
        await signShipment(custody, manufacturer, pallet, dispenser.address, EVT),
      ];
      await expect(custody.connect(anchorer).relayShipments(batch))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInTransit')
        .withArgs(pallet, distributor.address);
      expect(await custody.custodyOf(other)).to.deep.equal([ethers.ZeroAddress, ethers.ZeroAddress]);
      const receipts = [
        await signReceipt(custody, distributor, pallet, EVT),
        await signReceipt(custody, distributor, other, EVT),
      ];
      await expect(custody.connect(anchorer).relayReceipts(receipts))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerNothingPending')
        .withArgs(other);
      expect(await custody.custodyOf(pallet)).to.deep.equal([manufacturer.address, distributor.address]);
    });

    it('checks the signer and recipient under the direct rules', async () => {
      const { custody, anchorer, manufacturer, dispenser, outsider } = await loadFixture(registeredFixture);
      await expect(
        custody
          .connect(anchorer)
          .relayShipments([await signShipment(custody, manufacturer, pallet, outsider.address, EVT)]),
      )
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveRecipient')
        .withArgs(outsider.address);
      await expect(
        custody
          .connect(anchorer)
          .relayShipments([await signShipment(custody, dispenser, pallet, manufacturer.address, EVT)]),
      )
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerUnauthorizedOriginator')
        .withArgs(dispenser.address);
    });

    it('accepts empty batches', async () => {
      const { custody, anchorer } = await loadFixture(registeredFixture);
      await expect(custody.connect(anchorer).relayShipments([])).to.not.emit(custody, 'ShipmentRecorded');
      await expect(custody.connect(anchorer).relayReceipts([])).to.not.emit(custody, 'ReceiptRecorded');
    });
  });

  describe('rules', () => {
    it('a non-custodian cannot ship', async () => {
      const { custody, manufacturer, distributor, wholesaler, dispenser } =
        await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT);
      await custody.connect(distributor).recordReceipt(pallet, EVT);
      for (const signer of [wholesaler, manufacturer]) {
        await expect(custody.connect(signer).recordShipment(pallet, dispenser.address, EVT))
          .to.be.revertedWithCustomError(custody, 'CustodyLedgerNotCustodian')
          .withArgs(pallet, signer.address);
      }
    });

    it('nobody can ship what is in transit, neither the sender nor the addressee', async () => {
      const { custody, manufacturer, distributor, wholesaler, dispenser } =
        await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT);
      await expect(custody.connect(manufacturer).recordShipment(pallet, wholesaler.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInTransit')
        .withArgs(pallet, distributor.address);
      await expect(custody.connect(distributor).recordShipment(pallet, dispenser.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInTransit')
        .withArgs(pallet, distributor.address);
    });

    it('a non-addressee cannot receive', async () => {
      const { custody, manufacturer, distributor, wholesaler } = await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT);
      for (const signer of [wholesaler, manufacturer]) {
        await expect(custody.connect(signer).recordReceipt(pallet, EVT))
          .to.be.revertedWithCustomError(custody, 'CustodyLedgerNotAddressee')
          .withArgs(pallet, signer.address);
      }
    });

    it('nothing pending cannot be received', async () => {
      const { custody, manufacturer, distributor } = await loadFixture(registeredFixture);
      await expect(custody.connect(distributor).recordReceipt(pallet, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerNothingPending')
        .withArgs(pallet);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT);
      await custody.connect(distributor).recordReceipt(pallet, EVT);
      await expect(custody.connect(distributor).recordReceipt(pallet, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerNothingPending')
        .withArgs(pallet);
    });

    it('the addressee must be a registered participant', async () => {
      const { custody, manufacturer, outsider } = await loadFixture(registeredFixture);
      for (const to of [outsider.address, ethers.ZeroAddress]) {
        await expect(custody.connect(manufacturer).recordShipment(pallet, to, EVT))
          .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveRecipient')
          .withArgs(to);
      }
    });

    it('the addressee must be active', async () => {
      const { custody, registry, manufacturer, distributor } = await loadFixture(registeredFixture);
      await registry.deactivateParticipant(distributor.address);
      await expect(custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveRecipient')
        .withArgs(distributor.address);
    });

    it('the addressee cannot be the sender', async () => {
      const { custody, manufacturer } = await loadFixture(registeredFixture);
      await expect(custody.connect(manufacturer).recordShipment(pallet, manufacturer.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerSelfShipment')
        .withArgs(manufacturer.address);
    });

    it('an unregistered account cannot ship or receive', async () => {
      const { custody, distributor, outsider } = await loadFixture(registeredFixture);
      await expect(custody.connect(outsider).recordShipment(pallet, distributor.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(outsider.address);
      await expect(custody.connect(outsider).recordReceipt(pallet, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(outsider.address);
    });

    it('an inactive participant cannot ship', async () => {
      const { custody, registry, manufacturer, distributor } = await loadFixture(registeredFixture);
      await registry.deactivateParticipant(manufacturer.address);
      await expect(custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(manufacturer.address);
    });

    it('an inactive participant cannot receive, until reactivated', async () => {
      const { custody, registry, manufacturer, distributor } = await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address, EVT);
      await registry.deactivateParticipant(distributor.address);
      await expect(custody.connect(distributor).recordReceipt(pallet, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(distributor.address);
      await registry.reactivateParticipant(distributor.address);
      await custody.connect(distributor).recordReceipt(pallet, EVT);
      expect(await custody.custodyOf(pallet)).to.deep.equal([distributor.address, ethers.ZeroAddress]);
    });

    it('a dispenser cannot originate a consignment', async () => {
      const { custody, dispenser, distributor } = await loadFixture(registeredFixture);
      await expect(custody.connect(dispenser).recordShipment(pallet, distributor.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerUnauthorizedOriginator')
        .withArgs(dispenser.address);
    });

    it('a regulator cannot originate a consignment, nor ship one it does not hold', async () => {
      const { custody, manufacturer, distributor, regulator } = await loadFixture(registeredFixture);
      await expect(custody.connect(regulator).recordShipment(pallet, distributor.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerUnauthorizedOriginator')
        .withArgs(regulator.address);
      const held = consignmentId(2);
      await custody.connect(manufacturer).recordShipment(held, distributor.address, EVT);
      await custody.connect(distributor).recordReceipt(held, EVT);
      await expect(custody.connect(regulator).recordShipment(held, manufacturer.address, EVT))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerNotCustodian')
        .withArgs(held, regulator.address);
    });

    it('the zero consignment id cannot be originated', async () => {
      const { custody, manufacturer, distributor } = await loadFixture(registeredFixture);
      await expect(
        custody.connect(manufacturer).recordShipment(ethers.ZeroHash, distributor.address, EVT),
      ).to.be.revertedWithCustomError(custody, 'CustodyLedgerZeroConsignmentId');
    });
  });
});
