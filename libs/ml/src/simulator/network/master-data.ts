/**
 * Seeded organisation and product master data: manufacturers, wholesalers and pharmacies placed in planning
 * regions (each with its own GS1 company prefix, party GLN and one site GLN with coordinates), and products
 * (GTINs under their manufacturer's prefix) with case sizes and shelf lives.
 */
import { glnOf, gtinOf, pglnUrn, sglnUrn } from '@pedigree/epcis';
import { Random } from '../../random/mulberry32';
import { EUROPEAN_REGIONS, offsetKm } from './geography';
import type {
  MasterData,
  NetworkConfig,
  OrganisationInfo,
  OrganisationRole,
  NetworkProduct,
  RegionInfo,
  SiteInfo,
} from './network.types';

const MANUFACTURER_STEMS = [
  'Rhenus',
  'Nordic',
  'Alpine',
  'Baltic',
  'Iberia',
  'Danube',
  'Vistula',
  'Loire',
  'Adria',
  'Helvetic',
];
const MANUFACTURER_FORMS = ['Pharma', 'Generics', 'Laboratories', 'Biologics', 'Healthcare'];
const PHARMACY_NAMES: Record<string, string[]> = {
  DE: [
    'Apotheke am Markt',
    'Nordstern Apotheke',
    'Linden-Apotheke',
    'Rosen-Apotheke',
    'Bahnhof-Apotheke',
    'Adler-Apotheke',
  ],
  FR: [
    'Pharmacie du Parc',
    'Pharmacie Centrale',
    'Pharmacie de la Gare',
    'Pharmacie des Halles',
    'Pharmacie du Marché',
  ],
  AT: ['Apotheke zum Hirschen', 'Stadtapotheke', 'Apotheke am Ring', 'Marien-Apotheke'],
  NL: ['Apotheek Centrum', 'Apotheek De Linde', 'Stadsapotheek', 'Apotheek Oost'],
  PL: ['Apteka Centralna', 'Apteka pod Orłem', 'Apteka Rodzinna', 'Apteka Miejska'],
  IT: ['Farmacia Centrale', 'Farmacia del Duomo', 'Farmacia San Marco', 'Farmacia Moderna'],
  ES: ['Farmacia Central', 'Farmacia del Sol', 'Farmacia Mayor', 'Farmacia La Paz'],
  BE: ['Pharmacie Royale', 'Apotheek Sint-Jan', 'Pharmacie du Centre'],
  DK: ['Løve Apotek', 'Svane Apotek', 'Hjorte Apotek'],
  CZ: ['Lékárna U Anděla', 'Lékárna Centrum', 'Lékárna Na Náměstí'],
};
const MEDICINES = [
  ['Amoxicillin', '500 mg, 20 capsules'],
  ['Atorvastatin', '20 mg, 30 tablets'],
  ['Insulin glargine', '100 U/ml, 5 pens'],
  ['Ibuprofen', '400 mg, 50 tablets'],
  ['Metformin', '850 mg, 60 tablets'],
  ['Oseltamivir', '75 mg, 10 capsules'],
  ['Cetirizine', '10 mg, 30 tablets'],
  ['Omeprazole', '20 mg, 28 capsules'],
  ['Salbutamol', '100 µg, 200 doses'],
  ['Amlodipine', '5 mg, 30 tablets'],
  ['Levothyroxine', '50 µg, 100 tablets'],
  ['Clarithromycin', '500 mg, 14 tablets'],
  ['Adalimumab', '40 mg, 2 pens'],
  ['Ramipril', '5 mg, 28 tablets'],
  ['Paracetamol', '500 mg, 20 tablets'],
  ['Bisoprolol', '5 mg, 30 tablets'],
  ['Loratadine', '10 mg, 20 tablets'],
  ['Azithromycin', '250 mg, 6 tablets'],
  ['Pantoprazole', '40 mg, 28 tablets'],
  ['Semaglutide', '1 mg, 1 pen'],
];
const CASE_SIZES = [10, 12, 20, 24];

