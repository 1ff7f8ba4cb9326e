#!/bin/sh
# tests/integration/nginx_conf_test.sh: the nginx configs are valid.
#
# Checks, with the real nginx and without touching the system's nginx:
#   - nginx/dev.conf.in, placeholders substituted, passes `nginx -t`, both
#     without and with the bench include (nginx/bench.conf.in);
#   - nginx/gazette.conf, wrapped in a minimal main config, passes `nginx -t`;
#   - production has no bench locations, no placeholder is left over;
#   - live (unless NGINX_CONF_LIVE=0, and only if curl exists): the dev config
#     serves /static/ with the cache headers and nosniff, does not cache a
#     404 there, and answers 502 with nosniff when gazette is not running.
# Prints "nginx_conf: N passed, M failed"; exits non-zero on any failure.
# Environment: NGINX (default: nginx, then /usr/sbin/nginx).

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nginx_conf.XXXXXX") || exit 1
NGINX_PID=
pass=0
fail=0

cleanup() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null
		wait "$NGINX_PID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ok() {
	pass=$((pass + 1))
	echo "ok   $1"
}

not_ok() {
	fail=$((fail + 1))
	echo "FAIL $1"
	if [ -n "${2:-}" ] && [ -f "$2" ]; then
		sed 's/^/     | /' "$2"
	fi
}

# make_var DIR: the directories dev.conf.in expects under @VAR@.
make_var() {
	mkdir -p "$1/log" "$1/nginx-tmp/client_body" "$1/nginx-tmp/fastcgi" \
	    "$1/nginx-tmp/proxy" "$1/nginx-tmp/uwsgi" "$1/nginx-tmp/scgi"
}

# dev_conf VAR PORT BENCH_INCLUDE: write VAR/nginx.conf from dev.conf.in.
dev_conf() {
	sed -e "s|@PORT@|$2|g" \
	    -e "s|@VAR@|$1|g" \
	    -e "s|@SOCKET@|$1/gazette.sock|g" \
	    -e "s|@STATIC@|$ROOT/static|g" \
	    -e "s|@MAX_BODY@|2m|g" \
	    -e "s|@BENCH_INCLUDE@|$3|g" \
	    -e "s|@USER_DIRECTIVE@|$([ "$(id -u)" = 0 ] && echo "user root;")|g" \
	    "$ROOT/nginx/dev.conf.in" >"$1/nginx.conf"
}

# free_port: print a random TCP port on 127.0.0.1 that nothing answers on
# (`nginx -t` binds the listen addresses, so they must be free).
free_port() {
	n=0
	while :; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
		command -v curl >/dev/null 2>&1 || break
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"
		[ $? -eq 7 ] && break           # 7: connection refused, so free
		n=$((n + 1))
		[ $n -ge 20 ] && break
	done
	echo "$p"
}

# nginx_t NAME CONF PREFIX: `nginx -t` on CONF.
nginx_t() {
	if "$NGINX" -t -q -p "$3" -e "$3/log/nginx-error.log" -c "$2" \
	    >"$TMP/out" 2>&1; then
		ok "$1"
	else
		not_ok "$1" "$TMP/out"
	fi
}

# no_placeholder NAME FILE
no_placeholder() {
	if grep -n '@[A-Z_]*@' "$2" >"$TMP/out"; then
		not_ok "$1" "$TMP/out"
	else
		ok "$1"
	fi
}

if ! [ -x "$NGINX" ]; then
	echo "nginx_conf: nginx not found (set NGINX)"
	echo "nginx_conf: 0 passed, 1 failed"
	exit 1
fi

# --- dev.conf.in without the bench include ---------------------------------
D1=$TMP/dev
make_var "$D1"
dev_conf "$D1" "$(free_port)" ""
no_placeholder "dev.conf.in: every placeholder substituted" "$D1/nginx.conf"
nginx_t "dev.conf.in: nginx -t without bench include" "$D1/nginx.conf" "$D1"

# --- dev.conf.in with the bench include ------------------------------------
D2=$TMP/bench
make_var "$D2"
mkdir -p "$D2/bench-root"
echo '<!DOCTYPE html><title>bench</title>' >"$D2/bench-root/page.html"
sed -e "s|@BENCH_ROOT@|$D2/bench-root|g" \
    -e "s|@BENCH_SOCKET@|$D2/bench.sock|g" \
    "$ROOT/nginx/bench.conf.in" >"$D2/bench.conf"
dev_conf "$D2" "$(free_port)" "include $D2/bench.conf;"
no_placeholder "bench.conf.in: every placeholder substituted" "$D2/bench.conf"
no_placeholder "dev.conf.in + bench: every placeholder substituted" \
    "$D2/nginx.conf"
nginx_t "dev.conf.in: nginx -t with bench include" "$D2/nginx.conf" "$D2"

