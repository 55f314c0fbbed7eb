# proc.sh - processes and waits for the shell tests (sourced by
# tests/integration/client/lib.sh, tests/tui/lib.sh, tests/install/lib.sh).
#
# Plain POSIX sh: the client's tests run under sh, the terminal ones under
# bash.  The library that sources it sets TESTDIR (the test's private
# directory) and SOCK (turtled's socket) before start_server.  Only
# children of this shell are ever signalled, and every wait is a poll on a
# real condition, bounded by WAIT_SECONDS, never a sleep that hopes.

# FAILED and BGPIDS are the sourcing library's to read and set.
# shellcheck shell=sh disable=SC2034
: "${TURTLED:?TURTLED must name the turtled executable}"
# How long any one condition may take to come true (sanitizer builds are
# slow, a loaded CI machine more so).
WAIT_SECONDS=${WAIT_SECONDS:-15}

SPID=     # the turtled start_server started, while it runs
BGPIDS=   # other children for cleanup to end
FAILED=0  # set by fail: cleanup shows the logs

fail() {
	echo "FAIL: $*" >&2
	FAILED=1
	exit 1
}

# child_alive PID: PID is still a running child of this shell.  A child
# that has exited may have had its PID given to someone else's process
# since: only a live child of ours is ever signalled.
child_alive() {
	s=$(sed -n 's/^.*) \([A-Za-z]\) \([0-9]*\) .*$/\1 \2/p' "/proc/$1/stat" 2>/dev/null)
	[ "${s#* }" = "$$" ] && [ "${s% *}" != Z ]
}

# kill_child PID [SIGNAL]: signals PID (TERM by default) if child_alive.
kill_child() {
	if child_alive "$1"; then
		kill -"${2:-TERM}" "$1" 2>/dev/null
	fi
	return 0
}

# wait_for DESCRIPTION COMMAND...: polls every 50 ms until COMMAND
# succeeds.  The command runs anew each time: give it a function, not
# "$(...)", which the shell expands once, before the first try.
wait_for() {
	desc=$1
	shift
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le $((WAIT_SECONDS * 20)) ] ||
			fail "timed out waiting for $desc"
		sleep 0.05
	done
}

# ready_more N: server.err has more than N "ready" lines (a restart's).
ready_more() {
	[ "$(grep -c "ready on $SOCK" "$TESTDIR/server.err")" -gt "$1" ]
}

# start_server [turtled args...]: turtled -f on $SOCK, logging to
# TESTDIR/log, its stderr added to TESTDIR/server.err; back once this one
# (not an earlier one) is ready.
start_server() {
	touch "$TESTDIR/server.err"
	n=$(grep -c "ready on $SOCK" "$TESTDIR/server.err")
	"$TURTLED" -f -S "$SOCK" --log "$TESTDIR/log" "$@" 2>>"$TESTDIR/server.err" &
	SPID=$!
	wait_for "turtled to be ready" ready_more "$n"
}

# stop_server: SIGTERM, bounded wait, SIGKILL as the last resort.
stop_server() {
	kill_child "$SPID"
	i=0
	while child_alive "$SPID" && [ $i -lt $((WAIT_SECONDS * 20)) ]; do
		i=$((i + 1))
		sleep 0.05
	done
	kill_child "$SPID" KILL
	wait "$SPID" 2>/dev/null
	SPID=
}

# stop_children: what is left at cleanup, BGPIDS and then turtled.
stop_children() {
	for p in $BGPIDS; do
		kill_child "$p"
	done
	if [ -n "$SPID" ]; then
		stop_server
	fi
}

# show_tails FILE...: the last 40 lines of each FILE there is, on stderr.
show_tails() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		echo "--- $f" >&2
		tail -n 40 "$f" >&2
	done
}

# private_dir NAME: the test's private directory, /tmp/NAME.XXXXXX, in
# TMP and TESTDIR (SOCK inside it), with HOME and the XDG directories in
# it so nothing outside is touched; on any exit the children are ended,
# the logs shown if the test failed, and the directory removed.
private_dir() {
	TMP=$(mktemp -d "/tmp/$1.XXXXXX") || exit 1
	TESTDIR=$TMP
	SOCK=$TMP/sock
	export HOME="$TMP/home" XDG_STATE_HOME="$TMP/state"
	export XDG_RUNTIME_DIR="$TMP/run"
	export USER=tester LANG=C.UTF-8
	unset NO_COLOR
	mkdir -m 700 "$HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
	trap private_dir_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

private_dir_cleanup() {
	stop_children
	if [ "$FAILED" != 0 ]; then
		show_tails "$TMP"/*.out "$TMP"/*.err "$TMP"/log
	fi
	rm -rf "$TMP"
}
