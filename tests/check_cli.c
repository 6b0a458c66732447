/*
 * End-to-end: run the built binary ($LOGCAUSE_BIN, else ./logcause) as a user
 * would, on files in testdata/, and compare exit status, stdout and stderr.
 *
 * Each case is a shell command ("$LC" is the binary), its exit status, the
 * file under tests/cli/ holding its exact stdout (or NULL), and a glob its
 * whole stderr must match (fnmatch; "" means silent).  Commands run from the
 * top of the tree with TZ=UTC and LOGCAUSE_PATTERNS=patterns.
 *
 * To refresh the expected stdout files after an intended change, run with
 * LOGCAUSE_UPDATE_EXPECTED=1 and read the diff before committing it.
 */
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define R "--no-default-patterns -p tests/cli/test.rules "

struct cli_case {
	const char *name;
	const char *cmd;
	int status;
	const char *stdout_file; /* tests/cli/NAME; NULL: not compared */
	const char *stderr_glob;
	bool skip_inputs_line;   /* compare stdout from its second line */
	bool plain_binary_only;  /* a sanitizer's runtime cannot start under it */
};

static const struct cli_case cases[] = {
	/* The same log in every container gives the same report. */
	{ "plain", "\"$LC\" " R "testdata/nginx/error.log", 0, "nginx.out", "", false },
	{ "gzip", "\"$LC\" " R "testdata/nginx/error.log.gz", 0, "nginx.out", "", true },
	{ "zstd", "\"$LC\" " R "testdata/nginx/error.log.zst", 0, "nginx.out", "", true },
	{ "xz", "\"$LC\" " R "testdata/nginx/error.log.xz", 0, "nginx.out", "", true },
	{ "bzip2", "\"$LC\" " R "testdata/nginx/error.log.bz2", 0, "nginx.out", "", true },
	{ "stdin", "cat testdata/nginx/error.log | \"$LC\" " R, 0, "nginx.out", "", true },
	{ "stdin dash zstd", "\"$LC\" " R "- < testdata/nginx/error.log.zst", 0, "nginx.out", "", true },
	{ "gzip members", "\"$LC\" " R "testdata/multi/members.log.gz", 0, "nginx.out", "", true },
	{ "zstd frames", "\"$LC\" " R "testdata/multi/frames.log.zst", 0, "nginx.out", "", true },
	{ "xz streams", "\"$LC\" " R "testdata/multi/streams.log.xz", 0, "nginx.out", "", true },
	{ "bzip2 streams", "\"$LC\" " R "testdata/multi/streams.log.bz2", 0, "nginx.out", "", true },
	{ "options after files", "\"$LC\" testdata/nginx/error.log " R, 0, "nginx.out", "", false },
	{ "rotated directory", "\"$LC\" " R "testdata/rotated/", 0, "rotated.out", "", false },
	{ "quiet", "\"$LC\" -q " R "testdata/nginx/error.log", 0, "empty.out", "", false },
	{ "rule stats", "\"$LC\" --rule-stats " R "testdata/nginx/error.log", 0, "rule-stats.out", "", false },
	/* What a client wrote (nginx's request, host and referrer, Apache's
	 * referer) is not matched: a scanner's query string full of error
	 * words leaves its 404s noise. */
	{ "client-written fields", "\"$LC\" --events testdata/scanner/nginx-error.log testdata/scanner/apache-error.log",
	  0, "scanner.out", "", false },

	/* Records: formats, multi-line events, windows, levels, events. */
	{ "formats with the default catalogue",
	  "\"$LC\" testdata/python testdata/java testdata/php-fpm testdata/syslog testdata/json "
	  "testdata/rails testdata/go testdata/access testdata/apache",
	  0, "formats.out", "", false },
	{ "events", "\"$LC\" --events testdata/python/app.log testdata/json/app.jsonl testdata/access",
	  0, "events.out", "", false },
	{ "events odd bytes", "\"$LC\" --events --min-level debug " R "testdata/bad/odd-bytes.log", 0,
	  "events-odd.out", "", false },
	{ "since until", "\"$LC\" " R "--since '2026-11-27 10:16' --until '2026-11-27 10:20:00' testdata/nginx/error.log",
	  0, "since-until.out", "", false },
	{ "since duration", "\"$LC\" " R "--since 5m testdata/nginx/error.log", 0, "since-5m.out", "",
	  false },
	{ "since zoned", "\"$LC\" -q " R "--since 2026-11-27T11:16+01:00 testdata/nginx/error.log", 0,
	  "empty.out", "", false },
	{ "since duration on stdin", "\"$LC\" " R "--since 2h < testdata/nginx/error.log", 2, "empty.out",
	  "logcause: --since 2h counts back from the newest record, which standard input cannot be "
	  "read twice to find; give a date or time\nusage: *", false },
	{ "bad since", "\"$LC\" --since yesterday x", 2, "empty.out",
	  "logcause: --since: cannot read 'yesterday' as a date, time or duration\nusage: *", false },
	{ "tz offset", "\"$LC\" " R "--tz +01:00 testdata/nginx/error.log", 0, "tz.out", "", false },
	{ "bad tz", "\"$LC\" --tz Mars/Olympus x", 2, "empty.out",
	  "logcause: unknown time zone 'Mars/Olympus'\nusage: *", false },
	{ "min level warn", "\"$LC\" " R "--min-level warn testdata/nginx/error.log", 0, "min-warn.out", "",
	  false },
	{ "input format forced", "\"$LC\" " R "--input-format generic testdata/nginx/error.log", 0,
	  "forced-generic.out", "", false },
	{ "events and rule stats", "\"$LC\" --events --rule-stats x", 2, "empty.out",
	  "logcause: --events, --rule-stats and --suggest are different outputs: choose one\nusage: *",
	  false },
	{ "suggest", "\"$LC\" --suggest testdata/demo/", 0, "suggest.out", "", false },
	{ "suggested rules pass check-patterns",
	  "\"$LC\" --suggest testdata/demo/ testdata/python testdata/syslog > \"${TMPDIR:-/tmp}/s.rules\" && "
	  "\"$LC\" --check-patterns -p \"${TMPDIR:-/tmp}/s.rules\" | sed 's/[0-9][0-9]* /N /g'",
	  0, "suggest-check.out", "", false },

	/* CI verdicts: exit 1 on a breach, 2 wins over it, one line on stderr. */
	{ "fail on cause", "\"$LC\" -q " R "--fail-on db testdata/nginx/error.log", 1, "empty.out",
	  "logcause: verdict: FAIL: db 4 events (limit 0)\n", false },
	{ "fail on counts and shares",
	  "\"$LC\" -q " R "--fail-on 'db>10,memory>5%' --fail-on upstream-down --max-unattributed 50% "
	  "testdata/nginx/error.log",
	  1, "empty.out", "logcause: verdict: FAIL: memory 10.0% (1 events, limit 5%); upstream-down 3 events (limit 0)\n",
	  false },
	{ "fail on ok", "\"$LC\" -q " R "--fail-on 'db>10' --max-unattributed 60% testdata/nginx/error.log",
	  0, "empty.out", "logcause: verdict: ok (2 thresholds)\n", false },
	{ "fail on any", "\"$LC\" -q " R "--fail-on any testdata/nginx/error.log", 1, "empty.out",
	  "logcause: verdict: FAIL: fault causes 10 events (limit 0)\n", false },
	{ "input error wins over breach", "\"$LC\" -q " R "--fail-on any testdata/bad/truncated.log.gz", 2,
	  "empty.out", "logcause: testdata/bad/truncated.log.gz: truncated gzip stream at byte 1000\n"
	  "logcause: verdict: FAIL: *\n", false },
	{ "fail on unknown cause", "\"$LC\" " R "--fail-on bogus x", 2, "empty.out",
	  "logcause: --fail-on: unknown cause 'bogus'\nusage: *", false },
	{ "fail on bad limit", "\"$LC\" " R "--fail-on 'db>lots' x", 2, "empty.out",
	  "logcause: --fail-on: bad limit in 'db>lots' (want N or N%)\nusage: *", false },
	{ "json verdict", "\"$LC\" -o json " R "--fail-on 'db>2' testdata/nginx/error.log | grep -o '\"verdict\":{[^}]*}'",
	  0, "json-verdict.out", "logcause: verdict: FAIL: db 4 events (limit 2)\n", false },

	/* Hostile input: bounded memory, bounded time, a clear word, no crash.
	 * RSS_OK ends a command run under /usr/bin/time and fails above 64 MiB
	 * of peak RSS; under the sanitizers, above twice that: ASan gives each
	 * block redzones and keeps freed blocks in quarantine (each input's
	 * decoder buffers stay), so there the bound checks only that memory
	 * does not follow the input. */
#define RSS_OK                                                                                    \
	"2>&1 >/dev/null | tail -1 | awk -v s=\"$LOGCAUSE_SANITIZED\" "                            \
	"'{ exit ($1 > (s ? 131072 : 65536)) }'"
	{ "zstd bomb streams in bounded memory",
	  "T=$(mktemp -d) && head -c 1G /dev/zero | zstd -q -1 -c > $T/bomb.zst && "
	  "/usr/bin/time -f %M \"$LC\" -q $T/bomb.zst " RSS_OK "; rc=$?; rm -r $T; exit $rc",
	  0, "empty.out", "", false },
	{ "gzip, xz and bzip2 bombs stopped by --max-bytes",
	  "T=$(mktemp -d) && head -c 300M /dev/zero > $T/z && gzip -1 -c $T/z > $T/b.gz && "
	  "xz -0 -T1 -c $T/z > $T/b.xz && bzip2 -1 -c $T/z > $T/b.bz2 && rm $T/z && "
	  "/usr/bin/time -f %M \"$LC\" -q --max-bytes 50M $T/b.gz $T/b.xz $T/b.bz2 " RSS_OK
	  "; rc=$?; rm -r $T; exit $rc",
	  0, "empty.out", "", false },
	{ "one 2 GiB line",
	  "head -c 2G /dev/zero | tr '\\0' a | /usr/bin/time -f %M \"$LC\" -q " RSS_OK, 0, "empty.out",
	  "", false },
	{ "permission denied among several",
	  /* As root nothing is unreadable, so the run drops to nobody. */
	  "T=$(mktemp -d) && chmod 755 $T && cp testdata/nginx/error.log $T/ok.log && "
	  "cp testdata/nginx/error.log $T/secret.log && chmod 644 $T/ok.log && chmod 000 $T/secret.log && "
	  "cp \"$LC\" $T/lc && chmod 755 $T/lc && "
	  "if [ $(id -u) -eq 0 ]; then runuser -u nobody -- $T/lc -q " R "$T/ok.log $T/secret.log; "
	  "else $T/lc -q " R "$T/ok.log $T/secret.log; fi; rc=$?; rm -rf $T; exit $rc",
	  2, "empty.out", "logcause: /tmp/*/secret.log: Permission denied\n", false },
	{ "file truncated while being read",
	  "T=$(mktemp -d); for i in $(seq 1 2000); do cat testdata/nginx/error.log; done > $T/big.log; "
	  "( sleep 0.05; : > $T/big.log ) & \"$LC\" -q $T/big.log; rc=$?; wait; rm -r $T; "
	  "[ $rc -eq 0 ] || [ $rc -eq 2 ]",
	  0, "empty.out", "", false },
	{ "binary file", "\"$LC\" -q /bin/ls", 0, "empty.out", "", false },
	{ "fuzz: syslog structured data never closed (read past the line once)",
	  "\"$LC\" -q --input-format syslog testdata/bad/fuzz-syslog-unclosed-sd.log", 0, "empty.out", "", false },
	{ "fuzz: JSON with a stray closer (hung once)", "timeout 10 \"$LC\" -q testdata/bad/fuzz-json-stray-closer.log",
	  0, "empty.out", "", false },
	{ "/dev/zero with --max-bytes", "\"$LC\" --max-bytes 20M /dev/zero | head -2", 0, "zero.out",
	  "logcause: /dev/zero: stopped after 20971520 decoded bytes (--max-bytes)\n", false },
	{ "bad --max-bytes", "\"$LC\" --max-bytes lots x", 2, "empty.out",
	  "logcause: --max-bytes: 'lots' is not a size (e.g. 500M)\nusage: *", false },
	{ "fifo",
	  "T=$(mktemp -d) && mkfifo $T/f && { cat testdata/nginx/error.log > $T/f & } && "
	  "\"$LC\" " R "$T/f | sed -n 2p; rc=$?; rm -r $T; exit $rc",
	  0, "fifo.out", "", false },
	{ "directory of 10,000 files",
	  "T=$(mktemp -d) && awk -v d=$T 'BEGIN { for (i = 0; i < 10000; i++) { f = d \"/e\" i \".log\"; "
	  "print \"2026/11/27 10:15:02 [error] 1#1: *1 upstream timed out (110: x)\" > f; close(f) } }' && "
	  "\"$LC\" " R "$T | sed -n 1,2p; rc=$?; rm -r $T; exit $rc",
	  0, "ten-thousand.out", "", false },
	{ "symlink loop",
	  "T=$(mktemp -d) && ln -s $T/a $T/b && ln -s $T/b $T/a && cp testdata/nginx/error.log $T/ok.log && "
	  "\"$LC\" -q $T/a; a=$?; \"$LC\" -q $T; b=$?; rm -r $T; echo $a $b",
	  0, "symlink-loop.out", "logcause: /tmp/*/a: Too many levels of symbolic links\n", false },
	{ "catastrophic user rule stopped at the match limit",
	  "T=$(mktemp -d) && printf '[cause slow]\\ntitle = S\\nkind = fault\\nmatch = (a+)+$\\n' > $T/s.rules && "
	  "{ head -c 200000 /dev/zero | tr '\\0' a; echo b; } | "
	  "\"$LC\" --no-default-patterns -p $T/s.rules | grep -c '^Limits   1 regex runs stopped'; rc=$?; rm -r $T; exit $rc",
	  0, "one.out", "", false },
	{ "10,000 rules load fast, each broken one named",
	  "T=$(mktemp -d) && awk 'BEGIN { print \"[cause many]\\ntitle = M\\nkind = fault\"; "
	  "for (i = 0; i < 10000; i++) print \"match = rule number \" i \" (?:alpha|beta)\" (i % 2500 == 7 ? \"(\" : \"\") }' "
	  "> $T/m.rules && s=$(date +%s%N) && \"$LC\" -q --no-default-patterns -p $T/m.rules testdata/bad/empty.log; "
	  "rc=$?; e=$(date +%s%N); rm -r $T; [ $(( (e - s) / 1000000 )) -lt 3000 ] && exit $rc",
	  2, "empty.out",
	  "logcause: /tmp/*/m.rules:11:38: bad regex: missing closing parenthesis\n"
	  "logcause: /tmp/*/m.rules:2511:41: bad regex: missing closing parenthesis\n"
	  "logcause: /tmp/*/m.rules:5011:41: bad regex: missing closing parenthesis\n"
	  "logcause: /tmp/*/m.rules:7511:41: bad regex: missing closing parenthesis\n", false },
	/* ASan reserves terabytes of address space: under ulimit -v its
	 * runtime cannot even load, so this case runs in the plain build. */
	{ "out of memory", "ulimit -v 12000; \"$LC\" -q testdata/nginx/error.log", 2, "empty.out",
	  "logcause: *out of memory*\n", false, true },
	{ "closed pipe on a big output",
	  "T=$(mktemp -d); { \"$LC\" --events testdata/demo/; echo $? > $T/rc; } | head -1 > /dev/null; "
	  "rc=$(cat $T/rc); rm -r $T; [ $rc -eq 0 ] || [ $rc -eq 141 ]",
	  0, "empty.out", "", false },

	/* Two threads (read and match; tally and write) or one: the same bytes
	 * out, for every output, in the same order. */
	{ "two threads or one",
	  "T=$(mktemp -d) && for i in $(seq 30); do cat testdata/demo/error.log testdata/nginx/error.log; "
	  "done > $T/big.log && "
	  "for a in \"-o json --rule-stats $T/big.log\" '-o json testdata/demo/' '--events testdata/demo/ testdata/json "
	  "testdata/python testdata/php-fpm' '--rule-stats testdata/nginx testdata/apache' "
	  "'--suggest testdata/demo/' '-o html testdata/multi testdata/rails'; do "
	  "\"$LC\" $a > $T/2 && LOGCAUSE_THREADS=1 \"$LC\" $a > $T/1 && cmp $T/1 $T/2 && "
	  "echo \"same: $a\" | sed \"s|$T/||\" || exit 1; done; rm -r $T",
	  0, "threads.out", "", false },

	/* ... and on inputs that cross many batches of the reading thread. */
	{ "two threads or one, across batches", "sh tests/cli/batches.sh \"$LC\"", 0,
	  "batches.out", "", false },

	/* --stats changes nothing in the report, and names every phase. */
	{ "stats",
	  "T=$(mktemp -d) && \"$LC\" --stats testdata/demo/ > $T/a 2> $T/s && \"$LC\" testdata/demo/ > $T/b && "
	  "cmp $T/a $T/b && cut -c1-30 $T/s | sed -n 's/^stats: \\([a-z]\\)/\\1/p' | sed 's/  *[0-9.]*$//' "
	  "| head -9; rc=$?; rm -r $T; exit $rc", 0, "stats.out", "", false },

	/* The access-log join: which record explains each response. */
	{ "join", "\"$LC\" testdata/join/error.log testdata/join/access.log", 0, "join.out", "", false },
	{ "join named with --access", "\"$LC\" testdata/join/error.log --access testdata/join/access.log",
	  0, "join.out", "", false },
	{ "join recognises a directory of both", "\"$LC\" testdata/join/ | sed -n '/^Responses/,$p'",
	  0, "join-responses.out", "", false },
	{ "join json", "\"$LC\" -o json testdata/join/", 0, "join.json", "", false },
	{ "join markdown", "\"$LC\" -o markdown testdata/join/", 0, "join.md", "", false },
	{ "join events", "\"$LC\" --events testdata/join/ | grep '\"format\":\"access\"'", 0,
	  "join-events.out", "", false },
	{ "join window shorter than a timeout",
	  "\"$LC\" --join-window 10s testdata/join/ | sed -n '/^Responses/,$p'", 0,
	  "join-window.out", "", false },
	{ "join access log from stdin", "\"$LC\" testdata/join/error.log --access - < testdata/join/access.log"
	  " | sed -n '/^Responses/,$p'", 0, "join-responses.out", "", false },
	{ "join with the error logs' format forced",
	  "\"$LC\" --input-format nginx-error testdata/join/ | sed -n '/^Responses/,$p'", 0,
	  "join-responses.out", "", false },
	{ "join zone from the access log",
	  "T=$(mktemp -d) && sed 's/+0000/+0900/' testdata/join/access.log > $T/access.log && "
	  "\"$LC\" testdata/join/error.log $T/access.log | sed -n '/^Responses/,$p' | sed 1d; rc=$?; "
	  "rm -r $T; exit $rc", 0, "join-zone.out", "", false },
	{ "join past a stamp from a clock gone wrong",
	  "T=$(mktemp -d) && sed '6a 2099/01/01 00:00:00 [error] 812#812: *9999 connect() failed (111: "
	  "Connection refused) while connecting to upstream, client: 192.0.2.50, server: s, request: "
	  "\"GET /x HTTP/1.1\", host: \"s\"' testdata/join/error.log > $T/error.log && "
	  "cp testdata/join/access.log $T/ && \"$LC\" $T | sed -n '/^Responses/,$p'; rc=$?; rm -r $T; "
	  "exit $rc", 0, "join-responses.out", "", false },
	{ "join a warning below the level as evidence",
	  "\"$LC\" testdata/join/fpm/ | sed -n '/^Responses/,$p'", 0, "join-fpm.out", "", false },
	{ "join fail-on 5xx-unexplained", "\"$LC\" -q --fail-on '5xx-unexplained>1' testdata/join/", 1,
	  "empty.out", "logcause: verdict: FAIL: 5xx-unexplained 2 responses (limit 1)\n", false },
	{ "join fail-on 5xx-unexplained share",
	  "\"$LC\" -q --fail-on '5xx-unexplained>20%' testdata/join/", 0, "empty.out",
	  "logcause: verdict: ok (1 threshold)\n", false },
	{ "5xx-unexplained needs an access log",
	  "\"$LC\" -q --fail-on '5xx-unexplained>0' testdata/nginx/error.log", 2, "empty.out",
	  "logcause: --fail-on 5xx-unexplained: no access log was read\n"
	  "logcause: verdict: ok (1 threshold)\n", false },
	{ "join merged and rendered",
	  "T=$(mktemp -d) && \"$LC\" -o json testdata/join/ > $T/a.json && "
	  "\"$LC\" merge $T/a.json $T/a.json | sed -n '/^Responses/,$p' > $T/m && "
	  "\"$LC\" render $T/a.json | sed -n '/^Responses/,$p' > $T/r && "
	  "\"$LC\" testdata/join/ | sed -n '/^Responses/,$p' | cmp - $T/r && "
	  "\"$LC\" merge -q --fail-on '5xx-unexplained>3' $T/a.json $T/a.json; echo $?; cat $T/m; "
	  "rm -r $T", 0, "join-merged.out", "*", false },
	{ "bad join window", "\"$LC\" --join-window soon x", 2, "empty.out",
	  "logcause: --join-window: 'soon' is not a duration (e.g. 90s, 5m)\nusage: *", false },
	{ "saved reports have no access logs", "\"$LC\" merge --access a.log tests/cli/nginx.json", 2,
	  "empty.out", "logcause: a saved report has no records for *", false },

	/* Many hosts: merging the reports of shards of a log gives the report
	 * of the whole log (counts marked ~ are bounds, compared apart). */
	{ "merge of shards equals the whole",
	  "T=$(mktemp -d) && { gzip -dc testdata/demo/error.log.2.gz testdata/demo/error.log.1.gz; "
	  "cat testdata/demo/error.log; } > $T/all.log && split -n l/3 -d $T/all.log $T/part && "
	  "for p in $T/part0?; do \"$LC\" -o json $p > $p.json || exit 1; done && "
	  "\"$LC\" merge $T/part0?.json | sed -n '/^Records/,$p' | grep -v '~' > $T/m && "
	  "\"$LC\" $T/all.log | sed -n '/^Records/,$p' | grep -v '~' > $T/w && "
	  "\"$LC\" merge -o json $T/part0?.json > $T/m.json && "
	  "\"$LC\" render $T/m.json | sed -n '/^Records/,$p' | grep -v '~' > $T/r && "
	  "cmp $T/m $T/w && cmp $T/r $T/w && grep -c '^ *[0-9].*events' $T/w; rc=$?; rm -r $T; exit $rc",
	  0, "merge-count.out", "", false },
	{ "merge renders any format", "\"$LC\" merge -o markdown tests/cli/nginx.json | head -3", 0,
	  "merge-markdown.out", "", false },
	{ "merge refuses another pattern set",
	  "\"$LC\" -o json testdata/nginx/error.log > \"${TMPDIR:-/tmp}/lc-a.json\" && "
	  "\"$LC\" merge \"${TMPDIR:-/tmp}/lc-a.json\" tests/cli/nginx.json",
	  2, "empty.out", "logcause: tests/cli/nginx.json: made with another pattern set (digest *, not * as in *)\n",
	  false },
	{ "merge refuses another schema",
	  "sed 's|\"logcause/1\"|\"logcause/2\"|' tests/cli/nginx.json > \"${TMPDIR:-/tmp}/lc-s.json\" && "
	  "\"$LC\" merge tests/cli/nginx.json \"${TMPDIR:-/tmp}/lc-s.json\"",
	  2, "empty.out", "logcause: /tmp/lc-s.json: not a logcause/1 report (schema logcause/2)\n", false },
	{ "merge refuses what is not a report", "\"$LC\" merge tests/cli/test.rules", 2, "empty.out",
	  "logcause: tests/cli/test.rules:byte 0: not a JSON report: *\n", false },
	{ "render takes one report", "\"$LC\" render a.json b.json", 2, "empty.out",
	  "logcause: render takes one JSON report\nusage: *", false },
	{ "merge with a verdict", "\"$LC\" merge -q --fail-on 'db>3' tests/cli/nginx.json", 1, "empty.out",
	  "logcause: verdict: FAIL: db 4 events (limit 3)\n", false },

	/* What is new against a baseline. */
#define DIFF_PAIR "T=$(mktemp -d) && head -n 12 testdata/nginx/error.log > $T/base.log && " \
	"\"$LC\" -o json " R "$T/base.log > $T/base.json && " \
	"\"$LC\" -o json " R "testdata/nginx/error.log > $T/new.json && cd $T && "
	{ "diff", DIFF_PAIR "\"$LC\" diff base.json new.json; rc=$?; rm -r $T; exit $rc", 0,
	  "diff.out", "", false },
	{ "diff markdown", DIFF_PAIR "\"$LC\" diff -o markdown base.json new.json; rc=$?; rm -r $T; exit $rc",
	  0, "diff.md", "", false },
	{ "diff fails on a new cause",
	  DIFF_PAIR "\"$LC\" diff -q --fail-on new-cause base.json new.json; rc=$?; rm -r $T; exit $rc", 1,
	  "empty.out", "logcause: verdict: FAIL: 2 new causes\n", false },
	{ "diff with no new cause",
	  DIFF_PAIR "\"$LC\" diff -q --fail-on new-cause new.json new.json; rc=$?; rm -r $T; exit $rc", 0,
	  "empty.out", "logcause: verdict: ok (no new cause)\n", false },
	{ "diff takes two reports", "\"$LC\" diff a.json", 2, "empty.out",
	  "logcause: diff takes two JSON reports: BASE.json NEW.json\nusage: *", false },
	{ "diff fail-on takes new-cause", "\"$LC\" diff --fail-on db a.json b.json", 2, "empty.out",
	  "logcause: diff: --fail-on takes new-cause, not 'db'\nusage: *", false },

	/* Report formats. */
	{ "json", "\"$LC\" -o json " R "testdata/nginx/error.log", 0, "nginx.json", "", false },
	{ "markdown", "\"$LC\" --output markdown " R "testdata/nginx/error.log", 0, "nginx.md", "", false },
	{ "json empty", "\"$LC\" -o json " R "testdata/bad/empty.log", 0, "empty.json", "", false },

	/* Damaged inputs: what was read is reported, the damage named, exit 2. */
	{ "truncated gzip", "\"$LC\" " R "testdata/bad/truncated.log.gz", 2, "truncated-gz.out",
	  "logcause: testdata/bad/truncated.log.gz: truncated gzip stream at byte 1000\n", false },
	{ "truncated zstd", "\"$LC\" -q " R "testdata/bad/truncated.log.zst", 2, "empty.out",
	  "logcause: testdata/bad/truncated.log.zst: truncated zstd stream at byte 1000\n", false },
	{ "truncated xz", "\"$LC\" -q " R "testdata/bad/truncated.log.xz", 2, "empty.out",
	  "logcause: testdata/bad/truncated.log.xz: truncated xz stream at byte 1000\n", false },
	{ "truncated bzip2", "\"$LC\" -q " R "testdata/bad/truncated.log.bz2", 2, "empty.out",
	  "logcause: testdata/bad/truncated.log.bz2: truncated bzip2 stream at byte 1000\n", false },
	{ "corrupt gzip", "\"$LC\" -q " R "testdata/bad/corrupt.log.gz", 2, "empty.out",
	  "logcause: testdata/bad/corrupt.log.gz: corrupt gzip stream at byte 604: *\n", false },
	{ "corrupt zstd", "\"$LC\" -q " R "testdata/bad/corrupt.log.zst", 2, "empty.out",
	  "logcause: testdata/bad/corrupt.log.zst: corrupt zstd stream at byte *\n", false },
	{ "missing among several", "\"$LC\" " R "testdata/nginx/error.log no-such.log", 2,
	  "missing.out", "logcause: no-such.log: No such file or directory\n", false },
	{ "empty directory among several",
	  "d=$(mktemp -d) && \"$LC\" -q " R "testdata/nginx/error.log \"$d\"; rc=$?; rmdir \"$d\"; exit $rc",
	  2, "empty.out", "logcause: /tmp/*: no log files in directory\n", false },
	{ "empty file", "\"$LC\" " R "testdata/bad/empty.log", 0, "empty-input.out", "", false },
	{ "empty stdin", "\"$LC\" " R "< /dev/null", 0, "empty-stdin.out", "", false },
	{ "odd bytes", "\"$LC\" " R "-p tests/cli/odd.rules --min-level debug testdata/bad/odd-bytes.log", 0, "odd-bytes.out",
	  "", false },
	{ "long line",
	  "{ head -c 3000000 /dev/zero | tr '\\0' x; echo; cat testdata/nginx/error.log; } | \"$LC\" " R,
	  0, "long-line.out", "", false },

	/* Pattern files: errors name FILE:LINE:COL, nothing is analysed. */
	{ "bad rules", "\"$LC\" --no-default-patterns -p tests/cli/bad.rules testdata/nginx/error.log",
	  2, "empty.out",
	  "logcause: tests/cli/bad.rules:4:1: unknown key 'colour'\n"
	  "logcause: tests/cli/bad.rules:6:11: missing ']' at end of section header\n"
	  "logcause: tests/cli/bad.rules:8:9: duplicate 'title' for cause 'db' (metadata is given once)\n"
	  "logcause: tests/cli/bad.rules:9:9: duplicate 'title' for cause 'db' (metadata is given once)\n",
	  false },
	{ "bad regex", "\"$LC\" --no-default-patterns -p tests/cli/bad-regex.rules testdata/nginx/error.log",
	  2, "empty.out", "logcause: tests/cli/bad-regex.rules:5:28: bad regex: missing closing parenthesis\n",
	  false },
	{ "check patterns", "\"$LC\" --check-patterns " R, 0, "check-patterns.out", "", false },
	{ "check patterns fails", "\"$LC\" --check-patterns --no-default-patterns -p tests/cli/wrong-examples.rules",
	  2, "check-patterns-fail.out",
	  "logcause: tests/cli/wrong-examples.rules:7: example of 'db' is not attributed\n"
	  "logcause: tests/cli/wrong-examples.rules:8: never line of 'db' is attributed to it\n"
	  "logcause: tests/cli/wrong-examples.rules:14: example of 'timeout' is attributed to 'db'\n"
	  "logcause: tests/cli/wrong-examples.rules:5: no example of 'db' exercises this match\n"
	  "logcause: tests/cli/wrong-examples.rules:6: no example of 'db' exercises this match\n"
	  "logcause: tests/cli/wrong-examples.rules:13: no example of 'timeout' exercises this match\n",
	  false },
	{ "default patterns found beside the binary",
	  "d=$(mktemp -d) && mkdir \"$d/patterns\" && cp \"$LC\" \"$d/\" && cp tests/cli/test.rules \"$d/patterns/\" && "
	  "env -u LOGCAUSE_PATTERNS \"$d/logcause\" --check-patterns; rc=$?; rm -r \"$d\"; exit $rc",
	  0, "check-patterns.out", "", false },
	{ "no default patterns", "LOGCAUSE_PATTERNS=/nonexistent \"$LC\" testdata/nginx/error.log", 2,
	  "empty.out", "logcause: /nonexistent: No such file or directory\n", false },

	/* Usage errors: one line saying what, the usage, exit 2. */
	{ "unknown option", "\"$LC\" --bogus", 2, "empty.out",
	  "logcause: unknown option '--bogus'\nusage: *Try 'logcause --help' for more information.\n", false },
	{ "unknown short option", "\"$LC\" -Z", 2, "empty.out", "logcause: unknown option '-Z'\nusage: *", false },
	{ "missing value", "\"$LC\" --min-level", 2, "empty.out",
	  "logcause: option '--min-level' needs a value\nusage: *", false },
	{ "bad level", "\"$LC\" --min-level loud x", 2, "empty.out", "logcause: unknown level 'loud'\nusage: *", false },
	{ "bad output format", "\"$LC\" -o pdf x", 2, "empty.out",
	  "logcause: unknown output format 'pdf'\nusage: *", false },
	{ "bad input format", "\"$LC\" --input-format squid x", 2, "empty.out",
	  "logcause: unknown input format 'squid'\nusage: *", false },
	{ "version", "\"$LC\" --version", 0, NULL, "", false },
	{ "closed pipe", "\"$LC\" " R "testdata/nginx/error.log | head -c 1 >/dev/null", 0, "empty.out", "", false },
};