# --- gazette.conf (production) in a minimal main config --------------------
# Log paths move into the temp dir and port 80 becomes a free port on
# 127.0.0.1, so that the check runs as any user on any machine; everything
# else is the installed file as it is.
P=$TMP/prod
make_var "$P"
sed -e "s|/var/log/nginx/|$P/log/|g" \
    -e "s|^\([[:space:]]*\)listen 80;|\1listen 127.0.0.1:$(free_port);|" \
    -e "s|^\([[:space:]]*\)listen \[::\]:80;|\1# (test) [::]:80 dropped|" \
    "$ROOT/nginx/gazette.conf" >"$P/gazette.conf"
cat >"$P/nginx.conf" <<EOC
pid $P/nginx.pid;
error_log $P/log/nginx-error.log warn;
events {}
http {
	include /etc/nginx/mime.types;
	client_body_temp_path $P/nginx-tmp/client_body;
	fastcgi_temp_path $P/nginx-tmp/fastcgi;
	proxy_temp_path $P/nginx-tmp/proxy;
	uwsgi_temp_path $P/nginx-tmp/uwsgi;
	scgi_temp_path $P/nginx-tmp/scgi;
	include $P/gazette.conf;
}
EOC
nginx_t "gazette.conf: nginx -t in a minimal http {}" "$P/nginx.conf" "$P"

if grep -n '__bench\|@[A-Z_]*@' "$ROOT/nginx/gazette.conf" >"$TMP/out"; then
	not_ok "gazette.conf: no bench locations, no placeholders" "$TMP/out"
else
	ok "gazette.conf: no bench locations, no placeholders"
fi
if grep -n '__bench' "$ROOT/nginx/dev.conf.in" >"$TMP/out"; then
	not_ok "dev.conf.in: bench locations only in bench.conf.in" "$TMP/out"
else
	ok "dev.conf.in: bench locations only in bench.conf.in"
fi

# --- live: the dev config serves static files and passes the rest on -------
if [ "${NGINX_CONF_LIVE:-1}" != 0 ] && command -v curl >/dev/null 2>&1; then
	L=$TMP/live
	make_var "$L"
	started=
	for _ in 1 2 3 4 5; do
		port=$(free_port)
		dev_conf "$L" "$port" ""
		"$NGINX" -p "$L" -e "$L/log/nginx-error.log" -c "$L/nginx.conf" \
		    >"$L/log/stdout" 2>&1 &
		NGINX_PID=$!
		i=0
		while [ $i -lt 50 ]; do
			if curl -s -o /dev/null "http://127.0.0.1:$port/static/"; then
				started=$port
				break
			fi
			if ! kill -0 "$NGINX_PID" 2>/dev/null; then
				break
			fi
			sleep 0.1
			i=$((i + 1))
		done
		[ -n "$started" ] && break
		kill "$NGINX_PID" 2>/dev/null
		wait "$NGINX_PID" 2>/dev/null
		NGINX_PID=
	done

	if [ -z "$started" ]; then
		not_ok "live: dev config starts" "$L/log/nginx-error.log"
	else
		ok "live: dev config starts on 127.0.0.1:$started"
		base=http://127.0.0.1:$started
		curl -sI "$base/static/css/site.css" >"$TMP/h" 2>&1
		if grep -q '^HTTP/1.1 200' "$TMP/h" &&
		    grep -qi "^Cache-Control: public, max-age=31536000, immutable" "$TMP/h" &&
		    [ "$(grep -ci "^Cache-Control:" "$TMP/h")" -eq 1 ] &&
		    grep -qi '^Content-Type: text/css' "$TMP/h" &&
		    grep -qi '^X-Content-Type-Options: nosniff' "$TMP/h" &&
		    ! grep -qi '^Server: nginx/' "$TMP/h"; then
			ok "live: /static/css/site.css 200, cached a year, nosniff"
		else
			not_ok "live: /static/css/site.css 200, cached a year, nosniff" "$TMP/h"
		fi
		curl -sI "$base/static/no-such-file.css" >"$TMP/h" 2>&1
		if grep -q '^HTTP/1.1 404' "$TMP/h" &&
		    ! grep -qi '^Cache-Control:.*immutable' "$TMP/h" &&
		    grep -qi '^X-Content-Type-Options: nosniff' "$TMP/h"; then
			ok "live: a missing static file is a 404 that is not cached"
		else
			not_ok "live: a missing static file is a 404 that is not cached" "$TMP/h"
		fi
		curl -s -D "$TMP/h" -o /dev/null "$base/" >/dev/null 2>&1
		if grep -q '^HTTP/1.1 502' "$TMP/h" &&
		    grep -qi '^X-Content-Type-Options: nosniff' "$TMP/h"; then
			ok "live: / without gazette is 502 with nosniff"
		else
			not_ok "live: / without gazette is 502 with nosniff" "$TMP/h"
		fi
		curl -sI --path-as-is "$base/static/../nginx/gazette.conf" >"$TMP/h" 2>&1
		if ! grep -q '^HTTP/1.1 200' "$TMP/h"; then
			ok "live: no escape from /static/"
		else
			not_ok "live: no escape from /static/" "$TMP/h"
		fi
		kill "$NGINX_PID" 2>/dev/null
		wait "$NGINX_PID" 2>/dev/null
		NGINX_PID=
	fi
fi

echo "nginx_conf: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
