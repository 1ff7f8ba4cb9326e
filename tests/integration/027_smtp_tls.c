/*
 * 027_smtp_tls: the worker delivers mail.send jobs over SMTP with TLS
 * and a login, to a real SMTP server: aiosmtpd (python3-aiosmtpd,
 * tests/integration/smtp_server.py) on a free loopback port, with a
 * throwaway self-signed certificate made by openssl in the site's temp
 * dir and trusted through [mail] smtp_ca_file.  STARTTLS with AUTH
 * LOGIN, STARTTLS with AUTH PLAIN and implicit TLS (smtps) each deliver
 * the message, whose subject and recipient the server receives, over an
 * encrypted session.  A wrong password fails the job with a clear
 * last_error and leaves it to be retried; without smtp_ca_file the
 * server's certificate is not trusted: the job fails the same way and
 * nothing is delivered.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define USER	"gazette@example.com"
#define PASS	"smtp-Secret-42"

/* The server's files, all in the site's temp dir. */
struct smtp {
	char	*cert, *key;		/* self-signed, for 127.0.0.1 */
	char	*log;			/* a JSON line per message (the script) */
	char	*port_file;
	char	*stderr_log;
	char	*pw_good, *pw_bad;	/* smtp_password_file candidates */
};

static struct smtp	 S;

/* The certificate and the password files; 0, or -1 after a failed
 * check. */
static int
smtp_files(struct site *s)
{
	struct cmd_result	 r;
	int			 rc;

	S.cert = str_printf("%s/smtp-cert.pem", s->dir);
	S.key = str_printf("%s/smtp-key.pem", s->dir);
	S.log = str_printf("%s/smtp-received.jsonl", s->dir);
	S.port_file = str_printf("%s/smtp.port", s->dir);
	S.stderr_log = str_printf("%s/smtp-server.log", s->dir);
	S.pw_good = str_printf("%s/smtp-password", s->dir);
	S.pw_bad = str_printf("%s/smtp-password-wrong", s->dir);
	{
		char	*argv[] = { "/usr/bin/openssl", "req", "-x509",
		    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
		    "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext",
		    "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
		    S.key, "-out", S.cert, NULL };

		rc = cmd_run(argv, 20000, &r);
	}
	if (!CHECK_INT(rc, 0, "openssl makes a self-signed certificate"))
		harness_note("openssl: %s", r.err);
	cmd_free(&r);
	if (rc != 0)
		return -1;
	/* Mode 0600: gazette refuses a password file others may read. */
	if (!CHECK(file_write(S.pw_good, PASS "\n", strlen(PASS) + 1,
	    false) == 0 && file_write(S.pw_bad, "not-the-password\n", 17,
	    false) == 0 && chmod(S.pw_good, 0600) == 0 &&
	    chmod(S.pw_bad, 0600) == 0, "the password files"))
		return -1;
	return 0;
}

/*
 * Start the SMTP server in mode ("starttls" or "tls") offering only
 * AUTH mechanism mech; its PID, or -1 after a failed check.  The port
 * goes into GAZETTE_SMTP_PORT, mode into GAZETTE_SMTP_TLS, for the
 * `gazette worker --once` runs that follow.
 */
static pid_t
smtp_start(const char *mode, const char *mech)
{
	char	 script[1024], port[16];
	char	*argv[] = { "/usr/bin/python3", script, S.port_file, S.log,
	    S.cert, S.key, (char *)mode, USER, PASS, (char *)mech, NULL };
	pid_t	 pid;
	long	 p;

	snprintf(script, sizeof(script), "%s/tests/integration/smtp_server.py",
	    harness_root());
	unlink(S.port_file);
	if (!CHECK((pid = proc_start(argv, S.stderr_log)) > 0, "start "
	    "smtp_server.py"))
		return -1;
	if ((p = file_wait_number(S.port_file, 10000)) == 0) {
		char	*err;

		proc_stop(pid);
		err = file_read(S.stderr_log, NULL);
		harness_note("smtp_server.py: %s", err != NULL ? err : "");
		free(err);
		CHECK(false, "smtp_server.py listens (is python3-aiosmtpd "
		    "installed? make deps)");
		return -1;
	}
	snprintf(port, sizeof(port), "%ld", p);
	setenv("GAZETTE_SMTP_PORT", port, 1);
	setenv("GAZETTE_SMTP_TLS", mode, 1);
	return pid;
}

