#!/usr/bin/env bash
# escape.sh - bytes that would drive a terminal never reach one raw: an
# escape sequence typed into a say shows as \x1b in the log (and the server
# refuses it), the other client sees nothing of it, and the screens keep
# their colours.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 24 -n alice
start_client b 80 24 -n bob
wait_screen a " connected | alice"
wait_screen b " connected | bob"

# Ctrl-V Escape puts a raw ESC into the line, then "[2J" (clear screen)
# and "[31m" (red).
t send-keys -t a -l "say x"
t send-keys -t a C-v Escape
t send-keys -t a -l "[2Jboom"
t send-keys -t a C-v Escape
t send-keys -t a -l "[31mred"
t send-keys -t a Enter
wait_screen a '> say x\x1b[2Jboom\x1b[31mred'
wait_screen a "bad-text"
# The screen was not cleared: the grid and the status line are there.
has a " connected | alice" || fail "the status line is gone"
has a "+ · · ·" || fail "the grid is gone"
# Nothing went out: bob saw no say at all.
type_line a "say clean"
wait_screen b "alice: clean"
lacks b "boom" || fail "bob saw the refused say"
quit_client a
quit_client b
no_sanitizer_reports
