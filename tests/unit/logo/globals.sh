#!/bin/sh
# globals.sh - the Logo core keeps all state in the structs it is passed:
# no object of its library may sit in a writable section (.data, .bss,
# common).  Tables of pointers are const and land in .data.rel.ro, which
# the loader makes read-only once relocated, so nm's "d" is not enough to
# tell; objdump's section names are.
lib=${1:?usage: globals.sh LIBTURTLELOGO}

syms=$(objdump -t "$lib") || { echo "FAIL: objdump -t $lib" >&2; exit 1; }
printf '%s\n' "$syms" | grep -q ' logo_eval_line$' ||
	{ echo "FAIL: no logo_eval_line in $lib" >&2; exit 1; }
bad=$(printf '%s\n' "$syms" | awk '
	$3 == "O" || $2 == "O" {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^(\.data|\.bss|\.tdata|\.tbss|\*COM\*)/ &&
			    $i !~ /^\.data\.rel\.ro/)
				if ($NF !~ /^__/)
					print $NF
	}')
if [ -n "$bad" ]; then
	echo "FAIL: writable data in $lib:" $bad >&2
	exit 1
fi
exit 0
