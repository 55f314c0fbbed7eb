#!/usr/bin/env bash
# names.sh - what a user typing name and color sees (issue #15): a name
# someone else has is refused in so many words and the name stays, a name
# with spaces or quotes gets a sentence saying why (not an echo in
# quotes), and a colour is taken in any case.
. "$(dirname "$0")/lib.sh"

start_server
start_client a 80 30 -n alice
wait_screen a "signed in as alice"
start_client b 80 30 -n bob
wait_screen b "signed in as bob"
wait_screen a "bob joined"

type_line a "name bob"
wait_screen a "name-taken: the name bob is taken; you are still alice"
type_line a "name BOB"
wait_screen a "name-taken: the name BOB is taken; you are still alice"
lacks a "bob-2" || fail "alice became bob-2"
# Nothing changed for anyone: bob sees no rename, and a say is alice's.
type_line a "say still me"
wait_screen b "alice: still me"
lacks b "is now known as" || fail "a refused name was announced"

type_line a 'name "x y"'
wait_screen a "bad-name: a name is one word, without spaces"
lacks a '""' || fail "the name's quotes were echoed in quotes"
type_line a 'name "x"'
wait_screen a 'bad-name: a name cannot have the character " in it'

type_line a "color RED"
wait_screen a "alice switched to red"
wait_screen b "alice switched to red"
type_line a "color Blue"
wait_screen b "alice switched to blue"

# A free name is taken as typed.
type_line a "name carol"
wait_screen b "alice is now known as carol"
quit_client a
quit_client b
no_sanitizer_reports