static const char *bin(void)
{
	const char *b = getenv("LOGCAUSE_BIN");

	return b && *b ? b : "./logcause";
}

static char *run(const char *cmd, int *status, char **err)
{
	char out_path[] = "/tmp/logcause-out-XXXXXX", err_path[] = "/tmp/logcause-err-XXXXXX";
	int ofd = mkstemp(out_path), efd = mkstemp(err_path);
	size_t len = strlen(cmd) + 200;
	char *full = malloc(len), *out;
	int rc;

	ck_assert_int_ge(ofd, 0);
	ck_assert_int_ge(efd, 0);
	close(ofd);
	close(efd);
	snprintf(full, len, "( %s ) >%s 2>%s </dev/null", cmd, out_path, err_path);
	rc = system(full);
	ck_assert(WIFEXITED(rc));
	*status = WEXITSTATUS(rc);
	out = slurp(out_path, NULL);
	*err = slurp(err_path, NULL);
	unlink(out_path);
	unlink(err_path);
	free(full);
	return out;
}

static void setup_env(void)
{
	char *abs = realpath(bin(), NULL);

	/* Absolute, so a case may cd elsewhere and still run it. */
	setenv("LC", abs ? abs : bin(), 1);
	free(abs);
	setenv("TZ", "UTC", 1);
	setenv("LC_ALL", "C", 1);
	setenv("LOGCAUSE_PATTERNS", "patterns", 1);
	unsetenv("NO_COLOR");
}

