#!/bin/sh
# check-html.sh BINARY OUTDIR — checks the HTML report (-o html) as a
# browser sees it.
#
# Run from the repository root.  Writes to OUTDIR: report.html and
# empty.html (the reports), *.dom.html (the DOM headless Chromium built from
# each), *.png (screenshots for a person to look at), hostile.* (an input
# made to break escaping) and chromium.log.  Prints one line per check, then
# "N passed, M failed"; exits 1 when a check failed or Chromium is missing.
#
# POSIX sh, grep, sed and awk only: python is not on every machine that
# runs this.  Counting is done in awk because grep -c counts lines, not
# occurrences, and grep -o is not POSIX.

set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 BINARY OUTDIR" >&2
	exit 2
fi
bin=$1
outdir=$2

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
	for c in chromium /usr/bin/chromium chromium-browser google-chrome; do
		if command -v "$c" >/dev/null 2>&1; then
			chromium=$c
			break
		fi
	done
fi
if [ -z "$chromium" ] || ! command -v "$chromium" >/dev/null 2>&1; then
	echo "check-html: chromium${chromium:+ ($chromium)} not found: install Debian's chromium package" \
	     "(scripts/setup does) or set CHROMIUM" >&2
	exit 1
fi
if [ ! -x "$bin" ]; then
	echo "check-html: $bin: not an executable" >&2
	exit 1
fi

mkdir -p "$outdir" || exit 1
outdir=$(cd "$outdir" && pwd) || exit 1
log=$outdir/chromium.log
: >"$log"

# The repository's own catalogue, wherever the binary was built.
LOGCAUSE_PATTERNS=${LOGCAUSE_PATTERNS:-patterns}
export LOGCAUSE_PATTERNS

# Chromium can hang on a broken display or D-Bus setup: bound every run.
tmo=
if command -v timeout >/dev/null 2>&1; then
	tmo="timeout 120"
fi

passed=0
failed=0

ok() {
	passed=$((passed + 1))
	echo "ok    $1"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL  $1"
}

# check DESCRIPTION COMMAND... : one line for the check, by COMMAND's status.
check() {
	what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# count PATTERN FILE: how many times the ERE PATTERN occurs in FILE.  The
# pattern goes through the environment: awk -v would turn "\\x1b" into an
# escape character before the regex saw it.
count() {
	re=$1 awk '{ while (match($0, ENVIRON["re"])) { n++; $0 = substr($0, RSTART + RLENGTH) } }
		END { print n + 0 }' "$2"
}

# has PATTERN FILE / hasnt PATTERN FILE: whether the ERE occurs.
has() { [ "$(count "$1" "$2")" -gt 0 ]; }
hasnt() { [ "$(count "$1" "$2")" -eq 0 ]; }

# Headless Chromium with everything that would reach the network turned
# off, and a profile of its own so no state is shared between runs.
chrome() {
	profile=$(mktemp -d) || return 1
	$tmo "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$profile" "$@" 2>>"$log"
	status=$?
	rm -rf "$profile"
	return $status
}

# render NAME: the DOM after rendering OUTDIR/NAME.html, and a screenshot.
render() {
	chrome --dump-dom "file://$outdir/$1.html" >"$outdir/$1.dom.html" &&
		chrome --screenshot="$outdir/$1.png" --window-size=1280,2000 \
			"file://$outdir/$1.html" >>"$log"
}

# An element that loads something: only the page's own markup can make
# one, because log text is escaped; the page needs none.
no_loading_elements() {
	hasnt '<(link|img|iframe|frame|object|embed|audio|video|source|base)[ >/]' "$1"
}

# No src= or href= leaves the page ("http://", "https://", "//host").
# Attributes only: escaped log text quotes URLs and that is fine.
no_external_refs() {
	hasnt '(src|href)="(https?:)?//' "$1" && hasnt "(src|href)='(https?:)?//" "$1"
}

# Fault cause names of the JSON report, in rank order, one a line.  Cause
# objects are the only ones with "title" then "kind"; a string inside log
# text has its quotes escaped, so it cannot match.
fault_names_json() {
	awk '{ while (match($0, /[{]"name":"[a-z0-9-]*","title":"([^"\\]|\\.)*","kind":"fault"/)) {
			m = substr($0, RSTART, RLENGTH); $0 = substr($0, RSTART + RLENGTH)
			sub(/^[{]"name":"/, "", m); sub(/".*/, "", m); print m } }' "$1"
}

