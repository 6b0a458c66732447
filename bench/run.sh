#!/bin/sh
# make bench: logcause against the tools a user could run instead, on the
# same generated files, side by side in one run.  Absolute times on shared
# machines are noise; the ratios are the result.
#
#   bench/run.sh BINARY [SIZE]      SIZE: bytes of plain log (default 1G)
#
# Inputs are generated outside the repository (BENCH_DIR, default
# /tmp/logcause-bench) and reused while their size matches.  ripgrep with
# the catalogue's PCRE2 union runs at a few MB/s, so it reads a prefix of
# the same file (RG_SIZE, default 64M; RG_SIZE=all for the whole file) and
# is compared by throughput.  Each other figure is the best of RUNS
# (default 3) runs, tools alternating, so a noisy neighbour hurts both.
set -eu

bin=$1
size=${2:-1G}
dir=${BENCH_DIR:-/tmp/logcause-bench}
runs=${RUNS:-3}
rg_size=${RG_SIZE:-64M}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"

for tool in zstd gzip /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench: needs $tool" >&2; exit 1; }
done

cc -std=c11 -O2 -o "$dir/genlog" "$here/genlog.c"
plain=$dir/nginx-$size.log
if [ ! -f "$plain" ] || [ ! -f "$plain.gz" ] || [ ! -f "$plain.zst" ]; then
	echo "bench: generating $size of nginx error log in $dir" >&2
	"$dir/genlog" --seed 42 --format nginx --bytes "$size" --rate 2000 >"$plain"
	zstd -q -3 -T0 -f "$plain" -o "$plain.zst"
	gzip -6 -c "$plain" >"$plain.gz"
fi
bytes=$(wc -c <"$plain")
lines=$(wc -l <"$plain")
# A quarter of the input, cut from the same file: peak RSS at 1x and 4x.
quarter=$dir/nginx-$size.quarter.log
if [ ! -f "$quarter" ]; then
	head -c $((bytes / 4)) "$plain" >"$quarter"
fi

