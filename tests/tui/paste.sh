#!/usr/bin/env bash
# paste.sh - a paste of many lines: the question counts every line of it,
# even when the rest of the paste arrives after the question is up (its
# letters never answer it: "say yes" holds a y), and once confirmed the
# lines go one at a time at the pace the server allows, so a server with a
# tight rate limit takes them all and no "rate" error reaches the log.
. "$(dirname "$0")/lib.sh"

start_server --rate 50 --burst 5
start_client a 100 30 -n alice
start_client b 100 30 -n bob
wait_screen a " connected | alice"
wait_screen b " connected | bob"

# The paste in two parts, the second after the question is on screen.
t send-keys -t a -l $'say one\rsay two\r'
wait_screen a "send 2 pasted lines? [y/n]"
t send-keys -t a -l $'say yes three\rsay no four\r'
wait_screen a "send 4 pasted lines? [y/n]"
lacks a "alice: one" || fail "the rest of the paste answered the question"
t send-keys -t a n
wait_screen a "4 pasted lines not sent"
wait_for "the question gone" row_is a 29 ">"

# Sixty lines through a limit of five at once: asked, then all of them,
# each once and in order, as a watcher sees them.
"$TURTLE" -S "$SOCK" --no-start -n watcher --watch >"$DIR/watch.out" 2>&1 &
WATCHER=$!
wait_for "the watcher" watching 1
for i in $(seq 1 60); do printf 'say pasted %d\n' "$i"; done >"$DIR/paste.txt"
t load-buffer -b p "$DIR/paste.txt"
t paste-buffer -b p -t a
wait_screen a "send 60 pasted lines? [y/n]"
t send-keys -t a y
wait_screen b "alice: pasted 60"
wait_gone a "pasting"
lacks a "rate:" || fail "a rate error reached the log"
wait_for "the watcher has line 60" grep -q "alice: pasted 60$" "$DIR/watch.out"
[ "$(sed -n 's/^.* alice: pasted \([0-9]*\)$/\1/p' "$DIR/watch.out" | tr '\n' ' ')" = \
	"$(seq 1 60 | tr '\n' ' ')" ] || fail "the watcher saw other lines: $(cat "$DIR/watch.out")"
kill -TERM "$WATCHER"
wait "$WATCHER"
# The limit did hold lines back, and they went again.
"$TURTLE" -S "$SOCK" --no-start -n probe -c stats >"$DIR/stats" || fail "stats"
grep -q ' rate_limited=[1-9]' "$DIR/stats" || fail "the limit never held a line back"
quit_client a
quit_client b
no_sanitizer_reports
