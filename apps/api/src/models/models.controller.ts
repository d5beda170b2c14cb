import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { type ModelAudit, ModelsService, type ModelSummary } from './models.service';

export class ModelParamsDto {
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'name must be a model name such as anomaly-shipment' })
  name!: string;

  @Matches(/^[0-9A-Za-z:.+-]{1,64}$/, { message: 'version must be a model version (an ISO timestamp)' })
  version!: string;
}

/** Model cards, for every member: the models' alerts and forecasts reach them all. */
@ApiTags('models')
@ApiBearerAuth()
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @ApiOperation({
    summary: 'Trained models with their cards (weights hash, training-set hash, metrics, code version)',
  })
  list(): Promise<ModelSummary[]> {
    return this.models.list();
  }

  @Get(':name/:version')
  @ApiOperation({
    summary:
      'One model: its card, its stored weights and the Merkle proof of the card’s anchor, for `pedigree audit model`',
  })
  get(@Param() params: ModelParamsDto): Promise<ModelAudit> {
    return this.models.get(params.name, params.version);
  }
}
