/*
 * genlog: write a deterministic, realistic web-server error log to stdout.
 *
 * A benchmark and test-data tool for logcause, not part of it.  It writes
 * nginx, Apache 2.4, application (Python, Java, Go, Node, Laravel) or mixed
 * error logs: a background of everyday noise (404s, clients that hang up,
 * notices, PHP warnings) with incidents of a few minutes in which one or two
 * causes dominate, the way a real outage looks.  With --truth it also writes
 * the cause it meant for every line, so attribution can be scored.
 *
 * Everything that looks like log text lives in the tables below; the code
 * only picks a template, fills in its fields and keeps time.  Same arguments,
 * same bytes on any platform: the only source of variety is a seeded
 * splitmix64, all arithmetic behind the output is integer (--rate and
 * --quiet-share become integers once, when parsed), and nothing reads the
 * clock, the locale or the environment.
 *
 *   cc -std=c11 -O2 -Wall -Wextra -Werror -o genlog bench/genlog.c
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
	C_UNKNOWN, C_NOT_FOUND, C_CLIENT,	/* noise: explains no 5xx */
	C_DB, C_UPSTREAM_DOWN, C_UPSTREAM_TIMEOUT, C_OVERLOAD, C_MEMORY,
	C_DISK, C_CONFIG, C_PERMISSION, C_APP_ERROR, C_TLS, C_DNS,
	C_MAINTENANCE,
	C_COUNT
};

/* The names logcause's catalogue uses; written to the --truth file. */
static const char *const cause_names[C_COUNT] = {
	"unknown", "not-found", "client", "db", "upstream-down",
	"upstream-timeout", "overload", "memory", "disk", "config",
	"permission", "app-error", "tls", "dns", "maintenance",
};

/*
 * An incident is a few minutes in which these causes dominate: the primary
 * on three incident records in four, the secondary (what the primary drags along, as
 * timeouts follow a slow database) on the rest.  C_UNKNOWN: no secondary.
 */
static const struct incident_kind {
	uint8_t primary, secondary, weight;
} incident_kinds[] = {
	{ C_DB, C_UPSTREAM_TIMEOUT, 12 },	{ C_DB, C_APP_ERROR, 6 },
	{ C_UPSTREAM_DOWN, C_UPSTREAM_TIMEOUT, 10 },
	{ C_UPSTREAM_DOWN, C_UNKNOWN, 4 },
	{ C_UPSTREAM_TIMEOUT, C_OVERLOAD, 10 },
	{ C_OVERLOAD, C_UPSTREAM_TIMEOUT, 10 },
	{ C_MEMORY, C_UPSTREAM_DOWN, 6 },	{ C_DISK, C_UNKNOWN, 5 },
	{ C_CONFIG, C_UPSTREAM_DOWN, 5 },	{ C_PERMISSION, C_UNKNOWN, 4 },
	{ C_APP_ERROR, C_UNKNOWN, 8 },		{ C_TLS, C_UPSTREAM_DOWN, 3 },
	{ C_DNS, C_UPSTREAM_DOWN, 4 },		{ C_MAINTENANCE, C_UPSTREAM_DOWN, 2 },
};

/* ------------------------------------------------------------ requests */

/*
 * The kind of request a template is about.  Its URI is drawn from the list
 * of that kind the first time the template asks for {uri} or {req}, and the
 * same URI is used for every later mention in the record (the request field
 * and the upstream field of an nginx line must agree).
 */
enum route {
	R_NONE, R_PAGE, R_API, R_ADMIN, R_ASSET, R_MISS, R_GONE, R_PROBE,
	R_DIR, R_UPLOAD, R_SCRIPT,
	R_COUNT
};

/* "METHOD path"; the path may hold list and number fields (not snippets). */
static const char *const page_routes[] = {
	"GET /", "GET /cart", "GET /cart?id={id}", "POST /cart/add",
	"GET /checkout", "POST /checkout/payment", "GET /product/{word}-{id}",
	"GET /category/{word}?page={n}", "GET /search?q={word}&sort=price",
	"GET /account/orders", "GET /account/orders/{id}", "POST /login",
	"GET /wishlist", NULL
};
static const char *const api_routes[] = {
	"GET /api/v1/orders/{id}", "POST /api/v1/orders",
	"GET /api/v1/products/{id}", "GET /api/v1/products?category={word}&limit=50",
	"GET /api/v1/users/{uid}/addresses", "PUT /api/v1/cart/{hex8}",
	"GET /api/v1/stock/{id}", "POST /api/v1/payments",
	"GET /api/v2/search?q={word}", NULL
};
static const char *const admin_routes[] = {
	"GET /admin/", "GET /admin/orders?page={n}",
	"POST /admin/catalog/{id}/edit", "GET /admin/reports/sales", NULL
};
static const char *const asset_routes[] = {
	"GET /assets/app.{hex8}.css", "GET /assets/app.{hex8}.js",
	"GET /media/catalog/{id}.jpg", "GET /media/catalog/{id}-large.webp",
	"GET /fonts/inter-var.woff2", NULL
};
static const char *const miss_routes[] = {	/* favicon thrice: its share */
	"GET /favicon.ico", "GET /favicon.ico", "GET /favicon.ico",
	"GET /apple-touch-icon.png", "GET /apple-touch-icon-precomposed.png",
	"GET /media/catalog/{id}.jpg", "GET /assets/app.{hex8}.js",
	"GET /ads.txt", "GET /.well-known/security.txt", "GET /sitemap.xml.gz",
	"GET /images/logo@2x.png", "GET /old/{word}.html", NULL
};
static const char *const gone_routes[] = {
	"GET /product/{word}-{id}", "GET /p/{id}", "GET /api/v1/products/{id}",
	"GET /blog/{word}", NULL
};
static const char *const probe_routes[] = {
	"GET /.env", "GET /.git/config", "GET /.git/HEAD",
	"GET /wp-config.php.bak", "GET /.aws/credentials", "GET /server-status",
	"GET /.DS_Store", "GET /backup.sql", "GET /.htaccess", NULL
};
static const char *const dir_routes[] = {
	"GET /media/", "GET /assets/", "GET /uploads/", "GET /media/catalog/",
	"GET /backup/", NULL
};
static const char *const upload_routes[] = {
	"POST /account/avatar", "POST /api/v1/imports",
	"POST /admin/catalog/import", "POST /support/attachments", NULL
};
static const char *const script_routes[] = {
	"GET /wp-login.php", "POST /xmlrpc.php", "GET /phpinfo.php",
	"GET /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
	"GET /wp-admin/setup-config.php", "GET /info.php", NULL
};

static const char *const *const route_lists[R_COUNT] = {
	[R_PAGE] = page_routes, [R_API] = api_routes, [R_ADMIN] = admin_routes,
	[R_ASSET] = asset_routes, [R_MISS] = miss_routes, [R_GONE] = gone_routes,
	[R_PROBE] = probe_routes, [R_DIR] = dir_routes,
	[R_UPLOAD] = upload_routes, [R_SCRIPT] = script_routes,
};

static const char *const referrers[] = {
	"https://shop.example/", "https://shop.example/cart",
	"https://shop.example/checkout", "https://www.google.com/",
	"https://shop.example/category/shoes?page=2",
	"https://shop.example/search?q=socks", NULL
};

/* ------------------------------------------------------------ fields */

/*
 * What a {name} in a template becomes.  A number, hex or list field is drawn
 * once per record and repeated on every later mention, so "in Db.php:42" and
 * "on line 42" agree; give a second value its own name ({line2}).  To add a
 * field, add a row; a template naming no field and no snippet is refused at
 * start-up, except the literal words PHP writes in braces ({main}).
 */
enum field_kind { FK_NUM, FK_HEX, FK_LIST, FK_SPECIAL };

enum special {
	SP_DATE, SP_TIME, SP_MSEC, SP_USEC, SP_IP, SP_METHOD, SP_URI, SP_PATH, SP_REQ,
	SP_VHOST, SP_HOST, SP_REF, SP_AREF, SP_SPID, SP_JTHREAD, SP_UUID
};

struct field {
	const char *name;
	enum field_kind kind;
	uint8_t width;		/* FK_NUM: zero-pad to; FK_HEX: digits */
	uint8_t dec;		/* FK_NUM: decimals (the value is fixed-point) */
	uint64_t lo, hi;	/* FK_NUM: inclusive range; FK_SPECIAL: lo is which */
	const char *const *list;	/* FK_LIST: NULL-terminated */
};

#define NUM(n, a, b)		{ n, FK_NUM, 0, 0, a, b, NULL }
#define PADDED(n, w, a, b)	{ n, FK_NUM, w, 0, a, b, NULL }
#define FIXED(n, d, a, b)	{ n, FK_NUM, 0, d, a, b, NULL }
#define HEX(n, w)		{ n, FK_HEX, w, 0, 0, 0, NULL }
#define LIST(n, l)		{ n, FK_LIST, 0, 0, 0, 0, l }
#define SPECIAL(n, s)		{ n, FK_SPECIAL, 0, 0, s, 0, NULL }

