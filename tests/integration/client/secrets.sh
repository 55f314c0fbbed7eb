#!/bin/sh
# secrets.sh - secrets stay out of ps: a secret given to turtled
# (--token, --admin-token) or turtle (--token) on the command line still
# works, is wiped from /proc/PID/cmdline of every process, and draws a
# warning; --token-file, --admin-token-file, TURTLENET_TOKEN and
# TURTLENET_ADMIN_TOKEN give them without the command line.
. "$(dirname "$0")/lib.sh"

command -v socat >/dev/null || fail "socat is needed"
S=Sup3r-s3cret-T0ken
A=Adm1n-s3cret-T0ken

# cmdline_clean PID: the process's command line names neither secret.
cmdline_clean() {
	tr '\0' ' ' <"/proc/$1/cmdline" >"$TMP/cmdline" ||
		fail "cannot read the command line of $1"
	if grep -qF -e "$S" -e "$A" "$TMP/cmdline"; then
		fail "the command line of $1 shows a secret: $(cat "$TMP/cmdline")"
	fi
}

# server_clean: turtled's master and every child of it (the spawner, the
# workers) show no secret.
server_clean() {
	cmdline_clean "$SPID"
	for p in $(ps -o pid= --ppid "$SPID"); do
		[ -r "/proc/$p/cmdline" ] && cmdline_clean "$p"
	done
}

port() {
	sed -n 's/^turtled: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$TMP/server.err" | tail -n 1
}

# admin_exit PORT SECRET: hello with admin=SECRET and _exit over TCP; the
# first two words of the reply to _exit ("ok _exit", "err forbidden").
admin_exit() {
	printf 'hello 1 adm token=%s admin=%s\n_exit\n' "$S" "$2" |
		socat -t 5 - "TCP:127.0.0.1:$1" | grep -E '^(ok|err) ' |
		grep -v '^ok hello' | head -n 1 | cut -d ' ' -f 1,2
}

# no_warning: the turtled started last warned about nothing (server.err
# holds what every one of them said).
ERRS=0
no_warning() {
	! tail -n +"$((ERRS + 1))" "$TMP/server.err" | grep -q warning
}

# A server stopped by _exit: reaped, and SPID cleared; the next one's
# stderr starts after this line.

server_gone() {
	wait_for "turtled to stop" is_gone "$SPID"
	wait "$SPID" 2>/dev/null
	SPID=
	ERRS=$(wc -l <"$TMP/server.err")
}

# 1. On turtled's command line: works, wiped, warned about.
start_server -l 127.0.0.1:0 --token "$S" --admin-token "$A"
P=$(port)
[ -n "$P" ] || fail "turtled named no TCP port"
server_clean
grep -qF -- "--token xxxxxxxxxxxxxxxxxx" "$TMP/cmdline" ||
	fail "the wiped --token is not shown as x's: $(cat "$TMP/cmdline")"
has_line "$TMP/server.err" '^turtled: warning: --token puts the secret where every user can see it \(ps, /proc\) until it is wiped; use --token-file or TURTLENET_TOKEN$' ||
	fail "no warning about --token"
has_line "$TMP/server.err" '^turtled: warning: --admin-token puts the secret where every user can see it .*--admin-token-file or TURTLENET_ADMIN_TOKEN$' ||
	fail "no warning about --admin-token"
# A worker serving a client is clean too.
"$TURTLE" -s "127.0.0.1:$P" --token-file /dev/null -c where >/dev/null 2>"$TMP/e.err"
rc=$?
expect_rc 2 "--token-file with an empty file"
printf '%s\n' "$S" >"$TMP/tok"
"$TURTLE" -S "$SOCK" --no-start -n w0 --watch >/dev/null 2>&1 &
W0=$!
BGPIDS=$W0
wait_for "w0 to watch" watching 1
server_clean
kill_child "$W0"
wait "$W0"
BGPIDS=
"$TURTLE" -s "127.0.0.1:$P" --token-file "$TMP/tok" -c where >"$TMP/a.out" 2>"$TMP/a.err"
rc=$?
expect_rc 0 "the token from --token, asked with --token-file"
[ ! -s "$TMP/a.err" ] || fail "--token-file warns: $(cat "$TMP/a.err")"
printf 'wrong\n' >"$TMP/wrong"
"$TURTLE" -s "127.0.0.1:$P" --token-file "$TMP/wrong" -c where >/dev/null 2>"$TMP/b.err"
rc=$?
expect_rc 3 "a wrong token"
has_line "$TMP/b.err" '^turtle: auth: ' || fail "the auth error"
[ "$(admin_exit "$P" wrong)" = "err forbidden" ] || fail "a wrong admin secret"
[ "$(admin_exit "$P" "$A")" = "ok _exit" ] || fail "the admin secret from --admin-token"
server_gone

