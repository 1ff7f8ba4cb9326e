#!/bin/sh
# bench/run.sh: what `make bench` does after building.  Measures Gazette's
# throughput, latency and worker memory behind a private nginx, side by
# side with two baselines on the same nginx and the same bytes:
#   /__bench/static   nginx serving the home page as a file (the ceiling)
#   /__bench/fcgi     bench/min_fcgi, a minimal libfcgi responder (the
#                     FastCGI hop alone, Gazette's floor)
# then the home page (anonymous and logged in) and one article, then a
# soak of BENCH_SOAK requests to the home page to see whether workers
# grow.  Before the load, BENCH_LOGINS logins of a superuser made for the
# bench time the login POST (argon2id at the production limits).  After
# the soak: the admin's article changelist logged in as that superuser,
# then the home page and the search over BENCH_BIG_ARTICLES articles, then
# the changelist again over BENCH_ADMIN_ARTICLES (inserted with sqlite3).
# Beside the home page rendered, the API's first page of articles (JSON);
# after the soak, BENCH_JOBS noop jobs drained by one `gazette worker
# --once`, one commit a job and in batches.  See bench/README.md.
#
# Everything lives in a fresh mktemp dir, removed at the end (BENCH_KEEP=1
# keeps it).  Exit status: 0 when every step worked, whether or not the
# goals were met (timings are noisy); 1 when something broke (a server did
# not start, wrk failed, errors or non-2xx answers, a worker died).
set -eu

: "${GAZETTE_BIN:?GAZETTE_BIN must name the gazette binary}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIN_FCGI=${MIN_FCGI_BIN:-$ROOT/build/bench/min_fcgi}
DURATION=${BENCH_DURATION:-10}
WORKERS=${BENCH_WORKERS:-4}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-2}
SOAK=${BENCH_SOAK:-100000}
ARTICLES=${BENCH_ARTICLES:-1000}
BIG=${BENCH_BIG_ARTICLES:-100000}
ADMIN=${BENCH_ADMIN_ARTICLES:-1000000}
SEARCH_Q=${BENCH_SEARCH:-harbour}
FIRST_PORT=${BENCH_PORT:-18100}
LOGINS=${BENCH_LOGINS:-10}
JOBS=${BENCH_JOBS:-20000}
# The superuser the bench logs in as.  The password must pass Gazette's
# password checks (not too similar to the username, for one).
BENCH_USER=bench
BENCH_EMAIL=bench@example.com
BENCH_PASSWORD='Lantern-Harbour-Quill-2026!'
# Production's argon2id limits (config.c's defaults): the bench config
# leaves them alone and the report says so if they are not in effect.
PROD_OPS=2
PROD_MEM=67108864

# curl for our own URLs: fail on HTTP errors, never through a proxy.
get() { curl -fsS --noproxy '*' --max-time 10 "$@"; }
say() { printf 'bench: %s\n' "$*"; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

DURATION=${DURATION%s}
for knob in "BENCH_DURATION=$DURATION" "BENCH_WORKERS=$WORKERS" \
    "BENCH_CONNECTIONS=$CONNS" "BENCH_THREADS=$THREADS" \
    "BENCH_WARMUP=$WARMUP" "BENCH_SOAK=$SOAK" "BENCH_ARTICLES=$ARTICLES" \
    "BENCH_PORT=$FIRST_PORT" "BENCH_LOGINS=$LOGINS" \
    "BENCH_BIG_ARTICLES=$BIG" "BENCH_ADMIN_ARTICLES=$ADMIN" \
    "BENCH_JOBS=$JOBS"; do
    case ${knob#*=} in
        ''|*[!0-9]*) die "${knob%%=*} must be a whole number, not '${knob#*=}'" ;;
    esac
done
[ "$DURATION" -ge 1 ] || die "BENCH_DURATION must be at least 1 (seconds)"
if [ "$WORKERS" -lt 1 ] || [ "$WORKERS" -gt 256 ]; then
    die "BENCH_WORKERS must be from 1 to 256"
fi
[ "$CONNS" -ge 1 ] || die "BENCH_CONNECTIONS must be at least 1"
[ "$THREADS" -ge 1 ] || die "BENCH_THREADS must be at least 1"
[ "$LOGINS" -ge 1 ] || die "BENCH_LOGINS must be at least 1"
[ "$THREADS" -le "$CONNS" ] || THREADS=$CONNS	# wrk wants c >= t
case $SEARCH_Q in
    ''|*[!a-z]*) die "BENCH_SEARCH must be one lower-case word, not '$SEARCH_Q'" ;;
esac
for tool in wrk nginx curl awk sed cmp sqlite3; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool is missing (make deps installs it)"
done
[ -x "$GAZETTE_BIN" ] || die "no gazette binary at $GAZETTE_BIN"
[ -x "$MIN_FCGI" ] || die "no min_fcgi at $MIN_FCGI (make build/bench/min_fcgi)"

# ---- work dir and cleanup ------------------------------------------------
WORK=
gz_pid=
ngx_pid=
min_pid=
wrk_pid=

# Stop exactly what we started, show the logs if we failed, remove WORK.
cleanup() {
    rc=$?
    trap - EXIT INT TERM HUP
    for p in $wrk_pid $ngx_pid $min_pid $gz_pid; do
        kill -TERM "$p" 2>/dev/null || true
    done
    for p in $wrk_pid $ngx_pid $min_pid $gz_pid; do
        wait "$p" 2>/dev/null || true
    done
    [ -n "$WORK" ] || exit "$rc"
    if [ "$rc" -ne 0 ]; then
        for f in "$WORK/log/gazette.log" "$WORK/log/min_fcgi.log" \
            "$WORK/log/nginx-error.log"; do
            [ -s "$f" ] || continue
            echo "---- last lines of $(basename "$f") ----" >&2
            tail -n 15 "$f" >&2
        done
    fi
    if [ -n "${BENCH_KEEP:-}" ]; then
        echo "bench: work dir kept: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# Output into a closed pipe (`make bench | head`) must stop the servers
# too, not leave them running.
trap 'exit 141' PIPE

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gazette-bench.XXXXXX")
mkdir -p "$WORK/log" "$WORK/nginx-tmp/client_body" "$WORK/nginx-tmp/fastcgi" \
    "$WORK/nginx-tmp/proxy" "$WORK/nginx-tmp/uwsgi" "$WORK/nginx-tmp/scgi"
INI=$WORK/gazette.ini
GZ_SOCK=$WORK/gazette.sock
MIN_SOCK=$WORK/min_fcgi.sock
RESULTS=$WORK/results

# sed replacement text: escape the delimiter |, & and backslashes.
sed_quote() { printf '%s\n' "$1" | sed 's/[|&\\]/\\&/g'; }

# Is 127.0.0.1:$1 free?  curl's status 7 means the connection was refused.
port_free() {
    prc=0
    curl -s --noproxy '*' --max-time 2 -o /dev/null \
        "http://127.0.0.1:$1/" 2>/dev/null || prc=$?
    [ "$prc" -eq 7 ]
}

# Busy CPU time of the whole machine so far, in clock ticks: the first
# line of /proc/stat without idle and iowait.
machine_ticks() {
    awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# CPU time (user + system, in us) of this shell's finished children
# between two outputs of the `times` builtin, files $1 and $2 (second
# line: "0m1.23s 0m0.45s").  Around a wrk run, with nothing else started
# in between, that is wrk's.  (`times` must run in this shell itself, not
# in a $(...) subshell, which has children of its own.)
children_us() {
    awk 'FNR == 2 { t = 0
        for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] }
        d = FILENAME == ARGV[1] ? d - t : d + t }
        END { printf "%.0f\n", d * 1000000 }' "$1" "$2"
}

# The child pids of $1 (gazette's or min_fcgi's workers, nginx's), one a line.
children_of() {
    if [ -r "/proc/$1/task/$1/children" ]; then
        tr ' ' '\n' < "/proc/$1/task/$1/children" | sed '/^$/d'
        return 0
    fi
    for f in /proc/[0-9]*/status; do
        awk -v pp="$1" '/^PPid:/ && $2 == pp { n = split(FILENAME, a, "/");
            print a[3] }' "$f" 2>/dev/null || true
    done
}

# CPU time (user + system, in clock ticks) used so far by the children
# of $1.  Fields 14 and 15 of /proc/PID/stat, counted after the command
# name in brackets, which may hold spaces.
cpu_ticks() {
    t=0
    for p in $(children_of "$1"); do
        t=$((t + $(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null |
            awk '{ print $12 + $13 }')))
    done
    echo "$t"
}

