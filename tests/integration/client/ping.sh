#!/bin/sh
# ping.sh - turtle ping and turtle status over the datagram endpoint
# (PATH.ping, and UDP beside a TCP listener), several pingers at once,
# SIGINT, loss, and headless use over TCP.
. "$(dirname "$0")/lib.sh"

start_server -l 127.0.0.1:0 --token s3cret
P() { "$TURTLE" -S "$SOCK" "$@"; }

# A count of probes: a line each, then the statistics.
P ping -c 3 -i 0.05 >"$TMP/p.out" 2>"$TMP/p.err"
rc=$?
expect_rc 0 "ping -c 3"
[ "$(sed -n 1p "$TMP/p.out")" = "PING unix:$SOCK.ping" ] || fail "the PING line"
for seq in 1 2 3; do
	has_line "$TMP/p.out" "^6 bytes from unix:$SOCK.ping: seq=$seq time=[0-9]+\\.[0-9]{3} ms\$" ||
		fail "the reply to seq=$seq"
done
has_line "$TMP/p.out" "^--- unix:$SOCK.ping ping statistics ---\$" || fail "the summary head"
has_line "$TMP/p.out" '^3 sent, 3 received, 0% loss$' || fail "the counts"
has_line "$TMP/p.out" '^rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$' ||
	fail "the rtt line"
# min <= avg <= max
awk -F'[=/ ]+' '/^rtt/ { exit !($6 <= $7 && $7 <= $8) }' "$TMP/p.out" ||
	fail "min/avg/max out of order"
[ ! -s "$TMP/p.err" ] || fail "ping wrote to stderr"

# Many pingers at once, each with its own address: each gets its replies.
pids=
for i in 1 2 3 4 5 6; do
	"$TURTLE" -S "$SOCK" ping -c 5 -i 0.01 >"$TMP/m$i.out" 2>&1 &
	pids="$pids $!"
done
i=0
for p in $pids; do
	i=$((i + 1))
	wait "$p"
	rc=$?
	expect_rc 0 "pinger $i"
	has_line "$TMP/m$i.out" '^5 sent, 5 received, 0% loss$' ||
		fail "pinger $i lost replies: $(cat "$TMP/m$i.out")"
done

# No count: until SIGINT, then the statistics and success.
"$TURTLE" -S "$SOCK" ping -i 0.05 >"$TMP/i.out" 2>&1 &
PP=$!
BGPIDS=$PP
wait_for "two replies" has_line "$TMP/i.out" 'seq=2 '
kill -INT $PP
wait $PP
rc=$?
BGPIDS=
expect_rc 0 "ping after SIGINT"
has_line "$TMP/i.out" '^[0-9]+ sent, [0-9]+ received, [0-9]+% loss$' ||
	fail "statistics after SIGINT"

# status: the server's one line.
P status >"$TMP/s.out" 2>&1
rc=$?
expect_rc 0 "status"
has_line "$TMP/s.out" "^turtled pid=$SPID uptime=[0-9]+ clients=0 seq=[0-9]+ x=0 y=0 mode=free\$" ||
	fail "the status line: $(cat "$TMP/s.out")"

# The address may follow the subcommand too, as any option may.
"$TURTLE" status -S "$SOCK" >"$TMP/sa.out" 2>"$TMP/sa.err"
rc=$?
expect_rc 0 "status -S PATH"
has_line "$TMP/sa.out" "^turtled pid=$SPID " || fail "status -S PATH: $(cat "$TMP/sa.out" "$TMP/sa.err")"
"$TURTLE" ping -c 1 -S "$SOCK" -W 2 >"$TMP/pa.out" 2>"$TMP/pa.err"
rc=$?
expect_rc 0 "ping -c 1 -S PATH"
has_line "$TMP/pa.out" "^6 bytes from unix:$SOCK.ping: seq=1 " || fail "ping -S PATH: $(cat "$TMP/pa.out" "$TMP/pa.err")"
"$TURTLE" -S "$TMP/nobody" status -S "$SOCK" >"$TMP/sb.out" 2>&1
rc=$?
expect_rc 0 "status: an -S after it wins"
"$TURTLE" -S "$SOCK" status -s 127.0.0.1:1 >"$TMP/sc.out" 2>"$TMP/sc.err"
rc=$?
expect_rc 2 "-S before and -s after status"
has_line "$TMP/sc.err" '^turtle: -S and -s cannot be used together$' || fail "-S with -s after status"

