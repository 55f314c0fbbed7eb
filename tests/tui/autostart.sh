#!/usr/bin/env bash
# autostart.sh - the interactive client starts turtled only on the
# default socket, and says so in the log; that server outlives the client
# and quit says so too, with the command that stops it.  A socket named
# with -S that nothing answers (a typo) starts nothing, leaves no .lock
# and says how to start a server there.
. "$(dirname "$0")/lib.sh"

DEF=$XDG_RUNTIME_DIR/turtlenet/default

# A turtled started here is a daemon, not our child: stopped at the end
# by the command for it, or by its pid (on the mistyped socket too, where
# a client that gets it wrong would have started one).
stop_daemon() {
	for a in "" "-S $DIR/typo"; do
		# shellcheck disable=SC2086
		"$TURTLE" $a --no-start -n stopper -c _exit >/dev/null 2>&1
		# shellcheck disable=SC2086
		pid=$("$TURTLE" $a status -W 1 2>/dev/null |
			sed -n 's/^turtled pid=\([0-9]*\) .*/\1/p')
		[ -z "$pid" ] || kill -TERM "$pid" 2>/dev/null
	done
}
trap 'stop_daemon; cleanup' EXIT

# A mistyped -S: exit 3, the way to start one there, nothing created.
CLIENT_START=1 CLIENT_ADDR="-S $DIR/typo" start_client typo 100 30 -n alice
wait_screen typo "turtle exited 3"
has_joined typo "(turtle starts turtled only on the default socket; start one here with: turtled -S $DIR/typo)" ||
	fail "no word on how to start a server there"
[ ! -e "$DIR/typo" ] || fail "a server was started on the mistyped socket"
[ ! -e "$DIR/typo.lock" ] || fail "the mistyped socket got a .lock"

# The default socket: started, and the log says so.
# Stacked, the log as wide as the pane.
CLIENT_START=1 CLIENT_ADDR="" start_client a 99 40 -n alice
wait_screen a " connected | alice"
# (The log row breaks between words: blanks and newlines fold to one.)
wait_screen a "started turtled on unix:"
screen a | tr -s ' \n' ' ' | grep -qF "started turtled on unix:$DEF: nothing answered there; it keeps running after you quit (_exit stops it)" ||
	fail "the log does not say why it started one"
[ -S "$DEF" ] || fail "no server on $DEF"

# Quit: the server stays, and the client says so as it leaves.
type_line a quit
wait_screen a "turtle exited 0"
has_joined a "turtle: the turtled started for you on unix:$DEF keeps running; turtle -c _exit stops it" ||
	fail "quit did not say the server keeps running"
"$TURTLE" --no-start -n probe -c where >/dev/null 2>&1 || fail "the server did not outlive the client"

# A client that started nothing says nothing of it.
t kill-session -t a
CLIENT_START=1 CLIENT_ADDR="" start_client b 99 40 -n bob
wait_screen b " connected | bob"
lacks b "started turtled" || fail "a client that found a server says it started one"
type_line b quit
wait_screen b "turtle exited 0"
lacks b "keeps running" || fail "a client that started nothing says the server keeps running"
no_sanitizer_reports
