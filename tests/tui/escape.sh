#!/usr/bin/env bash
# escape.sh - bytes that would drive a terminal never reach one raw: an
# escape sequence typed into a say shows as \x1b in the log (and the server
# refuses it), the other client sees nothing of it, and the screens keep
# their colours; what a hostile server sends is shown escaped too.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 24 -n alice --draw box
start_client b 80 24 -n bob
wait_screen a " connected | alice"
wait_screen b " connected | bob"

# Ctrl-V Escape puts a raw ESC into the line, then "[2J" (clear screen)
# and "[31m" (red).
t send-keys -t a -l "say x"
t send-keys -t a C-v Escape
t send-keys -t a -l "[2Jboom"
t send-keys -t a C-v Escape
t send-keys -t a -l "[31mred"
t send-keys -t a Enter
wait_screen a 'say x\x1b[2Jboom\x1b[31mred: bad-text' 
# The screen was not cleared: the grid and the status line are there.
has a " connected | alice" || fail "the status line is gone"
has a "+ · · ·" || fail "the grid is gone"
# Nothing went out: bob saw no say at all.
type_line a "say clean"
wait_screen b "alice: clean"
lacks b "boom" || fail "bob saw the refused say"
# A backslash shows as typed, doubled only where it would pass for an
# escape: C:\temp stays C:\temp, a typed \x07 shows as \\x07.
type_line a 'say C:\temp and \x07'
wait_screen b 'alice: C:\temp and \\x07'
lacks b 'C:\\temp' || fail "a backslash doubled"
quit_client a
quit_client b

# A hostile server (a socat script: turtled refuses such text) sends
# names and texts full of escape sequences, escaped and raw: the screen
# shows them as \xNN, and neither the screen nor the pane title changes
# (the log wraps at the pane's width: 200 columns keep each line whole).
command -v socat >/dev/null || fail "socat is needed"
EVIL=$DIR/evil.sock
{
	echo 'ok hello cid=1 name=w given=w version=1 mode=free'
	echo 'snap world half_w=10 half_h=10 x=0 y=0 heading=0 pen=down color=default segs=0 dropped=0'
	echo 'snap client cid=2 name=mallory since=0'
	echo 'snap end seq=0 mode=free turn=0 clients=2'
	printf '%s\n' 'evt 1 say cid=2 name=mallory text="\x1b[2J\x1b]2;pwned\x07 hi"'
	printf '%s\n' 'evt 2 join cid=3 name="\x1b[7mevil"'
	printf 'evt 3 say cid=2 name=mallory text="raw \033[5m blink"\n'
	printf 'evt 4 say cid=3 name=x text="bad \377 utf8"\n'
} >"$DIR/evil.lines"
socat UNIX-LISTEN:"$EVIL" \
	SYSTEM:"head -n 1 >/dev/null; cat '$DIR/evil.lines'; cat >/dev/null" \
	2>"$DIR/socat.err" &
BGPIDS="$BGPIDS $!"
wait_for "socat listening" test -S "$EVIL"
CLIENT_ADDR="-S $EVIL" start_client e 200 30 -n w
# Events the client refuses are reported with what they said, escaped;
# lines that are not v1 at all likewise.
wait_screen e 'text=\x1b[2J\x1b]2;pwned\x07'
wait_screen e 'name=\x1b[7mevil'
wait_screen e 'unreadable line from the server: evt 4 say'
has e 'unreadable line from the server: evt 3 say' || fail "the raw-ESC line"
has e '\x1b[5m' || fail "the raw ESC shown escaped"
has e '\xff' || fail "the invalid UTF-8 shown escaped"
has e " connected | w (cid 1)" || fail "the screen was cleared"
[ "$(t display -p -t e '#{pane_title}')" != pwned ] || fail "the title was set"
type_line e quit
wait_screen e "turtle exited"
no_sanitizer_reports
