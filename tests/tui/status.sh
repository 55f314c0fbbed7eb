#!/usr/bin/env bash
# status.sh - the status line in a narrow pane keeps whole parts by
# importance (the position before the server's address, never half a
# part), and while the server is away it claims nothing only a live
# connection knows: no cid, no mode or turn, no client count.
. "$(dirname "$0")/lib.sh"

start_server --mode turns --turn-time 3600
start_client n 30 20 -n alice
start_client w 160 30 -n bob
wait_for "the narrow status line" row_is n 18 " connected | alice | <0:0>"
wait_screen w " connected | bob (cid 2) | <0:0> pen down default | turns: alice | 2 clients | unix:$SOCK"

type_line n "pass"
wait_screen w "| turns: YOUR TURN |"
type_line w "run 3 -4"
wait_for "the position at 30 columns" row_is n 18 " connected | alice | <3:-4>"

# The server goes away: what only it knows goes from the status line.
stop_server
wait_screen w " reconnecting"
wait_screen n " reconnecting"
status_w() {
	row w 28
}
for word in "cid" "turns:" "client" "YOUR TURN"; do
	status_w | grep -qF -- "$word" && fail "\"$word\" on the status line while reconnecting: $(status_w)"
done
status_w | grep -qF " | bob | <3:-4> pen down default | unix:$SOCK" ||
	fail "the status line while reconnecting: $(status_w)"
row n 18 | grep -qE '^ reconnecting.* \| <3:-4>' ||
	fail "the narrow status line while reconnecting: $(row n 18)"

# Back: all of it again.
start_server --mode turns --turn-time 3600
wait_screen w " connected | bob (cid "
wait_screen w " | 2 clients | "
quit_client n
quit_client w
no_sanitizer_reports
