import { expect } from 'chai';
import { ethers } from 'hardhat';
import { deployFixture, identifierHash, orgId, registeredFixture, ROLES } from './helpers/fixtures';
import { loadFixture } from './helpers/load-fixture';

describe('ParticipantRegistry', () => {
  const gcp = identifierHash('gcp', '0614141');
  const gln = identifierHash('gln', '0614141000005');

  describe('deployment', () => {
    it('grants DEFAULT_ADMIN_ROLE to the deployer and ANCHORER_ROLE to the anchorer', async () => {
      const { registry, admin, anchorer } = await loadFixture(deployFixture);
      expect(await registry.hasRole(ROLES.DEFAULT_ADMIN, admin.address)).to.equal(true);
      expect(await registry.hasRole(ROLES.ANCHORER, anchorer.address)).to.equal(true);
      expect(await registry.hasRole(ROLES.DEFAULT_ADMIN, anchorer.address)).to.equal(false);
      expect(await registry.isActive(admin.address)).to.equal(false);
    });

    it('exposes the role ids as keccak256 of the role names', async () => {
      const { registry } = await loadFixture(deployFixture);
      expect(await registry.MANUFACTURER_ROLE()).to.equal(ROLES.MANUFACTURER);
      expect(await registry.DISTRIBUTOR_ROLE()).to.equal(ROLES.DISTRIBUTOR);
      expect(await registry.DISPENSER_ROLE()).to.equal(ROLES.DISPENSER);
      expect(await registry.REGULATOR_ROLE()).to.equal(ROLES.REGULATOR);
      expect(await registry.ANCHORER_ROLE()).to.equal(ROLES.ANCHORER);
    });
  });

  describe('registerParticipant', () => {
    it('registers an active participant and binds its hashed identifiers', async () => {
      const { registry, manufacturer } = await loadFixture(deployFixture);
      const tx = registry.registerParticipant(manufacturer.address, ROLES.MANUFACTURER, orgId('acme'), [
        gcp,
        gln,
      ]);
      await expect(tx)
        .to.emit(registry, 'ParticipantRegistered')
        .withArgs(manufacturer.address, ROLES.MANUFACTURER, orgId('acme'))
        .and.to.emit(registry, 'IdentifierBound')
        .withArgs(gcp, manufacturer.address)
        .and.to.emit(registry, 'IdentifierBound')
        .withArgs(gln, manufacturer.address);

      expect(await registry.isActive(manufacturer.address)).to.equal(true);
      expect(await registry.participantOf(manufacturer.address)).to.deep.equal([
        ROLES.MANUFACTURER,
        orgId('acme'),
        true,
      ]);
      expect(await registry.identifierOwner(gcp)).to.equal(manufacturer.address);
      expect(await registry.identifierOwner(gln)).to.equal(manufacturer.address);
      expect(await registry.hasActiveRole(manufacturer.address, ROLES.MANUFACTURER)).to.equal(true);
      expect(await registry.hasActiveRole(manufacturer.address, ROLES.DISTRIBUTOR)).to.equal(false);
    });

    it('is not an AccessControl grant: participant roles are queried with hasActiveRole', async () => {
      const { registry, manufacturer } = await loadFixture(registeredFixture);
      expect(await registry.hasRole(ROLES.MANUFACTURER, manufacturer.address)).to.equal(false);
      expect(await registry.hasActiveRole(manufacturer.address, ROLES.MANUFACTURER)).to.equal(true);
    });

    it('reports nothing for an unregistered account', async () => {
      const { registry, outsider } = await loadFixture(registeredFixture);
      expect(await registry.isActive(outsider.address)).to.equal(false);
      expect(await registry.participantOf(outsider.address)).to.deep.equal([
        ethers.ZeroHash,
        ethers.ZeroHash,
        false,
      ]);
      expect(await registry.hasActiveRole(outsider.address, ROLES.MANUFACTURER)).to.equal(false);
      expect(await registry.identifierOwner(identifierHash('gln', '9999999999999'))).to.equal(
        ethers.ZeroAddress,
      );
    });

    it('rejects the zero address', async () => {
      const { registry } = await loadFixture(deployFixture);
      await expect(
        registry.registerParticipant(ethers.ZeroAddress, ROLES.MANUFACTURER, orgId('acme'), []),
      ).to.be.revertedWithCustomError(registry, 'ParticipantRegistryZeroAddress');
    });

    it('rejects a role that is not a participant role', async () => {
      const { registry, manufacturer } = await loadFixture(deployFixture);
      for (const role of [ROLES.ANCHORER, ROLES.DEFAULT_ADMIN, ethers.id('PHARMACIST_ROLE')]) {
        await expect(registry.registerParticipant(manufacturer.address, role, orgId('acme'), []))
          .to.be.revertedWithCustomError(registry, 'ParticipantRegistryInvalidRole')
          .withArgs(role);
      }
    });

    it('rejects a zero organisation id', async () => {
      const { registry, manufacturer } = await loadFixture(deployFixture);
      await expect(
        registry.registerParticipant(manufacturer.address, ROLES.MANUFACTURER, ethers.ZeroHash, []),
      ).to.be.revertedWithCustomError(registry, 'ParticipantRegistryInvalidOrgId');
    });

    it('rejects an account registered already, even with another role', async () => {
      const { registry, manufacturer } = await loadFixture(registeredFixture);
      await expect(registry.registerParticipant(manufacturer.address, ROLES.DISPENSER, orgId('other'), []))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryAlreadyRegistered')
        .withArgs(manufacturer.address);
    });

    it('rejects a zero identifier hash', async () => {
      const { registry, manufacturer } = await loadFixture(deployFixture);
      await expect(
        registry.registerParticipant(manufacturer.address, ROLES.MANUFACTURER, orgId('acme'), [
          ethers.ZeroHash,
        ]),
      ).to.be.revertedWithCustomError(registry, 'ParticipantRegistryInvalidIdentifier');
    });

    it('binds an identifier to one participant only', async () => {
      const { registry, manufacturer, outsider } = await loadFixture(registeredFixture);
      await expect(
        registry.registerParticipant(outsider.address, ROLES.MANUFACTURER, orgId('copycat'), [gcp]),
      )
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryIdentifierAlreadyBound')
        .withArgs(gcp, manufacturer.address);
    });

    it('rejects an identifier listed twice', async () => {
      const { registry, outsider } = await loadFixture(deployFixture);
      await expect(registry.registerParticipant(outsider.address, ROLES.DISPENSER, orgId('x'), [gln, gln]))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryIdentifierAlreadyBound')
        .withArgs(gln, outsider.address);
    });
  });

  describe('registerParticipants', () => {
    it('registers one organisation per participant role in one transaction', async () => {
      const { registry, manufacturer, distributor, dispenser, regulator } = await loadFixture(deployFixture);
      const entries = [
        [manufacturer, ROLES.MANUFACTURER],
        [distributor, ROLES.DISTRIBUTOR],
        [dispenser, ROLES.DISPENSER],
        [regulator, ROLES.REGULATOR],
      ] as const;
      const tx = registry.registerParticipants(
        entries.map(([signer, role], i) => ({
          account: signer.address,
          role,
          orgId: orgId(`org-${i}`),
          identifierHashes: [identifierHash('gln', `061414${i}000000`)],
        })),
      );
      for (const [i, [signer, role]] of entries.entries()) {
        await expect(tx)
          .to.emit(registry, 'ParticipantRegistered')
          .withArgs(signer.address, role, orgId(`org-${i}`));
        expect(await registry.hasActiveRole(signer.address, role)).to.equal(true);
        expect(await registry.identifierOwner(identifierHash('gln', `061414${i}000000`))).to.equal(
          signer.address,
        );
      }
    });

    it('is all or nothing', async () => {
      const { registry, manufacturer, distributor } = await loadFixture(deployFixture);
      await expect(
        registry.registerParticipants([
          {
            account: manufacturer.address,
            role: ROLES.MANUFACTURER,
            orgId: orgId('a'),
            identifierHashes: [gcp],
          },
          { account: distributor.address, role: ROLES.ANCHORER, orgId: orgId('b'), identifierHashes: [] },
        ]),
      ).to.be.revertedWithCustomError(registry, 'ParticipantRegistryInvalidRole');
      expect(await registry.isActive(manufacturer.address)).to.equal(false);
      expect(await registry.identifierOwner(gcp)).to.equal(ethers.ZeroAddress);
    });

    it('accepts an empty batch', async () => {
      const { registry } = await loadFixture(deployFixture);
      await expect(registry.registerParticipants([])).to.not.emit(registry, 'ParticipantRegistered');
    });
  });

  describe('bindIdentifiers / unbindIdentifiers', () => {
    it('binds more identifiers to a registered participant', async () => {
      const { registry, distributor } = await loadFixture(registeredFixture);
      const extra = identifierHash('gln', '0614142000011');
      await expect(registry.bindIdentifiers(distributor.address, [extra]))
        .to.emit(registry, 'IdentifierBound')
        .withArgs(extra, distributor.address);
      expect(await registry.identifierOwner(extra)).to.equal(distributor.address);
    });

    it('binds identifiers to inactive participants too', async () => {
      const { registry, distributor } = await loadFixture(registeredFixture);
      await registry.deactivateParticipant(distributor.address);
      const extra = identifierHash('gln', '0614142000011');
      await registry.bindIdentifiers(distributor.address, [extra]);
      expect(await registry.identifierOwner(extra)).to.equal(distributor.address);
    });

    it('does not bind identifiers to an unregistered account', async () => {
      const { registry, outsider } = await loadFixture(registeredFixture);
      await expect(registry.bindIdentifiers(outsider.address, [identifierHash('gln', '0614149000009')]))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryNotRegistered')
        .withArgs(outsider.address);
    });

    it('does not bind an identifier that another participant owns', async () => {
      const { registry, manufacturer, distributor } = await loadFixture(registeredFixture);
      await expect(registry.bindIdentifiers(distributor.address, [gln]))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryIdentifierAlreadyBound')
        .withArgs(gln, manufacturer.address);
    });

    it('unbinds identifiers, which can then be bound to another participant', async () => {
      const { registry, manufacturer, distributor } = await loadFixture(registeredFixture);
      await expect(registry.unbindIdentifiers([gln, gcp]))
        .to.emit(registry, 'IdentifierUnbound')
        .withArgs(gln, manufacturer.address)
        .and.to.emit(registry, 'IdentifierUnbound')
        .withArgs(gcp, manufacturer.address);
      expect(await registry.identifierOwner(gln)).to.equal(ethers.ZeroAddress);
      await registry.bindIdentifiers(distributor.address, [gln]);
      expect(await registry.identifierOwner(gln)).to.equal(distributor.address);
    });

    it('does not unbind an identifier that is not bound', async () => {
      const { registry } = await loadFixture(registeredFixture);
      const unknown = identifierHash('gln', '0614149000009');
      await expect(registry.unbindIdentifiers([gln, unknown]))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryIdentifierNotBound')
        .withArgs(unknown);
    });
  });

  describe('deactivateParticipant / reactivateParticipant', () => {
    it('deactivates and reactivates a participant', async () => {
      const { registry, distributor } = await loadFixture(registeredFixture);
      await expect(registry.deactivateParticipant(distributor.address))
        .to.emit(registry, 'ParticipantDeactivated')
        .withArgs(distributor.address);
      expect(await registry.isActive(distributor.address)).to.equal(false);
      expect(await registry.hasActiveRole(distributor.address, ROLES.DISTRIBUTOR)).to.equal(false);
      expect(await registry.participantOf(distributor.address)).to.deep.equal([
        ROLES.DISTRIBUTOR,
        orgId('medline'),
        false,
      ]);

      await expect(registry.reactivateParticipant(distributor.address))
        .to.emit(registry, 'ParticipantReactivated')
        .withArgs(distributor.address);
      expect(await registry.hasActiveRole(distributor.address, ROLES.DISTRIBUTOR)).to.equal(true);
    });

    it('rejects a change to the current status', async () => {
      const { registry, distributor } = await loadFixture(registeredFixture);
      await expect(registry.reactivateParticipant(distributor.address))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryStatusUnchanged')
        .withArgs(distributor.address, true);
      await registry.deactivateParticipant(distributor.address);
      await expect(registry.deactivateParticipant(distributor.address))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryStatusUnchanged')
        .withArgs(distributor.address, false);
    });

    it('rejects an unregistered account', async () => {
      const { registry, outsider } = await loadFixture(registeredFixture);
      await expect(registry.deactivateParticipant(outsider.address))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryNotRegistered')
        .withArgs(outsider.address);
      await expect(registry.reactivateParticipant(outsider.address))
        .to.be.revertedWithCustomError(registry, 'ParticipantRegistryNotRegistered')
        .withArgs(outsider.address);
    });
  });

  describe('access control', () => {
    it('lets only the admin manage participants and identifiers', async () => {
      const { registry, manufacturer, outsider } = await loadFixture(registeredFixture);
      const asManufacturer = registry.connect(manufacturer);
      const calls = [
        () => asManufacturer.registerParticipant(outsider.address, ROLES.DISTRIBUTOR, orgId('x'), []),
        () =>
          asManufacturer.registerParticipants([
            { account: outsider.address, role: ROLES.DISTRIBUTOR, orgId: orgId('x'), identifierHashes: [] },
          ]),
        () => asManufacturer.bindIdentifiers(manufacturer.address, [identifierHash('gln', '0614141000012')]),
        () => asManufacturer.unbindIdentifiers([gcp]),
        () => asManufacturer.deactivateParticipant(manufacturer.address),
        () => asManufacturer.reactivateParticipant(manufacturer.address),
      ];
      for (const call of calls) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
          .withArgs(manufacturer.address, ROLES.DEFAULT_ADMIN);
      }
    });

    it('lets only the admin grant and revoke ANCHORER_ROLE', async () => {
      const { registry, anchorer, outsider } = await loadFixture(deployFixture);
      await expect(registry.connect(anchorer).grantRole(ROLES.ANCHORER, outsider.address))
        .to.be.revertedWithCustomError(registry, 'AccessControlUnauthorizedAccount')
        .withArgs(anchorer.address, ROLES.DEFAULT_ADMIN);
      await registry.grantRole(ROLES.ANCHORER, outsider.address);
      expect(await registry.hasRole(ROLES.ANCHORER, outsider.address)).to.equal(true);
      await registry.revokeRole(ROLES.ANCHORER, outsider.address);
      expect(await registry.hasRole(ROLES.ANCHORER, outsider.address)).to.equal(false);
    });
  });
});
