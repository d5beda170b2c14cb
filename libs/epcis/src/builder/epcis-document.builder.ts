import { pglnUrn, sglnUrn } from './gs1-keys';
/**
 * Builds realistic EPCIS 2.0 documents for the pharmaceutical flow (commission → pack → ship → receive → unpack →
 * dispense), as a manufacturer's, wholesaler's or pharmacy's system would send them. Used by the demo, the network
 * simulator and the tests, so that all of them speak the same, valid EPCIS.
 */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

export interface Party {
  /** GS1 Company Prefix of the party. */
  companyPrefix: string;
  /** PGLN URN of the party itself (`urn:epc:id:pgln:…`). */
  pgln: string;
  /** SGLN URN of the site where it acts (`urn:epc:id:sgln:…`). */
  site: string;
}

/** The usual test and demo party: its party GLN (location reference 0) and one site (location reference 1). */
export function partyOf(companyPrefix: string): Party {
  return { companyPrefix, pgln: pglnUrn(companyPrefix, 0), site: sglnUrn(companyPrefix, 1) };
}

type Json = Record<string, unknown>;

function base(type: string, time: Date, extra: Json): Json {
  return {
    type,
    eventTime: time.toISOString(),
    eventTimeZoneOffset: '+00:00',
    ...extra,
  };
}

export function commissioningEvent(args: {
  epcs: string[];
  at: Party;
  time: Date;
  lot: string;
  expiry: string;
}): Json {
  return base('ObjectEvent', args.time, {
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    epcList: args.epcs,
    readPoint: { id: args.at.site },
    bizLocation: { id: args.at.site },
    ilmd: { 'cbvmda:lotNumber': args.lot, 'cbvmda:itemExpirationDate': args.expiry },
  });
}

export function packingEvent(args: { parent: string; children: string[]; at: Party; time: Date }): Json {
  return base('AggregationEvent', args.time, {
    action: 'ADD',
    bizStep: 'packing',
    disposition: 'in_progress',
    parentID: args.parent,
    childEPCs: args.children,
    readPoint: { id: args.at.site },
    bizLocation: { id: args.at.site },
  });
}

export function unpackingEvent(args: { parent: string; children?: string[]; at: Party; time: Date }): Json {
  return base('AggregationEvent', args.time, {
    action: 'DELETE',
    bizStep: 'unpacking',
    disposition: 'in_progress',
    parentID: args.parent,
    ...(args.children ? { childEPCs: args.children } : {}),
    readPoint: { id: args.at.site },
    bizLocation: { id: args.at.site },
  });
}

export function shippingEvent(args: {
  epcs: string[];
  from: Party;
  to: Party;
  time: Date;
  despatchAdvice?: string;
}): Json {
  return base('ObjectEvent', args.time, {
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    epcList: args.epcs,
    readPoint: { id: args.from.site },
    ...(args.despatchAdvice
      ? { bizTransactionList: [{ type: 'desadv', bizTransaction: args.despatchAdvice }] }
      : {}),
    sourceList: [
      { type: 'owning_party', source: args.from.pgln },
      { type: 'location', source: args.from.site },
    ],
    destinationList: [
      { type: 'owning_party', destination: args.to.pgln },
      { type: 'location', destination: args.to.site },
    ],
  });
}

export function receivingEvent(args: { epcs: string[]; from: Party; at: Party; time: Date }): Json {
  return base('ObjectEvent', args.time, {
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    epcList: args.epcs,
    readPoint: { id: args.at.site },
    bizLocation: { id: args.at.site },
    sourceList: [{ type: 'owning_party', source: args.from.pgln }],
    destinationList: [{ type: 'owning_party', destination: args.at.pgln }],
  });
}

export function dispensingEvent(args: { epcs: string[]; at: Party; time: Date }): Json {
  return base('ObjectEvent', args.time, {
    action: 'OBSERVE',
    bizStep: 'dispensing',
    disposition: 'dispensed',
    epcList: args.epcs,
    readPoint: { id: args.at.site },
    bizLocation: { id: args.at.site },
  });
}

export function decommissioningEvent(args: { epcs: string[]; at: Party; time: Date }): Json {
  return base('ObjectEvent', args.time, {
    action: 'DELETE',
    bizStep: 'decommissioning',
    disposition: 'inactive',
    epcList: args.epcs,
    readPoint: { id: args.at.site },
    bizLocation: { id: args.at.site },
  });
}

export function epcisDocument(events: Json[], options: { id?: string; created?: Date } = {}): Json {
  return {
    '@context': [EPCIS_CONTEXT_URL],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: (options.created ?? new Date()).toISOString(),
    ...(options.id ? { id: options.id } : {}),
    epcisBody: { eventList: events },
  };
}

/** A product class or a location as master data: CBV attributes by local name (`regulatedProductName`, `city`). */
export function masterDataVocabulary(
  type: 'EPCClass' | 'Location',
  id: string,
  cbvAttributes: Record<string, string>,
): Json {
  return {
    type: `urn:epcglobal:epcis:vtype:${type}`,
    vocabularyElementList: [
      {
        id,
        attributes: Object.entries(cbvAttributes).map(([name, value]) => ({
          id: `cbvmda:${name}`,
          attribute: value,
        })),
      },
    ],
  };
}

/** Master data on its own: an EPCISMasterDataDocument in the JSON shape Pedigree reads. */
export function epcisMasterDataDocument(vocabularyList: Json[], options: { created?: Date } = {}): Json {
  return {
    '@context': [EPCIS_CONTEXT_URL],
    type: 'EPCISMasterDataDocument',
    schemaVersion: '2.0',
    creationDate: (options.created ?? new Date()).toISOString(),
    epcisBody: { vocabularyList },
  };
}
