#!/usr/bin/env bash
# logoescape.sh - Escape or Ctrl-C while a definition is typed drops it:
# the client says so, the prompt is the ordinary one again, and the
# server never saw any of it (pots prints nothing, the name is unknown).
. "$(dirname "$0")/lib.sh"

start_server
start_client a 200 30 -n alice
wait_screen a " connected | alice"

session_gone() {
	! t has-session -t "$1" 2>/dev/null
}

probe() {
	"$TURTLE" -S "$SOCK" --no-start -n probe -c "$1" >"$DIR/probe.out" 2>&1
}

type_line a "to zz :n"
wait_for "the definition prompt" row_is a 29 "zz>"
type_line a "fd :n"
wait_screen a "zz> fd :n"
t send-keys -t a -l "rt 9"
wait_for "the half-typed line" row_is a 29 "zz> rt 9"
t send-keys -t a Escape
wait_screen a "definition of zz dropped (2 lines)"
wait_for "the ordinary prompt" row_is a 29 ">"
probe pots || fail "pots failed: $(cat "$DIR/probe.out")"
[ ! -s "$DIR/probe.out" ] || fail "pots printed: $(cat "$DIR/probe.out")"
probe "zz 3" && fail "zz ran: $(cat "$DIR/probe.out")"
grep -qF "I don't know how to zz" "$DIR/probe.out" ||
	fail "zz is not unknown: $(cat "$DIR/probe.out")"

# Ctrl-C drops an open list the same way, and the client stays.
type_line a "repeat 3 [fd 1"
wait_for "the list prompt" row_is a 29 "~"
t send-keys -t a C-c
wait_screen a "open list dropped (1 line);"
wait_for "the ordinary prompt" row_is a 29 ">"
lacks a "turtle exited" || fail "Ctrl-C in a list left the client"
probe where || fail "where failed"
grep -qF "turtle at <0:0>" "$DIR/probe.out" ||
	fail "the list ran: $(cat "$DIR/probe.out")"
# The Ctrl-C reached the wrapping shell too (tmux sends SIGINT to the
# whole foreground group), which then ends with turtle: the pane goes.
type_line a quit
wait_for "the client to leave" session_gone a
no_sanitizer_reports
