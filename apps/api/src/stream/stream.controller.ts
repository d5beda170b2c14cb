import { Controller, HttpCode, type MessageEvent, Post, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { StreamTicketService } from '../auth/stream-ticket.service';
import { StreamService } from './stream.service';

class StreamTicketResponse {
  @ApiProperty({ description: 'opens /v1/stream?ticket=… until it expires; carries no key' }) ticket!: string;
  @ApiProperty() expiresAt!: string;
}

@ApiTags('stream')
@ApiBearerAuth()
@Controller('v1/stream')
export class StreamController {
  constructor(
    private readonly stream: StreamService,
    private readonly tickets: StreamTicketService,
  ) {}

  @Post('tickets')
  @HttpCode(201)
  @ApiOperation({
    summary: 'A one-minute ticket for the live stream (EventSource cannot send the key as a header)',
  })
  @ApiOkResponse({ type: StreamTicketResponse })
  ticket(@CurrentPrincipal() principal: Principal): StreamTicketResponse {
    return this.tickets.issue(principal);
  }

  @Sse()
  @ApiOperation({
    summary:
      'Server-Sent Events: `stats` every 3 s, `alert` and `event` as they happen (own scope unless regulator)',
  })
  @ApiQuery({ name: 'ticket', required: false, description: 'a ticket from POST /v1/stream/tickets' })
  connect(@CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    return this.stream.connect(principal);
  }
}
