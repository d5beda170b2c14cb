#!/usr/bin/env bash
# Stops Kafka and the Hardhat node. PostgreSQL belongs to the machine and keeps running unless --all is given.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$PEDIGREE_ROOT/infra/chain/chain.sh" stop
"$PEDIGREE_ROOT/infra/kafka/kafka.sh" stop
if [ "${1:-}" = "--all" ]; then "$PEDIGREE_ROOT/infra/postgres/postgres.sh" stop; fi
