#!/bin/sh
# Readiness. Every server must accept connections on TCP (pg_isready). A replica (a server in
# recovery) is ready only while its WAL receiver streams from the primary and it is no more than
# MAX_REPLICA_LAG_SECONDS behind: the read Service then stops sending reads to a replica that
# serves stale data. The primary's readiness is pg_isready alone, and liveness (liveness.sh)
# does not look at replication: restarting a replica would not bring its primary back.
#
# Lag: zero when the replica has replayed everything it received and everything the primary
# last reported (pg_stat_wal_receiver.latest_end_lsn); otherwise the age of the last replayed
# transaction. After a long idle period on the primary the first burst of writes may read as
# lag until it is replayed (a few seconds at most on a healthy replica).
: "${PGPORT:=5432}"
: "${MAX_REPLICA_LAG_SECONDS:=30}"
# The SQL check runs over the local socket (trusted in the image's pg_hba.conf).
: "${PGHOST:=/var/run/postgresql}"

pg_isready -q -h 127.0.0.1 -p "$PGPORT" || exit 1
# Ordinal 0 is the primary: accepting connections is all it takes.
case "${POD_NAME:-}" in
  *-0) exit 0 ;;
esac

state="$(psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "${POSTGRES_USER:-postgres}" -d postgres -c "
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 'primary'
  WHEN r.status IS DISTINCT FROM 'streaming' THEN 'receiver ' || COALESCE(r.status, 'not running')
  WHEN pg_last_wal_replay_lsn() >= GREATEST(pg_last_wal_receive_lsn(), r.latest_end_lsn) THEN 'lag 0'
  ELSE 'lag ' || COALESCE(floor(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()))::bigint::text, 'unknown')
END
FROM (SELECT 1) AS one LEFT JOIN pg_stat_wal_receiver AS r ON true")" || exit 1

case "$state" in
  primary) exit 0 ;;
  'lag unknown')
    echo "not ready: replica behind the primary and nothing replayed yet"
    exit 1 ;;
  lag\ *)
    lag="${state#lag }"
    if [ "$lag" -gt "$MAX_REPLICA_LAG_SECONDS" ]; then
      echo "not ready: replica ${lag}s behind the primary (at most ${MAX_REPLICA_LAG_SECONDS}s)"
      exit 1
    fi
    exit 0 ;;
  *)
    echo "not ready: WAL $state, the replica does not stream from the primary"
    exit 1 ;;
esac