/* Enqueue a mail.send job to `to` with subject; its id, or 0 after a
 * failed check. */
static long long
enqueue_mail(struct site *s, const char *to, const char *subject)
{
	struct resp	 r = { 0 };
	char		*payload = str_printf("{\"to\": \"%s\", \"subject\": "
	    "\"%s\", \"text\": \"Hello from 027_smtp_tls.\\n\"}", to, subject);
	long long	 id = 0;

	site_post_form(s, "/__test/jobs/", &r, "kind", "mail.send", "payload",
	    payload, (char *)NULL);
	if (CHECK_STATUS(&r, 200, "POST", "/__test/jobs/ mail.send"))
		id = atoll(r.body);
	free(payload);
	resp_free(&r);
	return id;
}

/* `gazette worker --once`, then "state|attempts|last_error" of job id,
 * malloc'd. */
static char *
run_job(struct site *s, long long id)
{
	struct cmd_result	 r;
	char			*q, *v;

	site_gazette(s, &r, "worker", "--once", (char *)NULL);
	cmd_free(&r);
	q = str_printf("SELECT state || '|' || attempts || '|' || "
	    "coalesce(last_error, '') FROM jobs WHERE id = %lld", id);
	v = site_sql(s, q);
	free(q);
	return v;
}

/* The line of the server's log for the message to `to`, malloc'd, or
 * NULL if it received none. */
static char *
received(const char *to)
{
	char	*all = file_read(S.log, NULL), *needle, *p, *line = NULL;

	needle = str_printf("\"rcpt_tos\": [\"%s\"]", to);
	if (all != NULL && (p = strstr(all, needle)) != NULL) {
		while (p > all && p[-1] != '\n')
			p--;
		line = strndup(p, strcspn(p, "\n"));
	}
	free(needle);
	free(all);
	return line;
}

/* A message to `to` through the server in mode with mech: delivered,
 * encrypted, logged in with mech, subject and recipient intact. */
static void
check_delivery(struct site *s, const char *mode, const char *mech,
    const char *to, const char *subject)
{
	char		*v, *line, *want;
	pid_t		 pid;
	long long	 id;

	if ((pid = smtp_start(mode, mech)) < 0)
		return;		/* the failed check is counted */
	setenv("GAZETTE_SMTP_PASSWORD_FILE", S.pw_good, 1);
	setenv("GAZETTE_SMTP_CA_FILE", S.cert, 1);
	if ((id = enqueue_mail(s, to, subject)) > 0) {
		v = run_job(s, id);
		CHECK_STR(v, "done|1|", "the job is done (%s, AUTH %s)", mode,
		    mech);
		free(v);
	}
	line = received(to);
	CHECK(line != NULL, "the server received the message to %s", to);
	want = str_printf("Subject: %s\\r\\n", subject);
	CHECK_CONTAINS(line, want, "its subject");
	free(want);
	want = str_printf("To: %s\\r\\n", to);
	CHECK_CONTAINS(line, want, "its To header");
	free(want);
	want = str_printf("\"auth\": \"%s\"", mech);
	CHECK_CONTAINS(line, want, "logged in with AUTH %s", mech);
	free(want);
	CHECK_CONTAINS(line, "\"tls\": true", "over TLS");
	CHECK_CONTAINS(line, "Hello from 027_smtp_tls.", "its text");
	free(line);
	CHECK_INT(proc_stop(pid), 0, "smtp_server.py stops cleanly");
}

/* ---- cases ---------------------------------------------------------------- */

static void
test_starttls_with_auth_login_delivers(struct site *s)
{
	check_delivery(s, "starttls", "LOGIN", "login@example.com",
	    "STARTTLS and AUTH LOGIN");
}

static void
test_starttls_with_auth_plain_delivers(struct site *s)
{
	check_delivery(s, "starttls", "PLAIN", "plain@example.com",
	    "STARTTLS and AUTH PLAIN");
}

static void
test_implicit_tls_delivers(struct site *s)
{
	check_delivery(s, "tls", "PLAIN", "smtps@example.com",
	    "Implicit TLS on connect");
}

