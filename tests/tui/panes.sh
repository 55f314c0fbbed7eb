#!/usr/bin/env bash
# panes.sh - the way people use it: one tmux window split into two panes,
# a turtle in each, each showing the other's messages and moves live, at
# every size from two 20x6 panes to two 200x50 ones; moving the split
# keeps both screens right (box mode: cells are world units).
. "$(dirname "$0")/lib.sh"

start_server
start_client p 101 30 -n alice --draw box
wait_screen p " connected | alice"
t split-window -h -t p -l 50 \
    env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$HOME" \
    XDG_STATE_HOME="$XDG_STATE_HOME" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}log_path=$DIR/asan" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}log_path=$DIR/asan" \
    sh -c '"$0" "$@"; echo "turtle exited $?"; exec sleep 3600' \
    "$TURTLE" -S "$SOCK" --no-start -n bob --draw box || fail "cannot split"
L=p.0
R=p.1
wait_screen $R " connected | bob"
wait_screen $L "bob joined"

type_line $R "say hi from the right"
wait_screen $L "bob: hi from the right"
type_line $L "say hi from the left"
wait_screen $R "alice: hi from the left"

# Both panes are 50x30: stacked, grid 50x18 (25 cells): x -12..12,
# y 8..-9.  <2:-3> is column 2*(2+12) = 28, row 11; the move went south.
type_line $L "run 2 -3"
wait_screen $R "alice moved to <2:-3>"
wait_cell $R 11 28 "▼"
wait_cell $L 11 28 "▼"

# Move the split: the left pane grows to 70, the right shrinks to 30.
t resize-pane -t $L -x 70
wait_for "the right pane is 30 wide" pane_width_is $R 30
# The right pane's grid is now 30x18 (15 cells), recentred on <2:-3>:
# x -5..9, y 5..-12.
wait_cell $R 8 14 "▼"
type_line $R "run -2 3"
wait_screen $L "bob moved to <0:0>"
# <0:0> stays inside the margins: column 2*(0+5) = 10, row 5, north.
wait_cell $R 5 10 "▲"

# The smallest panes that still work, side by side: 20x6 each.  No room
# for the grid, but each log shows the other's messages and moves live.
t resize-window -t p -x 41 -y 6
t select-layout -t p even-horizontal
wait_for "two 20x6 panes" panes_are "20x6 20x6" $L $R
wait_screen $L " connected |"
wait_screen $R " connected |"
type_line $L "say tiny"
wait_screen $R "alice: tiny"
type_line $R "run 1 0"
wait_screen $L "<1:0>"
# And the largest: 200x50 each, the grid back, both turtles at <1:0>.
t resize-window -t p -x 401 -y 50
t select-layout -t p even-horizontal
wait_for "two 200x50 panes" panes_are "200x50 200x50" $L $R
type_line $L "say big"
wait_screen $R "alice: big"
# 200x50 is wide: grid 139x48 (70 cells), recentred on <1:0>: x -34..35,
# y 23..-24; <1:0> is column 2*(1+34) = 70, row 23, heading east.
wait_cell $R 23 70 "▶"
wait_cell $L 23 70 "▶"
type_line $R quit
wait_screen $R "turtle exited 0"
t kill-pane -t $R
wait_screen $L "bob left"
quit_client $L
no_sanitizer_reports
