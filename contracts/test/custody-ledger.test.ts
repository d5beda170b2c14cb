import { expect } from 'chai';
import { ethers } from 'hardhat';
import { consignmentId, registeredFixture } from './helpers/fixtures';
import { loadFixture } from './helpers/load-fixture';

describe('CustodyLedger', () => {
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

      await expect(custody.connect(manufacturer).recordShipment(pallet, distributor.address))
        .to.emit(custody, 'ShipmentRecorded')
        .withArgs(pallet, manufacturer.address, distributor.address);
      expect(await custody.custodyOf(pallet)).to.deep.equal([manufacturer.address, distributor.address]);

      await expect(custody.connect(distributor).recordReceipt(pallet))
        .to.emit(custody, 'ReceiptRecorded')
        .withArgs(pallet, manufacturer.address, distributor.address);
      expect(await custody.custodyOf(pallet)).to.deep.equal([distributor.address, ethers.ZeroAddress]);

      await expect(custody.connect(distributor).recordShipment(pallet, dispenser.address))
        .to.emit(custody, 'ShipmentRecorded')
        .withArgs(pallet, distributor.address, dispenser.address);
      expect(await custody.custodyOf(pallet)).to.deep.equal([distributor.address, dispenser.address]);

      await expect(custody.connect(dispenser).recordReceipt(pallet))
        .to.emit(custody, 'ReceiptRecorded')
        .withArgs(pallet, distributor.address, dispenser.address);
      expect(await custody.custodyOf(pallet)).to.deep.equal([dispenser.address, ethers.ZeroAddress]);
    });

    it('lets a distributor originate a consignment (it creates SSCCs too)', async () => {
      const { custody, distributor, dispenser } = await loadFixture(registeredFixture);
      await expect(custody.connect(distributor).recordShipment(pallet, dispenser.address))
        .to.emit(custody, 'ShipmentRecorded')
        .withArgs(pallet, distributor.address, dispenser.address);
    });

    it('lets a dispenser return goods it holds, and the regulator receive them', async () => {
      const { custody, manufacturer, distributor, dispenser, regulator } =
        await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, dispenser.address);
      await custody.connect(dispenser).recordReceipt(pallet);
      await custody.connect(dispenser).recordShipment(pallet, distributor.address);
      await custody.connect(distributor).recordReceipt(pallet);
      await custody.connect(distributor).recordShipment(pallet, regulator.address);
      await expect(custody.connect(regulator).recordReceipt(pallet))
        .to.emit(custody, 'ReceiptRecorded')
        .withArgs(pallet, distributor.address, regulator.address);
    });
  });

  describe('batched handoffs', () => {
    it('records many shipments and receipts in one transaction each', async () => {
      const { custody, manufacturer, distributor, wholesaler } = await loadFixture(registeredFixture);
      const batch = ids(100, 4);
      const to = [distributor.address, distributor.address, wholesaler.address, distributor.address];
      const shipped = custody.connect(manufacturer).recordShipments(batch, to);
      for (const [i, consignment] of batch.entries()) {
        await expect(shipped)
          .to.emit(custody, 'ShipmentRecorded')
          .withArgs(consignment, manufacturer.address, to[i]);
      }

      const received = custody.connect(distributor).recordReceipts([batch[0], batch[1], batch[3]]);
      for (const consignment of [batch[0], batch[1], batch[3]]) {
        await expect(received)
          .to.emit(custody, 'ReceiptRecorded')
          .withArgs(consignment, manufacturer.address, distributor.address);
        expect(await custody.custodyOf(consignment)).to.deep.equal([distributor.address, ethers.ZeroAddress]);
      }
      expect(await custody.custodyOf(batch[2])).to.deep.equal([manufacturer.address, wholesaler.address]);
    });

    it('mixes originations and forwarded consignments in one batch', async () => {
      const { custody, manufacturer, distributor, dispenser } = await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address);
      await custody.connect(distributor).recordReceipt(pallet);
      const batch = [pallet, consignmentId(2), consignmentId(3)];
      await custody.connect(distributor).recordShipments(batch, Array(3).fill(dispenser.address) as string[]);
      await custody.connect(dispenser).recordReceipts(batch);
      for (const consignment of batch) {
        expect(await custody.custodyOf(consignment)).to.deep.equal([dispenser.address, ethers.ZeroAddress]);
      }
    });

    it('is all or nothing', async () => {
      const { custody, manufacturer, distributor, dispenser } = await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address);
      const batch = [consignmentId(2), pallet];
      await expect(
        custody.connect(manufacturer).recordShipments(batch, [dispenser.address, dispenser.address]),
      )
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInTransit')
        .withArgs(pallet, distributor.address);
      expect(await custody.custodyOf(batch[0])).to.deep.equal([ethers.ZeroAddress, ethers.ZeroAddress]);

      await expect(custody.connect(distributor).recordReceipts([pallet, batch[0]]))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerNothingPending')
        .withArgs(batch[0]);
      expect(await custody.custodyOf(pallet)).to.deep.equal([manufacturer.address, distributor.address]);
    });

    it('rejects mismatched batch lengths', async () => {
      const { custody, manufacturer, distributor } = await loadFixture(registeredFixture);
      await expect(custody.connect(manufacturer).recordShipments(ids(1, 2), [distributor.address]))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerLengthMismatch')
        .withArgs(2, 1);
    });

    it('checks every distinct recipient of a batch', async () => {
      const { custody, manufacturer, distributor, outsider } = await loadFixture(registeredFixture);
      await expect(
        custody
          .connect(manufacturer)
          .recordShipments(ids(1, 3), [distributor.address, distributor.address, outsider.address]),
      )
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveRecipient')
        .withArgs(outsider.address);
    });

    it('accepts empty batches', async () => {
      const { custody, manufacturer } = await loadFixture(registeredFixture);
      await expect(custody.connect(manufacturer).recordShipments([], [])).to.not.emit(
        custody,
        'ShipmentRecorded',
      );
      await expect(custody.connect(manufacturer).recordReceipts([])).to.not.emit(custody, 'ReceiptRecorded');
    });
  });

  describe('rules', () => {
    it('a non-custodian cannot ship', async () => {
      const { custody, manufacturer, distributor, wholesaler, dispenser } =
        await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address);
      await custody.connect(distributor).recordReceipt(pallet);
      for (const signer of [wholesaler, manufacturer]) {
        await expect(custody.connect(signer).recordShipment(pallet, dispenser.address))
          .to.be.revertedWithCustomError(custody, 'CustodyLedgerNotCustodian')
          .withArgs(pallet, signer.address);
      }
    });

    it('nobody can ship what is in transit, neither the sender nor the addressee', async () => {
      const { custody, manufacturer, distributor, wholesaler, dispenser } =
        await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address);
      await expect(custody.connect(manufacturer).recordShipment(pallet, wholesaler.address))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInTransit')
        .withArgs(pallet, distributor.address);
      await expect(custody.connect(distributor).recordShipment(pallet, dispenser.address))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInTransit')
        .withArgs(pallet, distributor.address);
    });

    it('a non-addressee cannot receive', async () => {
      const { custody, manufacturer, distributor, wholesaler } = await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address);
      for (const signer of [wholesaler, manufacturer]) {
        await expect(custody.connect(signer).recordReceipt(pallet))
          .to.be.revertedWithCustomError(custody, 'CustodyLedgerNotAddressee')
          .withArgs(pallet, signer.address);
      }
    });

    it('nothing pending cannot be received', async () => {
      const { custody, manufacturer, distributor } = await loadFixture(registeredFixture);
      await expect(custody.connect(distributor).recordReceipt(pallet))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerNothingPending')
        .withArgs(pallet);
      await custody.connect(manufacturer).recordShipment(pallet, distributor.address);
      await custody.connect(distributor).recordReceipt(pallet);
      await expect(custody.connect(distributor).recordReceipt(pallet))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerNothingPending')
        .withArgs(pallet);
    });

    it('the addressee must be a registered participant', async () => {
      const { custody, manufacturer, outsider } = await loadFixture(registeredFixture);
      for (const to of [outsider.address, ethers.ZeroAddress]) {
        await expect(custody.connect(manufacturer).recordShipment(pallet, to))
          .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveRecipient')
          .withArgs(to);
      }
    });

    it('the addressee must be active', async () => {
      const { custody, registry, manufacturer, distributor } = await loadFixture(registeredFixture);
      await registry.deactivateParticipant(distributor.address);
      await expect(custody.connect(manufacturer).recordShipment(pallet, distributor.address))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveRecipient')
        .withArgs(distributor.address);
    });

    it('the addressee cannot be the sender', async () => {
      const { custody, manufacturer } = await loadFixture(registeredFixture);
      await expect(custody.connect(manufacturer).recordShipment(pallet, manufacturer.address))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerSelfShipment')
        .withArgs(manufacturer.address);
    });

    it('an unregistered account cannot ship or receive', async () => {
      const { custody, distributor, outsider } = await loadFixture(registeredFixture);
      await expect(custody.connect(outsider).recordShipment(pallet, distributor.address))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(outsider.address);
      await expect(custody.connect(outsider).recordShipments([pallet], [distributor.address]))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(outsider.address);
      await expect(custody.connect(outsider).recordReceipt(pallet))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(outsider.address);
    });

    it('an inactive participant cannot ship', async () => {
      const { custody, registry, manufacturer, distributor } = await loadFixture(registeredFixture);
      await registry.deactivateParticipant(manufacturer.address);
      await expect(custody.connect(manufacturer).recordShipment(pallet, distributor.address))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(manufacturer.address);
    });

    it('an inactive participant cannot receive, until reactivated', async () => {
      const { custody, registry, manufacturer, distributor } = await loadFixture(registeredFixture);
      await custody.connect(manufacturer).recordShipments([pallet], [distributor.address]);
      await registry.deactivateParticipant(distributor.address);
      await expect(custody.connect(distributor).recordReceipts([pallet]))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerInactiveParticipant')
        .withArgs(distributor.address);
      await registry.reactivateParticipant(distributor.address);
      await custody.connect(distributor).recordReceipts([pallet]);
      expect(await custody.custodyOf(pallet)).to.deep.equal([distributor.address, ethers.ZeroAddress]);
    });

    it('a dispenser cannot originate a consignment', async () => {
      const { custody, dispenser, distributor } = await loadFixture(registeredFixture);
      await expect(custody.connect(dispenser).recordShipment(pallet, distributor.address))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerUnauthorizedOriginator')
        .withArgs(dispenser.address);
    });

    it('a regulator cannot originate a consignment, nor ship one it does not hold', async () => {
      const { custody, manufacturer, distributor, regulator } = await loadFixture(registeredFixture);
      await expect(custody.connect(regulator).recordShipments([pallet], [distributor.address]))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerUnauthorizedOriginator')
        .withArgs(regulator.address);
      const held = consignmentId(2);
      await custody.connect(manufacturer).recordShipment(held, distributor.address);
      await custody.connect(distributor).recordReceipt(held);
      await expect(custody.connect(regulator).recordShipment(held, manufacturer.address))
        .to.be.revertedWithCustomError(custody, 'CustodyLedgerNotCustodian')
        .withArgs(held, regulator.address);
    });

    it('the zero consignment id cannot be originated', async () => {
      const { custody, manufacturer, distributor } = await loadFixture(registeredFixture);
      await expect(
        custody.connect(manufacturer).recordShipment(ethers.ZeroHash, distributor.address),
      ).to.be.revertedWithCustomError(custody, 'CustodyLedgerZeroConsignmentId');
    });
  });
});
