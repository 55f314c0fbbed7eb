#!/usr/bin/env bash
# braille.sh - braille mode, the default in a UTF-8 locale, against golden
# screens: a square, a circle and a diagonal drawn in Logo by another
# client, seen at 120x40 and 80x24 at zoom 1 (one dot a unit), zoomed in
# (+) and out (F3, -) to the whole world, and back (F4); F5 switches to box
# mode and back; a pan moves the picture by whole cells and F2 brings it
# back; F6 sets my own trail bold and the others' dim.
#
# The grid pane of each screen is compared with tests/tui/golden/NAME.txt,
# its rows cut to the pane's width and their trailing blanks dropped.  To
# regenerate them after a deliberate change, run the test with
# GOLDEN_UPDATE=1 (e.g. GOLDEN_UPDATE=1 ctest --test-dir build -R
# tui_screen_braille), which writes the files instead of comparing, then
# look at every one (git diff) before committing them.
. "$(dirname "$0")/lib.sh"

GOLDEN=$(cd "$(dirname "$0")/golden" && pwd) || fail "no golden directory"

# grid SESSION W H: the top H rows of the screen, each cut to W columns,
# trailing blanks dropped (bash counts characters in a UTF-8 locale).
grid() {
	t capture-pane -p -t "$1" | head -n "$3" | while IFS= read -r l; do
		printf '%s\n' "${l:0:$2}"
	done | sed 's/[[:space:]]*$//'
}

grid_is() {
	[ "$(grid "$1" "$2" "$3")" = "$(cat "$GOLDEN/$4.txt")" ]
}

# golden SESSION W H NAME: the grid pane is golden NAME (waiting for it,
# bounded); with GOLDEN_UPDATE=1 it is written there instead.  The caller
# has waited for the frame it means (the status line says the zoom).
golden() {
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		grid "$1" "$2" "$3" >"$GOLDEN/$4.txt"
		echo "wrote $GOLDEN/$4.txt"
		return
	fi
	[ -f "$GOLDEN/$4.txt" ] || fail "no golden $4.txt"
	# wait_for's bounded poll, showing the difference when it runs out.
	i=0
	until grid_is "$@"; do
		i=$((i + 1))
		if [ $i -gt $((WAIT_SECONDS * 20)) ]; then
			grid "$1" "$2" "$3" | diff -u "$GOLDEN/$4.txt" - >&2
			fail "the grid of $1 is not golden $4"
		fi
		sleep 0.05
	done
}

# shifted SESSION W H NAME N: the grid is golden NAME moved N columns right.
shifted() {
	[ "$(grid "$1" "$2" "$3")" = "$(
		while IFS= read -r l; do
			l=$(printf "%$5s%s" "" "$l")
			printf '%s\n' "${l:0:$2}"
		done <"$GOLDEN/$4.txt" | sed 's/[[:space:]]*$//'
	)" ]
}

key() {
	t send-keys -t "$1" "$2"
}

# A + or - on an empty command line, alone in its read (not a paste).
char() {
	t send-keys -t "$1" -l -- "$2"
}

# styled_braille SESSION ROW N: row ROW has a braille cell drawn with SGR
# attribute N (1 bold, 2 dim) among its parameters; tmux writes the
# colours as further sequences between the attribute and the character.
styled_braille() {
	t capture-pane -p -e -t "$1" | sed -n "$(($2 + 1))p" |
		LC_ALL=C grep -qE $'\e\\[([0-9]*;)*'"$3"$'(;[0-9]*)*m(\e\\[[0-9;]*m)*\xe2[\xa0-\xa3]'
}

start_server
"$TURTLE" -S "$SOCK" --no-start -n artist -c \
    'repeat 4 [fd 20 rt 90]; pu setxy -60 -20 pd repeat 36 [fd 5 rt 10]; pu setxy 30 -10 pd setxy 80 -60; pu home pd' \
    >"$DIR/artist.out" 2>&1 || { cat "$DIR/artist.out" >&2; fail "cannot draw"; }

# 120x40: the log goes right, the grid is 79 x 38.
start_client a 120 40 -n wide
wait_screen a " connected | wide"
golden a 79 38 braille-120x40-z1
char a +
wait_screen a "| zoom 2 |"
golden a 79 38 braille-120x40-z2
key a F3
wait_gone a "zoom"
golden a 79 38 braille-120x40-z1
key a F3
wait_screen a "| zoom 1/2 |"
golden a 79 38 braille-120x40-z-2
char a -
wait_screen a "| zoom 1/4 |"
golden a 79 38 braille-120x40-z-4
# No further out than 1/4 (F3 and F4 may come in one read: keys, in order).
key a F3
key a F4
wait_screen a "| zoom 1/2 |"
key a F4
wait_gone a "zoom"
golden a 79 38 braille-120x40-z1
# Box mode as before, and back.
key a F5
wait_screen a "· · · ·"
golden a 79 38 box-120x40
key a F5
wait_gone a "· · · ·"
golden a 79 38 braille-120x40-z1

# 80x24: the log goes below, the grid is 80 x 14.
start_client b 80 24 -n narrow
wait_screen b " connected | narrow"
golden b 80 14 braille-80x24-z1
# Shift+Left pans two cells: the same picture, two columns to the right.
key b S-Left
wait_screen b "panned (F2)"
[ -n "${GOLDEN_UPDATE:-}" ] ||
	wait_for "the picture of b shifted by 2" shifted b 80 14 braille-80x24-z1 2
key b F2
wait_gone b "panned (F2)"
golden b 80 14 braille-80x24-z1
char b -
wait_screen b "| zoom 1/2"
golden b 80 14 braille-80x24-z-2
char b +
wait_gone b "zoom"

# My own line under the square, then F6: it is bold, the square dim.
type_line b "pu setxy 0 -12 pd setxy 16 -12 pu home pd"
wait_screen b "narrow drew"
wait_screen a "narrow drew"
golden b 80 14 braille-80x24-mine
styled_braille b 9 1 && fail "bold trail before F6"
key b F6
wait_screen b "| mine (F6)"
wait_for "my line in bold" styled_braille b 9 1
styled_braille b 1 2 || fail "the others' square is not dim"
key b F6
wait_gone b "mine (F6)"

quit_client a
quit_client b
no_sanitizer_reports
