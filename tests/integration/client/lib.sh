# lib.sh - shared by the turtle client's end-to-end tests (sourced).
#
# Each test gets a private directory (mkdtemp), its own turtled on a socket
# in it, and HOME/XDG directories inside it so nothing outside is touched.
# Waits are bounded polls on a real condition; cleanup runs on any exit.
set -u

: "${TURTLE:?TURTLE must name the turtle executable}"
: "${TURTLED:?TURTLED must name the turtled executable}"
# How long any one condition may take to come true (sanitizer builds are
# slow, a loaded CI machine more so).
WAIT_SECONDS=${WAIT_SECONDS:-15}

TMP=$(mktemp -d /tmp/turtle-client.XXXXXX) || exit 1
SOCK=$TMP/sock
SPID=
BGPIDS=
FAILED=0

export HOME="$TMP/home" XDG_STATE_HOME="$TMP/state"
export XDG_RUNTIME_DIR="$TMP/run"
export USER=tester LANG=C.UTF-8
unset NO_COLOR
mkdir -m 700 "$HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"

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

cleanup() {
	for p in $BGPIDS; do
		kill_child "$p"
	done
	[ -n "$SPID" ] && stop_server
	if [ "$FAILED" != 0 ]; then
		for f in "$TMP"/*.out "$TMP"/*.err "$TMP"/log; do
			[ -f "$f" ] || continue
			echo "--- $f" >&2
			tail -n 40 "$f" >&2
		done
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $*" >&2
	FAILED=1
	exit 1
}

# wait_for DESCRIPTION COMMAND...: polls every 50 ms until COMMAND succeeds.
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

# start_server [turtled args...]: turtled -f on $SOCK, back when ready.
start_server() {
	"$TURTLED" -f -S "$SOCK" --log "$TMP/log" "$@" 2>"$TMP/server.err" &
	SPID=$!
	wait_for "turtled to be ready" grep -q "ready on $SOCK" "$TMP/server.err"
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

# is_gone PID: the process has exited (used for processes not our own).
is_gone() {
	! kill -0 "$1" 2>/dev/null
}

# has_line FILE PATTERN: a line of FILE matches the extended regex.
has_line() {
	grep -Eq -- "$2" "$1"
}

# expect_rc WANT DESCRIPTION: checks $rc, which the caller sets.
# shellcheck disable=SC2154
expect_rc() {
	[ "$rc" = "$1" ] || fail "$2: exit status $rc, expected $1"
}

# no_raw_controls FILE: nothing a terminal would act on (ESC, BEL, CSI...).
no_raw_controls() {
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1"; then
		fail "$1 holds a raw control character"
	fi
}

# in_who NAME: the server lists NAME as connected.
in_who() {
	"$TURTLE" -S "$SOCK" --no-start -n probe -c who | grep -Eq " $1 +idle"
}
