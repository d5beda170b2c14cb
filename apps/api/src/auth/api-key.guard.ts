import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ALLOWED_ROLES, type AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthService } from './auth.service';
import { FailedAttemptLimiter } from './failed-attempt.limiter';
import { StreamTicketService } from './stream-ticket.service';
import type { PrincipalRole } from './principal';

export function credentialOf(request: AuthenticatedRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string') return apiKey.trim();
  return undefined;
}

/** EventSource cannot send headers: the live stream alone accepts a short-lived ticket (never a key) in its URL. */
function streamTicketOf(request: AuthenticatedRequest): string | undefined {
  const ticket = (request.query as Record<string, unknown> | undefined)?.ticket;
  return request.path === '/v1/stream' && typeof ticket === 'string' ? ticket : undefined;
}

/** Global guard: every route needs a credential unless marked @Public(), and a role among its @Roles(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly tickets: StreamTicketService,
    private readonly failures: FailedAttemptLimiter,
  ) {}

  /** Failed attempts are limited per client address (a guessing client gets 429 before it gets far). */
  private async authenticate(request: AuthenticatedRequest) {
    const client = request.ip ?? 'unknown';
    this.failures.assertAllowed(client);
    try {
      const ticket = streamTicketOf(request);
      const credential = credentialOf(request);
      return ticket && !credential
        ? await this.tickets.redeem(ticket)
        : await this.auth.authenticate(credential);
    } catch (error) {
      await this.failures.record(client);
      throw error;
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request);
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
