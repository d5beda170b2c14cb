import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** The fixed SimpleEventQuery parameters as OpenAPI documents them; the patterned ones are named in the summary. */
const DOCUMENTED: [name: string, description: string, example?: string][] = [
  ['eventType', 'comma-separated event types', 'ObjectEvent,AggregationEvent'],
  ['GE_eventTime', 'event time at or after (ISO 8601 with offset)', '2026-01-01T00:00:00Z'],
  ['LT_eventTime', 'event time before'],
  ['GE_recordTime', 'record time at or after'],
  ['LT_recordTime', 'record time before'],
  ['EQ_action', 'ADD, OBSERVE or DELETE'],
  ['EQ_bizStep', 'comma-separated; bare CBV names, CBV URIs or URNs', 'shipping'],
  ['EQ_disposition', 'comma-separated; bare CBV names, CBV URIs or URNs', 'in_transit'],
  ['EQ_readPoint', 'comma-separated location identifiers'],
  ['EQ_bizLocation', 'comma-separated location identifiers', 'urn:epc:id:sgln:4012345.00001.0'],
  [
    'MATCH_epc',
    'in epcList or childEPCs (EPC URN or GS1 Digital Link)',
    'urn:epc:id:sgtin:4012345.012345.1001',
  ],
  ['MATCH_parentID', 'the parentID of an aggregation'],
  ['MATCH_inputEPC', 'in a transformation’s inputEPCList'],
  ['MATCH_outputEPC', 'in a transformation’s outputEPCList'],
  ['MATCH_anyEPC', 'in any identifier field'],
  ['MATCH_epcClass', 'in quantityList or childQuantityList', 'urn:epc:class:lgtin:4012345.012345.A1'],
  ['MATCH_inputEPCClass', 'in inputQuantityList'],
  ['MATCH_outputEPCClass', 'in outputQuantityList'],
  ['MATCH_anyEPCClass', 'in any quantity list'],
  ['EQ_eventID', 'comma-separated eventIDs'],
  ['EQ_transformationID', 'comma-separated transformation ids'],
  ['EXISTS_errorDeclaration', 'only events that declare an error (true) or only those that do not (false)'],
  ['EQ_errorReason', 'the error declaration’s reason'],
  ['EQ_correctiveEventID', 'an error declaration’s corrective event'],
  ['EQ_type', 'a sensor report type (Temperature, gs1:Temperature or the full URI)'],
  ['EQ_deviceID', 'a sensor device'],
  ['GE_time', 'a sensor report time at or after'],
  ['LT_time', 'a sensor report time before'],
  ['orderBy', 'eventTime (default) or recordTime'],
  ['orderDirection', 'ASC (default) or DESC'],
  ['eventCountLimit', 'at most this many events in all pages'],
  ['maxEventCount', 'refuse (413) when more events match'],
  ['perPage', 'events per page (1–1000, default 30)'],
  ['nextPageToken', 'from the Link header of the previous page'],
];

export const PATTERNED_PARAMETERS =
  'Patterned parameters: EQ_bizTransaction_{type}, EQ_source_{type}, EQ_destination_{type}; ' +
  '{EQ|GT|GE|LT|LE|EXISTS}_ILMD_{prefix:field} and {EQ|GT|GE|LT|LE|EXISTS}_{prefix:field} (an extension field by ' +
  'the name it was captured with); sensor values {EQ|GT|GE|LT|LE}_{value|minValue|maxValue|meanValue|sDev|' +
  'percRank|percValue}_{uom} (GE_value_CEL=8). An unknown parameter is refused by name.';

/** Documents the SimpleEventQuery parameters on an endpoint that takes them. */
export function ApiEventQuery(): MethodDecorator {
  return applyDecorators(
    ...DOCUMENTED.map(([name, description, example]) =>
      ApiQuery({ name, description, required: false, ...(example ? { example } : {}) }),
    ),
  );
}
