#!/bin/sh
# manpage.sh - turtle(1) keeps up with the program: every option --help
# prints, every key the help overlay (assets/help.txt) lists and the paste
# question are in the manual page, and it formats without a warning.
. "$(dirname "$0")/lib.sh"

: "${TURTLE_MAN:?TURTLE_MAN must name assets/turtle.1}"
: "${TURTLE_HELP_TXT:?TURTLE_HELP_TXT must name assets/help.txt}"

# The page as text, troff's \- and \(em made plain, fonts dropped.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/^\.[A-Z][A-Z]* //' \
	"$TURTLE_MAN" >"$TMP/man.txt"
in_man() {
	grep -qF -- "$1" "$TMP/man.txt"
}

"$TURTLE" --help >"$TMP/help.out" || fail "turtle --help"
# Every option: --long ones and -X ones, in the usage and the list.
grep -oE -- '(^|[[ ])--?[A-Za-z][a-z-]*' "$TMP/help.out" | sed 's/^[[ ]//' |
	sort -u >"$TMP/opts"
[ "$(wc -l <"$TMP/opts")" -ge 15 ] || fail "too few options found: $(cat "$TMP/opts")"
while read -r opt; do
	in_man "$opt" || fail "turtle(1) lacks the option $opt"
done <"$TMP/opts"
for sub in ping status; do
	in_man "$sub" || fail "turtle(1) lacks $sub"
done

# Every key of the help overlay's list.
sed -n '/^Keys:/,/^$/p' "$TURTLE_HELP_TXT" | sed '1d;/^$/d' |
	sed -E 's/^  (.*[^ ]) {2,}.*$/\1/' | sed -E 's/ \([^)]*\)//g' |
	tr ',/' '\n\n' | sed -E 's/^ +//; s/ +$//' | grep -v '^$' >"$TMP/keys"
[ "$(wc -l <"$TMP/keys")" -ge 12 ] || fail "too few keys found: $(cat "$TMP/keys")"
while read -r key; do
	case $key in
	*+arrows) key=${key%arrows}Left ;;
	esac
	in_man "$key" || fail "turtle(1) lacks the key $key"
done <"$TMP/keys"
in_man "pasted lines? [y/n]" || fail "turtle(1) lacks the paste question"
in_man "Ctrl-D" || fail "turtle(1) lacks Ctrl-D"

# It formats cleanly, where groff is installed.
if command -v groff >/dev/null; then
	groff -man -Tutf8 -ww -z "$TURTLE_MAN" 2>"$TMP/groff.err" || fail "groff failed"
	[ ! -s "$TMP/groff.err" ] || fail "groff warns: $(cat "$TMP/groff.err")"
fi
exit 0