# "PID RSS_KB PRIVATE_KB" for each worker, into $WORK/rss.$1.
snapshot_rss() {
    : > "$WORK/rss.$1"
    for p in $(children_of "$gz_pid" | sort -n); do
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
        priv=$(awk '/^Private_(Clean|Dirty):/ { s += $2 } END { print s + 0 }' \
            "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
        echo "$p ${rss:-0} ${priv:-0}" >> "$WORK/rss.$1"
    done
}

# ---- gazette: config, database, serve ------------------------------------
(umask 077; head -c 32 /dev/urandom | base64 > "$WORK/secret")
cat > "$INI" <<INI
; Written by bench/run.sh.
[server]
socket = $GZ_SOCK
socket_mode = 0600
workers = $WORKERS
[paths]
templates = $ROOT/templates
static = $ROOT/static
sql = $ROOT/sql
[database]
database = $WORK/gazette.db
[site]
site_url = http://127.0.0.1
secret_file = $WORK/secret
[api]
; The API counts every client's requests a minute (anonymous ones by
; address): wrk's must never reach the limit (the most allowed).
api_rate_limit = 1000000
[log]
; Request lines are level=info: warn drops them, so the log's write(2)
; per request is not part of the figures.  The same for the job
; worker's line per job.
log_level = warn
INI

say "work dir $WORK"
say "migrating and seeding $ARTICLES articles"
"$GAZETTE_BIN" --config "$INI" migrate > "$WORK/log/migrate.log" 2>&1 ||
    { cat "$WORK/log/migrate.log" >&2; die "gazette migrate failed"; }
"$GAZETTE_BIN" --config "$INI" seed --articles "$ARTICLES" \
    > "$WORK/log/seed.log" 2>&1 ||
    { cat "$WORK/log/seed.log" >&2; die "gazette seed failed"; }
say "creating the superuser $BENCH_USER"
printf '%s\n' "$BENCH_PASSWORD" | "$GAZETTE_BIN" --config "$INI" \
    createsuperuser --username "$BENCH_USER" --email "$BENCH_EMAIL" \
    --password-stdin > "$WORK/log/createsuperuser.log" 2>&1 ||
    { cat "$WORK/log/createsuperuser.log" >&2
      die "gazette createsuperuser failed"; }
# The argon2id limits in effect (the config file, the built-in defaults
# and any GAZETTE_* override in the environment), as `check --print`
# shows them, and those in the stored hash ($argon2id$v=19$m=KiB,t=N,p=1$),
# which are the ones a login pays.
"$GAZETTE_BIN" --config "$INI" check --print > "$WORK/check.txt" 2>&1 || true
cfg_key() {
    awk -v k="$1" '/^\[/ { sec = $0; next }
        sec == "[accounts]" && $1 == k && $2 == "=" { print $3; exit }' \
        "$WORK/check.txt"
}
pw_ops=$(cfg_key password_ops)
pw_mem=$(cfg_key password_mem)
if [ -z "$pw_ops" ] || [ -z "$pw_mem" ]; then
    cat "$WORK/check.txt" >&2
    die "no password_ops/password_mem in 'gazette check --print'"
fi
hash_params=
if command -v sqlite3 >/dev/null 2>&1; then
    # shellcheck disable=SC2016 # the $s are the hash's, not the shell's
    hash_params=$(sqlite3 "$WORK/gazette.db" \
        "SELECT password FROM users WHERE username = '$BENCH_USER'" |
        sed -n 's/^\$argon2id\$v=[0-9]*\$\([^$]*\)\$.*/\1/p')
fi

"$GAZETTE_BIN" --config "$INI" serve 2> "$WORK/log/gazette.log" &
gz_pid=$!
i=0
while [ ! -S "$GZ_SOCK" ] || [ "$(children_of "$gz_pid" | wc -l)" -lt "$WORKERS" ]
do
    kill -0 "$gz_pid" 2>/dev/null || die "gazette serve exited at once"
    i=$((i + 1))
    [ $i -le 100 ] || die "gazette serve did not start within 10 s"
    sleep 0.1
done

# ---- nginx ---------------------------------------------------------------
# The login location's limit_req (10 a minute, burst 5) would answer 429
# to the timed logins (BENCH_LOGINS GETs and POSTs in a row): the bench's
# copy goes without it.  Everything else is dev.conf as it is.
user_directive=
if [ "$(id -u)" = 0 ]; then
    user_directive='user root;'
fi
sed -e "s|@BENCH_ROOT@|$(sed_quote "$WORK")|g" \
    -e "s|@BENCH_SOCKET@|$(sed_quote "$MIN_SOCK")|g" \
    "$ROOT/nginx/bench.conf.in" > "$WORK/bench.conf"

# Try ports from FIRST_PORT up: skip the busy ones, and move on if another
# program takes ours between the probe and nginx's bind.
port=$FIRST_PORT
while :; do
    [ "$port" -lt $((FIRST_PORT + 100)) ] ||
        die "no free port from $FIRST_PORT to $((port - 1)) (set BENCH_PORT)"
    if ! port_free "$port"; then
        port=$((port + 1))
        continue
    fi
    sed -e "s|@PORT@|$port|g" -e "s|@VAR@|$(sed_quote "$WORK")|g" \
        -e "s|@SOCKET@|$(sed_quote "$GZ_SOCK")|g" \
        -e "s|@STATIC@|$(sed_quote "$ROOT/static")|g" \
        -e "s|@MAX_BODY@|2m|g" \
        -e "s|@BENCH_INCLUDE@|include $(sed_quote "$WORK/bench.conf");|g" \
        -e "s|@USER_DIRECTIVE@|$user_directive|g" \
        -e 's|limit_req zone=login[^;]*;|# (bench: no limit_req)|' \
        "$ROOT/nginx/dev.conf.in" > "$WORK/nginx.conf"
    : > "$WORK/log/nginx-error.log"
    nginx -p "$WORK" -e "$WORK/log/nginx-error.log" -c "$WORK/nginx.conf" &
    ngx_pid=$!
    i=0
    until get -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
        if ! kill -0 "$ngx_pid" 2>/dev/null; then
            wait "$ngx_pid" 2>/dev/null || true
            ngx_pid=
            break
        fi
        i=$((i + 1))
        [ $i -le 100 ] || die "nginx is up but /healthz does not answer 200"
        sleep 0.1
    done
    [ -n "$ngx_pid" ] && break
    grep -q 'Address already in use' "$WORK/log/nginx-error.log" ||
        die "nginx did not start: $(tail -n 3 "$WORK/log/nginx-error.log")"
    port=$((port + 1))
done
BASE=http://127.0.0.1:$port
say "nginx on $BASE, gazette $WORKERS workers (pid $gz_pid)"

# ---- the page, the baselines ---------------------------------------------
get -o "$WORK/page.html" "$BASE/" || die "GET / failed"
[ -s "$WORK/page.html" ] || die "GET / answered an empty page"
slug=$(sed -n 's|.*href="/articles/\([^/"]*\)/".*|\1|p' "$WORK/page.html" |
    head -n 1)
[ -n "$slug" ] || die "no /articles/SLUG/ link on the home page"
ARTICLE=/articles/$slug/
get -o "$WORK/article.html" "$BASE$ARTICLE" || die "GET $ARTICLE failed"
# The second article on the home page gets exactly 20 approved comments,
# six of them replies, for the "article with comments" run.
slug20=$(sed -n 's|.*href="/articles/\([^/"]*\)/".*|\1|p' "$WORK/page.html" |
    sed -n 2p)
[ -n "$slug20" ] || die "no second /articles/SLUG/ link on the home page"
ARTICLE20=/articles/$slug20/
sqlite3 "$WORK/gazette.db" > "$WORK/log/comments.log" 2>&1 <<SQL ||
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
BEGIN;
DELETE FROM comments WHERE article_id =
    (SELECT id FROM articles WHERE slug = '$slug20');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 14)
INSERT INTO comments (article_id, author_name, author_email, body,
    body_html, status, created_at, updated_at)
SELECT a.id, 'Reader ' || i, 'reader' || i || '@example.org',
    'A thoughtful comment, number ' || i || ', with *some* emphasis.',
    '<p>A thoughtful comment, number ' || i ||
    ', with <em>some</em> emphasis.</p>', 'approved',
    a.publish_at + i * 600, a.publish_at + i * 600
  FROM n, articles a WHERE a.slug = '$slug20';
INSERT INTO comments (article_id, parent_id, depth, author_name,
    author_email, body, body_html, status, created_at, updated_at)
