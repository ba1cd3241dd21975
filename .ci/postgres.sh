# Sourced by .ci/run: install PostgreSQL from the Debian packages, start its cluster, create the
# role and database devmetrics/devmetrics, and export DEVMETRICS_PG_* for the tests
# (tests/dbt/test_postgres_parity.py). Idempotent: on a machine that already has it, it only
# checks that the server runs (about a second). Needs root or passwordless sudo.

devmetrics_postgres() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEVMETRICS_PG_HOST="${DEVMETRICS_PG_HOST:-127.0.0.1}"
    export DEVMETRICS_PG_PORT="${DEVMETRICS_PG_PORT:-5432}"
    export DEVMETRICS_PG_USER="${DEVMETRICS_PG_USER:-devmetrics}"
    export DEVMETRICS_PG_PASSWORD="${DEVMETRICS_PG_PASSWORD:-devmetrics}"
    export DEVMETRICS_PG_DATABASE="${DEVMETRICS_PG_DATABASE:-devmetrics}"
    local started=$SECONDS
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        echo "postgres: installing from the Debian packages" >&2
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            postgresql >/dev/null
    fi
    local version
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
        $sudo pg_createcluster "$version" main >/dev/null
    fi
    if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
        $sudo pg_ctlcluster "$version" main start
    fi
    local port
    port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"
    export DEVMETRICS_PG_PORT="$port"
    for _ in $(seq 1 30); do
        pg_isready -q -h "$DEVMETRICS_PG_HOST" -p "$port" && break
        sleep 1
    done
    # psql variables keep the names and password quoted correctly; CREATEDB lets the parity test
    # create (and drop) its own scratch database.
    local as_postgres=(runuser -u postgres --)
    [ -z "$sudo" ] || as_postgres=(sudo -u postgres)
    (cd / && "${as_postgres[@]}" psql -q -p "$port" -v ON_ERROR_STOP=1 \
        -v user="$DEVMETRICS_PG_USER" -v password="$DEVMETRICS_PG_PASSWORD" \
        -v db="$DEVMETRICS_PG_DATABASE" >/dev/null <<'SQL'
select format('create role %I login createdb password %L', :'user', :'password')
where not exists (select from pg_roles where rolname = :'user') \gexec
select format('alter role %I login createdb password %L', :'user', :'password') \gexec
select format('create database %I owner %I', :'db', :'user')
where not exists (select from pg_database where datname = :'db') \gexec
SQL
    )
    echo "postgres: PostgreSQL $version on $DEVMETRICS_PG_HOST:$port ready in $((SECONDS - started)) s" >&2
}