/*
 * Enqueue a mail to `to` and run it: it must fail once and wait for a
 * retry later (state failed, not dead: the mail is not lost), and reach
 * no one.  Its last_error, malloc'd, or NULL if it was not enqueued.
 */
static char *
run_failing_job(struct site *s, const char *to, const char *subject)
{
	char		*v, *q, *line;
	long long	 id;

	if ((id = enqueue_mail(s, to, subject)) == 0)
		return NULL;
	v = run_job(s, id);
	CHECK(strncmp(v, "failed|1|", 9) == 0, "failed once, to be retried "
	    "(not dead): %s", v);
	q = str_printf("SELECT run_at > strftime('%%s', 'now') FROM jobs "
	    "WHERE id = %lld", id);
	free(v);
	v = site_sql(s, q);
	CHECK_STR(v, "1", "its retry is scheduled for later");
	free(v);
	free(q);
	line = received(to);
	CHECK(line == NULL, "nothing delivered");
	free(line);
	q = str_printf("SELECT last_error FROM jobs WHERE id = %lld", id);
	v = site_sql(s, q);
	free(q);
	return v;
}

static void
test_wrong_password_fails_and_is_retried(struct site *s)
{
	char	*v;
	pid_t	 pid;

	if ((pid = smtp_start("starttls", "LOGIN")) < 0)
		return;
	setenv("GAZETTE_SMTP_PASSWORD_FILE", S.pw_bad, 1);
	setenv("GAZETTE_SMTP_CA_FILE", S.cert, 1);
	if ((v = run_failing_job(s, "badpw@example.com", "Wrong password")) !=
	    NULL) {
		CHECK_CONTAINS(v, "smtp://127.0.0.1:", "last_error names the "
		    "server");
		CHECK_CONTAINS(v, "Login denied", "last_error says the login "
		    "was refused");
		CHECK_CONTAINS(v, "reply 535", "with the server's reply");
		CHECK_NOT_CONTAINS(v, "not-the-password", "but not the "
		    "password");
		free(v);
	}
	v = file_read(S.log, NULL);
	CHECK_CONTAINS(v, "{\"auth\": \"LOGIN\", \"ok\": false}",
	    "the server refused the login");
	free(v);
	CHECK_INT(proc_stop(pid), 0, "smtp_server.py stops cleanly");
}

static void
test_untrusted_certificate_fails_and_delivers_nothing(struct site *s)
{
	char	*v, *before, *after;
	pid_t	 pid;

	if ((pid = smtp_start("tls", "PLAIN")) < 0)
		return;
	before = file_read(S.log, NULL);
	setenv("GAZETTE_SMTP_PASSWORD_FILE", S.pw_good, 1);
	unsetenv("GAZETTE_SMTP_CA_FILE");	/* the system's CAs only */
	if ((v = run_failing_job(s, "untrusted@example.com", "Untrusted")) !=
	    NULL) {
		CHECK_CONTAINS(v, "certificate", "last_error blames the "
		    "certificate: %s", v);
		free(v);
	}
	after = file_read(S.log, NULL);
	CHECK_STR(after != NULL ? after : "", before != NULL ? before : "",
	    "no AUTH reached the server: the password stays home");
	free(after);
	free(before);
	CHECK_INT(proc_stop(pid), 0, "smtp_server.py stops cleanly");
}

int
main(void)
{
	struct site	 s;

	harness_init("027_smtp_tls");
	if (site_start(&s, &(struct site_opts){ .workers = 1 }) == 0) {
		if (smtp_files(&s) == 0) {
			setenv("GAZETTE_SMTP_HOST", "127.0.0.1", 1);
			setenv("GAZETTE_SMTP_USER", USER, 1);
			RUN(test_starttls_with_auth_login_delivers, &s);
			RUN(test_starttls_with_auth_plain_delivers, &s);
			RUN(test_implicit_tls_delivers, &s);
			RUN(test_wrong_password_fails_and_is_retried, &s);
			RUN(test_untrusted_certificate_fails_and_delivers_nothing,
			    &s);
		}
		CHECK_LOG_CLEAN(&s);
		CHECK_INT(site_stop(&s), 0, "gazette's exit status");
	}
	free(S.cert);
	free(S.key);
	free(S.log);
	free(S.port_file);
	free(S.stderr_log);
	free(S.pw_good);
	free(S.pw_bad);
	return harness_finish();
}