# 2. From the environment: no warning, and both work.
printf '%s\n' "$A" >"$TMP/adm"
export TURTLENET_TOKEN="$S" TURTLENET_ADMIN_TOKEN="$A"
start_server -l 127.0.0.1:0
unset TURTLENET_TOKEN TURTLENET_ADMIN_TOKEN
P=$(port)
no_warning || fail "the environment draws a warning"
"$TURTLE" -s "127.0.0.1:$P" -c where >/dev/null 2>"$TMP/c.err"
rc=$?
expect_rc 3 "no token, the server has one from TURTLENET_TOKEN"
TURTLENET_TOKEN=$S "$TURTLE" -s "127.0.0.1:$P" -c where >/dev/null 2>"$TMP/d.err"
rc=$?
expect_rc 0 "the client's TURTLENET_TOKEN"
[ ! -s "$TMP/d.err" ] || fail "TURTLENET_TOKEN warns: $(cat "$TMP/d.err")"
[ "$(admin_exit "$P" "$A")" = "ok _exit" ] || fail "the admin secret from TURTLENET_ADMIN_TOKEN"
server_gone

# 3. From files: --token-file and --admin-token-file.
start_server -l 127.0.0.1:0 --token-file "$TMP/tok" --admin-token-file "$TMP/adm"
P=$(port)
no_warning || fail "the files draw a warning"
server_clean
[ "$(admin_exit "$P" wrong)" = "err forbidden" ] || fail "a wrong admin secret (file)"
[ "$(admin_exit "$P" "$A")" = "ok _exit" ] || fail "the admin secret from --admin-token-file"
server_gone

# 4. On turtle's command line: works, wiped while it runs, warned about.
start_server -l 127.0.0.1:0 --token-file "$TMP/tok"
P=$(port)
"$TURTLE" -s "127.0.0.1:$P" --token "$S" -n w1 --watch >"$TMP/w1.out" 2>"$TMP/w1.err" &
W1=$!
BGPIDS=$W1
wait_for "w1 to watch" watching 1
cmdline_clean "$W1"
grep -qF -- "--token xxxxxxxxxxxxxxxxxx" "$TMP/cmdline" ||
	fail "turtle's wiped --token is not shown as x's: $(cat "$TMP/cmdline")"
has_line "$TMP/w1.err" '^turtle: warning: --token puts the secret where every user can see it \(ps, /proc\) until it is wiped; use --token-file or TURTLENET_TOKEN$' ||
	fail "no warning from turtle --token: $(cat "$TMP/w1.err")"
kill_child "$W1"
wait "$W1"
BGPIDS=
"$TURTLE" -s "127.0.0.1:$P" --token "$S" -c where >"$TMP/f.out" 2>"$TMP/f.err"
rc=$?
expect_rc 0 "turtle --token S -c where"
has_line "$TMP/f.out" '^turtle at <0:0>' || fail "where over TCP: $(cat "$TMP/f.out")"
has_line "$TMP/f.err" '^turtle: warning: --token ' || fail "no warning from -c"
# A TURTLENET_TOKEN too long is a usage error, not a silent cut.
TURTLENET_TOKEN=$(printf '%0129d' 0) "$TURTLE" -s "127.0.0.1:$P" -c where >/dev/null 2>"$TMP/g.err"
rc=$?
expect_rc 2 "a TURTLENET_TOKEN of 129 characters"
has_line "$TMP/g.err" '^turtle: TURTLENET_TOKEN: ' || fail "the long TURTLENET_TOKEN error"
exit 0
