#!/bin/sh
# Liveness: the server process answers, even if it is still starting or recovering
# (pg_isready exit 1, "rejecting connections"). Only no answer (2) or a bad invocation (3)
# fails, so crash recovery is not mistaken for a hung server.
pg_isready -q -h 127.0.0.1 -p "${PGPORT:-5432}"
[ "$?" -le 1 ]
