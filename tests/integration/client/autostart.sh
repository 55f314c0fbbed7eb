#!/bin/sh
# autostart.sh - turtle starts turtled itself when nothing answers on the
# default socket (under $XDG_RUNTIME_DIR), and says so on stderr; finds
# the turtled it was built with, never starts a second one; --no-start
# really does not start one, and neither does a socket named with -S (a
# typo there starts nothing, leaves no .lock, and says how to start one).
. "$(dirname "$0")/lib.sh"

DEF=$XDG_RUNTIME_DIR/turtlenet/default
PIDS=

# server_pid [-S PATH]: the pid from "turtle status" (the default socket).
server_pid() {
	"$TURTLE" "$@" status | sed -n 's/^turtled pid=\([0-9]*\) .*/\1/p'
}

stop_started() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
		wait_for "turtled $p to stop" is_gone "$p"
	done
	PIDS=
}

# ours: every turtled this test started, even one status cannot name
# (its environment holds our private runtime directory).
# shellcheck disable=SC2317
ours() {
	for e in /proc/[0-9]*/environ; do
		p=${e#/proc/}
		p=${p%/environ}
		case $(readlink "/proc/$p/exe" 2>/dev/null) in
		*/turtled | */turtled" (deleted)") ;;
		*) continue ;;
		esac
		tr '\0' '\n' <"$e" 2>/dev/null |
			grep -qx "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR" && echo "$p"
	done
}

# The servers started here are daemons, not our children: none may be
# left behind.
# shellcheck disable=SC2317
at_exit() {
	stop_started
	PIDS=$(ours)
	if [ -n "$PIDS" ]; then
		echo "FAIL: turtled $PIDS outlived the test" >&2
		FAILED=1
		stop_started
		private_dir_cleanup
		exit 1
	fi
	private_dir_cleanup
}
trap at_exit EXIT

# --no-start: no server, no socket, exit 3.
"$TURTLE" --no-start -c where >/dev/null 2>"$TMP/n.err"
rc=$?
expect_rc 3 "--no-start without a server"
[ ! -e "$DEF" ] || fail "--no-start created $DEF"

# Three clients at once on an empty runtime directory: one server for all.
pids=
for n in one two three; do
	"$TURTLE" -n $n -c getcid >"$TMP/$n.out" 2>"$TMP/$n.err" &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
	rc=$?
	expect_rc 0 "an autostarting client"
done
for n in one two three; do
	has_line "$TMP/$n.out" '^your cid is [0-9]+$' || fail "$n got a cid"
done
# The one that started it says so (and that it keeps running).
[ "$(cat "$TMP/one.err" "$TMP/two.err" "$TMP/three.err" |
	grep -c "^turtle: started turtled on unix:$DEF: nothing answered there; it keeps running (turtle -c _exit stops it)$")" = 1 ] ||
	fail "not one word of the start: $(cat "$TMP"/*.err)"
[ -S "$DEF" ] || fail "no socket at $DEF"
[ "$(stat -c %a "$XDG_RUNTIME_DIR/turtlenet")" = 700 ] ||
	fail "the socket directory is not 0700"
PIDS=$(server_pid)
[ -n "$PIDS" ] || fail "turtle status names no pid"

# It is the turtled built beside this turtle.
[ "$(readlink "/proc/$PIDS/exe")" = "$(readlink -f "$TURTLED")" ] ||
	fail "the started server is not $TURTLED"

# The next client uses it, starts nothing and says nothing of it.
"$TURTLE" -n third -c 'run 1 1' >"$TMP/third.out" 2>"$TMP/third.err" ||
	fail "a client of the running server: $(cat "$TMP/third.err")"
[ ! -s "$TMP/third.err" ] || fail "a client that started nothing: $(cat "$TMP/third.err")"
[ "$(server_pid)" = "$PIDS" ] || fail "a second server was started"
"$TURTLE" -n four -c where >"$TMP/four.out" 2>&1 || fail "where"
has_line "$TMP/four.out" '^turtle at <1:1> ' || fail "the state lives on"

# It stops like any turtled; then the next client starts a new one, on
# the same world: it keeps it under $XDG_STATE_HOME/turtlenet/world.
old=$PIDS
stop_started
"$TURTLE" -n five -c where >"$TMP/five.out" 2>&1 || fail "restart"
has_line "$TMP/five.out" '^turtle at <1:1> ' || fail "the world did not last: $(cat "$TMP/five.out")"
[ -f "$XDG_STATE_HOME/turtlenet/world/snapshot" ] ||
	fail "no snapshot in $XDG_STATE_HOME/turtlenet/world"
PIDS=$(server_pid)
if [ -z "$PIDS" ] || [ "$PIDS" = "$old" ]; then
	fail "no fresh server"
fi
stop_started

