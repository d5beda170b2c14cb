import { Injectable } from '@nestjs/common';
import { cbvAttribute } from '@pedigree/epcis';
import { isEpcUrn, parseEpcUrn } from '@pedigree/gs1';
import type { MasterDataResponse, ProductDto } from './dto/master-data.response';
import { MasterDataRepository, type MasterDataStatement } from './master-data.repository';

/** Product descriptions change rarely and verification is the hot path: a minute of staleness is fine. */
const PRODUCT_TTL_MS = 60_000;
const PRODUCT_CACHE_SIZE = 10_000;

/**
 * EPCIS master data as captured from master data documents and document headers: the statements about an
 * identifier, and a product's description (name, strength, form, national code) as its manufacturer stated it, for
 * verification answers and lot views. Only the owner's statement describes the product; what others said is listed as theirs.
 */
@Injectable()
export class MasterDataService {
  private readonly products = new Map<string, { at: number; product: ProductDto | undefined }>();

  constructor(private readonly repository: MasterDataRepository) {}

  async describe(id: string): Promise<MasterDataResponse> {
    const statements = await this.repository.statements(idsOf(id));
    const owner = statements.find((s) => s.authoritative);
    return {
      id,
      ...(owner && isProductClass(owner) ? { product: productOf(owner) } : {}),
      statements: statements.map((s) => ({
        type: s.vocabularyType,
        id: s.id,
        organisation: s.organisationName ?? s.organisationId,
        authoritative: s.authoritative,
        attributes: s.attributes,
        children: s.children,
        updatedAt: new Date(s.updatedAt).toISOString(),
      })),
    };
  }

  /** The product of a pack (by its EPC URN), from its manufacturer's master data; cached a minute. */
  async productOfPack(epc: string): Promise<ProductDto | undefined> {
    const match = /^urn:epc:id:sgtin:(\d+)\.(\d+)\./.exec(epc);
    if (!match) return undefined;
    const classId = `urn:epc:idpat:sgtin:${match[1]}.${match[2]}.*`;
    const cached = this.products.get(classId);
    if (cached && Date.now() - cached.at < PRODUCT_TTL_MS) return cached.product;
    const owner = (await this.repository.statements(idsOf(classId), true)).find(isProductClass);
    const product = owner ? productOf(owner) : undefined;
    if (this.products.size >= PRODUCT_CACHE_SIZE) this.products.clear();
    this.products.set(classId, { at: Date.now(), product });
    return product;
  }
}

/** An identifier and its other spelling (EPC URN pattern ⇄ GTIN Digital Link), as master data may use either. */
function idsOf(id: string): string[] {
  if (!isEpcUrn(id)) return [id];
  try {
    const link = parseEpcUrn(id).digitalLink;
    return link ? [id, link] : [id];
  } catch {
    return [id];
  }
}

function isProductClass(statement: MasterDataStatement): boolean {
  return statement.vocabularyType.endsWith('EPCClass');
}

function productOf(statement: MasterDataStatement): ProductDto {
  const a = statement.attributes;
  const product: ProductDto = {
    name: cbvAttribute(a, 'regulatedProductName') ?? cbvAttribute(a, 'tradeItemDescription'),
    strength: cbvAttribute(a, 'strengthDescription'),
    dosageForm: cbvAttribute(a, 'dosageFormType'),
    nationalCode: cbvAttribute(a, 'additionalTradeItemIdentification'),
    manufacturer:
      cbvAttribute(a, 'manufacturerOfTradeItemPartyName') ?? statement.organisationName ?? undefined,
  };
  return Object.fromEntries(Object.entries(product).filter(([, v]) => v !== undefined)) as ProductDto;
}
