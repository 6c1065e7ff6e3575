#!/usr/bin/env bash
# Fuzzes the decoders of outside bytes with libFuzzer for a bounded time:
#   FuzzChangeBatch  ChangeBatch.decode (JSON format 1, the binary formats)
#   FuzzPullPage     PullPage.decode, and PullRequest as JSON
#   FuzzBundle       BundleReader (read and header(of:))
#
#   Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default 60 s, every target
#
# The targets live in their own package (Fuzz/), built here with -sanitize=fuzzer,address.
# Seeds: Fuzz/corpus/TARGET/ (committed; written by the target itself with the real encoders
# when the folder is empty, or always with FUZZ_RESEED=1). What libFuzzer grows goes to
# Fuzz/corpus-grown/TARGET/ (git-ignored). A crashing input is written to
# Fixtures/fuzz-crashes/TARGET/: commit it, and DecoderFuzzFixtureTests replays it in every
# test run. Logs: .build-fuzz/logs/TARGET.log. Exits 1 when a run found a crash.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzChangeBatch FuzzPullPage FuzzBundle)

scratch=.build-fuzz
flags=(--package-path Fuzz --scratch-path "$scratch" -c debug
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
mkdir -p "$scratch/logs"
echo "fuzz: building the targets (log: $scratch/logs/build.log)"
# gold warns once per ASan helper symbol it cannot export; the warnings are harmless.
if ! swift build "${flags[@]}" >"$scratch/logs/build.log" 2>&1; then
  grep -v "Cannot export local symbol" "$scratch/logs/build.log" | tail -30
  exit 1
fi
bin="$(swift build "${flags[@]}" --show-bin-path)"

# FuzzBundle writes each input to a file: in memory when the machine has /dev/shm.
shm=/dev/shm
[ -d "$shm" ] && [ -w "$shm" ] || shm="$scratch"
export FIELDBOOK_FUZZ_SCRATCH="$shm/fieldbook-fuzz-$$"
trap 'rm -rf "$FIELDBOOK_FUZZ_SCRATCH"' EXIT

# Swift's own crash backtracer would take the signal from libFuzzer (and trips ASan).
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"

found=0
printf '\n%-16s %10s %8s %8s %8s\n' target runs exec/s corpus crashes
for target in "${targets[@]}"; do
  seeds="Fuzz/corpus/$target"
  grown="Fuzz/corpus-grown/$target"
  artifacts="Fixtures/fuzz-crashes/$target"
  log="$scratch/logs/$target.log"
  mkdir -p "$seeds" "$grown" "$artifacts"
  if [ -z "$(ls -A "$seeds")" ] || [ "${FUZZ_RESEED:-0}" = 1 ]; then
    ASAN_OPTIONS=detect_leaks=0 FIELDBOOK_FUZZ_SEEDS="$seeds" "$bin/$target"
  fi
  corpora=("$grown" "$seeds")
  # The hostile bundles kept for the reader's own tests are seeds too (read, never written).
  [ "$target" = FuzzBundle ] && corpora+=(Fixtures/bad-bundles)

  before="$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)"
  status=0
  "$bin/$target" -max_total_time="$seconds" -print_final_stats=1 -dict=Fuzz/fieldbook.dict \
    -artifact_prefix="$artifacts/" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    "${corpora[@]}" >"$log" 2>&1 || status=$?
  after="$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)"
  new="$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')"
  crashes="$(printf '%s' "$new" | grep -c . || true)"

  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  corpus="$(grep -o 'corp: [0-9]*' "$log" | tail -1 | sed 's/corp: //')"
  printf '%-16s %10s %8s %8s %8s\n' "$target" "${runs:-?}" "${rate:-?}" "${corpus:-?}" "$crashes"
  if [ "$crashes" -gt 0 ]; then
    found=1
    grep -m3 -E 'Fatal error|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|SUMMARY' "$log" | sed 's/^/    /' || true
    printf '%s\n' "$new" | sed 's/^/    kept: /'
  elif [ "$status" -ne 0 ]; then
    echo "    libFuzzer exited $status without an artifact; see $log" >&2
    found=1
  fi
done

if [ "$found" = 1 ]; then
  echo "fuzz: crashes found; commit the kept inputs, then fix (Tests/FieldbookSyncTests/DecoderFuzzFixtureTests.swift replays them)"
  exit 1
fi
