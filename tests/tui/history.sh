#!/usr/bin/env bash
# history.sh - the command line's history: Up recalls the last command,
# Ctrl-R finds an older one, and the history is still there in the next
# run (kept under $XDG_STATE_HOME/turtlenet/history).
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 24 -n alice
wait_screen a " connected | alice"
type_line a "say first words"
wait_screen a "alice: first words"
type_line a "run 1 0"
wait_screen a "alice moved to <1:0>"

t send-keys -t a Up
wait_for "Up recalls run 1 0" row_is a 23 "> run 1 0"
t send-keys -t a Up
wait_for "Up again recalls the say" row_is a 23 "> say first words"
t send-keys -t a Down Down
wait_for "Down returns to an empty line" row_is a 23 ">"
t send-keys -t a C-r
t send-keys -t a -l "first"
wait_for "Ctrl-R finds the say" has a "first': say first words"
t send-keys -t a C-g
wait_for "Ctrl-G leaves the search" row_is a 23 ">"
quit_client a
test -s "$XDG_STATE_HOME/turtlenet/history" || fail "no history file"

# A new run remembers: quit, then run, then say, newest first.
start_client b 80 24 -n bob
wait_screen b " connected | bob"
t send-keys -t b Up
wait_for "history kept: quit" row_is b 23 "> quit"
t send-keys -t b Up
wait_for "history kept: run" row_is b 23 "> run 1 0"
t send-keys -t b C-u
wait_for "Ctrl-U clears the line" row_is b 23 ">"

# Tab completes command names and what pen and color take.
t send-keys -t b -l "sta"
t send-keys -t b Tab
wait_for "Tab completes stats" row_is b 23 "> stats"
t send-keys -t b C-u
t send-keys -t b -l "color ma"
t send-keys -t b Tab
wait_for "Tab completes a colour" row_is b 23 "> color magenta"
t send-keys -t b C-u
t send-keys -t b -l "w"
t send-keys -t b Tab
wait_for "an ambiguous Tab lists the choices" has b "completions: where who"
t send-keys -t b C-u
quit_client b
no_sanitizer_reports
