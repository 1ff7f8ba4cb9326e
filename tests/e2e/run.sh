#!/bin/sh
# tests/e2e/run.sh: browser end-to-end tests.  Starts a private Gazette
# (gazette serve + nginx on a free 127.0.0.1 port, database and config in a
# temp dir, 30 seeded articles, staff accounts: a superuser, a moderator
# and an editor), then runs
# `node --test tests/e2e/*.test.mjs` against it with playwright-core driving the
# system's chromium (/usr/bin/chromium; playwright never downloads a
# browser) and axe-core for accessibility.  Everything it started is
# stopped and the temp dir removed on exit; the exit status is the tests'.
#
#   GAZETTE_ROOT  the repo root (default: two levels above this script)
#   GAZETTE_BIN   the binary (default build/san/gazette, relative to the
#                 repo root)
#   CHROMIUM      the browser (default /usr/bin/chromium)
# Arguments, if any, are the test files to run instead of all of them.
# Screenshots of failed tests go to tests/e2e/artifacts/.
set -eu

ROOT=${GAZETTE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
: "${GAZETTE_BIN:=build/san/gazette}"
case $GAZETTE_BIN in /*) ;; *) GAZETTE_BIN=$ROOT/$GAZETTE_BIN ;; esac
: "${CHROMIUM:=/usr/bin/chromium}"
export CHROMIUM

say() { echo "e2e: $*" >&2; }

[ -x "$GAZETTE_BIN" ] || { say "no gazette binary at $GAZETTE_BIN" \
    "(make SANITIZE=1 build/san/gazette)"; exit 2; }
[ -x "$CHROMIUM" ] || { say "no chromium at $CHROMIUM" \
    "(apt-get install chromium)"; exit 2; }
for tool in node npm nginx curl sqlite3; do
    command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing"; exit 2; }
done

DIR=$(mktemp -d /tmp/gazette-e2e-XXXXXX)
gz_pid=
ngx_pid=
cleanup() {
    st=$?
    trap - INT TERM EXIT
    if [ -n "$ngx_pid" ]; then
        kill -QUIT "$ngx_pid" 2>/dev/null || true
        wait "$ngx_pid" 2>/dev/null || true
    fi
    if [ -n "$gz_pid" ]; then
        kill -TERM "$gz_pid" 2>/dev/null || true
        wait "$gz_pid" 2>/dev/null || true
    fi
    if [ "$st" -ne 0 ] && [ -d "$DIR" ]; then
        for f in "$DIR/gazette.log" "$DIR/log/nginx-error.log"; do
            [ -s "$f" ] || continue
            say "last lines of $f:"
            tail -n 20 "$f" >&2
        done
    fi
    rm -rf "$DIR"
    exit "$st"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$DIR/log" "$DIR/nginx-tmp/client_body" "$DIR/nginx-tmp/fastcgi" \
    "$DIR/nginx-tmp/proxy" "$DIR/nginx-tmp/uwsgi" "$DIR/nginx-tmp/scgi"
(umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' > "$DIR/secret")

# A port nobody answers on, in 18200-18299 from a point of this process's
# own, so that two runs at once rarely try the same one.  (nginx may still
# lose a race for it; then it fails to start and we say so.)
PORT=$((18200 + $$ % 100))
tries=0
while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/" 2>/dev/null
do
    PORT=$((18200 + (PORT - 18200 + 1) % 100))
    tries=$((tries + 1))
    [ $tries -lt 100 ] || { say "no free port in 18200-18299"; exit 1; }
done
BASE_URL=http://127.0.0.1:$PORT
export BASE_URL

CONF=$DIR/gazette.ini
cat > "$CONF" <<INI
; written by tests/e2e/run.sh
[server]
socket = $DIR/gazette.sock
socket_mode = 0600
workers = 2
[paths]
templates = $ROOT/templates
static = $ROOT/static
sql = $ROOT/sql
[database]
database = $DIR/gazette.db
[site]
site_url = $BASE_URL
secret_file = $DIR/secret
[accounts]
password_ops = 1
password_mem = 8192
outbox = $DIR/outbox
signup = on
INI

"$GAZETTE_BIN" --config "$CONF" migrate >"$DIR/setup.log" 2>&1 ||
    { cat "$DIR/setup.log" >&2; say "gazette migrate failed"; exit 1; }
"$GAZETTE_BIN" --config "$CONF" seed --articles 30 >>"$DIR/setup.log" 2>&1 ||
    { cat "$DIR/setup.log" >&2; say "gazette seed failed"; exit 1; }
# Staff accounts for the admin tests, with random passwords (as make run
# does) passed to the tests in the environment: a superuser, and plain
# staff in the seeded groups Moderators and Editors (made as superusers,
# then demoted in the database: the binary makes only superusers).
#   E2E_ADMIN_USER/_PASSWORD, E2E_MODERATOR_USER/_PASSWORD,
#   E2E_EDITOR_USER/_PASSWORD
staff_user() { # username [group]
    # About 1 random password in 500 cracklib calls too systematic: then
    # another.
    try=1
    while :; do
        pw=$(head -c 15 /dev/urandom | base64 | tr '+/' '-_')
        printf '%s\n' "$pw" | "$GAZETTE_BIN" --config "$CONF" \
            createsuperuser --username "$1" --email "$1@example.com" \
            --password-stdin >"$DIR/createsuperuser.log" 2>&1 && break
        cat "$DIR/createsuperuser.log" >>"$DIR/setup.log"
        if [ $try -ge 5 ] ||
            ! grep -q "too common" "$DIR/createsuperuser.log"; then
            cat "$DIR/setup.log" >&2; say "gazette createsuperuser failed"
            exit 1
        fi
        try=$((try + 1))
    done
    cat "$DIR/createsuperuser.log" >>"$DIR/setup.log"
    if [ -n "${2:-}" ]; then
        sqlite3 "$DIR/gazette.db" "UPDATE users SET is_superuser = 0,
            is_staff = 1 WHERE username = '$1';
            INSERT INTO user_groups SELECT u.id, g.id FROM users u, groups g
            WHERE u.username = '$1' AND g.name = '$2';" ||
            { say "could not make $1 a member of $2"; exit 1; }
    fi
    echo "$pw"
}
E2E_ADMIN_USER=admin
E2E_ADMIN_PASSWORD=$(staff_user admin)
E2E_MODERATOR_USER=moderator
E2E_MODERATOR_PASSWORD=$(staff_user moderator Moderators)
E2E_EDITOR_USER=editor
E2E_EDITOR_PASSWORD=$(staff_user editor Editors)
export E2E_ADMIN_USER E2E_ADMIN_PASSWORD E2E_MODERATOR_USER \
    E2E_MODERATOR_PASSWORD E2E_EDITOR_USER E2E_EDITOR_PASSWORD
# API tokens of the superuser for the API tests (api_*.test.mjs), as
# `gazette createtoken` prints them: E2E_API_TOKEN (read,write) and
# E2E_API_READ_TOKEN (read).
api_token() { # scopes
    "$GAZETTE_BIN" --config "$CONF" createtoken --scopes "$1" \
        --name "e2e $1" "$E2E_ADMIN_USER" 2>>"$DIR/setup.log" ||
        { cat "$DIR/setup.log" >&2; say "gazette createtoken failed"
          exit 1; }
}
E2E_API_TOKEN=$(api_token read,write)
E2E_API_READ_TOKEN=$(api_token read)
export E2E_API_TOKEN E2E_API_READ_TOKEN

user_directive=
[ "$(id -u)" = 0 ] && user_directive='user root;'
sed -e "s|@PORT@|$PORT|g" -e "s|@VAR@|$DIR|g" \
    -e "s|@SOCKET@|$DIR/gazette.sock|g" -e "s|@STATIC@|$ROOT/static|g" \
    -e "s|@MAX_BODY@|2m|g" -e "s|@BENCH_INCLUDE@||g" \
    -e "s|@USER_DIRECTIVE@|$user_directive|g" \
    nginx/dev.conf.in > "$DIR/nginx.conf"

"$GAZETTE_BIN" --config "$CONF" serve >>"$DIR/gazette.log" 2>&1 &
gz_pid=$!
nginx -p "$DIR" -e "$DIR/log/nginx-error.log" -c "$DIR/nginx.conf" \
    >>"$DIR/log/nginx-stdout.log" 2>&1 &
ngx_pid=$!

# Up when our nginx has bound the port (it writes its pid file only
# then: another site that took the port first must not answer for ours)
# and gazette answers through it.
i=0
until [ -s "$DIR/nginx.pid" ] &&
    curl -fsS -o /dev/null --max-time 2 "$BASE_URL/healthz" 2>/dev/null; do
    i=$((i + 1))
    if ! kill -0 "$gz_pid" 2>/dev/null || ! kill -0 "$ngx_pid" 2>/dev/null \
        || [ $i -gt 150 ]; then
        say "the site did not come up on $BASE_URL"
        exit 1
    fi
    sleep 0.1
done
say "site up at $BASE_URL (gazette pid $gz_pid, nginx pid $ngx_pid)"

if [ ! -d tests/e2e/node_modules/playwright-core ] ||
    [ ! -d tests/e2e/node_modules/axe-core ] ||
    [ ! -d tests/e2e/node_modules/@apidevtools/swagger-parser ] ||
    [ ! -d tests/e2e/node_modules/ajv-formats ]; then
    say "npm ci in tests/e2e"
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
        npm ci --no-audit --no-fund) || { say "npm ci failed"; exit 1; }
fi

set +e
if [ $# -gt 0 ]; then  # some files only: sh tests/e2e/run.sh FILE...
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node --test "$@"
else
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node --test tests/e2e/*.test.mjs
fi
status=$?
set -e
exit $status
