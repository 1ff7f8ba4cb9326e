/*
 * main: the `gazette` command, like Django's manage.py: one binary that
 * serves the site and runs its management commands.  Each command is a
 * row in one table with its usage text; options are parsed per command
 * and anything unknown is refused with exit status 2.
 */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/admin.h"
#include "core/api.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/migrate.h"
#include "core/model.h"
#include "core/password.h"
#include "core/render.h"
#include "core/router.h"
#include "core/server.h"
#include "core/session.h"
#include "core/util.h"
#include "core/worker.h"
#include "site/ops.h"
#include "site/site.h"

#ifndef GAZETTE_VERSION
#define GAZETTE_VERSION	"0.1.0"
#endif

#define EXIT_USAGE	2

struct command {
	const char	*name;
	int		(*run)(struct config *, int, char **);
	const char	*summary;
	const char	*usage;		/* options, one per line */
};

static int	 cmd_serve(struct config *, int, char **);
static int	 cmd_worker(struct config *, int, char **);
static int	 cmd_migrate(struct config *, int, char **);
static int	 cmd_seed(struct config *, int, char **);
static int	 cmd_check(struct config *, int, char **);
static int	 cmd_createsuperuser(struct config *, int, char **);
static int	 cmd_changepassword(struct config *, int, char **);
static int	 cmd_clearsessions(struct config *, int, char **);
static const struct command *command_named(const char *);
static int	 cmd_backup(struct config *, int, char **);
static int	 cmd_restore(struct config *, int, char **);
static int	 cmd_dumpdata(struct config *, int, char **);
static int	 cmd_loaddata(struct config *, int, char **);
static int	 cmd_stats(struct config *, int, char **);
static int	 cmd_createtoken(struct config *, int, char **);
static int	 cmd_sendtestemail(struct config *, int, char **);

