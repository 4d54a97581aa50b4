# A throwaway PostgreSQL cluster for the audit-trail tests (sourced by scripts/test).
#
# initdb (from /usr/lib/postgresql/*/bin) in a temporary directory owned by the `postgres`
# user, trust authentication, listening on a free loopback port with its socket in that
# directory; exports INTERDICT_TEST_PG_URL and registers its stop and removal with on_exit.
# An INTERDICT_TEST_PG_URL already set is used as it is.

_interdict_pg_start() {
    local bin dir port p
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1) || true
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "scripts/test.d/postgres.sh: no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)" >&2
        return 0
    fi
    local as=()
    if [ "$(id -u)" = 0 ]; then
        as=(runuser -u postgres --)
    fi
    dir=$(mktemp -d /tmp/interdict-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    port=""
    for p in $(shuf -i 20000-60000 -n 50); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            port=$p
            break
        fi
    done
    if [ -z "$port" ]; then
        echo "scripts/test.d/postgres.sh: no free loopback port" >&2
        return 0
    fi
    if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1; then
        echo "scripts/test.d/postgres.sh: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        return 0
    fi
    if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null; then
        echo "scripts/test.d/postgres.sh: the server did not start:" >&2
        cat "$dir/server.log" >&2
        return 0
    fi
    on_exit "${as[*]} $bin/pg_ctl -D $dir/data -m immediate stop >/dev/null 2>&1; rm -rf $dir"
    export INTERDICT_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

if [ -z "${INTERDICT_TEST_PG_URL:-}" ]; then
    _interdict_pg_start
fi
