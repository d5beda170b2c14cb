import {
  commissioningEvent,
  dispensingEvent,
  epcisDocument,
  glnOf,
  gtinOf,
  packingEvent,
  type Party,
  pglnUrn,
  receivingEvent,
  sglnUrn,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
  unpackingEvent,
} from '@pedigree/epcis';
import { distanceKm } from '@pedigree/ml';

/** A member of the demo consortium, as the admin API registers it and as its events name it. */
export interface DemoOrganisation {
  name: string;
  role: 'manufacturer' | 'distributor' | 'dispenser' | 'regulator';
  companyPrefix: string;
  region: string;
  latitude: number;
  longitude: number;
  party: Party;
  glns: string[];
}

function organisation(
  name: string,
  role: DemoOrganisation['role'],
  companyPrefix: string,
  region: string,
  latitude: number,
  longitude: number,
): DemoOrganisation {
  return {
    name,
    role,
    companyPrefix,
    region,
    latitude,
    longitude,
    party: { companyPrefix, pgln: pglnUrn(companyPrefix, 0), site: sglnUrn(companyPrefix, 1) },
    glns: [glnOf(companyPrefix, 0), glnOf(companyPrefix, 1)],
  };
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  organisation('Rhenus Pharma AG', 'manufacturer', '4012345', 'DE', 50.94, 6.96),
  organisation('Nordic Generics A/S', 'manufacturer', '5790001', 'DK', 55.68, 12.57),
  organisation('Central Pharma Distribution', 'distributor', '4098765', 'DE', 50.11, 8.68),
  organisation('Alpine Wholesale GmbH', 'distributor', '9012345', 'AT', 47.27, 11.39),
  organisation('Apotheke am Markt', 'dispenser', '4260001', 'DE', 52.52, 13.4),
  organisation('Nordstern Apotheke', 'dispenser', '4260002', 'DE', 53.55, 9.99),
  organisation('Pharmacie du Parc', 'dispenser', '3760001', 'FR', 45.76, 4.84),
  organisation('Federal Medicines Agency', 'regulator', '4099001', 'DE', 50.73, 7.1),
];

export interface DemoProduct {
  name: string;
  /** As the manufacturer's EPCIS master data states it (CBV regulatedProductName, strength, dosage form). */
  regulatedName: string;
  strength: string;
  dosageForm: string;
  manufacturer: string;
  itemReference: string;
  gtin: string;
  /** Storage temperature range (°C) the manufacturer states in master data: a cold-chain product. */
  storage?: { minC: number; maxC: number };
}

const byName = (name: string) => DEMO_ORGANISATIONS.find((o) => o.name === name)!;

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    name: 'Amoxicillin 500 mg, 20 capsules',
    regulatedName: 'Amoxicillin',
    strength: '500 mg',
    dosageForm: 'CAPSULE',
    manufacturer: 'Rhenus Pharma AG',
    itemReference: '12345',
  },
  {
    name: 'Atorvastatin 20 mg, 30 tablets',
    regulatedName: 'Atorvastatin',
    strength: '20 mg',
    dosageForm: 'TABLET',
    manufacturer: 'Rhenus Pharma AG',
    itemReference: '23456',
  },
  {
    name: 'Insulin glargine 100 U/ml, 5 pens',
    regulatedName: 'Insulin glargine',
    strength: '100 U/ml',
    dosageForm: 'INJECTION',
    manufacturer: 'Nordic Generics A/S',
    itemReference: '34567',
    storage: { minC: 2, maxC: 8 },
  },
  {
    name: 'Ibuprofen 400 mg, 50 tablets',
    regulatedName: 'Ibuprofen',
    strength: '400 mg',
    dosageForm: 'TABLET',
    manufacturer: 'Nordic Generics A/S',
    itemReference: '45678',
  },
].map((p) => ({ ...p, gtin: gtinOf(byName(p.manufacturer).companyPrefix, p.itemReference) }));

