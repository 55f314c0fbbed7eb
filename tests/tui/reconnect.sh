#!/usr/bin/env bash
# reconnect.sh - the server goes away: the screen stays, the status line
# says reconnecting, and when a server is back on the socket the client
# signs in again and rebuilds its state from the new snapshot.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 24 -n alice
wait_screen a " connected | alice"
type_line a "run 2 2"
wait_screen a "<2:2> pen down"

stop_server
wait_screen a " reconnecting"
wait_screen a "the server closed the connection; reconnecting"
# The screen is kept while waiting.
has a "<2:2> pen down" || fail "the state was dropped"
type_line a "run 1 1"
wait_screen a "not sent: not connected"

start_server
wait_screen a " connected | alice"
# A new server, a new world: the snapshot replaces the old state.
wait_screen a "<0:0> pen down"
type_line a "run 1 1"
wait_screen a "alice moved to <1:1>"
quit_client a
no_sanitizer_reports
