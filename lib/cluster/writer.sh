#!/bin/bash
# The writer of chapters 10 and 12, by hand: one INSERT every 100 ms into the table named by
# the first argument, each on a new connection (PGHOST, PGPORT, PGUSER, PGPASSWORD from the
# environment), as an application that reconnects after every error would. lib/cluster/writer.ts
# is the same client for the steps.
# It prints `id|server address` for every acknowledged insert and psql's message for every
# failed one. Run it in the background (nohup … &) and stop it with kill "$(cat writer.pid)".
table=${1:?usage: bash writer.sh TABLE}
psql -qc "create table if not exists $table (id bigint primary key, at timestamptz not null default now())" || exit 1
# Ids go on after the highest one already there, so that a second run never reuses one.
i=$(psql -Atc "select coalesce(max(id), 0) from $table") || exit 1
while sleep 0.1; do
  i=$((i + 1))
  psql -Atqc "insert into $table (id) values ($i) returning id, inet_server_addr()" 2>&1
done
