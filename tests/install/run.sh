#!/bin/sh
# run.sh - README's first command, scripts/run, on a fresh copy of the
# source: it builds turtle and turtled and nothing else (no test, no
# benchmark), then runs the client with the arguments given (--version
# here, so nothing waits for a terminal).
. "$(dirname "$0")/lib.sh"

: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
command -v dpkg-query >/dev/null 2>&1 || skip "scripts/setup needs dpkg-query"
S=$TMP/src
mkdir "$S"
(cd "$SOURCE_DIR" && tar --exclude='./build*' --exclude=./.git -cf - .) |
	tar -C "$S" -xf - || fail "copying the source"

"$S/scripts/run" --version >"$TMP/run.out" 2>"$TMP/run.err" ||
	fail "scripts/run --version: $(tail -20 "$TMP/run.err")"
grep -q '^turtle [0-9.]* (protocol [0-9]*)$' "$TMP/run.out" ||
	fail "not turtle's version: $(cat "$TMP/run.out")"
[ -x "$S/build/tui/turtle" ] && [ -x "$S/build/server/turtled" ] ||
	fail "turtle and turtled were not built"
# Every executable file the build made: the two programs, and cmake's
# own probes under CMakeFiles.
find "$S/build" -type f -perm -u+x ! -path '*/CMakeFiles/*' |
	sed "s|^$S/build/||" | LC_ALL=C sort >"$TMP/built"
printf 'server/turtled\ntui/turtle\n' >"$TMP/want"
diff "$TMP/want" "$TMP/built" >"$TMP/built.diff" ||
	fail "scripts/run built more than the programs: $(cat "$TMP/built.diff")"
exit 0
