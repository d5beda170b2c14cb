import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { readGs1Date, yymmddProblem } from '@pedigree/gs1';
import { type Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { VerificationResponse } from './dto/verification.response';
import { VerifyBarcodeDto, VerifyQueryDto } from './dto/verify.dto';
import { VerificationService } from './verification.service';

/** Pharmacies (and wholesalers handling returns) verify a pack before they dispense or resell it. */
@ApiTags('verification')
@ApiBearerAuth()
@Controller('v1/verify')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify a scanned pack (GS1 DataMatrix / QR / Digital Link as the scanner delivered it)',
  })
  @ApiOkResponse({ type: VerificationResponse })
  verifyScan(
    @Body() body: VerifyBarcodeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VerificationResponse> {
    return this.verification.verifyBarcode(body.barcode, principal);
  }

  @Get()
  @ApiOperation({ summary: 'Verify a pack by its data: GTIN and serial, optionally lot and expiry' })
  @ApiOkResponse({ type: VerificationResponse })
  verify(
    @Query() query: VerifyQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VerificationResponse> {
    let expiry = query.expiry;
    if (expiry && /^\d{6}$/.test(expiry)) {
      const problem = yymmddProblem(expiry, true, new Date());
      if (problem)
        throw new CommonError(CommonErrorCode.VALIDATION_FAILED, `expiry ${expiry}: ${problem.detail}`, {
          field: 'expiry',
        });
      expiry = readGs1Date(expiry, new Date()).iso;
    }
    return this.verification.verify(
      { gtin: query.gtin, serial: query.serial, lot: query.lot, expiry },
      principal,
    );
  }
}
