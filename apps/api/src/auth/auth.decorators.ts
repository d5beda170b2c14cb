import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal, PrincipalRole } from './principal';

export const PUBLIC_ROUTE = 'pedigree:public';
export const ALLOWED_ROLES = 'pedigree:roles';

/** No credential needed (health, metrics, docs, the dashboard's static files). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only these roles may call the route; the admin token passes every role check. */
export const Roles = (...roles: PrincipalRole[]) => SetMetadata(ALLOWED_ROLES, roles);

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The authenticated caller of the current request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});
