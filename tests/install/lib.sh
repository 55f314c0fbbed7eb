# lib.sh - shared by the install tests (sourced).
#
# Each test gets a private directory (mkdtemp) with HOME and the XDG
# directories inside it, so nothing outside is touched; processes and
# bounded waits come from tests/lib/proc.sh; cleanup runs on any exit.
# Beyond the client tests' library: skipping, and finding servers that
# are daemons (an autostarted turtled) rather than children of the test.
set -u

: "${TURTLE:?TURTLE must name the turtle executable}"
# shellcheck source-path=SCRIPTDIR source=../lib/proc.sh
. "$(dirname "$0")/../lib/proc.sh" || exit 1

private_dir turtle-install

# skip REASON: the test cannot run here; ctest reports it as skipped.
skip() {
	echo "SKIP: $*" >&2
	exit 77
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

# procs_of EXE: the pids running the program file EXE (a path only this
# test uses, so each one is ours).
procs_of() {
	for e in /proc/[0-9]*/exe; do
		case $(readlink "$e" 2>/dev/null) in
		"$1" | "$1 (deleted)")
			p=${e#/proc/}
			echo "${p%/exe}"
			;;
		esac
	done
}

# no_procs_of EXE: nothing runs EXE.
no_procs_of() {
	[ -z "$(procs_of "$1")" ]
}

# stop_procs_of EXE: SIGTERM to each, a bounded wait, then SIGKILL; fails
# the test if there were any (nothing may outlive it).
stop_procs_of() {
	left=$(procs_of "$1")
	[ -n "$left" ] || return 0
	echo "FAIL: $1 still running: $left" >&2
	FAILED=1
	for p in $left; do
		kill -TERM "$p" 2>/dev/null
	done
	i=0
	while ! no_procs_of "$1" && [ $i -lt $((WAIT_SECONDS * 20)) ]; do
		i=$((i + 1))
		sleep 0.05
	done
	for p in $(procs_of "$1"); do
		kill -KILL "$p" 2>/dev/null
	done
}

# server_pid ARGS...: the master's pid, from "turtle ARGS status".
server_pid() {
	"$TURTLE" "$@" status | sed -n 's/^turtled pid=\([0-9]*\) .*/\1/p'
}
