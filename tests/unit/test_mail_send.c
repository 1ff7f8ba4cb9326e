/*
 * test_mail_send: app/core/mail_send.c without a network or a queue: the
 * "mail.send" payload round trip, the classification of SMTP outcomes,
 * the SMTP password's sources, and delivery to the outbox.
 */
#include <sys/stat.h>

#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/jobs.h"
#include "core/mail.h"

Suite	*mail_send_suite(void);

START_TEST(test_mail_payload_round_trips_every_field)
{
	struct mail	 m = { .from = "Site <site@example.com>",
	    .to = "Zoë <z@example.com>", .subject = "Ünïcode \"quoted\"\n",
	    .text = "line 1\nline 2\t\\", .html = "<p>x &amp; y</p>",
	    .reply_to = "r@example.com",
	    .unsubscribe = "https://example.com/comments/unsubscribe/1-ab/" },
	    back;
	char		*p = mail_payload_json(&m), err[256];
	void		*root;

	ck_assert_int_eq(mail_payload_parse(p, &back, &root, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(back.from, m.from);
	ck_assert_str_eq(back.to, m.to);
	ck_assert_str_eq(back.subject, m.subject);
	ck_assert_str_eq(back.text, m.text);
	ck_assert_str_eq(back.html, m.html);
	ck_assert_str_eq(back.reply_to, m.reply_to);
	ck_assert_str_eq(back.unsubscribe, m.unsubscribe);
	json_decref(root);
	free(p);
}
END_TEST

START_TEST(test_mail_payload_leaves_out_unset_optional_fields)
{
	struct mail	 m = { .to = "a@example.com", .subject = "",
	    .text = "t", .html = "" }, back;
	char		*p = mail_payload_json(&m), err[256];
	void		*root;

	ck_assert_ptr_null(strstr(p, "html"));
	ck_assert_ptr_null(strstr(p, "reply_to"));
	ck_assert_ptr_null(strstr(p, "from"));
	ck_assert_ptr_null(strstr(p, "unsubscribe"));
	ck_assert_int_eq(mail_payload_parse(p, &back, &root, err,
	    sizeof(err)), 0);
	ck_assert_ptr_null(back.from);
	ck_assert_ptr_null(back.html);
	ck_assert_ptr_null(back.reply_to);
	ck_assert_ptr_null(back.unsubscribe);
	ck_assert_str_eq(back.subject, "");
	json_decref(root);
	free(p);
}

END_TEST

START_TEST(test_mail_payload_refuses_bad_payloads)
{
	static const char *const bad[] = { "", "[]", "nope", "{}",
	    "{\"to\": \"a@b.c\", \"subject\": \"s\"}",
	    "{\"to\": 1, \"subject\": \"s\", \"text\": \"t\"}",
	    "{\"to\": \"a@b.c\", \"subject\": null, \"text\": \"t\"}" };
	struct mail	 m;
	void		*root;
	char		 err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(mail_payload_parse(bad[i], &m, &root, err,
		    sizeof(err)) == -1, "accepted %s", bad[i]);
		ck_assert_ptr_null(root);
		ck_assert_msg(err[0] != '\0', "no message for %s", bad[i]);
	}
}
END_TEST

START_TEST(test_mail_smtp_classify_ok_temporary_permanent)
{
	ck_assert_int_eq(mail_smtp_classify(CURLE_OK, 250), JOB_OK);
	/* 4xx: the server says later. */
	ck_assert_int_eq(mail_smtp_classify(CURLE_SEND_ERROR, 451), JOB_RETRY);
	ck_assert_int_eq(mail_smtp_classify(CURLE_RECV_ERROR, 421), JOB_RETRY);
	ck_assert_int_eq(mail_smtp_classify(CURLE_SEND_ERROR, 452), JOB_RETRY);
	/* 5xx: never. */
	ck_assert_int_eq(mail_smtp_classify(CURLE_SEND_ERROR, 550), JOB_FAIL);
	ck_assert_int_eq(mail_smtp_classify(CURLE_RECV_ERROR, 554), JOB_FAIL);
	ck_assert_int_eq(mail_smtp_classify(CURLE_SEND_ERROR, 553), JOB_FAIL);
	/* No reply at all: the network, TLS, a timeout. */
	ck_assert_int_eq(mail_smtp_classify(CURLE_COULDNT_CONNECT, 0),
	    JOB_RETRY);
	ck_assert_int_eq(mail_smtp_classify(CURLE_OPERATION_TIMEDOUT, 0),
	    JOB_RETRY);
	ck_assert_int_eq(mail_smtp_classify(CURLE_SSL_CONNECT_ERROR, 0),
	    JOB_RETRY);
	ck_assert_int_eq(mail_smtp_classify(CURLE_COULDNT_RESOLVE_HOST, 0),
	    JOB_RETRY);
	/* Our credentials are wrong: fixable, so retried. */
	ck_assert_int_eq(mail_smtp_classify(CURLE_LOGIN_DENIED, 535),
	    JOB_RETRY);
}
END_TEST

START_TEST(test_mail_smtp_password_file_env_and_mode)
{
	struct config	 c;
	char		 dir[] = "/tmp/gazette-mailsend-XXXXXX", path[128];
	char		 pw[64], err[256];
	FILE		*f;

	memset(&c, 0, sizeof(c));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pw", dir);
	f = fopen(path, "w");
	fputs("s3cret\nsecond line\n", f);
	fclose(f);

	c.smtp_password_file = "";
	unsetenv("GAZETTE_SMTP_PASSWORD");
	ck_assert_int_eq(mail_smtp_password(&c, pw, sizeof(pw), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(pw, "");
	setenv("GAZETTE_SMTP_PASSWORD", "from-env", 1);
	ck_assert_int_eq(mail_smtp_password(&c, pw, sizeof(pw), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(pw, "from-env");

	c.smtp_password_file = path;
	chmod(path, 0600);
	ck_assert_int_eq(mail_smtp_password(&c, pw, sizeof(pw), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(pw, "s3cret");
	chmod(path, 0644);
	ck_assert_int_eq(mail_smtp_password(&c, pw, sizeof(pw), err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "readable by others"));
	unsetenv("GAZETTE_SMTP_PASSWORD");
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_mail_deliver_without_smtp_host_writes_the_outbox)
{
	struct config	 c;
	struct mail	 m = { .from = "a@example.com", .to = "b@example.com",
	    .subject = "s", .text = "t" };
	struct buf	 msg;
	char		 dir[] = "/tmp/gazette-mailsend-XXXXXX", where[4096];
	char		 err[256];
	struct stat	 st;

	memset(&c, 0, sizeof(c));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	c.outbox = dir;
	c.smtp_host = "";
	buf_init(&msg);
	ck_assert_int_eq(mail_build(&m, 1700000000, &msg, err, sizeof(err)),
	    0);
	ck_assert_int_eq(mail_deliver(&c, &m, &msg, where, sizeof(where), err,
	    sizeof(err)), JOB_OK);
	ck_assert_int_eq(strncmp(where, dir, strlen(dir)), 0);
	ck_assert_int_eq(stat(where, &st), 0);
	unlink(where);
	rmdir(dir);
	buf_free(&msg);
}
END_TEST

START_TEST(test_mail_address_spec_takes_the_addr_spec)
{
	char	 spec[255], err[256];

	ck_assert_int_eq(mail_address_spec("Gazette <g@example.com>", spec,
	    sizeof(spec), err, sizeof(err)), 0);
	ck_assert_str_eq(spec, "g@example.com");
	ck_assert_int_eq(mail_address_spec("\"Doe, J\" <j@example.com>", spec,
	    sizeof(spec), err, sizeof(err)), 0);
	ck_assert_str_eq(spec, "j@example.com");
	ck_assert_int_eq(mail_address_spec("plain@example.com", spec,
	    sizeof(spec), err, sizeof(err)), 0);
	ck_assert_str_eq(spec, "plain@example.com");
	ck_assert_int_eq(mail_address_spec("a@b.c>\r\nRCPT TO:<x@y.z", spec,
	    sizeof(spec), err, sizeof(err)), -1);
	ck_assert_int_eq(mail_address_spec("not an address", spec,
	    sizeof(spec), err, sizeof(err)), -1);
}
END_TEST

Suite *
mail_send_suite(void)
{
	Suite	*s = suite_create("mail_send");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_mail_payload_round_trips_every_field);
	tcase_add_test(tc, test_mail_payload_leaves_out_unset_optional_fields);
	tcase_add_test(tc, test_mail_payload_refuses_bad_payloads);
	tcase_add_test(tc, test_mail_smtp_classify_ok_temporary_permanent);
	tcase_add_test(tc, test_mail_smtp_password_file_env_and_mode);
	tcase_add_test(tc, test_mail_deliver_without_smtp_host_writes_the_outbox);
	tcase_add_test(tc, test_mail_address_spec_takes_the_addr_spec);
	suite_add_tcase(s, tc);
	return s;
}
