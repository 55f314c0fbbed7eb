#!/usr/bin/env bash
# times.sh - a late joiner's log shows each earlier event at the time it
# happened (the server's time= on snap log lines), not the time of
# joining (issue #15).
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 30 -n alice
wait_screen a "signed in as alice"
before=$(date +%s)
type_line a "say early bird"
wait_screen a "alice: early bird"
after=$(date +%s)
# At least a second later, so the two times differ (bounded).
later() { [ "$(date +%s)" -gt "$after" ]; }
wait_for "the next second" later

start_client b 80 30 -n bob
wait_screen b "signed in as bob"
wait_screen b "alice: early bird"
stamp=$(screen b | sed -n 's/^\([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\) alice: early bird.*/\1/p')
joined=$(screen b | sed -n 's/^\([0-9][0-9]:[0-9][0-9]:[0-9][0-9]\) signed in as bob.*/\1/p')
[ -n "$stamp" ] && [ -n "$joined" ] || fail "no time stamps on bob's screen"
ok=
for s in $(seq "$before" "$after"); do
	[ "$stamp" = "$(date -d "@$s" +%H:%M:%S)" ] && ok=1
done
[ -n "$ok" ] || fail "the say shows at $stamp, not when it was said ($(date -d "@$before" +%T)..$(date -d "@$after" +%T)); bob joined at $joined"
[ "$stamp" != "$joined" ] || fail "the say shows at bob's joining time $joined"
quit_client a
quit_client b
no_sanitizer_reports
