# lib.sh - shared by the tests that drive turtle in a real terminal (sourced).
#
# Every test has a private directory, its own turtled on a socket in it and
# its own tmux server (-S DIR/tmux.sock), so tests run in parallel.  Each
# turtle runs in a tmux session of a fixed size with TERM and LANG set;
# the screen is read with capture-pane, polled every 50 ms up to a bound
# (wait_for, tests/lib/proc.sh), never slept on.  Cleanup runs on every
# exit; logs are shown on failure.
set -u

: "${TURTLE:?TURTLE must name the turtle executable}"
# shellcheck source-path=SCRIPTDIR source=../lib/proc.sh
. "$(dirname "$0")/../lib/proc.sh"

command -v tmux >/dev/null || { echo "FAIL: tmux is not installed" >&2; exit 1; }

DIR=$(mktemp -d /tmp/turtle-tui.XXXXXX) || exit 1
TESTDIR=$DIR
SOCK=$DIR/sock
TMUX_SOCK=$DIR/tmux.sock
export HOME=$DIR/home XDG_STATE_HOME=$DIR/state XDG_RUNTIME_DIR=$DIR/run
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR TMUX
mkdir -m 700 "$HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"

t() {
	tmux -S "$TMUX_SOCK" "$@"
}

cleanup() {
	if [ "$FAILED" != 0 ]; then
		for s in $(t list-sessions -F '#{session_name}' 2>/dev/null); do
			echo "--- screen of $s" >&2
			t capture-pane -p -t "$s" >&2
		done
		show_tails "$DIR"/log "$DIR"/server.err "$DIR"/asan.*
	fi
	t kill-server 2>/dev/null
	stop_children
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

# start_client SESSION COLS ROWS [turtle args...]: turtle in a new
# session of that size; when it exits the pane says so and waits.
# CLIENT_ENV may add VAR=value words for turtle's environment; CLIENT_ADDR
# replaces "-S $SOCK" (e.g. "-s 127.0.0.1:PORT"; "" for the default
# socket); CLIENT_START=1 leaves out --no-start.
start_client() {
	s=$1 w=$2 h=$3
	shift 3
	nostart=--no-start
	[ -z "${CLIENT_START:-}" ] || nostart=
	[ -f "$DIR/tmux.conf" ] || printf 'set -g status off\nset -s exit-empty off\n' >"$DIR/tmux.conf"
	t -f "$DIR/tmux.conf" new-session -d -s "$s" -x "$w" -y "$h" \
	    env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    HOME="$HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
	    XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}log_path=$DIR/asan" \
	    UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}log_path=$DIR/asan" \
	    ${CLIENT_ENV:-} \
	    sh -c '"$0" "$@"; echo "turtle exited $?"; exec sleep 3600' \
	    "$TURTLE" ${CLIENT_ADDR--S $SOCK} $nostart "$@" ||
	    fail "cannot start tmux"
}

screen() {
	t capture-pane -p -t "$1"
}

# screen_words_are SESSION TEXT: the screen, its blanks and newlines
# folded to one space, is exactly TEXT.
screen_words_are() {
	[ "$(screen "$1" | tr -s ' \n' ' ')" = "$2" ]
}

# pane_width_is PANE N: the pane is N columns wide.
pane_width_is() {
	[ "$(t display -p -t "$1" '#{pane_width}')" = "$2" ]
}

# panes_are "WxH ..." PANE...: the panes' sizes, in order, are these.
panes_are() {
	want=$1
	shift
	got=""
	for p in "$@"; do
		got="$got${got:+ }$(t display -p -t "$p" '#{pane_width}x#{pane_height}')"
	done
	[ "$got" = "$want" ]
}

# has_joined SESSION TEXT: the screen, with the rows a long line wraps
# onto joined again, shows TEXT.
has_joined() {
	t capture-pane -p -J -t "$1" | grep -qF -- "$2"
}

# watching N: N watchers (--watch) are connected; who never lists them.
watching() {
	"$TURTLE" -S "$SOCK" --no-start -n probe -c stats | grep -q " watchers=$1 "
}

# has SESSION TEXT: the screen shows TEXT (a fixed string).
has() {
	screen "$1" | grep -qF -- "$2"
}

lacks() {
	! has "$1" "$2"
}

wait_screen() {
	wait_for "\"$2\" on the screen of $1" has "$1" "$2"
}

wait_gone() {
	wait_for "\"$2\" gone from the screen of $1" lacks "$1" "$2"
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
	wait_for "\"$4\" at row $2 column $3 of $1" cell_is "$1" "$2" "$3" "$4"
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
