#!/usr/bin/env bash
# idle.sh - a client with nothing to do sleeps: over an observation window
# of two seconds it is never woken (its context switches and CPU time stay
# the same: no polling timer, no redraw), and the same measure does move
# as soon as something happens (a key), so the check can fail.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 24 -n alice
wait_screen a " connected | alice"
type_line a "run 1 1"
wait_screen a "alice moved to <1:1>"

pane=$(t display -p -t a '#{pane_pid}')
pid=$(pgrep -P "$pane" -x turtle) || fail "no turtle under pane $pane"

# wakeups: voluntary and involuntary context switches, then utime+stime.
wakeups() {
	awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { n += $2 } END { print n }' \
		"/proc/$pid/status"
	awk '{ print $14 + $15 }' "/proc/$pid/stat"
}

# Watch a quiet window.
before=$(wakeups)
sleep 2
after=$(wakeups)
[ "$before" = "$after" ] ||
	fail "woke up while idle: $(echo $before) -> $(echo $after)"

# A key wakes it: the measure sees that.
t send-keys -t a -l "x"
wait_for "the key on the command line" row_is a 23 "> x"
[ "$(wakeups | head -n 1)" != "$(echo "$before" | head -n 1)" ] ||
	fail "a key did not show in the measure"
t send-keys -t a C-u
quit_client a
no_sanitizer_reports
