#!/usr/bin/env bash
# sizes.sh - the client at 200x50, 40x12 and 20x6: each shows its own
# move where its layout puts it; resizing below 20x6 shows the "too
# small" notice and back up gives a whole screen again at once (box mode:
# cells are world units).
. "$(dirname "$0")/lib.sh"

start_server

# 200x50: wide, grid 139x48 (70 cells): x -35..34, y 23..-24.
start_client big 200 50 -n big --draw box
wait_screen big "signed in as big"
type_line big "run 3 2"
wait_screen big "big moved to <3:2>"
wait_cell big 21 76 "▶"
type_line big "home"
wait_cell big 23 70 "▶"
quit_client big

# 40x12: stacked, grid 40x6 (20 cells): x -10..9, y 2..-3 at first;
# reaching y = 2 crosses the one-row margin, so the view moves up a row.
start_client mid 40 12 -n mid --draw box
wait_screen mid " connected | mid (cid "
wait_cell mid 2 20 "▶"
type_line mid "run 3 2"
wait_screen mid "<3:2>"
wait_cell mid 1 26 "▶"
type_line mid "home"
wait_cell mid 3 20 "▶"

# Resizing: too small, then back.
t resize-window -t mid -x 19 -y 5
wait_screen mid "terminal too small:"
wait_screen mid "19x5"
# A pane narrower than the sentence gets it broken between words.
t resize-window -t mid -x 10 -y 8
wait_screen mid "10x8"
wait_for "the notice in words" screen_words_are mid " terminal too small: 10x8 "
t resize-window -t mid -x 80 -y 24
wait_gone mid "terminal too small"
wait_screen mid " connected | mid (cid "
wait_cell mid 6 40 "▶"
# A storm of resizes ends in the right screen for the last size.
for s in 30x8 100x30 25x7 60x20 19x6 20x6 45x15; do
	t resize-window -t mid -x "${s%x*}" -y "${s#*x}"
done
wait_screen mid " connected |"
wait_for "the 45x15 screen" rows_are mid 15
quit_client mid

# 20x6: no room for the grid; the log and status line remain, and the
# status line keeps the position (before the name, which does not fit).
start_client tiny 20 6 -n tiny --draw box
wait_for "the tiny status line" row_is tiny 4 " connected | <0:0>"
type_line tiny "run 1 1"
wait_for "the tiny status line" row_is tiny 4 " connected | <1:1>"
quit_client tiny
no_sanitizer_reports
