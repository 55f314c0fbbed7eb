#!/bin/sh
# tarpit.sh - a TCP address where connect() never completes (the backlog
# of a listener that never accepts is full): headless mode gives up after
# its connect deadline, well before the kernel's minutes, with a clear
# error and exit status 3.  (tests/tui/tcp.sh has the screen's side.)
. "$(dirname "$0")/lib.sh"

: "${TARPIT:?TARPIT must name the client_tarpit helper}"
"$TARPIT" >"$TMP/tarpit.port" 2>"$TMP/tarpit.err" &
BGPIDS="$BGPIDS $!"
wait_for "the tarpit's port" test -s "$TMP/tarpit.port"
port=$(cat "$TMP/tarpit.port")

# The deadline is 10 s; the kernel alone would wait about two minutes.
timeout 60 "$TURTLE" -s "127.0.0.1:$port" -c where >"$TMP/c.out" 2>"$TMP/c.err"
rc=$?
expect_rc 3 "headless against a server that never answers"
has_line "$TMP/c.err" "^turtle: connecting to tcp:127\\.0\\.0\\.1:$port: Connection timed out\$" ||
	fail "the timeout message: $(cat "$TMP/c.err")"
[ ! -s "$TMP/c.out" ] || fail "something printed on stdout"
exit 0
