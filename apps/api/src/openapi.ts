import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { IdentifierNameDto } from './master-data/dto/identifier-name.dto';

/** OpenAPI document and UI at /docs (JSON at /docs-json). */
export function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Pedigree API')
      .setDescription(
        'Drug supply-chain provenance: EPCIS 2.0 capture and query, pharmacy verification, chain of custody checked ' +
          'against an EVM chain, alerts and demand forecasts. Authenticate with an organisation API key ' +
          '(`Authorization: Bearer pdg_…`). Errors are `application/problem+json` (RFC 9457) with a stable `code`.',
      )
      .setVersion('1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'Organisation API key or the bootstrap admin token',
      })
      .build(),
    // Referenced from the `names` maps of several responses (ApiIdentifierNames).
    { extraModels: [IdentifierNameDto] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
