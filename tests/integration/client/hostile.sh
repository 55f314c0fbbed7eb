#!/bin/sh
# hostile.sh - a server that sends escape sequences, control bytes and
# invalid UTF-8 (a socat script; turtled itself refuses such text): no raw
# byte of it reaches the terminal, in --watch, --raw or headless replies.
. "$(dirname "$0")/lib.sh"

command -v socat >/dev/null || fail "socat is needed"
ESC=$(printf '\033')
BEL=$(printf '\007')

{
	echo 'ok hello cid=1 name=w given=w version=1 mode=free'
	echo 'snap world half_w=10 half_h=10 x=0 y=0 heading=0 pen=down color=default segs=0 dropped=0'
	echo 'snap end seq=0 mode=free turn=0 clients=1'
	echo 'evt 1 join cid=2 name=mallory'
	printf '%s\n' 'evt 2 say cid=2 name=mallory text="\x1b[2J\x1b]0;pwned\x07 hi"'
	echo "evt 3 say cid=2 name=mallory text=\"raw ${ESC}[5m blink\""
	printf 'evt 4 say cid=2 name=mallory text="bad \377\376 utf8"\n'
	printf '%s\n' 'evt 5 say cid=2 name=mallory text="caf\xc3\xa9 ok \\x1b"'
	printf '%s\n' 'evt 6 shutdown reason="\x1b[31mbye"'
} >"$TMP/events"

for mode in --watch "--watch --raw"; do
	serve "$TMP/events"
	# shellcheck disable=SC2086
	"$TURTLE" -S "$SOCK" --no-start $mode >"$TMP/out" 2>"$TMP/err" &
	wp=$!
	BGPIDS="$BGPIDS $wp"
	# After the shutdown a watch waits for the server to come back.
	wait_for "$mode to wait for the server" has_line "$TMP/err" 'stopped; waiting for it to come back'
	kill -INT "$wp"
	wait_exit "$wp" "$mode to end on SIGINT"
	cat "$TMP/out" "$TMP/err" >"$TMP/all"
	no_raw_controls "$TMP/all"
	! grep -q "$ESC" "$TMP/all" || fail "$mode: a raw ESC got through"
	! grep -q "$BEL" "$TMP/all" || fail "$mode: a raw BEL got through"
	LC_ALL=C.UTF-8 iconv -f UTF-8 -t UTF-8 "$TMP/all" >/dev/null 2>&1 ||
		fail "$mode: invalid UTF-8 got through"
	has_line "$TMP/err" 'not v1: evt 3 say .*\\x1b\[5m blink' ||
		fail "$mode: the raw-ESC line is reported escaped"
	has_line "$TMP/err" 'not v1: evt 4 say .*\\xff\\xfe utf8' ||
		fail "$mode: the invalid UTF-8 line is reported escaped"
	case $mode in
	*raw*)
		has_line "$TMP/out" '^evt 2 say cid=2 name=mallory text="\\x1b\[2J\\x1b\]0;pwned\\x07 hi"$' ||
			fail "--raw shows the escaped evt line as it came"
		;;
	*)
		has_line "$TMP/out" ' mallory joined$' || fail "the join"
		has_line "$TMP/out" ' mallory: café ok \\\\x1b$' ||
			fail "clean UTF-8 kept, a backslash doubled"
		has_line "$TMP/out" 'unreadable event: evt 2 say .*\\\\x1b\[2J' ||
			fail "a say with control characters stays escaped"
		;;
	esac
	expect_rc 0 "$mode: SIGINT after the server's shutdown event"
done

# Replies and errors in headless mode are escaped too.
{
	echo 'ok hello cid=1 name=w given=w version=1 mode=free'
	echo 'snap end seq=0 mode=free turn=0 clients=1'
	printf '%s\n' 'ok where x=1 y=2 heading="\x1b[2J" pen=down color="\x07red"'
	printf '%s\n' 'err usage msg="\x1b]0;pwned\x07 bad"'
} >"$TMP/replies"
serve "$TMP/replies" drain
"$TURTLE" -S "$SOCK" --no-start -c 'where; where' >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 1 "headless against the hostile server"
cat "$TMP/out" "$TMP/err" >"$TMP/all"
no_raw_controls "$TMP/all"
[ "$(cat "$TMP/out")" = 'turtle at <1:2> heading \x1b[2J, pen down, colour \x07red' ] ||
	fail "the where reply is escaped"
[ "$(cat "$TMP/err")" = 'turtle: usage: \x1b]0;pwned\x07 bad' ] ||
	fail "the error message is escaped"

# A line over the protocol's limit is refused, not buffered forever.
{
	echo 'ok hello cid=1 name=w given=w version=1 mode=free'
	echo 'snap end seq=0 mode=free turn=0 clients=1'
	head -c 5000 /dev/zero | tr '\0' a
	echo
} >"$TMP/long"
serve "$TMP/long"
"$TURTLE" -S "$SOCK" --no-start --watch >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 1 "--watch given an over-long line"
has_line "$TMP/err" 'sent a line over 2048 bytes' || fail "the over-long line error"

# Something that is not turtled at all: cannot connect.
printf 'Turtle does not know this command\n\0' >"$TMP/classic"
serve "$TMP/classic" drain
"$TURTLE" -S "$SOCK" --no-start -c where >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 3 "a server that does not speak v1"
has_line "$TMP/err" 'not v1: Turtle does not know this command$' || fail "the not-v1 error"
exit 0
