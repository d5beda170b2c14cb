#!/usr/bin/env bash
# Starts the local infrastructure that is not running (PostgreSQL, Kafka, Hardhat node), then migrates the database
# and deploys the contracts (needs `npm run build` first). Idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$PEDIGREE_ROOT/infra/postgres/postgres.sh" setup
"$PEDIGREE_ROOT/infra/kafka/kafka.sh" start
"$PEDIGREE_ROOT/infra/chain/chain.sh" start
if [ -f "$PEDIGREE_ROOT/dist/libs/database/src/migrate.main.js" ]; then
  (cd "$PEDIGREE_ROOT" && LEDGER_MNEMONIC="${LEDGER_MNEMONIC:-test test test test test test test test test test test junk}" \
    node dist/libs/database/src/migrate.main.js && LEDGER_MNEMONIC="${LEDGER_MNEMONIC:-test test test test test test test test test test test junk}" \
    node dist/infra/scripts/deploy-contracts.js)
else
  log "not built yet: run npm run build, then this again to migrate and deploy"
fi
