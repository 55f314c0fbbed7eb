#!/bin/sh
# headless.sh - turtle -c and commands on stdin against a real turtled:
# replies printed as lines, the first error stops the run (the commands
# after it never reach the server), exit status 0/1/2/3.
. "$(dirname "$0")/lib.sh"

start_server
T() { "$TURTLE" -S "$SOCK" --no-start "$@"; }

# A watcher sees everything the server does, to prove what was not sent.
"$TURTLE" -S "$SOCK" --no-start -n w1 --watch --raw >"$TMP/watch.out" 2>"$TMP/watch.err" &
BGPIDS="$BGPIDS $!"
wait_for "the watcher to connect" watching 1

# -c: one reply line per command.
T -n alice -c 'run 3 4; say hi there;where ;getcid' >"$TMP/c.out" 2>"$TMP/c.err"
rc=$?
expect_rc 0 "-c with good commands"
[ "$(sed -n 1p "$TMP/c.out")" = "turtle at <3:4>" ] || fail "run reply"
[ "$(sed -n 2p "$TMP/c.out")" = "said" ] || fail "say reply"
has_line "$TMP/c.out" '^turtle at <3:4> heading 0, pen down, colour default$' ||
	fail "where reply"
has_line "$TMP/c.out" '^your cid is [0-9]+$' || fail "getcid reply"
[ "$(wc -l <"$TMP/c.out")" -eq 4 ] || fail "four replies, no events printed"
[ ! -s "$TMP/c.err" ] || fail "nothing on stderr"
wait_for "alice's say in the watch" has_line "$TMP/watch.out" \
	'^evt [0-9]+ say cid=[0-9]+ name=alice text="hi there"$'

# The first error stops the run: "say never" is not sent.
T -n alice -c 'run 1 1; run 1000 0; say never' >"$TMP/e.out" 2>"$TMP/e.err"
rc=$?
expect_rc 1 "-c with an error"
[ "$(cat "$TMP/e.out")" = "turtle at <4:5>" ] || fail "the reply before the error"
has_line "$TMP/e.err" '^turtle: out-of-bounds: .+' || fail "the error on stderr"
# A marker after it: once the watcher has it, "never" would be there too.
T -n bob -c 'say marker1' >/dev/null || fail "marker"
wait_for "the marker" has_line "$TMP/watch.out" 'name=bob text=marker1'
! grep -q never "$TMP/watch.out" || fail "a command after an error was sent"

# quit ends a run early and successfully.
T -n carol -c 'say one; quit; say two' >"$TMP/q.out" 2>&1
rc=$?
expect_rc 0 "-c with quit"
[ "$(printf 'said\nbye')" = "$(cat "$TMP/q.out")" ] || fail "quit replies"
T -n bob -c 'say marker2' >/dev/null || fail "marker"
wait_for "the marker" has_line "$TMP/watch.out" 'name=bob text=marker2'
has_line "$TMP/watch.out" 'name=carol text=one' || fail "say one"
! has_line "$TMP/watch.out" 'name=carol text=two' || fail "a command after quit was sent"
has_line "$TMP/watch.out" '^evt [0-9]+ leave cid=[0-9]+ name=carol reason=quit$' ||
	fail "carol left with quit"
# A finished run leaves with quit too, not EOF.
has_line "$TMP/watch.out" '^evt [0-9]+ leave cid=[0-9]+ name=alice reason=quit$' ||
	fail "alice left with quit"

# Commands on stdin: blanks, comments and CRLF are fine.
printf 'run -4 -5\r\n\n# a comment\n   say from stdin  \n\twho\n' |
	T -n dave >"$TMP/s.out" 2>"$TMP/s.err"
rc=$?
expect_rc 0 "commands on stdin"
[ "$(sed -n 1p "$TMP/s.out")" = "turtle at <0:0>" ] || fail "stdin run"
[ "$(sed -n 2p "$TMP/s.out")" = "said" ] || fail "stdin say"
has_line "$TMP/s.out" '^ +[0-9]+  dave +idle [0-9]+s, here since [0-9:]{8}$' ||
	fail "who lists dave"
has_line "$TMP/s.out" '^[0-9]+ connected$' || fail "who count"
wait_for "the stdin say" has_line "$TMP/watch.out" 'name=dave text="from stdin"'

# An error on stdin stops reading.
printf 'say a1\nfrobnicate\nsay a2\n' | T -n erin >"$TMP/s2.out" 2>"$TMP/s2.err"
rc=$?
expect_rc 1 "an unknown command on stdin"
has_line "$TMP/s2.err" "^turtle: logo: I don't know how to frobnicate" || fail "unknown word error"

