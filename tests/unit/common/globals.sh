#!/bin/sh
# globals.sh - the common library keeps no state: no file of it has
# mutable data at file scope (nm: no b/d/g/s/C symbol).  Symbols the
# compiler makes itself (__odr_asan... under ASan) do not count.
lib=${1:?usage: globals.sh LIBTURTLECOMMON}

syms=$(nm "$lib") || { echo "FAIL: nm $lib" >&2; exit 1; }
printf '%s\n' "$syms" | grep -q ' T common_path_socket$' ||
	{ echo "FAIL: no common_path_socket in $lib" >&2; exit 1; }
bad=$(printf '%s\n' "$syms" |
	awk '$2 ~ /^[bBdDgGsSC]$/ && $3 !~ /^__/ { print $3 }')
if [ -n "$bad" ]; then
	echo "FAIL: mutable file-scope data in $lib:" $bad >&2
	exit 1
fi
exit 0