# The data-cause of each series group of the chart, in document order.
series_names_dom() {
	awk '{ while (match($0, /<g class="series" data-cause="[^"]*"/)) {
			m = substr($0, RSTART, RLENGTH); $0 = substr($0, RSTART + RLENGTH)
			sub(/^.*data-cause="/, "", m); sub(/"$/, "", m); print m } }' "$1"
}

# Every name in file $1 has a section id="cause-NAME" and a link to it in $2.
sections_linked() {
	while read -r name; do
		has "id=\"cause-$name\"" "$2" && has "href=\"#cause-$name\"" "$2" || return 1
	done <"$1"
}

# No raw control byte but tab and newline: those are shown as \xNN.
no_raw_controls() {
	[ "$(LC_ALL=C tr -dc '\000-\010\013-\037\177' <"$1" | wc -c)" -eq 0 ]
}

# page_checks NAME LABEL: what every page must pass, whatever its input.
page_checks() {
	dom=$outdir/$1.dom.html
	check "$2: Chromium rendered the page" has '</html>' "$dom"
	check "$2: screenshot written" test -s "$outdir/$1.png"
	check "$2: has a <title>" has '<title>logcause: [^<]+</title>' "$dom"
	check "$2: has the <h1> heading" has '<h1>What caused the 5xx errors</h1>' "$dom"
	check "$2: no <script>" hasnt '<script' "$dom"
	check "$2: no element that loads a resource" no_loading_elements "$dom"
	check "$2: no src=/href= to another site" no_external_refs "$dom"
	check "$2: no @import or url() to another site" \
		hasnt '(@import|url\(["'"'"']?(https?:)?//)' "$dom"
}

# --- the demo incident --------------------------------------------------------

"$bin" -o html testdata/demo/ >"$outdir/report.html"
check "demo: -o html exits 0" test $? -eq 0
"$bin" -o json testdata/demo/ >"$outdir/report.json"
check "demo: -o json exits 0" test $? -eq 0
render report
check "demo: Chromium exits 0" test $? -eq 0
page_checks report demo

dom=$outdir/report.dom.html
fault_names_json "$outdir/report.json" >"$outdir/faults.txt"
series_names_dom "$dom" >"$outdir/series.txt"
nfault=$(awk 'END { print NR }' "$outdir/faults.txt")
nseries=$(awk 'END { print NR }' "$outdir/series.txt")
check "demo: the JSON report has fault causes ($nfault)" test "$nfault" -gt 0
check "demo: the chart <svg> is there" has '<svg class="chart"' "$dom"
check "demo: one series group per fault cause ($nseries for $nfault)" \
	test "$nseries" -eq "$nfault"
check "demo: series are the JSON's fault causes in rank order" \
	cmp -s "$outdir/faults.txt" "$outdir/series.txt"
# x-axis labels are centred "HH:MM"; the y axis's counts are right-aligned.
nlabels=$(count 'text-anchor="middle">[0-9][0-9]:[0-9][0-9]' "$dom")
check "demo: the chart has time labels ($nlabels)" test "$nlabels" -ge 3
check "demo: the chart has a count axis" has 'text-anchor="end"[^>]*>[0-9,]+</text>' "$dom"
check "demo: every fault cause has a section, linked from the table" \
	sections_linked "$outdir/faults.txt" "$dom"
check "demo: ranked table present" has '<table class="ranked">' "$dom"
check "demo: noise causes summarised apart" has '<table class="noise">' "$dom"
check "demo: one sparkline per cause" \
	test "$(count '<svg class="spark"' "$dom")" -eq "$(count '"kind":"(fault|noise)"' "$outdir/report.json")"