export function buildMasterData(
  config: NetworkConfig,
  seed: number,
  categories: readonly string[],
): MasterData {
  if (config.regions < 1 || config.regions > EUROPEAN_REGIONS.length) {
    throw new RangeError(`regions must be 1..${EUROPEAN_REGIONS.length} (got ${config.regions})`);
  }
  const rng = new Random(seed).fork('master-data');
  const regions: RegionInfo[] = EUROPEAN_REGIONS.slice(0, config.regions).map(
    ({ gs1Prefix: _p, ...region }) => region,
  );
  const organisations: OrganisationInfo[] = [];
  let counter = 0;
  const add = (
    role: OrganisationRole,
    name: string,
    regionIndex: number,
    number: number,
  ): OrganisationInfo => {
    const region = EUROPEAN_REGIONS[regionIndex]!;
    counter++;
    const companyPrefix = `${region.gs1Prefix}${String(counter).padStart(4, '0')}`;
    const placeRng = rng.fork(`place:${role}:${regionIndex}:${number}`);
    // Wholesalers sit near the region's centre (good roads, central DC); others anywhere in it.
    const spread = role === 'wholesaler' ? 0.25 : 0.6;
    const km = Math.min(region.radiusKm, Math.abs(placeRng.normal(0, spread * region.radiusKm)));
    const point = offsetKm(region, km, placeRng.uniform() * 2 * Math.PI);
    const id = `org-${role}-${String(number).padStart(3, '0')}`;
    const site: SiteInfo = {
      gln: glnOf(companyPrefix, 1),
      sgln: sglnUrn(companyPrefix, 1),
      orgId: id,
      name: `${name} (${region.name})`,
      role,
      region: region.code,
      country: region.country,
      lat: point.lat,
      lon: point.lon,
    };
    const organisation: OrganisationInfo = {
      id,
      name,
      role,
      companyPrefix,
      partyGln: glnOf(companyPrefix, 0),
      pgln: pglnUrn(companyPrefix, 0),
      glns: [glnOf(companyPrefix, 0), site.gln],
      sites: [site],
      region: region.code,
      country: region.country,
      lat: point.lat,
      lon: point.lon,
    };
    organisations.push(organisation);
    return organisation;
  };

  for (let m = 0; m < config.manufacturers; m++) {
    const stem = MANUFACTURER_STEMS[m % MANUFACTURER_STEMS.length]!;
    const form =
      MANUFACTURER_FORMS[(m * 3 + rng.int(MANUFACTURER_FORMS.length)) % MANUFACTURER_FORMS.length]!;
    // Manufacturers spread over the regions, so most pallets cross a border.
    add('manufacturer', `${stem} ${form}`, (m * 3) % config.regions, m + 1);
  }
  let wholesalerNumber = 0;
  for (let r = 0; r < config.regions; r++) {
    for (let w = 0; w < config.wholesalersPerRegion; w++) {
      const suffix = config.wholesalersPerRegion > 1 ? ` ${String.fromCharCode(65 + w)}` : '';
      add('wholesaler', `${EUROPEAN_REGIONS[r]!.name} Pharma Distribution${suffix}`, r, ++wholesalerNumber);
    }
  }
  let pharmacyNumber = 0;
  for (let r = 0; r < config.regions; r++) {
    const names = PHARMACY_NAMES[EUROPEAN_REGIONS[r]!.country] ?? PHARMACY_NAMES.DE!;
    for (let j = 0; j < config.pharmaciesPerRegion; j++) {
      const base = names[j % names.length]!;
      const name = j < names.length ? base : `${base} ${Math.floor(j / names.length) + 1}`;
      add('pharmacy', name, r, ++pharmacyNumber);
    }
  }

  const manufacturers = organisations.filter((o) => o.role === 'manufacturer');
  const products: NetworkProduct[] = [];
  for (let p = 0; p < config.products; p++) {
    const maker = manufacturers[p % manufacturers.length]!;
    const [inn, strength] = MEDICINES[p % MEDICINES.length]!;
    const productRng = rng.fork(`product:${p}`);
    const itemReference = String(10000 + p * 7 + 1);
    products.push({
      gtin: gtinOf(maker.companyPrefix, itemReference),
      name:
        p < MEDICINES.length
          ? `${inn} ${strength}`
          : `${inn} ${strength} (${Math.floor(p / MEDICINES.length) + 1})`,
      manufacturerId: maker.id,
      companyPrefix: maker.companyPrefix,
      itemReference,
      packsPerCase: productRng.pick(CASE_SIZES),
      shelfLifeMonths: 18 + 6 * productRng.int(4),
      category: categories[p] ?? 'chronic',
    });
  }
  return { regions, organisations, products };
}
