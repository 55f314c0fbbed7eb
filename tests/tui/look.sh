#!/usr/bin/env bash
# look.sh - the screen without colour or without UTF-8: NO_COLOR and
# --ascii give a monochrome ASCII picture, a vt100 has no colours, and a
# C locale falls back to ASCII glyphs by itself, as --draw ascii does.  An error is marked with
# "!" in the log, not by colour alone.
. "$(dirname "$0")/lib.sh"

# Any colour on a screen: SGR 30-37, 90-97 or 38;5 from tmux's capture.
coloured() {
	t capture-pane -p -e -t "$1" | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|9[0-7]|38;5)[;m]'
}

start_server
CLIENT_ENV="NO_COLOR=1" start_client a 80 24 -n plain --ascii
wait_screen a " connected | plain"
type_line a "run 3 2"
wait_screen a "plain moved to <3:2>"
wait_cell a 4 46 ">"
cell_is a 6 40 "/" || fail "no ASCII trail"
cell_is a 14 0 "-" || fail "no ASCII rule"
cell_is a 6 20 "+" || fail "no ASCII tick"
type_line a "run 500 0"
wait_screen a "out-of-bounds"
screen a | grep -qE '^[0-9:]{8}!run 500 0: out-of-bounds' || fail "error not marked"
coloured a && fail "colour despite NO_COLOR"

CLIENT_ENV="TERM=vt100" start_client b 80 24 -n mono
wait_screen b " connected | mono"
# Joining later, the view is centred on the turtle at <3:2>.
wait_cell b 6 40 "▶"
coloured b && fail "colour on a vt100"

CLIENT_ENV="LANG=C LC_ALL=C" start_client c 80 24 -n ascii
wait_screen c " connected | ascii"
wait_cell c 6 40 ">"
coloured c || fail "no colour on xterm-256color"

CLIENT_ENV="NO_COLOR=1" start_client d 80 24 -n boxed --draw ascii
wait_screen d " connected | boxed"
wait_cell d 6 40 ">"
cell_is d 14 0 "-" || fail "no ASCII rule with --draw ascii"

quit_client a
quit_client b
quit_client c
quit_client d
no_sanitizer_reports
