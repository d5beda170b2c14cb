import { Body, Controller, Get, Header, HttpCode, Options, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { uuidParam } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import type { CaptureJobRow } from './capture.repository';
import { CaptureService } from './capture.service';

type RawRequest = Request & { rawBody?: Buffer };

/** The EPCIS 2.0 captureJob resource. */
function captureJob(job: CaptureJobRow) {
  return {
    captureID: job.id,
    createdAt: job.createdAt.toISOString(),
    ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
    running: job.status === 'running',
    success: job.status === 'success' || (job.status === 'partial' && job.errorBehaviour === 'proceed'),
    captureErrorBehaviour: job.errorBehaviour,
    eventCount: job.eventCount,
    acceptedCount: job.acceptedCount,
    rejectedCount: job.rejectedCount,
    // Vocabulary elements of master data stored: what a master data document (which has no events) captured.
    masterDataCount: job.masterDataCount,
    errors: job.errors.map((e) => ({
      type: `https://pedigree.dev/problems/${e.code.toLowerCase().replace(/_/g, '-')}`,
      title: e.code,
      status: 400,
      detail: e.detail,
      ...(e.field ? { pointer: e.field } : {}),
      ...(e.eventIndex !== undefined ? { eventIndex: e.eventIndex } : {}),
    })),
    // Accepted, but waiting for a precondition (a shipment, a commissioning) that has not arrived yet: applied when
    // it does, or refused when INGEST_PARK_TIMEOUT_SECONDS ends the wait; either outcome then shows here.
    waiting: job.waiting.map((w) => ({
      title: w.code,
      detail: w.detail,
      waitingFor: w.waitingFor,
      ...(w.eventIndexes ? { eventIndexes: w.eventIndexes } : {}),
    })),
  };
}

@ApiTags('epcis capture')
@ApiBearerAuth()
@Controller('epcis/v2/capture')
export class CaptureController {
  constructor(
    private readonly capture: CaptureService,
    private readonly config: PedigreeConfig,
  ) {}

  private limits(res: Response): void {
    res.setHeader('GS1-EPCIS-Capture-Limit', String(this.config.captureMaxEvents));
    res.setHeader('GS1-EPCIS-Capture-File-Size-Limit', String(this.config.ingestMaxDocumentBytes));
    res.setHeader('GS1-EPCIS-Version', '2.0.0');
    res.setHeader('GS1-CBV-Version', '2.0.0');
  }

  @Options()
  @HttpCode(204)
  @Header('Allow', 'OPTIONS, GET, POST')
  options(@Res({ passthrough: true }) res: Response): void {
    this.limits(res);
  }

  @Post()
  @HttpCode(202)
  @Roles('manufacturer', 'distributor', 'dispenser')
  @ApiOperation({
    summary:
      'Capture an EPCISDocument, or an EPCISMasterDataDocument (asynchronous; 202 with the job in Location)',
  })
  @ApiHeader({
    name: 'GS1-Capture-Error-Behaviour',
    required: false,
    enum: ['rollback', 'proceed'],
    description: 'rollback (default): nothing of a document with a bad event is kept',
  })
  @ApiConsumes('application/ld+json', 'application/json', 'application/xml', 'text/xml')
  @ApiBody({
    description:
      'An EPCISDocument: EPCIS 2.0 JSON-LD (application/ld+json, application/json), or EPCIS 2.0 or 1.2 XML ' +
      '(application/xml, text/xml; 1.2 with its Standard Business Document Header and master data). Or master data ' +
      'on its own: an EPCISMasterDataDocument in XML (2.0 urn:epcglobal:epcis-masterdata:xsd:2, 1.2 …:xsd:1) or ' +
      'JSON ("type": "EPCISMasterDataDocument", the vocabularies in epcisBody.vocabularyList); the job then counts ' +
      'the vocabulary elements stored in masterDataCount',
    schema: { type: 'object' },
  })
  @ApiResponse({ status: 202, description: 'Accepted; poll Location for the job' })
  @ApiResponse({ status: 413, description: 'More events than GS1-EPCIS-Capture-Limit, or too many bytes' })
  async post(
    @Req() req: RawRequest,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ captureID: string; location: string }> {
    this.limits(res);
    const header = req.headers['gs1-capture-error-behaviour'];
    const job = await this.capture.capture(
      req.rawBody,
      body,
      Array.isArray(header) ? header[0] : header,
      principal,
      Boolean(req.is(['application/xml', 'text/xml', 'application/*+xml'])),
    );
    const location = `/epcis/v2/capture/${job.id}`;
    res.setHeader('Location', location);
    return { captureID: job.id, location };
  }

  @Get()
  @ApiOperation({ summary: 'Your recent capture jobs' })
  async list(@CurrentPrincipal() principal: Principal) {
    return (await this.capture.jobs(principal)).map(captureJob);
  }

  @Get(':captureID')
  @ApiOperation({ summary: 'A capture job: running, success, and the errors per event' })
  async get(
    @Param('captureID', uuidParam('captureID')) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return captureJob(await this.capture.job(id, principal));
  }
}
