import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import type { EpcFormat } from '@pedigree/epcis';
import {
  companyPrefixResolver,
  digitalLinkToEpcUrn,
  isEpcUrn,
  normaliseEpcUrn,
  tryEpcUrnToDigitalLink,
} from '@pedigree/gs1';
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

  /**
   * How identifiers are written in an answer for a `GS1-EPC-Format` (EPCIS 2.0 REST binding): Digital Links from
   * EPC URNs, EPC URNs from Digital Links (with the registered prefixes); undefined for as captured. What cannot be
   * translated (a private URI, a link with no registered prefix) stays as it is.
   */
  async translator(format: EpcFormat): Promise<((id: string) => string) | undefined> {
    if (format === 'Always_GS1_Digital_Link') {
      return (id) => (isEpcUrn(id) ? (tryEpcUrnToDigitalLink(id) ?? id) : id);
    }
    if (format !== 'Always_EPC_URN') return undefined;
    const resolver = companyPrefixResolver(await this.knownPrefixes());
    return (id) => {
      if (!/^https?:\/\//.test(id)) return id;
      try {
        return digitalLinkToEpcUrn(id, { companyPrefixResolver: resolver });
      } catch {
        return id;
      }
    };
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
