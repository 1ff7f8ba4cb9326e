/*
 * mail_send: the delivery half of mail (mail.h).  mail_enqueue() turns
 * a message into a "mail.send" job in the caller's transaction; the
 * worker's mail_job_send() builds it and delivers it: over SMTP with
 * libcurl when [mail] smtp_host is set, else into the outbox.  SMTP
 * replies decide the job's fate (mail_smtp_classify): 4xx and network
 * trouble retry, a 5xx refusal is final.
 */
#include <sys/stat.h>

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "jobs.h"
#include "log.h"
#include "mail.h"
#include "util.h"

#define PASSWORD_MAX	1024

char *
mail_payload_json(const struct mail *m)
{
	json_t	*j = json_object();
	char	*s;

	json_object_set_new(j, "to", json_string(m->to != NULL ? m->to : ""));
	json_object_set_new(j, "subject", json_string(m->subject != NULL ?
	    m->subject : ""));
	json_object_set_new(j, "text", json_string(m->text != NULL ?
	    m->text : ""));
	if (m->html != NULL && *m->html != '\0')
		json_object_set_new(j, "html", json_string(m->html));
	if (m->reply_to != NULL && *m->reply_to != '\0')
		json_object_set_new(j, "reply_to", json_string(m->reply_to));
	if (m->unsubscribe != NULL && *m->unsubscribe != '\0')
		json_object_set_new(j, "unsubscribe",
		    json_string(m->unsubscribe));
	if (m->from != NULL && *m->from != '\0')
		json_object_set_new(j, "from", json_string(m->from));
	/* json_string() of invalid UTF-8 is NULL and the key is dropped:
	 * mail_payload_parse() refuses the payload, the job is dead. */
	if ((s = json_dumps(j, JSON_COMPACT)) == NULL)
		abort();
	json_decref(j);
	return s;
}

