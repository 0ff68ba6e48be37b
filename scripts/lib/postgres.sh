# Throwaway PostgreSQL cluster for the test run. Source this file, then:
#   pg_start   initialise and start a cluster on a free loopback port, create the
#              database pollen_test and export POLLEN_TEST_POSTGRES_URL
#   pg_stop    stop the cluster and delete its directory (safe to call twice)
# Nothing is left behind: data, socket and log all live in one mktemp directory.

PG_TMP_DIR=""
PG_BIN_DIR=""
PG_PORT=""

# Newest installed PostgreSQL server binaries (Debian: /usr/lib/postgresql/<major>/bin),
# else whatever pg_ctl is on PATH.
pg_find_bin_dir() {
    local dir major found="" found_major=0
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/pg_ctl" ]] || continue
        major="${dir#/usr/lib/postgresql/}"
        major="${major%%/*}"
        major="${major%%.*}"
        [[ "$major" =~ ^[0-9]+$ ]] || continue
        if (( major > found_major )); then
            found="$dir"
            found_major="$major"
        fi
    done
    if [[ -z "$found" ]] && command -v pg_ctl >/dev/null 2>&1; then
        found="$(dirname "$(command -v pg_ctl)")"
    fi
    [[ -n "$found" ]] || return 1
    echo "$found"
}

# initdb and pg_ctl refuse to run as root: run them as the postgres user then.
pg_as_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$PG_TMP_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$PG_TMP_DIR" && "$@")
    fi
}

pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
    PG_BIN_DIR="$(pg_find_bin_dir)" || { echo "pg_start: no PostgreSQL server binaries found" >&2; return 1; }
    PG_TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pollen-pg.XXXXXX")"
    chmod 700 "$PG_TMP_DIR"
    if [[ $EUID -eq 0 ]]; then
        chown postgres:postgres "$PG_TMP_DIR"
    fi

    pg_as_owner "$PG_BIN_DIR/initdb" -D "$PG_TMP_DIR/data" -A trust -U postgres \
        --encoding=UTF8 --no-locale >"$PG_TMP_DIR/initdb.log" 2>&1 || {
        echo "pg_start: initdb failed:" >&2; cat "$PG_TMP_DIR/initdb.log" >&2; return 1
    }

    # The free port is picked before the server binds it; retry if someone else takes it meanwhile.
    local attempt
    for attempt in 1 2 3; do
        PG_PORT="$(pg_free_port)"
        if pg_as_owner "$PG_BIN_DIR/pg_ctl" -D "$PG_TMP_DIR/data" -l "$PG_TMP_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_TMP_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            break
        fi
        if [[ $attempt -eq 3 ]]; then
            echo "pg_start: the server did not start:" >&2
            cat "$PG_TMP_DIR/server.log" >&2 2>/dev/null || true
            return 1
        fi
    done

    "$PG_BIN_DIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres pollen_test || {
        echo "pg_start: createdb failed" >&2; return 1
    }
    export POLLEN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/pollen_test?sslmode=disable"
}

pg_stop() {
    if [[ -n "$PG_TMP_DIR" && -d "$PG_TMP_DIR" ]]; then
        if [[ -f "$PG_TMP_DIR/data/postmaster.pid" ]]; then
            pg_as_owner "$PG_BIN_DIR/pg_ctl" -D "$PG_TMP_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
                pg_as_owner "$PG_BIN_DIR/pg_ctl" -D "$PG_TMP_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        fi
        rm -rf "$PG_TMP_DIR"
    fi
    PG_TMP_DIR=""
    unset POLLEN_TEST_POSTGRES_URL
}
