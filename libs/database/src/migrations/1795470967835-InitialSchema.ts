import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795470967835 implements MigrationInterface {
  name = 'InitialSchema1795470967835';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dedupe_key" text NOT NULL, "kind" text NOT NULL, "severity" text NOT NULL, "status" text NOT NULL, "score" double precision NOT NULL, "epcs" text array NOT NULL, "gtin" character(14), "lot" text, "summary" text NOT NULL, "evidence" jsonb NOT NULL, "occurrences" integer NOT NULL DEFAULT '1', "org_ids" uuid array NOT NULL DEFAULT '{}', "comments" jsonb NOT NULL DEFAULT '[]', "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_e63c11f6e79b317fa7726ccb606" UNIQUE ("dedupe_key"), CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_alerts_status" ON "alerts" ("status", "severity", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "anchor_batches" ("id" BIGSERIAL NOT NULL, "merkle_root" bytea NOT NULL, "event_count" integer NOT NULL, "status" text NOT NULL, "chain_id" bigint, "contract_address" text, "tx_hash" text, "nonce" integer, "block_number" bigint, "block_hash" text, "gas_used" bigint, "attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "submitted_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_a3e765ce3b67d3d4923845663e9" UNIQUE ("merkle_root"), CONSTRAINT "PK_9c99df32befe05a69802fd4b0af" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_anchor_batches_status" ON "anchor_batches" ("status", "id") `);
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "key_prefix" text NOT NULL, "key_hash" bytea NOT NULL, "label" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_b99bbb8e545065a99b409dbc5d8" UNIQUE ("key_prefix"), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_api_keys_org" ON "api_keys" ("organisation_id") `);
    await queryRunner.query(
      `CREATE TABLE "capture_jobs" ("id" uuid NOT NULL, "organisation_id" uuid, "document_sha256" bytea NOT NULL, "error_behaviour" text NOT NULL, "status" text NOT NULL, "event_count" integer NOT NULL, "accepted_count" integer NOT NULL DEFAULT '0', "rejected_count" integer NOT NULL DEFAULT '0', "errors" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b425d59e98775557a695275b8ea" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_capture_jobs_replay" ON "capture_jobs" ("organisation_id", "document_sha256") `,
    );
    await queryRunner.query(
      `CREATE TABLE "chain_state" ("key" text NOT NULL, "value" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_66d2fb199e0e22a1881269609d5" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "containments" ("id" BIGSERIAL NOT NULL, "child_epc" text NOT NULL, "parent_epc" text NOT NULL, "from_event_hash" bytea NOT NULL, "from_time" TIMESTAMP WITH TIME ZONE NOT NULL, "to_event_hash" bytea, "to_time" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c5e613ca79fc55b740d15f0baae" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_containments_parent_open" ON "containments" ("parent_epc") WHERE to_time IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_containments_child" ON "containments" ("child_epc", "from_time") `,
    );
    await queryRunner.query(
      `CREATE TABLE "custody_transfers" ("id" BIGSERIAL NOT NULL, "consignment_id" text NOT NULL, "consignment_key" text NOT NULL, "from_party" text, "to_party" text, "from_org_id" uuid, "to_org_id" uuid, "ship_event_hash" bytea NOT NULL, "receive_event_hash" bytea, "status" text NOT NULL, "ship_tx_hash" text, "ship_block" bigint, "receive_tx_hash" text, "receive_block" bigint, "pack_count" integer NOT NULL DEFAULT '0', "gtins" text array NOT NULL DEFAULT '{}', "lots" text array NOT NULL DEFAULT '{}', "shipped_at" TIMESTAMP WITH TIME ZONE, "received_at" TIMESTAMP WITH TIME ZONE, "chain_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_805d3ae7fbc3fcd72aa3fd07a3e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_custody_transfers_open" ON "custody_transfers" ("shipped_at") WHERE receive_event_hash IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_custody_transfers_receive_event" ON "custody_transfers" ("receive_event_hash") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_custody_transfers_ship_event" ON "custody_transfers" ("ship_event_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_custody_transfers_consignment" ON "custody_transfers" ("consignment_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "epcis_events" ("event_hash" bytea NOT NULL, "event_id" text, "event_type" text NOT NULL, "action" text, "biz_step" text, "disposition" text, "event_time" TIMESTAMP WITH TIME ZONE NOT NULL, "event_time_zone_offset" text NOT NULL, "read_point" text, "biz_location" text, "epcs" text array NOT NULL, "epc_classes" text array NOT NULL DEFAULT '{}', "payload" jsonb NOT NULL, "flags" jsonb NOT NULL DEFAULT '[]', "publisher_org_id" uuid, "capture_id" uuid, "source" text NOT NULL, "record_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9757cf726372ee87ce20f9041ee" PRIMARY KEY ("event_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_epcis_events_event_id" ON "epcis_events" ("event_id") WHERE event_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_epcis_events_biz_location" ON "epcis_events" ("biz_location") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_epcis_events_biz_step" ON "epcis_events" ("biz_step", "event_time") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_epcis_events_record_time" ON "epcis_events" ("record_time") `);
    await queryRunner.query(`CREATE INDEX "idx_epcis_events_event_time" ON "epcis_events" ("event_time") `);
    await queryRunner.query(
      `CREATE TABLE "event_anchors" ("event_hash" bytea NOT NULL, "batch_id" bigint NOT NULL, "leaf_index" integer NOT NULL, "proof" text array NOT NULL, CONSTRAINT "PK_d2235572b2d88f3bbc8a75e0e34" PRIMARY KEY ("event_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_event_anchors_batch" ON "event_anchors" ("batch_id") `);
    await queryRunner.query(
      `CREATE TABLE "forecasts" ("id" BIGSERIAL NOT NULL, "series_id" text NOT NULL, "gtin" character(14) NOT NULL, "region" text, "pharmacy" text, "period_start" date NOT NULL, "horizon" integer NOT NULL, "p50" double precision NOT NULL, "p10" double precision NOT NULL, "p90" double precision NOT NULL, "p2_5" double precision NOT NULL, "p97_5" double precision NOT NULL, "method" text NOT NULL, "model_version" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_caa4d5aec48032eb9d2ce8535f8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_forecasts_series" ON "forecasts" ("series_id", "model_version", "period_start") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ml_models" ("id" BIGSERIAL NOT NULL, "name" text NOT NULL, "version" text NOT NULL, "metadata" jsonb NOT NULL, "topology" jsonb NOT NULL, "weight_specs" jsonb NOT NULL, "weight_data" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7844bc6f33c90e0e1451bbdc0a2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_ml_models_name_version" ON "ml_models" ("name", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "organisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "role" text NOT NULL, "company_prefixes" text array NOT NULL DEFAULT '{}', "glns" text array NOT NULL DEFAULT '{}', "region" text, "latitude" double precision, "longitude" double precision, "chain_account_index" integer NOT NULL, "chain_address" text, "chain_status" text NOT NULL DEFAULT 'pending', "chain_tx_hash" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_4a3dcb66f1630f551b81bca1b34" UNIQUE ("name"), CONSTRAINT "UQ_0987cbe3cc90ce33bcf721f0ce1" UNIQUE ("chain_account_index"), CONSTRAINT "UQ_71869845d9326c1c25355506755" UNIQUE ("chain_address"), CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_outbox" ("id" BIGSERIAL NOT NULL, "kind" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, "processed_by" text, CONSTRAINT "PK_d3e8d91ae06b9e921f031eff3ab" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_ledger_outbox_pending" ON "ledger_outbox" ("kind", "id") WHERE processed_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "packs" ("epc" text NOT NULL, "kind" text NOT NULL, "gtin" character(14), "serial" text, "lot" text, "expiry" date, "status" text NOT NULL, "custodian" text, "location" text, "shipped_to" text, "consignment_key" text, "parent_epc" text, "commission_event_hash" bytea, "last_event_hash" bytea NOT NULL, "last_event_time" TIMESTAMP WITH TIME ZONE NOT NULL, "owner_org_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5a5405f5a8b7d65d6bd6f8c2baa" PRIMARY KEY ("epc"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_packs_parent" ON "packs" ("parent_epc") `);
    await queryRunner.query(`CREATE INDEX "idx_packs_gtin_lot" ON "packs" ("gtin", "lot") `);
    await queryRunner.query(`CREATE INDEX "idx_packs_gtin_serial" ON "packs" ("gtin", "serial") `);
    await queryRunner.query(
      `CREATE TABLE "parked_documents" ("id" BIGSERIAL NOT NULL, "payload" bytea NOT NULL, "headers" jsonb NOT NULL, "source" text NOT NULL, "message_key" text, "event_indexes" integer array, "waiting_for" text array NOT NULL, "reason" jsonb NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "parked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d5062930c5283c61d16739da9aa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_parked_documents_expiry" ON "parked_documents" ("parked_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "service_state" ("key" text NOT NULL, "state" bytea NOT NULL, "offsets" jsonb NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b3942b0d79e6c6bdf3abf4d5ddd" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "service_state"`);
    await queryRunner.query(`DROP INDEX "public"."idx_parked_documents_expiry"`);
    await queryRunner.query(`DROP TABLE "parked_documents"`);
    await queryRunner.query(`DROP INDEX "public"."idx_packs_gtin_serial"`);
    await queryRunner.query(`DROP INDEX "public"."idx_packs_gtin_lot"`);
    await queryRunner.query(`DROP INDEX "public"."idx_packs_parent"`);
    await queryRunner.query(`DROP TABLE "packs"`);
    await queryRunner.query(`DROP INDEX "public"."idx_ledger_outbox_pending"`);
    await queryRunner.query(`DROP TABLE "ledger_outbox"`);
    await queryRunner.query(`DROP TABLE "organisations"`);
    await queryRunner.query(`DROP INDEX "public"."idx_ml_models_name_version"`);
    await queryRunner.query(`DROP TABLE "ml_models"`);
    await queryRunner.query(`DROP INDEX "public"."idx_forecasts_series"`);
    await queryRunner.query(`DROP TABLE "forecasts"`);
    await queryRunner.query(`DROP INDEX "public"."idx_event_anchors_batch"`);
    await queryRunner.query(`DROP TABLE "event_anchors"`);
    await queryRunner.query(`DROP INDEX "public"."idx_epcis_events_event_time"`);
    await queryRunner.query(`DROP INDEX "public"."idx_epcis_events_record_time"`);
    await queryRunner.query(`DROP INDEX "public"."idx_epcis_events_biz_step"`);
    await queryRunner.query(`DROP INDEX "public"."idx_epcis_events_biz_location"`);
    await queryRunner.query(`DROP INDEX "public"."idx_epcis_events_event_id"`);
    await queryRunner.query(`DROP TABLE "epcis_events"`);
    await queryRunner.query(`DROP INDEX "public"."idx_custody_transfers_consignment"`);
    await queryRunner.query(`DROP INDEX "public"."idx_custody_transfers_ship_event"`);
    await queryRunner.query(`DROP INDEX "public"."idx_custody_transfers_receive_event"`);
    await queryRunner.query(`DROP INDEX "public"."idx_custody_transfers_open"`);
    await queryRunner.query(`DROP TABLE "custody_transfers"`);
    await queryRunner.query(`DROP INDEX "public"."idx_containments_child"`);
    await queryRunner.query(`DROP INDEX "public"."idx_containments_parent_open"`);
    await queryRunner.query(`DROP TABLE "containments"`);
    await queryRunner.query(`DROP TABLE "chain_state"`);
    await queryRunner.query(`DROP INDEX "public"."idx_capture_jobs_replay"`);
    await queryRunner.query(`DROP TABLE "capture_jobs"`);
    await queryRunner.query(`DROP INDEX "public"."idx_api_keys_org"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP INDEX "public"."idx_anchor_batches_status"`);
    await queryRunner.query(`DROP TABLE "anchor_batches"`);
    await queryRunner.query(`DROP INDEX "public"."idx_alerts_status"`);
    await queryRunner.query(`DROP TABLE "alerts"`);
  }
}
