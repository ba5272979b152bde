#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Builds every tests/fuzz/fuzz_*.c as a libFuzzer target (clang, ASan+UBSan)
# linked with libcfn's sources, and runs each for SECONDS (default 10) from
# its seed corpus tests/fuzz/corpus/<name>/.  Exits non-zero when a target
# crashes or leaks; prints one summary line per target with its execution
# count and a closing "N passed, N failed" line.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
shift || true
out=${CFN_FUZZ_DIR:-$top/.build/fuzz}
mkdir -p "$out"

cc=${CLANG:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: clang not found (./run build installs it)" >&2; exit 1; }
cflags="-g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$top/lib -I$top/ledger"
libs="$(pkg-config --libs json-c libssl libcrypto) -lm"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in "$top"/tests/fuzz/fuzz_*.c; do
		[ -e "$f" ] && targets+=("$(basename "$f" .c)")
	done
fi

passed=0
failed=0
for t in "${targets[@]}"; do
	src=$top/tests/fuzz/$t.c
	bin=$out/$t
	# A target names the extra sources it needs on a line
	# "// fuzz-sources: ledger/x.c lib/y.c"; libcfn's sources always link.
	extra=$(sed -n 's#^// fuzz-sources:##p' "$src")
	# and the pkg-config packages beyond json-c and libcrypto on a line
	# "// fuzz-packages: libyang"
	pkgs=$(sed -n 's#^// fuzz-packages:##p' "$src")
	srcs=("$src" "$top"/lib/*.c)
	for e in $extra; do srcs+=("$top/$e"); done
	# shellcheck disable=SC2086
	if ! $cc $cflags -o "$bin" "${srcs[@]}" $libs ${pkgs:+$(pkg-config --cflags --libs $pkgs)} 2>"$out/$t.build.log"; then
		echo "fuzz $t: BUILD FAILED"; cat "$out/$t.build.log" | head -20
		failed=$((failed + 1))
		continue
	fi
	corpus=$out/$t.corpus
	mkdir -p "$corpus"
	seeds=$top/tests/fuzz/corpus/$t
	[ -d "$seeds" ] || seeds=
	if "$bin" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$out/$t-" "$corpus" $seeds >"$out/$t.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
		echo "fuzz $t: ok, $execs executions in ${secs}s"
		passed=$((passed + 1))
	else
		echo "fuzz $t: FAILED (log: $out/$t.log)"
		grep -E 'ERROR|SUMMARY|runtime error' "$out/$t.log" | head -10
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ] && [ $((passed + failed)) -gt 0 ]
