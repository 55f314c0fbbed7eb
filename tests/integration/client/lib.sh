# lib.sh - shared by the turtle client's end-to-end tests (sourced).
#
# Each test gets a private directory (mkdtemp), its own turtled on a socket
# in it, and HOME/XDG directories inside it so nothing outside is touched.
# Waits are bounded polls on a real condition (tests/lib/proc.sh); cleanup
# runs on any exit.
set -u

: "${TURTLE:?TURTLE must name the turtle executable}"
# shellcheck source-path=SCRIPTDIR source=../../lib/proc.sh
. "$(dirname "$0")/../../lib/proc.sh"

private_dir turtle-client

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

# watching N: N watchers (--watch) are connected; who never lists them.
watching() {
	"$TURTLE" -S "$SOCK" --no-start -n probe -c stats | grep -q " watchers=$1 "
}

# serve FILE [drain]: a hostile server (socat) for one connection that gets FILE once the client's
# hello is in, then (with "drain") reads until the client closes, or ends.
serve() {
	then=:
	[ "${2:-}" = drain ] && then="cat >/dev/null"
	# The last one removes its socket as it exits, which may be after
	# its client is gone (a --watch killed once it has read all): let it
	# first, or it takes the new one's.
	[ -z "${SOCAT:-}" ] || wait_for "the last socat to end" socat_gone "$SOCAT"
	rm -f "$SOCK"
	socat UNIX-LISTEN:"$SOCK" \
		SYSTEM:"head -n 1 >/dev/null; cat '$1'; $then" 2>"$TMP/socat.err" &
	SOCAT=$!
	BGPIDS="$BGPIDS $SOCAT"
	wait_for "socat to listen" test -S "$SOCK"
}

socat_gone() {
	! child_alive "$1"
}

# wait_exit PID WHAT: waits (bounded) for a child of ours to end, then
# reaps it; its status is in rc.  A bare "wait" would hang the test until
# ctest's timeout if the child never ended.
wait_exit() {
	wait_for "$2" socat_gone "$1"
	wait "$1"
	rc=$?
}
