#!/usr/bin/env bash
# keys.sh - the keys of the screen: the help overlay (? on an empty line,
# F1), a paste of several lines asks first, PgUp/PgDn scroll the log,
# Shift/Ctrl+arrows pan the grid (under TERM=screen too) and F2 follows
# the turtle again.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 100 30 -n alice
wait_screen a " connected | alice"

t send-keys -t a -l "?"
wait_screen a "help: any key closes"
wait_screen a "run DX DY"
t send-keys -t a x
wait_gone a "help: any key closes"
test "$(row a 29)" = ">" || fail "the closing key was typed"
t send-keys -t a F1
wait_screen a "help: any key closes"
t send-keys -t a Escape
wait_gone a "help: any key closes"
# On a line that is not empty ? is just a character.
t send-keys -t a -l "say what?"
wait_for "? typed" row_is a 29 "> say what?"
t send-keys -t a C-u

# Three lines in one go are a paste: asked about, sent on y.
t send-keys -t a -l $'say one\rsay two\rsay three\r'
wait_screen a "send 3 pasted lines? [y/n]"
lacks a "alice: one" || fail "sent before the answer"
t send-keys -t a y
wait_screen a "alice: three"
has a "alice: one" || fail "line one lost"
t send-keys -t a -l $'say four\rsay five\r'
wait_screen a "send 2 pasted lines? [y/n]"
t send-keys -t a n
wait_screen a "2 pasted lines not sent"
lacks a "alice: four" || fail "sent after no"

# Scrollback: fill the log (one line a say), page up, the newest line goes
# out of view.
for i in $(seq 1 40); do
	type_line a "say line $i"
	wait_screen a "alice: line $i"
done
t send-keys -t a PPage
wait_screen a "more rows below, PgDn"
lacks a "alice: line 40" || fail "PgUp did not scroll"
t send-keys -t a NPage
wait_gone a "more rows below"
wait_screen a "alice: line 40"

# Panning: 100x30 is wide, grid 66 columns (33 cells), view x -16..16.
wait_screen a "| free |"
t send-keys -t a C-Right
wait_screen a "panned (F2)"
t send-keys -t a S-Left S-Up
wait_screen a "panned (F2)"
t send-keys -t a F2
wait_gone a "panned (F2)"
quit_client a

# TERM=screen (tmux's default) does not describe the modified arrows:
# they still pan, and none of their bytes land on the command line.
CLIENT_ENV="TERM=screen" start_client s 100 30 -n screen
wait_screen s " connected | screen"
t send-keys -t s S-Left
wait_screen s "panned (F2)"
t send-keys -t s F2
wait_gone s "panned (F2)"
t send-keys -t s C-Up
wait_screen s "panned (F2)"
t send-keys -t s M-Left C-S-Right S-Down M-Up
t send-keys -t s -l "say typed"
wait_for "only the typed text on the line" row_is s 29 "> say typed"
t send-keys -t s C-u
quit_client s
no_sanitizer_reports