SELECT c.article_id, c.id, 1, 'Replier ' || c.id,
    'replier@example.org', 'I agree with this.',
    '<p>I agree with this.</p>', 'approved', c.created_at + 60,
    c.created_at + 60
  FROM comments c JOIN articles a ON a.id = c.article_id
 WHERE a.slug = '$slug20' ORDER BY c.id LIMIT 6;
COMMIT;
SELECT count(*) FROM comments c JOIN articles a ON a.id = c.article_id
 WHERE a.slug = '$slug20' AND c.status = 'approved';
SQL
    { cat "$WORK/log/comments.log" >&2; die "adding the bench comments failed"; }
[ "$(tail -n 1 "$WORK/log/comments.log")" = 20 ] ||
    die "the bench article does not have 20 comments: $(cat "$WORK/log/comments.log")"
get -o "$WORK/article20.html" "$BASE$ARTICLE20" || die "GET $ARTICLE20 failed"
[ "$(grep -c 'id="comment-' "$WORK/article20.html")" -ge 20 ] ||
    die "$ARTICLE20 does not show its 20 comments"
SEARCH=/search/?q=$SEARCH_Q
get -o "$WORK/search.html" "$BASE$SEARCH" || die "GET $SEARCH failed"
grep -q '<mark>' "$WORK/search.html" ||
    die "GET $SEARCH found nothing to highlight (BENCH_SEARCH=$SEARCH_Q)"
# The API's first page of articles: 200, JSON, 20 items.
API=/api/v1/articles
get -o "$WORK/api.json" "$BASE$API" || die "GET $API failed"
api_items=$(jq '.items | length' "$WORK/api.json" 2>/dev/null ||
    grep -o '"slug":' "$WORK/api.json" | wc -l | tr -d ' ')
[ "$api_items" = 20 ] ||
    die "GET $API answered $api_items articles, not 20"
api_bytes=$(wc -c < "$WORK/api.json" | tr -d ' ')
article20_bytes=$(wc -c < "$WORK/article20.html" | tr -d ' ')
# The home page lists that article's comment count: fetch it again, so
# the baselines serve the bytes the home runs will get.
get -o "$WORK/page.html" "$BASE/" || die "GET / failed"
page_bytes=$(wc -c < "$WORK/page.html" | tr -d ' ')
article_bytes=$(wc -c < "$WORK/article.html" | tr -d ' ')

"$MIN_FCGI" "$MIN_SOCK" "$WORK/page.html" "$WORKERS" \
    2> "$WORK/log/min_fcgi.log" &
min_pid=$!
i=0
until [ -S "$MIN_SOCK" ] &&
    get -o "$WORK/fcgi.html" "$BASE/__bench/fcgi" 2>/dev/null; do
    kill -0 "$min_pid" 2>/dev/null || die "min_fcgi exited at once"
    i=$((i + 1))
    [ $i -le 100 ] || die "min_fcgi did not answer within 10 s"
    sleep 0.1
done
cmp -s "$WORK/page.html" "$WORK/fcgi.html" ||
    die "/__bench/fcgi does not answer the bytes of the home page"
get -o "$WORK/static.html" "$BASE/__bench/static" ||
    die "GET /__bench/static failed"
cmp -s "$WORK/page.html" "$WORK/static.html" ||
    die "/__bench/static does not answer the bytes of the home page"

# ---- logins ----------------------------------------------------------------
# login_once N: what a browser does: GET the form (which sets the
# anonymous gazette_csrf cookie), then POST username, password and the
# form's csrf_token with that cookie; it must answer 303 with a
# gazette_session cookie, whose value is left in $LOGIN_SESSION.  Appends
# "POST_SECONDS GET_SECONDS" (curl's time_total) to $WORK/login.times.
# Only the right password is ever sent: the login throttle counts
# failures only.  No Origin header, as curl sends none: a browser's would
# be http://127.0.0.1:PORT, which is not the bench config's site_url (the
# port is chosen later), and nginx's fastcgi_params pass Host without
# the port, so Gazette would refuse it (403).
login_once() {
    jar=$WORK/login.$1.jar
    lg=$(get -c "$jar" -o "$WORK/login.form.html" -w '%{time_total}' \
        "$BASE/accounts/login/") || die "login $1: GET /accounts/login/ failed"
    token=$(sed -n 's/.*name="csrf_token" value="\([A-Za-z0-9_-]*\)".*/\1/p' \
        "$WORK/login.form.html" | head -n 1)
    [ -n "$token" ] || die "login $1: no csrf_token in the login form"
    lw=$(curl -sS --noproxy '*' --max-time 30 -b "$jar" -c "$jar" \
        -D "$WORK/login.$1.headers" \
        -o "$WORK/login.$1.html" -w '%{http_code} %{time_total}' \
        --data-urlencode "username=$BENCH_USER" \
        --data-urlencode "password=$BENCH_PASSWORD" \
        --data-urlencode "csrf_token=$token" \
        "$BASE/accounts/login/") || die "login $1: POST failed"
    [ "${lw%% *}" != 429 ] ||
        die "login $1: POST /accounts/login/ answered 429 (nginx's limit_req?)"
    [ "${lw%% *}" = 303 ] ||
        die "login $1: POST /accounts/login/ answered ${lw%% *}, not 303"
    # Netscape cookie jar: name in field 6, value in field 7.
    LOGIN_SESSION=$(awk -F '\t' '$6 == "gazette_session" { v = $7 }
        END { print v }' "$jar")
    [ -n "$LOGIN_SESSION" ] ||
        die "login $1: no gazette_session cookie after the POST"
    echo "${lw#* } $lg" >> "$WORK/login.times"
}
say "$LOGINS logins as $BENCH_USER (argon2id: password_ops $pw_ops," \
    "password_mem $pw_mem)"
: > "$WORK/login.times"
i=0
while [ $i -lt "$LOGINS" ]; do
    i=$((i + 1))
    login_once $i
    # The first login's session is the one the logged-in runs use.
    [ $i -ne 1 ] || SESSION=$LOGIN_SESSION
done
# median min max, in ms, of column $1 of login.times.
login_stats() {
    awk -v c="$1" '{ print $c * 1000 }' "$WORK/login.times" | sort -n |
        awk '{ t[NR] = $1 }
        END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
              printf "%.1f ms (min %.1f, max %.1f)\n", m, t[1], t[NR] }'
}
login_post=$(login_stats 1)
login_get=$(login_stats 2)

# check_logged_in FILE: GET / with the session cookie into FILE (and
# FILE.headers): 200, Cache-Control private, and the page names the user.
# Prints what is wrong, nothing if all is well.
check_logged_in() {
    if ! get -D "$1.headers" -o "$1" -H "Cookie: gazette_session=$SESSION" \
        "$BASE/" 2>/dev/null; then
        echo "GET / with the session cookie failed"
    elif ! grep -qi '^Cache-Control:.*private' "$1.headers"; then
        echo "GET / with the session cookie: no Cache-Control: private"
    elif ! grep -q "user-nav__name\">$BENCH_USER<" "$1"; then
        echo "GET / with the session cookie: the page is not logged in"
    fi
}
bad=$(check_logged_in "$WORK/auth.html")
[ -z "$bad" ] || die "$bad"
auth_bytes=$(wc -c < "$WORK/auth.html" | tr -d ' ')
[ "$auth_bytes" -ne "$page_bytes" ] ||
    die "the logged-in home page has the anonymous one's size ($page_bytes)"

snapshot_rss fresh

# ---- load ----------------------------------------------------------------
# run_wrk NAME URL SECONDS [WRK_OPTION...]: one wrk run; appends to
# $RESULTS the line
#   NAME RPS P50_MS P99_MS REQUESTS NON2XX SOCKET_ERRORS
# (-1 for a figure wrk did not print).  Returns 1 if wrk itself failed.
run_wrk() {
    rw_name=$1
    rw_url=$2
    rw_secs=$3
    shift 3
    out=$WORK/wrk.$rw_name.txt
    # In the background so that a signal to this script is handled at
    # once (sh runs traps only after the foreground command ends).
    wrk -t"$THREADS" -c"$CONNS" -d"${rw_secs}s" --latency "$@" "$rw_url" \
        > "$out" 2>&1 &
    wrk_pid=$!
    wrc=0
    wait "$wrk_pid" || wrc=$?
    wrk_pid=
    if [ "$wrc" -ne 0 ]; then
        sed 's/^/    /' "$out" >&2
        echo "$rw_name -1 -1 -1 -1 -1 -1 -1" >> "$RESULTS"
        return 1
    fi
    awk -v name="$rw_name" '
        # wrk prints times as 517.00us, 1.23ms, 2.00s, 1.00m, 1.00h.
        function ms(v,   n, u) {
            n = v + 0
            u = v
            sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000
            if (u == "ms") return n
            if (u == "s") return n * 1000
            if (u == "m") return n * 60000
            if (u == "h") return n * 3600000
            return -1
        }
        BEGIN { rps = p50 = p99 = reqs = -1; non2xx = sockerr = 0 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        / requests in / { reqs = $1 }
        $1 == "Requests/sec:" { rps = $2 }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ {
            for (i = 3; i <= NF; i++)
                if ($i ~ /^[0-9]+,?$/)
                    sockerr += $i + 0
        }
        END {
            printf "%s %.2f %.3f %.3f %d %d %d\n", name, rps, p50, p99,
                reqs, non2xx, sockerr
        }' "$out" >> "$RESULTS"
}

# Was every answer of a home run the page it should be?  wrk only counts
# statuses, and an unknown or expired session still gets a 200 (the
# anonymous page, with a Set-Cookie clearing the cookie).  nginx's access
# log has each answer's status and body size, and the two pages differ in
# size: tally_log NAME FIRST_LINE RIGHT_BYTES WRONG_BYTES tallies the
# lines after FIRST_LINE into $WORK/tally.NAME as
#   RIGHT WRONG CUT OTHER
# answers of the right page, of the wrong one, cut short (status 499, or
# 200 with another size: wrk drops its connections at the end of a run),
# and with any other status.
tally_log() {
    sed -n "$(($2 + 1)),\$p" "$WORK/log/access.log" |
        awk -F '"' -v right="$3" -v wrong="$4" '
            { split($3, a, " ")
              if (a[1] == 200 && a[2] == right) r++
              else if (a[1] == 200 && a[2] == wrong) w++
              else if (a[1] == 200 || a[1] == 499) c++
              else o++ }
            END { printf "%d %d %d %d\n", r, w, c, o }' > "$WORK/tally.$1"
}
tally() { awk -v f="$2" '{ print $f }' "$WORK/tally.$1"; }
# "ok" if the tally of NAME shows only the right page (at least as many
# as wrk's complete answers, warm-up included) and answers cut short.
tally_ok() {
    want=$(($(result "$1" 5) + $(result "warmup-$1" 5 | sed 's/^$/0/')))
    if [ "$(tally "$1" 2)" -eq 0 ] && [ "$(tally "$1" 4)" -eq 0 ] &&
        [ "$(tally "$1" 1)" -ge "$want" ]; then
        echo ok
    else
        echo MISMATCH
    fi
}

# Field $2 (1-based after the name) of the result line NAME.
result() { awk -v n="$1" -v f="$2" '$1 == n { v = $f } END { print v }' "$RESULTS"; }

: > "$RESULTS"
: > "$WORK/cpu"
wrk_failed=
for t in static:/__bench/static fcgi:/__bench/fcgi home:/ render:/ api:$API \
    auth:/ \
    article:$ARTICLE article20:$ARTICLE20 article20r:$ARTICLE20 \
    search:$SEARCH; do
    name=${t%%:*}
    path=${t#*:}
    # auth: the home page logged in, with the first login's session.
    if [ "$name" = auth ]; then
        set -- -H "Cookie: gazette_session=$SESSION"
        say "$name: $path logged in as $BENCH_USER (${WARMUP}s warm-up," \
            "${DURATION}s measured)"
    elif [ "$name" = render ] || [ "$name" = article20r ] ||
        [ "$name" = search ]; then
        # Any cookie takes a visitor past the workers' page cache: the
        # page rendered every time.  Searches always go this way: real
        # ones differ, and the cache would answer a repeated one.
        set -- -H "Cookie: bench=1"
        say "$name: $path anonymous with a cookie, rendered each time" \
            "(${WARMUP}s warm-up, ${DURATION}s measured)"
    elif [ "$name" = api ]; then
        # Anonymous, as a public reader of the API: never page-cached.
        set -- -H "Accept: application/json"
        say "$name: $path anonymous, JSON (${WARMUP}s warm-up," \
            "${DURATION}s measured)"
    else
        set --
        say "$name: $path (${WARMUP}s warm-up, ${DURATION}s measured)"
    fi
    log0=$(wc -l < "$WORK/log/access.log")
    if [ "$WARMUP" -gt 0 ]; then
        run_wrk "warmup-$name" "$BASE$path" "$WARMUP" "$@" || wrk_failed=yes
    fi
    # CPU used during the measured run by the app's workers (gazette's,
    # or min_fcgi's for /__bench/fcgi), by nginx's workers, by the whole
    # machine, in ticks, and by wrk, in us: NAME APP NGINX ALL WRK.
    app=$gz_pid
    [ "$name" != fcgi ] || app=$min_pid
    a0=$(cpu_ticks "$app")
    n0=$(cpu_ticks "$ngx_pid")
    m0=$(machine_ticks)
    times > "$WORK/times.0"
    run_wrk "$name" "$BASE$path" "$DURATION" "$@" || wrk_failed=yes
    times > "$WORK/times.1"
    echo "$name $(($(cpu_ticks "$app") - a0)) $(($(cpu_ticks "$ngx_pid") - n0))" \
        "$(($(machine_ticks) - m0))" \
        "$(children_us "$WORK/times.0" "$WORK/times.1")" >> "$WORK/cpu"
    # The home runs' answers in nginx's access log (warm-up and measured).
    case $name in
        home) tally_log home "$log0" "$page_bytes" "$auth_bytes" ;;
        auth) tally_log auth "$log0" "$auth_bytes" "$page_bytes" ;;
    esac
done
set --
snapshot_rss warm
# Still logged in after the runs (the session neither expired nor was
# dropped)?
auth_after=$(check_logged_in "$WORK/auth-after.html")

# The soak: $SOAK more requests to the home page in two halves, RSS taken
# after each, so that one-time growth (caches filling, the heap settling)
# shows in the first half and a leak in both.  wrk runs are sized from
# the measured rate (at most 120 s each).
soak_total=0
n=0
soak_until() {
    while [ "$soak_total" -lt "$1" ] && [ -z "$wrk_failed" ]; do
        n=$((n + 1))
        if [ $n -gt 20 ]; then
            wrk_failed=yes
            say "soak: too many rounds"
            return 0
        fi
        secs=$(awk -v need=$(($1 - soak_total)) -v rps="$(result home 2)" '
            BEGIN { s = rps > 0 ? int(need / rps * 1.15 + 0.999) : 10
                    print (s < 1 ? 1 : (s > 120 ? 120 : s)) }')
        say "soak: $(($1 - soak_total)) more requests to / (~${secs}s)"
        run_wrk "soak$n" "$BASE/" "$secs" || { wrk_failed=yes; return 0; }
        got=$(result "soak$n" 5)
        [ "$got" -gt 0 ] || { wrk_failed=yes; return 0; }
        soak_total=$((soak_total + got))
    done
}
soak_until $((SOAK / 2))
snapshot_rss half
soak_half=$soak_total
soak_until "$SOAK"
# A first half that overshot (small BENCH_SOAK) still gets a second one.
[ "$soak_total" -gt "$soak_half" ] || soak_until $((soak_half + 1))
snapshot_rss soak

# ---- the job worker ---------------------------------------------------------
# drain_jobs NAME N [INI]: N jobs of the kind "noop" (which does nothing)
# enqueued with sqlite3, due at once; then `gazette worker --once` (one
# loop: it runs what is due and exits when nothing is) timed.  Appends
# "NAME N SECONDS DONE" to $WORK/jobs.  The site keeps serving (idle).
drain_jobs() {
    sqlite3 "$WORK/gazette.db" > "$WORK/log/jobs-$1.log" 2>&1 <<SQL ||
.timeout 10000
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO jobs (kind, payload, run_at, max_attempts, state, created_at,
    updated_at)
SELECT 'noop', '{"bench": ' || i || '}', 0, 5, 'queued', 0, 0 FROM n;
SQL
        { cat "$WORK/log/jobs-$1.log" >&2; die "enqueueing the bench jobs failed"; }
    jd0=$(date +%s%N)
    "$GAZETTE_BIN" --config "${3:-$INI}" worker --once \
        >> "$WORK/log/worker.log" 2>&1 || die "gazette worker --once failed"
    jd1=$(date +%s%N)
    jdone=$(sqlite3 "$WORK/gazette.db" "SELECT count(*) FROM jobs
        WHERE kind = 'noop' AND state = 'done'")
    sqlite3 "$WORK/gazette.db" "DELETE FROM jobs WHERE kind = 'noop'" ||
        die "removing the bench jobs failed"
    echo "$1 $2 $(awk -v a="$jd0" -v b="$jd1" \
        'BEGIN { printf "%.3f", (b - a) / 1e9 }') $jdone" >> "$WORK/jobs"
}
: > "$WORK/jobs"
if [ "$JOBS" -gt 0 ] && [ -z "$wrk_failed" ]; then
    # One commit a job, as before batches (job_batch = 1): fewer jobs,
    # the fsyncs make it slow.
    jobs1=$((JOBS / 10 > 0 ? JOBS / 10 : 1))
    { cat "$INI"; printf '[jobs]\njob_batch = 1\n'; } > "$WORK/gazette-b1.ini"
    say "jobs: $jobs1 noop jobs, one worker, one commit a job (job_batch = 1)"
    drain_jobs jobs_b1 "$jobs1" "$WORK/gazette-b1.ini"
    say "jobs: $JOBS noop jobs, one worker, batches (job_batch = 32)"
    drain_jobs jobs "$JOBS"
fi

# measure NAME PATH [WRK_OPTION...]: a warm-up run (unless BENCH_WARMUP=0)
# and the measured one of gazette's PATH, with the CPU its workers, nginx's,
# wrk and the machine used during the measured run into $WORK/cpu.
measure() {
    ms_name=$1
    ms_path=$2
    shift 2
    if [ "$WARMUP" -gt 0 ]; then
        run_wrk "warmup-$ms_name" "$BASE$ms_path" "$WARMUP" "$@" ||
            wrk_failed=yes
    fi
    a0=$(cpu_ticks "$gz_pid")
    n0=$(cpu_ticks "$ngx_pid")
    m0=$(machine_ticks)
    times > "$WORK/times.0"
    run_wrk "$ms_name" "$BASE$ms_path" "$DURATION" "$@" || wrk_failed=yes
    times > "$WORK/times.1"
    echo "$ms_name $(($(cpu_ticks "$gz_pid") - a0))" \
        "$(($(cpu_ticks "$ngx_pid") - n0)) $(($(machine_ticks) - m0))" \
        "$(children_us "$WORK/times.0" "$WORK/times.1")" >> "$WORK/cpu"
}

# measure_admin NAME: the changelist with the session, at BENCH_CONNECTIONS
# (NAME: throughput; at 32 connections on 2 cores its p50 is mostly the
# queue) and at 2 connections, one request at a time per core (NAME_c2:
# the latency a staff user sees, which the p50 goal is judged on).
measure_admin() {
    measure "$1" "$ADMIN_PATH" -H "Cookie: gazette_session=$SESSION"
    saved_conns=$CONNS
    saved_threads=$THREADS
    CONNS=2
    THREADS=1
    measure "$1_c2" "$ADMIN_PATH" -H "Cookie: gazette_session=$SESSION"
    CONNS=$saved_conns
    THREADS=$saved_threads
}

# ---- the admin changelist ---------------------------------------------------
# GET /admin/article/ as the superuser of the logins (the first one's
# session): 100 rows a page by keyset on (publish_at DESC, id DESC), a
# count capped at 1000, the sidebar's filters.  Here over the ARTICLES
# of the seed; again at the end over ADMIN articles.  Before each run the
# page must be served as it should: 200, Cache-Control private and
# no-store, 100 rows (a checkbox named _selected_action each).
ADMIN_PATH=/admin/article/
# check_admin FILE: GET the changelist with the session into FILE (and
# FILE.headers); its curl time_total into FILE.time.  Prints what is
# wrong, nothing if all is well.
check_admin() {
    ca=$(curl -sS --noproxy '*' --max-time 60 -D "$1.headers" -o "$1" \
        -w '%{http_code} %{time_total}' \
        -H "Cookie: gazette_session=$SESSION" "$BASE$ADMIN_PATH" 2>&1) ||
        { echo "GET $ADMIN_PATH with the session cookie failed: $ca"
          return 0; }
    echo "${ca#* }" > "$1.time"
    ca_rows=$(grep -o 'name="_selected_action"' "$1" | wc -l | tr -d ' ')
    if [ "${ca%% *}" != 200 ]; then
        echo "GET $ADMIN_PATH with the session cookie answered" \
            "${ca%% *}, not 200"
    elif ! grep -qi '^Cache-Control:.*private' "$1.headers" ||
        ! grep -qi '^Cache-Control:.*no-store' "$1.headers"; then
        echo "GET $ADMIN_PATH: no Cache-Control: private, no-store"
    elif [ "$ca_rows" -ne 100 ]; then
        echo "GET $ADMIN_PATH shows $ca_rows rows, not 100" \
            "(name=\"_selected_action\")"
    fi
}
admin_rows_small=
if [ -z "$wrk_failed" ]; then
    admin_rows_small=$(sqlite3 "$WORK/gazette.db" \
        "SELECT count(*) FROM articles")
    bad=$(check_admin "$WORK/admin.html")
    [ -z "$bad" ] || die "$bad"
    admin_bytes=$(wc -c < "$WORK/admin.html" | tr -d ' ')
    say "admin: $ADMIN_PATH logged in as $BENCH_USER over" \
        "$admin_rows_small articles, at $CONNS connections and at 2" \
        "(${WARMUP}s warm-up, ${DURATION}s measured, each)"
    measure_admin admin
fi

# ---- the same pages over a big database ------------------------------------
# BIG articles (the seed is deterministic and adds only what is missing),
# then the home page and the search again: the home page should not slow
# down with the table (keyset pagination), and the search stays quick.
big_seed_secs=
if [ "$BIG" -gt "$ARTICLES" ] && [ -z "$wrk_failed" ]; then
    say "seeding up to $BIG articles (gazette keeps serving)"
    s0=$(date +%s)
    "$GAZETTE_BIN" --config "$INI" seed --articles "$BIG" \
        > "$WORK/log/seed-big.log" 2>&1 ||
        { cat "$WORK/log/seed-big.log" >&2; die "gazette seed (big) failed"; }
    big_seed_secs=$(($(date +%s) - s0))
    for t in home_big:/ render_big:/ search_big:$SEARCH search_c2:$SEARCH; do
        name=${t%%:*}
        path=${t#*:}
        say "$name: $path over $BIG articles (${WARMUP}s warm-up," \
            "${DURATION}s measured)"
        # All but home_big go past the page cache (a cookie); search_c2:
        # two connections, one search at a time per core: its latency,
        # not the queue in front of it.
        set --
        [ "$name" = home_big ] || set -- -H "Cookie: bench=1"
        saved_conns=$CONNS
        saved_threads=$THREADS
        if [ "$name" = search_c2 ]; then
            CONNS=2
            THREADS=1
        fi
        measure "$name" "$path" "$@"
        CONNS=$saved_conns
        THREADS=$saved_threads
    done
fi

# ---- the admin changelist over ADMIN articles ------------------------------
# `gazette seed` would take far too long for a million articles: the rows
# missing up to ADMIN are inserted by sqlite3 in one statement (the
# full-text and content-version triggers run for each), spread over the
# seed's eight-year timeline (so the first page mixes them with the
# seeded ones) and over its authors.  Then the WAL is checkpointed, and
# the changelist measured again: keyset pagination and the capped count
# should make it cost what it cost over ARTICLES.
admin_seed_secs=
admin_rows_big=
admin_ckpt=
if [ "$ADMIN" -gt "$ARTICLES" ] && [ -n "$admin_rows_small" ] &&
    [ -z "$wrk_failed" ]; then
    have=$(sqlite3 "$WORK/gazette.db" "SELECT count(*) FROM articles")
    add=$((ADMIN - have))
    s0=$(date +%s)
    if [ "$add" -gt 0 ]; then
        say "inserting $add articles with sqlite3 (up to $ADMIN;" \
            "gazette keeps serving)"
        sqlite3 "$WORK/gazette.db" > "$WORK/log/admin-insert.log" 2>&1 <<SQL ||
.timeout 10000
PRAGMA foreign_keys = ON;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $add),
    au(k, id) AS (SELECT row_number() OVER (ORDER BY id) - 1, id
        FROM users WHERE is_superuser = 0),
    na(c) AS (SELECT count(*) FROM au),
    t(i, at) AS (SELECT i, 1541203200 + 252288000 * i / $add - (i % 7) * 3607
        FROM n)
INSERT INTO articles (slug, title, excerpt, body, body_html, status,
    publish_at, author_id, created_at, updated_at)
SELECT 'admin-bench-' || t.i, 'Admin bench article ' || t.i,
    'One of the articles the admin benchmark inserts.',
    'One of the articles the admin *benchmark* inserts.',
    '<p>One of the articles the admin <em>benchmark</em> inserts.</p>',
    'published', t.at, au.id, t.at, t.at
  FROM t, na JOIN au ON au.k = t.i % na.c;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
            { cat "$WORK/log/admin-insert.log" >&2
              die "inserting the admin bench articles failed"; }
        # busy|log|checkpointed: 0|0|0 when the WAL was emptied.
        admin_ckpt=$(tail -n 1 "$WORK/log/admin-insert.log")
    fi
    admin_seed_secs=$(($(date +%s) - s0))
    admin_rows_big=$(sqlite3 "$WORK/gazette.db" "SELECT count(*) FROM articles")
    [ "$admin_rows_big" -ge "$ADMIN" ] ||
        die "the database has $admin_rows_big articles, not $ADMIN"
    bad=$(check_admin "$WORK/admin-big.html")
    [ -z "$bad" ] || die "over $admin_rows_big articles: $bad"
    grep -q 'more than 1,000 articles' "$WORK/admin-big.html" ||
        die "over $admin_rows_big articles: $ADMIN_PATH does not say" \
            "'more than 1,000 articles'"
    admin_first_ms=$(awk '{ printf "%.1f", $1 * 1000 }' \
        "$WORK/admin-big.html.time")
    say "admin_big: $ADMIN_PATH logged in as $BENCH_USER over" \
        "$admin_rows_big articles, at $CONNS connections and at 2" \
        "(${WARMUP}s warm-up, ${DURATION}s measured, each)"
    measure_admin admin_big
fi

# ---- report --------------------------------------------------------------
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
ngx_version=$(nginx -v 2>&1 | sed 's|.*nginx/||')
gz_log_lines=$(wc -l < "$WORK/log/gazette.log" | tr -d ' ')
gz_request_lines=$(grep -c ' path=' "$WORK/log/gazette.log" || true)
gz_warn_lines=$(grep -c ' level=warn ' "$WORK/log/gazette.log" || true)
gz_gone_lines=$(grep -c 'client went away' "$WORK/log/gazette.log" || true)
gz_error_lines=$(grep -c ' level=error ' "$WORK/log/gazette.log" || true)
ngx_errors=$(grep -c '\[\(error\|crit\|alert\|emerg\)\]' \
    "$WORK/log/nginx-error.log" || true)
workers_fresh=$(awk '{ print $1 }' "$WORK/rss.fresh" | tr '\n' ' ')
workers_soak=$(awk '{ print $1 }' "$WORK/rss.soak" | tr '\n' ' ')
# And after the big-database and admin runs, which come after the soak.
workers_end=$(children_of "$gz_pid" | sort -n | tr '\n' ' ')

echo
echo "Gazette benchmark: wrk -t$THREADS -c$CONNS -d${DURATION}s" \
    "(after ${WARMUP}s warm-up) per target; $WORKERS workers for gazette" \
    "and for min_fcgi"
echo "  $cpus CPU(s)${model:+, $model}; nginx $ngx_version; home page" \
    "$page_bytes bytes, article $article_bytes bytes"
echo
# 1003 -> 1k, 1000000 -> 1M: article counts in the table's labels.
short_count() {
    awk -v n="${1:-0}" 'BEGIN {
        if (n >= 999500) printf "%.3gM\n", n / 1000000
        else if (n >= 1000) printf "%.3gk\n", n / 1000
        else print n }'
}
awk -v hz="$hz" -v admin_small="$(short_count "$admin_rows_small")" \
    -v admin_big="$(short_count "$admin_rows_big")" '
    BEGIN {
        label["static"] = "nginx static"
        label["fcgi"] = "minimal fcgi"
        label["home"] = "gazette home"
        label["auth"] = "home logged in"
        label["article"] = "gazette article"
        label["article20"] = "article+20 comm."
        label["article20r"] = "art.+20, rendered"
        label["search"] = "search"
        label["render"] = "home, rendered"
        label["api"] = "API articles"
        label["home_big"] = "home, big db"
        label["render_big"] = "rendered, big db"
        label["search_big"] = "search, big db"
        label["search_c2"] = "search, big, c=2"
        label["admin"] = "admin list, " admin_small
        label["admin_c2"] = "admin, " admin_small ", c=2"
        label["admin_big"] = "admin list, " admin_big
        label["admin_big_c2"] = "admin, " admin_big ", c=2"
        printf "%-16s %8s %7s %7s %9s %6s  %s\n", "", "", "", "", "", "",
            "----- CPU us/request -----"
        printf "%-16s %8s %7s %7s %9s %6s  %4s %5s %4s %5s %4s\n", "target",
            "req/s", "p50 ms", "p99 ms", "requests", "errors",
            "app", "nginx", "wrk", "other", "all"
    }
    FILENAME ~ /cpu$/ { app[$1] = $2; ngx[$1] = $3; all[$1] = $4; wrk[$1] = $5
        next }
    $1 in label {
        us = $5 > 0 ? 1000000 / hz / $5 : 0
        a = app[$1] * us
        w = $5 > 0 ? wrk[$1] / $5 : 0
        o = all[$1] * us - a - ngx[$1] * us - w
        if ($1 == "static")
            as = sprintf("%4s", "-")
        else
            as = sprintf("%4.0f", a)
        printf "%-16s %8.0f %7.2f %7.2f %9d %6d  %s %5.0f %4.0f %5.0f %4.0f\n",
            label[$1], $2, $3, $4, $5, $6 + $7, as, ngx[$1] * us, w, o,
            all[$1] * us
    }
    $1 ~ /^soak/ { sreq += $5; serr += $6 + $7; st += $5 / ($2 > 0 ? $2 : 1) }
    END {
        if (sreq > 0)
            printf "%-16s %8.0f %7s %7s %9d %6d\n", "soak (home)",
                sreq / st, "", "", sreq, serr
    }' "$WORK/cpu" "$RESULTS"
echo "  paths: nginx static /__bench/static, minimal fcgi /__bench/fcgi" \
    "(bench/min_fcgi),"
echo "  gazette home /, home logged in / with the session cookie of" \
    "$BENCH_USER (a superuser),"
echo "  gazette article /articles/$slug/; article+20 comm. $ARTICLE20" \
    "($article20_bytes bytes: 20 approved comments, 6 of them replies);"
echo "  API articles $API (anonymous, JSON, 20 articles, $api_bytes bytes," \
    "never page-cached);"
echo "  search $SEARCH; big db: the same paths after seeding up to $BIG" \
    "articles${big_seed_secs:+ (seeding took ${big_seed_secs} s)}"
if [ -n "$admin_rows_small" ]; then
    echo "  admin list: $ADMIN_PATH logged in as $BENCH_USER (100 rows of" \
        "$admin_rows_small articles, $admin_bytes bytes),"
    if [ -n "$admin_rows_big" ]; then
        echo "  then over $admin_rows_big articles after the big db" \
            "(inserted by sqlite3 in ${admin_seed_secs} s," \
            "WAL checkpoint ${admin_ckpt:-not needed}"
        echo "  (busy|log|done); the first GET after it took" \
            "$admin_first_ms ms); c=2: 2 connections"
    fi
fi
echo "  errors: non-2xx answers + socket errors; anything but 0 fails the run"
echo "  CPU: app = the app's workers (gazette's or min_fcgi's), nginx = its" \
    "workers, wrk = the"
echo "  load generator, all = the whole machine ($cpus CPUs:" \
    "$((cpus * 1000000)) us/s; /proc, 1/$hz s ticks),"
echo "  other = all - the rest: interrupts, and anything else running"
busy=$(awk -v hz="$hz" '$1 ~ /^(static|fcgi|home|auth|article|admin|admin_big)$/ && $4 > 0 {
        o = ($4 - $2 - $3 - $5 * hz / 1000000) / $4
        if (o > m) { m = o; n = $1 } }
    END { if (m > 0.25) printf "%d%% (during %s)", m * 100, n }' "$WORK/cpu")
if [ -n "$busy" ]; then
    echo "  NOTE: 'other' took up to $busy of the machine's CPU:" \
        "something else was"
    echo "  running, so these figures are noisier than usual; rerun on" \
        "an idle machine"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
rps_static=$(result static 2)
rps_fcgi=$(result fcgi 2)
rps_home=$(result home 2)
rps_auth=$(result auth 2)
rps_article=$(result article 2)
r_home_fcgi=$(ratio "$rps_home" "$rps_fcgi")
# Logged in against anonymous, both rendered: what a session costs.
r_auth_home=$(ratio "$rps_auth" "$(result render 2)")
echo
echo "Ratios of req/s"
echo "  home / minimal responder      $r_home_fcgi"
echo "  home / static                 $(ratio "$rps_home" "$rps_static")"
echo "  article / minimal responder   $(ratio "$rps_article" "$rps_fcgi")" \
    "(the responder sends the home page's $page_bytes bytes, the article" \
    "is $article_bytes)"
echo "  home logged in / anonymous    $r_auth_home (both rendered)"
echo "  home rendered / minimal       $(ratio "$(result render 2)" "$rps_fcgi")" \
    "(past the page cache: every request renders)"
r_api_render=$(ratio "$(result api 2)" "$(result render 2)")
echo "  API articles / home rendered  $r_api_render (20 articles as JSON" \
    "against as the rendered page; p50 $(printf %.2f "$(result api 3)")" \
    "ms / $(printf %.2f "$(result render 3)") ms)"
rps_article20=$(result article20 2)
r_article20_fcgi=$(ratio "$(result article20r 2)" "$rps_fcgi")
echo "  article+20 comments / minimal $(ratio "$rps_article20" "$rps_fcgi")" \
    "(rendered each time: $r_article20_fcgi)"
rps_home_big=$(result home_big 2)
# The rendered runs run the list queries every time: they are the test
# of keyset pagination on a big table.
r_big_home=$(ratio "$(result render_big 2)" "$(result render 2)")
if [ -n "$rps_home_big" ]; then
    echo "  home at $BIG / at $ARTICLES articles  $(ratio "$rps_home_big" \
        "$rps_home") (rendered: $r_big_home)"
fi
# The admin changelist: what a request costs over ADMIN articles against
# over ARTICLES: req/s at BENCH_CONNECTIONS (big/small >= 0.67 is within
# 1.5x) and p50 at 2 connections.
rps_admin=$(result admin 2)
rps_admin_big=$(result admin_big 2)
p50_admin=$(result admin_c2 3)
p50_admin_big=$(result admin_big_c2 3)
r_admin=$(ratio "$rps_admin_big" "$rps_admin")
r_admin_cost=$(ratio "$rps_admin" "$rps_admin_big")
r_admin_p50=$(ratio "$p50_admin_big" "$p50_admin")
# Gazette's CPU per request (the table's app column), the figure least
# moved by anything else running.
app_us() {
    awk -v n="$1" -v hz="$hz" 'FILENAME ~ /cpu$/ { if ($1 == n) t = $2; next }
        $1 == n && $5 > 0 { printf "%.0f\n", t * 1000000 / hz / $5 }' \
        "$WORK/cpu" "$RESULTS"
}
if [ -n "$rps_admin_big" ]; then
    echo "  admin list at $admin_rows_big / at $admin_rows_small articles" \
        "$r_admin (time per request x$r_admin_cost; p50 at 2 connections" \
        "$(printf %.2f "$p50_admin_big") ms / $(printf %.2f "$p50_admin")" \
        "ms = x$r_admin_p50; gazette's CPU per request $(app_us admin_big)" \
        "us / $(app_us admin) us = x$(ratio "$(app_us admin_big)" \
        "$(app_us admin)"))"
fi

auth_size=$(tally_ok auth)
home_size=$(tally_ok home)
echo
echo "Logged in: the home page with the session cookie (page $auth_bytes bytes," \
    "anonymous $page_bytes)"
echo "  each view also looks up the session and loads the user (two indexed" \
    "SELECTs; last_seen"
echo "  is written at most once a minute) and is sent with" \
    "$(grep -i '^Cache-Control:' "$WORK/auth.html.headers" | tr -d '\r' |
        head -n 1)"
echo "  answers in nginx's access log (warm-up and measured run): of the" \
    "logged-in page / of"
echo "  the anonymous page / cut short at the end of a run / other status:"
echo "    logged-in run  $(tally auth 1) / $(tally auth 2) / $(tally auth 3)" \
    "/ $(tally auth 4): $auth_size"
echo "    anonymous run  $(tally home 2) / $(tally home 1) / $(tally home 3)" \
    "/ $(tally home 4): $home_size"
if [ -z "$auth_after" ]; then
    echo "  still logged in after the runs: yes"
else
    echo "  still logged in after the runs: NO: $auth_after"
fi

echo
echo "Login: $LOGINS logins in a row, each a GET of /accounts/login/ and a" \
    "POST of it (303)"
echo "  POST (the login): median $login_post"
echo "  GET (the form, for scale): median $login_get"
if [ "$pw_ops" = "$PROD_OPS" ] && [ "$pw_mem" = "$PROD_MEM" ]; then
    lim="production's defaults"
else
    lim="NOT production's $PROD_OPS and $PROD_MEM (a GAZETTE_* override?)"
fi
echo "  argon2id limits in effect: password_ops = $pw_ops, password_mem =" \
    "$pw_mem ($(awk -v m="$pw_mem" 'BEGIN { printf "%g", m / 1048576 }')" \
    "MiB), $lim"
[ -z "$hash_params" ] ||
    echo "  the stored hash says $hash_params (m in KiB, t passes, p lanes)"
echo "  argon2id dominates the POST by design: it is meant to be slow and" \
    "memory-hard"

echo
echo "Gazette worker memory: VmRSS in MB [private part], growth in KB"
printf '  %-7s %12s %12s %12s %12s %9s %9s\n' pid fresh "after runs" \
    "soak 1/2" "soak 2/2" "growth 1" "growth 2"
awk '
    function mb(rss, priv) { return sprintf("%4.1f [%4.1f]", rss / 1024, priv / 1024) }
    FILENAME ~ /fresh$/ { f[$1] = mb($2, $3); next }
    FILENAME ~ /warm$/ { w[$1] = $2; wm[$1] = mb($2, $3); next }
    FILENAME ~ /half$/ { h[$1] = $2; hm[$1] = mb($2, $3); next }
    {
        printf "  %-7s %12s %12s %12s %12s %+9d %+9d\n", $1, f[$1], wm[$1],
            hm[$1], mb($2, $3), h[$1] - w[$1], $2 - h[$1]
    }' "$WORK/rss.fresh" "$WORK/rss.warm" "$WORK/rss.half" "$WORK/rss.soak"
echo "  fresh = before any load; growth 1 = over the first $soak_half soak" \
    "requests,"
echo "  growth 2 = over the other $((soak_total - soak_half)):" \
    "a leak grows in both halves,"
echo "  caches filling and the heap settling only in the first"
max_rss=$(awk '$2 > m { m = $2 } END { printf "%.1f", m / 1024 }' "$WORK/rss.soak")
growth() {	# the largest growth from snapshot $1 to $2, in KB
    awk -v a="rss.$1" 'FILENAME ~ a "$" { w[$1] = $2; next }
        ($1 in w) { g = $2 - w[$1]; if (!seen++ || g > m) m = g }
        END { print m + 0 }' "$WORK/rss.$1" "$WORK/rss.$2"
}
growth_all=$(growth warm soak)
growth_2=$(growth half soak)

jobs_rate() {	# jobs/s of the drain NAME, or empty
    awk -v n="$1" '$1 == n && $3 > 0 { printf "%.0f\n", $2 / $3 }' "$WORK/jobs"
}
jobs_line() {	# NAME LABEL: its line of the report
    awk -v n="$1" -v l="$2" '$1 == n {
        f = "  %-34s %6d jobs in %7.3f s = %6.0f jobs/s (%d done)\n"
        printf f, l, $2, $3, ($3 > 0 ? $2 / $3 : 0), $4 }' "$WORK/jobs"
}
rate_jobs=$(jobs_rate jobs)
rate_jobs_b1=$(jobs_rate jobs_b1)
if [ -s "$WORK/jobs" ]; then
    echo
    echo "Job worker: noop jobs (a handler that does nothing) drained by one" \
        "\`gazette worker --once\`,"
    echo "  synchronous = $(awk '/^\[/ { sec = $0; next }
        sec == "[database]" && $1 == "synchronous" { print $3; exit }' \
        "$WORK/check.txt"), the site serving (idle) beside it"
    jobs_line jobs_b1 "one commit a job (job_batch = 1)"
    jobs_line jobs "batches of up to 32 (the default)"
    echo "  batches / one commit a job: x$(ratio "$rate_jobs" "$rate_jobs_b1");" \
        "a batch's jobs share one claim and one commit (one fsync)"