# -v: events on stdout with a time stamp, commands on stderr.
T -v -n frank -c 'run 0 2' >"$TMP/v.out" 2>"$TMP/v.err"
rc=$?
expect_rc 0 "-v"
has_line "$TMP/v.out" '^[0-9]{2}:[0-9]{2}:[0-9]{2} frank moved to <0:2>$' ||
	fail "-v shows the move event"
has_line "$TMP/v.err" '^> run 0 2$' || fail "-v shows the command"

# The default name is $USER made valid; without $USER the server names us.
USER='jean paul!' T -c who >"$TMP/n.out" 2>&1 || fail "who as jean paul"
has_line "$TMP/n.out" ' jean_paul_ +idle ' || fail "\$USER sanitised"
(unset USER; T -c who) >"$TMP/n.out" 2>&1 || fail "who without USER"
has_line "$TMP/n.out" ' guest[-0-9]* +idle ' || fail "the server's default name"

# Text the server refuses is an error, and nothing raw comes back.
T -n gina -c "say $(printf '\033]0;title\007')" >"$TMP/b.out" 2>"$TMP/b.err"
rc=$?
expect_rc 1 "a say with an escape sequence"
has_line "$TMP/b.err" '^turtle: bad-text: ' || fail "bad-text"
no_raw_controls "$TMP/b.err"
no_raw_controls "$TMP/b.out"

# Limits have clear errors.
long=$(printf '%0600d' 0)
T -n gina -c "say $long" >/dev/null 2>"$TMP/l.err"
rc=$?
expect_rc 1 "a command over the line limit"
has_line "$TMP/l.err" 'command too long: 604 bytes, at most 512' || fail "too long"

# A flood limit is waited out, not reported: every command goes through.
stop_server
start_server --rate 20 --burst 5
i=0
while [ $i -lt 30 ]; do
	echo "say flood $i"
	i=$((i + 1))
done | T -n flood >"$TMP/f.out" 2>"$TMP/f.err"
rc=$?
expect_rc 0 "more commands than the rate limit allows"
[ "$(grep -c '^said$' "$TMP/f.out")" = 30 ] || fail "30 says went through"
T -c stats >"$TMP/st.out" || fail "stats"
has_line "$TMP/st.out" ' rate_limited=[1-9][0-9]* ' || fail "the limit was never hit"

# _exit from the server's own user stops it.
T -c _exit >"$TMP/x.out" 2>&1
rc=$?
expect_rc 0 "_exit"
[ "$(cat "$TMP/x.out")" = "server stopping" ] || fail "the _exit reply"
wait_for "turtled to stop" is_gone "$SPID"
wait "$SPID"
rc=$?
SPID=
expect_rc 0 "turtled after _exit"

# Usage errors: 2, with a message.
for args in "--bogus" "-S $SOCK -s 127.0.0.1:1 -c where" "-n bad/name -c where" \
	"--raw" "-c where --watch" "-s nohost -c where" "-s [::1]x -c where" \
	"frobnicate" "--token -c where" "ping -c 0" "status extra"; do
	# shellcheck disable=SC2086
	"$TURTLE" $args >/dev/null 2>"$TMP/u.err"
	rc=$?
	expect_rc 2 "turtle $args"
	[ -s "$TMP/u.err" ] || fail "turtle $args says why"
done
"$TURTLE" --help >"$TMP/h.out" 2>&1
rc=$?
expect_rc 0 "--help"
has_line "$TMP/h.out" '^usage: turtle ' || fail "--help shows the usage"
"$TURTLE" --version >"$TMP/h.out" 2>&1
rc=$?
expect_rc 0 "--version"
has_line "$TMP/h.out" '^turtle [0-9]+\.[0-9]+\.[0-9]+ \(protocol 1\)$' || fail "--version"

# Cannot connect: 3, naming the socket.
"$TURTLE" -S "$TMP/nobody" --no-start -c where >/dev/null 2>"$TMP/n.err"
rc=$?
expect_rc 3 "no server and --no-start"
has_line "$TMP/n.err" "^turtle: connecting to unix:$TMP/nobody: No such file or directory$" ||
	fail "the cannot-connect message"
[ ! -e "$TMP/nobody" ] || fail "--no-start started a server"

# An unsafe default socket directory is refused before connecting.
mkdir -m 755 "$XDG_RUNTIME_DIR/turtlenet"
"$TURTLE" -c where >/dev/null 2>"$TMP/d.err"
rc=$?
expect_rc 3 "an unsafe socket directory"
has_line "$TMP/d.err" "directory $XDG_RUNTIME_DIR/turtlenet has unsafe permissions" ||
	fail "the unsafe-directory message"

exit 0
