#!/bin/sh
# export.sh - turtle export svg|png|txt FILE against a real turtled: a known
# drawing (Logo, colours, a pen-up jump) comes out byte for byte as the
# golden files in golden/ (TURTLENET_REGOLD=1 writes them again: look at
# them before committing); a file that exists is never overwritten; the
# exporter is a watcher, so nobody sees it come or go.
. "$(dirname "$0")/lib.sh"

GOLD=$(dirname "$0")/golden
start_server
T() { "$TURTLE" -S "$SOCK" --no-start "$@"; }

T -n artist -c 'repeat 36 [fd 5 rt 10]; setpc 4; repeat 4 [fd 30 rt 90]; pu; setxy -50 -50; pd; setpc 2; repeat 3 [fd 40 rt 120]; run 10 0' \
	>"$TMP/draw.out" 2>&1 || fail "drawing: $(cat "$TMP/draw.out")"

for fmt in svg png txt; do
	T export $fmt "$TMP/out.$fmt" >"$TMP/$fmt.out" 2>&1
	rc=$?
	expect_rc 0 "export $fmt: $(cat "$TMP/$fmt.out")"
	if [ "${TURTLENET_REGOLD:-0}" = 1 ]; then
		cp "$TMP/out.$fmt" "$GOLD/drawing.$fmt"
	fi
	cmp -s "$TMP/out.$fmt" "$GOLD/drawing.$fmt" ||
		fail "export $fmt differs from $GOLD/drawing.$fmt"
done
# 43 segments: 36 + 4 + 3, and the run's one.
[ "$(grep -c '<line ' "$TMP/out.svg")" = 44 ] || fail "segments in the svg"
file "$TMP/out.png" | grep -q 'PNG image data, 804 x 804' ||
	fail "the png's size: $(file "$TMP/out.png")"
# The text is the braille the client draws: 51 rows for 201 units.
[ "$(wc -l <"$TMP/out.txt")" = 51 ] || fail "rows in the txt"
T export png "$TMP/small.png" --scale 1 || fail "export --scale 1"
file "$TMP/small.png" | grep -q 'PNG image data, 201 x 201' ||
	fail "--scale 1: $(file "$TMP/small.png")"

# A file that is there is left alone, and the export fails saying why.
printf 'my notes\n' >"$TMP/notes.svg"
T export svg "$TMP/notes.svg" >"$TMP/over.out" 2>&1
rc=$?
expect_rc 1 "export over an existing file"
has_line "$TMP/over.out" 'File exists \(turtle never overwrites a file\)' ||
	fail "the reason: $(cat "$TMP/over.out")"
[ "$(cat "$TMP/notes.svg")" = "my notes" ] || fail "the existing file changed"

# Bad arguments are usage errors.
T export gif "$TMP/x.gif" >/dev/null 2>&1
rc=$?
expect_rc 2 "export gif"
T export png "$TMP/x.png" --scale 0 >/dev/null 2>&1
rc=$?
expect_rc 2 "export --scale 0"
[ ! -e "$TMP/x.png" ] || fail "a refused export wrote a file"

# Nobody saw the exporter: no join in the history.
T -c who >"$TMP/who.out" 2>&1
! grep -q 'export' "$TMP/who.out" || fail "the exporter is in who"
exit 0
