#!/bin/sh
# activate.sh - turtled under systemd-socket-activate: the socket exists
# before the server runs, the first client starts it and is answered on
# the passed socket; turtled binds PATH.ping itself when only the stream
# socket is passed, takes a passed PATH.ping too (two activators chained:
# the outer one passes the datagram socket through the inner one), refuses
# -S naming another socket, and never removes the passed socket's file.
. "$(dirname "$0")/lib.sh"

command -v systemd-socket-activate >/dev/null 2>&1 ||
	skip "no systemd-socket-activate (Debian package systemd)"
TURTLED_EXE=$(readlink -f "$TURTLED")
T() { "$TURTLE" --no-start "$@"; }

# activated [ACTIVATOR-ARGS...] -- [TURTLED-ARGS...]: starts the chain in
# the background as SPID (the activators exec, so SPID becomes turtled).
activated() {
	args=
	while [ "$1" != -- ]; do
		args="$args $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	systemd-socket-activate $args "$TURTLED" -f --log "$TMP/log" "$@" \
		2>"$TMP/server.err" &
	SPID=$!
}

# stopped WANT: the server exits (after _exit) with status WANT.
stopped() {
	wait "$SPID"
	rc=$?
	SPID=
	expect_rc "$1" "turtled's exit"
}

# 1. Only the stream socket: systemd-socket-activate binds it and waits.
activated -l "$SOCK" --
wait_for "the socket" test -S "$SOCK"
[ "$(readlink "/proc/$SPID/exe")" != "$TURTLED_EXE" ] ||
	fail "turtled ran before anyone connected"
T -S "$SOCK" -n alice -c 'run 2 3; where' >"$TMP/where.out" 2>&1 ||
	fail "a client of the activated server: $(cat "$TMP/where.out")"
has_line "$TMP/where.out" '^turtle at <2:3> heading' ||
	fail "where: $(cat "$TMP/where.out")"
[ "$(readlink "/proc/$SPID/exe")" = "$TURTLED_EXE" ] ||
	fail "the activator did not become turtled"
[ "$(server_pid -S "$SOCK")" = "$SPID" ] || fail "status names another pid"
[ -S "$SOCK.ping" ] || fail "turtled did not bind $SOCK.ping"
T -S "$SOCK" ping -c 1 -W 5 >"$TMP/ping.out" 2>&1 ||
	fail "ping: $(cat "$TMP/ping.out")"
has_line "$TMP/log" "started: $SOCK," || fail "the log names another socket"
T -S "$SOCK" -c _exit >/dev/null 2>&1 || fail "_exit"
stopped 0
[ -S "$SOCK" ] || fail "turtled removed the socket it was given"
[ ! -e "$SOCK.ping" ] || fail "turtled left the .ping it bound"

# 2. -S naming another socket is refused, with the reason, exit 1.
S2=$TMP/two
activated -l "$S2" -- -S "$TMP/elsewhere"
wait_for "the socket" test -S "$S2"
T -S "$S2" -c where >/dev/null 2>&1 && fail "a refused server answered"
stopped 1
has_line "$TMP/server.err" \
	"^turtled: -S $TMP/elsewhere is not the socket-activated socket $S2\$" ||
	fail "the reason: $(cat "$TMP/server.err")"
[ ! -e "$TMP/elsewhere" ] || fail "turtled bound -S anyway"

# 3. Both sockets passed, -S naming the same one: a ping alone starts it.
S3=$TMP/three
activated -d -l "$S3.ping" systemd-socket-activate -l "$S3" -- -S "$S3"
wait_for "the ping socket" test -S "$S3.ping"
T -S "$S3" ping -c 1 -W 10 >"$TMP/ping3.out" 2>&1 ||
	fail "ping through the passed socket: $(cat "$TMP/ping3.out")"
has_line "$TMP/ping3.out" '1 received' || fail "ping: $(cat "$TMP/ping3.out")"
[ "$(readlink "/proc/$SPID/exe")" = "$TURTLED_EXE" ] ||
	fail "the ping did not start turtled"
T -S "$S3" -n bob -c where >"$TMP/where3.out" 2>&1 ||
	fail "where: $(cat "$TMP/where3.out")"
has_line "$TMP/where3.out" '^turtle at <0:0> ' || fail "where: $(cat "$TMP/where3.out")"
T -S "$S3" -c _exit >/dev/null 2>&1 || fail "_exit"
stopped 0
[ -S "$S3" ] && [ -S "$S3.ping" ] ||
	fail "turtled removed a socket it was given"
exit 0
