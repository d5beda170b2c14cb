#!/usr/bin/env bash
# One line per piece of infrastructure; exit code 0 only when all run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rc=0
"$PEDIGREE_ROOT/infra/postgres/postgres.sh" status || rc=1
"$PEDIGREE_ROOT/infra/kafka/kafka.sh" status || rc=1
"$PEDIGREE_ROOT/infra/chain/chain.sh" status || rc=1
exit $rc
