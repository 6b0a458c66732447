/*
 * genpair: one deterministic nginx incident, written twice -- as the error
 * log and as the access log of the same requests -- and the truth that
 * joins them.
 *
 * A test-data tool for logcause, not part of it.  It simulates requests to
 * a shop behind nginx: PHP pages through PHP-FPM (shop.example,
 * admin.shop.example), an API behind an upstream group (api.shop.example,
 * four servers in "api_backend"), API routes that nginx proxies by name to
 * internal HTTPS services (inventory, payments, shipping), static files,
 * and scanners.  Most requests succeed.  In incidents of one to five
 * minutes one or two causes make some of them fail, and nginx logs each
 * failure the way it does: the record in the error log, the response in
 * the access log.  The join of the two ("which 5xx did each cause
 * produce") is scored against the truth file.
 *
 *   cc -std=c11 -O2 -Wall -Wextra -Werror -o genpair bench/genpair.c
 *   genpair --error e.log --access a.log --truth t.tsv [--seed N] ...
 *
 * THE TRUTH FILE has one line per access-log line, in the same order, and
 * four fields separated by tabs:
 *
 *   LINE  STATUS  CAUSE  RECORD
 *
 *   LINE    the access-log line number, from 1
 *   STATUS  the HTTP status of that line
 *   CAUSE   for a 5xx: the cause that produced it, as logcause's catalogue
 *           names it (db, upstream-down, upstream-timeout, overload,
 *           memory, disk, config, permission, app-error, tls, dns), or
 *           "unexplained" when nothing in the error log is about it (the
 *           application answered 500 itself and logged elsewhere);
 *           "none" for every other status
 *   RECORD  the error-log line number (from 1; the first line of a
 *           multi-line record) of the record nginx logged for this
 *           request.  For a 5xx with a cause, the record that explains it;
 *           when the request logged two (two upstream servers refused), the
 *           later.  For other statuses, the record the request logged
 *           anyway: a 404's open() failure, a 499's failure whose client
 *           gave up before the response, a 200 whose first upstream server
 *           refused.  "-" when the request logged nothing, and for a 5xx
 *           whose only explanation is a field-less alert ("768
 *           worker_connections are not enough"), which matches by time
 *           alone.
 *
 * THE NGINX BEING SIMULATED:
 *
 *   error_log  /var/log/nginx/error.log warn;
 *   log_format combined (nginx's own)
 *   log_format timed '$remote_addr - $remote_user [$time_local] "$request" '
 *                    '$status $body_bytes_sent "$http_referer" '
 *                    '"$http_user_agent" rt=$request_time '
 *                    'uct="$upstream_connect_time" '
 *                    'urt="$upstream_response_time" us="$upstream_status"';
 *   log_format json escape=json '{"time":"$time_iso8601",'
 *       '"remote_addr":"$remote_addr","request":"$request",'
 *       '"status":$status,"host":"$host","request_time":$request_time,'
 *       '"upstream_status":"$upstream_status",'
 *       '"body_bytes_sent":$body_bytes_sent,'
 *       '"http_user_agent":"$http_user_agent"}';
 *   proxy_read_timeout, proxy_connect_timeout, fastcgi_read_timeout: --timeout
 *   resolver_timeout 30s; limit_req zone=api; proxy_next_upstream error timeout;
 *   server_tokens on (nginx/1.24.0: its error pages are 135 bytes + 2 * reason)
 *
 * TIME.  The error log stamps a record when the failure happens, in
 * --error-zone local time, with no zone in the stamp (nginx's
 * "2026/11/27 10:15:02").  The access log stamps a response when it ends,
 * in --access-zone, by a clock --skew seconds off the error log's.  One
 * deliberate departure from nginx: an upstream timeout's record carries
 * the time its request STARTED, so it is --timeout seconds older than its
 * 504, as the issue this serves asks (nginx itself stamps it when the timer
 * fires, just before the 504; a join that allows the gap also joins that).
 * Every other record is a few milliseconds older than its response.
 *
 * WHAT MAKES THE JOIN HARD, on purpose, because real logs have it too:
 *   - 5xx with no record: about 3 % of them ("unexplained");
 *   - records with no 5xx: the failure whose client gave up (499), the
 *     first of two upstream servers tried (then 200 or 502), a 404's
 *     open() failure, "Primary script unknown" (logcause: config) on a
 *     scanner's 404, PHP warnings and buffering notes on 200s, and client
 *     TLS handshake failures with no request at all;
 *   - field-less alerts ("768 worker_connections are not enough",
 *     "accept4() failed (24: ...)") that explain, by time alone, the 503s
 *     that end within a second after them;
 *   - multi-line records (PHP stack traces in FastCGI stderr), numbered
 *     by their first line, with the request fields on their last;
 *   - returning clients, popular request lines, HTTP/2 and IPv6 clients,
 *     Host headers that differ from server_name (www., a bare address);
 *   - --hot-client: one address sending a share of everything, most of it
 *     the same few request lines, so that only time tells its 5xx apart.
 *
 * Everything that looks like log text is in the tables below; the code
 * picks, fills in fields and keeps time.  Same arguments, same bytes on any
 * platform: a seeded splitmix64 is the only source of variety, the options
 * become integers once when parsed, and nothing reads the clock, the
 * locale or the environment.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_common.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum status { ST_OK = 0, ST_FAIL = 1, ST_USAGE = 2 };

/* ------------------------------------------------------------ causes */

enum cause {
	C_DB, C_UPSTREAM_DOWN, C_UPSTREAM_TIMEOUT, C_OVERLOAD, C_MEMORY,
	C_DISK, C_CONFIG, C_PERMISSION, C_APP_ERROR, C_TLS, C_DNS,
	C_COUNT,
	T_NONE = C_COUNT,	/* truth of a status below 500 */
	T_UNEXPLAINED,		/* a 5xx nothing in the error log explains */
	T_COUNT
};

/* What the truth file says: the causes as logcause's catalogue names them. */
static const char *const truth_names[T_COUNT] = {
	"db", "upstream-down", "upstream-timeout", "overload", "memory",
	"disk", "config", "permission", "app-error", "tls", "dns",
	"none", "unexplained",
};

/*
 * An incident is a few minutes in which a primary cause fails some of the
 * requests it can reach, and a secondary one (what the primary drags
 * along, as timeouts follow a slow database) a third as many.  C_COUNT: no
 * secondary.
 */
static const struct incident_kind {
	uint8_t primary, secondary, weight;
} incident_kinds[] = {
	{ C_DB, C_UPSTREAM_TIMEOUT, 12 },	{ C_DB, C_COUNT, 6 },
	{ C_UPSTREAM_DOWN, C_UPSTREAM_TIMEOUT, 8 },
	{ C_UPSTREAM_DOWN, C_COUNT, 6 },
	{ C_UPSTREAM_TIMEOUT, C_OVERLOAD, 8 },
	{ C_OVERLOAD, C_UPSTREAM_TIMEOUT, 8 },
	{ C_MEMORY, C_UPSTREAM_DOWN, 5 },	{ C_CONFIG, C_COUNT, 4 },
	{ C_APP_ERROR, C_COUNT, 5 },		{ C_TLS, C_COUNT, 3 },
	{ C_DNS, C_UPSTREAM_DOWN, 4 },		{ C_PERMISSION, C_COUNT, 2 },
	{ C_DISK, C_COUNT, 2 },
};

/* ------------------------------------------------------------ requests */

/*
 * What kind of request it is decides where nginx sends it, and so what can
 * go wrong with it.  `server` is the server_name of its server block.
 */
enum rkind {
	RK_PAGE, RK_ADMIN, RK_API, RK_EXT, RK_UPLOAD, RK_ASSET, RK_MISS,
	RK_PROBE, RK_SCRIPT,
	RK_COUNT
};
#define RB(k)	(1u << (k))
#define RB_PHP	(RB(RK_PAGE) | RB(RK_ADMIN) | RB(RK_UPLOAD))
#define RB_DYN	(RB_PHP | RB(RK_API) | RB(RK_EXT))

static const struct kind_info {
	const char *server;
	uint8_t weight;		/* share of all requests, % */
	uint32_t mean_us;	/* mean time to answer when all is well */
} kinds[RK_COUNT] = {
	[RK_PAGE] = { "shop.example", 34, 120000 },
	[RK_ADMIN] = { "admin.shop.example", 2, 250000 },
	[RK_API] = { "api.shop.example", 18, 60000 },
	[RK_EXT] = { "api.shop.example", 6, 180000 },
	[RK_UPLOAD] = { "shop.example", 1, 400000 },
	[RK_ASSET] = { "shop.example", 30, 2000 },
	[RK_MISS] = { "shop.example", 6, 400 },
	[RK_PROBE] = { "shop.example", 2, 300 },
	[RK_SCRIPT] = { "shop.example", 1, 3000 },
};

/* The internal services RK_EXT routes reach by name, through the resolver. */
static const struct service {
	const char *name, *ip;
} services[] = {
	{ "inventory.internal", "10.0.5.21" },
	{ "payments.internal", "10.0.5.22" },
	{ "shipping.internal", "10.0.5.23" },
};

/* The four servers of upstream api_backend. */
static const char *const api_servers[] = {
	"10.0.4.11", "10.0.4.12", "10.0.4.13", "10.0.4.14",
};

/*
 * "METHOD target"; the target may hold the fields of the `fields` table
 * that are drawn ({id}, {word}, ...), not the request's own ({ip}, {uri}).
 * svc: index into services for RK_EXT routes.  To add a route, add a row.
 */
struct route {
	uint8_t kind, weight, svc;
	const char *text;
};

static const struct route routes[] = {
	{ RK_PAGE, 8, 0, "GET /" },
	{ RK_PAGE, 6, 0, "GET /cart" },
	{ RK_PAGE, 3, 0, "GET /checkout" },
	{ RK_PAGE, 4, 0, "POST /cart/add" },
	{ RK_PAGE, 1, 0, "POST /checkout/payment" },
	{ RK_PAGE, 14, 0, "GET /product/{word}-{id}" },
	{ RK_PAGE, 8, 0, "GET /category/{word}?page={n}" },
	{ RK_PAGE, 5, 0, "GET /search?q={word}&sort=price" },
	{ RK_PAGE, 2, 0, "GET /account/orders" },
	{ RK_PAGE, 1, 0, "GET /account/orders/{id}" },
	{ RK_PAGE, 2, 0, "POST /login" },
	{ RK_PAGE, 1, 0, "GET /wishlist" },
	{ RK_ADMIN, 4, 0, "GET /admin/" },
	{ RK_ADMIN, 4, 0, "GET /admin/orders?page={n}" },
	{ RK_ADMIN, 2, 0, "POST /admin/catalog/{id}/edit" },
	{ RK_ADMIN, 1, 0, "GET /admin/reports/sales" },
	{ RK_API, 6, 0, "GET /api/v1/orders/{id}" },
	{ RK_API, 2, 0, "POST /api/v1/orders" },
	{ RK_API, 8, 0, "GET /api/v1/products/{id}" },
	{ RK_API, 4, 0, "GET /api/v1/products?category={word}&limit=50" },
	{ RK_API, 2, 0, "GET /api/v1/users/{uid}/addresses" },
	{ RK_API, 3, 0, "PUT /api/v1/cart/{hex8}" },
	{ RK_API, 3, 0, "GET /api/v2/search?q={word}" },
	{ RK_EXT, 6, 0, "GET /api/v1/stock/{id}" },
	{ RK_EXT, 2, 1, "POST /api/v1/payments" },
	{ RK_EXT, 2, 2, "GET /api/v1/shipping/quote?zip={zip}" },
	{ RK_UPLOAD, 3, 0, "POST /account/avatar" },
	{ RK_UPLOAD, 1, 0, "POST /support/attachments" },
	{ RK_ASSET, 6, 0, "GET /assets/app.3f9c2a1b.css" },
	{ RK_ASSET, 6, 0, "GET /assets/app.8d41e07c.js" },
	{ RK_ASSET, 12, 0, "GET /media/catalog/{id}.jpg" },
	{ RK_ASSET, 4, 0, "GET /media/catalog/{id}-large.webp" },
	{ RK_ASSET, 2, 0, "GET /fonts/inter-var.woff2" },
	{ RK_MISS, 9, 0, "GET /favicon.ico" },
	{ RK_MISS, 2, 0, "GET /apple-touch-icon.png" },
	{ RK_MISS, 2, 0, "GET /apple-touch-icon-precomposed.png" },
	{ RK_MISS, 2, 0, "GET /media/catalog/{id}.jpg" },
	{ RK_MISS, 1, 0, "GET /assets/app.{hex8}.js" },
	{ RK_MISS, 1, 0, "GET /ads.txt" },
	{ RK_MISS, 1, 0, "GET /.well-known/security.txt" },
	{ RK_MISS, 1, 0, "GET /images/logo@2x.png" },
	{ RK_MISS, 1, 0, "GET /old/{word}.html" },
	{ RK_PROBE, 3, 0, "GET /.env" },
	{ RK_PROBE, 2, 0, "GET /.git/config" },
	{ RK_PROBE, 1, 0, "GET /.git/HEAD" },
	{ RK_PROBE, 1, 0, "GET /.aws/credentials" },
	{ RK_PROBE, 1, 0, "GET /.DS_Store" },
	{ RK_SCRIPT, 3, 0, "GET /wp-login.php" },
	{ RK_SCRIPT, 2, 0, "POST /xmlrpc.php" },
	{ RK_SCRIPT, 1, 0, "GET /phpinfo.php" },
	{ RK_SCRIPT, 1, 0, "GET /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php" },
	{ RK_SCRIPT, 1, 0, "GET /wp-admin/setup-config.php" },
};