/* Where two outputs first differ: the line of each, short enough for
 * Check's message (a whole report would overflow it and end the run). */
static void first_difference(const char *got, const char *want, char *buf, size_t size)
{
	size_t line = 1, at = 0, from;
	int glen, wlen;

	while (got[at] && got[at] == want[at]) {
		if (got[at] == '\n')
			line++;
		at++;
	}
	for (from = at; from > 0 && got[from - 1] != '\n'; from--)
		;
	glen = (int)strcspn(got + from, "\n");
	wlen = (int)strcspn(want + from, "\n");
	snprintf(buf, size, "line %zu:\n  got:  %.*s\n  want: %.*s", line, glen < 400 ? glen : 400,
		 got + from, wlen < 400 ? wlen : 400, want + from);
}

START_TEST(test_cli)
{
	const struct cli_case *c = &cases[_i];
	int status;
	char *err, *out;

	setup_env();
	if (c->plain_binary_only && getenv("LOGCAUSE_SANITIZED")) {
		printf("cli: '%s' runs in the plain build only\n", c->name);
		return;
	}
	out = run(c->cmd, &status, &err);
	ck_assert_msg(status == c->status, "%s: exit %d, expected %d; stderr: %.2000s", c->name,
		      status, c->status, err);
	ck_assert_msg(fnmatch(c->stderr_glob, err, 0) == 0, "%s: stderr:\n%.2000s\nexpected:\n%.1000s",
		      c->name, err, c->stderr_glob);
	if (c->stdout_file) {
		char path[256];
		const char *got = out, *want;
		char *expect;

		snprintf(path, sizeof path, "tests/cli/%s", c->stdout_file);
		if (getenv("LOGCAUSE_UPDATE_EXPECTED") && !c->skip_inputs_line) {
			FILE *f = fopen(path, "w");

			ck_assert_ptr_nonnull(f);
			fputs(out, f);
			fclose(f);
		}
		expect = slurp(path, NULL);
		ck_assert_msg(expect != NULL, "%s: missing %s", c->name, path);
		want = expect;
		if (c->skip_inputs_line) {
			got = strchr(out, '\n');
			want = strchr(expect, '\n');
			ck_assert_ptr_nonnull(got);
			ck_assert_ptr_nonnull(want);
		}
		if (strcmp(got, want) != 0) {
			char diff[1024];

			first_difference(got, want, diff, sizeof diff);
			ck_abort_msg("%s: stdout differs from %s at %s", c->name, path, diff);
		}
		free(expect);
	}
	free(out);
	free(err);
}
END_TEST

