#!/usr/bin/env bash
# complete.sh - Tab shows the choices in the log once: pressing it again
# on the same word adds nothing, a different word gets its own list, and
# a single choice is completed on the command line.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 100 30 -n alice
wait_screen a " connected | alice"

# lists_are N: the log holds N lines of completions.
lists_are() {
	[ "$(screen a | grep -c "completions: ")" = "$1" ]
}

t send-keys -t a -l "c"
t send-keys -t a Tab Tab
t send-keys -t a -l "o"
wait_for "the typing after Tab Tab" row_is a 29 "> co"
wait_screen a "completions: clear color"
lists_are 1 || fail "Tab Tab listed the choices twice: $(screen a | grep completions)"
t send-keys -t a Tab
wait_for "color completed" row_is a 29 "> color"
t send-keys -t a C-u
t send-keys -t a -l "p"
t send-keys -t a Tab Tab Tab
t send-keys -t a -l "e"
wait_for "the typing after three Tabs" row_is a 29 "> pe"
wait_screen a "completions: pass pen"
lists_are 2 || fail "not one list per word: $(screen a | grep completions)"
t send-keys -t a C-u
wait_for "an empty line" row_is a 29 ">"
quit_client a
no_sanitizer_reports
