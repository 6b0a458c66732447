#!/bin/sh
# Two threads or one, on inputs that cross many of the reading thread's
# batches (main.c): events that run across a batch's bound, an input where
# no line is sure to start a record (cut at the bound), year-less syslog
# stamps across New Year, formats that change within a file.  One thread,
# two as they come, two whose reading thread maps every batch it may
# (LOGCAUSE_THREADS=reader), and two whose reading thread starts each from
# a fresh state (=reader-fresh: the counting thread must find the guess
# wrong and map the batch again) must print the same bytes.
#
#   tests/cli/batches.sh LOGCAUSE
set -eu
lc=$1
t=$(mktemp -d)
trap 'rm -r "$t"' EXIT

# 30,000 lines without a stamp or a format: every batch is cut at its bound.
seq 30000 | awk '{ if ($1 % 5) print "worker " $1 " failed: connection refused by db-" $1 % 7;
		   else print "something happened " $1 }' >"$t/stampless.log"

# Tracebacks of 9,000 frames: events longer than a batch may be.
awk 'BEGIN {
	for (k = 0; k < 3; k++) {
		printf "2026-11-27 10:00:0%d ERROR Unhandled exception in request\n", k
		print "Traceback (most recent call last):"
		for (i = 0; i < 9000; i++)
			printf "  File \"/srv/app/x%d.py\", line %d, in f\n", i, i
		print "psycopg2.OperationalError: could not connect to server: Connection refused"
		for (j = 0; j < 1500; j++)
			printf "2026-11-27 10:01:%02d ERROR upstream timed out %d\n", j % 60, j
	}
}' >"$t/trace.log"

# The year of a year-less stamp is carried from line to line: a December
# after a January is in that January's year, whatever the date today.
awk 'BEGIN {
	for (n = 0; n < 3; n++) {
		for (i = 0; i < 5000; i++)
			printf "%s web1 php-fpm[123]: WARNING: [pool www] server reached pm.max_children setting (50), consider raising it\n", n == 1 ? "Jan  1 00:00:00" : "Dec 31 23:59:59"
	}
}' >"$t/newyear.log"

# Whether an input's records carry stamps is carried too: after stamped
# records, a line with neither stamp nor format continues the record
# before it, here a JSON line without a time.
awk 'BEGIN {
	for (i = 0; i < 2000; i++)
		printf "2026/11/27 09:00:00 [error] 1#1: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: a, request: \"GET / HTTP/1.1\", upstream: \"http://10.0.0.2:80/\", host: \"a\"\n", i
	for (i = 0; i < 20000; i++) {
		print "{\"level\":\"error\",\"msg\":\"payment call failed\"}"
		print "TimeoutError: deadline exceeded after 30s"
	}
}' >"$t/untimed.log"

# Many formats, multi-line events, in one file.
for i in $(seq 150); do
	cat testdata/python/app.log testdata/php-fpm/php8.2-fpm.log testdata/json/app.jsonl \
		testdata/java/* testdata/go/* testdata/syslog/* testdata/rails/production.log \
		testdata/apache/*
done >"$t/mixed.log"

for a in "--events $t/stampless.log" "--events $t/trace.log" "--events $t/newyear.log" \
	"--events $t/untimed.log" "--events $t/mixed.log" \
	"-o json --rule-stats $t/mixed.log $t/trace.log $t/stampless.log $t/newyear.log"; do
	LOGCAUSE_THREADS=1 "$lc" $a >"$t/1"
	"$lc" $a >"$t/2"
	LOGCAUSE_THREADS=reader "$lc" $a >"$t/3"
	LOGCAUSE_THREADS=reader-fresh "$lc" $a >"$t/4"
	cmp "$t/1" "$t/2"
	cmp "$t/1" "$t/3"
	cmp "$t/1" "$t/4"
	echo "same: $a" | sed "s|$t/||g"
done
