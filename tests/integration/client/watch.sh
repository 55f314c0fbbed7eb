#!/bin/sh
# watch.sh - turtle --watch against a real turtled: one time-stamped
# sentence per event (the evt lines with --raw); a watcher is no user
# (nobody sees it join or leave, who does not list it); the end at SIGINT
# or SIGTERM (0); a server that stops or dies is waited for, and the watch
# goes on with the new one, missing nothing and repeating nothing.
. "$(dirname "$0")/lib.sh"

start_server
T() { "$TURTLE" -S "$SOCK" --no-start "$@"; }
ts='[0-9]{2}:[0-9]{2}:[0-9]{2}'

"$TURTLE" -S "$SOCK" --no-start -n w1 --watch >"$TMP/w1.out" 2>"$TMP/w1.err" &
W1=$!
"$TURTLE" -S "$SOCK" --no-start -n w2 --watch --raw >"$TMP/w2.out" 2>"$TMP/w2.err" &
W2=$!
BGPIDS="$W1 $W2"
wait_for "w1 and w2 to watch" watching 2
# Watchers are not users: not in who, no join for anyone to see.
"$TURTLE" -S "$SOCK" --no-start -n probe -c who >"$TMP/who.out" || fail "who"
! has_line "$TMP/who.out" ' w[12] ' || fail "who lists a watcher: $(cat "$TMP/who.out")"
has_line "$TMP/who.out" '^1 connected$' || fail "who counts a watcher: $(cat "$TMP/who.out")"

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
! grep -Eq 'w[12] (joined|left)' "$TMP/w1.out" || fail "a watcher was announced"
! grep -Eq '(join|leave) cid=[0-9]+ name=w[12]' "$TMP/w2.out" || fail "a watcher's join or leave was sent"
# A watcher only watches: nothing it does would show who did it.
printf 'hello 1 sneaky role=watcher\nsay boo\nrun 1 1\nwho\nquit\n' |
	socat -t 5 - UNIX-CONNECT:"$SOCK" >"$TMP/sneaky.out" 2>&1
has_line "$TMP/sneaky.out" '^ok hello .* role=watcher$' || fail "role=watcher: $(cat "$TMP/sneaky.out")"
[ "$(grep -c '^err forbidden msg="a watcher only watches' "$TMP/sneaky.out")" = 2 ] ||
	fail "a watcher's say and run: $(cat "$TMP/sneaky.out")"
has_line "$TMP/sneaky.out" '^ok who count=0$' || fail "a watcher may ask who, and is not in it"

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

# The server stopping: the shutdown event, then the watch waits for it to
# come back and goes on with the new one, without a word to the users.
"$TURTLE" -S "$SOCK" --no-start -n w3 --watch >"$TMP/w3.out" 2>"$TMP/w3.err" &
W3=$!
BGPIDS=$W3
wait_for "w3 to watch" watching 1
stop_server
wait_for "w3 to see the shutdown" has_line "$TMP/w3.out" "^$ts server shutting down"
wait_for "w3 to wait" has_line "$TMP/w3.err" "^turtle: the server at unix:$SOCK stopped; waiting for it to come back$"
child_alive $W3 || fail "--watch ended when the server stopped"
start_server
# Said before or after w3 is back: either way it shows once.
T -n bob -c 'say back again' >/dev/null 2>&1 || fail "bob's say"
wait_for "w3 to see bob" has_line "$TMP/w3.out" "^$ts bob: back again$"
wait_for "w3 to say it is back" has_line "$TMP/w3.err" "^turtle: watching unix:$SOCK again$"
wait_for "w3 to watch again" watching 1
T -n bob -c 'say and more' >/dev/null 2>&1 || fail "bob's second say"
wait_for "w3 to see more" has_line "$TMP/w3.out" "^$ts bob: and more$"
[ "$(grep -c 'bob: back again$' "$TMP/w3.out")" = 1 ] || fail "w3 repeated or lost an event: $(cat "$TMP/w3.out")"
! has_line "$TMP/w3.out" 'w3 (joined|left)' || fail "w3 was announced"
kill -INT $W3
wait $W3
rc=$?
expect_rc 0 "--watch after SIGINT, across a restart"

# The server dying without a word: said, and waited for too; the events
# of the new server that came before w4 was back are shown from its
# history at their own times.
"$TURTLE" -S "$SOCK" --no-start -n w4 --watch --raw >"$TMP/w4.out" 2>"$TMP/w4.err" &
W4=$!
BGPIDS=$W4
wait_for "w4 to watch" watching 1
kill -KILL "$SPID"
wait "$SPID" 2>/dev/null
SPID=
wait_for "w4 to say the server went away" has_line "$TMP/w4.err" \
	"^turtle: (unix:$SOCK closed the connection|connection to unix:$SOCK lost).*; trying again$"
child_alive $W4 || fail "--watch ended when the server died"
start_server
T -n carol -c 'say hello again' >/dev/null 2>&1 || fail "carol's say"
wait_for "w4 to see carol" has_line "$TMP/w4.out" 'name=carol text="hello again"'
[ "$(grep -c 'name=carol text="hello again"' "$TMP/w4.out")" = 1 ] || fail "w4 repeated an event"
kill -TERM $W4
wait $W4
rc=$?
expect_rc 0 "--watch --raw after SIGTERM, across a crash"
BGPIDS=

# Events of the new server from before the watch was back: from its
# history, once each, at the times they happened.  The watcher is stopped
# while the server restarts and dave speaks, so it surely comes back late.
"$TURTLE" -S "$SOCK" --no-start -n w5 --watch >"$TMP/w5.out" 2>"$TMP/w5.err" &
W5=$!
BGPIDS=$W5
wait_for "w5 to watch" watching 1
kill -STOP $W5
stop_server
start_server
before=$(date +%s)
T -n dave -c 'say while you slept' >/dev/null 2>&1 || fail "dave's say"
after=$(date +%s)
later() { [ "$(date +%s)" -gt "$after" ]; }
wait_for "the next second" later
kill -CONT $W5
wait_for "w5 to see dave" has_line "$TMP/w5.out" "^$ts dave: while you slept$"
wait_for "w5 to say it is back" has_line "$TMP/w5.err" "^turtle: watching unix:$SOCK again$"
[ "$(grep -c 'dave: while you slept$' "$TMP/w5.out")" = 1 ] || fail "w5 repeated dave's say"
has_line "$TMP/w5.out" "^$ts dave joined$" || fail "w5 lacks dave's join"
stamp=$(sed -n 's/^\([0-9:]*\) dave: while you slept$/\1/p' "$TMP/w5.out")
ok=
for s in $(seq "$before" "$after"); do
	[ "$stamp" = "$(date -d "@$s" +%H:%M:%S)" ] && ok=1
done
[ -n "$ok" ] || fail "w5 shows dave's say at $stamp, not when it was said"
kill -INT $W5
wait $W5
rc=$?
expect_rc 0 "--watch after SIGINT"
BGPIDS=

# Nothing to watch at the start: cannot connect, at once.
stop_server
T --watch >/dev/null 2>&1
rc=$?
expect_rc 3 "--watch without a server"
exit 0
