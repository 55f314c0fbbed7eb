#!/usr/bin/env bash
# basic.sh - one client at 80x24: run 3 2 puts the turtle glyph on the
# cell the layout gives <3:2>, the move shows in the log and the status
# line, and an error reply is marked in the log.  Box mode (--draw box):
# its cells are world units, which the positions below count in.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 24 -n alice --draw box
wait_screen a "signed in as alice"
wait_screen a " connected | alice (cid "
# The 80x24 layout: grid 80x14 on top (40 cells of two columns), a rule,
# the log (7 rows), status, command line.  The view starts centred on the
# turtle at 0:0: x -20..19, y 6..-7.  The x axis (y = 0) is row 6 with a
# tick every ten cells.
wait_cell a 6 40 "▲"
cell_is a 6 20 "+" || fail "no tick at x=-10"
cell_is a 6 60 "+" || fail "no tick at x=10"

type_line a "run 3 2"
wait_screen a "alice moved to <3:2>"
# <3:2> is column 2*(3+20) = 46, row 6-2 = 4; the last move went east.
wait_cell a 4 46 "▶"
wait_screen a "<3:2> pen down"
cell_is a 6 40 "╱" || fail "no trail at the origin"

# One line per action: the echo of "run 3 2" gave way to the move, and
# the reply added nothing; an error names what it answers.
lacks a "> run 3 2" || fail "the echo of run 3 2 is still in the log"
lacks a "ok run" || fail "the reply to run is in the log"
type_line a "run 1000 0"
wait_screen a "run 1000 0: out-of-bounds"
lacks a "> run 1000 0" || fail "the echo of the refused run stayed"

type_line a "pen up"
wait_screen a "pen up default"
type_line a "run -3 -2"
wait_cell a 6 40 "◀"
cell_is a 4 46 "╱" || fail "the trail does not end at <3:2>"

quit_client a
no_sanitizer_reports
