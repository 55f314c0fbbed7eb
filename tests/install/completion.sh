#!/bin/bash
# completion.sh - bash completion for turtle and turtled: the functions are
# registered with complete -F, and for a few command lines (COMP_WORDS,
# COMP_CWORD) they offer the right words: options, ping/status and their
# options, turtle's --draw and turtled's --mode values, and for -S
# directories and sockets but not other files.  Every option --help
# prints is offered.
. "$(dirname "$0")/lib.sh" || exit 1

: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
# shellcheck source=../../dist/completion/turtlenet.bash
. "$SOURCE_DIR/dist/completion/turtlenet.bash"

complete -p turtle | grep -qx -- 'complete -F _turtle turtle' ||
	fail "turtle: $(complete -p turtle 2>&1)"
complete -p turtled | grep -qx -- 'complete -F _turtled turtled' ||
	fail "turtled: $(complete -p turtled 2>&1)"

# comp WORD...: completes the last word of the command line; the answer
# is in $got, one word a line, sorted.
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	func=$(complete -p "$1" | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
	"$func" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort)
}

# expect WANT... -- WORD...: the completion of WORD... is exactly WANT.
expect() {
	want=
	while [ "$1" != -- ]; do
		want="$want$1"$'\n'
		shift
	done
	shift
	comp "$@"
	[ "$got" = "${want%$'\n'}" ] ||
		fail "completing '$*': got [${got//$'\n'/ }], want [${want//$'\n'/ }]"
}

expect export ping status -- turtle ''
expect png svg txt -- turtle export ''
expect --scale -- turtle export png out.png --sc
expect ping -- turtle -n alice p
expect --watch -- turtle --w
expect --no-start -- turtle --no
expect -- turtle -c ''
expect -- turtle -s ''
expect --turn-timeout -- turtle --tu
expect -- turtle --turn-timeout ''
expect -S -W -c -i -s -- turtle -S /x ping -
expect -S -W -s -- turtle status -
expect ascii box braille -- turtle --draw ''
expect box braille -- turtle -n alice --draw b
expect free turns -- turtled --mode ''
expect turns -- turtled -f --mode t
expect --log --login-grace -- turtled --lo
expect --pidfile -- turtled -f --pid
expect always batch none -- turtled --fsync ''
expect --state -- turtled --sta
expect -- turtled --rate ''

# -S: directories and sockets, not regular files and not PATH.ping.
D=$TMP/socks
mkdir -p "$D/sub"
: >"$D/file"
for s in "$D/srv" "$D/srv.ping"; do
	perl -MSocket -e 'socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "$!";
		bind($s, pack_sockaddr_un($ARGV[0])) or die "$!"' "$s" ||
		fail "cannot make the socket $s"
done
expect "$D/srv" "$D/sub" -- turtle -S "$D/"
expect "$D/srv" "$D/sub" -- turtled -v -S "$D/"
expect "$D/srv" -- turtle -S "$D/sr"
# --log: any file.
expect "$D/file" -- turtled --log "$D/f"
# Before a path is begun, the default socket directory's sockets too.
mkdir -p "$XDG_RUNTIME_DIR/turtlenet"
mv "$D/srv" "$XDG_RUNTIME_DIR/turtlenet/default"
comp turtle -S ''
printf '%s\n' "$got" | grep -qx "$XDG_RUNTIME_DIR/turtlenet/default" ||
	fail "-S '' does not offer the default socket: [$got]"

# Every option of --help is offered after '-' (for turtle: or after
# "ping -" or "export png f -", whose -c -i -W and --scale its usage
# shows too).
for prog in turtle turtled; do
	if [ $prog = turtle ]; then
		exe=$TURTLE
		comp turtle ping -
		sub=$got
		comp turtle export png f -
		sub=$sub$'\n'$got
	else
		exe=$TURTLED
		sub=
	fi
	comp $prog -
	got=$got$'\n'$sub
	# [-fvV] is -f -v -V.
	"$exe" --help | grep -oE -- '(^|[[ ,])--?[A-Za-z][A-Za-z-]*' |
		sed -e 's/^[[ ,]//' \
		    -e '/^-[A-Za-z][A-Za-z]/{s/^-//;s/[A-Za-z]/\n-&/g;}' |
		grep -- '^-' | sort -u >"$TMP/$prog.opts"
	[ "$(wc -l <"$TMP/$prog.opts")" -ge 10 ] ||
		fail "too few $prog options found: $(cat "$TMP/$prog.opts")"
	while read -r opt; do
		printf '%s\n' "$got" | grep -qx -- "$opt" ||
			fail "$prog completion lacks $opt"
	done <"$TMP/$prog.opts"
done
exit 0