static const struct command commands[] = {
	{ "serve", cmd_serve, "run the FastCGI server (master and workers)",
	    "Listens on the configured unix socket (or fd 0 / systemd's fd 3)\n"
	    "and serves until SIGTERM.  SIGHUP reloads the configuration.\n"
	    "Refuses to start while migrations are pending.\n" },
	{ "worker", cmd_worker, "run background jobs (the job queue's worker)",
	    "Claims due jobs from the database one at a time per process, runs\n"
	    "them, retries failures with backoff and schedules the periodic\n"
	    "jobs (expired sessions, trash purge, publication notices, nightly\n"
	    "backup).  Run it beside 'serve', on the same configuration; any\n"
	    "number may run at once.  SIGTERM: no new claims, the jobs in hand\n"
	    "finish, exit 0.  Refuses to start while migrations are pending.\n"
	    "  --concurrency N   jobs run at once: N worker processes under a\n"
	    "                    master that restarts any that dies (default 1:\n"
	    "                    one process, no master; max 64)\n"
	    "  --once            run the jobs due now, then exit (for cron and\n"
	    "                    tests)\n" },
	{ "migrate", cmd_migrate, "apply pending database migrations",
	    "  --list    show every migration as [X] applied or [ ] pending\n" },
	{ "seed", cmd_seed, "add deterministic demo content",
	    "Eight authors, fifteen tags, the pages about, contact and\n"
	    "privacy, and N articles across eight years, each with an author,\n"
	    "one to three tags and, for every third, a thread of comments.\n"
	    "  --articles N   how many demo articles (default 30, max 1000000);\n"
	    "                 what is already present is kept, not doubled\n" },
	{ "check", cmd_check, "check the configuration and the installation",
	    "Checks paths, templates, migrations, database and secret file,\n"
	    "and prints the effective configuration with --print.\n"
	    "  --print      print every setting as it is in effect\n"
	    "  --deploy     also audit the deployment, like Django's check\n"
	    "               --deploy: build and log level, the secret's\n"
	    "               strength and mode, TLS and HSTS, sign-up and\n"
	    "               comment settings, modes of the database, its\n"
	    "               directory and the secret; then GET / and\n"
	    "               /accounts/login/ through nginx to see the\n"
	    "               security headers and cookie flags that reach\n"
	    "               clients.  One OK/WARNING/ERROR line each; exit 1\n"
	    "               on any ERROR\n"
	    "  --url URL    the site to request (default: site_url)\n"
	    "  --offline    make no request\n" },
	{ "createsuperuser", cmd_createsuperuser,
	    "create a superuser (staff, all permissions)",
	    "Asks for what is missing on a terminal (the password without echo).\n"
	    "  --username NAME    the username (letters, digits, @.+-_)\n"
	    "  --email ADDRESS    the email address\n"
	    "  --password-stdin   read the password from the first line of\n"
	    "                     standard input (for scripts)\n" },
	{ "changepassword", cmd_changepassword,
	    "set a user's password and end their sessions",
	    "usage: gazette changepassword [--password-stdin] USER\n"
	    "  --password-stdin   read the password from standard input\n" },
	{ "clearsessions", cmd_clearsessions,
	    "delete expired sessions and old throttle records",
	    "Safe to run at any time, for example daily from cron.\n" },
	{ "backup", cmd_backup, "copy the live database to FILE",
	    "usage: gazette backup [--force] FILE\n"
	    "SQLite's online backup, in small steps inside one read\n"
	    "transaction: the site keeps serving and writing, and FILE is\n"
	    "the database as it was when the backup began.  The copy is\n"
	    "checked (integrity_check) before it is moved into place; the\n"
	    "size and the rows of each model are printed.\n"
	    "  --force   replace FILE if it exists\n" },
	{ "restore", cmd_restore, "replace the database with a backup",
	    "usage: gazette restore [--force] FILE\n"
	    "Stop the service first (systemctl stop gazette): restore\n"
	    "refuses while a server answers on the configured socket.\n"
	    "FILE must pass integrity_check and be a Gazette database with\n"
	    "no migration this gazette does not know.  The current\n"
	    "database is saved to DATABASE.before-restore first, then\n"
	    "FILE is copied in in one transaction.\n"
	    "  --force   restore even while a server is running\n" },
	{ "dumpdata", cmd_dumpdata, "write rows as JSON",
	    "usage: gazette dumpdata [--output FILE] [MODEL...]\n"
	    "A JSON array of {\"model\", \"pk\", \"fields\"} objects, one\n"
	    "a line, of the models named (default: all of article, tag,\n"
	    "comment, user, group, permission), from one snapshot.  Fields\n"
	    "are stored values: datetimes as Unix seconds (UTC), booleans\n"
	    "true/false, many-to-many fields as id arrays; users' password\n"
	    "hashes are included (as Django does), two-factor secrets not.\n"
	    "A progress line on standard error when it is a terminal.\n"
	    "  --output FILE   write to FILE instead of standard output\n" },
	{ "loaddata", cmd_loaddata, "load rows that dumpdata wrote",
	    "usage: gazette loaddata FILE     (FILE '-': standard input)\n"
	    "Every object is checked against the model's fields and\n"
	    "inserted, or updated when its pk exists; many-to-many rows are\n"
	    "replaced.  All in one transaction, foreign keys checked at the\n"
	    "end: any error names the object and loads nothing.\n" },
	{ "stats", cmd_stats, "show counts, sizes, sessions and the job queue",
	    "Rows of each model, database and WAL size, page size and free\n"
	    "pages, active sessions and, when the database has a job queue,\n"
	    "jobs by state.\n" },
	{ "createtoken", cmd_createtoken,
	    "mint an API token for a user and print it",
	    "usage: gazette createtoken [options] USER\n"
	    "Prints only the token on standard output (for scripts); it is\n"
	    "stored hashed and cannot be shown again.  Revoke it from the\n"
	    "user's profile page or /admin/tokens/.\n"
	    "  --scopes LIST       read (the default) or read,write\n"
	    "  --expires-days N    expire after N days (1 to 3650); default\n"
	    "                      never\n"
	    "  --name NAME         a label to tell tokens apart (default\n"
	    "                      \"command line\")\n" },
	{ "sendtestemail", cmd_sendtestemail,
	    "send a test mail to ADDRESS, now",
	    "usage: gazette sendtestemail ADDRESS\n"
	    "Builds a test message and delivers it at once, not through the\n"
	    "job queue, the way the worker delivers every mail: over SMTP to\n"
	    "[mail] smtp_host when set, else into the outbox directory.  Says\n"
	    "where it went, or prints the SMTP error and exits 1.\n" },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: gazette [--config FILE] COMMAND [options]\n\n"
	    "Gazette %s, a publishing site served over FastCGI.\n\n"
	    "Commands:\n", GAZETTE_VERSION);
	for (size_t i = 0; i < NELEM(commands); i++)
		fprintf(f, "  %-16s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(f, "\nOptions:\n"
	    "  --config FILE  INI configuration (default: $GAZETTE_CONFIG, "
	    "else built-in\n"
	    "                 defaults); any key can be overridden by "
	    "GAZETTE_<KEY>\n"
	    "  --help         this text; 'gazette COMMAND --help' for one "
	    "command\n"
	    "  --version      print the version\n");
}

