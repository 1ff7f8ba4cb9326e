#!/bin/sh
# lint-sql.sh DIR: SQL text comes only from literals (STYLE.md, "SQL"; in
# the spirit of Fossil's codecheck1).
#
# The rule: in every .c and .h file under DIR, a call of db_stmt(),
# db_exec() or sqlite3_prepare*() (any variant: sqlite3_prepare,
# _v2, _v3, sqlite3_prepare16...) takes as its second argument either
#   - a string literal ("SELECT ..."), or
#   - an identifier named `sql` or `sql_<what>`: a `static const char sql[]`
#     (or the parameter through which db.c hands such a literal on).
# Anything else (another variable, a macro, a call, sql[i], a pointer
# expression) is reported as FILE:LINE and the script exits 1.
#
# The one exception is db_stmt_built(), which prepares SQL assembled at
# run time from static model metadata (ARCHITECTURE, Data): it may be
# called only in app/core/model.c, whose builder review checks; a call
# anywhere else is reported.  Its prototype and definition (first
# argument a type) are not calls.
#
# How it reads the code, and what it does not see:
#   - The second argument is the text after the first comma at paren depth
#     0 following the call's '('.  Our style keeps a call's first two
#     arguments on one line; if a line ends first, up to 5 following
#     lines are joined.
#   - A "call" whose first argument starts with a type (struct, const,
#     char, ...) is a prototype or definition and is skipped.
#   - Lines that start (after blanks) with /*, * or // are comments.
#   - sqlite3_exec() is not covered: migrate.c runs migration files with
#     it by design.  Nor can a shell script tell that a variable named sql
#     really is a static array; review does that.
#
# Prints "lint-sql: ok (N calls checked)" on success.  POSIX sh and awk.

set -eu

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: sh tests/lint-sql.sh DIR" >&2
	exit 2
fi

files=$(find "$1" -type f \( -name '*.c' -o -name '*.h' \) | sort)
if [ -z "$files" ]; then
	echo "lint-sql: ok (0 calls checked)"
	exit 0
fi

# shellcheck disable=SC2086  # file names are split on purpose
awk '
function ltrim(s) { sub(/^[ \t]+/, "", s); return s }

# Check every call on line i of the current file.
function check_line(i,    s, pos, rest, name, args, j, k, c, depth,
    inq, comma, first, second, m) {
	s = L[i]
	if (s ~ /^[ \t]*(\/\*|\*|\/\/)/)
		return
	pos = 1
	while (match(substr(s, pos), CALL)) {
		m = substr(s, pos + RSTART - 1, RLENGTH)
		pos += RSTART - 1 + RLENGTH
		name = m
		sub(/^[^A-Za-z_]/, "", name)
		sub(/[ \t]*\($/, "", name)
		args = substr(s, pos)
		j = i
		# Find the first comma at depth 0, joining lines if needed.
		depth = 0; inq = 0; comma = 0; k = 1
		while (!comma) {
			if (k > length(args)) {
				if (j >= N || j >= i + 5)
					break
				j++
				args = args " " L[j]
				continue
			}
			c = substr(args, k, 1)
			if (inq) {
				if (c == "\\")
					k++
				else if (c == "\"")
					inq = 0
			} else if (c == "\"")
				inq = 1
			else if (c == "(")
				depth++
			else if (c == ")") {
				if (depth == 0)
					break
				depth--
			} else if (c == "," && depth == 0)
				comma = k
			k++
		}
		if (!comma) {
			report(i, name, "has no second argument")
			continue
		}
		first = ltrim(substr(args, 1, comma - 1))
		if (first ~ DECL)
			continue
		second = ltrim(substr(args, comma + 1))
		while (second == "" && j < N && j < i + 5) {
			j++
			second = ltrim(L[j])
		}
		checked++
		if (second ~ /^"/ || second ~ /^sql(_[a-z0-9_]+)?[ \t]*[,)]/)
			continue
		report(i, name, "takes SQL that is neither a string literal " \
		    "nor a static const char sql[]: " substr(second, 1, 60))
	}
}

# A db_stmt_built() call on line i outside core/model.c is reported.
function check_built(i,    s, pos, args) {
	s = L[i]
	if (s ~ /^[ \t]*(\/\*|\*|\/\/)/ || FILE ~ /(^|\/)core\/model\.c$/)
		return
	pos = 1
	while (match(substr(s, pos), BUILT)) {
		pos += RSTART - 1 + RLENGTH
		args = ltrim(substr(s, pos))
		if (args ~ DECL)
			continue
		checked++
		report(i, "db_stmt_built", "is called outside " \
		    "app/core/model.c, the only place SQL is built")
	}
}

function report(i, name, why) {
	printf "%s:%d: %s() %s\n", FILE, i, name, why
	bad++
}

function flush(    i) {
	for (i = 1; i <= N; i++) {
		check_line(i)
		check_built(i)
	}
	N = 0
}

BEGIN {
	CALL = "(^|[^A-Za-z0-9_])(db_stmt|db_exec|sqlite3_prepare[A-Za-z0-9_]*)[ \t]*\\("
	BUILT = "(^|[^A-Za-z0-9_])db_stmt_built[ \t]*\\("
	DECL = "^(struct|const|unsigned|signed|int|char|void|sqlite3)[ \t*]"
	checked = 0; bad = 0; N = 0
}
FNR == 1 { if (N > 0) flush(); FILE = FILENAME }
{ L[++N] = $0 }
END {
	if (N > 0)
		flush()
	if (bad > 0) {
		printf "lint-sql: %d call(s) build SQL from something other " \
		    "than a literal (see STYLE.md, SQL)\n", bad
		exit 1
	}
	printf "lint-sql: ok (%d calls checked)\n", checked
}
' $files