fi

echo
echo "Logs: gazette: $gz_log_lines line(s), of which $gz_request_lines" \
    "request lines (log_level = warn drops"
echo "  those, they are level=info), $gz_error_lines error and" \
    "$gz_warn_lines warn ($gz_gone_lines 'client went away': wrk"
echo "  dropping its connections at the end of each run);" \
    "nginx: $ngx_errors error line(s)"

# Goals from the issue.  Reported, never fatal: timings are noisy.
mark() { if [ "$1" = yes ]; then echo "met    "; else echo "NOT MET"; fi; }
p99_home=$(result home 4)
p99_article=$(result article 4)
g1=$(awk -v r="$r_home_fcgi" 'BEGIN { print (r + 0 >= 0.5) ? "yes" : "no" }')
g2=$(awk -v a="$p99_home" -v b="$p99_article" -v c="$CONNS" \
    'BEGIN { print (c == 32 && a >= 0 && a <= 10 && b >= 0 && b <= 10) ? "yes" : "no" }')
g3=$(awk -v m="$max_rss" 'BEGIN { print (m > 0 && m <= 8) ? "yes" : "no" }')
g4=$(awk -v g="$growth_2" -v n="$soak_total" -v s="$SOAK" \
    'BEGIN { print (g <= 0 && n >= s && s > 0) ? "yes" : "no" }')
