#!/bin/sh
# no_testing.sh - cmake -DBUILD_TESTING=OFF configures without cmocka (a
# pkg-config that does not know it), builds only the programs, installs
# them, and the installed turtle answers --version.
. "$(dirname "$0")/lib.sh"

: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
: "${CMAKE:=cmake}"
B=$TMP/build

# pkg-config as it would be on a machine without libcmocka-dev.
cat >"$TMP/pkg-config" <<EOT
#!/bin/sh
for a in "\$@"; do
	case \$a in *cmocka*) echo "no cmocka here" >&2; exit 1 ;; esac
done
exec $(command -v pkg-config) "\$@"
EOT
chmod 755 "$TMP/pkg-config"

"$CMAKE" -S "$SOURCE_DIR" -B "$B" -DBUILD_TESTING=OFF \
	-DPKG_CONFIG_EXECUTABLE="$TMP/pkg-config" >"$TMP/configure.out" 2>&1 ||
	fail "configure: $(tail -20 "$TMP/configure.out")"
"$CMAKE" --build "$B" -j 2 >"$TMP/build.out" 2>&1 ||
	fail "build: $(tail -20 "$TMP/build.out")"
[ ! -e "$B/tests" ] || fail "the tests were configured"
[ ! -e "$B/CTestTestfile.cmake" ] || fail "a CTest file was written"
"$CMAKE" --install "$B" --prefix "$TMP/prefix" >"$TMP/install.out" 2>&1 ||
	fail "install: $(cat "$TMP/install.out")"
"$TMP/prefix/bin/turtle" --version | grep -q '^turtle ' || fail "turtle --version"
"$TMP/prefix/bin/turtled" --version | grep -q '^turtled ' || fail "turtled --version"
exit 0