static void
command_usage(const struct command *c, FILE *f)
{
	fprintf(f, "usage: gazette [--config FILE] %s [options]\n\n%s.\n\n%s",
	    c->name, c->summary, c->usage);
}

static int
fail_usage(const char *cmd, const char *msg, const char *arg)
{
	fprintf(stderr, "gazette: %s%s%s%s%s (see 'gazette %s%s--help')\n",
	    cmd != NULL ? cmd : "", cmd != NULL ? ": " : "", msg,
	    arg != NULL ? ": " : "", arg != NULL ? arg : "",
	    cmd != NULL ? cmd : "", cmd != NULL ? " " : "");
	return EXIT_USAGE;
}

/*
 * getopt_long over a command's arguments; argv[0] is the command name.
 * Returns the option, -1 at the end, or '?' after printing the error.
 */
static int
next_opt(const char *cmd, int argc, char **argv, const struct option *opts,
    int *status)
{
	int	 c;

	opterr = 0;
	c = getopt_long(argc, argv, "+", opts, NULL);
	if (c == '?') {
		*status = fail_usage(cmd, optopt != 0 ? "option needs a "
		    "value or is unknown" : "unknown option",
		    argv[optind - 1]);
		return '?';
	}
	return c;
}

/* Open the database, ready for commands; prints the fix on failure. */
static int
open_db(struct config *cfg, bool create)
{
	char	 err[512];

	if (db_open(cfg, create, err, sizeof(err)) != 0) {
		fprintf(stderr, "gazette: %s\n", err);
		return -1;
	}
	return 0;
}

static int
cmd_serve(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL,
	    'h' }, { NULL, 0, NULL, 0 } };
	int	 c, status = 0;

	while ((c = next_opt("serve", argc, argv, opts, &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(&commands[0], stdout);
			return 0;
		}
	}
	if (optind < argc)
		return fail_usage("serve", "unexpected argument", argv[optind]);
	if (router_init(site_routes) != 0 ||
	    jobs_register(site_job_kinds, site_job_periodic) != 0 ||
	    model_register_all(site_models) != 0 ||
	    admin_register(site_admin_models, site_admin_page_table) != 0)
		return 1;
	api_register(site_api_table);
	render_set_page_hook(site_page_hook);
	admin_set_index_hook(site_dashboard);
	return server_run(cfg);
}