/* Every long option is in --help and in the man page. */
START_TEST(test_options_documented)
{
	static const char *const opts[] = { "--output", "--patterns", "--no-default-patterns",
					    "--check-patterns", "--min-level", "--input-format",
					    "--quiet", "--verbose", "--rule-stats", "--events", "--since",
					    "--until", "--tz", "--fail-on", "--max-unattributed", "--suggest", "--max-bytes", "--help",
					    "--version" };
	int status;
	char *err, *help, *man;

	setup_env();
	help = run("\"$LC\" --help", &status, &err);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(err, "");
	man = slurp("man/logcause.1", NULL);
	ck_assert_ptr_nonnull(man);
	/* Drop mdoc's escapes ("\-") so options read as typed. */
	{
		size_t o = 0;

		for (size_t i = 0; man[i]; i++)
			if (man[i] != '\\')
				man[o++] = man[i];
		man[o] = '\0';
	}
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		char mdoc[64];

		ck_assert_msg(strstr(help, opts[i]), "%s not in --help", opts[i]);
		snprintf(mdoc, sizeof mdoc, "Fl -%s", opts[i] + 2);
		ck_assert_msg(strstr(man, mdoc), "%s not in man/logcause.1", opts[i]);
	}
	free(help);
	free(err);
	free(man);
}
END_TEST

