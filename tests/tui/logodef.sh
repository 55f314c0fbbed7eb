#!/usr/bin/env bash
# logodef.sh - a Logo definition typed as in UCBLogo: after "to sq :n" the
# prompt is "sq> " until "end", the client holds the lines (the server has
# no procedure until end), then sends them whole and "sq 10" draws on the
# server; a line that leaves a [ open prompts "~ " until it closes.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 100 30 -n alice
wait_screen a " connected | alice"

# where_is TEXT: the server (asked by a client of its own) says TEXT.
where_is() {
	"$TURTLE" -S "$SOCK" --no-start -n probe -c where 2>&1 | grep -qF -- "$1"
}
# pots_is TEXT: what pots prints, on one line, is TEXT.
pots_is() {
	[ "$("$TURTLE" -S "$SOCK" --no-start -n probe -c pots 2>&1 | tr '\n' ' ')" = "$1" ]
}

type_line a "to sq :n"
wait_for "the definition prompt" row_is a 29 "sq>"
type_line a "fd :n rt 90"
type_line a "fd :n"
wait_screen a "sq> fd :n rt 90"
wait_screen a "sq> fd :n"
row_is a 29 "sq>" || fail "the prompt left the definition: $(row a 29)"
# Nothing went yet: the server knows no procedure.
pots_is "" || fail "the server saw the definition before end"
type_line a "end"
wait_for "the ordinary prompt after end" row_is a 29 ">"
wait_screen a "alice defined sq"
wait_for "pots to show sq" pots_is "to sq :n "
type_line a "sq 10"
wait_for "sq 10 to draw" where_is "turtle at <10:10> heading 90"
wait_screen a "alice drew 2 segments"

# An open [ prompts "~ " until it closes; the line runs whole.
type_line a "repeat 2 [fd 1"
wait_for "the list prompt" row_is a 29 "~"
where_is "turtle at <10:10> heading 90" || fail "the open list ran"
type_line a "rt 90]"
wait_for "the ordinary prompt after ]" row_is a 29 ">"
wait_for "the list to run" where_is "turtle at <11:9> heading 270"
lacks a "logo:" || fail "a Logo error: $(screen a | grep 'logo:')"
quit_client a
no_sanitizer_reports
