#!/bin/sh
# globals.sh - the client keeps its state in structs passed down: no file
# of its library has mutable data at file scope (nm: no b/d/g/s/C symbol).
# The one exception is tui/cmdline.c's pointer back to its struct cmdline,
# which readline's argument-less callbacks cannot be given any other way.
# Symbols the compiler makes itself (__odr_asan... under ASan) do not count.
lib=${1:?usage: globals.sh LIBTURTLETUI}

syms=$(nm "$lib") || { echo "FAIL: nm $lib" >&2; exit 1; }
# The listing must be the library's: its entry point and the one pointer.
printf '%s\n' "$syms" | grep -q ' T ui_main$' ||
	{ echo "FAIL: no ui_main in $lib" >&2; exit 1; }
printf '%s\n' "$syms" | grep -q ' [bd] cmdline_self$' ||
	{ echo "FAIL: no cmdline_self in $lib" >&2; exit 1; }
bad=$(printf '%s\n' "$syms" |
	awk '$2 ~ /^[bBdDgGsSC]$/ && $3 !~ /^__/ && $3 != "cmdline_self" { print $3 }')
if [ -n "$bad" ]; then
	echo "FAIL: mutable file-scope data in $lib:" $bad >&2
	exit 1
fi
exit 0