static int
cmd_worker(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "concurrency", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	long long	 n = 1;
	bool		 once = false;
	int		 c, status = 0;

	while ((c = next_opt("worker", argc, argv, opts, &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(command_named("worker"), stdout);
			return 0;
		}
		if (c == 'o')
			once = true;
		else if (util_parse_int(optarg, 1, 64, &n) != 0)
			return fail_usage("worker", "--concurrency takes a "
			    "whole number from 1 to 64", optarg);
	}
	if (optind < argc)
		return fail_usage("worker", "unexpected argument", argv[optind]);
	/* Handlers render mail and build URLs: the site's tables too. */
	if (router_init(site_routes) != 0 ||
	    jobs_register(site_job_kinds, site_job_periodic) != 0 ||
	    model_register_all(site_models) != 0)
		return 1;
	return worker_run(cfg, (int)n, once);
}

static int
cmd_migrate(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	char	 err[512];
	bool	 list = false;
	int	 c, n, status = 0;

	while ((c = next_opt("migrate", argc, argv, opts, &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(command_named("migrate"), stdout);
			return 0;
		}
		list = true;
	}
	if (optind < argc)
		return fail_usage("migrate", "unexpected argument",
		    argv[optind]);
	if (open_db(cfg, !list) != 0)
		return EXIT_USAGE;
	if (list)
		n = migrate_list(cfg->sql_dir, stdout, err, sizeof(err));
	else
		n = migrate_apply(cfg->sql_dir, stdout, err, sizeof(err));
	db_close();
	if (n < 0) {
		fprintf(stderr, "gazette: migrate: %s\n", err);
		return 1;
	}
	if (!list && n == 0)
		printf("No migrations to apply: the database is up to date.\n");
	return 0;
}

/* Refuse to touch a database whose schema is behind. */
static int
require_migrated(struct config *cfg)
{
	char		 err[512];
	const char	*first = NULL;
	int		 n;

	if ((n = migrate_pending(cfg->sql_dir, &first, err, sizeof(err))) < 0) {
		fprintf(stderr, "gazette: %s\n", err);
		return -1;
	}
	if (n > 0) {
		fprintf(stderr, "gazette: %d migration(s) pending (first: %s): "
		    "run 'gazette migrate' first\n", n, first);
		return -1;
	}
	return 0;
}

static int
cmd_seed(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "articles", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct http_limits	 limits;
	struct req		 r;
	long long		 n = 30;
	int			 c, added, status = 0;

	while ((c = next_opt("seed", argc, argv, opts, &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(command_named("seed"), stdout);
			return 0;
		}
		if (util_parse_int(optarg, 0, 1000000, &n) != 0)
			return fail_usage("seed", "--articles takes a whole "
			    "number from 0 to 1000000", optarg);
	}
	if (optind < argc)
		return fail_usage("seed", "unexpected argument", argv[optind]);
	if (open_db(cfg, false) != 0)
		return EXIT_USAGE;
	if (require_migrated(cfg) != 0) {
		db_close();
		return EXIT_USAGE;
	}
	http_limits_from_config(&limits, cfg);
	req_init(&r, &limits);
	added = seed_articles(&r, (int)n, isatty(STDOUT_FILENO) ? stdout :
	    NULL);
	req_free(&r);
	db_close();
	if (added < 0) {
		fprintf(stderr, "gazette: seed failed (see the log line "
		    "above)\n");
		return 1;
	}
	printf("Seeded %d new article(s); %lld requested.\n", added, n);
	return 0;
}

static int
check_line(bool ok, const char *what, const char *detail)
{
	printf("%-6s %s%s%s\n", ok ? "ok" : "ERROR", what,
	    detail != NULL ? ": " : "", detail != NULL ? detail : "");
	return ok ? 0 : 1;
}

static int
cmd_check(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "print", no_argument, NULL, 'p' },
		{ "deploy", no_argument, NULL, 'd' },
		{ "url", required_argument, NULL, 'u' },
		{ "offline", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct ops_tally t = { 0, 0, 0 };
	struct stat	 sb;
	const char	*first = NULL, *url = NULL;
	char		 err[512], path[4096];
	bool		 print = false, deploy = false;
	int		 c, n, bad = 0, status = 0;

	while ((c = next_opt("check", argc, argv, opts, &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(command_named("check"), stdout);
			return 0;
		}
		if (c == 'p')
			print = true;
		else if (c == 'd')
			deploy = true;
		else if (c == 'u')
			url = optarg;
		else
			url = "";
	}
	if (optind < argc)
		return fail_usage("check", "unexpected argument", argv[optind]);
	if (url != NULL && !deploy)
		return fail_usage("check", "--url and --offline go with "
		    "--deploy", NULL);
	if (url != NULL && *url != '\0' && strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)
		return fail_usage("check", "--url takes http://HOST[:PORT] or "
		    "https://HOST", url);
	if (print) {
		config_dump(cfg);
		printf("\n");
	}
	printf("config %s\n", cfg->path != NULL ? cfg->path :
	    "(built-in defaults and environment)");
	n = render_init(cfg, err, sizeof(err));
	bad += check_line(n == 0, "templates", n == 0 ? cfg->templates : err);
	render_shutdown();
	snprintf(path, sizeof(path), "%s/css/site.css", cfg->static_dir);
	bad += check_line(access(path, R_OK) == 0, "static files",
	    access(path, R_OK) == 0 ? cfg->static_dir : "css/site.css is "
	    "missing: set static = DIR");
	if (db_open(cfg, false, err, sizeof(err)) != 0)
		bad += check_line(false, "database", err);
	else {
		n = migrate_pending(cfg->sql_dir, &first, err, sizeof(err));
		bad += check_line(n == 0, "migrations", n < 0 ? err : n > 0 ?
		    "pending: run 'gazette migrate'" : "up to date");
		db_close();
	}
	if (stat(cfg->secret_file, &sb) != 0)
		printf("%-6s %s: %s is missing (needed from accounts on)\n",
		    "warn", "secret", cfg->secret_file);
	else if (sb.st_mode & 0007)
		bad += check_line(false, "secret", "readable by everyone: "
		    "chmod 0600 or 0640 it");
	else
		check_line(true, "secret", cfg->secret_file);
	if (deploy) {
		printf("\nDeployment:\n");
		if (db_open(cfg, false, err, sizeof(err)) != 0) {
			printf("%-8s%s\n", "ERROR", err);
			t.errors++;
		} else {
			model_register_all(site_models);
			ops_check_deploy(cfg, url, stdout, &t);
			db_close();
		}
		printf("%d OK, %d WARNING, %d ERROR\n", t.ok, t.warnings,
		    t.errors);
		bad += t.errors;
	}
	if (bad == 0 && t.warnings > 0)
		printf("No errors; read the WARNING lines.\n");
	else
		printf("%s\n", bad == 0 ? "No problems found." :
		    "Problems found: fix the lines marked ERROR.");
	return bad == 0 ? 0 : 1;
}

/* ---- accounts ------------------------------------------------------------ */

static const struct command *
command_named(const char *name)
{
	for (size_t i = 0; i < NELEM(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Read a line from f into buf without its newline; -1 at EOF. */
static int
read_line(FILE *f, char *buf, size_t n)
{
	size_t	 len;

	if (fgets(buf, (int)n, f) == NULL)
		return -1;
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	return 0;
}

/* Prompt on the terminal; without echo when secret. -1 at EOF. */
static int
prompt(const char *what, bool secret, char *buf, size_t n)
{
	struct termios	 old, quiet;
	bool		 hidden = false;
	int		 rc;

	fprintf(stderr, "%s: ", what);
	fflush(stderr);
	if (secret && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		hidden = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
	}
	rc = read_line(stdin, buf, n);
	if (hidden) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	return rc;
}

/*
 * The new password: from stdin's first line, or asked twice on the
 * terminal.  Validated for the user; prints the validator messages.
 * 0, or an exit status.
 */
static int
new_password(bool from_stdin, const char *username, const char *email,
    char *pw, size_t n)
{
	const char	*msgs[8];
	char		 again[PASSWORD_MAX_BYTES + 2];
	int		 k;

	if (from_stdin) {
		if (read_line(stdin, pw, n) != 0 || *pw == '\0') {
			fprintf(stderr, "gazette: no password on standard "
			    "input\n");
			return EXIT_USAGE;
		}
	} else if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "gazette: standard input is not a terminal: "
		    "give the password with --password-stdin\n");
		return EXIT_USAGE;
	} else {
		if (prompt("Password", true, pw, n) != 0 ||
		    prompt("Password (again)", true, again, sizeof(again)) != 0)
			return 1;
		if (strcmp(pw, again) != 0) {
			fprintf(stderr, "gazette: the passwords didn't match\n");
			return 1;
		}
	}
	if ((k = password_validate(auth_policy(), pw, username, email, NULL,
	    msgs, (int)NELEM(msgs))) > 0) {
		for (int i = 0; i < k; i++)
			fprintf(stderr, "gazette: %s\n", msgs[i]);
		return 1;
	}
	return 0;
}

/* Open the migrated database for an account command.  0 or status. */
static int
open_accounts(struct config *cfg)
{
	if (open_db(cfg, false) != 0)
		return EXIT_USAGE;
	if (require_migrated(cfg) != 0) {
		db_close();
		return EXIT_USAGE;
	}
	auth_init_policy(cfg);
	return 0;
}

static int
cmd_createsuperuser(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "username", required_argument, NULL, 'u' },
		{ "email", required_argument, NULL, 'e' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct http_limits	 limits;
	struct req		 r;
	char			 username[256] = "", email[300] = "";
	char			 pw[PASSWORD_MAX_BYTES + 2];
	const char		*msg, *taken = NULL;
	bool			 from_stdin = false;
	int64_t			 id;
	int			 c, status = 0;

	while ((c = next_opt("createsuperuser", argc, argv, opts,
	    &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(command_named("createsuperuser"), stdout);
			return 0;
		}
		if (c == 'u')
			snprintf(username, sizeof(username), "%s", optarg);
		else if (c == 'e')
			snprintf(email, sizeof(email), "%s", optarg);
		else
			from_stdin = true;
	}
	if (optind < argc)
		return fail_usage("createsuperuser", "unexpected argument",
		    argv[optind]);
	if ((*username == '\0' || *email == '\0') && (from_stdin ||
	    !isatty(STDIN_FILENO)))
		return fail_usage("createsuperuser", "give --username and "
		    "--email when not on a terminal", NULL);
	if ((status = open_accounts(cfg)) != 0)
		return status;
	if (*username == '\0' && prompt("Username", false, username,
	    sizeof(username)) != 0)
		goto fail;
	if ((msg = auth_username_error(username)) != NULL) {
		fprintf(stderr, "gazette: username: %s\n", msg);
		goto fail;
	}
	if (*email == '\0' && prompt("Email address", false, email,
	    sizeof(email)) != 0)
		goto fail;
	if ((msg = auth_email_error(email)) != NULL) {
		fprintf(stderr, "gazette: email: %s\n", msg);
		goto fail;
	}
	if ((status = new_password(from_stdin, username, email, pw,
	    sizeof(pw))) != 0) {
		db_close();
		return status;
	}
	http_limits_from_config(&limits, cfg);
	req_init(&r, &limits);
	id = auth_user_create(&r, username, email, "", pw, true, true, &taken);
	req_free(&r);
	db_close();
	if (id == 0) {
		fprintf(stderr, "gazette: that %s is already taken\n",
		    strcmp(taken, "username") == 0 ? "username" :
		    "email address");
		return 1;
	}
	if (id < 0) {
		fprintf(stderr, "gazette: the user could not be created (see "
		    "the log line above)\n");
		return 1;
	}
	printf("Superuser %s created.\n", username);
	return 0;
fail:
	db_close();
	return 1;
}

static int
cmd_changepassword(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct http_limits	 limits;
	struct req		 r;
	struct user		*u;
	char			 pw[PASSWORD_MAX_BYTES + 2];
	bool			 from_stdin = false;
	int			 c, status = 0, ended;

	while ((c = next_opt("changepassword", argc, argv, opts,
	    &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(command_named("changepassword"), stdout);
			return 0;
		}
		from_stdin = true;
	}
	if (optind + 1 != argc)
		return fail_usage("changepassword", "give exactly one USER",
		    NULL);
	if ((status = open_accounts(cfg)) != 0)
		return status;
	http_limits_from_config(&limits, cfg);
	req_init(&r, &limits);
	if ((u = auth_user_by_login(&r, argv[optind])) == NULL) {
		fprintf(stderr, "gazette: no user named %s\n", argv[optind]);
		status = 1;
	} else if ((status = new_password(from_stdin, u->username, u->email,
	    pw, sizeof(pw))) == 0) {
		if (db_begin_write(&r) != 0 ||
		    auth_set_password(&r, u->id, pw) != 0 ||
		    (ended = session_end_others(&r, u->id)) < 0 ||
		    db_commit(&r) != 0) {
			db_rollback(&r);
			status = 1;
		} else
			printf("Password changed for %s; %d session(s) "
			    "ended.\n", u->username, ended);
	}
	sodium_memzero(pw, sizeof(pw));
	req_free(&r);
	db_close();
	return status;
}

static int
cmd_clearsessions(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct http_limits	 limits;
	struct req		 r;
	int			 c, n, status = 0;

	while ((c = next_opt("clearsessions", argc, argv, opts,
	    &status)) != -1) {
		if (c == '?')
			return status;
		command_usage(command_named("clearsessions"), stdout);
		return 0;
	}
	if (optind < argc)
		return fail_usage("clearsessions", "unexpected argument",
		    argv[optind]);
	if ((status = open_accounts(cfg)) != 0)
		return status;
	http_limits_from_config(&limits, cfg);
	req_init(&r, &limits);
	n = session_clear_expired(&r);
	req_free(&r);
	db_close();
	if (n < 0)
		return 1;
	printf("Deleted %d expired session(s).\n", n);
	return 0;
}

static int
cmd_sendtestemail(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct mail	 m;
	struct buf	 msg;
	char		 err[512], where[4096], host[256];
	int		 c, rc, status = 0;

	while ((c = next_opt("sendtestemail", argc, argv, opts,
	    &status)) != -1) {
		if (c == '?')
			return status;
		command_usage(command_named("sendtestemail"), stdout);
		return 0;
	}
	if (optind + 1 != argc)
		return fail_usage("sendtestemail", optind < argc ?
		    "one ADDRESS only" : "ADDRESS is missing",
		    optind < argc ? argv[optind + 1] : NULL);
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "?");
	host[sizeof(host) - 1] = '\0';
	memset(&m, 0, sizeof(m));
	m.from = cfg->mail_from;
	m.to = argv[optind];
	m.subject = "Test email from Gazette";
	m.text = "This is a test email sent by 'gazette sendtestemail'. "
	    "If you can read it, mail from this site works.\n";
	m.html = "<p>This is a test email sent by <code>gazette "
	    "sendtestemail</code>. If you can read it, mail from this site "
	    "works.</p>\n";
	buf_init(&msg);
	if (mail_build(&m, (int64_t)time(NULL), &msg, err, sizeof(err)) != 0) {
		buf_free(&msg);
		fprintf(stderr, "gazette: sendtestemail: %s\n", err);
		return EXIT_USAGE;
	}
	rc = mail_deliver(cfg, &m, &msg, where, sizeof(where), err,
	    sizeof(err));
	buf_free(&msg);
	if (rc != 0) {
		fprintf(stderr, "gazette: sendtestemail: %s\n", err);
		return 1;
	}
	if (*cfg->smtp_host != '\0')
		printf("Sent a test mail to %s over %s (from host %s).\n",
		    m.to, where, host);
	else
		printf("Wrote a test mail to %s into the outbox: %s (no "
		    "smtp_host is set).\n", m.to, where);
	return 0;
}

/* ---- operations ---------------------------------------------------------- */

/*
 * The options every operations command takes (--force where force is
 * not NULL, --output where output is not NULL, --help), leaving optind
 * at the first argument.  -1 to go on, else the exit status.
 */
static int
ops_opts(const char *name, int argc, char **argv, bool *force,
    const char **output)
{
	static const struct option all[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	int	 c, status = 0;

	while ((c = next_opt(name, argc, argv, all, &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(command_named(name), stdout);
			return 0;
		}
		if (c == 'f' && force != NULL)
			*force = true;
		else if (c == 'o' && output != NULL)
			*output = optarg;
		else
			return fail_usage(name, "unknown option",
			    argv[optind - 1]);
	}
	return -1;
}

/* Open the database for an operations command: 0, or an exit status. */
static int
open_ops(struct config *cfg, bool migrated)
{
	if (open_db(cfg, false) != 0)
		return 1;
	if (migrated && require_migrated(cfg) != 0) {
		db_close();
		return 1;
	}
	if (model_register_all(site_models) != 0) {
		db_close();
		return 1;
	}
	return 0;
}

static int
cmd_backup(struct config *cfg, int argc, char **argv)
{
	bool	 force = false;
	int	 status;

	if ((status = ops_opts("backup", argc, argv, &force, NULL)) >= 0)
		return status;
	if (optind + 1 != argc)
		return fail_usage("backup", "give exactly one FILE", NULL);
	if ((status = open_ops(cfg, false)) != 0)
		return status;
	status = ops_backup(cfg, argv[optind], force, stdout);
	db_close();
	return status;
}

static int
cmd_restore(struct config *cfg, int argc, char **argv)
{
	bool	 force = false;
	int	 status;

	if ((status = ops_opts("restore", argc, argv, &force, NULL)) >= 0)
		return status;
	if (optind + 1 != argc)
		return fail_usage("restore", "give exactly one FILE", NULL);
	if (model_register_all(site_models) != 0)
		return 1;
	return ops_restore(cfg, argv[optind], force, stdout);
}

static int
cmd_dumpdata(struct config *cfg, int argc, char **argv)
{
	const char	*output = NULL;
	FILE		*out = stdout;
	int		 status;

	if ((status = ops_opts("dumpdata", argc, argv, NULL, &output)) >= 0)
		return status;
	if ((status = open_ops(cfg, true)) != 0)
		return status;
	if (output != NULL && (out = fopen(output, "w")) == NULL) {
		fprintf(stderr, "gazette: dumpdata: cannot write %s: %s\n",
		    output, strerror(errno));
		db_close();
		return 1;
	}
	status = ops_dumpdata(cfg, argv + optind, (size_t)(argc - optind),
	    out, isatty(STDERR_FILENO));
	if (out != stdout && fclose(out) != 0 && status == 0) {
		fprintf(stderr, "gazette: dumpdata: writing %s failed: %s\n",
		    output, strerror(errno));
		status = 1;
	}
	db_close();
	return status;
}

static int
cmd_loaddata(struct config *cfg, int argc, char **argv)
{
	int	 status;

	if ((status = ops_opts("loaddata", argc, argv, NULL, NULL)) >= 0)
		return status;
	if (optind + 1 != argc)
		return fail_usage("loaddata", "give exactly one FILE", NULL);
	if ((status = open_ops(cfg, true)) != 0)
		return status;
	status = ops_loaddata(cfg, argv[optind], stdout,
	    isatty(STDERR_FILENO));
	db_close();
	return status;
}

static int
cmd_stats(struct config *cfg, int argc, char **argv)
{
	int	 status;

	if ((status = ops_opts("stats", argc, argv, NULL, NULL)) >= 0)
		return status;
	if (optind < argc)
		return fail_usage("stats", "unexpected argument", argv[optind]);
	if ((status = open_ops(cfg, false)) != 0)
		return status;
	status = ops_stats(cfg, stdout);
	db_close();
	return status;
}

static int
cmd_createtoken(struct config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scopes", required_argument, NULL, 's' },
		{ "expires-days", required_argument, NULL, 'x' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct http_limits	 limits;
	struct req		 r;
	struct user		*u;
	const char		*scopes = "read", *name = "command line";
	const char		*token = NULL;
	long long		 days = 0;
	char			 err[512];
	int			 c, status = 0;

	while ((c = next_opt("createtoken", argc, argv, opts,
	    &status)) != -1) {
		if (c == '?')
			return status;
		if (c == 'h') {
			command_usage(command_named("createtoken"), stdout);
			return 0;
		}
		if (c == 's' && (scopes = api_scopes_parse(optarg)) == NULL)
			return fail_usage("createtoken", "--scopes must be read "
			    "or read,write", optarg);
		if (c == 'x' && util_parse_int(optarg, 1, 3650, &days) != 0)
			return fail_usage("createtoken", "--expires-days must "
			    "be a number of days from 1 to 3650", optarg);
		if (c == 'n') {
			name = optarg;
			if (strlen(name) > API_TOKEN_NAME_MAX)
				return fail_usage("createtoken", "--name is "
				    "longer than 100 bytes", NULL);
		}
	}
	if (optind + 1 != argc)
		return fail_usage("createtoken", "give exactly one USER", NULL);
	if ((status = open_accounts(cfg)) != 0)
		return status;
	if (auth_init(cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "gazette: %s\n", err);
		db_close();
		return 1;
	}
	http_limits_from_config(&limits, cfg);
	req_init(&r, &limits);
	if ((u = auth_user_by_login(&r, argv[optind])) == NULL ||
	    !u->is_active) {
		fprintf(stderr, "gazette: no active user named %s\n",
		    argv[optind]);
		status = 1;
	} else if (api_token_create(&r, u->id, name, scopes, days > 0 ?
	    util_wall_us() / 1000000 + days * 86400 : 0, &token) < 0) {
		fprintf(stderr, "gazette: the token could not be created (see "
		    "the log line above)\n");
		status = 1;
	} else
		printf("%s\n", token);
	req_free(&r);
	db_close();
	return status;
}

int
main(int argc, char **argv)
{
	const char		*config_path = getenv("GAZETTE_CONFIG");
	const struct command	*cmd = NULL;
	struct config		 cfg;
	char			 err[1024];
	int			 i, rc;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("gazette %s\n", GAZETTE_VERSION);
			return 0;
		}
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config_path = argv[++i];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			config_path = argv[i] + 9;
		else if (strcmp(argv[i], "--config") == 0)
			return fail_usage(NULL, "--config needs a file name",
			    NULL);
		else
			return fail_usage(NULL, "unknown option", argv[i]);
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t k = 0; k < NELEM(commands); k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			cmd = &commands[k];
	if (cmd == NULL)
		return fail_usage(NULL, "unknown command", argv[i]);
	if (config_load(&cfg, config_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "gazette: %s\n", err);
		config_free(&cfg);
		return EXIT_USAGE;
	}
	log_set_level((enum log_level)log_level_parse(cfg.log_level));
	log_set_json(strcmp(cfg.log_format, "json") == 0);
	config_set_current(&cfg);
	optind = 1;
	rc = cmd->run(&cfg, argc - i, argv + i);
	config_free(&cfg);
	return rc;
}
