#!/bin/sh
# prefix.sh - cmake --install into a temporary prefix gives a whole tree:
# the programs, both manual pages, bash completion and systemd units that
# name the installed turtled and pass systemd-analyze verify; the
# installed turtle starts the installed turtled (not the build tree's) on
# the default socket of a private runtime directory, gets an answer, and
# stops it.
. "$(dirname "$0")/lib.sh"

: "${BUILD_DIR:?BUILD_DIR must name the build tree}"
: "${CMAKE:=cmake}"
P=$TMP/prefix

at_exit() {
	stop_procs_of "$P/bin/turtled"
	private_dir_cleanup
}
trap at_exit EXIT

"$CMAKE" --install "$BUILD_DIR" --prefix "$P" >"$TMP/install.out" 2>&1 ||
	fail "cmake --install: $(cat "$TMP/install.out")"
# Exactly these files: no test programs, no libraries, no headers.
cat >"$TMP/want" <<EOT
bin/turtle
bin/turtled
lib/systemd/system/turtled.service
lib/systemd/system/turtled.socket
lib/systemd/user/turtled.service
lib/systemd/user/turtled.socket
share/bash-completion/completions/turtle
share/bash-completion/completions/turtled
share/doc/turtlenet/PROTOCOL.md
share/doc/turtlenet/README.md
share/man/man1/turtle.1
share/man/man8/turtled.8
EOT
find "$P" ! -type d | sed "s|^$P/||" | LC_ALL=C sort >"$TMP/files"
diff "$TMP/want" "$TMP/files" >"$TMP/files.diff" ||
	fail "installed files differ from the list: $(cat "$TMP/files.diff")"
[ -x "$P/bin/turtle" ] && [ -x "$P/bin/turtled" ] || fail "not executable"

# The units run the installed turtled, and systemd finds nothing wrong.
for kind in system user; do
	has_line "$P/lib/systemd/$kind/turtled.service" \
		"^ExecStart=$P/bin/turtled -f( |\$)" ||
		fail "the $kind unit does not start $P/bin/turtled"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	systemd-analyze verify --man=no "$P/lib/systemd/system/turtled.socket" \
		"$P/lib/systemd/system/turtled.service" >"$TMP/verify.err" 2>&1 ||
		fail "systemd-analyze verify (system): $(cat "$TMP/verify.err")"
	[ ! -s "$TMP/verify.err" ] ||
		fail "systemd-analyze verify (system): $(cat "$TMP/verify.err")"
	mkdir -m 700 -p "$XDG_RUNTIME_DIR"
	systemd-analyze --user verify --man=no \
		"$P/lib/systemd/user/turtled.socket" \
		"$P/lib/systemd/user/turtled.service" >"$TMP/verify.err" 2>&1 ||
		fail "systemd-analyze verify (user): $(cat "$TMP/verify.err")"
	[ ! -s "$TMP/verify.err" ] ||
		fail "systemd-analyze verify (user): $(cat "$TMP/verify.err")"
else
	echo "note: no systemd-analyze, the units are not verified" >&2
fi

# The installed client starts the turtled installed beside it (on the
# default socket: the only one it starts a server on).
DEF=$XDG_RUNTIME_DIR/turtlenet/default
T() { "$P/bin/turtle" "$@"; }
"$P/bin/turtle" --version | grep -q '^turtle ' || fail "turtle --version"
"$P/bin/turtled" --version | grep -q '^turtled ' || fail "turtled --version"
T -n alice -c where >"$TMP/where.out" 2>&1 ||
	fail "installed turtle -c where: $(cat "$TMP/where.out")"
has_line "$TMP/where.out" '^turtle at <0:0> heading 0,' ||
	fail "where: $(cat "$TMP/where.out")"
pid=$(TURTLE=$P/bin/turtle server_pid)
[ -n "$pid" ] || fail "turtle status names no pid"
[ "$(readlink "/proc/$pid/exe")" = "$P/bin/turtled" ] ||
	fail "the server is $(readlink "/proc/$pid/exe"), not $P/bin/turtled"

# It stops on _exit (we own it) and leaves nothing behind.
T --no-start -c _exit >"$TMP/exit.out" 2>&1 || fail "_exit: $(cat "$TMP/exit.out")"
wait_for "the installed turtled to stop" no_procs_of "$P/bin/turtled"
wait_for "its socket to go" test ! -e "$DEF"
exit 0