g5=$(awk -v r="$r_auth_home" 'BEGIN { print (r + 0 >= 0.85) ? "yes" : "no" }')
g6=$(awk -v r="$r_article20_fcgi" 'BEGIN { print (r + 0 >= 0.4) ? "yes" : "no" }')
p50_search_big=$(result search_c2 3)
g7=$(awk -v p="$p50_search_big" 'BEGIN { print (p != "" && p >= 0 && p <= 20) ? "yes" : "no" }')
g8=$(awk -v r="$r_big_home" 'BEGIN { print (r + 0 >= 0.9) ? "yes" : "no" }')
g9=$(awk -v a="$rps_admin" -v b="$rps_admin_big" -v pa="$p50_admin" \
    -v pb="$p50_admin_big" 'BEGIN { print (a > 0 && b > 0 &&
        a / b <= 1.5 && pa > 0 && pb >= 0 && pb <= 1.5 * pa) ? "yes" : "no" }')
g11=$(awk -v r="$r_api_render" 'BEGIN { print (r + 0 >= 1.0) ? "yes" : "no" }')
g12=$(awk -v r="$rate_jobs" 'BEGIN { print (r + 0 >= 2000) ? "yes" : "no" }')
g10=$(awk -v a="$p50_admin" -v b="$p50_admin_big" \
    'BEGIN { print (a != "" && b != "" && a >= 0 && b >= 0 && a <= 15 &&
        b <= 15) ? "yes" : "no" }')
