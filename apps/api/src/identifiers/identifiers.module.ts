import { Module } from '@nestjs/common';
import { IdentifierResolverService } from './identifier-resolver.service';

@Module({ providers: [IdentifierResolverService], exports: [IdentifierResolverService] })
export class IdentifiersModule {}
