import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { companyPrefixResolver, digitalLinkToEpcUrn, isEpcUrn, normaliseEpcUrn } from '@pedigree/gs1';
import { DataSource } from 'typeorm';

/**
 * Turns what a user typed or scanned (EPC URN or GS1 Digital Link) into the canonical EPC URN Pedigree stores.
 * A Digital Link does not say where the company prefix ends; the members' registered prefixes do.
 */
@Injectable()
export class IdentifierResolverService {
  private prefixes: string[] = [];
  private loadedAt = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private async knownPrefixes(): Promise<string[]> {
    if (Date.now() - this.loadedAt > 10_000) {
      const rows: { prefix: string }[] = await this.dataSource.query(
        `SELECT DISTINCT unnest(company_prefixes) AS prefix FROM organisations`,
      );
      this.prefixes = rows.map((r) => r.prefix).sort((a, b) => b.length - a.length);
      this.loadedAt = Date.now();
    }
    return this.prefixes;
  }

  async toEpcUrn(input: string, field: string): Promise<string> {
    const value = input.trim();
    try {
      if (isEpcUrn(value)) return normaliseEpcUrn(value);
      if (/^https?:\/\//i.test(value)) {
        return digitalLinkToEpcUrn(value, {
          companyPrefixResolver: companyPrefixResolver(await this.knownPrefixes()),
        });
      }
    } catch (error) {
      throw new CommonError(CommonErrorCode.VALIDATION_FAILED, `${field}: ${(error as Error).message}`, {
        field,
      });
    }
    throw new CommonError(
      CommonErrorCode.VALIDATION_FAILED,
      `${field} must be an EPC URN (urn:epc:id:sgtin:…) or a GS1 Digital Link (https://id.gs1.org/01/…/21/…); got "${value.slice(0, 80)}"`,
      { field },
    );
  }
}