/* Every JSON output is valid JSON, whatever bytes went in, and carries the
 * schema's keys. */
START_TEST(test_json_outputs)
{
	static const char *const cmds[] = {
		"\"$LC\" -o json testdata/demo/",
		"\"$LC\" -o json --min-level debug " R "testdata/bad/odd-bytes.log",
		"\"$LC\" -o json " R "testdata/bad/empty.log",
		"head -c 20000 /dev/urandom | \"$LC\" -o json --min-level debug",
	};
	static const char *const keys[] = { "\"schema\":\"logcause/1\"", "\"patterns\":{",
					    "\"inputs\":[", "\"records\":{", "\"span\":{",
					    "\"timeline\":{", "\"causes\":[" };
	int status;
	char *err, *out;

	setup_env();
	out = run(cmds[_i], &status, &err);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(json_valid(out), "not valid JSON: %s", out);
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		ck_assert_msg(strstr(out, keys[k]), "missing %s", keys[k]);
	free(out);
	free(err);
}
END_TEST

/* --events: one valid JSON object per line for any input bytes. */
START_TEST(test_events_valid)
{
	int status;
	char *err, *out, *line, *save = NULL;
	size_t n = 0;

	setup_env();
	out = run("head -c 50000 /dev/urandom | \"$LC\" --events --min-level debug", &status, &err);
	ck_assert_int_eq(status, 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++)
		ck_assert_msg(json_valid(line), "not valid JSON: %s", line);
	ck_assert_uint_gt(n, 10);
	free(out);
	free(err);
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("run");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_cli, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_options_documented);
	tcase_add_loop_test(tc, test_json_outputs, 0, 4);
	tcase_add_test(tc, test_events_valid);
	suite_add_tcase(s, tc);
	return s;
}
