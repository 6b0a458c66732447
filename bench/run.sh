#!/bin/sh
# make bench: logcause against the tools a user could run instead, on the
# same generated files, side by side in one run.  Absolute times on shared
# machines are noise; the ratios are the result.
#
#   bench/run.sh BINARY [SIZE]      SIZE: bytes of plain log (default 1G)
#
# Inputs are generated outside the repository (BENCH_DIR, default
# /tmp/logcause-bench) and reused while their size matches.
set -eu

bin=$1
size=${2:-1G}
dir=${BENCH_DIR:-/tmp/logcause-bench}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"

cc -std=c11 -O2 -o "$dir/genlog" "$here/genlog.c"
if [ ! -f "$dir/nginx-$size.log" ]; then
	echo "bench: generating $size of nginx error log in $dir" >&2
	"$dir/genlog" --seed 42 --format nginx --bytes "$size" --rate 2000 >"$dir/nginx-$size.log"
	zstd -q -3 -T0 -f "$dir/nginx-$size.log" -o "$dir/nginx-$size.log.zst"
	gzip -6 -c "$dir/nginx-$size.log" >"$dir/nginx-$size.log.gz"
fi
plain=$dir/nginx-$size.log
bytes=$(wc -c <"$plain")

# The union of the catalogue's regexes, for ripgrep (PCRE2 mode: the rules
# use PCRE2 syntax, lookarounds included).
sed -n 's/^[[:space:]]*match[[:space:]]*=[[:space:]]*//p' "$here"/../patterns/*.rules >"$dir/union.txt"

# seconds CMD...: wall time of one run, output discarded.
seconds() {
	start=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	end=$(date +%s.%N)
	echo "$start $end" | awk '{ printf "%.3f", $2 - $1 }'
}

# peak_rss CMD...: peak resident set in MiB.
peak_rss() {
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'
}

mbps() {
	echo "$bytes $1" | awk '{ printf "%.0f", $1 / 1048576 / $2 }'
}

# Best of three, alternating tools, so a noisy neighbour hurts both.
best() {
	b=999999
	for i in 1 2 3; do
		t=$(seconds "$@")
		b=$(echo "$b $t" | awk '{ print ($2 < $1) ? $2 : $1 }')
	done
	echo "$b"
}

echo "input: $plain ($bytes bytes)"
t_lc=$(best "$bin" -q "$plain")
# Once: at a few MB/s, ripgrep with the catalogue's PCRE2 union is the
# slowest thing here by far, and three runs would only repeat that.
t_rg=$(seconds rg -c -P -f "$dir/union.txt" "$plain")
t_lcz=$(best "$bin" -q "$plain.zst")
t_zstd=$(best zstd -dc "$plain.zst")
t_lcg=$(best "$bin" -q "$plain.gz")
t_gzip=$(best gzip -dc "$plain.gz")

printf '%-34s %8s %8s\n' "" "seconds" "MiB/s"
printf '%-34s %8s %8s\n' "logcause (plain)" "$t_lc" "$(mbps "$t_lc")"
printf '%-34s %8s %8s\n' "rg -c -P -f union (plain)" "$t_rg" "$(mbps "$t_rg")"
printf '%-34s %8s %8s\n' "logcause (.zst)" "$t_lcz" "$(mbps "$t_lcz")"
printf '%-34s %8s %8s\n' "zstd -dc" "$t_zstd" "$(mbps "$t_zstd")"
printf '%-34s %8s %8s\n' "logcause (.gz)" "$t_lcg" "$(mbps "$t_lcg")"
printf '%-34s %8s %8s\n' "gzip -dc" "$t_gzip" "$(mbps "$t_gzip")"
echo
echo "ratios (throughput; > 1 means logcause is faster):"
echo "$t_rg $t_lc" | awk '{ printf "  plain vs rg:      %.2fx (target >= 1.5)\n", $1 / $2 }'
echo "$t_zstd $t_lcz" | awk '{ printf "  .zst vs zstd -dc: %.2fx (target >= 0.8)\n", $1 / $2 }'
echo "$t_gzip $t_lcg" | awk '{ printf "  .gz vs gzip -dc:  %.2fx (target > 1)\n", $1 / $2 }'
echo
echo "peak RSS: $(peak_rss "$bin" -q "$plain") MiB (target <= 64)"