echo
echo "Goals (from the issue)"
echo "  $(mark "$g1")  home >= 50% of the minimal responder's req/s" \
    "(home/minimal = $r_home_fcgi)"
echo "  $(mark "$g2")  p99 <= 10 ms at 32 connections, home and article" \
    "(home $(printf %.2f "$p99_home") ms, article" \
    "$(printf %.2f "$p99_article") ms, at $CONNS)"
echo "  $(mark "$g3")  <= 8 MB RSS per worker (largest $max_rss MB" \
    "after the soak)"
echo "  $(mark "$g4")  no RSS growth after $SOAK requests (largest" \
    "growth ${growth_2} KB over the soak's second half;" \
    "${growth_all} KB over all $soak_total)"
echo "  $(mark "$g5")  logged-in home >= 0.85 of the anonymous home's req/s" \
    "(logged in/anonymous, both rendered = $r_auth_home)"
echo "  $(mark "$g6")  article with 20 comments >= 40% of the minimal" \
    "responder's req/s (rendered each time: article+20/minimal =" \
    "$r_article20_fcgi; from the page cache $(ratio "$rps_article20" \
    "$rps_fcgi"))"
if [ -n "$rps_home_big" ]; then
    echo "  $(mark "$g7")  search over $BIG articles p50 <= 20 ms" \
        "(p50 $(printf %.2f "$p50_search_big") ms, p99" \
        "$(printf %.2f "$(result search_c2 4)") ms with 2 connections;" \
        "at $CONNS connections p50 $(printf %.2f "$(result search_big 3)") ms" \
        "is mostly the queue)"
    echo "  $(mark "$g8")  home at $BIG articles >= 0.9 of home at" \
        "$ARTICLES (rendered each time: ratio $r_big_home)"
