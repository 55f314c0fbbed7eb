#!/usr/bin/env bash
# invisible.sh - invisible and bidirectional characters never reach a
# terminal raw: a say with U+202E (right-to-left override) and U+200B
# (zero-width space) typed in one pane is refused by turtled, with the
# code point named, and shows as \u{202E} and \u{200B} in the sender's
# log; the other pane sees nothing of it.  What a hostile server sends
# anyway shows as \u{XXXX} in the log pane and the status line (the log
# wraps at the pane's width: 200 columns keep each line whole).
. "$(dirname "$0")/lib.sh"

RLO=$'\u202e'
ZWSP=$'\u200b'
BOM=$'\ufeff'

# no_raw_hidden SESSION: the screen holds none of them raw.
no_raw_hidden() {
	screen "$1" >"$DIR/screen.$1"
	for c in "$RLO" "$ZWSP" "$BOM"; do
		if LC_ALL=C grep -qF -- "$c" "$DIR/screen.$1"; then
			fail "the screen of $1 holds a raw invisible character"
		fi
	done
}

start_server
start_client a 200 30 -n alice
start_client b 200 30 -n bob
wait_screen a " connected | alice"
wait_screen b " connected | bob"
wait_screen a "bob joined"

# While typed, the command line shows them as '?'.
t send-keys -t a -l "say pay${RLO}bob zero${ZWSP}width"
wait_screen a "say pay?bob zero?width"
no_raw_hidden a
t send-keys -t a Enter
wait_screen a 'say pay\u{202E}bob zero\u{200B}width: bad-text'
wait_screen a 'U+202E is not allowed'
no_raw_hidden a
# Nothing went out: bob's next say from alice is the clean one.
type_line a "say clean"
wait_screen b "alice: clean"
lacks b "pay" || fail "bob saw the refused say"
no_raw_hidden b
quit_client a
quit_client b

# A hostile server (a socat script: turtled refuses such text) sends them
# raw and as the wire's escapes, in say text, in a name in the turn and
# in the client's own name.
command -v socat >/dev/null || fail "socat is needed"
EVIL=$DIR/evil.sock
{
	printf '%s\n' "ok hello cid=1 name=\"w${RLO}\" given=w version=1 mode=turns"
	echo 'snap world half_w=10 half_h=10 x=0 y=0 heading=0 pen=down color=default segs=0 dropped=0'
	printf '%s\n' "snap client cid=2 name=\"${ZWSP}mallory\" since=0"
	echo 'snap end seq=0 mode=turns turn=2 clients=2'
	printf '%s\n' "evt 1 say cid=2 name=mallory text=\"pay${RLO}bob zero${ZWSP}width\""
	printf '%s\n' 'evt 2 say cid=2 name=mallory text="fed\xe2\x80\xaecba \xef\xbb\xbf!"'
} >"$DIR/evil.lines"
socat UNIX-LISTEN:"$EVIL" \
	SYSTEM:"head -n 1 >/dev/null; cat '$DIR/evil.lines'; cat >/dev/null" \
	2>"$DIR/socat.err" &
BGPIDS="$BGPIDS $!"
wait_for "socat listening" test -S "$EVIL"
CLIENT_ADDR="-S $EVIL" start_client e 160 30 -n w
wait_screen e 'mallory: pay\u{202E}bob zero\u{200B}width'
wait_screen e 'mallory: fed\u{202E}cba \u{FEFF}!'
wait_screen e '| w\u{202E} (cid 1)'
wait_screen e '| turns: \u{200B}mallory'
no_raw_hidden e
type_line e quit
wait_screen e "turtle exited"
no_sanitizer_reports
