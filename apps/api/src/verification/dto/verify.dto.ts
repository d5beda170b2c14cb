import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

export class VerifyBarcodeDto {
  @ApiProperty({
    description:
      'The scanned data as the scanner delivered it: a GS1 element string with its symbology identifier (]d2 DataMatrix, ]Q3 QR), ' +
      'the bracketed form, or a GS1 Digital Link. Use \\u001d for the GS separator in JSON.',
    example: ']d20104012345123456215AB12C3D4E\u001d10LOT42\u001d17280131',
  })
  @IsString()
  @Length(1, 512)
  barcode!: string;
}

export class VerifyQueryDto {
  @ApiProperty({ example: '04012345123456', description: 'GTIN-8, -12, -13 or -14' })
  @Matches(/^\d{8}$|^\d{12,14}$/, { message: 'gtin must be 8, 12, 13 or 14 digits' })
  gtin!: string;

  @ApiProperty({ example: '5AB12C3D4E' })
  @IsString()
  @Length(1, 20)
  serial!: string;

  @ApiPropertyOptional({ example: 'LOT42' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lot?: string;

  @ApiPropertyOptional({
    example: '280131',
    description: 'YYMMDD as on the pack (day 00 = end of month) or YYYY-MM-DD',
  })
  @IsOptional()
  @Matches(/^\d{6}$|^\d{4}-\d{2}-\d{2}$/, { message: 'expiry must be YYMMDD or YYYY-MM-DD' })
  expiry?: string;
}