else
    echo "  (big-database goals not measured: BENCH_BIG_ARTICLES=$BIG)"
fi
if [ -n "$rps_admin_big" ]; then
    echo "  $(mark "$g9")  admin list over $admin_rows_big articles within" \
        "1.5x of over $admin_rows_small (time per request: req/s at $CONNS" \
        "connections x$r_admin_cost, p50 at 2 connections x$r_admin_p50)"
    echo "  $(mark "$g10")  admin list p50 <= 15 ms, judged with 2" \
        "connections (over $admin_rows_small $(printf %.2f "$p50_admin") ms," \
        "over $admin_rows_big $(printf %.2f "$p50_admin_big") ms; at $CONNS" \
        "connections $(printf %.2f "$(result admin 3)") and" \
        "$(printf %.2f "$(result admin_big 3)") ms are mostly the queue)"
else
    echo "  (admin list goals not measured: BENCH_ADMIN_ARTICLES=$ADMIN)"
fi
echo "  $(mark "$g11")  API articles >= 1.0 of the home page's req/s, both" \
    "rendered each time (API/home rendered = $r_api_render)"
if [ -n "$rate_jobs" ]; then
    echo "  $(mark "$g12")  >= 2,000 noop jobs/s by one worker ($rate_jobs" \
        "jobs/s; one commit a job: ${rate_jobs_b1:-?} jobs/s)"
