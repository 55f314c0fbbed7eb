#!/usr/bin/env bash
# tcp.sh - over TCP the screen never waits on a connect.  Against an
# address that never answers (client_tarpit), the first try shows
# "connecting" and every key works: the help, a command refused as not
# connected, quit.  When the server goes away and its port stops
# answering, the client still reacts while it tries, keeps its screen,
# and signs in again (by name, through the resolver) once a server is back.
. "$(dirname "$0")/lib.sh"

: "${TARPIT:?TARPIT must name the client_tarpit helper}"

# start_tarpit [PORT]: sets TP_PID and TP_PORT.
start_tarpit() {
	: >"$DIR/tarpit.port"
	"$TARPIT" ${1:+"$1"} >"$DIR/tarpit.port" 2>>"$DIR/server.err" &
	TP_PID=$!
	BGPIDS="$BGPIDS $TP_PID"
	wait_for "the tarpit's port" test -s "$DIR/tarpit.port"
	TP_PORT=$(cat "$DIR/tarpit.port")
}

stop_tarpit() {
	kill -TERM "$TP_PID"
	wait "$TP_PID" 2>/dev/null
}

# The first try hangs: the screen is up anyway and answers every key.
start_tarpit
CLIENT_ADDR="-s 127.0.0.1:$TP_PORT" start_client a 80 24 -n alice
wait_screen a " connecting | tcp:127.0.0.1:$TP_PORT"
t send-keys -t a F1
wait_screen a "help: any key closes"
t send-keys -t a Escape
wait_gone a "help: any key closes"
type_line a "say anyone there?"
wait_screen a "not sent: not connected"
type_line a quit
wait_screen a "turtle exited 0"
t kill-session -t a
stop_tarpit

# A server on TCP, reached by name.
start_server -l 127.0.0.1:0
port=$(sed -n 's/^turtled: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$DIR/server.err" | tail -n 1)
[ -n "$port" ] || fail "turtled named no TCP port"
CLIENT_ADDR="-s localhost:$port" start_client b 80 24 -n bob
wait_screen b " connected | bob"
type_line b "run 2 0"
wait_screen b "bob moved to <2:0>"

# It goes, and its port stops answering: the tries hang, the screen not.
stop_server
start_tarpit "$port"
wait_screen b " connecting | bob"
type_line b "say still here"
wait_screen b "not sent: not connected"
has b "bob moved to <2:0>" || fail "the screen was not kept"
stop_tarpit

# A server again on the same port: signed in, a fresh world.
start_server -l "127.0.0.1:$port"
wait_screen b " connected | bob"
wait_screen b "<0:0> pen down"
type_line b "run 0 1"
wait_screen b "bob moved to <0:1>"
quit_client b
no_sanitizer_reports
