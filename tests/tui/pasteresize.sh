#!/usr/bin/env bash
# pasteresize.sh - a paste after the pane was resized is asked about and
# the answer is taken: y sends it, n and Escape drop it, and a single key
# typed after a resize is a keystroke, not part of a paste (ncurses queues
# a KEY_RESIZE ahead of it, which once made every key look like a paste).
. "$(dirname "$0")/lib.sh"

start_server
start_client a 100 30 -n alice
wait_screen a " connected | alice"

# status_row_is SESSION ROW: the status line has moved to that row.
status_on_row() {
	row a "$1" | grep -q '^ connected | alice'
}

t resize-window -t a -x 90 -y 28
wait_for "the status line on row 26" status_on_row 26
t send-keys -t a -l $'say one\rsay two\r'
wait_screen a "send 2 pasted lines? [y/n]"
t send-keys -t a y
wait_screen a "alice: two"
has a "alice: one" || fail "line one lost"
wait_for "the question gone" row_is a 27 ">"

# Again after another resize, answered no, then Escape.
t resize-window -t a -x 100 -y 30
wait_for "the status line on row 28" status_on_row 28
t send-keys -t a -l $'say three\rsay four\r'
wait_screen a "send 2 pasted lines? [y/n]"
t send-keys -t a n
wait_screen a "2 pasted lines not sent"
wait_for "the question gone" row_is a 29 ">"
t send-keys -t a -l $'say five\rsay six\rsay seven\r'
wait_screen a "send 3 pasted lines? [y/n]"
t send-keys -t a Escape
wait_screen a "3 pasted lines not sent"
wait_for "the question gone" row_is a 29 ">"
lacks a "alice: three" || fail "sent after no"
lacks a "alice: five" || fail "sent after Escape"

# A typed line after a resize is sent as typed, with no question.
t resize-window -t a -x 80 -y 24
wait_for "the status line on row 22" status_on_row 22
type_line a "say typed"
wait_screen a "alice: typed"
lacks a "pasted lines?" || fail "one typed line was taken for a paste"
quit_client a
no_sanitizer_reports