static const char *const words[] = {
	"shoes", "linen-shirt", "wool-socks", "gift-card", "rain-jacket",
	"espresso-cup", "desk-lamp", "yoga-mat", "backpack", "sunglasses",
	"tea-set", "notebook", "headphones", "water-bottle", "scarf", NULL
};
static const char *const users[] = {
	"admin", "test", "root", "shop", "deploy", "guest", "manager", NULL
};
static const char *const controllers[] = {
	"CartController", "CheckoutController", "ProductController",
	"OrderController", "AccountController", "SearchController", NULL
};
static const char *const services[] = {
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
static const char *const db_hosts[] = { "10.0.4.21", "10.0.4.22", NULL };
static const char *const upstream_ips[] = {
	"10.0.4.11", "10.0.4.12", "10.0.4.13", "10.0.4.14", NULL
};
static const char *const service_hosts[] = {
	"inventory.internal", "payments.internal", "search.internal",
	"shipping.internal", NULL
};
static const char *const dns_names[] = {
	"upstream-api.internal", "backend.internal", "inventory.internal",
	"payments.internal", NULL
};

static const struct field fields[] = {
	NUM("id", 1, 999999),		NUM("id2", 100000, 9999999),
	NUM("uid", 1000, 999999),	NUM("line", 12, 980),
	NUM("line2", 12, 980),		NUM("col", 5, 60),
	NUM("n", 1, 32),		NUM("n2", 33, 49),
	NUM("pid", 1000, 65000),	NUM("port", 32768, 60999),
	NUM("body", 1048577, 104857600), NUM("bytes", 512, 262144),
	NUM("dur", 1, 900),		PADDED("tmp", 10, 1, 99999999),
	FIXED("excess", 3, 1, 30000),	FIXED("price", 2, 499, 99999),
	FIXED("tsec", 6, 30000000, 30999999),
	FIXED("slow", 6, 5000000, 29999999),
	FIXED("uptime", 6, 1000000, 99999999999),
	HEX("hex", 10),	HEX("hex8", 8),	HEX("hex7", 7),	HEX("sid", 26),
	LIST("word", words),		LIST("user", users),
	LIST("ctrl", controllers),	LIST("svc", services),
	LIST("fn", getters),		LIST("repo", repositories),
	LIST("vendor", vendor_files),	LIST("memlimit", mem_limits),
	LIST("alloc", allocs),		LIST("dbhost", db_hosts),
	LIST("upip", upstream_ips),	LIST("svchost", service_hosts),
	LIST("dnsname", dns_names),
	SPECIAL("date", SP_DATE),	/* 2026-11-27 */
	SPECIAL("time", SP_TIME),	/* 10:15:02 */
	SPECIAL("msec", SP_MSEC),	/* 123: milliseconds of the time */
	SPECIAL("usec", SP_USEC),
	SPECIAL("ip", SP_IP),		/* client address, documentation ranges */
	SPECIAL("method", SP_METHOD),
	SPECIAL("uri", SP_URI),		/* /search?q=shoes */
	SPECIAL("path", SP_PATH),	/* /search: what frameworks log */
	SPECIAL("req", SP_REQ),		/* GET /cart?id=42 HTTP/1.1 */
	SPECIAL("vhost", SP_VHOST),	/* server name of the route */
	SPECIAL("host", SP_HOST),	/* Host header: the vhost, or for bots an IP */
	SPECIAL("ref", SP_REF),		/* sometimes , referrer: "…" (nginx) */
	SPECIAL("aref", SP_AREF),	/* sometimes , referer: … (Apache) */
	SPECIAL("spid", SP_SPID),	/* pid of the application's process */
	SPECIAL("jthread", SP_JTHREAD),	/* Tomcat thread, Spring's %15.15t */
	SPECIAL("uuid", SP_UUID),
};

/* The memo of drawn values is one bit per field in a uint64_t. */
_Static_assert(NELEM(fields) <= 64, "too many fields for the memo mask");

/* Words PHP writes in braces in stack traces: literal text, not fields. */
static const char *const literal_words[] = { "main", "closure", NULL };

/*
 * Snippets: named pieces of text expanded where {name} stands, for what many
 * templates share (nginx's trailing request fields).  They may use fields and
 * other snippets.
 */
static const struct snippet {
	const char *name, *text;
} snippets[] = {
	{ "tail", ", client: {ip}, server: {vhost}, request: \"{req}\", "
		  "host: \"{host}\"{ref}" },
	{ "tail_fcgi", ", client: {ip}, server: {vhost}, request: \"{req}\", "
		       "upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", "
		       "host: \"{host}\"{ref}" },
	{ "tail_http", ", client: {ip}, server: {vhost}, request: \"{req}\", "
		       "upstream: \"http://{upip}:8080{uri}\", host: \"{host}\"" },
	{ "tail_https", ", client: {ip}, server: {vhost}, request: \"{req}\", "
			"upstream: \"https://{upip}:8443{uri}\", host: \"{host}\"" },
	{ "tail_group", ", client: {ip}, server: {vhost}, request: \"{req}\", "
			"upstream: \"http://api_backend{uri}\", host: \"{host}\"" },
	{ "ctail", ", client: {ip}, server: 0.0.0.0:443" },
	{ "client", "[client {ip}:{port}] " },
	{ "php_db_trace",
	  "Stack trace:\n"
	  "#0 /srv/www/shop/src/Db.php(42): PDO->__construct('mysql:host=10.0...', "
	  "'shop', Object(SensitiveParameterValue), Array)\n"
	  "#1 /srv/www/shop/src/Repository/{repo}.php({line}): App\\Db->connect()\n"
	  "#2 /srv/www/shop/src/Controller/{ctrl}.php({line2}): "
	  "App\\Repository\\{repo}->find()\n"
	  "#3 {main}\n"
	  "  thrown in /srv/www/shop/src/Db.php on line 42" },
	{ "pino", "\"time\":\"{date}T{time}.{msec}Z\",\"pid\":{spid},"
		  "\"hostname\":\"web-2\"" },
	{ "slog", "time={date}T{time}.{msec}Z" },
	{ "py", "{date} {time},{msec}" },
	{ "spring", "{date} {time}.{msec}" },
};

/* ------------------------------------------------------------ templates */

/*
 * One table per format.  Each row is one message shape:
 *   cause   what the line means (noise: C_UNKNOWN, C_NOT_FOUND, C_CLIENT)
 *   weight  how often it is chosen, relative to the other rows of its cause
 *           (noise rows: to all noise rows; 1 for what a day logs a few
 *           times, such as a reload)
 *   tag     what the format's prefix needs: nginx the level, Apache
 *           "module:level", php-fpm the level, app the dialect (whose
 *           process id {spid} is)
 *   route   the kind of request {uri} and {req} draw from
 *   flags   T_MASTER: logged by the master process, no connection number;
 *           T_NOCONN: no connection number (nginx "*4411")
 *   text    the message after the prefix, with {fields} and {snippets}; a
 *           "\n" makes a multi-line record (stack traces); give a cause some
 *           one-line rows too, or --single-line cannot write it
 * To add a shape, add a row; the start-up check rejects unknown fields.
 * Wording is what nginx, Apache, PHP and the libraries really write.
 */
enum { T_MASTER = 1 << 0, T_NOCONN = 1 << 1 };

struct tmpl {
	uint8_t cause;
	uint16_t weight;
	const char *tag;
	uint8_t route, flags;
	const char *text;
};

/* PHP behind nginx: what php-fpm writes to stderr comes back in quotes. */
#define FCGI(msg) "FastCGI sent in stderr: \"" msg "\" while reading response header from upstream{tail_fcgi}"

static const struct tmpl nginx_tmpls[] = {
	/* noise */
	{ C_NOT_FOUND, 1200, "error", R_MISS, 0, "open() \"/srv/www/shop/public{uri}\" failed (2: No such file or directory){tail}" },
	{ C_NOT_FOUND, 120, "error", R_DIR, 0, "\"/srv/www/shop/public{uri}index.html\" is not found (2: No such file or directory){tail}" },
	{ C_CLIENT, 400, "info", R_NONE, 0, "client closed connection while waiting for request{ctail}" },
	{ C_CLIENT, 120, "info", R_NONE, 0, "client timed out (110: Connection timed out) while waiting for request{ctail}" },
	{ C_CLIENT, 120, "error", R_UPLOAD, 0, "client intended to send too large body: {body} bytes{tail}" },
	{ C_CLIENT, 200, "error", R_PROBE, 0, "access forbidden by rule{tail}" },
	{ C_CLIENT, 60, "error", R_DIR, 0, "directory index of \"/srv/www/shop/public{uri}\" is forbidden{tail}" },
	{ C_CLIENT, 60, "error", R_ADMIN, 0, "user \"{user}\" was not found in \"/etc/nginx/.htpasswd\"{tail}" },
	{ C_CLIENT, 80, "info", R_PAGE, 0, "epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too while sending request to upstream{tail_fcgi}" },
	{ C_CLIENT, 80, "info", R_ASSET, 0, "writev() failed (32: Broken pipe) while sending to client{tail}" },
	{ C_CLIENT, 80, "crit", R_NONE, 0, "SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking{ctail}" },
	{ C_CLIENT, 40, "info", R_NONE, 0, "client sent invalid method while reading client request line{ctail}, request: \"\\x16\\x03\\x01\\x00\\xEE\\x01\\x00\\x00\\xEA\\x03\\x03\"" },
	{ C_UNKNOWN, 200, "warn", R_PAGE, 0, "an upstream response is buffered to a temporary file /var/lib/nginx/fastcgi/{tmp} while reading upstream{tail_fcgi}" },
	{ C_UNKNOWN, 80, "warn", R_UPLOAD, 0, "a client request body is buffered to a temporary file /var/lib/nginx/body/{tmp}{tail}" },
	{ C_UNKNOWN, 60, "warn", R_API, 0, "an upstream response is buffered to a temporary file /var/lib/nginx/proxy/{tmp} while reading upstream{tail_http}" },
	{ C_UNKNOWN, 80, "error", R_PAGE, 0, FCGI("PHP message: PHP Warning:  Undefined array key \"{word}\" in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
	{ C_UNKNOWN, 60, "error", R_PAGE, 0, FCGI("PHP message: PHP Deprecated:  strlen(): Passing null to parameter #1 ($string) of type string is deprecated in /srv/www/shop/vendor/{vendor} on line {line}") },
	{ C_UNKNOWN, 1, "notice", R_NONE, T_MASTER, "signal 10 (SIGUSR1) received from {pid}, reopening logs" },
	{ C_UNKNOWN, 1, "notice", R_NONE, T_NOCONN, "reopening logs" },
	{ C_UNKNOWN, 1, "notice", R_NONE, T_MASTER, "signal 1 (SIGHUP) received from {pid}, reconfiguring" },
	{ C_UNKNOWN, 1, "notice", R_NONE, T_MASTER, "start worker process {pid}" },
	{ C_UNKNOWN, 1, "notice", R_NONE, T_NOCONN, "gracefully shutting down" },
	{ C_UNKNOWN, 1, "notice", R_NONE, T_MASTER, "signal 17 (SIGCHLD) received from {pid}" },
	{ C_UNKNOWN, 1, "notice", R_NONE, T_MASTER, "worker process {pid} exited with code 0" },
	/* db: PHP reports it through FastCGI stderr */
	{ C_DB, 20, "error", R_PAGE, 0, FCGI("PHP message: PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /srv/www/shop/src/Db.php:42\n{php_db_trace}") },
	{ C_DB, 10, "error", R_PAGE, 0, FCGI("PHP message: PDOException: SQLSTATE[HY000] [2002] Connection refused") },
	{ C_DB, 6, "error", R_PAGE, 0, FCGI("PHP message: PHP Warning:  PDO::__construct(): Error while reading greeting packet. PID={pid} in /srv/www/shop/src/Db.php on line 42PHP message: PDOException: SQLSTATE[HY000] [2006] MySQL server has gone away") },
	{ C_DB, 6, "error", R_PAGE, 0, FCGI("PHP message: PDOException: SQLSTATE[08004] [1040] Too many connections") },
	{ C_DB, 4, "error", R_PAGE, 0, FCGI("PHP message: PDOException: SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock; try restarting transaction") },
	{ C_DB, 4, "error", R_PAGE, 0, FCGI("PHP message: PHP Fatal error:  Uncaught RedisException: Connection refused in /srv/www/shop/src/Cache.php:31\nStack trace:\n#0 /srv/www/shop/src/Cache.php(31): Redis->connect('{dbhost}', 6379, 1.5)\n#1 {main}\n  thrown in /srv/www/shop/src/Cache.php on line 31") },
	/* upstream-down */
	{ C_UPSTREAM_DOWN, 20, "error", R_API, 0, "connect() failed (111: Connection refused) while connecting to upstream{tail_http}" },
	{ C_UPSTREAM_DOWN, 8, "error", R_API, 0, "no live upstreams while connecting to upstream{tail_group}" },
	{ C_UPSTREAM_DOWN, 10, "crit", R_PAGE, 0, "connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream{tail_fcgi}" },
	{ C_UPSTREAM_DOWN, 6, "error", R_PAGE, 0, "connect() to unix:/run/php/php8.2-fpm.sock failed (111: Connection refused) while connecting to upstream{tail_fcgi}" },
	{ C_UPSTREAM_DOWN, 8, "error", R_PAGE, 0, "recv() failed (104: Connection reset by peer) while reading response header from upstream{tail_fcgi}" },
	{ C_UPSTREAM_DOWN, 8, "error", R_API, 0, "upstream prematurely closed connection while reading response header from upstream{tail_http}" },
	{ C_UPSTREAM_DOWN, 4, "error", R_PAGE, 0, "upstream prematurely closed FastCGI stdout while reading response header from upstream{tail_fcgi}" },
	{ C_UPSTREAM_DOWN, 3, "warn", R_API, 0, "upstream server temporarily disabled while connecting to upstream{tail_http}" },
	{ C_UPSTREAM_DOWN, 3, "error", R_API, 0, "connect() failed (113: No route to host) while connecting to upstream{tail_http}" },
	/* upstream-timeout */
	{ C_UPSTREAM_TIMEOUT, 25, "error", R_PAGE, 0, "upstream timed out (110: Connection timed out) while reading response header from upstream{tail_fcgi}" },
	{ C_UPSTREAM_TIMEOUT, 15, "error", R_API, 0, "upstream timed out (110: Connection timed out) while reading response header from upstream{tail_http}" },
	{ C_UPSTREAM_TIMEOUT, 6, "error", R_API, 0, "upstream timed out (110: Connection timed out) while connecting to upstream{tail_http}" },
	{ C_UPSTREAM_TIMEOUT, 3, "error", R_API, 0, "upstream timed out (110: Connection timed out) while reading upstream{tail_http}" },
	{ C_UPSTREAM_TIMEOUT, 3, "error", R_UPLOAD, 0, "upstream timed out (110: Connection timed out) while sending request to upstream{tail_fcgi}" },
	/* overload */
	{ C_OVERLOAD, 15, "error", R_API, 0, "limiting requests, excess: {excess} by zone \"api\"{tail}" },
	{ C_OVERLOAD, 4, "error", R_PAGE, 0, "limiting connections by zone \"perip\"{tail}" },
	{ C_OVERLOAD, 5, "alert", R_API, 0, "768 worker_connections are not enough while connecting to upstream{tail_http}" },
	{ C_OVERLOAD, 3, "alert", R_NONE, T_NOCONN, "768 worker_connections are not enough" },
	{ C_OVERLOAD, 6, "crit", R_NONE, T_NOCONN, "accept4() failed (24: Too many open files)" },
	{ C_OVERLOAD, 3, "alert", R_API, 0, "socket() failed (24: Too many open files) while connecting to upstream{tail_http}" },
	{ C_OVERLOAD, 3, "crit", R_ASSET, 0, "open() \"/srv/www/shop/public{uri}\" failed (24: Too many open files){tail}" },
	{ C_OVERLOAD, 8, "error", R_PAGE, 0, "connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream{tail_fcgi}" },
	/* memory */
	{ C_MEMORY, 20, "error", R_PAGE, 0, FCGI("PHP message: PHP Fatal error:  Allowed memory size of {memlimit} bytes exhausted (tried to allocate {alloc} bytes) in /srv/www/shop/vendor/{vendor} on line {line}") },
	{ C_MEMORY, 4, "error", R_PAGE, 0, FCGI("PHP message: PHP Fatal error:  Out of memory (allocated {memlimit}) (tried to allocate {alloc} bytes) in /srv/www/shop/vendor/{vendor} on line {line}") },
	{ C_MEMORY, 3, "emerg", R_NONE, T_NOCONN, "posix_memalign(16, 16384) failed (12: Cannot allocate memory)" },
	{ C_MEMORY, 3, "alert", R_NONE, T_MASTER, "worker process {pid} exited on signal 9" },
	/* disk */
	{ C_DISK, 12, "crit", R_UPLOAD, 0, "pwrite() \"/var/lib/nginx/body/{tmp}\" failed (28: No space left on device){tail}" },
	{ C_DISK, 8, "crit", R_PAGE, 0, "write() \"/var/lib/nginx/fastcgi/{tmp}\" failed (28: No space left on device) while reading upstream{tail_fcgi}" },
	{ C_DISK, 5, "alert", R_PAGE, 0, "write() to \"/var/log/nginx/access.log\" failed (28: No space left on device) while logging request{tail}" },
	{ C_DISK, 6, "error", R_PAGE, 0, FCGI("PHP message: PHP Warning:  file_put_contents(): Only 0 of {bytes} bytes written, possibly out of free disk space in /srv/www/shop/src/Cache/FileCache.php on line 88") },
	{ C_DISK, 4, "error", R_PAGE, 0, "FastCGI sent in stderr: \"PHP message: PHP Warning:  Unknown: write failed: No space left on device (28) in Unknown on line 0\" while reading upstream{tail_fcgi}" },
	/* config */
	{ C_CONFIG, 10, "error", R_PAGE, 0, "rewrite or internal redirection cycle while internally redirecting to \"/index.php\"{tail}" },
	{ C_CONFIG, 8, "error", R_PAGE, 0, "upstream sent too big header while reading response header from upstream{tail_fcgi}" },
	{ C_CONFIG, 6, "error", R_SCRIPT, 0, FCGI("Primary script unknown") },
	{ C_CONFIG, 2, "error", R_API, 0, "no resolver defined to resolve {svchost}{tail}" },
	{ C_CONFIG, 2, "emerg", R_NONE, T_MASTER, "unknown directive \"fastcgi_bufers\" in /etc/nginx/sites-enabled/shop.conf:{line}" },
	/* permission */
	{ C_PERMISSION, 10, "error", R_PAGE, 0, "open() \"/srv/www/shop/var/cache/{hex8}.php\" failed (13: Permission denied){tail}" },
	{ C_PERMISSION, 6, "error", R_ASSET, 0, "open() \"/srv/www/shop/public{uri}\" failed (13: Permission denied){tail}" },
	{ C_PERMISSION, 6, "crit", R_PAGE, 0, "connect() to unix:/run/php/php8.2-fpm.sock failed (13: Permission denied) while connecting to upstream{tail_fcgi}" },
	{ C_PERMISSION, 3, "crit", R_UPLOAD, 0, "open() \"/var/lib/nginx/body/{tmp}\" failed (13: Permission denied){tail}" },
	{ C_PERMISSION, 3, "crit", R_ASSET, 0, "stat() \"/srv/www/shop/public{uri}\" failed (13: Permission denied){tail}" },
	{ C_PERMISSION, 3, "error", R_PAGE, 0, FCGI("PHP message: PHP Warning:  fopen(/srv/www/shop/var/log/app.log): Failed to open stream: Permission denied in /srv/www/shop/src/Logger.php on line 57") },
	/* tls: towards the upstream (client handshake failures above are noise) */
	{ C_TLS, 10, "error", R_API, 0, "SSL_do_handshake() failed (SSL: error:0A000086:SSL routines::certificate verify failed) while SSL handshaking to upstream{tail_https}" },
	{ C_TLS, 6, "error", R_API, 0, "upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream{tail_https}" },
	{ C_TLS, 4, "error", R_API, 0, "upstream SSL certificate does not match \"payments.internal\" while SSL handshaking to upstream{tail_https}" },
	{ C_TLS, 3, "error", R_API, 0, "SSL_do_handshake() failed (SSL: error:0A000410:SSL routines::sslv3 alert handshake failure:SSL alert number 40) while SSL handshaking to upstream{tail_https}" },
	/* dns */
	{ C_DNS, 10, "error", R_API, 0, "{dnsname} could not be resolved (110: Operation timed out){tail}" },
	{ C_DNS, 5, "error", R_API, 0, "{dnsname} could not be resolved (3: Host not found){tail}" },
	{ C_DNS, 4, "error", R_NONE, T_NOCONN, "recv() failed (111: Connection refused) while resolving, resolver: 10.0.0.2:53" },
	{ C_DNS, 2, "emerg", R_NONE, T_MASTER, "host not found in upstream \"backend.internal:8080\" in /etc/nginx/conf.d/upstreams.conf:{line}" },
	/* app-error */
	{ C_APP_ERROR, 10, "error", R_PAGE, 0, FCGI("PHP message: PHP Fatal error:  Uncaught TypeError: App\\Service\\{svc}::{fn}(): Argument #1 ($id) must be of type int, string given, called in /srv/www/shop/src/Controller/{ctrl}.php on line {line} and defined in /srv/www/shop/src/Service/{svc}.php:{line2}\nStack trace:\n#0 /srv/www/shop/src/Controller/{ctrl}.php({line}): App\\Service\\{svc}->{fn}('{word}')\n#1 /srv/www/shop/vendor/symfony/http-kernel/HttpKernel.php(181): App\\Controller\\{ctrl}->show()\n#2 {main}\n  thrown in /srv/www/shop/src/Service/{svc}.php on line {line2}") },
	{ C_APP_ERROR, 6, "error", R_PAGE, 0, FCGI("PHP message: PHP Fatal error:  Uncaught Error: Call to a member function {fn}() on null in /srv/www/shop/src/Controller/{ctrl}.php:{line}\nStack trace:\n#0 /srv/www/shop/vendor/symfony/http-kernel/HttpKernel.php(181): App\\Controller\\{ctrl}->show()\n#1 /srv/www/shop/vendor/symfony/http-kernel/HttpKernel.php(76): Symfony\\Component\\HttpKernel\\HttpKernel->handleRaw()\n#2 {main}\n  thrown in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
	{ C_APP_ERROR, 5, "error", R_PAGE, 0, FCGI("PHP message: PHP Parse error:  syntax error, unexpected token \"}\", expecting \";\" in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
	{ C_APP_ERROR, 3, "error", R_PAGE, 0, FCGI("PHP message: PHP Fatal error:  Cannot redeclare App\\Helpers\\format_price() (previously declared in /srv/www/shop/src/Helpers/money.php:12) in /srv/www/shop/src/Helpers/legacy.php on line 40") },
	{ C_APP_ERROR, 3, "alert", R_NONE, T_MASTER, "worker process {pid} exited on signal 11 (core dumped)" },
};

/*
 * PHP behind Apache's mod_proxy_fcgi.  Apache escapes what it logs: a
 * newline in PHP's message becomes \n and a backslash \\, so these records
 * stay on one physical line.
 */
#define AH01071(msg) "{client}AH01071: Got error '" msg "'{aref}"

static const struct tmpl apache_tmpls[] = {
	/* noise */
	{ C_NOT_FOUND, 800, "core:info", R_MISS, 0, "{client}AH00128: File does not exist: /srv/www/shop/public{uri}{aref}" },
	{ C_CLIENT, 200, "authz_core:error", R_PROBE, 0, "{client}AH01630: client denied by server configuration: /srv/www/shop/public{uri}" },
	{ C_CLIENT, 80, "autoindex:error", R_DIR, 0, "{client}AH01276: Cannot serve directory /srv/www/shop/public{uri}: No matching DirectoryIndex (index.php,index.html) found, and server-generated directory index forbidden by Options directive" },
	{ C_CLIENT, 160, "reqtimeout:info", R_NONE, 0, "{client}AH01382: Request header read timeout" },
	{ C_CLIENT, 60, "core:error", R_NONE, 0, "{client}AH00126: Invalid URI in request GET /static/../../../../etc/passwd HTTP/1.1" },
	{ C_CLIENT, 80, "ssl:info", R_NONE, 0, "{client}AH02008: SSL library error 1 in handshake (server shop.example:443)" },
	{ C_CLIENT, 60, "auth_basic:error", R_ADMIN, 0, "{client}AH01618: user {user} not found: {uri}" },
	{ C_UNKNOWN, 100, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Warning:  Undefined array key \"{word}\" in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
	{ C_UNKNOWN, 60, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Deprecated:  strlen(): Passing null to parameter #1 ($string) of type string is deprecated in /srv/www/shop/vendor/{vendor} on line {line}") },
	{ C_UNKNOWN, 1, "mpm_event:notice", R_NONE, T_MASTER, "AH00489: Apache/2.4.62 (Debian) OpenSSL/3.0.15 configured -- resuming normal operations" },
	{ C_UNKNOWN, 1, "core:notice", R_NONE, T_MASTER, "AH00094: Command line: '/usr/sbin/apache2'" },
	{ C_UNKNOWN, 1, "mpm_event:notice", R_NONE, T_MASTER, "AH00493: SIGUSR1 received.  Doing graceful restart" },
	{ C_UNKNOWN, 1, "ssl:warn", R_NONE, T_MASTER, "AH01909: shop.example:443:0 server certificate does NOT include an ID which matches the server name" },
	/* db */
	{ C_DB, 20, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /srv/www/shop/src/Db.php:42\\nStack trace:\\n#0 /srv/www/shop/src/Db.php(42): PDO->__construct('mysql:host=10.0...', 'shop', Object(SensitiveParameterValue), Array)\\n#1 /srv/www/shop/src/Repository/{repo}.php({line}): App\\\\Db->connect()\\n#2 {main}\\n  thrown in /srv/www/shop/src/Db.php on line 42") },
	{ C_DB, 6, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PDOException: SQLSTATE[08004] [1040] Too many connections") },
	{ C_DB, 4, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Warning:  PDO::__construct(): Error while reading greeting packet. PID={pid} in /srv/www/shop/src/Db.php on line 42; PHP message: PDOException: SQLSTATE[HY000] [2006] MySQL server has gone away") },
	{ C_DB, 3, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PDOException: SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock; try restarting transaction") },
	/* upstream-down */
	{ C_UPSTREAM_DOWN, 10, "proxy:error", R_NONE, 0, "(111)Connection refused: AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (*) failed" },
	{ C_UPSTREAM_DOWN, 10, "proxy_fcgi:error", R_PAGE, 0, "{client}AH01079: failed to make connection to backend: 127.0.0.1" },
	{ C_UPSTREAM_DOWN, 8, "proxy:error", R_NONE, 0, "(111)Connection refused: AH00957: HTTP: attempt to connect to {upip}:8080 ({upip}) failed" },
	{ C_UPSTREAM_DOWN, 6, "proxy_http:error", R_API, 0, "{client}AH01114: HTTP: failed to make connection to backend: {upip}" },
	{ C_UPSTREAM_DOWN, 3, "proxy:error", R_NONE, 0, "AH00959: ap_proxy_connect_backend disabling worker for ({upip}:8080) for 60s" },
	{ C_UPSTREAM_DOWN, 4, "proxy_http:error", R_API, 0, "(104)Connection reset by peer: {client}AH01102: error reading status line from remote server {upip}:8080" },
	{ C_UPSTREAM_DOWN, 3, "proxy:error", R_NONE, 0, "(2)No such file or directory: AH02454: FCGI: attempt to connect to Unix domain socket /run/php/php8.2-fpm.sock (localhost) failed" },
	{ C_UPSTREAM_DOWN, 2, "proxy_fcgi:error", R_PAGE, 0, "(104)Connection reset by peer: {client}AH01075: Error dispatching request to :" },
	/* upstream-timeout */
	{ C_UPSTREAM_TIMEOUT, 12, "proxy_fcgi:error", R_PAGE, 0, "(70007)The timeout specified has expired: {client}AH01075: Error dispatching request to : (polling){aref}" },
	{ C_UPSTREAM_TIMEOUT, 10, "proxy_http:error", R_API, 0, "(70007)The timeout specified has expired: {client}AH01102: error reading status line from remote server {upip}:8080" },
	{ C_UPSTREAM_TIMEOUT, 6, "proxy:error", R_API, 0, "{client}AH00898: Error reading from remote server returned by {uri}" },
	/* overload */
	{ C_OVERLOAD, 10, "mpm_event:error", R_NONE, T_MASTER, "AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting" },
	{ C_OVERLOAD, 3, "mpm_event:error", R_NONE, T_MASTER, "AH03490: scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit." },
	{ C_OVERLOAD, 5, "proxy:error", R_NONE, 0, "(11)Resource temporarily unavailable: AH02454: FCGI: attempt to connect to Unix domain socket /run/php/php8.2-fpm.sock (localhost) failed" },
	/* memory */
	{ C_MEMORY, 12, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Fatal error:  Allowed memory size of {memlimit} bytes exhausted (tried to allocate {alloc} bytes) in /srv/www/shop/vendor/{vendor} on line {line}") },
	{ C_MEMORY, 4, "mpm_event:error", R_NONE, T_MASTER, "(12)Cannot allocate memory: AH00481: fork: Unable to fork new process" },
	{ C_MEMORY, 3, "core:notice", R_NONE, T_MASTER, "AH00052: child pid {pid} exit signal Killed (9)" },
	/* disk */
	{ C_DISK, 8, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Warning:  file_put_contents(): Only 0 of {bytes} bytes written, possibly out of free disk space in /srv/www/shop/src/Cache/FileCache.php on line 88") },
	{ C_DISK, 5, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Warning:  Unknown: write failed: No space left on device (28) in Unknown on line 0") },
	{ C_DISK, 3, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Warning:  session_start(): open(/var/lib/php/sessions/sess_{sid}, O_RDWR) failed: No space left on device (28) in /srv/www/shop/src/Session.php on line 31") },
	/* config */
	{ C_CONFIG, 10, "core:error", R_PAGE, 0, "{client}AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace.{aref}" },
	{ C_CONFIG, 6, "core:alert", R_PAGE, 0, "{client}/srv/www/shop/public/.htaccess: Invalid command 'RewriteEngine', perhaps misspelled or defined by a module not included in the server configuration" },
	{ C_CONFIG, 4, "proxy_fcgi:error", R_SCRIPT, 0, "{client}AH01071: Got error 'Primary script unknown'" },
	{ C_CONFIG, 2, "ssl:error", R_API, 0, "{client}AH01961: SSL Proxy requested for api.shop.example:443 but not enabled [Hint: SSLProxyEngine]" },
	{ C_CONFIG, 2, "proxy:error", R_NONE, 0, "AH00961: HTTPS: failed to enable ssl support for {upip}:8443 ({upip})" },
	/* permission */
	{ C_PERMISSION, 10, "core:crit", R_PAGE, 0, "(13)Permission denied: {client}AH00529: /srv/www/shop/public/.htaccess pcfg_openfile: unable to check htaccess file, ensure it is readable and that '/srv/www/shop/public/' is executable" },
	{ C_PERMISSION, 6, "core:error", R_ASSET, 0, "(13)Permission denied: {client}AH00035: access to {uri} denied (filesystem path '/srv/www/shop/public{uri}') because search permissions are missing on a component of the path" },
	{ C_PERMISSION, 4, "core:error", R_ASSET, 0, "{client}AH00132: file permissions deny server access: /srv/www/shop/public{uri}" },
	{ C_PERMISSION, 4, "proxy:error", R_NONE, 0, "(13)Permission denied: AH02454: FCGI: attempt to connect to Unix domain socket /run/php/php8.2-fpm.sock (localhost) failed" },
	/* tls */
	{ C_TLS, 8, "proxy:error", R_API, 0, "{client}AH00898: Error during SSL Handshake with remote server returned by {uri}" },
	{ C_TLS, 6, "ssl:error", R_NONE, 0, "[remote {upip}:8443] AH02039: Certificate Verification: Error (10): certificate has expired" },
	{ C_TLS, 3, "ssl:info", R_NONE, 0, "[remote {upip}:8443] AH02003: SSL Proxy connect failed" },
	/* dns */
	{ C_DNS, 8, "proxy:error", R_API, 0, "(EAI 3)Temporary failure in name resolution: {client}AH00898: DNS lookup failure for: {dnsname} returned by {uri}" },
	{ C_DNS, 4, "proxy:error", R_API, 0, "(EAI 2)Name or service not known: {client}AH00898: DNS lookup failure for: {dnsname} returned by {uri}" },
	/* app-error */
	{ C_APP_ERROR, 12, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Fatal error:  Uncaught TypeError: App\\\\Service\\\\{svc}::{fn}(): Argument #1 ($id) must be of type int, string given, called in /srv/www/shop/src/Controller/{ctrl}.php on line {line} and defined in /srv/www/shop/src/Service/{svc}.php:{line2}\\nStack trace:\\n#0 /srv/www/shop/src/Controller/{ctrl}.php({line}): App\\\\Service\\\\{svc}->{fn}('{word}')\\n#1 {main}\\n  thrown in /srv/www/shop/src/Service/{svc}.php on line {line2}") },
	{ C_APP_ERROR, 8, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Fatal error:  Uncaught Error: Call to a member function {fn}() on null in /srv/www/shop/src/Controller/{ctrl}.php:{line}\\nStack trace:\\n#0 /srv/www/shop/vendor/symfony/http-kernel/HttpKernel.php(181): App\\\\Controller\\\\{ctrl}->show()\\n#1 {main}\\n  thrown in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
	{ C_APP_ERROR, 4, "core:notice", R_NONE, T_MASTER, "AH00052: child pid {pid} exit signal Segmentation fault (11)" },
	{ C_APP_ERROR, 3, "proxy_fcgi:error", R_PAGE, 0, AH01071("PHP message: PHP Parse error:  syntax error, unexpected token \"}\", expecting \";\" in /srv/www/shop/src/Controller/{ctrl}.php on line {line}") },
};

/*
 * Application logs, several services writing to one aggregated stream, each
 * in its own dialect; every line starts with an ISO-8601-style time stamp.
 *   python    Django/Celery, "%(asctime)s %(levelname)s [%(name)s] %(message)s"
 *   gunicorn  gunicorn's own "[time +0000] [pid] [LEVEL]"
 *   java      Spring Boot 2 default pattern (%5p, %15.15t, %-40.40logger{39})
 *   go        log/slog TextHandler (std log routed through it) and zap console
 *   node      pino JSON lines with ISO time
 *   laravel   Monolog, "[time] production.ERROR: … {context}" + [stacktrace]
 */
#define PINO(level) "{\"level\":" level ",{pino},"
#define SPRING(level, logger) "{spring} " level " {spid} --- [{jthread}] " logger " : "

static const struct tmpl app_tmpls[] = {
	/* noise */
	{ C_NOT_FOUND, 30, "python", R_GONE, 0, "{py} WARNING [django.request] Not Found: {path}" },
	{ C_NOT_FOUND, 10, "java", R_GONE, 0, SPRING(" WARN", "o.s.web.servlet.PageNotFound            ") "No mapping for GET {path}" },
	{ C_NOT_FOUND, 8, "go", R_GONE, 0, "{slog} level=WARN msg=\"not found\" method=GET path={path} status=404 remote={ip}:{port}" },
	{ C_NOT_FOUND, 8, "node", R_GONE, 0, PINO("30") "\"req\":{\"method\":\"GET\",\"url\":\"{uri}\"},\"res\":{\"statusCode\":404},\"responseTime\":{n},\"msg\":\"request completed\"}" },
	{ C_CLIENT, 5, "python", R_API, 0, "{py} WARNING [django.request] Bad Request: {path}" },
	{ C_CLIENT, 4, "python", R_UPLOAD, 0, "{py} WARNING [django.security.csrf] Forbidden (CSRF cookie not set.): {path}" },
	{ C_CLIENT, 2, "python", R_NONE, 0, "{py} ERROR [django.security.DisallowedHost] Invalid HTTP_HOST header: '{ip}'. You may need to add '{ip}' to ALLOWED_HOSTS." },
	{ C_CLIENT, 4, "java", R_NONE, 0, SPRING(" WARN", ".w.s.m.s.DefaultHandlerExceptionResolver") "Resolved [org.springframework.web.HttpRequestMethodNotSupportedException: Request method 'PUT' not supported]" },
	{ C_CLIENT, 3, "java", R_NONE, 0, SPRING(" INFO", "o.apache.coyote.http11.Http11Processor  ") "Error parsing HTTP request header\n Note: further occurrences of HTTP request parsing errors will be logged at DEBUG level." },
	{ C_CLIENT, 5, "go", R_API, 0, "{slog} level=WARN msg=\"client disconnected\" method={method} path={path} err=\"context canceled\"" },
	{ C_CLIENT, 4, "node", R_API, 0, PINO("40") "\"err\":{\"type\":\"Error\",\"message\":\"aborted\",\"code\":\"ECONNRESET\"},\"msg\":\"request aborted\"}" },
	{ C_UNKNOWN, 10, "python", R_NONE, 0, "{py} INFO [shop.orders] order {id} placed by user {uid}, total {price} EUR" },
	{ C_UNKNOWN, 4, "python", R_NONE, 0, "{py} INFO [celery.worker.strategy] Task shop.tasks.send_receipt[{uuid}] received" },
	{ C_UNKNOWN, 1, "gunicorn", R_NONE, 0, "[{date} {time} +0000] [{pid}] [INFO] Booting worker with pid: {pid}" },
	{ C_UNKNOWN, 8, "java", R_NONE, 0, SPRING(" INFO", "c.e.shop.order.OrderService             ") "order {id} confirmed for customer {uid}" },
	{ C_UNKNOWN, 8, "go", R_API, 0, "{slog} level=INFO msg=request method={method} path={path} status=200 dur={dur}ms" },
	{ C_UNKNOWN, 6, "node", R_NONE, 0, PINO("30") "\"msg\":\"order {id} synced to warehouse\"}" },
	/* db */
	{ C_DB, 10, "python", R_API, 0, "{py} ERROR [django.request] Internal Server Error: {path}\nTraceback (most recent call last):\n  File \"/srv/app/venv/lib/python3.11/site-packages/django/db/backends/base/base.py\", line 289, in ensure_connection\n    self.connect()\n  File \"/srv/app/venv/lib/python3.11/site-packages/psycopg2/__init__.py\", line 122, in connect\n    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)\npsycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host \"{dbhost}\" and accepting\n\tTCP/IP connections on port 5432?" },
	{ C_DB, 6, "python", R_NONE, 0, "{py} ERROR [celery.app.trace] Task shop.tasks.sync_stock[{uuid}] raised unexpected: OperationalError('FATAL:  sorry, too many clients already\\n')" },
	{ C_DB, 5, "python", R_NONE, 0, "{py} ERROR [shop.cart] cart {hex8} not saved: redis.exceptions.ConnectionError: Error 111 connecting to {dbhost}:6379. Connection refused." },
	{ C_DB, 3, "python", R_NONE, 0, "{py} ERROR [shop.reports] report {id} failed: sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00" },
	{ C_DB, 8, "java", R_API, 0, SPRING("ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]   ") "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; nested exception is java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.] with root cause\n\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)\n\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)\n\tat com.example.shop.order.OrderRepository.findById(OrderRepository.java:{line})" },
	{ C_DB, 6, "java", R_NONE, 0, SPRING("ERROR", "o.h.engine.jdbc.spi.SqlExceptionHelper  ") "HikariPool-1 - Connection is not available, request timed out after 30000ms." },
	{ C_DB, 3, "java", R_NONE, 0, SPRING(" WARN", "com.zaxxer.hikari.pool.PoolBase         ") "HikariPool-1 - Failed to validate connection com.mysql.cj.jdbc.ConnectionImpl@{hex7} (No operations allowed after connection closed.). Possibly consider using a shorter maxLifetime value." },
	{ C_DB, 8, "go", R_API, 0, "{slog} level=ERROR msg=\"query failed\" path={path} err=\"failed to connect to `host={dbhost} user=shop database=shop`: dial error (dial tcp {dbhost}:5432: connect: connection refused)\"" },
	{ C_DB, 5, "go", R_API, 0, "{slog} level=ERROR msg=\"query failed\" path={path} err=\"dial tcp {dbhost}:5432: connect: connection refused\"" },
	{ C_DB, 3, "go", R_API, 0, "{slog} level=ERROR msg=\"query failed\" path={path} err=\"pq: sorry, too many clients already\"" },
	{ C_DB, 6, "node", R_API, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"connect ECONNREFUSED {dbhost}:5432\",\"code\":\"ECONNREFUSED\",\"errno\":-111,\"syscall\":\"connect\",\"address\":\"{dbhost}\",\"port\":5432},\"msg\":\"query failed\"}" },
	{ C_DB, 3, "node", R_API, 0, PINO("50") "\"err\":{\"type\":\"MongoServerSelectionError\",\"message\":\"connect ECONNREFUSED {dbhost}:27017\"},\"msg\":\"catalog lookup failed\"}" },
	{ C_DB, 3, "node", R_API, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"Connection terminated due to connection timeout\"},\"msg\":\"query failed\"}" },
	{ C_DB, 6, "laravel", R_PAGE, 0, "[{date} {time}] production.ERROR: SQLSTATE[HY000] [2002] Connection refused (Connection: mysql, SQL: select * from `sessions` where `id` = {hex} limit 1) {\"exception\":\"[object] (Illuminate\\\\Database\\\\QueryException(code: 2002): SQLSTATE[HY000] [2002] Connection refused (Connection: mysql, SQL: select * from `sessions` where `id` = {hex} limit 1) at /srv/www/shop/vendor/laravel/framework/src/Illuminate/Database/Connection.php:813)\n[stacktrace]\n#0 /srv/www/shop/vendor/laravel/framework/src/Illuminate/Database/Connection.php(767): Illuminate\\\\Database\\\\Connection->runQueryCallback('select * from `...', Array, Object(Closure))\n#1 /srv/www/shop/vendor/laravel/framework/src/Illuminate/Session/DatabaseSessionHandler.php(96): Illuminate\\\\Database\\\\Connection->select('select * from `...')\n#2 {main}\n\"} " },
	/* upstream-down */
	{ C_UPSTREAM_DOWN, 6, "python", R_API, 0, "{py} ERROR [shop.stock] stock lookup failed: requests.exceptions.ConnectionError: HTTPConnectionPool(host='inventory.internal', port=8080): Max retries exceeded with url: /api/stock/{id} (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f{hex}>: Failed to establish a new connection: [Errno 111] Connection refused'))" },
	{ C_UPSTREAM_DOWN, 5, "java", R_API, 0, SPRING("ERROR", "c.e.shop.stock.InventoryClient          ") "stock lookup failed for sku {id}: I/O error on GET request for \"http://inventory.internal:8080/api/stock/{id}\": Connection refused; nested exception is java.net.ConnectException: Connection refused" },
	{ C_UPSTREAM_DOWN, 6, "go", R_API, 0, "{slog} level=ERROR msg=\"upstream request failed\" upstream=inventory err=\"Get \\\"http://inventory.internal:8080/api/stock/{id}\\\": dial tcp {upip}:8080: connect: connection refused\"" },
	{ C_UPSTREAM_DOWN, 3, "go", R_API, 0, "{date}T{time}.{msec}Z\terror\tinventory/client.go:88\tstock lookup failed\t{\"sku\": {id}, \"error\": \"dial tcp {upip}:8080: connect: connection refused\"}" },
	{ C_UPSTREAM_DOWN, 5, "node", R_API, 0, PINO("50") "\"err\":{\"type\":\"FetchError\",\"message\":\"request to http://inventory.internal:8080/api/stock/{id} failed, reason: connect ECONNREFUSED {upip}:8080\",\"code\":\"ECONNREFUSED\"},\"msg\":\"stock lookup failed\"}" },
	{ C_UPSTREAM_DOWN, 3, "node", R_API, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"socket hang up\",\"code\":\"ECONNRESET\"},\"msg\":\"stock lookup failed\"}" },
	/* upstream-timeout */
	{ C_UPSTREAM_TIMEOUT, 6, "python", R_API, 0, "{py} ERROR [shop.payments] charge {id} failed: requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='payments.internal', port=443): Read timed out. (read timeout=10)" },
	{ C_UPSTREAM_TIMEOUT, 5, "gunicorn", R_NONE, 0, "[{date} {time} +0000] [{spid}] [CRITICAL] WORKER TIMEOUT (pid:{pid})" },
	{ C_UPSTREAM_TIMEOUT, 5, "java", R_API, 0, SPRING("ERROR", "c.e.shop.payment.PaymentClient          ") "charge {id} failed: I/O error on POST request for \"https://payments.internal/v1/charges\": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out" },
	{ C_UPSTREAM_TIMEOUT, 6, "go", R_API, 0, "{slog} level=ERROR msg=\"upstream request failed\" upstream=inventory err=\"Get \\\"http://inventory.internal:8080/api/stock/{id}\\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\"" },
	{ C_UPSTREAM_TIMEOUT, 5, "node", R_API, 0, PINO("50") "\"err\":{\"type\":\"AxiosError\",\"message\":\"timeout of 5000ms exceeded\",\"code\":\"ECONNABORTED\"},\"msg\":\"payment request failed\"}" },
	/* overload */
	{ C_OVERLOAD, 5, "java", R_NONE, 0, SPRING("ERROR", "o.apache.tomcat.util.net.NioEndpoint    ") "Socket accept failed\n\njava.io.IOException: Too many open files\n\tat java.base/sun.nio.ch.Net.accept(Native Method)\n\tat java.base/sun.nio.ch.ServerSocketChannelImpl.implAccept(ServerSocketChannelImpl.java:425)\n\tat org.apache.tomcat.util.net.NioEndpoint.serverSocketAccept(NioEndpoint.java:521)" },
	{ C_OVERLOAD, 4, "java", R_NONE, 0, SPRING("ERROR", "c.e.shop.order.OrderService             ") "order {id} rejected: Task java.util.concurrent.FutureTask@{hex7}[Not completed] rejected from java.util.concurrent.ThreadPoolExecutor@{hex8}[Running, pool size = 200, active threads = 200, queued tasks = 1000, completed tasks = {id2}]" },
	{ C_OVERLOAD, 5, "go", R_NONE, 0, "{slog} level=INFO msg=\"http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 5ms\"" },
	{ C_OVERLOAD, 3, "node", R_NONE, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"accept EMFILE\",\"code\":\"EMFILE\",\"errno\":-24,\"syscall\":\"accept\"},\"msg\":\"server error\"}" },
	/* memory */
	{ C_MEMORY, 5, "gunicorn", R_NONE, 0, "[{date} {time} +0000] [{spid}] [ERROR] Worker (pid:{pid}) was sent SIGKILL! Perhaps out of memory?" },
	{ C_MEMORY, 3, "python", R_API, 0, "{py} ERROR [django.request] Internal Server Error: {path}\nTraceback (most recent call last):\n  File \"/srv/app/shop/reports/views.py\", line {line}, in export_csv\n    rows = list(queryset.values_list(*columns))\nMemoryError" },
	{ C_MEMORY, 5, "java", R_API, 0, SPRING("ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]   ") "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch failed; nested exception is java.lang.OutOfMemoryError: Java heap space] with root cause\n\njava.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n\tat java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:228)\n\tat com.example.shop.report.CsvExporter.write(CsvExporter.java:{line})" },
	{ C_MEMORY, 3, "java", R_NONE, 0, SPRING("ERROR", "c.e.shop.report.ReportJob               ") "report {id} aborted: java.lang.OutOfMemoryError: Java heap space" },
	{ C_MEMORY, 3, "laravel", R_PAGE, 0, "[{date} {time}] production.ERROR: Allowed memory size of {memlimit} bytes exhausted (tried to allocate {alloc} bytes) {\"exception\":\"[object] (Symfony\\\\Component\\\\ErrorHandler\\\\Error\\\\FatalError(code: 0): Allowed memory size of {memlimit} bytes exhausted (tried to allocate {alloc} bytes) at /srv/www/shop/vendor/{vendor}:{line})\n[stacktrace]\n#0 {main}\n\"} " },
	/* disk */
	{ C_DISK, 4, "python", R_UPLOAD, 0, "{py} ERROR [shop.media] upload {hex8} failed: OSError: [Errno 28] No space left on device: '/srv/app/media/uploads/{hex8}.jpg'" },
	{ C_DISK, 3, "java", R_UPLOAD, 0, SPRING("ERROR", "c.e.shop.media.UploadService            ") "upload {hex8} failed: java.io.IOException: No space left on device" },
	{ C_DISK, 4, "go", R_NONE, 0, "{slog} level=ERROR msg=\"spool write failed\" err=\"write /var/lib/shop/spool/{hex8}.json: no space left on device\"" },
	{ C_DISK, 3, "node", R_UPLOAD, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"ENOSPC: no space left on device, write\",\"code\":\"ENOSPC\",\"syscall\":\"write\"},\"msg\":\"upload failed\"}" },
	/* permission */
	{ C_PERMISSION, 4, "python", R_UPLOAD, 0, "{py} ERROR [shop.media] upload {hex8} failed: PermissionError: [Errno 13] Permission denied: '/srv/app/media/uploads/{hex8}.jpg'" },
	{ C_PERMISSION, 3, "java", R_UPLOAD, 0, SPRING("ERROR", "c.e.shop.media.UploadService            ") "upload {hex8} failed: java.nio.file.AccessDeniedException: /srv/app/uploads/{hex8}.pdf" },
	{ C_PERMISSION, 3, "go", R_NONE, 0, "{slog} level=ERROR msg=\"spool write failed\" err=\"open /var/lib/shop/spool/{hex8}.json: permission denied\"" },
	{ C_PERMISSION, 3, "node", R_UPLOAD, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"EACCES: permission denied, open '/srv/app/uploads/{hex8}.png'\",\"code\":\"EACCES\",\"syscall\":\"open\"},\"msg\":\"upload failed\"}" },
	/* tls */
	{ C_TLS, 5, "python", R_NONE, 0, "{py} ERROR [shop.payments] charge {id} failed: requests.exceptions.SSLError: HTTPSConnectionPool(host='payments.internal', port=443): Max retries exceeded with url: /v1/charges (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)')))" },
	{ C_TLS, 4, "java", R_NONE, 0, SPRING("ERROR", "c.e.shop.payment.PaymentClient          ") "charge {id} failed: I/O error on POST request for \"https://payments.internal/v1/charges\": PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target; nested exception is javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target" },
	{ C_TLS, 5, "go", R_NONE, 0, "{slog} level=ERROR msg=\"payment request failed\" err=\"Post \\\"https://payments.internal/v1/charges\\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time {date}T{time}Z is after {date}T00:00:00Z\"" },
	{ C_TLS, 4, "node", R_NONE, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"certificate has expired\",\"code\":\"CERT_HAS_EXPIRED\"},\"msg\":\"payment request failed\"}" },
	{ C_TLS, 2, "node", R_NONE, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"self-signed certificate in certificate chain\",\"code\":\"SELF_SIGNED_CERT_IN_CHAIN\"},\"msg\":\"payment request failed\"}" },
	/* dns */
	{ C_DNS, 5, "python", R_NONE, 0, "{py} ERROR [shop.payments] charge {id} failed: requests.exceptions.ConnectionError: HTTPSConnectionPool(host='payments.internal', port=443): Max retries exceeded with url: /v1/charges (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f{hex}>: Failed to resolve 'payments.internal' ([Errno -3] Temporary failure in name resolution)\"))" },
	{ C_DNS, 4, "java", R_API, 0, SPRING("ERROR", "c.e.shop.stock.InventoryClient          ") "stock lookup failed for sku {id}: I/O error on GET request for \"http://inventory.internal:8080/api/stock/{id}\": inventory.internal; nested exception is java.net.UnknownHostException: inventory.internal" },
	{ C_DNS, 5, "go", R_API, 0, "{slog} level=ERROR msg=\"upstream request failed\" upstream=inventory err=\"Get \\\"http://inventory.internal:8080/api/stock/{id}\\\": dial tcp: lookup inventory.internal on 10.0.0.2:53: no such host\"" },
	{ C_DNS, 3, "go", R_API, 0, "{slog} level=ERROR msg=\"upstream request failed\" upstream=inventory err=\"Get \\\"http://inventory.internal:8080/api/stock/{id}\\\": dial tcp: lookup inventory.internal on 10.0.0.2:53: read udp 10.0.3.7:{port}->10.0.0.2:53: i/o timeout\"" },
	{ C_DNS, 4, "node", R_API, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"getaddrinfo ENOTFOUND inventory.internal\",\"code\":\"ENOTFOUND\",\"syscall\":\"getaddrinfo\",\"hostname\":\"inventory.internal\"},\"msg\":\"stock lookup failed\"}" },
	{ C_DNS, 2, "node", R_NONE, 0, PINO("50") "\"err\":{\"type\":\"Error\",\"message\":\"getaddrinfo EAI_AGAIN payments.internal\",\"code\":\"EAI_AGAIN\",\"syscall\":\"getaddrinfo\",\"hostname\":\"payments.internal\"},\"msg\":\"payment request failed\"}" },
	/* app-error */
	{ C_APP_ERROR, 8, "python", R_API, 0, "{py} ERROR [django.request] Internal Server Error: {path}\nTraceback (most recent call last):\n  File \"/srv/app/venv/lib/python3.11/site-packages/django/core/handlers/base.py\", line 197, in _get_response\n    response = wrapped_callback(request, *callback_args, **callback_kwargs)\n  File \"/srv/app/shop/orders/views.py\", line {line}, in order_detail\n    return JsonResponse({'id': order.id, 'customer': order.customer.id})\nAttributeError: 'NoneType' object has no attribute 'id'" },
	{ C_APP_ERROR, 4, "python", R_NONE, 0, "{py} ERROR [shop.pricing] price calculation failed for cart {hex8}: TypeError: unsupported operand type(s) for +: 'decimal.Decimal' and 'NoneType'" },
	{ C_APP_ERROR, 8, "java", R_API, 0, SPRING("ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]   ") "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException: Cannot invoke \"com.example.shop.cart.Cart.getItems()\" because \"cart\" is null] with root cause\n\njava.lang.NullPointerException: Cannot invoke \"com.example.shop.cart.Cart.getItems()\" because \"cart\" is null\n\tat com.example.shop.cart.CartService.total(CartService.java:{line})\n\tat com.example.shop.cart.CartController.show(CartController.java:{line2})" },
	{ C_APP_ERROR, 4, "java", R_NONE, 0, SPRING("ERROR", "c.e.shop.checkout.CheckoutService       ") "checkout failed for cart {hex8}: java.lang.IllegalStateException: cart {hex8} has no shipping address" },
	{ C_APP_ERROR, 4, "go", R_API, 0, "{slog} level=INFO msg=\"http: panic serving {ip}:{port}: runtime error: invalid memory address or nil pointer dereference\\ngoroutine {id} [running]:\\nnet/http.(*conn).serve.func1()\\n\\t/usr/local/go/src/net/http/server.go:1947 +0xbe\\npanic({0x9d4e60?, 0xf3a1b0?})\\n\\t/usr/local/go/src/runtime/panic.go:770 +0x132\\nmain.(*api).getOrder(...)\\n\\t/src/cmd/shop/orders.go:{line} +0x2c\"" },
	{ C_APP_ERROR, 6, "node", R_API, 0, PINO("50") "\"err\":{\"type\":\"TypeError\",\"message\":\"Cannot read properties of undefined (reading 'id')\",\"stack\":\"TypeError: Cannot read properties of undefined (reading 'id')\\n    at OrderService.get (/srv/app/dist/services/order.js:{line}:{col})\\n    at async /srv/app/dist/routes/orders.js:{line2}:{col}\"},\"msg\":\"unhandled error\",\"url\":\"{uri}\"}" },
	{ C_APP_ERROR, 5, "laravel", R_PAGE, 0, "[{date} {time}] production.ERROR: Call to a member function {fn}() on null {\"userId\":{uid},\"exception\":\"[object] (Error(code: 0): Call to a member function {fn}() on null at /srv/www/shop/app/Http/Controllers/{ctrl}.php:{line})\n[stacktrace]\n#0 /srv/www/shop/vendor/laravel/framework/src/Illuminate/Routing/Controller.php(54): App\\\\Http\\\\Controllers\\\\{ctrl}->show(Object(Illuminate\\\\Http\\\\Request))\n#1 {main}\n\"} " },
	/* maintenance */
	{ C_MAINTENANCE, 3, "python", R_PAGE, 0, "{py} WARNING [shop.middleware.maintenance] maintenance mode is on, answering 503 to {path}" },
	{ C_MAINTENANCE, 2, "java", R_API, 0, SPRING(" WARN", "c.e.shop.web.MaintenanceFilter          ") "maintenance window active, rejecting {method} {path} with 503" },
	{ C_MAINTENANCE, 3, "go", R_API, 0, "{slog} level=WARN msg=\"maintenance mode: rejecting request\" method={method} path={path} status=503" },
	{ C_MAINTENANCE, 2, "node", R_API, 0, PINO("40") "\"msg\":\"service in maintenance, responding 503\",\"url\":\"{uri}\"}" },
};

/* The php-fpm master's log: only in --format mixed (it is its own file). */
static const struct tmpl fpm_tmpls[] = {
	{ C_UNKNOWN, 6, "NOTICE", R_NONE, 0, "[pool www] child {pid} started" },
	{ C_UNKNOWN, 2, "NOTICE", R_NONE, 0, "[pool www] child {pid} exited with code 0 after {uptime} seconds from start" },
	{ C_UNKNOWN, 1, "NOTICE", R_NONE, 0, "Reloading in progress ..." },
	{ C_UNKNOWN, 1, "NOTICE", R_NONE, 0, "ready to handle connections" },
	{ C_OVERLOAD, 10, "WARNING", R_NONE, 0, "[pool www] server reached pm.max_children setting (50), consider raising it" },
	{ C_OVERLOAD, 5, "WARNING", R_NONE, 0, "[pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning {n} children, there are 0 idle, and {n2} total children" },
	{ C_UPSTREAM_TIMEOUT, 6, "WARNING", R_NONE, 0, "[pool www] child {pid}, script '/srv/www/shop/public/index.php' (request: \"GET /index.php\") execution timed out ({tsec} sec), terminating" },
	{ C_UPSTREAM_TIMEOUT, 4, "WARNING", R_NONE, 0, "[pool www] child {pid}, script '/srv/www/shop/public/index.php' (request: \"POST /index.php\") executing too slow ({slow} sec), logging" },
	{ C_APP_ERROR, 4, "WARNING", R_NONE, 0, "[pool www] child {pid} exited on signal 11 (SIGSEGV - core dumped) after {uptime} seconds from start" },
	{ C_MEMORY, 4, "WARNING", R_NONE, 0, "[pool www] child {pid} exited on signal 9 (SIGKILL) after {uptime} seconds from start" },
	{ C_MEMORY, 2, "WARNING", R_NONE, 0, "[pool www] child {pid} said into stderr: \"PHP message: PHP Fatal error:  Allowed memory size of {memlimit} bytes exhausted (tried to allocate {alloc} bytes) in /srv/www/shop/vendor/{vendor} on line {line}\"" },
	{ C_DB, 4, "WARNING", R_NONE, 0, "[pool www] child {pid} said into stderr: \"PHP message: PDOException: SQLSTATE[HY000] [2002] Connection refused\"" },
	{ C_UPSTREAM_DOWN, 2, "ERROR", R_NONE, 0, "unable to bind listening socket for address '/run/php/php8.2-fpm.sock': Address already in use (98)" },
	{ C_UPSTREAM_DOWN, 2, "ERROR", R_NONE, 0, "FPM initialization failed" },
	{ C_PERMISSION, 2, "ERROR", R_NONE, 0, "failed to open error_log (/var/log/php8.2-fpm.log): Permission denied (13)" },
	{ C_CONFIG, 2, "ERROR", R_NONE, 0, "[/etc/php/8.2/fpm/pool.d/www.conf:{line}] unknown entry 'pm.max_childs'" },
};

/* ------------------------------------------------------------ formats */

enum { F_NGINX, F_APACHE, F_APP, F_FPM, F_COUNT };

struct gen;
struct rec;
typedef char *prefix_fn(struct gen *, const struct rec *, char *);
static prefix_fn prefix_nginx, prefix_apache, prefix_app, prefix_fpm;

static const struct format {
	const char *name;
	const struct tmpl *tmpls;
	size_t ntmpls;
	prefix_fn *prefix;	/* time stamp, level, process: before the text */
	unsigned mix_weight;	/* share of lines in --format mixed */
} formats[F_COUNT] = {
	[F_NGINX] = { "nginx", nginx_tmpls, NELEM(nginx_tmpls), prefix_nginx, 45 },
	[F_APACHE] = { "apache", apache_tmpls, NELEM(apache_tmpls), prefix_apache, 20 },
	[F_APP] = { "app", app_tmpls, NELEM(app_tmpls), prefix_app, 30 },
	[F_FPM] = { "php-fpm", fpm_tmpls, NELEM(fpm_tmpls), prefix_fpm, 3 },
};

/* Dialects of the app format, for {spid}: each service has its own pid. */
static const char *const dialects[] = {
	"python", "gunicorn", "java", "go", "node", "laravel", NULL
};

/* ------------------------------------------------------------ engine */

#define MAX_TMPL	128	/* rows per format table */
#define MAX_ROUTE	16	/* entries per route list */
#define MAX_OPS		8192	/* compiled pieces of all templates */
#define URI_MAX		200	/* "METHOD /path?query" of a route */
#define RECORD_MAX	16384	/* worst case of one record, checked at start */
#define OUT_CAP		(1u << 20)	/* flush stdout in 1 MiB writes */
#define STRAY_PPM	40000	/* background lines that are a stray fault */
#define INCIDENT_RATE	4	/* lines come this many times faster in incidents */
#define MAIN_SHARE_PCT	75	/* incident records of the primary cause */

/* A compiled template is a run of ops: a literal span, or a field. */
enum { OP_LITERAL = 0xffff };
struct op {
	const char *lit;
	uint16_t len, field;
};

struct ctmpl {
	const struct tmpl *src;	/* NULL for a route */
	uint32_t op0, nops;
	uint8_t lines;		/* physical lines it writes */
	uint8_t dialect;
};

/* Weighted choice among some templates of one format. */
struct picker {
	uint32_t n, total;
	uint64_t lines_w;	/* sum of weight * lines: for the mean */
	uint16_t idx[MAX_TMPL];
	uint32_t cum[MAX_TMPL];
};

struct fmt_state {
	struct ctmpl t[MAX_TMPL];
	size_t n;
	bool active;
	/* [0] any template, [1] one-line templates only */
	struct picker noise[2], fault[2], cause[C_COUNT][2];
	uint32_t stray_ppm;	/* background records that are a stray fault */
};

struct options {
	uint64_t seed;
	int format;		/* F_NGINX, F_APACHE, F_APP, or -1: mixed */
	uint64_t lines, bytes;	/* how much: exactly one is used */
	bool by_bytes;
	int64_t start;		/* epoch seconds of the first line */
	uint64_t gap_ns;	/* mean time between lines: 1e9 / --rate */
	uint32_t quiet_ppm;	/* --quiet-share in parts per million */
	const char *truth;
	bool single_line;
};

/* Formatted pieces of one second of time, recomputed when the second moves. */
struct clock {
	int64_t sec;
	char iso[10];		/* 2026-11-27 */
	char slash[10];		/* 2026/11/27 */
	char hms[8];		/* 10:15:02 */
	char apache[10];	/* Fri Nov 27 */
	char year[4];
	char fpm[11];		/* 27-Nov-2026 */
};

/* The phases: quiet (background only), then an incident, and again. */
struct schedule {
	bool incident;
	uint64_t end_ns;		/* when the current phase ends */
	uint64_t incident_ns;		/* length of the coming incident */
	uint64_t gap_quiet, gap_incident;	/* mean ns between lines */
	uint32_t record_ppm;	/* records of an incident that are its own */
	uint8_t primary, secondary;
};

struct gen {
	const struct options *o;
	uint64_t rng;
	struct fmt_state fmt[F_COUNT];
	struct ctmpl routes[R_COUNT][MAX_ROUTE];
	uint8_t nroutes[R_COUNT];
	struct op ops[MAX_OPS];
	size_t nops;
	uint8_t list_n[NELEM(fields)];
	uint32_t incident_ppm;	/* incident lines among all lines */
	uint32_t share_ppm;	/* incident lines among lines in an incident */
	uint64_t bg_lines;	/* mean lines of a background record, x1000 */
	struct schedule sched;
	struct clock clk;
	uint64_t cid;		/* nginx connection number, only grows */
	char recent_ip[16][16];	/* clients come back: reuse a recent address */
	uint8_t recent_len[16];
	unsigned recent_next;
	uint32_t ngx_master, ngx_worker[4];
	uint32_t ap_parent, ap_child[4];
	uint64_t ap_tid[4][6], ap_parent_tid;
	uint32_t svc_pid[NELEM(dialects)];
};

/* One record being written; values drawn for it are kept in the memo. */
struct rec {
	int64_t sec;		/* epoch seconds */
	uint32_t ns;		/* nanoseconds in the second */
	const struct ctmpl *ct;
	uint8_t route;
	bool have_ip, have_req, http2;
	uint64_t set;		/* bit i: val[i] drawn */
	uint64_t val[NELEM(fields)];
	char ip[16];
	uint8_t iplen;
	char req[URI_MAX];	/* "METHOD /path" */
	uint16_t reqlen;
	uint8_t methodlen;
};

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

static bool chance_pct(struct gen *g, unsigned pct)
{
	return rnd_below(g, 100) < pct;
}

/* ------------------------------------------------------------ output */

static char *put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static char *put_str(char *p, const char *s)
{
	return put_mem(p, s, strlen(s));
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* v in exactly `width` digits, zero-padded (and cut, if it had more). */
static char *put_pad(char *p, uint64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

static char *put_hex(char *p, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < width; i++) {
		if (i && i % 16 == 0)	/* longer than one draw: stir for more */
			v = v * 0x9e3779b97f4a7c15u + 0x632be59bd9b4e019u;
		*p++ = digits[v & 15];
		v = (v >> 4) | (v << 60);
	}
	return p;
}

/* ------------------------------------------------------------ time */

static void clock_set(struct clock *c, int64_t sec)
{
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char wday[] = "ThuFriSatSunMonTueWed";	/* from 1970-01-01 */
	int64_t days = sec / 86400, rem = sec % 86400, y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	c->sec = sec;
	put_pad(c->year, (uint64_t)y, 4);	/* years past 9999 wrap */
	memcpy(c->iso, c->year, 4);
	c->iso[4] = '-';
	put_pad(c->iso + 5, m, 2);
	c->iso[7] = '-';
	put_pad(c->iso + 8, d, 2);
	memcpy(c->slash, c->iso, 10);
	c->slash[4] = c->slash[7] = '/';
	put_pad(c->hms, (uint64_t)(rem / 3600), 2);
	c->hms[2] = ':';
	put_pad(c->hms + 3, (uint64_t)(rem / 60 % 60), 2);
	c->hms[5] = ':';
	put_pad(c->hms + 6, (uint64_t)(rem % 60), 2);
	memcpy(c->apache, wday + days % 7 * 3, 3);
	c->apache[3] = ' ';
	memcpy(c->apache + 4, mon + (m - 1) * 3, 3);
	c->apache[7] = ' ';
	put_pad(c->apache + 8, d, 2);
	put_pad(c->fpm, d, 2);
	c->fpm[2] = '-';
	memcpy(c->fpm + 3, mon + (m - 1) * 3, 3);
	c->fpm[6] = '-';
	memcpy(c->fpm + 7, c->year, 4);
}

/* ------------------------------------------------------------ compiling */

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

/* Worst case of what one field writes, for the start-up bound check. */
static size_t field_max(unsigned fi)
{
	const struct field *f = &fields[fi];
	size_t max = 0;

	switch (f->kind) {
	case FK_NUM:
		return 22;
	case FK_HEX:
		return f->width;
	case FK_LIST:
		for (const char *const *s = f->list; *s; s++)
			if (strlen(*s) > max)
				max = strlen(*s);
		return max;
	case FK_SPECIAL:
		return f->lo == SP_URI || f->lo == SP_PATH || f->lo == SP_REQ ? URI_MAX + 16 : 80;
	}
	return 0;
}

static bool table_error(const char *what, const char *msg, const char *name,
			size_t len)
{
	fprintf(stderr, "genlog: internal error: %s: %s {%.*s}\n", what, msg,
		(int)len, name);
	return false;
}

static bool push_op(struct gen *g, const char *lit, size_t len, unsigned field)
{
	if (g->nops == MAX_OPS || len > UINT16_MAX)
		return table_error("templates", "raise MAX_OPS for", "", 0);
	g->ops[g->nops++] = (struct op){ lit, (uint16_t)len, (uint16_t)field };
	return true;
}

/*
 * Appends the ops of `text` to g->ops: literal spans and fields, snippets
 * expanded in place, so the hot loop never parses a template.  Counts the
 * newlines and adds the worst-case length to *max.  A route (route = true)
 * may only use drawn fields: it is expanded while a field is being written.
 */
static bool compile_text(struct gen *g, const char *text, int depth, bool route,
			 const char *what, unsigned *newlines, size_t *max)
{
	const char *lit = text, *s = text;

	while (*s) {
		if (*s != '{') {
			*newlines += *s++ == '\n';
			continue;
		}
		const char *name = s + 1, *e = name;
		while (is_name_char(*e))
			e++;
		size_t len = (size_t)(e - name);
		if (len == 0 || *e != '}' || is_literal_word(name, len)) {
			s++;	/* JSON, a Go stack, PHP's {main}: plain text */
			continue;
		}
		if (s > lit && !push_op(g, lit, (size_t)(s - lit), OP_LITERAL))
			return false;
		*max += (size_t)(s - lit);

		const struct snippet *sn = snippet_find(name, len);
		int fi = field_find(name, len);
		if (sn && !route) {
			if (depth == 4)
				return table_error(what, "snippets nested too deep at", name, len);
			if (!compile_text(g, sn->text, depth + 1, route, what,
					  newlines, max))
				return false;
		} else if (fi >= 0 && !(route && fields[fi].kind == FK_SPECIAL)) {
			if (!push_op(g, NULL, 0, (unsigned)fi))
				return false;
			*max += field_max((unsigned)fi);
		} else {
			return table_error(what, route ? "routes take only drawn fields, not" :
					   "unknown field", name, len);
		}
		s = lit = e + 1;
	}
	if (s > lit && !push_op(g, lit, (size_t)(s - lit), OP_LITERAL))
		return false;
	*max += (size_t)(s - lit);
	return true;
}

static bool compile_tmpl(struct gen *g, struct ctmpl *ct,
			 const struct tmpl *src, const char *text, bool route,
			 const char *what)
{
	unsigned newlines = 0;
	size_t max = 0, limit = route ? URI_MAX : RECORD_MAX / 2;

	ct->src = src;
	ct->op0 = (uint32_t)g->nops;
	if (!compile_text(g, text, 0, route, what, &newlines, &max))
		return false;
	ct->nops = (uint32_t)(g->nops - ct->op0);
	ct->lines = (uint8_t)(1 + newlines);
	ct->dialect = 0;
	/* the output buffer keeps RECORD_MAX free: no bounds check per byte */
	if (max >= limit || newlines > 60)
		return table_error(what, "may be too long:", text, 40);
	return true;
}

/* ------------------------------------------------------------ choosing */

static void picker_add(struct picker *pk, size_t idx, unsigned weight,
		       unsigned lines)
{
	pk->total += weight;
	pk->lines_w += (uint64_t)weight * lines;
	pk->idx[pk->n] = (uint16_t)idx;
	pk->cum[pk->n++] = pk->total;
}

static const struct ctmpl *picker_pick(struct gen *g, const struct fmt_state *fs,
				       const struct picker *pk)
{
	uint32_t lo = 0, hi, r;

	if (pk->total == 0)
		return NULL;
	r = (uint32_t)rnd_below(g, pk->total);
	for (hi = pk->n - 1; lo < hi;) {	/* first cum[i] > r */
		uint32_t mid = (lo + hi) / 2;
		if (pk->cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &fs->t[pk->idx[lo]];
}

/* Whether format f is in use and can write `cause` (C_COUNT: anything). */
static bool format_has(const struct gen *g, int f, unsigned cause)
{
	return g->fmt[f].active && (cause == C_COUNT ||
				    g->fmt[f].cause[cause][g->o->single_line].total);
}

static bool cause_available(const struct gen *g, unsigned cause)
{
	for (int f = 0; f < F_COUNT; f++)
		if (format_has(g, f, cause))
			return true;
	return false;
}

/* A format for the next record, by mix weight, among those with `cause`. */
static int pick_format(struct gen *g, unsigned cause)
{
	unsigned total = 0, r;
	int f;

	if (!cause_available(g, cause))
		cause = C_COUNT;
	for (f = 0; f < F_COUNT; f++)
		if (format_has(g, f, cause))
			total += formats[f].mix_weight;
	r = (unsigned)rnd_below(g, total);
	for (f = 0; f < F_COUNT - 1; f++) {
		if (!format_has(g, f, cause))
			continue;
		if (r < formats[f].mix_weight)
			break;
		r -= formats[f].mix_weight;
	}
	return f;
}

/* Which template writes the next record; returns its format. */
static int choose(struct gen *g, struct rec *r, uint64_t lines_left)
{
	const struct schedule *s = &g->sched;
	int mode = g->o->single_line, f;
	const struct fmt_state *fs;
	const struct ctmpl *ct;

	if (s->incident && rnd_below(g, 1000000) < s->record_ppm) {
		unsigned cause = s->primary;
		if (s->secondary != C_UNKNOWN && !chance_pct(g, MAIN_SHARE_PCT))
			cause = s->secondary;
		f = pick_format(g, cause);
		fs = &g->fmt[f];
		ct = picker_pick(g, fs, &fs->cause[cause][mode]);
	} else {
		f = pick_format(g, C_COUNT);
		fs = &g->fmt[f];
		ct = picker_pick(g, fs, rnd_below(g, 1000000) < fs->stray_ppm ?
				 &fs->fault[mode] : &fs->noise[mode]);
	}
	if (ct == NULL)
		ct = picker_pick(g, fs, &fs->noise[1]);
	if (ct->lines > lines_left) {	/* --lines N: the last one must fit */
		ct = picker_pick(g, fs, &fs->cause[ct->src->cause][1]);
		if (ct == NULL)
			ct = picker_pick(g, fs, &fs->noise[1]);
	}
	r->ct = ct;
	r->route = ct->src->route;
	return f;
}

/* ------------------------------------------------------------ writing */

static char *emit_ops(struct gen *g, struct rec *r, const struct ctmpl *ct,
		      char *p);

static void rec_ip(struct gen *g, struct rec *r)
{
	unsigned slot, k;
	char *p = r->ip;

	if (r->have_ip)
		return;
	r->have_ip = true;
	slot = (unsigned)rnd_below(g, NELEM(g->recent_ip));
	if (g->recent_len[slot] && chance_pct(g, 30)) {	/* a client returns */
		r->iplen = g->recent_len[slot];
		memcpy(r->ip, g->recent_ip[slot], r->iplen);
		return;
	}
	k = (unsigned)rnd_below(g, 100);	/* documentation ranges, and 10/8 */
	if (k < 40)
		p = put_str(p, "203.0.113.");
	else if (k < 65)
		p = put_str(p, "198.51.100.");
	else if (k < 85)
		p = put_str(p, "192.0.2.");
	else {
		p = put_u64(put_str(p, "10."), rnd_below(g, 256));
		p = put_u64(put_str(p, "."), rnd_below(g, 256));
		*p++ = '.';
	}
	p = put_u64(p, 1 + rnd_below(g, 254));
	r->iplen = (uint8_t)(p - r->ip);
	slot = g->recent_next++ % NELEM(g->recent_ip);
	memcpy(g->recent_ip[slot], r->ip, r->iplen);
	g->recent_len[slot] = r->iplen;
}

/* Draws the request of the record's route, once. */
static void rec_req(struct gen *g, struct rec *r)
{
	unsigned route = r->route == R_NONE ? R_PAGE : r->route;
	const struct ctmpl *ct;
	const char *sp;

	if (r->have_req)
		return;
	r->have_req = true;
	ct = &g->routes[route][rnd_below(g, g->nroutes[route])];
	r->reqlen = (uint16_t)(emit_ops(g, r, ct, r->req) - r->req);
	sp = memchr(r->req, ' ', r->reqlen);
	r->methodlen = (uint8_t)(sp - r->req);
}

static const char *vhost(unsigned route)
{
	return route == R_API ? "api.shop.example" :
	       route == R_ADMIN ? "admin.shop.example" : "shop.example";
}

static char *put_referrer(struct gen *g, const struct rec *r, char *p,
			  const char *lead, const char *quote)
{
	if (r->route != R_PAGE && r->route != R_ASSET && r->route != R_MISS)
		return p;
	if (!chance_pct(g, 30))
		return p;
	p = put_str(put_str(p, lead), quote);
	p = put_str(p, referrers[rnd_below(g, NELEM(referrers) - 1)]);
	return put_str(p, quote);
}

static char *emit_special(struct gen *g, struct rec *r, uint64_t which, char *p)
{
	char buf[32], *e;
	uint64_t a, b;

	switch (which) {
	case SP_DATE:
		return put_mem(p, g->clk.iso, 10);
	case SP_TIME:
		return put_mem(p, g->clk.hms, 8);
	case SP_MSEC:
		return put_pad(p, r->ns / 1000000, 3);
	case SP_USEC:
		return put_pad(p, r->ns / 1000, 6);
	case SP_IP:
		rec_ip(g, r);
		return put_mem(p, r->ip, r->iplen);
	case SP_METHOD:
		rec_req(g, r);
		return put_mem(p, r->req, r->methodlen);
	case SP_URI:
		rec_req(g, r);
		return put_mem(p, r->req + r->methodlen + 1,
			       (size_t)(r->reqlen - r->methodlen - 1));
	case SP_PATH:
		rec_req(g, r);
		a = r->methodlen + 1u;
		for (b = a; b < r->reqlen && r->req[b] != '?'; b++)
			;
		return put_mem(p, r->req + a, (size_t)(b - a));
	case SP_REQ:
		rec_req(g, r);
		p = put_mem(p, r->req, r->reqlen);
		return put_str(p, r->http2 ? " HTTP/2.0" : " HTTP/1.1");
	case SP_VHOST:
		return put_str(p, vhost(r->route));
	case SP_HOST:	/* scanners often ask for the address, not the name */
		if ((r->route == R_PROBE || r->route == R_SCRIPT) &&
		    chance_pct(g, 40))
			return put_str(p, "198.51.100.80");
		return put_str(p, vhost(r->route));
	case SP_REF:
		return put_referrer(g, r, p, ", referrer: ", "\"");
	case SP_AREF:
		return put_referrer(g, r, p, ", referer: ", "");
	case SP_SPID:
		return put_u64(p, g->svc_pid[r->ct->dialect]);
	case SP_JTHREAD:	/* %15.15t keeps the last 15 characters */
		e = put_u64(put_str(buf, "nio-8080-exec-"), 1 + rnd_below(g, 200));
		return e - buf > 15 ? put_mem(p, e - 15, 15) :
				      put_mem(p, buf, (size_t)(e - buf));
	case SP_UUID:
		a = rnd(g);
		b = rnd(g);
		p = put_hex(p, a, 8);
		p = put_hex(put_str(p, "-"), a >> 32, 4);
		p = put_hex(put_str(p, "-4"), a >> 48, 3);
		p = put_hex(put_str(p, "-a"), b, 3);
		return put_hex(put_str(p, "-"), b >> 12, 12);
	}
	return p;
}

static char *emit_field(struct gen *g, struct rec *r, unsigned fi, char *p)
{
	const struct field *f = &fields[fi];
	uint64_t v, scale = 1;

	if (f->kind == FK_SPECIAL)
		return emit_special(g, r, f->lo, p);
	if (!(r->set >> fi & 1)) {
		r->val[fi] = f->kind == FK_NUM ? f->lo + rnd_below(g, f->hi - f->lo + 1) :
			     f->kind == FK_LIST ? rnd_below(g, g->list_n[fi]) : rnd(g);
		r->set |= UINT64_C(1) << fi;
	}
	v = r->val[fi];
	switch (f->kind) {
	case FK_NUM:
		if (f->dec) {
			for (int i = 0; i < f->dec; i++)
				scale *= 10;
			p = put_u64(p, v / scale);
			*p++ = '.';
			return put_pad(p, v % scale, f->dec);
		}
		return f->width ? put_pad(p, v, f->width) : put_u64(p, v);
	case FK_HEX:
		return put_hex(p, v, f->width);
	case FK_LIST:
		return put_str(p, f->list[v]);
	case FK_SPECIAL:
		break;
	}
	return p;
}

static char *emit_ops(struct gen *g, struct rec *r, const struct ctmpl *ct,
		      char *p)
{
	const struct op *op = g->ops + ct->op0, *end = op + ct->nops;

	for (; op < end; op++)
		p = op->field == OP_LITERAL ? put_mem(p, op->lit, op->len) :
					      emit_field(g, r, op->field, p);
	return p;
}

/* 2026/11/27 10:15:02 [error] 811#811: *4411 */
static char *prefix_nginx(struct gen *g, const struct rec *r, char *p)
{
	const struct tmpl *t = r->ct->src;
	const struct clock *c = &g->clk;
	struct clock late;
	uint32_t pid;

	/*
	 * Workers cache the time between events, so now and then a line
	 * carries the second before the lines around it.
	 */
	if (rnd_below(g, 200) == 0 && r->sec > g->o->start) {
		clock_set(&late, r->sec - 1);
		c = &late;
	}
	p = put_mem(put_mem(p, c->slash, 10), " ", 1);
	p = put_str(put_str(put_mem(p, c->hms, 8), " ["), t->tag);
	pid = t->flags & T_MASTER ? g->ngx_master : g->ngx_worker[rnd_below(g, 4)];
	p = put_u64(put_str(p, "] "), pid);
	p = put_str(put_u64(put_str(p, "#"), pid), ": ");
	if (!(t->flags & (T_MASTER | T_NOCONN))) {
		g->cid += 1 + rnd_below(g, 24);
		p = put_str(put_u64(put_str(p, "*"), g->cid), " ");
	}
	return p;
}

/* [Fri Nov 27 10:15:02.123456 2026] [proxy_fcgi:error] [pid 811:tid 1402…] */
static char *prefix_apache(struct gen *g, const struct rec *r, char *p)
{
	const struct tmpl *t = r->ct->src;
	unsigned child = (unsigned)rnd_below(g, 4);
	bool master = t->flags & T_MASTER;

	p = put_mem(put_str(p, "["), g->clk.apache, 10);
	p = put_mem(put_str(p, " "), g->clk.hms, 8);
	p = put_pad(put_str(p, "."), r->ns / 1000, 6);
	p = put_mem(put_str(p, " "), g->clk.year, 4);
	p = put_str(put_str(put_str(p, "] ["), t->tag), "] [pid ");
	p = put_u64(p, master ? g->ap_parent : g->ap_child[child]);
	p = put_u64(put_str(p, ":tid "),
		    master ? g->ap_parent_tid : g->ap_tid[child][rnd_below(g, 6)]);
	return put_str(p, "] ");
}

/* [27-Nov-2026 10:15:02] WARNING: */
static char *prefix_fpm(struct gen *g, const struct rec *r, char *p)
{
	p = put_mem(put_str(p, "["), g->clk.fpm, 11);
	p = put_mem(put_str(p, " "), g->clk.hms, 8);
	return put_str(put_str(put_str(p, "] "), r->ct->src->tag), ": ");
}

/* Application lines carry their own prefix in the template. */
static char *prefix_app(struct gen *g, const struct rec *r, char *p)
{
	(void)g;
	(void)r;
	return p;
}

/* ------------------------------------------------------------ time line */

/* Mean lines of a record from this picker, x1000. */
static uint64_t picker_mean(const struct picker *pk)
{
	return pk->total ? pk->lines_w * 1000 / pk->total : 1000;
}

/* Mean lines of a record of `cause`, over the formats that can write it. */
static uint64_t mean_lines(const struct gen *g, unsigned cause)
{
	uint64_t sum = 0, weight = 0;

	for (int f = 0; f < F_COUNT; f++) {
		const struct picker *pk = &g->fmt[f].cause[cause][g->o->single_line];
		if (g->fmt[f].active && pk->total) {
			sum += formats[f].mix_weight * picker_mean(pk);
			weight += formats[f].mix_weight;
		}
	}
	return weight ? sum / weight : 1000;
}

/*
 * The gap to the next line: exponential-like with the given mean, from
 * integers only.  k, the count of trailing one bits, is geometric with
 * P(k) = 2^-(k+1) (mean 1); adding a uniform fraction gives mean 1.5,
 * hence the division by 1.5 * 65536.
 */
static uint64_t gap_draw(struct gen *g, uint64_t mean)
{
	uint64_t r = rnd(g), k = 0;

	while (k < 20 && (r & 1)) {
		k++;
		r >>= 1;
	}
	return mean * (k * 65536 + ((r >> 21) & 0xffff)) / 98304;
}

/* Starts a quiet phase and plans the incident that follows it. */
static void sched_quiet(struct gen *g, uint64_t now, bool first)
{
	struct schedule *s = &g->sched;
	uint64_t q = g->incident_ppm;
	uint64_t incident_ms, quiet_ms, f16;

	s->incident = false;
	s->gap_quiet = s->gap_incident = g->o->gap_ns;
	s->end_ns = UINT64_MAX;
	if (q == 0)
		return;
	incident_ms = 45000 + rnd_below(g, 195001);	/* 45 s to 4 min */
	/*
	 * Lines come INCIDENT_RATE times faster in an incident and share_ppm
	 * of them are incident lines.  For incident lines to be q of all:
	 *   share * R * D / (Q + R * D) = q   =>   Q = R * D * (share - q) / q
	 * clamped at ~30 years so that the ratio below stays in 64 bits.
	 */
	quiet_ms = INCIDENT_RATE * incident_ms * (g->share_ppm - q) / q;
	if (quiet_ms > UINT64_C(1000000000000))
		quiet_ms = UINT64_C(1000000000000);
	/* and a cycle as a whole averages --rate: Q + R*D lines in Q + D */
	f16 = ((quiet_ms + INCIDENT_RATE * incident_ms) << 16) /
	      (quiet_ms + incident_ms);
	s->gap_quiet = g->o->gap_ns * f16 >> 16;
	s->gap_incident = s->gap_quiet / INCIDENT_RATE + 1;
	if (first)	/* a short first lull: even a small log has an incident */
		quiet_ms = quiet_ms * (10 + rnd_below(g, 41)) / 100;
	s->incident_ns = incident_ms * 1000000;
	s->end_ns = now + quiet_ms * 1000000;
}

static void sched_incident(struct gen *g, uint64_t now)
{
	struct schedule *s = &g->sched;
	unsigned total = 0, r;
	size_t i;

	for (i = 0; i < NELEM(incident_kinds); i++)
		if (cause_available(g, incident_kinds[i].primary))
			total += incident_kinds[i].weight;
	if (total == 0) {	/* nothing this format can fail with: stay quiet */
		s->end_ns = UINT64_MAX;
		return;
	}
	r = (unsigned)rnd_below(g, total);
	for (i = 0; i < NELEM(incident_kinds); i++) {
		if (!cause_available(g, incident_kinds[i].primary))
			continue;
		if (r < incident_kinds[i].weight)
			break;
		r -= incident_kinds[i].weight;
	}
	s->primary = incident_kinds[i].primary;
	s->secondary = incident_kinds[i].secondary;
	if (!cause_available(g, s->secondary))
		s->secondary = C_UNKNOWN;
	/*
	 * share_ppm is a share of lines, and the lines of a record depend on
	 * its template (a traceback is ten): weigh the draw per record by the
	 * mean lines of an incident record and of a background one.
	 */
	uint64_t inc = mean_lines(g, s->primary), sh = g->share_ppm;
	if (s->secondary != C_UNKNOWN)
		inc = (inc * MAIN_SHARE_PCT +
		       mean_lines(g, s->secondary) * (100 - MAIN_SHARE_PCT)) / 100;
	s->record_ppm = (uint32_t)(sh * g->bg_lines * 1000000 /
				   (sh * g->bg_lines + (1000000 - sh) * inc));
	s->incident = true;
	s->end_ns = now + s->incident_ns;
}

/* ------------------------------------------------------------ set-up */

static bool gen_init(struct gen *g, const struct options *o)
{
	g->o = o;
	g->rng = o->seed;
	g->clk.sec = INT64_MIN;
	for (size_t i = 0; i < NELEM(fields); i++)
		for (const char *const *s = fields[i].list; s && *s; s++)
			g->list_n[i]++;
	for (int r = 0; r < R_COUNT; r++) {
		for (const char *const *s = route_lists[r]; s && *s; s++) {
			if (g->nroutes[r] == MAX_ROUTE || !strchr(*s, ' '))
				return table_error("route", "bad entry or raise MAX_ROUTE", *s, strlen(*s));
			if (!compile_tmpl(g, &g->routes[r][g->nroutes[r]++], NULL, *s, true, *s))
				return false;
		}
	}
	/* every table is compiled, so that a bad row fails on any run */
	for (int f = 0; f < F_COUNT; f++) {
		struct fmt_state *fs = &g->fmt[f];
		const struct format *fm = &formats[f];

		fs->active = o->format < 0 || o->format == f;
		if (fm->ntmpls > MAX_TMPL)
			return table_error(fm->name, "raise MAX_TMPL for", "", 0);
		for (size_t i = 0; i < fm->ntmpls; i++) {
			const struct tmpl *t = &fm->tmpls[i];
			struct ctmpl *ct = &fs->t[fs->n++];
			bool one = false;

			if (!compile_tmpl(g, ct, t, t->text, false, fm->name))
				return false;
			if (f == F_APP) {
				while (dialects[ct->dialect] && strcmp(dialects[ct->dialect], t->tag))
					ct->dialect++;
				if (!dialects[ct->dialect])
					return table_error(fm->name, "unknown dialect", t->tag, strlen(t->tag));
			}
			do {	/* [0]: every row; [1]: one-line rows */
				picker_add(&fs->cause[t->cause][one], i, t->weight, ct->lines);
				picker_add(t->cause <= C_CLIENT ? &fs->noise[one] : &fs->fault[one],
					   i, t->weight, ct->lines);
				one = !one;
			} while (one && ct->lines == 1);
		}
		if (fs->noise[1].total == 0)
			return table_error(fm->name, "needs one-line noise", "", 0);
	}
	/*
	 * --quiet-share P is the share of lines that are noise.  Background
	 * lines are noise but for `stray` (a fault now and then, as on any
	 * day), so incident lines are q = 1 - P / (1 - stray) of all; and an
	 * incident is at least 90 % its own lines.  The draws are per record,
	 * and a record's lines depend on its template: the stray share of
	 * records is weighed by the mean lines of noise and fault records.
	 */
	uint64_t stray = 1000000 - o->quiet_ppm < STRAY_PPM ? 1000000 - o->quiet_ppm : STRAY_PPM;
	uint64_t bg_sum = 0, bg_weight = 0;
	g->incident_ppm = (uint32_t)(1000000 - (uint64_t)o->quiet_ppm * 1000000 / (1000000 - stray));
	g->share_ppm = g->incident_ppm > 900000 ? g->incident_ppm : 900000;
	for (int f = 0; f < F_COUNT; f++) {
		struct fmt_state *fs = &g->fmt[f];
		uint64_t en = picker_mean(&fs->noise[o->single_line]);
		uint64_t ef = picker_mean(&fs->fault[o->single_line]);

		fs->stray_ppm = (uint32_t)(stray * en * 1000000 / (stray * en + (1000000 - stray) * ef));
		if (fs->active) {
			bg_sum += formats[f].mix_weight *
				  ((fs->stray_ppm * ef + (1000000 - fs->stray_ppm) * en) / 1000000);
			bg_weight += formats[f].mix_weight;
		}
	}
	g->bg_lines = bg_sum / bg_weight;
	g->ngx_master = 700 + (uint32_t)rnd_below(g, 3000);
	g->ap_parent = 700 + (uint32_t)rnd_below(g, 3000);
	for (int i = 0; i < 4; i++) {
		g->ngx_worker[i] = g->ngx_master + 1 + (uint32_t)i;
		g->ap_child[i] = g->ap_parent + 1 + (uint32_t)rnd_below(g, 30000);
		for (int t = 0; t < 6; t++)	/* pthread_t: a 0x7f… address */
			g->ap_tid[i][t] = UINT64_C(0x7f0000000000) +
					  (rnd_below(g, UINT64_C(1) << 28) << 12);
	}
	g->ap_parent_tid = UINT64_C(0x7f0000000000) + (rnd_below(g, UINT64_C(1) << 28) << 12);
	for (size_t d = 0; d < NELEM(g->svc_pid); d++)
		g->svc_pid[d] = 1000 + (uint32_t)rnd_below(g, 60000);
	g->cid = 1000 + rnd_below(g, 1000000);
	return true;
}

/* ------------------------------------------------------------ main loop */

static bool write_all(FILE *f, const char *buf, size_t *len, const char *name)
{
	if (*len && fwrite(buf, 1, *len, f) != *len) {
		fprintf(stderr, "genlog: %s: %s\n", name, strerror(errno));
		return false;
	}
	*len = 0;
	return true;
}

static enum status run(struct gen *g, FILE *truth)
{
	const struct options *o = g->o;
	char *out = malloc(OUT_CAP + RECORD_MAX);
	char *tbuf = malloc(OUT_CAP + RECORD_MAX);
	size_t olen = 0, tlen = 0;
	uint64_t lines = 0, bytes = 0, now = 0;
	enum status st = ST_OK;
	struct rec r;

	if (!out || !tbuf) {
		fprintf(stderr, "genlog: out of memory\n");
		st = ST_FAIL;
		goto out;
	}
	sched_quiet(g, 0, true);
	while (o->by_bytes ? bytes < o->bytes : lines < o->lines) {
		while (now >= g->sched.end_ns) {
			if (g->sched.incident)
				sched_quiet(g, now, false);
			else
				sched_incident(g, now);
		}
		r.sec = o->start + (int64_t)(now / 1000000000);
		r.ns = (uint32_t)(now % 1000000000);
		r.set = 0;
		r.have_ip = r.have_req = false;
		r.http2 = chance_pct(g, 30);
		int f = choose(g, &r, o->by_bytes ? UINT64_MAX : o->lines - lines);
		if (g->clk.sec != r.sec)
			clock_set(&g->clk, r.sec);

		char *start = out + olen, *p = start;
		p = formats[f].prefix(g, &r, p);
		p = emit_ops(g, &r, r.ct, p);
		*p++ = '\n';
		olen += (size_t)(p - start);
		bytes += (uint64_t)(p - start);
		lines += r.ct->lines;
		if (truth) {	/* continuation lines: "+cause" */
			const char *name = cause_names[r.ct->src->cause];
			char *t = tbuf + tlen;
			t = put_str(put_str(t, name), "\n");
			for (unsigned i = 1; i < r.ct->lines; i++)
				t = put_str(put_str(put_str(t, "+"), name), "\n");
			tlen = (size_t)(t - tbuf);
			if (tlen >= OUT_CAP && !write_all(truth, tbuf, &tlen, o->truth)) {
				st = ST_FAIL;
				goto out;
			}
		}
		if (olen >= OUT_CAP && !write_all(stdout, out, &olen, "stdout")) {
			st = ST_FAIL;
			goto out;
		}
		now += gap_draw(g, g->sched.incident ? g->sched.gap_incident :
						      g->sched.gap_quiet) * r.ct->lines;
	}
	if (!write_all(stdout, out, &olen, "stdout") ||
	    (truth && !write_all(truth, tbuf, &tlen, o->truth)))
		st = ST_FAIL;
out:
	free(out);
	free(tbuf);
	return st;
}

/* ------------------------------------------------------------ options */

static const char usage_text[] =
	"usage: genlog [--seed N] [--format nginx|apache|app|mixed] [--lines N | --bytes N]\n"
	"              [--start 'YYYY-MM-DD HH:MM:SS'] [--rate LINES_PER_SEC]\n"
	"              [--quiet-share P] [--truth FILE] [--single-line]\n";

static const char help_text[] =
	"Write a deterministic, realistic web-server error log to stdout.\n"
	"\n"
	"  --seed N           seed of the generator (default 1); same arguments, same bytes\n"
	"  --format F         nginx (default), apache, app (Python, Java, Go, Node, Laravel\n"
	"                     services in one stream) or mixed (all three, and php-fpm)\n"
	"  --lines N          write N lines (default 100000); k, M, G multiply by 1000\n"
	"  --bytes N          write N bytes, to the end of the record; k, M, G are 1024-based\n"
	"  --start TIME       time of the first line (default '2026-11-27 09:00:00')\n"
	"  --rate R           lines per second on average (default 200)\n"
	"  --quiet-share P    share of lines that are background noise rather than\n"
	"                     incident lines, 0 to 1 (default 0.7)\n"
	"  --truth FILE       write the cause of every line to FILE, one per line;\n"
	"                     a line continuing a multi-line record is \"+cause\"\n"
	"  --single-line      no multi-line records (stack traces, tracebacks)\n"
	"  --help             print this help\n";

/* "genlog: [OPT: ]MSG[ 'ARG'][, expected WANT]" and the usage, on stderr */
static int usage_error(const char *opt, const char *msg, const char *arg,
		       const char *want)
{
	fprintf(stderr, "genlog: %s%s%s%s%s%s%s%s\n", opt ? opt : "",
		opt ? ": " : "", msg, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "", want ? ", expected " : "", want ? want : "");
	fputs(usage_text, stderr);
	return -1;
}

/* Returns 0 to run, 1 after --help, -1 on a usage error. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const char *const names[] = {
		"--seed", "--format", "--lines", "--bytes", "--start", "--rate",
		"--quiet-share", "--truth", "--single-line", "--help", NULL
	};
	double d;

	*o = (struct options){ .seed = 1, .format = F_NGINX, .lines = 100000,
			       .gap_ns = 5000000, .quiet_ppm = 700000 };
	parse_start("2026-11-27 09:00:00", &o->start);
	bool have_lines = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '='), *val = NULL;
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		int opt = 0;

		while (names[opt] && !name_is(names[opt], arg, len))
			opt++;
		if (strncmp(arg, "--", 2) != 0)
			return usage_error(NULL, "unexpected argument", arg, NULL);
		if (!names[opt])
			return usage_error(NULL, "unknown option", arg, NULL);
		const char *name = names[opt];
		if (opt < 8) {	/* the options that take a value */
			val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
			if (!val)
				return usage_error(name, "missing value", NULL, NULL);
		} else if (eq) {
			return usage_error(name, "takes no value", NULL, NULL);
		}
		switch (opt) {
		case 0:
			if (!parse_count(val, 0, &o->seed))
				return usage_error(name, "invalid seed", val, "0 to 18446744073709551615");
			break;
		case 1:
			o->format = !strcmp(val, "nginx") ? F_NGINX :
				    !strcmp(val, "apache") ? F_APACHE :
				    !strcmp(val, "app") ? F_APP :
				    !strcmp(val, "mixed") ? -1 : -2;
			if (o->format == -2)
				return usage_error(name, "unknown format", val, "nginx, apache, app or mixed");
			break;
		case 2:
		case 3:
			if (!parse_count(val, opt == 2 ? 1000 : 1024,
					 opt == 2 ? &o->lines : &o->bytes))
				return usage_error(name, "invalid count", val, "digits and an optional k, M or G");
			if (opt == 2)
				have_lines = true;
			else
				o->by_bytes = true;
			break;
		case 4:
			if (!parse_start(val, &o->start))
				return usage_error(name, "invalid time", val, "'YYYY-MM-DD HH:MM:SS' from 1970 on");
			break;
		case 5:	/* strtod, then integers only: the same bytes everywhere */
			if (!parse_real(val, 0.001, 1e7, &d))
				return usage_error(name, "invalid rate", val, "0.001 to 10000000");
			o->gap_ns = (uint64_t)(1e9 / d + 0.5);
			break;
		case 6:
			if (!parse_real(val, 0, 1, &d))
				return usage_error(name, "invalid share", val, "0 to 1");
			o->quiet_ppm = (uint32_t)(d * 1e6 + 0.5);
			break;
		case 7:
			o->truth = val;
			break;
		case 8:
			o->single_line = true;
			break;
		case 9:
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return 1;
		}
	}
	if (have_lines && o->by_bytes)
		return usage_error(NULL, "--lines and --bytes exclude each other", NULL, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct gen *g;
	FILE *truth = NULL;
	enum status st;
	int rc = parse_options(argc, argv, &o);

	if (rc)
		return rc > 0 ? ST_OK : ST_USAGE;
	if (o.truth && !(truth = fopen(o.truth, "w"))) {
		fprintf(stderr, "genlog: %s: %s\n", o.truth, strerror(errno));
		return ST_USAGE;
	}
	/* our 1 MiB buffer is the buffer: no second copy in stdio */
	setvbuf(stdout, NULL, _IONBF, 0);
	g = calloc(1, sizeof *g);
	if (!g) {
		fprintf(stderr, "genlog: out of memory\n");
		st = ST_FAIL;
	} else {
		st = gen_init(g, &o) ? run(g, truth) : ST_FAIL;
	}
	if (truth && fclose(truth) != 0 && st == ST_OK) {
		fprintf(stderr, "genlog: %s: %s\n", o.truth, strerror(errno));
		st = ST_FAIL;
	}
	free(g);
	return (int)st;
}
