#!/bin/sh
# make tsan: the threaded paths under ThreadSanitizer.  Logs big enough for
# many batches to cross between the reading and the counting thread (and
# for matching to move between them), plain and compressed; every run must
# be free of data races and print what one thread prints.
#
#   tests/tsan.sh TSAN_BINARY PLAIN_BINARY WORKDIR
set -eu
tsan=$1 plain=$2 dir=$3
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
export LOGCAUSE_PATTERNS="$here/patterns"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"

cc -std=c11 -O2 -o "$dir/genlog" "$here/bench/genlog.c"
"$dir/genlog" --seed 7 --format mixed --bytes 12M >"$dir/mixed.log"
"$dir/genlog" --seed 8 --format nginx --bytes 12M >"$dir/error.log"
zstd -q -f "$dir/error.log" -o "$dir/error.log.zst"
gzip -c "$dir/mixed.log" >"$dir/mixed.log.gz"

for args in "$dir/error.log.zst" "-o json --rule-stats $dir/mixed.log.gz" \
	"--events $dir/error.log" "-o html $dir/mixed.log $dir/error.log.zst"; do
	# shellcheck disable=SC2086
	LOGCAUSE_THREADS=1 "$plain" $args >"$dir/one.out"
	# Two threads as they come, and with the reading thread mapping every
	# batch it may, from its guess and from a wrong one (main.c).
	for mode in 2 reader reader-fresh; do
		# shellcheck disable=SC2086
		LOGCAUSE_THREADS=$mode "$tsan" $args >"$dir/threads.out"
		if ! cmp -s "$dir/threads.out" "$dir/one.out"; then
			echo "tsan: two threads ($mode) and one differ: logcause $args" >&2
			exit 1
		fi
	done
	echo "tsan: no race, same output: logcause $(echo "$args" | sed "s|$dir/||g")"
done

# Events that run across batches, inputs cut at the bound, carried state.
(cd "$here" && sh tests/cli/batches.sh "$tsan") | sed 's/^/tsan: /'
