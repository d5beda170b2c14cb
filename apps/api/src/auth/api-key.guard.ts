import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ALLOWED_ROLES, type AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthService } from './auth.service';
import type { PrincipalRole } from './principal';

function credentialOf(request: AuthenticatedRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string') return apiKey.trim();
  // EventSource cannot send headers: the live stream alone accepts the key as a query parameter.
  const token = (request.query as Record<string, unknown> | undefined)?.access_token;
  if (request.path === '/v1/stream' && typeof token === 'string') return token.trim();
  return undefined;
}

/** Global guard: every route needs a credential unless marked @Public(), and a role among its @Roles(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.auth.authenticate(credentialOf(request));
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<PrincipalRole[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new AuthException(
        AuthErrorCode.ROLE_NOT_ALLOWED,
        `This endpoint is for ${roles.join(', ')}; your key belongs to a ${principal.role}.`,
      );
    }
    return true;
  }
}