/*
 * --hot-client: one address (an office behind NAT with a stock poller in
 * it) sends a share of all requests, most of them these few, over and over,
 * so that neither the client nor the request line alone tells its 5xx
 * apart.  The rest of its requests are drawn as anybody's.
 */
#define HOT_CLIENT	"192.0.2.1"
#define HOT_UA		"shop-sync/2.4 (+https://partner.example/bot)"
#define HOT_FIXED_PCT	60

static const struct route hot_routes[] = {
	{ RK_EXT, 6, 0, "GET /api/v1/stock/1187" },
	{ RK_EXT, 2, 0, "GET /api/v1/stock/2204" },
	{ RK_API, 4, 0, "GET /api/v1/orders?status=open" },
	{ RK_API, 3, 0, "GET /api/v1/products/42" },
	{ RK_API, 1, 0, "POST /api/v1/orders" },
	{ RK_PAGE, 2, 0, "GET /cart" },
	{ RK_PAGE, 2, 0, "GET /account/orders" },
};

static const char *const hosts[] = {	/* Host headers */
	"shop.example", "www.shop.example", "admin.shop.example",
	"api.shop.example", "198.51.100.80",
};
enum { H_SHOP, H_WWW, H_ADMIN, H_API, H_IP };

static const char *const referrers[] = {
	"https://shop.example/", "https://shop.example/cart",
	"https://shop.example/checkout", "https://www.google.com/",
	"https://shop.example/category/shoes?page=2",
	"https://shop.example/search?q=socks",
};

static const char *const browser_uas[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
};
static const char *const api_uas[] = {
	"okhttp/4.12.0", "ShopApp/5.2.1 (iPhone; iOS 18.1)",
	"python-requests/2.32.3", "Go-http-client/2.0",
};
static const char *const scanner_uas[] = {
	"Mozilla/5.0 zgrab/0.x", "curl/8.5.0", "python-requests/2.32.3",
};

/* ------------------------------------------------------------ fields */

/*
 * What a {name} in a route or a record becomes.  A drawn field (number,
 * list, hex) is drawn once per record and repeated on every later mention,
 * so "Db.php:42" and "on line 42" agree; give a second value its own name
 * ({line2}).  A request field ({ip}, {req}, ...) is the request's own, the
 * same text its access line shows.  To add a field, add a row; a template
 * that names an unknown field stops the program at start-up.
 */
enum field_kind { FK_NUM, FK_FIXED3, FK_PAD10, FK_HEX8, FK_LIST, FK_REQ };

enum req_field {
	RQ_IP, RQ_SERVER, RQ_HOST, RQ_REQ, RQ_URI, RQ_REF, RQ_UPIP, RQ_SVC,
	RQ_SVCIP
};

struct field {
	const char *name;
	enum field_kind kind;
	uint64_t lo, hi;		/* FK_NUM, FK_FIXED3, FK_PAD10: range */
	const char *const *list;	/* FK_LIST: NULL-terminated */
	enum req_field which;		/* FK_REQ */
};

static const char *const words[] = {
	"shoes", "linen-shirt", "wool-socks", "gift-card", "rain-jacket",
	"espresso-cup", "desk-lamp", "yoga-mat", "backpack", "sunglasses",
	"tea-set", "notebook", "headphones", "water-bottle", "scarf", NULL
};
static const char *const controllers[] = {
	"CartController", "CheckoutController", "ProductController",
	"OrderController", "AccountController", "SearchController", NULL
};
static const char *const service_classes[] = {
	"CartService", "PriceCalculator", "StockService", "CouponService",
	"ShippingService", "OrderService", NULL
};
static const char *const getters[] = {
	"getId", "getItems", "getPrice", "getCustomer", "getTotal", "toArray", NULL
};
static const char *const repositories[] = {
	"ProductRepository", "OrderRepository", "CartRepository",
	"UserRepository", NULL
};
static const char *const vendor_files[] = {
	"doctrine/orm/src/UnitOfWork.php", "symfony/serializer/Serializer.php",
	"twig/twig/src/Environment.php", "guzzlehttp/psr7/src/Stream.php",
	"monolog/monolog/src/Monolog/Logger.php", NULL
};
static const char *const mem_limits[] = {
	"134217728", "134217728", "268435456", "536870912", NULL
};
static const char *const allocs[] = {
	"20480", "4096", "262144", "12288", "2097160", "65536", "8388616", NULL
};

#define NUM(n, a, b)	{ n, FK_NUM, a, b, NULL, 0 }
#define LIST(n, l)	{ n, FK_LIST, 0, 0, l, 0 }
#define REQ(n, w)	{ n, FK_REQ, 0, 0, NULL, w }

static const struct field fields[] = {
	NUM("id", 1, 99999),		NUM("uid", 1000, 999999),
	NUM("n", 1, 32),		NUM("zip", 10000, 99999),
	NUM("line", 12, 980),		NUM("line2", 12, 980),
	NUM("pid", 1000, 65000),	NUM("bytes", 512, 262144),
	NUM("body", 1048577, 104857600),
	{ "tmp", FK_PAD10, 1, 99999999, NULL, 0 },	/* 0000012345 */
	{ "excess", FK_FIXED3, 1, 30000, NULL, 0 },	/* 12.345 */
	{ "hex8", FK_HEX8, 0, 0, NULL, 0 },
	LIST("word", words),		LIST("ctrl", controllers),
	LIST("svcclass", service_classes), LIST("fn", getters),
	LIST("repo", repositories),	LIST("vendor", vendor_files),
	LIST("memlimit", mem_limits),	LIST("alloc", allocs),
	REQ("ip", RQ_IP),		/* client address */
	REQ("server", RQ_SERVER),	/* server_name of the server block */
	REQ("host", RQ_HOST),		/* the Host header */
	REQ("req", RQ_REQ),		/* GET /cart?id=42 HTTP/1.1 */
	REQ("uri", RQ_URI),		/* /cart?id=42 */
	REQ("ref", RQ_REF),		/* , referrer: "..." when it had one */
	REQ("upip", RQ_UPIP),		/* the api_backend server tried */
	REQ("svc", RQ_SVC),		/* inventory.internal */
	REQ("svcip", RQ_SVCIP),		/* what the resolver said it is */
};

/* The memo of drawn values is one bit per field in a uint64_t. */
_Static_assert(NELEM(fields) <= 64, "too many fields for the memo mask");

/* Words PHP writes in braces in stack traces: literal text, not fields. */
static const char *const literal_words[] = { "main", "closure", NULL };

/*
 * Snippets: named text expanded where {name} stands, for what many records
 * share -- nginx's trailing fields, in nginx's order: client, server,
 * request, upstream, host, referrer.  They may use fields and snippets.
 */
static const struct snippet {
	const char *name, *text;
} snippets[] = {
	{ "tail", ", client: {ip}, server: {server}, request: \"{req}\", "
		  "host: \"{host}\"{ref}" },
	{ "tail_fcgi", ", client: {ip}, server: {server}, request: \"{req}\", "
		       "upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", "
		       "host: \"{host}\"{ref}" },
	{ "tail_http", ", client: {ip}, server: {server}, request: \"{req}\", "
		       "upstream: \"http://{upip}:8080{uri}\", host: \"{host}\"{ref}" },
	{ "tail_group", ", client: {ip}, server: {server}, request: \"{req}\", "
			"upstream: \"http://api_backend{uri}\", host: \"{host}\"{ref}" },
	{ "tail_https", ", client: {ip}, server: {server}, request: \"{req}\", "
			"upstream: \"https://{svcip}:443{uri}\", host: \"{host}\"{ref}" },
	{ "php_db_trace",
	  "Stack trace:\n"
	  "#0 /srv/www/shop/src/Db.php(42): PDO->__construct('mysql:host=10.0...', "
	  "'shop', Object(SensitiveParameterValue), Array)\n"
	  "#1 /srv/www/shop/src/Repository/{repo}.php({line}): App\\Db->connect()\n"
	  "#2 /srv/www/shop/src/Controller/{ctrl}.php({line2}): "
	  "App\\Repository\\{repo}->find()\n"
	  "#3 {main}\n"
	  "  thrown in /srv/www/shop/src/Db.php on line 42" },
};

/* ------------------------------------------------------------ failures */

/*
 * What $upstream_connect_time, $upstream_response_time and $upstream_status
 * say about a response (combined-timed and json show them):
 *   U_NONE      nginx answered itself: "-" (json: "")
 *   U_RESP      the upstream answered with the response's status
 *   U_CONNFAIL  the connect failed: uct "-", urt the milliseconds it took
 *   U_BROKEN    connected, then the upstream broke off: us 502
 *   U_TIMEOUT   connected, then no header within --timeout: us 504
 *   U_CTIMEOUT  no connection within --timeout: uct "-", us 504
 */
enum ups { U_NONE, U_RESP, U_CONNFAIL, U_BROKEN, U_TIMEOUT, U_CTIMEOUT };

/*
 * When a failure's record is logged:
 *   TM_END      when it happens, dur_lo..dur_hi ms after the request came;
 *               the response ends a few ms later
 *   TM_TIMEOUT  stamped at the request's start; the 504 --timeout later
 *   TM_ALERT    a field-less alert near the response; one alert stands for
 *               every such response within the second after it
 */
enum timing { TM_END, TM_TIMEOUT, TM_ALERT };

/* F_RETRY: proxy_next_upstream may try a second api_backend server. */
enum { F_RETRY = 1 << 0 };