# -S PATH that nothing answers (a typo): no server, no .lock, exit 3,
# and the way to start one there; in every mode.
for args in "-c getcid" "--watch"; do
	# shellcheck disable=SC2086
	"$TURTLE" -S "$TMP/other" -n six $args >"$TMP/six.out" 2>"$TMP/six.err"
	rc=$?
	expect_rc 3 "turtle -S on a socket nobody answers ($args)"
	has_line "$TMP/six.err" "^turtle: connecting to unix:$TMP/other: No such file or directory \(turtle starts turtled only on the default socket; start one here with: turtled -S $TMP/other\)$" ||
		fail "the way to start a server there: $(cat "$TMP/six.err")"
	[ ! -e "$TMP/other" ] || fail "a server was started on $TMP/other"
	[ ! -e "$TMP/other.lock" ] || fail "$TMP/other.lock was left behind"
done
# -S naming the default socket is the default socket.
"$TURTLE" -S "$DEF" -n seven -c getcid >"$TMP/seven.out" 2>"$TMP/seven.err" ||
	fail "autostart on -S DEFAULT: $(cat "$TMP/seven.err")"
has_line "$TMP/seven.err" '^turtle: started turtled on ' || fail "seven started nothing"
PIDS=$(server_pid)
[ -n "$PIDS" ] || fail "no server on $DEF"
stop_started

# -S in a directory others may write to (no sticky bit): turtle warns (and,
# as on any -S path, starts nothing there: exit 3 with the turtled -S hint);
# turtled refuses the directory unless told --unsafe-socket-dir, and a
# server started there knowingly is reached, still with the warning.
mkdir "$TMP/shared"
chmod 777 "$TMP/shared"
unsafe="directory $TMP/shared is writable by group and others without the sticky bit"
"$TURTLE" -S "$TMP/shared/sock" -c where >/dev/null 2>"$TMP/shared.err"
rc=$?
expect_rc 3 "-S in an unsafe directory, nothing there"
has_line "$TMP/shared.err" "^turtle: warning: $unsafe" ||
	fail "no warning about $TMP/shared: $(cat "$TMP/shared.err")"
has_line "$TMP/shared.err" "turtled -S" ||
	fail "no turtled -S hint: $(cat "$TMP/shared.err")"
[ ! -e "$TMP/shared/sock" ] || fail "a socket in $TMP/shared"
if "$TURTLED" -S "$TMP/shared/sock" --log "$TMP/refused.log" 2>"$TMP/refused.err"; then
	fail "turtled started in an unsafe directory"
fi
has_line "$TMP/refused.err" "$unsafe.*--unsafe-socket-dir" ||
	fail "not why turtled refused: $(cat "$TMP/refused.err")"
"$TURTLED" -S "$TMP/shared/sock" --log "$TMP/shared.log" --unsafe-socket-dir ||
	fail "turtled --unsafe-socket-dir: $(cat "$TMP/shared.log")"
PIDS=$(server_pid -S "$TMP/shared/sock" 2>/dev/null)
[ -n "$PIDS" ] || fail "no server on $TMP/shared/sock"
"$TURTLE" -S "$TMP/shared/sock" -c where >"$TMP/shared.out" 2>"$TMP/shared.err" ||
	fail "turtle -S in an unsafe directory: $(cat "$TMP/shared.err")"
has_line "$TMP/shared.out" '^turtle at <0:0> ' || fail "where, there"
has_line "$TMP/shared.err" "^turtle: warning: $unsafe" ||
	fail "no warning with a server there"
stop_started
# Sticky, as /tmp is: turtled starts there as it is, and turtle says nothing.
chmod 1777 "$TMP/shared"
"$TURTLED" -S "$TMP/shared/sock" --log "$TMP/sticky.log" ||
	fail "turtled in a sticky directory: $(cat "$TMP/sticky.log")"
PIDS=$(server_pid -S "$TMP/shared/sock")
"$TURTLE" -S "$TMP/shared/sock" -c where >/dev/null 2>"$TMP/shared.err"
rc=$?
expect_rc 0 "-S in a sticky directory"
[ ! -s "$TMP/shared.err" ] || fail "a word about a sticky directory: $(cat "$TMP/shared.err")"
stop_started

# A server that cannot start says why, and the exit status is 3.
mkdir -m 700 "$TMP/ro"
chmod 500 "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
	XDG_RUNTIME_DIR=$TMP/ro "$TURTLE" -c where >/dev/null 2>"$TMP/ro.err"
	rc=$?
	expect_rc 3 "a server that cannot bind"
	has_line "$TMP/ro.err" '^turtle: starting turtled failed: ' ||
		fail "the reason it could not start"
fi
# (root may write anywhere; a socket path that is too long fails for all.)
long=$TMP/$(printf '%0100d' 0)
"$TURTLE" -S "$long" -c where >/dev/null 2>"$TMP/long.err"
rc=$?
expect_rc 2 "a socket path too long"
has_line "$TMP/long.err" 'too long' || fail "the too-long message"
exit 0