export interface DemoMessage {
  /** Kafka key: the consignment or lot the document is about. */
  key: string;
  /** Name of the publishing organisation. */
  publisher: string;
  document: Record<string, unknown>;
  description: string;
  /** A pack in the case whose shipment left its storage range (the demo's injected cold-chain excursion). */
  warmPack?: string;
}

/**
 * A reefer's temperature logger on a shipment of a cold-chain product: one report of the trip's minimum, maximum
 * and mean, as loggers summarise a leg.
 */
function withTemperature(event: Record<string, unknown>, mean: number, max: number): Record<string, unknown> {
  return {
    ...event,
    sensorElementList: [
      {
        sensorMetadata: { time: event.eventTime, deviceID: 'urn:epc:id:giai:5790001.4711' },
        sensorReport: [
          {
            type: 'gs1:Temperature',
            minValue: Math.round((mean - 1.2) * 10) / 10,
            maxValue: max,
            meanValue: mean,
            uom: 'CEL',
          },
        ],
      },
    ],
  };
}

/** A seeded PRNG (mulberry32): the same demo every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The demo's supply chain, in the order the documents are sent: each manufacturer commissions lots, packs cases
 * onto a pallet per lot and ships the pallet to a wholesaler; the wholesaler receives and breaks the pallet and
 * ships cases to pharmacies; pharmacies receive, open the cases and dispense packs.
 */
