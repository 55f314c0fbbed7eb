# lib.sh - shared by the tests that drive turtle in a real terminal (sourced).
#
# Every test has a private directory, its own turtled on a socket in it and
# its own tmux server (-S DIR/tmux.sock), so tests run in parallel.  Each
# turtle runs in a tmux session of a fixed size with TERM and LANG set;
# the screen is read with capture-pane, polled every 50 ms up to a bound,
# never slept on.  Cleanup runs on every exit; logs are shown on failure.
set -u

: "${TURTLE:?TURTLE must name the turtle executable}"
: "${TURTLED:?TURTLED must name the turtled executable}"
WAIT_SECONDS=${WAIT_SECONDS:-15}

command -v tmux >/dev/null || { echo "FAIL: tmux is not installed" >&2; exit 1; }

DIR=$(mktemp -d /tmp/turtle-tui.XXXXXX) || exit 1
SOCK=$DIR/sock
TMUX_SOCK=$DIR/tmux.sock
SPID=
BGPIDS=
FAILED=0
export HOME=$DIR/home XDG_STATE_HOME=$DIR/state XDG_RUNTIME_DIR=$DIR/run
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR TMUX
mkdir -m 700 "$HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"

t() {
	tmux -S "$TMUX_SOCK" "$@"
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

cleanup() {
	if [ "$FAILED" != 0 ]; then
		for s in $(t list-sessions -F '#{session_name}' 2>/dev/null); do
			echo "--- screen of $s" >&2
			t capture-pane -p -t "$s" >&2
		done
		for f in "$DIR"/log "$DIR"/server.err "$DIR"/asan.*; do
			[ -f "$f" ] || continue
			echo "--- $f" >&2
			tail -n 40 "$f" >&2
		done
	fi
	t kill-server 2>/dev/null
	for p in $BGPIDS; do
		kill_child "$p"
	done
	[ -n "$SPID" ] && stop_server
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

fail() {
	echo "FAIL: $*" >&2
	FAILED=1
	exit 1
}

# poll DESCRIPTION COMMAND...: every 50 ms until COMMAND succeeds.  The
# command runs anew each time: give it a function, not "$(...)".
poll() {
	desc=$1
	shift
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le $((WAIT_SECONDS * 20)) ] || fail "timed out: $desc"
		sleep 0.05
	done
}

# ready_more N: server.err has more than N "ready" lines (a restart's).
ready_more() {
	[ "$(grep -c "ready on $SOCK" "$DIR/server.err")" -gt "$1" ]
}

# start_server [turtled args...]: a turtled on $SOCK, back once this one
# (not an earlier one) is ready.
start_server() {
	touch "$DIR/server.err"
	n=$(grep -c "ready on $SOCK" "$DIR/server.err")
	"$TURTLED" -f -S "$SOCK" --log "$DIR/log" "$@" 2>>"$DIR/server.err" &
	SPID=$!
	poll "turtled ready" ready_more "$n"
}

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

# start_client SESSION COLS ROWS [turtle args...]: turtle in a new
# session of that size; when it exits the pane says so and waits.
# CLIENT_ENV may add VAR=value words for turtle's environment; CLIENT_ADDR
# replaces "-S $SOCK" (e.g. "-s 127.0.0.1:PORT").
start_client() {
	s=$1 w=$2 h=$3
	shift 3
	[ -f "$DIR/tmux.conf" ] || printf 'set -g status off\nset -s exit-empty off\n' >"$DIR/tmux.conf"
	t -f "$DIR/tmux.conf" new-session -d -s "$s" -x "$w" -y "$h" \
	    env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    HOME="$HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}log_path=$DIR/asan" \
	    UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}log_path=$DIR/asan" \
	    ${CLIENT_ENV:-} \
	    sh -c '"$0" "$@"; echo "turtle exited $?"; exec sleep 3600' \
	    "$TURTLE" ${CLIENT_ADDR:--S $SOCK} --no-start "$@" ||
	    fail "cannot start tmux"
}

screen() {
	t capture-pane -p -t "$1"
}

# has SESSION TEXT: the screen shows TEXT (a fixed string).
has() {
	screen "$1" | grep -qF -- "$2"
}

lacks() {
	! has "$1" "$2"
}

wait_screen() {
	poll "\"$2\" on the screen of $1" has "$1" "$2"
}

wait_gone() {
	poll "\"$2\" gone from the screen of $1" lacks "$1" "$2"
}

# row SESSION N: line N (0 is the top) of the screen.
row() {
	screen "$1" | sed -n "$(($2 + 1))p"
}

# row_is SESSION N TEXT: line N is exactly TEXT (trailing blanks aside).
row_is() {
	[ "$(row "$1" "$2")" = "$3" ]
}

# rows_are SESSION N: the screen has N lines.
rows_are() {
	[ "$(screen "$1" | wc -l)" -eq "$2" ]
}

# cell SESSION ROW COL: the character there (columns counted in characters,
# which is cells as long as nothing is double width).
cell() {
	r=$(row "$1" "$2")
	printf '%s' "${r:$3:1}"
}

cell_is() {
	[ "$(cell "$1" "$2" "$3")" = "$4" ]
}

wait_cell() {
	poll "\"$4\" at row $2 column $3 of $1" cell_is "$1" "$2" "$3" "$4"
}

type_line() {
	t send-keys -t "$1" -l -- "$2"
	t send-keys -t "$1" Enter
}

# The client must end cleanly: quit, exit status 0, no sanitizer report.
quit_client() {
	type_line "$1" quit
	wait_screen "$1" "turtle exited 0"
	t kill-session -t "$1"
}

no_sanitizer_reports() {
	for f in "$DIR"/asan.*; do
		[ -f "$f" ] || continue
		cat "$f" >&2
		fail "sanitizer report in $f"
	done
}
