#!/usr/bin/env bash
# exit.sh - _exit stops the server for everyone, so the client asks first:
# n, Escape and Enter leave it running, a paste can neither answer the
# question nor send _exit, and only y sends it.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 160 30 -n alice
start_client b 100 30 -n bob
wait_screen a " connected | alice"
wait_screen b " connected | bob"
wait_screen a "bob joined"

Q="stop the server for everyone (2 clients)? [y/N]"
# refused N: the log says N times that _exit was not sent.
refused() {
	[ "$(screen a | grep -c "_exit not sent: the server keeps running")" -ge "$1" ]
}
n=0
for no in n Escape Enter; do
	type_line a "_exit"
	wait_screen a "$Q"
	t send-keys -t a "$no"
	n=$((n + 1))
	wait_for "$no to answer" refused $n
	wait_for "the question gone" row_is a 29 ">"
	child_alive "$SPID" || fail "the server stopped after $no"
done
lacks b "shutting down" || fail "the server said it was stopping"

# Neither a paste's letters nor its lines.
type_line a "_exit"
wait_screen a "$Q"
t send-keys -t a -l $'yes\ryes\r'
has a "$Q" || fail "a paste answered the question"
t send-keys -t a n
wait_for "the question gone" row_is a 29 ">"
t send-keys -t a -l $'say before\r_exit\rsay after\r'
wait_screen a "send 3 pasted lines? [y/n]"
t send-keys -t a y
wait_screen b "alice: after"
wait_screen a "pasted _exit not sent: type it to be asked"
child_alive "$SPID" || fail "a pasted _exit stopped the server"

# y: stopped.
type_line a "_exit"
wait_screen a "$Q"
t send-keys -t a y
wait_screen b "server shutting down"
server_gone() {
	! child_alive "$SPID"
}
wait_for "turtled to stop" server_gone
no_sanitizer_reports