/*
 * One row per way a request fails.  Columns:
 *   cause    what the truth file calls it
 *   weight   how often, against the other rows of the cause that can reach
 *            the request
 *   routes   RB_* bits: the kinds of request it can happen to
 *   status, alt, alt_pct   the response: alt in alt_pct % of the cases
 *   timing, ups            as above
 *   giveup   % of cases in which the client gives up first: the record is
 *            logged but the access line shows 499
 *   flags    F_*
 *   lo, hi   TM_END, TM_ALERT: ms from the request's start to the failure
 *   level    nginx's level
 *   text     the message, with {fields} and {snippets}; "\n" makes a
 *            multi-line record (PHP's stack traces come through FastCGI
 *            stderr as they are)
 *
 * TO ADD A CAUSE: add it to enum cause and truth_names (as logcause's
 * catalogue spells it), give it rows here, and an incident_kinds row so
 * that incidents of it happen.  A row only needs a new field or snippet if
 * its text names one.  Wording follows nginx's sources and PHP 8.
 */
struct failure {
	uint8_t cause, weight;
	uint16_t routes;
	uint16_t status, alt;
	uint8_t alt_pct, timing, ups, giveup, flags;
	uint32_t lo, hi;
	const char *level, *text;
};

/* PHP behind nginx: what php-fpm writes to stderr comes back in quotes. */
#define FCGI(msg) "FastCGI sent in stderr: \"" msg "\" while reading response header from upstream{tail_fcgi}"

