#!/usr/bin/env bash
# logocomplete.sh - Tab completes Logo too: a procedure another client
# defined (the define event reaches us), a Logo primitive further on in a
# Logo line, and in a definition; commands still come first at the start
# of a line (complete.sh).
. "$(dirname "$0")/lib.sh"

start_server
start_client a 100 30 -n alice
wait_screen a " connected | alice"

# Another client defines a procedure, line by line through the server.
"$TURTLE" -S "$SOCK" --no-start -n bob -c 'to spiral :n;fd :n rt 90;end' ||
	fail "bob could not define spiral"
wait_screen a "bob defined spiral"

t send-keys -t a -l "spi"
t send-keys -t a Tab
wait_for "spiral completed" row_is a 29 "> spiral"
t send-keys -t a C-u
t send-keys -t a -l "repeat 2 [setpe"
t send-keys -t a Tab
wait_for "setpencolor completed" row_is a 29 "> repeat 2 [setpencolor"
t send-keys -t a C-u
t send-keys -t a -l "co"
t send-keys -t a Tab
wait_for "the command first" row_is a 29 "> color"
t send-keys -t a C-u

# In a definition every word is Logo: "co" is cos.
type_line a "to walk"
wait_for "the definition prompt" row_is a 29 "walk>"
t send-keys -t a -l "co"
t send-keys -t a Tab
wait_for "cos completed" row_is a 29 "walk> cos"
t send-keys -t a C-u
t send-keys -t a -l "spi"
t send-keys -t a Tab
wait_for "spiral completed in a definition" row_is a 29 "walk> spiral"
t send-keys -t a Escape
wait_for "the ordinary prompt" row_is a 29 ">"
quit_client a
no_sanitizer_reports