else
    echo "  (job worker goal not measured: BENCH_JOBS=$JOBS)"
fi
[ "$CONNS" -eq 32 ] ||
    echo "  (the latency goal is defined at 32 connections: rerun with" \
        "BENCH_CONNECTIONS=32 to judge it)"

# ---- did anything break? ---------------------------------------------------
problems=
[ -z "$wrk_failed" ] || problems="$problems; wrk failed (output above)"
bad=$(awk '$6 > 0 { printf "%s%s: %d non-2xx", s, $1, $6; s = ", " }' "$RESULTS")
[ -z "$bad" ] || problems="$problems; $bad"
bad=$(awk '$7 > 0 { printf "%s%s: %d socket errors", s, $1, $7; s = ", " }' "$RESULTS")
[ -z "$bad" ] || problems="$problems; $bad"
bad=$(awk '$2 < 0 || $3 < 0 || $4 < 0 || $5 < 0 { printf "%s%s", s, $1; s = ", " }' \
    "$RESULTS")
[ -z "$bad" ] || problems="$problems; wrk output not understood for $bad"
[ "$auth_size" = ok ] ||
    problems="$problems; the logged-in run's answers were not all the logged-in page (access log: $(cat "$WORK/tally.auth"))"
[ "$home_size" = ok ] ||
    problems="$problems; the anonymous run's answers were not all the anonymous page (access log: $(cat "$WORK/tally.home"))"
[ -z "$auth_after" ] ||
    problems="$problems; after the runs: $auth_after"
[ "$workers_fresh" = "$workers_soak" ] ||
    problems="$problems; gazette workers changed (one died?): $workers_fresh-> $workers_soak"
[ "$workers_soak" = "$workers_end" ] ||
    problems="$problems; gazette workers changed after the soak (one died?): $workers_soak-> $workers_end"
bad=$(awk '$4 != $2 { printf "%s%s: %d of %d done", s, $1, $4, $2; s = ", " }' \
    "$WORK/jobs")
[ -z "$bad" ] || problems="$problems; jobs not run: $bad"
[ "$gz_error_lines" -eq 0 ] ||
    problems="$problems; gazette logged $gz_error_lines error line(s)"
kill -0 "$gz_pid" 2>/dev/null || problems="$problems; gazette serve died"
kill -0 "$min_pid" 2>/dev/null || problems="$problems; min_fcgi died"
kill -0 "$ngx_pid" 2>/dev/null || problems="$problems; nginx died"
if [ -n "$problems" ]; then
    echo
    echo "bench: FAILED: ${problems#; }" >&2
    exit 1
fi
echo
say "done: no errors (figures depend on the machine: compare the ratios)"