export function buildDemoScenario(options: {
  runId: number;
  lotsPerProduct?: number;
  casesPerLot?: number;
  packsPerCase?: number;
  start?: Date;
  /** Let one case of the cold-chain product warm up on its way to a pharmacy (the first scenario only). */
  coldChainExcursion?: boolean;
}): DemoMessage[] {
  const rnd = random(options.runId);
  const lotsPerProduct = options.lotsPerProduct ?? 2;
  const casesPerLot = options.casesPerLot ?? 4;
  const packsPerCase = options.packsPerCase ?? 10;
  const wholesalers = DEMO_ORGANISATIONS.filter((o) => o.role === 'distributor');
  const pharmacies = DEMO_ORGANISATIONS.filter((o) => o.role === 'dispenser');
  const messages: DemoMessage[] = [];
  let clock = (options.start ?? new Date(Date.now() - 6 * 3600 * 1000)).getTime();
  const tick = (minutes: number) => new Date((clock += minutes * 60_000));
  // A truck's door-to-door time: an hour of handling plus the distance at 60 km/h (the impossible-travel detector
  // flags averages above 120 km/h, so an ordinary delivery must not look like one).
  const transit = (from: DemoOrganisation, to: DemoOrganisation) =>
    60 + Math.ceil(distanceKm(position(from), position(to)));
  let ssccSerial = (options.runId % 100_000) * 1000;
  let excursionPending = options.coldChainExcursion ?? false;
  const logged = (product: DemoProduct, event: Record<string, unknown>, warm = false) =>
    product.storage ? withTemperature(event, 4 + Math.round(rnd() * 20) / 10, warm ? 13.8 : 6.5) : event;

  for (const product of DEMO_PRODUCTS) {
    const maker = byName(product.manufacturer);
    for (let l = 0; l < lotsPerProduct; l++) {
      const lot = `L${options.runId % 10000}${String.fromCharCode(65 + l)}${product.itemReference.slice(-2)}`;
      const expiry = new Date(Date.now() + (400 + Math.floor(rnd() * 300)) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const cases: { sscc: string; packs: string[] }[] = [];
      for (let c = 0; c < casesPerLot; c++) {
        const packs = Array.from({ length: packsPerCase }, (_, p) =>
          sgtinUrn(
            maker.companyPrefix,
            product.itemReference,
            `${options.runId}${l}${c}${String(p).padStart(3, '0')}`,
          ),
        );
        cases.push({ sscc: ssccUrn(maker.companyPrefix, ++ssccSerial), packs });
      }
      const pallet = ssccUrn(maker.companyPrefix, ++ssccSerial);
      const wholesaler = wholesalers[Math.floor(rnd() * wholesalers.length)];
      const allPacks = cases.flatMap((c) => c.packs);

      messages.push({
        key: `${product.gtin}:${lot}`,
        publisher: maker.name,
        description: `${maker.name} commissions, packs and ships lot ${lot} of ${product.name} (${allPacks.length} packs) to ${wholesaler.name}`,
        document: epcisDocument([
          commissioningEvent({ epcs: allPacks, at: maker.party, time: tick(5), lot, expiry }),
          ...cases.map((c) =>
            packingEvent({ parent: c.sscc, children: c.packs, at: maker.party, time: tick(2) }),
          ),
          packingEvent({
            parent: pallet,
            children: cases.map((c) => c.sscc),
            at: maker.party,
            time: tick(3),
          }),
          logged(
            product,
            shippingEvent({
              epcs: [pallet],
              from: maker.party,
              to: wholesaler.party,
              time: tick(10),
              despatchAdvice: `urn:epcglobal:cbv:bt:${maker.glns[0]}:DA-${lot}`,
            }),
          ),
        ]),
      });
      messages.push({
        key: pallet,
        publisher: wholesaler.name,
        description: `${wholesaler.name} receives pallet ${pallet} and breaks it into cases`,
        document: epcisDocument([
          receivingEvent({
            epcs: [pallet],
            from: maker.party,
            at: wholesaler.party,
            time: tick(Math.max(240, transit(maker, wholesaler))),
          }),
          unpackingEvent({ parent: pallet, at: wholesaler.party, time: tick(15) }),
        ]),
      });
      for (const [index, box] of cases.entries()) {
        const pharmacy = pharmacies[(index + l) % pharmacies.length];
        const warm = excursionPending && product.storage !== undefined;
        excursionPending &&= !warm;
        messages.push({
          key: box.sscc,
          publisher: wholesaler.name,
          description: warm
            ? `${wholesaler.name} ships case ${box.sscc} of ${product.name} to ${pharmacy.name}; the van's logger records 13.8 °C (stored at 2–8 °C): the injected cold-chain excursion`
            : `${wholesaler.name} ships case ${box.sscc} to ${pharmacy.name}`,
          document: epcisDocument([
            logged(
              product,
              shippingEvent({ epcs: [box.sscc], from: wholesaler.party, to: pharmacy.party, time: tick(20) }),
              warm,
            ),
          ]),
          ...(warm ? { warmPack: box.packs[0] } : {}),
        });
        // A pharmacy quarantines a case that got warm: it dispenses nothing from it.
        const dispensed = warm ? [] : box.packs.slice(0, 2 + Math.floor(rnd() * 4));
        messages.push({
          key: box.sscc,
          publisher: pharmacy.name,
          description: `${pharmacy.name} receives case ${box.sscc}, opens it and dispenses ${dispensed.length} packs`,
          document: epcisDocument([
            receivingEvent({
              epcs: [box.sscc],
              from: wholesaler.party,
              at: pharmacy.party,
              time: tick(Math.max(180, transit(wholesaler, pharmacy))),
            }),
            unpackingEvent({ parent: box.sscc, at: pharmacy.party, time: tick(5) }),
            ...dispensed.map((epc) =>
              dispensingEvent({ epcs: [epc], at: pharmacy.party, time: tick(30 + Math.floor(rnd() * 120)) }),
            ),
          ]),
        });
      }
    }
  }
  // Keep event times in the past so the future-time rule never fires on demo data.
  const latest = clock;
  const shift = Math.max(0, latest - Date.now() + 60_000);
  if (shift > 0) shiftTimes(messages, shift);
  return messages;
}

function position(o: DemoOrganisation): { lat: number; lon: number } {
  return { lat: o.latitude, lon: o.longitude };
}

function shiftTimes(messages: DemoMessage[], ms: number): void {
  for (const message of messages) {
    const body = message.document.epcisBody as { eventList: { eventTime: string }[] };
    for (const event of body.eventList)
      event.eventTime = new Date(new Date(event.eventTime).getTime() - ms).toISOString();
  }
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A manufacturer's master data as DSCSA partners send it: an EPCIS 1.2 XML document with a Standard Business Document
 * Header, its products (EPCClass: name, strength, dosage form) and its site (Location: name, country) in the header,
 * and no events. The demo sends one per manufacturer over Kafka, so verification answers name the product.
 */
export function masterDataXml(manufacturer: DemoOrganisation, created = new Date()): string {
  const attribute = (id: string, value: string) =>
    `<attribute id="urn:epcglobal:cbv:mda#${id}">${escapeXml(value)}</attribute>`;
  const products = DEMO_PRODUCTS.filter((p) => p.manufacturer === manufacturer.name).map(
    (p) =>
      `<VocabularyElement id="${sgtinUrn(manufacturer.companyPrefix, p.itemReference, '0').replace(/^urn:epc:id:sgtin:(.*)\.0$/, 'urn:epc:idpat:sgtin:$1.*')}">` +
      attribute('regulatedProductName', p.regulatedName) +
      attribute('strengthDescription', p.strength) +
      attribute('dosageFormType', p.dosageForm) +
      attribute('manufacturerOfTradeItemPartyName', manufacturer.name) +
      (p.storage
        ? `<attribute id="https://gs1.org/voc/minimumTemperature">${p.storage.minC}</attribute>` +
          `<attribute id="https://gs1.org/voc/maximumTemperature">${p.storage.maxC}</attribute>`
        : '') +
      '</VocabularyElement>',
  );
  const site =
    `<VocabularyElement id="${manufacturer.party.site}">` +
    attribute('name', `${manufacturer.name}, plant 1`) +
    attribute('countryCode', manufacturer.region) +
    '</VocabularyElement>';
  const sgln = `urn:epc:id:sgln:${manufacturer.companyPrefix}.${'0'.repeat(12 - manufacturer.companyPrefix.length)}.0`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1"
    xmlns:sbdh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
    schemaVersion="1.2" creationDate="${created.toISOString()}">
  <EPCISHeader>
    <sbdh:StandardBusinessDocumentHeader>
      <sbdh:HeaderVersion>1.0</sbdh:HeaderVersion>
      <sbdh:Sender><sbdh:Identifier Authority="SGLN">${sgln}</sbdh:Identifier></sbdh:Sender>
      <sbdh:Receiver><sbdh:Identifier Authority="SGLN">${sgln}</sbdh:Identifier></sbdh:Receiver>
      <sbdh:DocumentIdentification>
        <sbdh:Standard>EPCglobal</sbdh:Standard><sbdh:TypeVersion>1.0</sbdh:TypeVersion>
        <sbdh:InstanceIdentifier>MD-${created.getTime()}</sbdh:InstanceIdentifier><sbdh:Type>Events</sbdh:Type>
        <sbdh:CreationDateAndTime>${created.toISOString()}</sbdh:CreationDateAndTime>
      </sbdh:DocumentIdentification>
    </sbdh:StandardBusinessDocumentHeader>
    <extension><EPCISMasterData><VocabularyList>
      <Vocabulary type="urn:epcglobal:epcis:vtype:EPCClass"><VocabularyElementList>${products.join('')}</VocabularyElementList></Vocabulary>
      <Vocabulary type="urn:epcglobal:epcis:vtype:Location"><VocabularyElementList>${site}</VocabularyElementList></Vocabulary>
    </VocabularyList></EPCISMasterData></extension>
  </EPCISHeader>
  <EPCISBody><EventList/></EPCISBody>
</epcis:EPCISDocument>
`;
}
