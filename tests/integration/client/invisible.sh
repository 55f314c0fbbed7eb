#!/bin/sh
# invisible.sh - invisible and bidirectional characters (U+202E, U+200B,
# the BOM, ...) never reach a terminal raw: turtled refuses them in say
# text and names the code point, and what a hostile server sends anyway
# shows as \u{XXXX} in --watch, --watch --raw and headless replies.
. "$(dirname "$0")/lib.sh"

command -v socat >/dev/null || fail "socat is needed"
RLO=$(printf '\342\200\256')  # U+202E right-to-left override
ZWSP=$(printf '\342\200\213') # U+200B zero-width space
BOM=$(printf '\357\273\277')  # U+FEFF zero-width no-break space
LRI=$(printf '\342\201\246')  # U+2066 left-to-right isolate

# no_raw_hidden FILE: none of them, raw, in FILE.
no_raw_hidden() {
	for c in "$RLO" "$ZWSP" "$BOM" "$LRI"; do
		if LC_ALL=C grep -qF -- "$c" "$1"; then
			fail "$1 holds a raw invisible character: $(od -c "$1" | head -20)"
		fi
	done
	no_raw_controls "$1"
}

# Against turtled: refused, named, and nobody sees them.
start_server
T() { "$TURTLE" -S "$SOCK" --no-start "$@"; }
# Started directly, not through T: "T ... &" backgrounds a subshell, and
# killing that would leave the watcher running (it outlives servers).
"$TURTLE" -S "$SOCK" --no-start -n w1 --watch >"$TMP/w1.out" 2>"$TMP/w1.err" &
W1=$!
"$TURTLE" -S "$SOCK" --no-start -n w2 --watch --raw >"$TMP/w2.out" 2>"$TMP/w2.err" &
W2=$!
BGPIDS="$W1 $W2"
wait_for "w1 and w2 to watch" watching 2
T -n alice -c "say pay${RLO}bob" >"$TMP/a.out" 2>"$TMP/a.err"
rc=$?
expect_rc 1 "say with U+202E"
has_line "$TMP/a.err" '^turtle: bad-text: U\+202E is not allowed: an invisible or bidirectional formatting character \(at byte 4\)$' ||
	fail "the refusal names U+202E: $(cat "$TMP/a.err")"
T -n alice -c "say zero${ZWSP}width" >"$TMP/b.out" 2>"$TMP/b.err"
rc=$?
expect_rc 1 "say with U+200B"
has_line "$TMP/b.err" '^turtle: bad-text: U\+200B is not allowed' ||
	fail "the refusal names U+200B: $(cat "$TMP/b.err")"
T -n alice -c "say ${LRI}x; say x${BOM}" >"$TMP/c.out" 2>"$TMP/c.err"
rc=$?
expect_rc 1 "say with U+2066 and U+FEFF"
T -n alice -c 'say done' >/dev/null 2>"$TMP/d.err" || fail "say done: $(cat "$TMP/d.err")"
wait_for "w1 to see done" has_line "$TMP/w1.out" ' alice: done$'
wait_for "w2 to see done" has_line "$TMP/w2.out" 'text=done$'
[ "$(grep -c ' alice: ' "$TMP/w1.out")" = 1 ] || fail "w1 saw a refused say"
[ "$(grep -c ' say ' "$TMP/w2.out")" = 1 ] || fail "w2 saw a refused say"
for f in a b c; do
	cat "$TMP/$f.out" "$TMP/$f.err" >"$TMP/$f.all"
	no_raw_hidden "$TMP/$f.all"
done
kill_child "$W1"
kill_child "$W2"
wait "$W1" "$W2"
BGPIDS=
no_raw_hidden "$TMP/w1.out"
no_raw_hidden "$TMP/w2.out"
stop_server

# A hostile server (turtled would not send these): raw in the line, and
# as the wire's \xNN escapes.
{
	echo 'ok hello cid=1 name=w given=w version=1 mode=free'
	echo 'snap world half_w=10 half_h=10 x=0 y=0 heading=0 pen=down color=default segs=0 dropped=0'
	echo 'snap end seq=0 mode=free turn=0 clients=1'
	echo 'evt 1 join cid=2 name=mallory'
	printf '%s\n' "evt 2 say cid=2 name=mallory text=\"pay${RLO}bob zero${ZWSP}width\""
	printf '%s\n' 'evt 3 say cid=2 name=mallory text="fed\xe2\x80\xaecba \xef\xbb\xbf"'
	printf '%s\n' "evt 4 join cid=3 name=\"${LRI}eve\""
	echo 'evt 5 say cid=2 name=mallory text="plain caf\xc3\xa9"'
	printf '%s\n' "evt 6 shutdown reason=\"bye${BOM}\""
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
	expect_rc 0 "$mode: SIGINT after the server's shutdown event"
	cat "$TMP/out" "$TMP/err" >"$TMP/all"
	no_raw_hidden "$TMP/all"
	# A name is ASCII: the join is unreadable, and shown escaped.
	has_line "$TMP/all" 'evt 4 join .*\\u\{2066\}eve' ||
		fail "$mode: the isolate in a name is shown as \\u{2066}"
	case $mode in
	*raw*)
		has_line "$TMP/out" '^evt 2 say cid=2 name=mallory text="pay\\u\{202E\}bob zero\\u\{200B\}width"$' ||
			fail "--raw: the raw U+202E and U+200B are shown as \\u{...}"
		has_line "$TMP/out" '^evt 3 say cid=2 name=mallory text="fed\\xe2\\x80\\xaecba \\xef\\xbb\\xbf"$' ||
			fail "--raw: an escaped line is shown as it came"
		has_line "$TMP/out" '^evt 6 shutdown reason="bye\\u\{FEFF\}"$' ||
			fail "--raw: the BOM is shown as \\u{FEFF}"
		;;
	*)
		has_line "$TMP/out" ' mallory: pay\\u\{202E\}bob zero\\u\{200B\}width$' ||
			fail "--watch: the raw U+202E and U+200B are shown as \\u{...}"
		has_line "$TMP/out" ' mallory: fed\\u\{202E\}cba \\u\{FEFF\}$' ||
			fail "--watch: the wire's escaped U+202E and U+FEFF likewise"
		has_line "$TMP/out" ' server shutting down \(bye\\u\{FEFF\}\)$' ||
			fail "--watch: the BOM in a reason is shown as \\u{FEFF}"
		has_line "$TMP/out" ' mallory: plain café$' ||
			fail "--watch: clean text is shown as it is"
		;;
	esac
done

# Replies and errors in headless mode.
{
	echo 'ok hello cid=1 name=w given=w version=1 mode=free'
	echo 'snap end seq=0 mode=free turn=0 clients=1'
	printf '%s\n' "ok where x=1 y=2 heading=0 pen=down color=\"red${RLO}der\""
	printf '%s\n' "err usage msg=\"bad${ZWSP}\\xe2\\x80\\xae word\""
} >"$TMP/replies"
serve "$TMP/replies" drain
"$TURTLE" -S "$SOCK" --no-start -c 'where; where' >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 1 "headless against the hostile server"
cat "$TMP/out" "$TMP/err" >"$TMP/all"
no_raw_hidden "$TMP/all"
[ "$(cat "$TMP/out")" = 'turtle at <1:2> heading 0, pen down, colour red\u{202E}der' ] ||
	fail "the where reply is escaped: $(cat "$TMP/out")"
[ "$(cat "$TMP/err")" = 'turtle: usage: bad\u{200B}\u{202E} word' ] ||
	fail "the error message is escaped: $(cat "$TMP/err")"
exit 0
