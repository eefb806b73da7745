#!/bin/sh
# make memcheck: the test suite under valgrind and under an ASan/UBSan build,
# and gctorture on a small subset. Fails on any memory error, on undefined
# behaviour, and on definite leaks from package code.
set -eu
export DLNPATH_MEMCHECK=1   # randomized tests on a tenth of their problems
R=${R:-R}
RSCRIPT=${RSCRIPT:-Rscript}
top=$(pwd)
out=$top/check/memcheck
rm -rf "$out" && mkdir -p "$out/lib" "$out/asan-lib"

echo "== installing a -O0 -g build for valgrind"
printf 'CFLAGS = -g -O0\n' > "$out/Makevars.debug"
R_MAKEVARS_USER="$out/Makevars.debug" $R CMD INSTALL --preclean --library="$out/lib" . \
  > "$out/install.log" 2>&1 || { cat "$out/install.log"; exit 1; }

echo "== gctorture on one call of every entry point"
R_LIBS="$out/lib" $RSCRIPT tools/gctorture.R

echo "== test suite under valgrind (slow)"
R_LIBS="$out/lib" $R -d "valgrind --error-exitcode=42 --track-origins=yes --leak-check=full \
  --errors-for-leak-kinds=none --log-file=$out/valgrind.log" --vanilla --slave \
  -f tools/run-tests.R > "$out/valgrind-tests.out" 2>&1 || status=$?
tail -1 "$out/valgrind-tests.out"
if [ "${status:-0}" = 42 ] || grep -q "Invalid \(read\|write\)\|uninitialised\|Mismatched free" "$out/valgrind.log"; then
  echo "valgrind found memory errors:"; grep -A12 "Invalid\|uninitialised\|Mismatched" "$out/valgrind.log" | head -80
  exit 1
fi
# definite leaks whose stack passes through the package's shared object
if awk '/definitely lost in/{blk=1; txt=""} blk{txt=txt"\n"$0} /^==[0-9]+== $/{if(blk && txt ~ /dlnpath\.so/){print txt; found=1} blk=0} END{exit !found}' "$out/valgrind.log"; then
  echo "valgrind: definite leaks from dlnpath"; exit 1
fi
if [ "${status:-0}" != 0 ]; then echo "tests failed under valgrind"; exit 1; fi
echo "valgrind: clean"

echo "== test suite under AddressSanitizer + UBSan"
R_MAKEVARS_USER="$top/.ci/Makevars.asan" $R CMD INSTALL --preclean --no-test-load --library="$out/asan-lib" . \
  > "$out/asan-install.log" 2>&1 || { cat "$out/asan-install.log"; exit 1; }
asan=$(gcc -print-file-name=libasan.so)
ubsan=$(gcc -print-file-name=libubsan.so)
R_LIBS="$out/asan-lib" LD_PRELOAD="$asan $ubsan" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  $RSCRIPT tools/run-tests.R > "$out/asan-tests.out" 2>&1 || {
  tail -60 "$out/asan-tests.out"; echo "ASan/UBSan run failed"; exit 1; }
if grep -q "runtime error\|AddressSanitizer" "$out/asan-tests.out"; then
  grep -B2 -A20 "runtime error\|AddressSanitizer" "$out/asan-tests.out" | head -80; exit 1
fi
tail -1 "$out/asan-tests.out"
# the same with the portable build of the dense kernels (src/kernels.c)
R_LIBS="$out/asan-lib" LD_PRELOAD="$asan $ubsan" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  $RSCRIPT -e 'options(dlnpath.simd = FALSE); source("tools/run-tests.R")' \
  > "$out/asan-tests-portable.out" 2>&1 || {
  tail -60 "$out/asan-tests-portable.out"; echo "ASan/UBSan run (portable kernels) failed"; exit 1; }
if grep -q "runtime error\|AddressSanitizer" "$out/asan-tests-portable.out"; then
  grep -B2 -A20 "runtime error\|AddressSanitizer" "$out/asan-tests-portable.out" | head -80; exit 1
fi
tail -1 "$out/asan-tests-portable.out"
echo "ASan/UBSan: clean"
