#!/usr/bin/env bash
# logoprint.sh - what a Logo line prints shows in the log marked with a
# bar after the time, apart from chat (a say is "name: text" after a
# blank), and a Logo error reads "logo: " with UCBLogo's message, marked
# "!" as errors are.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 120 30 -n alice
wait_screen a " connected | alice"

# log_has REGEX: a row of the log (right of the grid) matches.
log_has() {
	screen a | grep -qE -- "$1"
}
type_line a "print [hi there]"
wait_for "the printed line" log_has '[0-9]{2}:[0-9]{2}:[0-9]{2}\|hi there'
type_line a "say hi there"
wait_for "the say" log_has '[0-9]{2}:[0-9]{2}:[0-9]{2} alice: hi there'
log_has '[0-9]{2}:[0-9]{2}:[0-9]{2}\|alice' && fail "the say is marked as print"
type_line a "frob 1"
wait_for "the Logo error" log_has "[0-9]{2}:[0-9]{2}:[0-9]{2}!frob 1: logo: I don"
# Errors of other commands keep their word.
type_line a "run 1x 2"
wait_for "the usage error" log_has "[0-9]{2}:[0-9]{2}:[0-9]{2}!run 1x 2: usage: "
quit_client a
no_sanitizer_reports
