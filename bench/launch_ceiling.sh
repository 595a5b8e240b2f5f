#!/usr/bin/env bash
# The database's own ceiling for launches on this machine: pgbench runs one launch's writes (run,
# HOLD transaction, two entries, two balance updates; bench/pgbench/launch_tx.sql) from 32 clients
# against PostgreSQL at 127.0.0.1:5432, with no Parasol in the way: first on the org's single
# funds row (as launches of one org are today), then with the funds striped over 32 rows.
# Usage: bench/launch_ceiling.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_MEASURED="${1:-30}"
DB=parasol_bench_ceiling
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB with (force)" -c "create database $DB" postgres
psql -h 127.0.0.1 -U postgres -q -d $DB <<'SQL'
create table ceiling_run (id uuid primary key, org text not null, inputs text not null, state text not null,
                          created_at timestamptz not null);
create table ceiling_txn (id bigserial primary key, kind text not null, cause_type text not null, at timestamptz not null);
create table ceiling_entry (id bigserial primary key, txn bigint not null references ceiling_txn, account text not null,
                            amount numeric(19,6) not null);
create index on ceiling_entry (account);
create table ceiling_balance (account text not null, stripe int not null, balance numeric(19,6) not null,
                              primary key (account, stripe));
insert into ceiling_balance select a, s, case when a like '%funds' then 1e9 else 0 end
  from unnest(array['org:acme:funds', 'org:acme:held']) a, generate_series(1, 32) s;
SQL
for stripes in 1 32; do
  echo "funds over $stripes row(s), 32 clients, ${SECONDS_MEASURED}s:"
  pgbench -h 127.0.0.1 -U postgres -n -c 32 -j 2 -T "$SECONDS_MEASURED" -D stripes=$stripes -r \
    -f pgbench/launch_tx.sql $DB 2>&1 | grep -E '^(tps|latency average|latency stddev)' | sed 's/^/  /'
done
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB with (force)" postgres