static const struct failure failures[] = {
	/* db */
	{ C_DB, 20, RB_PHP, 500, 0, 0, TM_END, U_RESP, 0, 0, 5, 150, "error",
	  FCGI("PHP message: PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /srv/www/shop/src/Db.php:42\n{php_db_trace}") },
	{ C_DB, 12, RB_PHP, 500, 502, 20, TM_END, U_RESP, 10, 0, 5, 80, "error",
	  FCGI("PHP message: PDOException: SQLSTATE[HY000] [2002] Connection refused") },
	{ C_DB, 6, RB_PHP, 500, 0, 0, TM_END, U_RESP, 0, 0, 5, 60, "error",
	  FCGI("PHP message: PDOException: SQLSTATE[08004] [1040] Too many connections") },
	{ C_DB, 4, RB_PHP, 502, 500, 50, TM_END, U_RESP, 0, 0, 20, 3000, "error",
	  FCGI("PHP message: PHP Warning:  PDO::__construct(): Error while reading greeting packet. PID={pid} in /srv/www/shop/src/Db.php on line 42PHP message: PDOException: SQLSTATE[HY000] [2006] MySQL server has gone away") },
	/* upstream-down */
	{ C_UPSTREAM_DOWN, 20, RB(RK_API), 502, 0, 0, TM_END, U_CONNFAIL, 0, F_RETRY, 0, 3, "error",
	  "connect() failed (111: Connection refused) while connecting to upstream{tail_http}" },
	{ C_UPSTREAM_DOWN, 10, RB(RK_API), 502, 0, 0, TM_END, U_CONNFAIL, 0, 0, 0, 1, "error",
	  "no live upstreams while connecting to upstream{tail_group}" },
	{ C_UPSTREAM_DOWN, 6, RB(RK_API), 502, 0, 0, TM_END, U_BROKEN, 0, 0, 5, 2000, "error",
	  "upstream prematurely closed connection while reading response header from upstream{tail_http}" },
	{ C_UPSTREAM_DOWN, 4, RB(RK_EXT), 502, 0, 0, TM_END, U_CONNFAIL, 0, 0, 0, 3, "error",
	  "connect() failed (111: Connection refused) while connecting to upstream{tail_https}" },
	{ C_UPSTREAM_DOWN, 10, RB_PHP, 502, 0, 0, TM_END, U_CONNFAIL, 0, 0, 0, 1, "crit",
	  "connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream{tail_fcgi}" },
	{ C_UPSTREAM_DOWN, 6, RB_PHP, 502, 0, 0, TM_END, U_BROKEN, 0, 0, 10, 3000, "error",
	  "recv() failed (104: Connection reset by peer) while reading response header from upstream{tail_fcgi}" },
	/* upstream-timeout */
	{ C_UPSTREAM_TIMEOUT, 20, RB_PHP, 504, 0, 0, TM_TIMEOUT, U_TIMEOUT, 25, 0, 0, 0, "error",
	  "upstream timed out (110: Connection timed out) while reading response header from upstream{tail_fcgi}" },
	{ C_UPSTREAM_TIMEOUT, 15, RB(RK_API), 504, 0, 0, TM_TIMEOUT, U_TIMEOUT, 25, 0, 0, 0, "error",
	  "upstream timed out (110: Connection timed out) while reading response header from upstream{tail_http}" },
	{ C_UPSTREAM_TIMEOUT, 4, RB(RK_API), 504, 0, 0, TM_TIMEOUT, U_CTIMEOUT, 25, 0, 0, 0, "error",
	  "upstream timed out (110: Connection timed out) while connecting to upstream{tail_http}" },
	{ C_UPSTREAM_TIMEOUT, 8, RB(RK_EXT), 504, 0, 0, TM_TIMEOUT, U_TIMEOUT, 25, 0, 0, 0, "error",
	  "upstream timed out (110: Connection timed out) while reading response header from upstream{tail_https}" },
	/* overload */
	{ C_OVERLOAD, 20, RB(RK_API) | RB(RK_EXT), 503, 0, 0, TM_END, U_NONE, 0, 0, 0, 1, "error",
	  "limiting requests, excess: {excess} by zone \"api\"{tail}" },
	{ C_OVERLOAD, 10, RB_PHP, 502, 0, 0, TM_END, U_CONNFAIL, 0, 0, 0, 1, "error",
	  "connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream{tail_fcgi}" },
	{ C_OVERLOAD, 3, RB(RK_API), 500, 0, 0, TM_END, U_NONE, 0, 0, 0, 1, "alert",
	  "768 worker_connections are not enough while connecting to upstream{tail_http}" },
	{ C_OVERLOAD, 3, RB_DYN, 503, 0, 0, TM_ALERT, U_NONE, 0, 0, 0, 1500, "alert",
	  "768 worker_connections are not enough" },
	{ C_OVERLOAD, 1, RB_DYN, 503, 0, 0, TM_ALERT, U_NONE, 0, 0, 0, 1500, "crit",
	  "accept4() failed (24: Too many open files)" },
	/* memory */
	{ C_MEMORY, 20, RB_PHP, 500, 0, 0, TM_END, U_RESP, 0, 0, 100, 4000, "error",
	  FCGI("PHP message: PHP Fatal error:  Allowed memory size of {memlimit} bytes exhausted (tried to allocate {alloc} bytes) in /srv/www/shop/vendor/{vendor} on line {line}") },
	{ C_MEMORY, 4, RB_PHP, 500, 0, 0, TM_END, U_RESP, 0, 0, 100, 4000, "error",
	  FCGI("PHP message: PHP Fatal error:  Out of memory (allocated {memlimit}) (tried to allocate {alloc} bytes) in /srv/www/shop/vendor/{vendor} on line {line}") },
	/* disk */
	{ C_DISK, 12, RB(RK_UPLOAD), 500, 0, 0, TM_END, U_NONE, 0, 0, 50, 2000, "crit",
	  "pwrite() \"/var/lib/nginx/body/{tmp}\" failed (28: No space left on device){tail}" },
	{ C_DISK, 8, RB(RK_PAGE) | RB(RK_ADMIN), 500, 0, 0, TM_END, U_RESP, 0, 0, 10, 400, "error",
	  FCGI("PHP message: PHP Fatal error:  Uncaught ErrorException: file_put_contents(): Only 0 of {bytes} bytes written, possibly out of free disk space in /srv/www/shop/src/Cache/FileCache.php:88") },
	/* config */
	{ C_CONFIG, 10, RB(RK_PAGE) | RB(RK_ADMIN), 500, 0, 0, TM_END, U_NONE, 0, 0, 0, 2, "error",
	  "rewrite or internal redirection cycle while internally redirecting to \"/index.php\"{tail}" },
	{ C_CONFIG, 6, RB_PHP, 502, 0, 0, TM_END, U_BROKEN, 0, 0, 20, 400, "error",
	  "upstream sent too big header while reading response header from upstream{tail_fcgi}" },
	/* permission */
	{ C_PERMISSION, 10, RB_PHP, 502, 0, 0, TM_END, U_CONNFAIL, 0, 0, 0, 1, "crit",
	  "connect() to unix:/run/php/php8.2-fpm.sock failed (13: Permission denied) while connecting to upstream{tail_fcgi}" },
	{ C_PERMISSION, 5, RB(RK_PAGE) | RB(RK_ADMIN), 500, 0, 0, TM_END, U_RESP, 0, 0, 10, 300, "error",
	  FCGI("PHP message: PHP Warning:  file_put_contents(/srv/www/shop/var/cache/prod/{hex8}.php): Failed to open stream: Permission denied in /srv/www/shop/vendor/symfony/filesystem/Filesystem.php on line 698PHP message: PHP Fatal error:  Uncaught Symfony\\Component\\Filesystem\\Exception\\IOException: Failed to write file \"/srv/www/shop/var/cache/prod/{hex8}.php\". in /srv/www/shop/vendor/symfony/filesystem/Filesystem.php:700") },
	/* app-error */
	{ C_APP_ERROR, 10, RB(RK_PAGE) | RB(RK_ADMIN), 500, 0, 0, TM_END, U_RESP, 0, 0, 10, 400, "error",
	  FCGI("PHP message: PHP Fatal error:  Uncaught TypeError: App\\Service\\{svcclass}::{fn}(): Argument #1 ($id) must be of type int, string given, called in /srv/www/shop/src/Controller/{ctrl}.php on line {line} and defined in /srv/www/shop/src/Service/{svcclass}.php:{line2}\nStack trace:\n#0 /srv/www/shop/src/Controller/{ctrl}.php({line}): App\\Service\\{svcclass}->{fn}('{word}')\n#1 /srv/www/shop/vendor/symfony/http-kernel/HttpKernel.php(181): App\\Controller\\{ctrl}->show()\n#2 {main}\n  thrown in /srv/www/shop/src/Service/{svcclass}.php on line {line2}") },
	{ C_APP_ERROR, 6, RB(RK_PAGE) | RB(RK_ADMIN), 500, 0, 0, TM_END, U_RESP, 0, 0, 10, 400, "error",
	  FCGI("PHP message: PHP Fatal error:  Uncaught Error: Call to a member function {fn}() on null in /srv/www/shop/src/Controller/{ctrl}.php:{line}\nStack trace:\n#0 /srv/www/shop/vendor/symfony/http-kernel/HttpKernel.php(181): App\\Controller\\{ctrl}->show()\n#1 /srv/www/shop/vendor/symfony/http-kernel/HttpKernel.php(76): Symfony\\Component\\HttpKernel\\HttpKernel->handleRaw()\n#2 {main}\n  thrown in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
	{ C_APP_ERROR, 3, RB(RK_PAGE) | RB(RK_ADMIN), 500, 0, 0, TM_END, U_RESP, 0, 0, 2, 30, "error",
	  FCGI("PHP message: PHP Parse error:  syntax error, unexpected token \"}\", expecting \";\" in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
	/* tls: towards the internal services */
	{ C_TLS, 10, RB(RK_EXT), 502, 0, 0, TM_END, U_CONNFAIL, 0, 0, 1, 20, "error",
	  "SSL_do_handshake() failed (SSL: error:0A000086:SSL routines::certificate verify failed) while SSL handshaking to upstream{tail_https}" },
	{ C_TLS, 6, RB(RK_EXT), 502, 0, 0, TM_END, U_CONNFAIL, 0, 0, 1, 20, "error",
	  "upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream{tail_https}" },
	{ C_TLS, 4, RB(RK_EXT), 502, 0, 0, TM_END, U_CONNFAIL, 0, 0, 1, 20, "error",
	  "upstream SSL certificate does not match \"{svc}\" while SSL handshaking to upstream{tail_https}" },
	/* dns: the name cannot be resolved; resolver_timeout is 30 s */
	{ C_DNS, 10, RB(RK_EXT), 502, 0, 0, TM_END, U_NONE, 0, 0, 1, 40, "error",
	  "{svc} could not be resolved (3: Host not found){tail}" },
	{ C_DNS, 5, RB(RK_EXT), 502, 0, 0, TM_END, U_NONE, 0, 0, 30000, 30040, "error",
	  "{svc} could not be resolved (110: Operation timed out){tail}" },
};

/*
 * How a request ends when nothing fails, by kind, and the record it logs
 * on the way, if any: 404s of static files, scanners, PHP warnings and
 * buffering notes on 200s.  These records are why a join cannot take "a
 * record with this client and request" to mean "the cause of its 5xx".
 *   routes, weight   as in failures
 *   status, ups      the response
 *   level, text      the record, or NULL
 */
struct outcome {
	uint16_t routes, weight, status;
	uint8_t ups;
	const char *level, *text;
};

static const struct outcome outcomes[] = {
	{ RB(RK_PAGE) | RB(RK_ADMIN), 930, 200, U_RESP, NULL, NULL },
	{ RB(RK_PAGE) | RB(RK_ADMIN), 40, 302, U_RESP, NULL, NULL },
	{ RB(RK_PAGE), 10, 404, U_RESP, NULL, NULL },
	{ RB(RK_PAGE) | RB(RK_ADMIN), 3, 499, U_RESP, NULL, NULL },
	{ RB(RK_PAGE) | RB(RK_ADMIN), 12, 200, U_RESP, "error",
	  FCGI("PHP message: PHP Warning:  Undefined array key \"{word}\" in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
	{ RB(RK_PAGE) | RB(RK_ADMIN), 8, 200, U_RESP, "warn",
	  "an upstream response is buffered to a temporary file /var/lib/nginx/fastcgi/{tmp} while reading upstream{tail_fcgi}" },
	{ RB(RK_API), 880, 200, U_RESP, NULL, NULL },
	{ RB(RK_API), 40, 201, U_RESP, NULL, NULL },
	{ RB(RK_API), 40, 404, U_RESP, NULL, NULL },
	{ RB(RK_API), 20, 401, U_RESP, NULL, NULL },
	{ RB(RK_API), 8, 422, U_RESP, NULL, NULL },
	{ RB(RK_API), 2, 499, U_RESP, NULL, NULL },
	{ RB(RK_API), 6, 200, U_RESP, "warn",
	  "an upstream response is buffered to a temporary file /var/lib/nginx/proxy/{tmp} while reading upstream{tail_http}" },
	{ RB(RK_EXT), 960, 200, U_RESP, NULL, NULL },
	{ RB(RK_EXT), 4, 499, U_RESP, NULL, NULL },
	{ RB(RK_UPLOAD), 880, 201, U_RESP, NULL, NULL },
	{ RB(RK_UPLOAD), 40, 201, U_RESP, "warn",
	  "a client request body is buffered to a temporary file /var/lib/nginx/body/{tmp}{tail}" },
	{ RB(RK_UPLOAD), 80, 413, U_NONE, "error",
	  "client intended to send too large body: {body} bytes{tail}" },
	{ RB(RK_ASSET), 600, 200, U_NONE, NULL, NULL },
	{ RB(RK_ASSET), 400, 304, U_NONE, NULL, NULL },
	{ RB(RK_MISS) | RB(RK_PROBE), 1, 404, U_NONE, "error",
	  "open() \"/srv/www/shop/public{uri}\" failed (2: No such file or directory){tail}" },
	{ RB(RK_PROBE), 3, 403, U_NONE, "error", "access forbidden by rule{tail}" },
	{ RB(RK_SCRIPT), 1, 404, U_RESP, "error", FCGI("Primary script unknown") },
};

/* Noise with no access line: a client that fails the TLS handshake. */
#define ORPHAN_LEVEL	"crit"
#define ORPHAN_TEXT	"SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: {ip}, server: 0.0.0.0:443"

/* ------------------------------------------------------------ engine */

#define URI_MAX		160	/* "METHOD /target" of a request */
#define REC_MAX		16384	/* room for one line (or record) of output */
#define OUT_CAP		(1u << 20)	/* write files in 1 MiB pieces */
#define PICK_MAX	64	/* rows one picker chooses among */
#define CLIENT_POOL	256	/* recent clients at 100 requests/s; scales */
#define STRAY_PPM	500	/* dynamic requests failing outside incidents */
#define UNEXPLAINED_PPM	30000	/* 5xx that nothing in the error log explains */
#define ORPHAN_PPM	2000	/* records with no request, per request */
#define RETRY_PCT	40	/* F_RETRY failures that try a second server */
#define RETRY_OK_PCT	25	/* ... and of those, that the second one serves */
#define ALERT_SPAN_US	1000000	/* one alert stands for a second of 5xx */

enum afmt { AF_COMBINED, AF_TIMED, AF_JSON };

struct options {
	const char *error_path, *access_path, *truth_path;
	uint64_t seed, requests;
	int64_t start;		/* epoch seconds (UTC) of the first request */
	uint64_t gap_us;	/* mean time between requests: 1e6 / --rate */
	int32_t error_zone, access_zone;	/* minutes east of UTC */
	int64_t skew_us;	/* the access log's clock minus the error log's */
	int64_t timeout_us;
	uint32_t hot_ppm;	/* --hot-client in parts per million */
	enum afmt afmt;
};

/* Weighted choice among the rows of one table. */
struct picker {
	uint32_t n, total;
	uint16_t idx[PICK_MAX];
	uint32_t cum[PICK_MAX];
};

/* A request, from its arrival until its access line is written. */
struct req {
	int64_t t0, end;		/* us since the first request */
	uint64_t cid;			/* nginx's connection number "*4411" */
	uint64_t errline;		/* the record it logged, or 0 */
	const char *rec_level, *rec_text;	/* the record it logs, or NULL */
	int64_t uct[2], urt[2];		/* per upstream try, us; -1: "-" */
	uint32_t bytes;
	uint16_t status, us[2];		/* us: 0 is "-" */
	uint8_t kind, svc, host, worker, ntries, truth, refs;
	uint8_t upip[2];		/* api_backend server per try */
	int8_t ref;			/* referrers index, -1: none */
	const char *ua, *user;
	bool http2;
	uint8_t iplen;
	uint16_t reqlen;
	char ip[40];
	char req[URI_MAX];		/* "GET /cart?id=42" */
};

/*
 * Heap entries: what is written when.  Records sort before access lines of
 * the same microsecond, so a request's record always has its line number
 * by the time its access line (and truth line) is written.
 */
enum { EV_RECORD, EV_ALERT, EV_ACCESS };
#define NO_SLOT UINT32_MAX

struct event {
	int64_t t;
	uint64_t seq;		/* creation order: ties break the same way always */
	uint32_t slot;		/* the request, NO_SLOT for an alert */
	uint8_t kind, aux;	/* EV_RECORD: which try; EV_ALERT: failures row */
};

struct out {
	FILE *f;
	const char *path;
	char *buf;
	size_t len;
	bool failed;
};

/* Formatted time stamp of one second, recomputed when the second moves. */
struct stamp {
	int64_t sec;
	size_t len;
	char text[32];
};

/* The incident schedule: a quiet phase, then an incident, and again. */
struct phase {
	bool incident;
	int64_t end;
	uint8_t primary, secondary;
	uint32_t p1_ppm, p2_ppm;	/* share of reachable requests that fail */
};

struct gen {
	const struct options *o;
	uint64_t rng;
	struct picker kind_pick, hot_pick, incident_pick;
	struct picker route_pick[RK_COUNT], outcome_pick[RK_COUNT];
	struct picker fail_pick[C_COUNT][RK_COUNT], stray_pick[RK_COUNT];
	struct phase phase;
	struct req *slots;		/* requests in flight, grown as needed */
	uint32_t nslots, free_head, *free_next;
	struct event *heap;
	size_t nheap, heap_cap;
	uint64_t seq;
	struct out err, acc, truth;
	uint64_t err_lines, acc_lines;
	struct stamp err_stamp, acc_stamp;
	uint64_t cid;
	uint32_t worker_pid[4];
	int64_t last_alert;		/* time of the last alert, or -1 */
	struct client {			/* recent clients, who come back */
		char ip[40];
		uint8_t len;
	} *clients;
	uint32_t nclients;
	uint8_t list_n[NELEM(fields)];
	char zone_err[8], zone_acc[8], zone_acc_iso[8];
};

/* ------------------------------------------------------------ random */

/* splitmix64: tiny, fast, and the same sequence everywhere. */
static uint64_t rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t rnd_below(struct gen *g, uint64_t n)
{
	return n ? rnd(g) % n : 0;
}

/* lo..hi inclusive */
static int64_t rnd_range(struct gen *g, int64_t lo, int64_t hi)
{
	return lo + (int64_t)rnd_below(g, (uint64_t)(hi - lo) + 1);
}

static bool chance_pct(struct gen *g, unsigned pct)
{
	return rnd_below(g, 100) < pct;
}

static bool chance_ppm(struct gen *g, uint32_t ppm)
{
	return rnd_below(g, 1000000) < ppm;
}

/*
 * Exponential-like with the given mean, from integers only.  k, the count
 * of trailing one bits, is geometric with P(k) = 2^-(k+1) (mean 1); adding
 * a uniform fraction gives mean 1.5, hence the division by 1.5 * 65536.
 */
static int64_t exp_draw(struct gen *g, uint64_t mean)
{
	uint64_t r = rnd(g), k = 0;

	while (k < 20 && (r & 1)) {
		k++;
		r >>= 1;
	}
	return (int64_t)(mean * (k * 65536 + ((r >> 21) & 0xffff)) / 98304);
}

static void picker_add(struct picker *pk, size_t idx, unsigned weight)
{
	if (weight == 0 || pk->n == PICK_MAX)	/* PICK_MAX is checked at init */
		return;
	pk->total += weight;
	pk->idx[pk->n] = (uint16_t)idx;
	pk->cum[pk->n++] = pk->total;
}

/* An index of the table the picker was filled from; pk->total must be > 0. */
static unsigned picker_pick(struct gen *g, const struct picker *pk)
{
	uint32_t lo = 0, hi = pk->n - 1, r = (uint32_t)rnd_below(g, pk->total);

	while (lo < hi) {	/* the first cum[i] > r */
		uint32_t mid = (lo + hi) / 2;
		if (pk->cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return pk->idx[lo];
}

/* ------------------------------------------------------------ text */

/*
 * A bounded view of the output buffer.  Writers check room, so no table
 * row, however long, can write past it; a row that would is reported as
 * an internal error instead of being cut silently.
 */
struct sbuf {
	char *p, *end;
	bool overflow;
};

static void sb_mem(struct sbuf *b, const char *s, size_t n)
{
	if (n > (size_t)(b->end - b->p)) {
		b->overflow = true;
		n = (size_t)(b->end - b->p);
	}
	memcpy(b->p, s, n);
	b->p += n;
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_mem(b, s, strlen(s));
}

static void sb_u64(struct sbuf *b, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_mem(b, tmp + sizeof tmp - n, n);
}

/* v in exactly `width` digits, zero-padded. */
static void sb_pad(struct sbuf *b, uint64_t v, int width)
{
	char tmp[20];

	for (int i = width - 1; i >= 0; i--) {
		tmp[i] = (char)('0' + v % 10);
		v /= 10;
	}
	sb_mem(b, tmp, (size_t)width);
}

/* us as nginx prints a duration: seconds with milliseconds, "60.002". */
static void sb_secs(struct sbuf *b, int64_t us)
{
	uint64_t ms = us > 0 ? (uint64_t)us / 1000 : 0;

	sb_u64(b, ms / 1000);
	sb_mem(b, ".", 1);
	sb_pad(b, ms % 1000, 3);
}

static void sb_hex(struct sbuf *b, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];

	for (int i = 0; i < width; i++, v >>= 4)
		tmp[i] = digits[v & 15];
	sb_mem(b, tmp, (size_t)width);
}

/* v in lower-case hex without leading zeros, as IPv6 addresses are written */
static void sb_hex_short(struct sbuf *b, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	size_t n = 0;

	do {
		tmp[sizeof tmp - ++n] = digits[v & 15];
		v >>= 4;
	} while (v);
	sb_mem(b, tmp + sizeof tmp - n, n);
}

/* ------------------------------------------------------------ time */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

enum stamp_kind { SK_ERROR, SK_COMBINED, SK_ISO };

/*
 * The stamp of local second `sec` (already shifted into the zone):
 *   SK_ERROR     2026/11/27 10:15:02            (nginx error log)
 *   SK_COMBINED  27/Nov/2026:10:15:02 +0900     ($time_local)
 *   SK_ISO       2026-11-27T10:15:02+09:00      ($time_iso8601)
 * Years past 9999 wrap; a run starts before 10000 and lasts hours.
 */
static void stamp_set(struct stamp *s, enum stamp_kind kind, int64_t sec,
		      const char *zone)
{
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int64_t days = floor_div(sec, 86400), rem = sec - days * 86400, y;
	unsigned m, d;
	struct sbuf b = { s->text, s->text + sizeof s->text, false };

	civil_from_days(days, &y, &m, &d);
	s->sec = sec;
	if (kind == SK_COMBINED) {
		sb_pad(&b, d, 2);
		sb_mem(&b, "/", 1);
		sb_mem(&b, mon + (m - 1) * 3, 3);
		sb_mem(&b, "/", 1);
		sb_pad(&b, (uint64_t)y, 4);
		sb_mem(&b, ":", 1);
	} else {
		const char *sep = kind == SK_ERROR ? "/" : "-";
		sb_pad(&b, (uint64_t)y, 4);
		sb_str(&b, sep);
		sb_pad(&b, m, 2);
		sb_str(&b, sep);
		sb_pad(&b, d, 2);
		sb_str(&b, kind == SK_ERROR ? " " : "T");
	}
	sb_pad(&b, (uint64_t)(rem / 3600), 2);
	sb_mem(&b, ":", 1);
	sb_pad(&b, (uint64_t)(rem / 60 % 60), 2);
	sb_mem(&b, ":", 1);
	sb_pad(&b, (uint64_t)(rem % 60), 2);
	if (kind == SK_COMBINED)
		sb_mem(&b, " ", 1);
	if (kind != SK_ERROR)
		sb_str(&b, zone);
	s->len = (size_t)(b.p - s->text);
}

/* "+0900" and, with colon, "+09:00" */
static void zone_text(char *out, int32_t minutes, bool colon)
{
	struct sbuf b = { out, out + 7, false };
	uint32_t a = (uint32_t)(minutes < 0 ? -minutes : minutes);

	sb_mem(&b, minutes < 0 ? "-" : "+", 1);
	sb_pad(&b, a / 60, 2);
	if (colon)
		sb_mem(&b, ":", 1);
	sb_pad(&b, a % 60, 2);
	*b.p = '\0';
}

/* ------------------------------------------------------------ templates */

/* The state of writing one record: the values drawn for it so far. */
struct expansion {
	struct gen *g;
	const struct req *r;	/* NULL while a request line is drawn */
	unsigned attempt;	/* which upstream try the record is about */
	uint64_t set;		/* bit i: val[i] drawn */
	uint64_t val[NELEM(fields)];
};

static void emit_req_field(struct expansion *x, struct sbuf *b,
			   enum req_field which)
{
	const struct req *r = x->r;

	switch (which) {
	case RQ_IP:
		sb_mem(b, r->ip, r->iplen);
		break;
	case RQ_SERVER:
		sb_str(b, kinds[r->kind].server);
		break;
	case RQ_HOST:
		sb_str(b, hosts[r->host]);
		break;
	case RQ_REQ:
		sb_mem(b, r->req, r->reqlen);
		sb_str(b, r->http2 ? " HTTP/2.0" : " HTTP/1.1");
		break;
	case RQ_URI: {
		const char *sp = memchr(r->req, ' ', r->reqlen);
		size_t at = sp ? (size_t)(sp - r->req) + 1 : 0;
		sb_mem(b, r->req + at, r->reqlen - at);
		break;
	}
	case RQ_REF:
		if (r->ref >= 0) {
			sb_str(b, ", referrer: \"");
			sb_str(b, referrers[r->ref]);
			sb_str(b, "\"");
		}
		break;
	case RQ_UPIP:
		sb_str(b, api_servers[r->upip[x->attempt]]);
		break;
	case RQ_SVC:
		sb_str(b, services[r->svc].name);
		break;
	case RQ_SVCIP:
		sb_str(b, services[r->svc].ip);
		break;
	}
}

/* Returns false if the field cannot be written here (a table bug). */
static bool emit_field(struct expansion *x, struct sbuf *b, unsigned fi)
{
	const struct field *f = &fields[fi];
	uint64_t v;

	if (f->kind == FK_REQ) {
		if (!x->r)
			return false;
		emit_req_field(x, b, f->which);
		return true;
	}
	if (!(x->set >> fi & 1)) {
		x->val[fi] = f->kind == FK_LIST ? rnd_below(x->g, x->g->list_n[fi]) :
			     f->kind == FK_HEX8 ? rnd(x->g) :
			     f->lo + rnd_below(x->g, f->hi - f->lo + 1);
		x->set |= UINT64_C(1) << fi;
	}
	v = x->val[fi];
	switch (f->kind) {
	case FK_NUM:
		sb_u64(b, v);
		break;
	case FK_FIXED3:
		sb_u64(b, v / 1000);
		sb_mem(b, ".", 1);
		sb_pad(b, v % 1000, 3);
		break;
	case FK_PAD10:
		sb_pad(b, v, 10);
		break;
	case FK_HEX8:
		sb_hex(b, v, 8);
		break;
	case FK_LIST:
		sb_str(b, f->list[v]);
		break;
	case FK_REQ:
		break;
	}
	return true;
}

static int field_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NELEM(fields); i++)
		if (name_is(fields[i].name, name, len))
			return (int)i;
	return -1;
}

static const struct snippet *snippet_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NELEM(snippets); i++)
		if (name_is(snippets[i].name, name, len))
			return &snippets[i];
	return NULL;
}

static bool is_literal_word(const char *name, size_t len)
{
	for (const char *const *w = literal_words; *w; w++)
		if (name_is(*w, name, len))
			return true;
	return false;
}

/*
 * Writes `text` with its {fields} and {snippets} filled in.  Returns false
 * on a name that is neither (or a request field where there is no request):
 * every table row is expanded once at start-up, so that is found before
 * any output.  Templates are few and short; parsing them as they are
 * written costs less than a tenth of the run.
 */
static bool expand(struct expansion *x, struct sbuf *b, const char *text,
		   int depth)
{
	const char *s = text, *lit = text;

	if (depth > 4)
		return false;
	for (; *s; s++) {
		if (*s != '{')
			continue;
		const char *name = s + 1, *e = name;
		while (is_name_char(*e))
			e++;
		size_t len = (size_t)(e - name);
		if (len == 0 || *e != '}' || is_literal_word(name, len))
			continue;	/* PHP's {main}, a lone brace: text */
		sb_mem(b, lit, (size_t)(s - lit));
		const struct snippet *sn = snippet_find(name, len);
		int fi = field_find(name, len);
		if (sn) {
			if (!expand(x, b, sn->text, depth + 1))
				return false;
		} else if (fi < 0 || !emit_field(x, b, (unsigned)fi)) {
			fprintf(stderr, "genpair: internal error: unknown or misplaced {%.*s} in \"%.40s\"\n",
				(int)len, name, text);
			return false;
		}
		s = e;
		lit = e + 1;
	}
	sb_mem(b, lit, (size_t)(s - lit));
	return true;
}

/* ------------------------------------------------------------ output */

static bool out_open(struct out *o, const char *path)
{
	o->path = path;
	o->buf = malloc(OUT_CAP + REC_MAX);
	o->f = o->buf ? fopen(path, "w") : NULL;
	if (!o->f) {
		fprintf(stderr, "genpair: %s: %s\n", path,
			o->buf ? strerror(errno) : "out of memory");
		return false;
	}
	/* our buffer is the buffer: no second copy in stdio */
	setvbuf(o->f, NULL, _IONBF, 0);
	return true;
}

static bool out_flush(struct out *o)
{
	if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->f) != o->len) {
		fprintf(stderr, "genpair: %s: %s\n", o->path, strerror(errno));
		o->failed = true;
	}
	o->len = 0;
	return !o->failed;
}

/* Closes; returns false if anything written to it was lost. */
static bool out_close(struct out *o)
{
	bool ok = true;

	if (o->f) {
		ok = out_flush(o);
		if (fclose(o->f) != 0 && ok) {
			fprintf(stderr, "genpair: %s: %s\n", o->path, strerror(errno));
			ok = false;
		}
	}
	free(o->buf);
	return ok && !o->failed;
}

/* Room for one line: REC_MAX bytes, always there below OUT_CAP. */
static struct sbuf out_room(struct out *o)
{
	return (struct sbuf){ o->buf + o->len, o->buf + o->len + REC_MAX, false };
}

static void out_commit(struct out *o, const struct sbuf *b)
{
	o->len = (size_t)(b->p - o->buf);
	if (o->len >= OUT_CAP)
		out_flush(o);
}

/* ------------------------------------------------------------ slots, heap */

static uint32_t slot_new(struct gen *g)
{
	if (g->free_head == NO_SLOT) {	/* grow: requests in flight pile up */
		uint32_t n = g->nslots ? g->nslots * 2 : 1024;
		struct req *s = realloc(g->slots, n * sizeof *s);
		uint32_t *nx = realloc(g->free_next, n * sizeof *nx);

		if (s)
			g->slots = s;
		if (nx)
			g->free_next = nx;
		if (!s || !nx)
			return NO_SLOT;
		for (uint32_t i = g->nslots; i < n; i++)
			g->free_next[i] = i + 1 < n ? i + 1 : NO_SLOT;
		g->free_head = g->nslots;
		g->nslots = n;
	}
	uint32_t i = g->free_head;
	g->free_head = g->free_next[i];
	memset(&g->slots[i], 0, sizeof g->slots[i]);
	return i;
}

static void slot_unref(struct gen *g, uint32_t i)
{
	if (--g->slots[i].refs == 0) {
		g->free_next[i] = g->free_head;
		g->free_head = i;
	}
}

static bool ev_before(const struct event *a, const struct event *b)
{
	if (a->t != b->t)
		return a->t < b->t;
	if ((a->kind == EV_ACCESS) != (b->kind == EV_ACCESS))
		return b->kind == EV_ACCESS;
	return a->seq < b->seq;
}

static bool heap_push(struct gen *g, int64_t t, uint8_t kind, uint32_t slot,
		      uint8_t aux)
{
	if (g->nheap == g->heap_cap) {
		size_t n = g->heap_cap ? g->heap_cap * 2 : 4096;
		struct event *h = realloc(g->heap, n * sizeof *h);
		if (!h)
			return false;
		g->heap = h;
		g->heap_cap = n;
	}
	struct event e = { t, g->seq++, slot, kind, aux };
	size_t i = g->nheap++;
	while (i > 0 && ev_before(&e, &g->heap[(i - 1) / 2])) {
		g->heap[i] = g->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	g->heap[i] = e;
	if (slot != NO_SLOT)
		g->slots[slot].refs++;
	return true;
}

static struct event heap_pop(struct gen *g)
{
	struct event top = g->heap[0], last = g->heap[--g->nheap];
	size_t i = 0, n = g->nheap;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && ev_before(&g->heap[c + 1], &g->heap[c]))
			c++;
		if (!ev_before(&g->heap[c], &last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (n)
		g->heap[i] = last;
	return top;
}

/* ------------------------------------------------------------ writing */

/* 2026/11/27 10:15:02 [error] 811#811: *4411 message, client: ... */
static bool write_record(struct gen *g, int64_t t, const char *level,
			 const char *text, const struct req *r,
			 unsigned attempt, uint32_t pid)
{
	const struct options *o = g->o;
	struct sbuf b = out_room(&g->err);
	struct expansion x = { .g = g, .r = r, .attempt = attempt };
	int64_t sec = floor_div(o->start * 1000000 + t, 1000000) + o->error_zone * 60;
	const char *line = b.p;

	if (sec != g->err_stamp.sec)
		stamp_set(&g->err_stamp, SK_ERROR, sec, g->zone_err);
	sb_mem(&b, g->err_stamp.text, g->err_stamp.len);
	sb_str(&b, " [");
	sb_str(&b, level);
	sb_str(&b, "] ");
	sb_u64(&b, pid);
	sb_mem(&b, "#", 1);
	sb_u64(&b, pid);
	sb_str(&b, ": ");
	if (r) {
		sb_mem(&b, "*", 1);
		sb_u64(&b, r->cid);
		sb_mem(&b, " ", 1);
	}
	if (!expand(&x, &b, text, 0))
		return false;
	sb_mem(&b, "\n", 1);
	if (b.overflow) {
		fprintf(stderr, "genpair: internal error: record longer than %d bytes\n", REC_MAX);
		return false;
	}
	for (const char *p = line; (p = memchr(p, '\n', (size_t)(b.p - p))); p++)
		g->err_lines++;
	out_commit(&g->err, &b);
	return true;
}

/* The upstream variables: "-, 0.001" for two tries, one value for one. */
static void put_ups(struct sbuf *b, const struct req *r, int what, bool json)
{
	if (r->ntries == 0) {
		if (!json)
			sb_mem(b, "-", 1);
		return;
	}
	for (unsigned i = 0; i < r->ntries; i++) {
		int64_t v = what == 0 ? r->uct[i] : what == 1 ? r->urt[i] : r->us[i];
		if (i)
			sb_str(b, ", ");
		if (what == 2 ? v == 0 : v < 0)
			sb_mem(b, "-", 1);
		else if (what == 2)
			sb_u64(b, (uint64_t)v);
		else
			sb_secs(b, v);
	}
}

static bool write_access(struct gen *g, const struct req *r)
{
	const struct options *o = g->o;
	struct sbuf b = out_room(&g->acc);
	int64_t sec = floor_div(o->start * 1000000 + r->end + o->skew_us, 1000000) +
		      o->access_zone * 60;
	bool json = o->afmt == AF_JSON;

	if (sec != g->acc_stamp.sec)
		stamp_set(&g->acc_stamp, json ? SK_ISO : SK_COMBINED, sec,
			  json ? g->zone_acc_iso : g->zone_acc);
	if (json) {
		sb_str(&b, "{\"time\":\"");
		sb_mem(&b, g->acc_stamp.text, g->acc_stamp.len);
		sb_str(&b, "\",\"remote_addr\":\"");
		sb_mem(&b, r->ip, r->iplen);
		sb_str(&b, "\",\"request\":\"");
		sb_mem(&b, r->req, r->reqlen);
		sb_str(&b, r->http2 ? " HTTP/2.0" : " HTTP/1.1");
		sb_str(&b, "\",\"status\":");
		sb_u64(&b, r->status);
		sb_str(&b, ",\"host\":\"");
		sb_str(&b, hosts[r->host]);
		sb_str(&b, "\",\"request_time\":");
		sb_secs(&b, r->end - r->t0);
		sb_str(&b, ",\"upstream_status\":\"");
		put_ups(&b, r, 2, true);
		sb_str(&b, "\",\"body_bytes_sent\":");
		sb_u64(&b, r->bytes);
		sb_str(&b, ",\"http_user_agent\":\"");
		sb_str(&b, r->ua);
		sb_str(&b, "\"}\n");
	} else {
		sb_mem(&b, r->ip, r->iplen);
		sb_str(&b, " - ");
		sb_str(&b, r->user);
		sb_str(&b, " [");
		sb_mem(&b, g->acc_stamp.text, g->acc_stamp.len);
		sb_str(&b, "] \"");
		sb_mem(&b, r->req, r->reqlen);
		sb_str(&b, r->http2 ? " HTTP/2.0\" " : " HTTP/1.1\" ");
		sb_u64(&b, r->status);
		sb_mem(&b, " ", 1);
		sb_u64(&b, r->bytes);
		sb_str(&b, " \"");
		sb_str(&b, r->ref >= 0 ? referrers[r->ref] : "-");
		sb_str(&b, "\" \"");
		sb_str(&b, r->ua);
		sb_mem(&b, "\"", 1);
		if (o->afmt == AF_TIMED) {
			sb_str(&b, " rt=");
			sb_secs(&b, r->end - r->t0);
			sb_str(&b, " uct=\"");
			put_ups(&b, r, 0, false);
			sb_str(&b, "\" urt=\"");
			put_ups(&b, r, 1, false);
			sb_str(&b, "\" us=\"");
			put_ups(&b, r, 2, false);
			sb_mem(&b, "\"", 1);
		}
		sb_mem(&b, "\n", 1);
	}
	g->acc_lines++;
	out_commit(&g->acc, &b);

	/* the truth line: LINE STATUS CAUSE RECORD */
	b = out_room(&g->truth);
	sb_u64(&b, g->acc_lines);
	sb_mem(&b, "\t", 1);
	sb_u64(&b, r->status);
	sb_mem(&b, "\t", 1);
	sb_str(&b, truth_names[r->truth]);
	sb_mem(&b, "\t", 1);
	if (r->errline)
		sb_u64(&b, r->errline);
	else
		sb_mem(&b, "-", 1);
	sb_mem(&b, "\n", 1);
	out_commit(&g->truth, &b);
	return !g->acc.failed && !g->truth.failed;
}

/* Writes everything due before `t` (a new request at t adds nothing older). */
static bool flush_until(struct gen *g, int64_t t)
{
	while (g->nheap && g->heap[0].t < t) {
		struct event e = heap_pop(g);
		struct req *r = e.slot == NO_SLOT ? NULL : &g->slots[e.slot];
		bool ok;

		switch (e.kind) {
		case EV_ALERT:
			ok = write_record(g, e.t, failures[e.aux].level, failures[e.aux].text,
					  NULL, 0, g->worker_pid[rnd_below(g, 4)]);
			break;
		case EV_RECORD: {
			uint64_t line = g->err_lines + 1;
			ok = write_record(g, e.t, r->rec_level, r->rec_text, r, e.aux,
					  g->worker_pid[r->worker]);
			r->errline = line;
			break;
		}
		default:
			ok = write_access(g, r);
			break;
		}
		if (r)
			slot_unref(g, e.slot);
		if (!ok || g->err.failed)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ requests */

/* nginx's reason phrases, as its error pages show them */
static const struct reason {
	uint16_t status;
	const char *text;
} reasons[] = {
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 413, "Request Entity Too Large" }, { 500, "Internal Server Error" },
	{ 502, "Bad Gateway" }, { 503, "Service Temporarily Unavailable" },
	{ 504, "Gateway Time-out" },
};

/*
 * What $body_bytes_sent says.  nginx's own error pages are 135 bytes plus
 * the reason twice (with server_tokens on, "nginx/1.24.0" in the footer).
 */
static uint32_t body_bytes(struct gen *g, const struct req *r, uint8_t ups)
{
	uint16_t st = r->status;

	if (st == 304 || st == 499 || st == 302 || st == 204)
		return 0;
	if (st >= 400 && ups != U_RESP) {
		for (size_t i = 0; i < NELEM(reasons); i++)
			if (reasons[i].status == st)
				return 135 + 2 * (uint32_t)strlen(reasons[i].text);
		return 0;
	}
	if (st >= 500)	/* the application's error page, or nothing */
		return chance_pct(g, 30) ? 0 : (uint32_t)rnd_range(g, 1200, 6400);
	if (st >= 400)
		return r->kind == RK_SCRIPT ? 16 : (uint32_t)rnd_range(g, 30, 160);
	switch (r->kind) {
	case RK_PAGE:
		return (uint32_t)rnd_range(g, 8000, 90000);
	case RK_ADMIN:
		return (uint32_t)rnd_range(g, 5000, 40000);
	case RK_ASSET:
		return (uint32_t)rnd_range(g, 1500, 400000);
	case RK_UPLOAD:
		return (uint32_t)rnd_range(g, 40, 400);
	default:
		return (uint32_t)rnd_range(g, 80, 6000);
	}
}

static void pick_client(struct gen *g, struct req *r, bool hot)
{
	struct sbuf b = { r->ip, r->ip + sizeof r->ip, false };
	struct client *c = &g->clients[rnd_below(g, g->nclients)];
	unsigned k;

	if (hot) {
		sb_str(&b, HOT_CLIENT);
	} else if (c->len && chance_pct(g, 70)) {	/* a client returns */
		sb_mem(&b, c->ip, c->len);
	} else {
		/*
		 * Documentation ranges only: IPv4's three /24s, and IPv6's
		 * /32, which is large enough that a high --rate does not make
		 * every address a heavy client.  192.0.2.1 is the hot client.
		 */
		k = (unsigned)rnd_below(g, 100);
		if (k < 25) {
			sb_str(&b, "203.0.113.");
			sb_u64(&b, (uint64_t)rnd_range(g, 1, 254));
		} else if (k < 45) {
			sb_str(&b, "198.51.100.");
			sb_u64(&b, (uint64_t)rnd_range(g, 1, 254));
		} else if (k < 60) {
			sb_str(&b, "192.0.2.");
			sb_u64(&b, (uint64_t)rnd_range(g, 2, 254));
		} else {
			uint64_t v = rnd(g);
			sb_str(&b, "2001:db8:");
			sb_hex_short(&b, 1 + v % 0xffff);
			sb_str(&b, "::");
			sb_hex_short(&b, 1 + (v >> 16) % 0xfff);
		}
		memcpy(c->ip, r->ip, (size_t)(b.p - r->ip));
		c->len = (uint8_t)(b.p - r->ip);
	}
	r->iplen = (uint8_t)(b.p - r->ip);
}

static void fill_request(struct gen *g, struct req *r, const struct route *rt,
			 bool hot_fixed)
{
	struct expansion x = { .g = g };
	struct sbuf b = { r->req, r->req + sizeof r->req, false };

	r->kind = rt->kind;
	r->svc = rt->svc;
	expand(&x, &b, rt->text, 0);	/* checked at start-up */
	r->reqlen = (uint16_t)(b.p - r->req);
	r->user = "-";
	r->ref = -1;
	switch (rt->kind) {
	case RK_API:
	case RK_EXT:
		r->host = H_API;
		r->ua = api_uas[rnd_below(g, NELEM(api_uas))];
		break;
	case RK_ADMIN:
		r->host = H_ADMIN;
		r->user = "ops";
		r->ua = browser_uas[rnd_below(g, NELEM(browser_uas))];
		break;
	case RK_PROBE:
	case RK_SCRIPT:	/* scanners often ask for the address, not the name */
		r->host = chance_pct(g, 40) ? H_IP : H_SHOP;
		r->ua = scanner_uas[rnd_below(g, NELEM(scanner_uas))];
		break;
	default:
		r->host = chance_pct(g, 15) ? H_WWW : H_SHOP;
		r->ua = browser_uas[rnd_below(g, NELEM(browser_uas))];
		if (rt->kind != RK_UPLOAD && chance_pct(g, 45))
			r->ref = (int8_t)rnd_below(g, NELEM(referrers));
		break;
	}
	if (hot_fixed)
		r->ua = HOT_UA;
	/* browsers speak HTTP/2 to us; API clients and scanners mostly not */
	r->http2 = r->ua[0] == 'M' && !strstr(r->ua, "zgrab") && chance_pct(g, 70);
}

/* The time to answer a request of this kind when all is well. */
static int64_t normal_duration(struct gen *g, unsigned kind)
{
	return 200 + exp_draw(g, kinds[kind].mean_us);
}

/* Sets the upstream variables of a request with one try. */
static void one_try(struct gen *g, struct req *r, uint8_t ups, int64_t t_fail)
{
	int64_t connect = rnd_range(g, 50, 1200);

	r->ntries = ups == U_NONE ? 0 : 1;
	r->uct[0] = ups == U_CONNFAIL || ups == U_CTIMEOUT ? -1 : connect;
	r->urt[0] = (t_fail > r->t0 ? t_fail : r->end) - r->t0;
	r->us[0] = ups == U_TIMEOUT || ups == U_CTIMEOUT ? 504 :
		   ups == U_CONNFAIL || ups == U_BROKEN ? 502 : r->status;
	if (r->status == 499)	/* nginx gave up on the upstream, with no status */
		r->us[0] = 0;
}

/* A failure befalls request r: its record, its response, its times. */
static bool fail_request(struct gen *g, struct req *r, uint32_t slot,
			 unsigned fi)
{
	const struct failure *f = &failures[fi];
	const struct options *o = g->o;
	int64_t t0 = r->t0, t_fail;
	bool giveup = f->giveup && chance_pct(g, f->giveup);

	r->status = f->alt_pct && chance_pct(g, f->alt_pct) ? f->alt : f->status;
	if (!giveup && chance_ppm(g, UNEXPLAINED_PPM)) {
		/* the application answered 5xx and told only its own log */
		static const uint16_t st[] = { 500, 500, 500, 500, 500, 500, 500, 502, 502, 503 };
		r->status = st[rnd_below(g, NELEM(st))];
		r->truth = T_UNEXPLAINED;
		r->end = t0 + normal_duration(g, r->kind);
		one_try(g, r, U_RESP, 0);
		r->bytes = body_bytes(g, r, U_RESP);
		return heap_push(g, r->end, EV_ACCESS, slot, 0);
	}
	r->truth = giveup ? T_NONE : f->cause;
	r->rec_level = f->level;
	r->rec_text = f->text;
	switch (f->timing) {
	case TM_TIMEOUT:
		if (giveup)
			r->end = t0 + o->timeout_us / 100 * rnd_range(g, 10, 95);
		else
			r->end = t0 + o->timeout_us + rnd_range(g, 500, 5000);
		if (!heap_push(g, t0, EV_RECORD, slot, 0))
			return false;
		one_try(g, r, f->ups, r->end - 400);
		break;
	case TM_ALERT: {
		int64_t alert;
		r->end = t0 + rnd_range(g, (int64_t)f->lo * 1000, (int64_t)f->hi * 1000);
		alert = r->end - rnd_range(g, 0, ALERT_SPAN_US - 1);
		if (alert < t0)
			alert = t0;
		/* nginx says it once for the burst, not once per request */
		if (g->last_alert < 0 || g->last_alert > r->end ||
		    g->last_alert + ALERT_SPAN_US < r->end) {
			if (!heap_push(g, alert, EV_ALERT, NO_SLOT, (uint8_t)fi))
				return false;
			g->last_alert = alert;
		}
		r->rec_text = NULL;
		one_try(g, r, f->ups, 0);
		break;
	}
	default:
		t_fail = t0 + rnd_range(g, (int64_t)f->lo * 1000, (int64_t)f->hi * 1000 + 999);
		if ((f->flags & F_RETRY) && chance_pct(g, RETRY_PCT)) {
			/* proxy_next_upstream: the next server of api_backend */
			int64_t t2 = t_fail + rnd_range(g, 200, 3000);
			bool served = chance_pct(g, RETRY_OK_PCT);

			if (!heap_push(g, t_fail, EV_RECORD, slot, 0))
				return false;
			r->ntries = 2;
			r->uct[0] = -1;
			r->urt[0] = t_fail - t0;
			r->us[0] = 502;
			if (served) {
				r->status = 200;
				r->truth = T_NONE;
				r->end = t2 + normal_duration(g, r->kind);
				r->uct[1] = rnd_range(g, 50, 1200);
				r->us[1] = 200;
			} else {
				if (!heap_push(g, t2, EV_RECORD, slot, 1))
					return false;
				r->end = t2 + rnd_range(g, 0, 2000);
				r->uct[1] = -1;
				r->us[1] = 502;
			}
			r->urt[1] = r->end - t_fail;
			break;
		}
		if (!heap_push(g, t_fail, EV_RECORD, slot, 0))
			return false;
		/* a client that gives up leaves while PHP retries its database */
		r->end = giveup ? t_fail + rnd_range(g, 500000, 15000000) :
				  t_fail + rnd_range(g, 0, 5000);
		one_try(g, r, f->ups, t_fail);
		break;
	}
	if (giveup) {
		r->status = 499;
		r->us[0] = 0;
	}
	r->bytes = body_bytes(g, r, f->ups);
	return heap_push(g, r->end, EV_ACCESS, slot, 0);
}

/* The failure, if any, that befalls a request of `kind` now (-1: none). */
static int choose_failure(struct gen *g, unsigned kind)
{
	const struct phase *ph = &g->phase;

	if (!(RB(kind) & RB_DYN))
		return -1;
	if (ph->incident) {
		const struct picker *p1 = &g->fail_pick[ph->primary][kind];
		if (p1->total && chance_ppm(g, ph->p1_ppm))
			return (int)picker_pick(g, p1);
		if (ph->secondary < C_COUNT) {
			const struct picker *p2 = &g->fail_pick[ph->secondary][kind];
			if (p2->total && chance_ppm(g, ph->p2_ppm))
				return (int)picker_pick(g, p2);
		}
	}
	if (chance_ppm(g, STRAY_PPM) && g->stray_pick[kind].total)
		return (int)picker_pick(g, &g->stray_pick[kind]);
	return -1;
}

static bool new_request(struct gen *g, int64_t t0)
{
	const struct options *o = g->o;
	uint32_t slot = slot_new(g);
	bool hot = o->hot_ppm && chance_ppm(g, o->hot_ppm), fixed = false;
	const struct route *rt;
	struct req *r;
	int fi;

	if (slot == NO_SLOT)
		return false;
	r = &g->slots[slot];
	r->t0 = t0;
	if (hot && chance_pct(g, HOT_FIXED_PCT)) {
		rt = &hot_routes[picker_pick(g, &g->hot_pick)];
		fixed = true;
	} else {
		unsigned kind = picker_pick(g, &g->kind_pick);
		rt = &routes[picker_pick(g, &g->route_pick[kind])];
	}
	pick_client(g, r, hot);
	fill_request(g, r, rt, fixed);
	r->worker = (uint8_t)rnd_below(g, 4);
	g->cid += 1 + rnd_below(g, 3);
	r->cid = g->cid;
	r->upip[0] = (uint8_t)rnd_below(g, NELEM(api_servers));
	r->upip[1] = (uint8_t)((r->upip[0] + 1 + rnd_below(g, NELEM(api_servers) - 1)) %
			       NELEM(api_servers));

	fi = choose_failure(g, r->kind);
	if (fi >= 0)
		return fail_request(g, r, slot, (unsigned)fi);

	const struct outcome *oc = &outcomes[picker_pick(g, &g->outcome_pick[r->kind])];
	r->status = oc->status;
	r->truth = T_NONE;
	r->end = t0 + normal_duration(g, r->kind);
	if (oc->status == 499)	/* the client left a slow page; nginx logs nothing */
		r->end += rnd_range(g, 1000000, 20000000);
	one_try(g, r, oc->ups, 0);
	r->bytes = body_bytes(g, r, oc->ups);
	if (oc->text) {
		r->rec_level = oc->level;
		r->rec_text = oc->text;
		if (!heap_push(g, t0 + (r->end - t0) * (int64_t)rnd_below(g, 1001) / 1000,
			       EV_RECORD, slot, 0))
			return false;
	}
	return heap_push(g, r->end, EV_ACCESS, slot, 0);
}

/* A record with no request behind it: a client that failed the handshake. */
static bool orphan_record(struct gen *g, int64_t t)
{
	uint32_t slot = slot_new(g);
	struct req *r;

	if (slot == NO_SLOT)
		return false;
	r = &g->slots[slot];
	pick_client(g, r, false);
	r->worker = (uint8_t)rnd_below(g, 4);
	g->cid += 1;
	r->cid = g->cid;
	r->rec_level = ORPHAN_LEVEL;
	r->rec_text = ORPHAN_TEXT;
	return heap_push(g, t, EV_RECORD, slot, 0);
}

/* ------------------------------------------------------------ schedule */

/*
 * The next phase, from `from`: after an incident (or at the start) a
 * quiet one of 1 to 5 minutes (the first 10 to 60 s, so that even a short
 * run has an incident); after a quiet one an incident of 1 to 5 minutes.
 */
static void phase_next(struct gen *g, int64_t from, bool first)
{
	struct phase *ph = &g->phase;

	if (first || ph->incident) {
		ph->incident = false;
		ph->end = from + (first ? rnd_range(g, 10, 60) : rnd_range(g, 60, 300)) * 1000000;
		return;
	}
	const struct incident_kind *k = &incident_kinds[picker_pick(g, &g->incident_pick)];
	ph->incident = true;
	ph->end = from + rnd_range(g, 60, 300) * 1000000;
	ph->primary = k->primary;
	ph->secondary = k->secondary;
	ph->p1_ppm = (uint32_t)rnd_range(g, 200000, 500000);
	ph->p2_ppm = ph->p1_ppm / 3;
}

/* ------------------------------------------------------------ set-up */

/*
 * One row's text written against a made-up request: an unknown field, or a
 * text that could come near the room a line has, stops the run before any
 * output.  A record is given half of REC_MAX here; the other half is for
 * the prefix and for real requests being longer than the made-up one.
 */
static bool check_text(struct gen *g, const char *text, bool route)
{
	static const struct req dummy = { .kind = RK_EXT, .iplen = 9, .reqlen = 6,
					  .ip = "192.0.2.9", .req = "GET /x" };
	char scratch[REC_MAX];
	struct expansion x = { .g = g, .r = route ? NULL : &dummy };
	struct sbuf b = { scratch, scratch + (route ? URI_MAX : REC_MAX / 2), false };

	if (!text)
		return true;
	if (!expand(&x, &b, text, 0))	/* it says which name */
		return false;
	if (b.overflow)
		fprintf(stderr, "genpair: internal error: row too long: \"%.50s\"\n", text);
	return !b.overflow;
}

/* Every table checked on every run, so a bad row cannot hide in a rare path. */
static bool check_tables(struct gen *g)
{
	uint64_t rng = g->rng;	/* the check draws; the output must not notice */
	bool ok = check_text(g, ORPHAN_TEXT, false);

	for (size_t i = 0; i < NELEM(failures); i++)
		ok &= check_text(g, failures[i].text, false);
	for (size_t i = 0; i < NELEM(outcomes); i++)
		ok &= check_text(g, outcomes[i].text, false);
	for (size_t i = 0; i < NELEM(routes); i++)
		ok &= check_text(g, routes[i].text, true);
	for (size_t i = 0; i < NELEM(hot_routes); i++)
		ok &= check_text(g, hot_routes[i].text, true);
	g->rng = rng;
	return ok;
}

static bool gen_init(struct gen *g, const struct options *o)
{
	g->o = o;
	g->rng = o->seed;
	g->free_head = NO_SLOT;
	g->last_alert = -1;
	g->err_stamp.sec = g->acc_stamp.sec = INT64_MIN;
	zone_text(g->zone_err, o->error_zone, false);
	zone_text(g->zone_acc, o->access_zone, false);
	zone_text(g->zone_acc_iso, o->access_zone, true);
	if (NELEM(routes) > PICK_MAX || NELEM(failures) > PICK_MAX ||
	    NELEM(outcomes) > PICK_MAX || NELEM(failures) > 255) {
		fprintf(stderr, "genpair: internal error: raise PICK_MAX\n");
		return false;
	}
	for (size_t i = 0; i < NELEM(fields); i++)
		for (const char *const *s = fields[i].list; s && *s; s++)
			g->list_n[i]++;
	for (unsigned k = 0; k < RK_COUNT; k++)
		picker_add(&g->kind_pick, k, kinds[k].weight);
	for (size_t i = 0; i < NELEM(routes); i++)
		picker_add(&g->route_pick[routes[i].kind], i, routes[i].weight);
	for (size_t i = 0; i < NELEM(hot_routes); i++)
		picker_add(&g->hot_pick, i, hot_routes[i].weight);
	for (size_t i = 0; i < NELEM(incident_kinds); i++)
		picker_add(&g->incident_pick, i, incident_kinds[i].weight);
	for (unsigned k = 0; k < RK_COUNT; k++) {
		for (size_t i = 0; i < NELEM(failures); i++) {
			if (!(failures[i].routes & RB(k)))
				continue;
			picker_add(&g->fail_pick[failures[i].cause][k], i, failures[i].weight);
			picker_add(&g->stray_pick[k], i, failures[i].weight);
		}
		for (size_t i = 0; i < NELEM(outcomes); i++)
			if (outcomes[i].routes & RB(k))
				picker_add(&g->outcome_pick[k], i, outcomes[i].weight);
		if (g->route_pick[k].total == 0 || g->outcome_pick[k].total == 0) {
			fprintf(stderr, "genpair: internal error: kind %u has no route or outcome\n", k);
			return false;
		}
	}
	uint32_t master = 700 + (uint32_t)rnd_below(g, 3000);
	for (uint32_t i = 0; i < 4; i++)	/* the master's first workers */
		g->worker_pid[i] = master + 1 + i;
	g->cid = 1000 + rnd_below(g, 1000000);
	/*
	 * As many recent clients as make each come back as often at any
	 * --rate: CLIENT_POOL at 100 requests a second, in proportion.
	 */
	uint64_t n = CLIENT_POOL * UINT64_C(10000) / o->gap_us;
	g->nclients = (uint32_t)(n < 64 ? 64 : n > 65536 ? 65536 : n);
	g->clients = calloc(g->nclients, sizeof *g->clients);
	if (!g->clients) {
		fprintf(stderr, "genpair: out of memory\n");
		return false;
	}
	return check_tables(g);
}

/* ------------------------------------------------------------ main loop */

static enum status run(struct gen *g)
{
	const struct options *o = g->o;
	int64_t now = 0;

	phase_next(g, 0, true);
	for (uint64_t i = 0; i < o->requests; i++) {
		if (i)
			now += exp_draw(g, o->gap_us);
		while (now >= g->phase.end)
			phase_next(g, g->phase.end, false);
		if (!flush_until(g, now))
			goto fail;
		if (chance_ppm(g, ORPHAN_PPM) && !orphan_record(g, now))
			goto nomem;
		if (!new_request(g, now))
			goto nomem;
	}
	if (!flush_until(g, INT64_MAX))
		goto fail;
	return ST_OK;
nomem:
	fprintf(stderr, "genpair: out of memory\n");
fail:
	return ST_FAIL;
}

/* ------------------------------------------------------------ options */

static const char usage_text[] =
	"usage: genpair --error FILE --access FILE --truth FILE [--seed N] [--requests N]\n"
	"               [--start 'YYYY-MM-DD HH:MM:SS'] [--rate REQ_PER_SEC]\n"
	"               [--error-zone +HHMM] [--access-zone +HHMM] [--skew SECONDS]\n"
	"               [--timeout SECONDS] [--hot-client SHARE]\n"
	"               [--access-format combined|combined-timed|json]\n";

static const char help_text[] =
	"Write an nginx error log and the access log of the same requests, and the\n"
	"truth of which cause produced each 5xx.  Deterministic: same arguments,\n"
	"same bytes.\n"
	"\n"
	"  --error FILE          the error log to write\n"
	"  --access FILE         the access log to write\n"
	"  --truth FILE          per access line: LINE STATUS CAUSE RECORD, tab-separated\n"
	"  --seed N              seed of the generator (default 1)\n"
	"  --requests N          requests, one access line each (default 100000);\n"
	"                        k, M, G multiply by 1000\n"
	"  --start TIME          UTC time of the first request (default '2026-11-27 09:00:00')\n"
	"  --rate R              requests per second on average (default 100)\n"
	"  --error-zone Z        zone of the error log's local time (default +0000)\n"
	"  --access-zone Z       zone of the access log's time stamps (default +0000)\n"
	"  --skew S              the access log's clock runs S seconds ahead of the\n"
	"                        error log's; may be negative (default 0)\n"
	"  --timeout S           nginx's upstream timeouts, in seconds (default 60)\n"
	"  --hot-client P        share of all requests that come from one address,\n"
	"                        0 to 1 (default 0)\n"
	"  --access-format F     combined (default), combined-timed (plus rt= uct=\n"
	"                        urt= us=) or json\n"
	"  --help                print this help\n";

/* "genpair: [OPT: ]MSG[ 'ARG'][, expected WANT]" and the usage, on stderr */
static int usage_error(const char *opt, const char *msg, const char *arg,
		       const char *want)
{
	fprintf(stderr, "genpair: %s%s%s%s%s%s%s%s\n", opt ? opt : "",
		opt ? ": " : "", msg, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "", want ? ", expected " : "", want ? want : "");
	fputs(usage_text, stderr);
	return -1;
}

/* +HHMM, -HHMM or +HH:MM, -12:00 to +14:00, to minutes east of UTC. */
static bool parse_zone(const char *s, int32_t *out)
{
	size_t n = strlen(s), k = 0;
	int32_t dig[4];

	if ((n != 5 && n != 6) || (s[0] != '+' && s[0] != '-') ||
	    (n == 6 && s[3] != ':'))
		return false;
	for (size_t i = 1; i < n; i++) {
		if (n == 6 && i == 3)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return false;
		dig[k++] = s[i] - '0';
	}
	int32_t m = dig[2] * 10 + dig[3];
	int32_t v = ((dig[0] * 10 + dig[1]) * 60 + m) * (s[0] == '-' ? -1 : 1);
	if (m > 59 || v < -12 * 60 || v > 14 * 60)
		return false;
	*out = v;
	return true;
}

/* Returns 0 to run, 1 after --help, -1 on a usage error. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const char *const names[] = {
		"--error", "--access", "--truth", "--seed", "--requests",
		"--start", "--rate", "--error-zone", "--access-zone", "--skew",
		"--timeout", "--hot-client", "--access-format", "--help", NULL
	};
	enum { O_HELP = 13 };
	double d;

	*o = (struct options){ .seed = 1, .requests = 100000, .gap_us = 10000,
			       .timeout_us = 60000000, .afmt = AF_COMBINED };
	parse_start("2026-11-27 09:00:00", &o->start);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '='), *val = NULL;
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		int opt = 0;

		if (strncmp(arg, "--", 2) != 0)
			return usage_error(NULL, "unexpected argument", arg, NULL);
		while (names[opt] && !name_is(names[opt], arg, len))
			opt++;
		if (!names[opt])
			return usage_error(NULL, "unknown option", arg, NULL);
		const char *name = names[opt];
		if (opt < O_HELP) {
			val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
			if (!val)
				return usage_error(name, "missing value", NULL, NULL);
		} else if (eq) {
			return usage_error(name, "takes no value", NULL, NULL);
		}
		switch (opt) {
		case 0:
			o->error_path = val;
			break;
		case 1:
			o->access_path = val;
			break;
		case 2:
			o->truth_path = val;
			break;
		case 3:
			if (!parse_count(val, 0, &o->seed))
				return usage_error(name, "invalid seed", val, "0 to 18446744073709551615");
			break;
		case 4:
			if (!parse_count(val, 1000, &o->requests))
				return usage_error(name, "invalid count", val, "digits and an optional k, M or G");
			break;
		case 5:
			if (!parse_start(val, &o->start))
				return usage_error(name, "invalid time", val, "'YYYY-MM-DD HH:MM:SS' from 1970 on");
			break;
		case 6:	/* strtod, then integers only: the same bytes everywhere */
			if (!parse_real(val, 0.01, 100000, &d))
				return usage_error(name, "invalid rate", val, "0.01 to 100000");
			o->gap_us = (uint64_t)(1e6 / d + 0.5);
			break;
		case 7:
		case 8:
			if (!parse_zone(val, opt == 7 ? &o->error_zone : &o->access_zone))
				return usage_error(name, "invalid zone", val, "+HHMM or -HHMM, -1200 to +1400");
			break;
		case 9:
			if (!parse_real(val, -3600, 3600, &d))
				return usage_error(name, "invalid skew", val, "seconds, -3600 to 3600");
			o->skew_us = (int64_t)(d * 1e6 + (d < 0 ? -0.5 : 0.5));
			break;
		case 10:
			if (!parse_real(val, 0.001, 600, &d))
				return usage_error(name, "invalid timeout", val, "seconds, 0.001 to 600");
			o->timeout_us = (int64_t)(d * 1e6 + 0.5);
			break;
		case 11:
			if (!parse_real(val, 0, 1, &d))
				return usage_error(name, "invalid share", val, "0 to 1");
			o->hot_ppm = (uint32_t)(d * 1e6 + 0.5);
			break;
		case 12:
			if (!strcmp(val, "combined"))
				o->afmt = AF_COMBINED;
			else if (!strcmp(val, "combined-timed"))
				o->afmt = AF_TIMED;
			else if (!strcmp(val, "json"))
				o->afmt = AF_JSON;
			else
				return usage_error(name, "unknown format", val, "combined, combined-timed or json");
			break;
		case O_HELP:
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return 1;
		}
	}
	if (!o->error_path || !o->access_path || !o->truth_path)
		return usage_error(NULL, "--error, --access and --truth are required", NULL, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct gen *g;
	enum status st = ST_FAIL;
	int rc = parse_options(argc, argv, &o);

	if (rc)
		return rc > 0 ? ST_OK : ST_USAGE;
	g = calloc(1, sizeof *g);
	if (!g) {
		fprintf(stderr, "genpair: out of memory\n");
		return ST_FAIL;
	}
	if (gen_init(g, &o) && out_open(&g->err, o.error_path) &&
	    out_open(&g->acc, o.access_path) && out_open(&g->truth, o.truth_path))
		st = run(g);
	/* every file is closed, and a lost write fails the run */
	if (!out_close(&g->err))
		st = ST_FAIL;
	if (!out_close(&g->acc))
		st = ST_FAIL;
	if (!out_close(&g->truth))
		st = ST_FAIL;
	free(g->slots);
	free(g->free_next);
	free(g->heap);
	free(g->clients);
	free(g);
	return (int)st;
}
