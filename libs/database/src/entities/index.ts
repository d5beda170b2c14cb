import { AlertEntity } from './alert.entity';
import { AnchorBatchEntity } from './anchor-batch.entity';
import { ApiKeyEntity } from './api-key.entity';
import { CaptureJobEntity } from './capture-job.entity';
import { ChainStateEntity } from './chain-state.entity';
import { ContainmentEntity } from './containment.entity';
import { CustodySignatureRequestEntity } from './custody-signature-request.entity';
import { CustodyTransferEntity } from './custody-transfer.entity';
import { EpcisEventEntity } from './epcis-event.entity';
import { EventAnchorEntity } from './event-anchor.entity';
import { ForecastEntity } from './forecast.entity';
import { MasterDataEntity } from './master-data.entity';
import { MlModelEntity } from './ml-model.entity';
import { NamedQueryEntity } from './named-query.entity';
import { OrganisationEntity } from './organisation.entity';
import { OutboxEntryEntity } from './outbox-entry.entity';
import { PackEntity } from './pack.entity';
import { PackHistoryEntity } from './pack-history.entity';
import { ParkedDocumentEntity } from './parked-document.entity';
import { QuerySubscriptionEntity } from './query-subscription.entity';
import { ServiceStateEntity } from './service-state.entity';
import { SetAsideAlertEntity } from './set-aside-alert.entity';
import { StateTrieNodeEntity } from './state-trie-node.entity';

export * from './alert.entity';
export * from './anchor-batch.entity';
export * from './api-key.entity';
export * from './capture-job.entity';
export * from './chain-state.entity';
export * from './containment.entity';
export * from './custody-signature-request.entity';
export * from './custody-transfer.entity';
export * from './epcis-event.entity';
export * from './event-anchor.entity';
export * from './forecast.entity';
export * from './master-data.entity';
export * from './ml-model.entity';
export * from './named-query.entity';
export * from './organisation.entity';
export * from './outbox-entry.entity';
export * from './pack-history.entity';
export * from './state-trie-node.entity';
export * from './pack.entity';
export * from './parked-document.entity';
export * from './query-subscription.entity';
export * from './service-state.entity';
export * from './set-aside-alert.entity';

export const ENTITIES = [
  AlertEntity,
  AnchorBatchEntity,
  ApiKeyEntity,
  CaptureJobEntity,
  ChainStateEntity,
  ContainmentEntity,
  CustodySignatureRequestEntity,
  CustodyTransferEntity,
  EpcisEventEntity,
  EventAnchorEntity,
  ForecastEntity,
  MasterDataEntity,
  MlModelEntity,
  NamedQueryEntity,
  OrganisationEntity,
  OutboxEntryEntity,
  PackEntity,
  PackHistoryEntity,
  ParkedDocumentEntity,
  QuerySubscriptionEntity,
  ServiceStateEntity,
  SetAsideAlertEntity,
  StateTrieNodeEntity,
];
