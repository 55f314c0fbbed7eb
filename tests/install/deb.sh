#!/bin/sh
# deb.sh - cpack -G DEB makes a package whose Depends names the shared
# libraries the programs link; apt-get installs it, the installed turtle
# starts the installed turtled on the default socket of a private runtime
# directory and gets an answer,
# the man pages and completion are where man and bash look, and apt-get
# removes it again without leaving a file.  Needs root and apt-get (CI has
# both); a machine with turtlenet already installed is left alone.
. "$(dirname "$0")/lib.sh"

: "${BUILD_DIR:?BUILD_DIR must name the build tree}"
: "${CPACK:=cpack}"
[ "$(id -u)" = 0 ] || skip "installing a package needs root"
command -v apt-get >/dev/null 2>&1 || skip "no apt-get"
command -v dpkg-deb >/dev/null 2>&1 || skip "no dpkg-deb"
command -v flock >/dev/null 2>&1 || skip "no flock"
INSTALLED=0
export DEBIAN_FRONTEND=noninteractive

# One package test at a time on this machine (other build trees too).
exec 9>/var/lock/turtlenet-deb-test.lock
flock -w 600 9 || fail "the package test lock is held"
dpkg-query -W -f='${Status}\n' turtlenet 2>/dev/null | grep -q 'ok installed' &&
	skip "a turtlenet package is already installed here; not replacing it"

remove() {
	apt-get remove --purge -y -o DPkg::Lock::Timeout=300 turtlenet \
		>"$TMP/remove.out" 2>&1
}
# Only while the package is ours is a /usr/bin/turtled ours.
at_exit() {
	if [ "$INSTALLED" = 1 ]; then
		stop_procs_of /usr/bin/turtled
		remove || echo "FAIL: apt-get remove: $(cat "$TMP/remove.out")" >&2
	fi
	private_dir_cleanup
}
trap at_exit EXIT

mkdir -m 755 "$TMP/pkg"
chmod 755 "$TMP" # apt's _apt user reads the .deb
"$CPACK" -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$TMP/pkg" \
	>"$TMP/cpack.out" 2>&1 || fail "cpack: $(cat "$TMP/cpack.out")"
set -- "$TMP"/pkg/turtlenet_*.deb
[ $# = 1 ] && [ -f "$1" ] || fail "no package: $(ls "$TMP/pkg")"
DEB=$1

# Depends: what turtle links (turtled is static, or adds libevent-core).
dpkg-deb -f "$DEB" Depends >"$TMP/depends"
for lib in libc6 libevent-2.1-7 libncursesw6 libreadline8; do
	grep -Eq "(^|, )$lib( |,|\$)" "$TMP/depends" ||
		fail "Depends lacks $lib: $(cat "$TMP/depends")"
done
[ "$(dpkg-deb -f "$DEB" Package)" = turtlenet ] || fail "package name"
dpkg-deb -c "$DEB" >"$TMP/contents"
grep -q ' ./usr/bin/turtled$' "$TMP/contents" || fail "no /usr/bin/turtled"

INSTALLED=1
apt-get install -y -o DPkg::Lock::Timeout=300 "$DEB" >"$TMP/install.out" 2>&1 ||
	fail "apt-get install: $(cat "$TMP/install.out")"
dpkg-query -W -f='${Status}\n' turtlenet | grep -q 'ok installed' ||
	fail "not installed"
dpkg-query -L turtlenet >"$TMP/files"

# The package's programs, on the default socket of our private runtime
# directory (the only socket turtle starts a server on).
/usr/bin/turtle -n alice -c where >"$TMP/where.out" 2>&1 ||
	fail "/usr/bin/turtle -c where: $(cat "$TMP/where.out")"
has_line "$TMP/where.out" '^turtle at <0:0> heading 0,' ||
	fail "where: $(cat "$TMP/where.out")"
pid=$(TURTLE=/usr/bin/turtle server_pid)
[ -n "$pid" ] || fail "turtle status names no pid"
[ "$(readlink "/proc/$pid/exe")" = /usr/bin/turtled ] ||
	fail "the server is $(readlink "/proc/$pid/exe"), not /usr/bin/turtled"
/usr/bin/turtle --no-start -c _exit >/dev/null 2>&1 || fail "_exit"
wait_for "the package's turtled to stop" no_procs_of /usr/bin/turtled

# Where man, bash-completion and systemd look.
man -w turtle 2>/dev/null | grep -q '^/usr/share/man/man1/turtle\.1' ||
	fail "man -w turtle: $(man -w turtle 2>&1)"
man -w 8 turtled 2>/dev/null | grep -q '^/usr/share/man/man8/turtled\.8' ||
	fail "man -w turtled: $(man -w 8 turtled 2>&1)"
[ -f /usr/share/bash-completion/completions/turtle ] || fail "no completion"
if command -v systemd-analyze >/dev/null 2>&1; then
	systemd-analyze verify --man=no /usr/lib/systemd/system/turtled.socket \
		/usr/lib/systemd/system/turtled.service >"$TMP/verify.err" 2>&1 &&
		[ ! -s "$TMP/verify.err" ] ||
		fail "systemd-analyze verify: $(cat "$TMP/verify.err")"
fi

# Removed and purged, nothing of it is left.
remove || fail "apt-get remove: $(cat "$TMP/remove.out")"
INSTALLED=0
if dpkg-query -W -f='${Status}\n' turtlenet 2>/dev/null | grep -q 'installed'; then
	fail "still installed: $(dpkg-query -W -f='${Status}' turtlenet)"
fi
while read -r f; do
	[ -d "$f" ] && continue # shared directories like /usr/bin stay
	[ ! -e "$f" ] || fail "$f was left behind"
done <"$TMP/files"
exit 0
