#!/bin/sh
# turns.sh - in turns mode a script waits its turn: turtle -c whose move
# is refused with not-your-turn waits for the turn (saying so on stderr)
# and sends it again, up to --turn-timeout seconds (default 60); 0 fails
# at once, as before; a wait that runs out fails with exit status 1.
. "$(dirname "$0")/lib.sh"

start_server --mode turns --turn-time 3600
T() { "$TURTLE" -S "$SOCK" --no-start "$@"; }

# A holder first in line, kept connected by an open fifo on its stdin.
mkfifo "$TMP/hold"
"$TURTLE" -S "$SOCK" --no-start -n holder <"$TMP/hold" >"$TMP/holder.out" 2>&1 &
HOLDER=$!
BGPIDS="$BGPIDS $HOLDER"
exec 7>"$TMP/hold"
echo "run 1 0" >&7
wait_for "the holder's move" has_line "$TMP/holder.out" '^turtle at <1:0>$'

# 0: refused at once, as without the option.
T -n now --turn-timeout 0 -c 'run 0 1' >"$TMP/now.out" 2>"$TMP/now.err"
rc=$?
expect_rc 1 "--turn-timeout 0"
has_line "$TMP/now.err" '^turtle: not-your-turn: ' || fail "not-your-turn: $(cat "$TMP/now.err")"
! has_line "$TMP/now.err" 'waiting' || fail "--turn-timeout 0 waited"

# 1: waits a second, then fails and says so; the move never happened.
T -n brief --turn-timeout 1 -c 'run 0 1' >"$TMP/brief.out" 2>"$TMP/brief.err"
rc=$?
expect_rc 1 "a wait for the turn that runs out"
has_line "$TMP/brief.err" '^turtle: waiting up to 1 s for the turn$' ||
	fail "no word of the wait: $(cat "$TMP/brief.err")"
has_line "$TMP/brief.err" '^turtle: not-your-turn: waited 1 s for the turn \(--turn-timeout\)$' ||
	fail "the wait's end: $(cat "$TMP/brief.err")"

# The default: the script waits until the holder leaves, then runs all.
# (Its shell must not hold the fifo open: fd 7 closed for good first.)
(
	exec 7>&-
	exec "$TURTLE" -S "$SOCK" --no-start -n script -c 'run 0 2; where'
) >"$TMP/script.out" 2>"$TMP/script.err" &
SCRIPT=$!
BGPIDS="$BGPIDS $SCRIPT"
wait_for "the script to wait" has_line "$TMP/script.err" '^turtle: waiting up to 60 s for the turn$'
[ ! -s "$TMP/script.out" ] || fail "the script ran before its turn: $(cat "$TMP/script.out")"
# ended PID: the child has exited.
# shellcheck disable=SC2317
ended() {
	! child_alive "$1"
}
exec 7>&-
wait_for "the holder to leave" ended "$HOLDER"
wait_for "the script to finish" ended "$SCRIPT"
wait "$SCRIPT"
rc=$?
expect_rc 0 "a script that waited its turn"
[ "$(sed -n 1p "$TMP/script.out")" = "turtle at <1:2>" ] ||
	fail "the script's move: $(cat "$TMP/script.out" "$TMP/script.err")"
has_line "$TMP/script.out" '^turtle at <1:2> heading ' || fail "where"
exit 0
