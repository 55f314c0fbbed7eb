#!/bin/sh
# watch.sh - turtle --watch against a real turtled: one time-stamped
# sentence per event (the evt lines with --raw), the end at SIGINT,
# SIGTERM or the server's shutdown (0), or a lost server (1).
. "$(dirname "$0")/lib.sh"

start_server
T() { "$TURTLE" -S "$SOCK" --no-start "$@"; }
ts='[0-9]{2}:[0-9]{2}:[0-9]{2}'

"$TURTLE" -S "$SOCK" --no-start -n w1 --watch >"$TMP/w1.out" 2>"$TMP/w1.err" &
W1=$!
"$TURTLE" -S "$SOCK" --no-start -n w2 --watch --raw >"$TMP/w2.out" 2>"$TMP/w2.err" &
W2=$!
BGPIDS="$W1 $W2"
wait_for "w1 to join" in_who w1
wait_for "w2 to join" in_who w2

T -n alice -c 'run 3 2; say hello world; pen up; run -1 0; color red; pen down; home; clear; name alice2' \
	>/dev/null 2>"$TMP/a.err" || fail "alice's commands: $(cat "$TMP/a.err")"
wait_for "alice2 leaving" has_line "$TMP/w1.out" "^$ts alice2 left \\(quit\\)$"
for want in \
	"alice joined" \
	"alice moved to <3:2>" \
	"alice: hello world" \
	"alice lifted the pen" \
	"alice moved to <2:2> \\(pen up\\)" \
	"alice switched to red" \
	"alice put down the pen" \
	"alice sent the turtle home to <0:0>" \
	"alice cleared the trail" \
	"alice is now known as alice2"; do
	has_line "$TMP/w1.out" "^$ts $want\$" || fail "w1 lacks \"$want\""
done
# Each watcher sees the same events in the same order, each once.
wait_for "w2 to see alice2 leave" has_line "$TMP/w2.out" 'leave cid=[0-9]+ name=alice2'
[ "$(grep -c 'moved to' "$TMP/w1.out")" = "$(grep -c ' move ' "$TMP/w2.out")" ] ||
	fail "w1 and w2 saw different moves"
has_line "$TMP/w2.out" '^evt [0-9]+ move cid=[0-9]+ name=alice x0=0 y0=0 x=3 y=2 pen=down color=default$' ||
	fail "w2 shows the raw move"
has_line "$TMP/w2.out" '^evt [0-9]+ say cid=[0-9]+ name=alice text="hello world"$' ||
	fail "w2 shows the raw say"
# Sequence numbers only grow, by one.
awk '$1 == "evt" { if (last != "" && $2 != last + 1) exit 1; last = $2 }' \
	"$TMP/w2.out" || fail "w2's sequence numbers have a gap"
# No snapshot lines and no replies leak into the watch.
! grep -Eq '^(snap|ok) ' "$TMP/w2.out" || fail "w2 printed more than events"
[ ! -s "$TMP/w1.err" ] || fail "w1 wrote to stderr"

# SIGINT and SIGTERM end a watch with success.
kill -INT $W1
wait $W1
rc=$?
expect_rc 0 "--watch after SIGINT"
kill -TERM $W2
wait $W2
rc=$?
expect_rc 0 "--watch --raw after SIGTERM"
BGPIDS=

# The server stopping: the shutdown event, then success.
"$TURTLE" -S "$SOCK" --no-start -n w3 --watch >"$TMP/w3.out" 2>"$TMP/w3.err" &
W3=$!
BGPIDS=$W3
wait_for "w3 to join" in_who w3
stop_server
wait $W3
rc=$?
expect_rc 0 "--watch when the server shuts down"
has_line "$TMP/w3.out" "^$ts server shutting down" || fail "w3 shows the shutdown"

# The server dying without a word: an error.
start_server
"$TURTLE" -S "$SOCK" --no-start -n w4 --watch >"$TMP/w4.out" 2>"$TMP/w4.err" &
W4=$!
BGPIDS=$W4
wait_for "w4 to join" in_who w4
kill -KILL "$SPID"
wait "$SPID" 2>/dev/null
SPID=
wait $W4
rc=$?
expect_rc 1 "--watch when the server is killed"
has_line "$TMP/w4.err" "^turtle: (unix:$SOCK closed the connection|connection to unix:$SOCK lost)" ||
	fail "w4 says the server went away"
BGPIDS=

# Nothing to watch: cannot connect.
T --watch >/dev/null 2>&1
rc=$?
expect_rc 3 "--watch without a server"
exit 0
