#!/usr/bin/env bash
# bench-compare.sh — phiscan vs ripgrep on a deterministic synthetic corpus.
#
# Usage:
#   scripts/bench-compare.sh [--size 100M] [--seed 42] [--threads 2] [--corpus DIR]
#                            [--density 0.5] [--runs 3] [--draft-runs 20] [--rg-pypi]
#
#   PHISCAN_BIN=/path/to/phiscan scripts/bench-compare.sh ...   # use this binary, skip cargo build
#   PHISCAN_BIN=/bin/true        scripts/bench-compare.sh ...   # dry run of the harness itself
#   BENCH_CACHE_DIR=/tmp/bench   scripts/bench-compare.sh ...   # cache corpora here, not in target/
#   RG_BIN=/path/to/rg           scripts/bench-compare.sh ...   # compare against this ripgrep
#
#   --rg-pypi  compare against the current ripgrep from PyPI (package `ripgrep`, a wheel that
#              ships the rg binary; pip-installed once into <cache>/rg-pypi) instead of Debian's
#              ripgrep 13. ripgrep 14+ uses regex-automata, the engine phiscan uses.
#
#   1. Installs ripgrep (and GNU time, for peak RSS) from Debian if missing (needs root + apt),
#      or uses RG_BIN, or --rg-pypi.
#   2. Builds phiscan with `cargo build --release` in the repo root (found from this script's
#      location), unless PHISCAN_BIN is set.
#   3. Generates the corpus with scripts/gen_corpus.py into
#      target/bench-corpus-<seed>-<size>[-d<density>] unless it already exists (or uses --corpus).
#      The truth file lands next to it (target/bench-corpus-....truth.jsonl).
#   4. Measures (wall time, best of --runs after one warm-up run, page cache warm):
#        a. phiscan scan --format json -j T CORPUS > /dev/null      (exit 1 = findings, expected)
#        b. rg -j T -c -e RE1 ... -e RE19 CORPUS > /dev/null        (19 identifier regexes) in
#           three modes: default (Unicode), --no-unicode, and Unicode with ASCII word boundaries
#           (every \b written (?-u:\b)). Unicode \b stops the lazy DFA at the first non-ASCII
#           byte, and the corpus has curly quotes, accents and emoji: with rg 13 and 15 alike the
#           default mode is ~100x slower than either other mode. The third mode is what an
#           engine can do while still matching Unicode text.
#        c. phiscan on one ~1 KB draft (the pre-commit case): median of --draft-runs runs
#           (rg on the same file for reference: the floor for process start-up)
#        d. peak RSS of phiscan on the whole corpus (/usr/bin/time -f %M)
#        e. phiscan -j 1 vs -j T (T = --threads, at least 2): speed-up (rg --no-unicode likewise,
#           to show what the machine allows)
#      A command whose warm-up run takes over 10 s is timed once more instead of --runs times.
#   5. Prints the machine (nproc, CPU model) and a table. Ratios are phiscan time / rg time
#      (1.0 = as fast as ripgrep, 2.0 = twice as slow).
#
# Times use bash's $EPOCHREALTIME (no fork per timestamp). MiB = 2^20 bytes.
# rg gets --no-ignore so that an enclosing .gitignore (the corpus lives under target/) can
# never hide files from it; the corpus itself holds no ignore files and no hidden files.
# The rg patterns are identifier regexes only; phiscan also runs dictionaries (names,
# diagnoses, medications), validators and context scoring, so it does strictly more work.

set -euo pipefail
export LC_ALL=C

SIZE=100M
SEED=42
THREADS=2
CORPUS=
DENSITY=
RUNS=3
DRAFT_RUNS=20
RG_PYPI=
SLOW_US=10000000

die() { echo "bench-compare: $*" >&2; exit 2; }
usage() { sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) SIZE=${2:?}; shift 2 ;;
    --seed) SEED=${2:?}; shift 2 ;;
    --threads|-j) THREADS=${2:?}; shift 2 ;;
    --corpus) CORPUS=${2:?}; shift 2 ;;
    --density) DENSITY=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --draft-runs) DRAFT_RUNS=${2:?}; shift 2 ;;
    --rg-pypi) RG_PYPI=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "bench-compare: unknown argument: $1" >&2; usage 2 ;;
  esac
