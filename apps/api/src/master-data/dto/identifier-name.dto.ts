import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** Whose word a name is: the identifier's owner, the reader's own organisation, or the consortium's registry. */
export const NAME_SOURCES = ['owner', 'own', 'registry'] as const;
export type NameSource = (typeof NAME_SOURCES)[number];

/** What a person reads instead of a GS1 key: the product of a GTIN or pack, the place or party of a GLN. */
export class IdentifierNameDto {
  @ApiProperty({ enum: ['product', 'location'] }) kind!: 'product' | 'location';
  @ApiProperty({
    example: 'Amoxicillin 500 mg',
    description: 'what to show (name and strength of a product)',
  })
  label!: string;
  @ApiProperty({ example: 'Amoxicillin' }) name!: string;
  @ApiPropertyOptional({ example: '500 mg' }) strength?: string;
  @ApiPropertyOptional({ example: 'Marktplatz 1, 10115 Berlin, DE' }) address?: string;
  @ApiPropertyOptional({ example: '04012345123456', description: 'the GTIN behind a product identifier' })
  gtin?: string;
  @ApiPropertyOptional({
    example: '4260001000003',
    description: 'the GLN behind a location or party identifier',
  })
  gln?: string;
  @ApiProperty({
    enum: NAME_SOURCES,
    description:
      "owner: the identifier's owner's master data; own: your organisation's master data (the owner stated none); " +
      'registry: the member registered with this GLN (no master data names it)',
  })
  source!: NameSource;
}

/** Names of the identifiers in a response, keyed by the identifier exactly as the response spells it. */
export type IdentifierNames = Record<string, IdentifierNameDto>;

/**
 * The `names` property of a response, documented once (IdentifierNameDto is among the OpenAPI document's extra
 * models, see openapi.ts).
 */
export function ApiIdentifierNames(): PropertyDecorator {
  return ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(IdentifierNameDto) },
    description:
      'identifier (as this response spells it) → the name of its product or place; identifiers without a known ' +
      'name are absent',
  });
}
