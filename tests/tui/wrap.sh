#!/usr/bin/env bash
# wrap.sh - log lines wrap between words, and a path between its parts:
# the first line, "connected to unix:/tmp/turtle-tui.XXXXXX/sock", in a
# wide pane's log (25 columns of text) and a narrow stacked one (31).
. "$(dirname "$0")/lib.sh"

start_server
start_client w 100 30 -n wide
start_client n 40 20 -n narrow
# The socket's directory, as the second row must show it, whole.
PART="${DIR#/tmp/}/sock"

wait_screen w " connected | wide"
wait_for "the first row, cut after /tmp/" has w " connected to unix:/tmp/"
has w "│         $PART" || fail "the wide log cut a word: $(screen w | grep -A2 'connected to')"

wait_screen n " connected | "
wait_for "the first row, cut after /tmp/" has n " connected to unix:/tmp/"
has n "         $PART" || fail "the narrow log cut a word: $(screen n | grep -A2 'connected to')"
# And a long word moves whole to the next row (of the wide log).
type_line n "say a quick brown fox jumps over"
wait_screen n "narrow: a quick brown fox jumps"
type_line n "say x antidisestablishment"
wait_for "the word on its own row" has w "│         antidisestablishment"
quit_client w
quit_client n
no_sanitizer_reports
