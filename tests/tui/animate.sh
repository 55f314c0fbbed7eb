#!/usr/bin/env bash
# animate.sh - the turtle is seen drawing: at "speed 1" (10 segments a
# second) a 20-segment line from another client appears over about two
# seconds, in steps, the turtle on its head, and ends whole; "speed 0"
# shows the next one at once; a late joiner's snapshot is never animated.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 120 40 -n viewer
wait_screen a " connected | viewer"

# dots: the braille cells on the screen of a (the grid's frame and axis
# dots are the same at every moment, so only the drawing changes them).
# Braille is U+2800-U+28FF: bytes e2, a0-a3, then one more.
BRAILLE=$'\xe2[\xa0-\xa3][\x80-\xbf]'
dots() {
	t capture-pane -p -t "${1:-a}" | LC_ALL=C grep -o "$BRAILLE" | wc -l
}

type_line a "speed 1"
wait_screen a "speed 1: 10 segments a second"
base=$(dots)
"$TURTLE" -S "$SOCK" --no-start -n artist -c 'repeat 20 [fd 4 rt 18]' \
	>"$DIR/artist.out" 2>&1 || fail "the drawing: $(cat "$DIR/artist.out")"
# Poll the screen (bounded): the count of dots goes up in several steps.
seen=" "
steps=0
i=0
while [ $i -lt 200 ]; do
	n=$(dots)
	case "$seen" in
	*" $n "*) ;;
	*)
		seen="$seen$n "
		steps=$((steps + 1))
		;;
	esac
	last=$n
	i=$((i + 1))
	sleep 0.05
done
[ "$steps" -ge 5 ] || fail "the drawing came in $steps steps ($seen), not gradually"
[ "$last" -gt "$base" ] || fail "nothing was drawn"
final=$last

# speed 0: the next drawing is whole at the first look after it is in.
type_line a "speed 0"
wait_screen a "speed 0: drawings show at once"
"$TURTLE" -S "$SOCK" --no-start -n artist -c 'pu setxy -60 -60 pd repeat 20 [fd 4 rt 18]' \
	>"$DIR/artist2.out" 2>&1 || fail "the second drawing: $(cat "$DIR/artist2.out")"
wait_for "the second drawing" test "$(dots)" -gt "$final"
second=$(dots)
sleep 0.3
[ "$(dots)" = "$second" ] || fail "speed 0 still animated"

# A late joiner shows the whole drawing at once, even at speed 1 (the
# default is 7; the snapshot is never animated).
start_client b 120 40 -n late
wait_screen b " connected | late"
late=$(dots b)
[ "$late" -ge "$second" ] || fail "the late joiner has $late dots, want $second"
quit_client a
quit_client b
no_sanitizer_reports
