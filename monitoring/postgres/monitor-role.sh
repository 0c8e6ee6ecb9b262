#!/bin/sh
# The read-only role postgres-exporter logs in as: `monitor`, member of pg_monitor
# (Postgres's own role for reading statistics and settings: no table's rows, no writes),
# with the password in the database container's secret file. Mounted into
# /docker-entrypoint-initdb.d/, which the official image runs once, when it creates the
# data volume. For a volume created before, run it once by hand (it only creates what is
# missing, and sets the password again):
#   docker compose exec users-db sh /docker-entrypoint-initdb.d/20-monitor-role.sh
set -eu

# Read by psql itself (\set with backquotes), so the password is in no command line.
# Named after the database, as the secrets job names it: /run/secrets/users_db_monitor_password…
export MONITOR_PASSWORD_FILE="${MONITOR_PASSWORD_FILE:-/run/secrets/${POSTGRES_DB}_db_monitor_password}"
[ -s "$MONITOR_PASSWORD_FILE" ] || { echo "$0: no password in $MONITOR_PASSWORD_FILE" >&2; exit 1; }

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
\set password `cat "$MONITOR_PASSWORD_FILE"`
SELECT 'CREATE ROLE monitor' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'monitor')
\gexec
ALTER ROLE monitor WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
GRANT pg_monitor TO monitor;
SQL
echo "$0: role monitor ready"