/* The string member key of o, or NULL (absent or not a string). */
static const char *
member(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int
mail_payload_parse(const char *payload, struct mail *m, void **root,
    char *err, size_t errlen)
{
	static const char *const required[] = { "to", "subject", "text" };
	json_t		*j;
	json_error_t	 je;

	memset(m, 0, sizeof(*m));
	*root = NULL;
	if ((j = json_loads(payload, 0, &je)) == NULL || !json_is_object(j)) {
		json_decref(j);
		snprintf(err, errlen, "mail.send payload is not a JSON object");
		return -1;
	}
	for (size_t i = 0; i < NELEM(required); i++)
		if (member(j, required[i]) == NULL) {
			snprintf(err, errlen, "mail.send payload needs a string "
			    "%s", required[i]);
			json_decref(j);
			return -1;
		}
	m->to = member(j, "to");
	m->subject = member(j, "subject");
	m->text = member(j, "text");
	m->html = member(j, "html");
	m->reply_to = member(j, "reply_to");
	m->unsubscribe = member(j, "unsubscribe");
	m->from = member(j, "from");
	*root = j;
	return 0;
}

int64_t
mail_enqueue(struct req *r, const struct mail *m)
{
	char	*p = mail_payload_json(m);
	int64_t	 id;

	id = jobs_enqueue(r, "mail.send", p, 0, 0, NULL);
	free(p);
	return id;
}

int
mail_smtp_classify(int curl_code, long smtp_code)
{
	if (curl_code == CURLE_OK)
		return JOB_OK;
	if (curl_code == CURLE_LOGIN_DENIED)
		return JOB_RETRY;	/* our credentials: fix them, then it goes */
	if (smtp_code >= 500 && smtp_code <= 599)
		return JOB_FAIL;
	return JOB_RETRY;
}

int
mail_smtp_password(const struct config *c, char *out, size_t outlen,
    char *err, size_t errlen)
{
	const char	*env;
	struct stat	 st;
	FILE		*f;
	size_t		 n;

	*out = '\0';
	if (c->smtp_password_file == NULL || *c->smtp_password_file == '\0') {
		if ((env = getenv("GAZETTE_SMTP_PASSWORD")) == NULL)
			return 0;
		if (strlen(env) >= outlen) {
			snprintf(err, errlen, "GAZETTE_SMTP_PASSWORD is too long");
			return -1;
		}
		memcpy(out, env, strlen(env) + 1);
		return 0;
	}
	if ((f = fopen(c->smtp_password_file, "r")) == NULL) {
		snprintf(err, errlen, "cannot read smtp_password_file %s: %s",
		    c->smtp_password_file, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || (st.st_mode & 0007) != 0) {
		fclose(f);
		snprintf(err, errlen, "smtp_password_file %s must not be "
		    "readable by others (chmod 0600 or 0640)",
		    c->smtp_password_file);
		return -1;
	}
	if (fgets(out, (int)outlen, f) == NULL)
		*out = '\0';
	fclose(f);
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	return 0;
}

/* The message being uploaded to curl. */
struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
upload_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload	*u = arg;
	size_t		 n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* Deliver msg over SMTP as c says.  JOB_OK, JOB_RETRY or JOB_FAIL. */
static int
smtp_deliver(const struct config *c, const char *from, const char *to,
    const struct buf *msg, char *where, size_t wherelen, char *err,
    size_t errlen)
{
	char			 url[512], fspec[256], tspec[256];
	char			 pw[PASSWORD_MAX], cerr[CURL_ERROR_SIZE];
	struct curl_slist	*rcpt = NULL;
	struct upload		 up = { msg->ptr, msg->len };
	CURL			*h;
	CURLcode		 cc;
	long			 code = 0;
	int			 rc;

	if (mail_address_spec(from, fspec, sizeof(fspec), err, errlen) != 0 ||
	    mail_address_spec(to, tspec, sizeof(tspec), err, errlen) != 0)
		return JOB_FAIL;
	if (mail_smtp_password(c, pw, sizeof(pw), err, errlen) != 0)
		return JOB_RETRY;
	snprintf(url, sizeof(url), "%s://%s:%ld",
	    strcmp(c->smtp_tls, "tls") == 0 ? "smtps" : "smtp", c->smtp_host,
	    c->smtp_port);
	if (where != NULL)
		snprintf(where, wherelen, "%s", url);
	if ((h = curl_easy_init()) == NULL) {
		sodium_memzero(pw, sizeof(pw));
		snprintf(err, errlen, "curl_easy_init failed");
		return JOB_RETRY;
	}
	rcpt = curl_slist_append(rcpt, tspec);
	cerr[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, fspec);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(h, CURLOPT_USE_SSL, strcmp(c->smtp_tls, "none") ==
	    0 ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	/* The server's certificate and name are always checked (libcurl's
	 * defaults, said again here so no one mistakes them for optional);
	 * smtp_ca_file only says whom to trust, for a private CA. */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->smtp_ca_file != NULL && *c->smtp_ca_file != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, c->smtp_ca_file);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->smtp_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->smtp_timeout);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	if (c->smtp_user != NULL && *c->smtp_user != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, pw);
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	sodium_memzero(pw, sizeof(pw));
	rc = mail_smtp_classify((int)cc, code);
	if (rc != JOB_OK)
		snprintf(err, errlen, "smtp %s: %s (reply %ld)%s", url,
		    cerr[0] != '\0' ? cerr : curl_easy_strerror(cc), code,
		    rc == JOB_FAIL ? ", permanent" : "");
	return rc;
}

int
mail_deliver(const struct config *c, const struct mail *m,
    const struct buf *msg, char *where, size_t wherelen, char *err,
    size_t errlen)
{
	if (c->smtp_host != NULL && *c->smtp_host != '\0')
		return smtp_deliver(c, m->from, m->to, msg, where, wherelen,
		    err, errlen);
	if (mail_write_outbox(c->outbox, msg, where, wherelen, err,
	    errlen) != 0)
		return JOB_RETRY;
	return JOB_OK;
}

int
mail_job_send(struct req *r, const char *payload, char *err, size_t errlen)
{
	const struct config	*c = config_current();
	struct mail		 m;
	struct buf		 msg;
	void			*root;
	char			 where[4096];
	int			 rc;

	(void)r;
	if (c == NULL) {
		snprintf(err, errlen, "no configuration");
		return JOB_RETRY;
	}
	if (mail_payload_parse(payload, &m, &root, err, errlen) != 0)
		return JOB_FAIL;
	if (m.from == NULL)
		m.from = c->mail_from;
	buf_init(&msg);
	if (mail_build(&m, util_wall_us() / 1000000, &msg, err, errlen) != 0)
		rc = JOB_FAIL;
	else
		rc = mail_deliver(c, &m, &msg, where, sizeof(where), err,
		    errlen);
	if (rc == JOB_OK)
		log_msg(LOG_INFO, "msg=\"mail sent\" to_domain=%s via=%s",
		    strchr(m.to, '@') != NULL ? strchr(m.to, '@') + 1 : "?",
		    c->smtp_host != NULL && *c->smtp_host != '\0' ? "smtp" :
		    "outbox");
	buf_free(&msg);
	json_decref(root);
	return rc;
}
