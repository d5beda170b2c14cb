import { Module } from '@nestjs/common';
import { CaptureController } from './capture.controller';
import { CaptureRepository } from './capture.repository';
import { CaptureService } from './capture.service';

@Module({ controllers: [CaptureController], providers: [CaptureRepository, CaptureService] })
export class CaptureModule {}