done
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ && $DRAFT_RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs/--draft-runs must be positive integers"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
[[ $TARGET_DIR = /* ]] || TARGET_DIR=$ROOT/$TARGET_DIR
CACHE_DIR=${BENCH_CACHE_DIR:-$TARGET_DIR}

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || die "$1 is missing and apt-get is not available; install it yourself"
  local sudo=
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  if [[ -z $APT_UPDATED ]]; then
    echo "installing $* (apt-get)..." >&2
    $sudo apt-get update -qq >&2
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}
if [[ -n ${RG_BIN:-} ]]; then
  RG=$RG_BIN
elif [[ -n $RG_PYPI ]]; then
  RG=$CACHE_DIR/rg-pypi/bin/rg
  if [[ ! -x $RG ]]; then
    echo "installing ripgrep from PyPI into $CACHE_DIR/rg-pypi ..." >&2
    python3 -m pip install --quiet --disable-pip-version-check --target "$CACHE_DIR/rg-pypi" ripgrep >&2 \
      || die "pip install ripgrep failed"
  fi
else
  command -v rg >/dev/null || apt_install ripgrep
  RG=$(command -v rg)
fi
[[ -x $RG ]] || die "ripgrep not executable: $RG"
[[ -x /usr/bin/time ]] || apt_install time
command -v python3 >/dev/null || die "python3 is required (for gen_corpus.py)"

if [[ -n ${PHISCAN_BIN:-} ]]; then
  BIN=$PHISCAN_BIN
  [[ $BIN == */* ]] || BIN=$(command -v "$BIN") || die "PHISCAN_BIN=$PHISCAN_BIN not found"
  echo "using PHISCAN_BIN=$BIN (no cargo build)" >&2
else
  command -v cargo >/dev/null || die "cargo not found (or set PHISCAN_BIN)"
  echo "building phiscan (cargo build --release)..." >&2
  (cd "$ROOT" && cargo build --release --quiet) || die "cargo build failed"
  BIN=$TARGET_DIR/release/phiscan
fi
[[ -x $BIN ]] || die "phiscan binary not executable: $BIN"

# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------
GEN=(python3 "$SCRIPT_DIR/gen_corpus.py" --seed "$SEED")
[[ -n $DENSITY ]] && GEN+=(--density "$DENSITY")
if [[ -z $CORPUS ]]; then
  CORPUS=$CACHE_DIR/bench-corpus-$SEED-$SIZE${DENSITY:+-d$DENSITY}
  if [[ ! -d $CORPUS ]]; then
    mkdir -p "$CACHE_DIR"
    echo "generating corpus $CORPUS ..." >&2
    "${GEN[@]}" --size "$SIZE" --out "$CORPUS" >&2
  fi
fi
[[ -d $CORPUS ]] || die "corpus folder not found: $CORPUS"
CORPUS=$(cd "$CORPUS" && pwd)

# The ~1 KB draft for the pre-commit case: a one-file corpus, generated once next to the cache.
DRAFT_DIR=$CACHE_DIR/bench-draft-1k-$SEED
if [[ ! -d $DRAFT_DIR ]]; then
  mkdir -p "$CACHE_DIR"
  "${GEN[@]}" --size 1K --out "$DRAFT_DIR" --quiet -j 1
fi
DRAFT=$(find "$DRAFT_DIR" -type f | sort | head -n 1)
[[ -n $DRAFT ]] || die "no draft file in $DRAFT_DIR"

read -r NFILES BYTES < <(find "$CORPUS" -type f -printf '%s\n' | awk '{n++; s+=$1} END {print n+0, s+0}')
[[ $BYTES -gt 0 ]] || die "corpus is empty: $CORPUS"
DRAFT_BYTES=$(stat -c %s "$DRAFT")

# ---------------------------------------------------------------------------------------------
# Patterns (kept comparable to phiscan's built-in identifier rules)
# ---------------------------------------------------------------------------------------------
MONTHS='January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec'
PATTERNS=(
  '\b\d{3}-\d{2}-\d{4}\b'                                                   # SSN
  '(?i:ssn|social security (?:number|no\.?))[:#]?\s*\d{3}[- ]?\d{2}[- ]?\d{4}\b'  # SSN with label
  '\(\d{3}\) ?\d{3}-\d{4}\b'                                                # phone (617) 555-0143
  '\b\d{3}[-.]\d{3}[-.]\d{4}\b'                                             # phone 617-555-0143
  '\+1[ -]?\d{3}[ -]\d{3}[ -]\d{4}\b'                                       # phone +1 617 555 0143
  '\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b'                      # e-mail
  '\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:19|20)?\d{2}\b'         # date 03/14/2024
  '\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b'            # date ISO
  "\\b(?:$MONTHS)\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}\\b"                 # date March 3, 2021
  '(?i:MRN|medical record (?:number|no\.?))[:# ]*\d{6,10}\b'                # MRN
  '\b[A-Z]{2} \d{5}(?:-\d{4})?\b'                                           # ZIP after state
  '(?i:zip(?: code)?)[: ]*\d{5}(?:-\d{4})?\b'                               # ZIP with label
  '\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b'   # IPv4
  '\bhttps?://[^\s"<>)]+'                                                   # URL
  '\b(?:\d[ -]?){12,18}\d\b'                                                # card-like 13-19 digits
  '\b[12]\d{9}\b'                                                           # NPI-like 10 digits
  '\b(?:9\d|1[01]\d)[- ]years?[- ]old\b'                                    # age 92-year-old
  '(?i:\baged?) (?:9\d|1[01]\d)\b'                                          # age 94
  '\b\d{1,5} [A-Z][a-z]+ (?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl)\b'  # street address
)
RG_ARGS=(--no-ignore)
RG_ARGS_B=(--no-ignore)
for p in "${PATTERNS[@]}"; do
  RG_ARGS+=(-e "$p")
  RG_ARGS_B+=(-e "${p//\\b/(?-u:\\b)}")