check "demo: examples shown" has '<pre><code>' "$dom"

# --- empty input ---------------------------------------------------------------

"$bin" -o html testdata/bad/empty.log >"$outdir/empty.html"
check "empty: -o html exits 0" test $? -eq 0
render empty
check "empty: Chromium exits 0" test $? -eq 0
page_checks empty empty
check "empty: says there was nothing to analyse" \
	has 'Nothing to analyse: the input holds no records' "$outdir/empty.dom.html"
check "empty: no chart" hasnt '<svg class="chart"' "$outdir/empty.dom.html"

# --- escaping --------------------------------------------------------------------
# A cause whose examples hold markup, a quote, an ESC sequence, NUL, a carriage
# return, invalid UTF-8 and a right-to-left override.  Checked in the file the
# binary wrote: the DOM would hide a raw byte behind the parser's repairs.

printf '[cause hostile]\ntitle = Hostile <b>bytes</b> & "quotes"\nkind = fault\nmatch = hostile\n' \
	>"$outdir/hostile.rules"
printf '2026/11/27 10:15:02 [error] 1#1: *1 hostile <script>alert(1)</script> & "q" \047s\n' \
	>"$outdir/hostile.log"
printf '2026/11/27 10:15:03 [error] 1#1: *2 hostile \033[31m red \000 nul \377\376 bad \342\200\256 rlo \r cr\n' \
	>>"$outdir/hostile.log"
"$bin" -o html --no-default-patterns -p "$outdir/hostile.rules" "$outdir/hostile.log" \
	>"$outdir/hostile.html"
check "hostile: -o html exits 0" test $? -eq 0
h=$outdir/hostile.html
check "hostile: markup in log text escaped" has '&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; &quot;q&quot; &#39;s' "$h"
check "hostile: markup in a cause title escaped" has 'Hostile &lt;b&gt;bytes&lt;/b&gt; &amp; &quot;quotes&quot;' "$h"
check "hostile: no <script> at all" hasnt '<script' "$h"
check "hostile: no raw control bytes" no_raw_controls "$h"
check "hostile: control bytes shown as \\xNN" has '\\x1b.*\\x00.*\\x0d' "$h"
check "hostile: invalid UTF-8 shown as \\xNN" has '\\xff.*\\xfe' "$h"
check "hostile: right-to-left override shown as \\xNN" has '\\xe2\\x80\\xae' "$h"

# --- access logs joined: the Responses section ---------------------------------
# An error log and an access log whose unexplained 5xx has a hostile path.

printf '2026/11/27 10:15:02 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.9, server: shop, request: "GET /cart HTTP/1.1", upstream: "http://127.0.0.1:8080/cart"\n' \
	>"$outdir/joined-error.log"
printf '203.0.113.9 - - [27/Nov/2026:10:15:02 +0000] "GET /cart HTTP/1.1" 502 157 "-" "x"\n' \
	>"$outdir/joined-access.log"
printf '192.0.2.33 - - [27/Nov/2026:10:16:11 +0000] "GET /<script>alert(1)</script>\033[31m HTTP/1.1" 504 167 "-" "x"\n' \
	>>"$outdir/joined-access.log"
"$bin" -o html "$outdir/joined-error.log" "$outdir/joined-access.log" >"$outdir/joined.html"
check "joined: -o html exits 0" test $? -eq 0
render joined
check "joined: Chromium exits 0" test $? -eq 0
page_checks joined joined
dom=$outdir/joined.dom.html
check "joined: the Responses section is there" has '<section id="responses">' "$dom"
check "joined: the explained table is there" has '<table class="responses">' "$dom"
check "joined: the unexplained paths are listed" has '<table class="paths">' "$dom"
h=$outdir/joined.html
check "joined: markup in a path escaped" has '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$h"
check "joined: no <script> at all" hasnt '<script' "$h"
check "joined: no raw control bytes" no_raw_controls "$h"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
