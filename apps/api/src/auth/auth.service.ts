import { Injectable } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { timingSafeEqual } from 'node:crypto';
import { apiKeyPrefix, hashApiKey } from './api-key.codec';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthRepository } from './auth.repository';
import type { Principal } from './principal';

interface CachedPrincipal {
  principal: Principal;
  expiresAt: number;
}

/**
 * Turns a presented credential into a Principal. Verified keys are cached for a short time so that verification
 * at 1,000 requests/s does not cost a database round trip each; a revoked key stops working within the TTL.
 */
@Injectable()
export class AuthService {
  static readonly CACHE_TTL_MS = 30_000;
  private static readonly CACHE_MAX = 10_000;
  private readonly cache = new Map<string, CachedPrincipal>();
  private readonly adminTokenHash?: Buffer;

  constructor(
    private readonly repository: AuthRepository,
    config: PedigreeConfig,
  ) {
    this.adminTokenHash = config.adminToken ? hashApiKey(config.adminToken) : undefined;
  }

  async authenticate(credential: string | undefined): Promise<Principal> {
    if (!credential) {
      throw new AuthException(
        AuthErrorCode.MISSING_CREDENTIALS,
        'This endpoint needs an API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>".',
        'authorization',
      );
    }
    const hash = hashApiKey(credential);
    if (this.adminTokenHash && timingSafeEqual(hash, this.adminTokenHash)) {
      return { role: 'admin', companyPrefixes: [], glns: [] };
    }
    const cacheKey = hash.toString('base64');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;

    const prefix = apiKeyPrefix(credential);
    const record = prefix ? await this.repository.findActiveKey(prefix) : undefined;
    if (!record || !timingSafeEqual(record.keyHash, hash)) {
      throw new AuthException(
        AuthErrorCode.INVALID_CREDENTIALS,
        'The API key is not valid, revoked, or its organisation is inactive.',
        'authorization',
      );
    }
    const principal: Principal = {
      role: record.role,
      organisationId: record.organisationId,
      organisationName: record.organisationName,
      companyPrefixes: record.companyPrefixes,
      glns: record.glns,
      apiKeyId: record.keyId,
    };
    if (this.cache.size >= AuthService.CACHE_MAX) this.cache.clear();
    this.cache.set(cacheKey, { principal, expiresAt: Date.now() + AuthService.CACHE_TTL_MS });
    return principal;
  }

  /** Forget cached principals (after revoking a key or deactivating an organisation). */
  invalidate(): void {
    this.cache.clear();
  }
}