# Over TCP, and UDP on the same port.
port=$(sed -n 's/^turtled: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$TMP/server.err")
[ -n "$port" ] || fail "turtled named no TCP port"
"$TURTLE" -s "127.0.0.1:$port" --token s3cret -n tcp -c 'run 2 3; where' >"$TMP/t.out" 2>"$TMP/t.err"
rc=$?
expect_rc 0 "headless over TCP"
[ "$(sed -n 1p "$TMP/t.out")" = "turtle at <2:3>" ] || fail "run over TCP"
# A wrong token is refused at hello: cannot connect.
"$TURTLE" -s "127.0.0.1:$port" --token wrong -c where >/dev/null 2>"$TMP/a.err"
rc=$?
expect_rc 3 "a wrong token"
has_line "$TMP/a.err" '^turtle: auth: ' || fail "the auth error"
"$TURTLE" -s "127.0.0.1:$port" ping -c 2 -i 0.05 >"$TMP/u.out" 2>&1
rc=$?
expect_rc 0 "ping over UDP"
has_line "$TMP/u.out" "^6 bytes from udp:127.0.0.1:$port: seq=2 " || fail "UDP replies"
has_line "$TMP/u.out" '^2 sent, 2 received, 0% loss$' || fail "UDP counts"
"$TURTLE" -s "127.0.0.1:$port" status >"$TMP/us.out" 2>&1
rc=$?
expect_rc 0 "status over UDP"
has_line "$TMP/us.out" '^turtled pid=[0-9]+ .* x=2 y=3 mode=free$' || fail "UDP status"

# Nobody there: every probe lost, exit 1; status cannot reach it, exit 3.
"$TURTLE" -S "$TMP/nobody" ping -c 2 -i 0.05 -W 0.2 >"$TMP/l.out" 2>"$TMP/l.err"
rc=$?
expect_rc 1 "ping without a server"
has_line "$TMP/l.out" '^2 sent, 0 received, 100% loss$' || fail "100% loss"
! has_line "$TMP/l.out" '^rtt' || fail "no rtt line without replies"
has_line "$TMP/l.err" "unix:$TMP/nobody.ping: seq=1: No such file or directory" ||
	fail "why the probe was lost"
"$TURTLE" -S "$TMP/nobody" status >/dev/null 2>"$TMP/ls.err"
rc=$?
expect_rc 3 "status without a server"
has_line "$TMP/ls.err" "^turtle: cannot reach unix:$TMP/nobody.ping: " || fail "status error"

# The server goes away and comes back under a running ping: the probes
# meanwhile are lost and say why, and the pinger, which connects again after
# a lost probe, gets its replies from the new server.
"$TURTLE" -S "$SOCK" ping -i 0.05 -W 0.2 >"$TMP/r.out" 2>"$TMP/r.err" &
ppid=$!
wait_for "a first reply" has_line "$TMP/r.out" ' seq=1 time='
stop_server
wait_for "a lost probe" has_line "$TMP/r.err" ': seq=[0-9]+: '
n=$(grep -c ' time=' "$TMP/r.out")
more_replies() { [ "$(grep -c ' time=' "$TMP/r.out")" -gt "$n" ]; }
start_server -l 127.0.0.1:0 --token s3cret
wait_for "a reply from the new server" more_replies
kill -INT "$ppid"
wait "$ppid"
has_line "$TMP/r.out" '^[0-9]+ sent, [0-9]+ received, [0-9]+% loss$' ||
	fail "the statistics after a restart"

# run_bounded SECS NAME CMD...: CMD with its output in TMP/NAME.out and
# TMP/NAME.err and its exit status in rc; a CMD still running after SECS
# is killed and the test fails.
run_bounded() {
	secs=$1 name=$2
	shift 2
	"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	bp=$!
	i=0
	while child_alive "$bp"; do
		i=$((i + 1))
		if [ $i -gt $((secs * 20)) ]; then
			kill_child "$bp" KILL
			wait "$bp"
			fail "$* still running after $secs s"
		fi
		sleep 0.05
	done
	wait "$bp"
	rc=$?
}

# One probe that cannot even be sent is the last one: ping ends at once,
# says why, and exits 1 as ping(8) does without a reply; status says it
# cannot reach the server and exits 3.  The endpoint missing, refused (a
# stale socket left by a killed server), and full (bound by a process that
# never reads, so a blocking send would wait for ever).
lost_one() {
	what=$1 path=$2 why=$3
	run_bounded 3 "$what" "$TURTLE" -S "$path" ping -c 1 -W 1
	expect_rc 1 "ping -c 1 -W 1, $what"
	has_line "$TMP/$what.out" '^1 sent, 0 received, 100% loss$' ||
		fail "ping -c 1 -W 1, $what: no statistics"
	has_line "$TMP/$what.err" "^turtle: unix:$path.ping: seq=1: $why" ||
		fail "ping -c 1 -W 1, $what: says not why: $(cat "$TMP/$what.err")"
	run_bounded 3 "$what-status" "$TURTLE" -S "$path" status -W 1
	expect_rc 3 "status, $what"
	has_line "$TMP/$what-status.err" "^turtle: cannot reach unix:$path.ping: $why" ||
		fail "status, $what: says not why: $(cat "$TMP/$what-status.err")"
}
lost_one missing "$TMP/nobody" 'No such file or directory'
kill_child "$SPID" KILL
wait "$SPID"
SPID=
[ -S "$SOCK.ping" ] || fail "a killed turtled left no $SOCK.ping"
lost_one refused "$SOCK" 'Connection refused'

socat -u "UNIX-RECV:$TMP/full.ping" - >/dev/null 2>&1 &
sp=$!
BGPIDS=$sp
full_bound() { [ -S "$TMP/full.ping" ]; }
wait_for "socat to bind $TMP/full.ping" full_bound
kill -STOP "$sp"
# Past the receive queue's length (net.unix.max_dgram_qlen): the probes
# that do not fit are lost and say so, and the run still ends.
qlen=$(cat /proc/sys/net/unix/max_dgram_qlen 2>/dev/null || echo 10)
run_bounded $((5 + qlen / 100)) fill "$TURTLE" -S "$TMP/full" ping \
	-c $((qlen + 2)) -i 0.001 -W 0.001
expect_rc 1 "ping filling the queue"
has_line "$TMP/fill.err" 'the endpoint does not read' ||
	fail "no probe found the queue full: $(cat "$TMP/fill.err")"
lost_one full "$TMP/full" 'the endpoint does not read \(its queue is full\)'
kill -KILL "$sp"
wait "$sp"
BGPIDS=

# Bad arguments.
for args in "ping -c x" "ping -c 0" "ping -i 0" "ping -i -1" "ping -W nan" "ping extra" \
	"status -c 1"; do
	# shellcheck disable=SC2086
	P $args >/dev/null 2>"$TMP/b.err"
	rc=$?
	expect_rc 2 "turtle $args"
	[ -s "$TMP/b.err" ] || fail "turtle $args says why"
done
exit 0
