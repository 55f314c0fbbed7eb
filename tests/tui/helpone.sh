#!/usr/bin/env bash
# helpone.sh - one help: F1, ? and the command help open the same list
# (the commands a user types, getcid and _exit among them, not hello nor
# token=), and help WORD puts one line in the log for a command, a Logo
# primitive or a procedure (its title when this client sent it).
. "$(dirname "$0")/lib.sh"

start_server
# 80x24: the overlay is larger than the screen, so it covers all of it.
start_client a 80 24 -n alice
wait_screen a " connected | alice"

t send-keys -t a F1
wait_screen a "help: any key closes"
screen a >"$DIR/f1"
t send-keys -t a q
wait_gone a "help: any key closes"
t send-keys -t a -l "?"
wait_screen a "help: any key closes"
screen a >"$DIR/q"
t send-keys -t a q
wait_gone a "help: any key closes"
type_line a "help"
wait_screen a "help: any key closes"
screen a >"$DIR/help"
t send-keys -t a q
wait_gone a "help: any key closes"
cmp -s "$DIR/f1" "$DIR/q" || fail "F1 and ? differ: $(diff "$DIR/f1" "$DIR/q")"
cmp -s "$DIR/f1" "$DIR/help" ||
	fail "F1 and help differ: $(diff "$DIR/f1" "$DIR/help")"
for w in "run DX DY" getcid _exit "help [WORD]" forward; do
	grep -qF -- "$w" "$DIR/f1" || fail "the list lacks $w: $(cat "$DIR/f1")"
done
for w in hello token=; do
	grep -qF -- "$w" "$DIR/f1" && fail "the list has $w: $(cat "$DIR/f1")"
done

# help_lines N: the log has N lines that start with "help: ".
help_lines() {
	[ "$(t capture-pane -p -J -t a | grep -c "^[0-9:]* help: ")" = "$1" ]
}
type_line a "help fd"
wait_for "help fd" has_joined a "help: forward (fd) DIST - move forward DIST steps"
help_lines 1 || fail "help fd is not one line: $(screen a)"
type_line a "help getcid"
wait_for "help getcid" has_joined a "help: getcid - show your client id"
help_lines 2 || fail "help getcid is not one line: $(screen a)"
type_line a "to sq :n"
type_line a "fd :n"
type_line a "end"
wait_screen a "alice defined sq"
type_line a "help sq"
wait_for "help sq" has_joined a "help: to sq :n (a procedure"
type_line a "help nosuch"
wait_for "help nosuch" has_joined a "help: no command, Logo word or procedure is called nosuch"
quit_client a
no_sanitizer_reports
