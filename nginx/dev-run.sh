#!/bin/sh
# nginx/dev-run.sh: what `make run` does after building.  Prepares var/
# (config, secret, database, demo content), then runs `gazette serve` and
# a private nginx in the foreground on 127.0.0.1:$PORT, and `gazette worker`
# for background jobs.  Ctrl-C or SIGTERM stops all three.  The system's nginx is not touched.
set -eu

: "${PORT:=8080}"
: "${GAZETTE_BIN:?GAZETTE_BIN must name the gazette binary}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=$ROOT/var
CONF=$VAR/gazette.ini
cd "$ROOT"

case $PORT in
    ''|*[!0-9]*) echo "make run: PORT must be a number, not '$PORT'" >&2; exit 2 ;;
esac

mkdir -p "$VAR/log" "$VAR/nginx-tmp/client_body" "$VAR/nginx-tmp/fastcgi" \
    "$VAR/nginx-tmp/proxy" "$VAR/nginx-tmp/uwsgi" "$VAR/nginx-tmp/scgi" \
    "$VAR/media"

if [ ! -f "$VAR/secret" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 > "$VAR/secret")
fi
if [ ! -f "$CONF" ]; then
    cat > "$CONF" <<INI
; Written by 'make run' for development.  See dist/gazette.ini.example.
[server]
socket = $VAR/gazette.sock
socket_mode = 0600
workers = 2
[paths]
templates = $ROOT/templates
static = $ROOT/static
sql = $ROOT/sql
media = $VAR/media
[database]
database = $VAR/gazette.db
[site]
site_url = http://127.0.0.1:$PORT
secret_file = $VAR/secret
[accounts]
outbox = $VAR/outbox
INI
    echo "make run: wrote $CONF"
fi

fresh=no
[ -f "$VAR/gazette.db" ] || fresh=yes
"$GAZETTE_BIN" --config "$CONF" migrate
admin_password=
if [ $fresh = yes ]; then
    "$GAZETTE_BIN" --config "$CONF" seed --articles 1000
    # A random password; about 1 in 500 of them cracklib calls too
    # systematic (a run like "bc" or "98" too many), and then another.
    try=1
    while :; do
        admin_password=$(head -c 15 /dev/urandom | base64 | tr '+/' '-_')
        printf '%s\n' "$admin_password" | "$GAZETTE_BIN" --config "$CONF" \
            createsuperuser --username admin --email admin@example.com \
            --password-stdin 2>"$VAR/createsuperuser.err" && break
        if [ $try -ge 5 ] ||
            ! grep -q "too common" "$VAR/createsuperuser.err"; then
            cat "$VAR/createsuperuser.err" >&2
            exit 1
        fi
        try=$((try + 1))
    done
    rm -f "$VAR/createsuperuser.err"
fi

user_directive=
[ "$(id -u)" = 0 ] && user_directive='user root;'
sed -e "s|@PORT@|$PORT|g" -e "s|@VAR@|$VAR|g" \
    -e "s|@SOCKET@|$VAR/gazette.sock|g" -e "s|@STATIC@|$ROOT/static|g" \
    -e "s|@MAX_BODY@|2m|g" -e "s|@BENCH_INCLUDE@||g" \
    -e "s|@USER_DIRECTIVE@|$user_directive|g" \
    nginx/dev.conf.in > "$VAR/nginx.conf"

gz_pid=
ngx_pid=
wk_pid=
stop() {
    trap - INT TERM EXIT
    [ -n "$ngx_pid" ] && kill -QUIT "$ngx_pid" 2>/dev/null
    [ -n "$gz_pid" ] && kill -TERM "$gz_pid" 2>/dev/null
    [ -n "$wk_pid" ] && kill -TERM "$wk_pid" 2>/dev/null
    wait 2>/dev/null || true
    echo "make run: stopped"
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

"$GAZETTE_BIN" --config "$CONF" serve &
gz_pid=$!
nginx -p "$VAR" -e "$VAR/log/nginx-error.log" -c "$VAR/nginx.conf" &
ngx_pid=$!
"$GAZETTE_BIN" --config "$CONF" worker &
wk_pid=$!

# Wait until the site answers, or one of the two has died.
i=0
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; do
    i=$((i + 1))
    if ! kill -0 "$gz_pid" 2>/dev/null || ! kill -0 "$ngx_pid" 2>/dev/null \
        || [ $i -gt 100 ]; then
        echo "make run: the site did not come up; see above and" \
            "$VAR/log/nginx-error.log (is port $PORT free? try PORT=8081)" >&2
        exit 1
    fi
    sleep 0.1
done
echo
echo "  Gazette is running at http://127.0.0.1:$PORT/"
if [ -n "$admin_password" ]; then
    echo "  Log in at http://127.0.0.1:$PORT/accounts/login/ as admin with"
    echo "  the password $admin_password (shown this once; change it with"
    echo "  build/gazette --config var/gazette.ini changepassword admin)"
fi
echo "  Mail (password resets) is written to var/outbox/"
echo "  Background jobs run in 'gazette worker' beside it (/admin/jobs/)"
echo "  (Ctrl-C stops it; nginx's access log is var/log/access.log)"
echo
wait "$gz_pid" "$ngx_pid" "$wk_pid" || true
