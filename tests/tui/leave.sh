#!/usr/bin/env bash
# leave.sh - Ctrl-D on an empty line leaves as quit does: the others see
# "alice left", not a dropped connection ("left (eof)"); on a line with
# text it does not leave.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 100 30 -n alice
start_client b 100 30 -n bob
wait_screen a " connected | alice"
wait_screen b "alice joined"
wait_screen b " connected | bob"

# Not on a line with text: there it deletes the character under the cursor.
t send-keys -t a -l "say x"
t send-keys -t a C-a C-d
wait_for "Ctrl-D to delete" row_is a 29 "> ay x"
t send-keys -t a C-k
wait_for "an empty line" row_is a 29 ">"
t send-keys -t a C-d
wait_screen a "turtle exited 0"
wait_screen b "alice left"
lacks b "alice left (eof)" || fail "Ctrl-D dropped the connection instead of quitting"
has b "alice left (quit)" || fail "Ctrl-D did not leave as quit: $(screen b | grep 'alice left')"
quit_client b
no_sanitizer_reports
