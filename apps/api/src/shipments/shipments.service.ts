import { Injectable } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { type Principal, readsEverything } from '../auth/principal';
import { IdentifierNamesService } from '../master-data/identifier-names.service';
import type { ShipmentsQueryDto, ShipmentsResponse } from './dto/shipments.dto';
import { ShipmentsRepository } from './shipments.repository';

/** Consignments on the road or received, for the parties that send or receive them, named for people. */
@Injectable()
export class ShipmentsService {
  constructor(
    private readonly shipments: ShipmentsRepository,
    private readonly names: IdentifierNamesService,
    private readonly config: PedigreeConfig,
  ) {}

  async list(query: ShipmentsQueryDto, principal: Principal): Promise<ShipmentsResponse> {
    const scope = readsEverything(principal) ? undefined : principal.organisationId;
    const items = await this.shipments.list(query, this.config.shipmentOverdueHours, scope);
    const names = await this.names.namesOf(
      items.flatMap((s) => [s.fromParty, s.toParty, ...s.gtins]),
      principal,
    );
    return { items, names };
  }
}