# The union of the catalogue's regexes, for ripgrep (PCRE2 mode: the rules
# use PCRE2 syntax, lookarounds included).
sed -n 's/^[[:space:]]*match[[:space:]]*=[[:space:]]*//p' "$here"/../patterns/*.rules >"$dir/union.txt"
if [ "$rg_size" = all ]; then
	rg_input=$plain
else
	rg_input=$dir/nginx-$size.rg-$rg_size.log
	[ -f "$rg_input" ] || head -c "$(numfmt --from=iec "$rg_size")" "$plain" >"$rg_input"
fi
rg_bytes=$(wc -c <"$rg_input")

# measure CMD...: "seconds peak_rss_kib" of one run, output discarded.
measure() {
	/usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1
}

# best CMD...: the fastest of $runs runs, with its peak RSS.
best() {
	b=""
	i=0
	while [ "$i" -lt "$runs" ]; do
		m=$(measure "$@")
		b=$(printf '%s\n%s\n' "$b" "$m" | awk 'NF == 2' | sort -n | head -1)
		i=$((i + 1))
	done
	echo "$b"
}

# pair "A ARGS" "B ARGS": the best of $runs runs of each, A and B taking
# turns, so a noisy neighbour slows both alike.  Sets best_a and best_b.
# (The commands are split on blanks: paths must have none.)
pair() {
	best_a="" best_b="" i=0
	while [ "$i" -lt "$runs" ]; do
		# shellcheck disable=SC2086
		best_a=$(printf '%s\n%s\n' "$best_a" "$(measure $1)" | awk 'NF == 2' | sort -n | head -1)
		# shellcheck disable=SC2086
		best_b=$(printf '%s\n%s\n' "$best_b" "$(measure $2)" | awk 'NF == 2' | sort -n | head -1)
		i=$((i + 1))
	done
}

secs() { echo "$1" | cut -d' ' -f1; }
rss() { echo "$1" | awk '{ printf "%.1f", $2 / 1024 }'; }
# mibs BYTES SECONDS
mibs() { echo "$1 $2" | awk '{ printf "%.0f", ($2 > 0) ? $1 / 1048576 / $2 : 0 }'; }
# ratio A B: throughput of the second over the first, from their seconds
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }'; }

echo "input: $plain ($bytes bytes, $lines lines)"
echo "machine: $(nproc) cores; logcause: $bin"
# Take page-cache misses out of the first timed run.
cat "$plain" "$plain.gz" "$plain.zst" >/dev/null

lc=$(best "$bin" -q "$plain")
pair "$bin -q $plain.zst" "zstd -dc $plain.zst"
lcz=$best_a zs=$best_b
pair "$bin -q $plain.gz" "gzip -dc $plain.gz"
lcg=$best_a gz=$best_b
ig=""
if command -v igzip >/dev/null 2>&1; then
	ig=$(best igzip -dc "$plain.gz")
fi
# Once: it is the slowest thing here by far.
rg=$(measure rg -c -P -f "$dir/union.txt" "$rg_input")

row() { # NAME RESULT BYTES
	printf '%-30s %8s %8s %12s %9s\n' "$1" "$(secs "$2")" "$(mibs "$3" "$(secs "$2")")" \
		"$(echo "$lines $(secs "$2") $3 $bytes" |
			awk '{ printf "%.0f", ($2 > 0) ? $1 * ($3 / $4) / $2 : 0 }')" "$(rss "$2")"
}
printf '%-30s %8s %8s %12s %9s\n' "" "seconds" "MiB/s" "lines/s" "RSS MiB"
row "logcause (plain)" "$lc" "$bytes"
row "rg -c -P -f union ($rg_size)" "$rg" "$rg_bytes"
row "logcause (.zst)" "$lcz" "$bytes"
row "zstd -dc" "$zs" "$bytes"
row "logcause (.gz)" "$lcg" "$bytes"
row "gzip -dc" "$gz" "$bytes"
[ -n "$ig" ] && row "igzip -dc" "$ig" "$bytes"
echo
echo "ratios (throughput; > 1 means logcause is faster):"
t_rg=$(echo "$(secs "$rg") $rg_bytes $bytes" | awk '{ print $1 * $3 / $2 }')
echo "  plain vs rg -c -f union: $(ratio "$t_rg" "$(secs "$lc")")x (target >= 1.5)"
echo "  .zst vs zstd -dc:        $(ratio "$(secs "$zs")" "$(secs "$lcz")")x (target >= 0.8)"
echo "  .gz vs gzip -dc:         $(ratio "$(secs "$gz")" "$(secs "$lcg")")x (target > 1)"
[ -n "$ig" ] && echo "  .gz vs igzip -dc:        $(ratio "$(secs "$ig")" "$(secs "$lcg")")x (no target)"
echo

# Memory: peak RSS must stay flat as the input grows.
q=$(measure "$bin" -q "$quarter")
echo "peak RSS: $(rss "$q") MiB at 1x ($((bytes / 4)) bytes), $(rss "$lc") MiB at 4x" \
	"($(echo "$q $lc" | awk '{ printf "%+.1f%%", ($2 > 0) ? ($4 - $2) * 100 / $2 : 0 }');" \
	"target <= 64 MiB and < 10%)"

# Start-up: rules loaded and JIT-compiled, an empty input, best of 5.
# time(1) counts in 10 ms steps, so this one is timed in nanoseconds.
: >"$dir/empty.log"
st=999999999999
for i in 1 2 3 4 5; do
	t0=$(date +%s%N)
	"$bin" -q "$dir/empty.log" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	[ $((t1 - t0)) -lt "$st" ] && st=$((t1 - t0))
done
echo "start-up: $(echo "$st" | awk '{ printf "%.1f", $1 / 1e6 }') ms (target < 50 ms)"

# The speed paths must not change a cause: per-record causes (--events) on
# a slice, with the prefilter and JIT, and with every rule interpreted.
slice=$dir/nginx-$size.slice.log
[ -f "$slice" ] || head -c 4194304 "$plain" >"$slice"
"$bin" --events "$slice" >"$dir/events-fast.txt" 2>/dev/null || true
LOGCAUSE_NO_PREFILTER=1 LOGCAUSE_NO_JIT=1 "$bin" --events "$slice" >"$dir/events-plain.txt" 2>/dev/null || true
if cmp -s "$dir/events-fast.txt" "$dir/events-plain.txt"; then
	echo "attribution: fast path = plain PCRE2 path on $(wc -l <"$dir/events-fast.txt") records of a 4 MiB slice"
else
	echo "attribution: FAST PATH DIFFERS from the plain PCRE2 path: diff $dir/events-fast.txt $dir/events-plain.txt"
fi

# Where the time goes, when the binary can say.
if "$bin" --help 2>&1 | grep -q -- '--stats'; then
	for f in "$plain" "$plain.gz" "$plain.zst"; do
		echo
		echo "split for $(basename "$f"):"
		"$bin" -q --stats "$f" 2>&1 >/dev/null | grep '^stats:' || true
	done
fi
