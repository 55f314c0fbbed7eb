#!/usr/bin/env bash
# two.sh - two clients in panes of different sizes see each other live:
# a say from one appears in the other's log, a move from one moves the
# turtle on the other's grid, and both count two clients (box mode, whose
# cells are world units).
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 24 -n alice --draw box
wait_screen a "signed in as alice"
start_client b 120 40 -n bob --draw box
wait_screen b "signed in as bob"
wait_screen a "bob joined"
wait_screen a "| 2 clients"
wait_screen b "| 2 clients"

type_line b "say hello from bob"
wait_screen a "bob: hello from bob"

type_line a "run -4 0"
wait_screen b "alice moved to <-4:0>"
# 120x40 is wide: grid 79x38 left (40 cells), log on the right.  The
# view is centred on 0:0: x -20..19, y 18..-19.  <-4:0> is column
# 2*(-4+20) = 32, row 18; the move went west.
wait_cell b 18 32 "◀"
wait_cell a 6 32 "◀"
wait_screen b "<-4:0> pen down"

type_line a "say bye"
wait_screen b "alice: bye"
quit_client a
wait_screen b "alice left"
wait_screen b "| 1 client"
quit_client b
no_sanitizer_reports