done
"$RG" "${RG_ARGS[@]}" -c "$DRAFT" >/dev/null 2>&1 || [[ $? -eq 1 ]] || die "rg rejected the patterns"
RG_FILES=$("$RG" --no-ignore --files "$CORPUS" | wc -l)
[[ $RG_FILES -eq $NFILES ]] || echo "warning: rg sees $RG_FILES files, find sees $NFILES" >&2

# ---------------------------------------------------------------------------------------------
# Timing helpers (microseconds, integer)
# ---------------------------------------------------------------------------------------------
ERRLOG=$(mktemp)
trap 'rm -f "$ERRLOG"' EXIT

# run_once CMD... : runs with stdout to /dev/null; exit 0/1 are fine (1 = findings / no match).
LAST_US=0
run_once() {
  local t0 t1 rc=0
  t0=${EPOCHREALTIME/[.,]/}
  "$@" >/dev/null 2>>"$ERRLOG" || rc=$?
  t1=${EPOCHREALTIME/[.,]/}
  if [[ $rc -gt 1 ]]; then
    echo "bench-compare: command failed (exit $rc): $*" | cut -c1-300 >&2
    tail -n 5 "$ERRLOG" >&2
    exit 2
  fi
  LAST_US=$((10#$t1 - 10#$t0))
}

# best_of CMD... : one warm-up, then $RUNS runs (1 if the warm-up took over SLOW_US);
# echoes the best time in microseconds.
best_of() {
  local best=0 i n=$RUNS
  run_once "$@"
  [[ $LAST_US -le $SLOW_US ]] || n=1
  for ((i = 0; i < n; i++)); do
    run_once "$@"
    if [[ $best -eq 0 || $LAST_US -lt $best ]]; then best=$LAST_US; fi
  done
  echo "$best"
}

# median_of N CMD... : one warm-up, then N runs; echoes the median in microseconds.
median_of() {
  local n=$1 i
  shift
  local -a ts=()
  run_once "$@"
  for ((i = 0; i < n; i++)); do
    run_once "$@"
    ts+=("$LAST_US")
  done
  printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'
}

T2=$THREADS
[[ $T2 -ge 2 ]] || T2=2
PHI=("$BIN" scan --format json)

echo "measuring (best of $RUNS after a warm-up; corpus $CORPUS)..." >&2
echo "  phiscan -j $THREADS" >&2;           T_PHI=$(best_of "${PHI[@]}" -j "$THREADS" "$CORPUS")
echo "  rg -j $THREADS" >&2;                T_RG=$(best_of "$RG" -j "$THREADS" -c "${RG_ARGS[@]}" "$CORPUS")
echo "  rg -j $THREADS --no-unicode" >&2;   T_RGA=$(best_of "$RG" -j "$THREADS" -c --no-unicode "${RG_ARGS[@]}" "$CORPUS")
echo "  rg -j $THREADS, ASCII \\b" >&2;        T_RGB=$(best_of "$RG" -j "$THREADS" -c "${RG_ARGS_B[@]}" "$CORPUS")
echo "  phiscan -j 1 / -j $T2" >&2
T_PHI1=$(best_of "${PHI[@]}" -j 1 "$CORPUS")
if [[ $T2 -eq $THREADS ]]; then T_PHI2=$T_PHI; else T_PHI2=$(best_of "${PHI[@]}" -j "$T2" "$CORPUS"); fi
echo "  rg --no-unicode -j 1 / -j $T2" >&2
T_RG1=$(best_of "$RG" -j 1 -c --no-unicode "${RG_ARGS[@]}" "$CORPUS")
if [[ $T2 -eq $THREADS ]]; then T_RG2=$T_RGA; else T_RG2=$(best_of "$RG" -j "$T2" -c --no-unicode "${RG_ARGS[@]}" "$CORPUS"); fi
echo "  1 KB draft x $DRAFT_RUNS" >&2
T_DRAFT=$(median_of "$DRAFT_RUNS" "${PHI[@]}" "$DRAFT")
T_DRAFT_RG=$(median_of "$DRAFT_RUNS" "$RG" -c "${RG_ARGS[@]}" "$DRAFT")
echo "  peak RSS" >&2
RSS_FILE=$(mktemp)
rc=0
/usr/bin/time -f %M -o "$RSS_FILE" "${PHI[@]}" -j "$THREADS" "$CORPUS" >/dev/null 2>>"$ERRLOG" || rc=$?
[[ $rc -le 1 ]] || die "phiscan failed (exit $rc) during the RSS run"
RSS_KB=$(tail -n 1 "$RSS_FILE"); rm -f "$RSS_FILE"
RSS_RG_KB=$( { /usr/bin/time -f %M "$RG" -j "$THREADS" -c --no-unicode "${RG_ARGS[@]}" "$CORPUS" >/dev/null; } 2>&1 | tail -n 1) || true

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null)
[[ -n $CPU ]] || CPU=$(uname -m)
PHI_VER=$("$BIN" --version 2>/dev/null | head -n 1 || true)

awk -v bytes="$BYTES" -v files="$NFILES" -v t="$THREADS" -v t2="$T2" \
    -v phi="$T_PHI" -v rg="$T_RG" -v rga="$T_RGA" -v rgb="$T_RGB" -v phi1="$T_PHI1" -v phi2="$T_PHI2" \
    -v rg1="$T_RG1" -v rg2="$T_RG2" -v draft="$T_DRAFT" -v draftrg="$T_DRAFT_RG" -v dbytes="$DRAFT_BYTES" \
    -v rss="$RSS_KB" -v rssrg="$RSS_RG_KB" -v npat="${#PATTERNS[@]}" \
    -v nproc="$(nproc)" -v cpu="$CPU" -v bin="$BIN" -v ver="$PHI_VER" -v corpus="$CORPUS" \
    -v rgver="$("$RG" --version | head -n 1)" -v rgbin="$RG" '
function mibs(us) { return us > 0 ? (bytes / 1048576) / (us / 1e6) : 0 }
function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "n/a" }
BEGIN {
  mib = bytes / 1048576
  printf "\nmachine   %s CPU(s), %s\n", nproc, cpu
  printf "phiscan   %s%s\n", bin, (ver != "" ? "  (" ver ")" : "")
  printf "ripgrep   %s (%s), %d patterns, -c, --no-ignore\n", rgver, rgbin, npat
  printf "corpus    %s  (%d files, %.1f MiB)\n\n", corpus, files, mib
  printf "| %-40s | %14s |\n", "metric", "value"
  printf "|%s|%s|\n", "------------------------------------------", "----------------"
  printf "| %-40s | %14.1f |\n", "corpus MiB", mib
  printf "| %-40s | %12.3f s |\n", "phiscan -j " t " time", phi / 1e6
  printf "| %-40s | %12.3f s |\n", "rg -j " t " time", rg / 1e6
  printf "| %-40s | %12.3f s |\n", "rg -j " t " --no-unicode time", rga / 1e6
  printf "| %-40s | %12.3f s |\n", "rg -j " t " ASCII \\b time", rgb / 1e6
  printf "| %-40s | %14.1f |\n", "phiscan MiB/s", mibs(phi)
  printf "| %-40s | %14.1f |\n", "rg MiB/s", mibs(rg)
  printf "| %-40s | %14.1f |\n", "rg --no-unicode MiB/s", mibs(rga)
  printf "| %-40s | %14.1f |\n", "rg ASCII \\b MiB/s", mibs(rgb)
  printf "| %-40s | %14s |\n", "phiscan time / rg time", ratio(phi, rg)
  printf "| %-40s | %14s |\n", "phiscan time / rg --no-unicode time", ratio(phi, rga)
  printf "| %-40s | %14s |\n", "phiscan time / rg ASCII \\b time", ratio(phi, rgb)
  printf "| %-40s | %14.2f |\n", "1 KB draft ms (phiscan, median)", draft / 1e3
  printf "| %-40s | %14.2f |\n", "1 KB draft ms (rg, median)", draftrg / 1e3
  printf "| %-40s | %14.1f |\n", "peak RSS MiB (phiscan -j " t ")", rss / 1024
  printf "| %-40s | %14.1f |\n", "peak RSS MiB (rg --no-unicode -j " t ")", rssrg / 1024
  printf "| %-40s | %14s |\n", "phiscan speed-up -j 1 -> -j " t2, ratio(phi1, phi2)
  printf "| %-40s | %14s |\n", "rg --no-unicode speed-up -j 1 -> -j " t2, ratio(rg1, rg2)
  printf "\n(best of runs after warm-up; draft = %d bytes; ratios > 1 mean phiscan is slower)\n", dbytes
}'
