import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import {
  EpcisIssueCode,
  isEpcisValidationError,
  parseEpcisXml,
  VOCABULARY_LIST_POINTER,
} from '@pedigree/epcis';
import { createKafka, Headers, signRelay, Topics, TypedProducer } from '@pedigree/messaging';
import { Wallet } from 'ethers';
import { createHash, randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { CaptureErrorCode, CaptureException } from './capture.exception';
import { CaptureRepository, type CaptureJobRow } from './capture.repository';

export type ErrorBehaviour = 'rollback' | 'proceed';

/** What capture needs to know of a document before queueing it. */
interface Captured {
  events: unknown[];
  /** An EPCISMasterDataDocument: master data on its own, no events. */
  masterData: boolean;
}

/**
 * The EPCIS 2.0 REST capture binding: accept a document (events, or master data on its own), queue it on Kafka for
 * ingest, report on the job.
 */
@Injectable()
export class CaptureService implements OnApplicationShutdown {
  private readonly logger = new Logger(CaptureService.name);
  private readonly producer: TypedProducer;
  private readonly relay: Wallet;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: CaptureRepository,
  ) {
    this.producer = new TypedProducer(createKafka(config, 'api-capture'), config);
    this.relay = new Wallet(config.apiRelayPrivateKey!);
  }

  async capture(
    raw: Buffer | undefined,
    body: unknown,
    behaviourHeader: string | undefined,
    principal: Principal,
    xml = false,
  ): Promise<CaptureJobRow> {
    const behaviour = this.errorBehaviour(behaviourHeader);
    if (!raw || raw.length === 0)
      throw new CaptureException(
        CaptureErrorCode.NOT_JSON,
        'The request has no body: send an EPCISDocument or an EPCISMasterDataDocument.',
        'body',
      );
    if (raw.length > this.config.ingestMaxDocumentBytes) {
      throw new CaptureException(
        CaptureErrorCode.TOO_LARGE,
        `The document is ${raw.length} bytes; the limit is ${this.config.ingestMaxDocumentBytes}.`,
        'body',
      );
    }
    const { events, masterData } = xml ? this.xmlDocument(raw) : this.jsonDocument(body);
    if (events.length > this.config.captureMaxEvents) {
      throw new CaptureException(
        CaptureErrorCode.TOO_MANY_EVENTS,
        `The document holds ${events.length} events; GS1-EPCIS-Capture-Limit is ${this.config.captureMaxEvents}.`,
        '/epcisBody/eventList',
      );
    }
    const organisationId = principal.organisationId;
    if (!organisationId) {
      throw new CaptureException(
        CaptureErrorCode.NO_ORGANISATION,
        'Only a member organisation publishes events; capture with one of its API keys.',
        'Authorization',
      );
    }
    const { job, created } = await this.repository.createOrFind({
      id: randomUUID(),
      organisationId,
      sha256: createHash('sha256').update(raw).digest(),
      errorBehaviour: behaviour,
      eventCount: events.length,
    });
    if (!created) {
      this.logger.log(
        `replayed capture ${job.id}: same document from the same organisation; not captured again`,
      );
      return job;
    }
    try {
      await this.producer.send(Topics.epcisEvents, [
        {
          // Master data is keyed by its publisher: one member's statements stay in order, the latest kept last.
          key: masterData ? `master-data:${organisationId}` : (keyOf(events) ?? job.id),
          value: raw,
          // The API vouches for the member whose key it checked: ingest trusts this signature, not the headers.
          headers: {
            ...(await signRelay(this.relay, raw, {
              publisher: organisationId,
              captureId: job.id,
              errorBehaviour: behaviour,
            })),
            [Headers.contentType]: xml ? 'application/xml' : 'application/ld+json',
          },
        },
      ]);
    } catch (error) {
      await this.repository.markQueueFailed(job.id);
      throw new CommonError(
        CommonErrorCode.DEPENDENCY_UNAVAILABLE,
        'The capture queue is unavailable; retry later.',
        { cause: error },
      );
    }
    return job;
  }

  /** The shape only: ingest validates the rest, and reports on the job, as it does for documents from Kafka. */
  private jsonDocument(body: unknown): Captured {
    const document = body as
      { type?: unknown; epcisBody?: { eventList?: unknown; vocabularyList?: unknown } } | undefined;
    const type = document && typeof document === 'object' ? document.type : undefined;
    if (type === 'EPCISMasterDataDocument') {
      if (!Array.isArray(document?.epcisBody?.vocabularyList)) {
        throw new CaptureException(
          CaptureErrorCode.NOT_A_DOCUMENT,
          'epcisBody.vocabularyList must be an array of vocabularies (an EPCISMasterDataDocument holds master data).',
          VOCABULARY_LIST_POINTER,
        );
      }
      return { events: [], masterData: true };
    }
    if (type !== 'EPCISDocument') {
      throw new CaptureException(
        CaptureErrorCode.NOT_A_DOCUMENT,
        'The body must be a JSON-LD EPCISDocument ("type": "EPCISDocument") or EPCISMasterDataDocument.',
        'type',
      );
    }
    const events = document?.epcisBody?.eventList;
    if (!Array.isArray(events)) {
      throw new CaptureException(
        CaptureErrorCode.NOT_A_DOCUMENT,
        'epcisBody.eventList must be an array of events.',
        '/epcisBody/eventList',
      );
    }
    return { events, masterData: false };
  }

  /**
   * An XML document is read here only to refuse what is not one (not well-formed, another root, too many events)
   * while the client waits; the bytes go to Kafka unchanged and ingest reads them with the same reader.
   */
  private xmlDocument(raw: Buffer): Captured {
    try {
      const parsed = parseEpcisXml(raw, {
        maxBytes: this.config.ingestMaxDocumentBytes,
        maxEvents: this.config.captureMaxEvents,
      });
      if (parsed.documentType === 'EPCISMasterDataDocument') return { events: [], masterData: true };
      return { events: (parsed.value.epcisBody as { eventList: unknown[] }).eventList, masterData: false };
    } catch (error) {
      if (!isEpcisValidationError(error)) throw error;
      const tooMany = error.code === EpcisIssueCode.TOO_MANY_EVENTS;
      throw new CaptureException(
        tooMany ? CaptureErrorCode.TOO_MANY_EVENTS : CaptureErrorCode.NOT_A_DOCUMENT,
        tooMany
          ? `${error.message}; GS1-EPCIS-Capture-Limit is ${this.config.captureMaxEvents}.`
          : error.message,
        error.field || 'body',
      );
    }
  }

  async job(id: string, principal: Principal): Promise<CaptureJobRow> {
    const job = await this.repository.find(id);
    const mine =
      principal.role === 'admin' ||
      principal.role === 'regulator' ||
      job?.organisationId === principal.organisationId;
    if (!job || !mine)
      throw new CaptureException(
        CaptureErrorCode.JOB_NOT_FOUND,
        `No capture job ${id} of your organisation.`,
        'captureID',
      );
    return job;
  }

  jobs(principal: Principal): Promise<CaptureJobRow[]> {
    return this.repository.list(
      principal.role === 'admin' || principal.role === 'regulator'
        ? null
        : (principal.organisationId ?? null),
      100,
    );
  }

  private errorBehaviour(header: string | undefined): ErrorBehaviour {
    if (header === undefined || header === '') return 'rollback';
    const value = header.trim().toLowerCase();
    if (value === 'rollback' || value === 'proceed') return value;
    throw new CaptureException(
      CaptureErrorCode.BAD_ERROR_BEHAVIOUR,
      `GS1-Capture-Error-Behaviour must be "rollback" or "proceed", not "${header.slice(0, 40)}".`,
      'GS1-Capture-Error-Behaviour',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** The consignment or lot the document is about: the first parent or object identifier (keeps one flow in order). */
function keyOf(events: unknown[]): string | undefined {
  for (const event of events) {
    if (!event || typeof event !== 'object') continue;
    const e = event as { parentID?: unknown; epcList?: unknown; childEPCs?: unknown };
    if (typeof e.parentID === 'string') return e.parentID;
    for (const list of [e.epcList, e.childEPCs]) {
      if (Array.isArray(list) && typeof list[0] === 'string') return list[0];
    }
  }
  return undefined;
}
