#!/usr/bin/env bash
# watcher.sh - a turtle --watch beside a user in tmux (issue #15): the user
# sees no "joined" or "left" for it, and the status line and who count the
# user alone, while the watcher sees what the user does.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 30 -n alice
wait_screen a "signed in as alice"
"$TURTLE" -S "$SOCK" --no-start -n eye --watch >"$DIR/watch.out" 2>"$DIR/watch.err" &
WATCHER=$!
BGPIDS=$WATCHER
wait_for "the watcher" watching 1
type_line a "say can you see me"
wait_for "the watcher to see alice" grep -q "alice: can you see me$" "$DIR/watch.out"
type_line a "who"
wait_screen a "1 connected"
lacks a "eye" || fail "alice sees the watcher"
has a "| 1 client" || fail "the status line counts the watcher"
kill -INT "$WATCHER"
wait "$WATCHER"
BGPIDS=
type_line a "say still alone"
wait_screen a "alice: still alone"
lacks a "eye" || fail "alice saw the watcher leave"
quit_client a
no_sanitizer_reports
