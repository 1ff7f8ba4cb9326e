/*
 * seed: deterministic demo content for `gazette seed`.  Article i is a
 * pure function of i: its title comes from word lists picked by i's
 * residues modulo pairwise-coprime list sizes (so titles, and slugs, are
 * unique for every i below their product), its body from a small PRNG
 * seeded with i, its date from its place on an eight-year timeline.
 * Bodies are Markdown rendered by cmark-gfm, like real articles.
 */
#include <cmark-gfm.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "site.h"

/* Sizes 23, 29, 31, 37: pairwise coprime, product 765,049. */
static const char *const adjs[23] = {
	"quiet", "unlikely", "long", "hidden", "stubborn", "small", "new",
	"forgotten", "electric", "patient", "curious", "slow", "bright",
	"careful", "wild", "gentle", "restless", "open", "shared", "local",
	"honest", "late", "early",
};
static const char *const nouns[29] = {
	"harbour", "library", "railway", "garden", "market", "bridge",
	"orchard", "bakery", "archive", "river", "theatre", "school",
	"lighthouse", "workshop", "square", "forest", "museum", "observatory",
	"kitchen", "bookshop", "tramline", "vineyard", "factory", "canal",
	"festival", "studio", "cathedral", "ferry", "newsroom",
};
static const char *const verbs[31] = {
	"rebuilt", "saved", "rediscovered", "lost", "mapped", "reopened",
	"measured", "shared", "sold", "restored", "painted", "photographed",
	"defended", "remembered", "redesigned", "funded", "imagined",
	"borrowed", "protected", "outgrew", "argued over", "walked",
	"listened to", "moved", "celebrated", "documented", "rewired",
	"repaired", "taught", "welcomed", "planted",
};
static const char *const places[37] = {
	"Lisbon", "Tromsø", "Valparaíso", "Kyoto", "Glasgow", "Dakar",
	"Montréal", "Tbilisi", "Hobart", "Bergen", "Oaxaca", "Ghent",
	"Trieste", "Nairobi", "Reykjavík", "Porto", "Kraków", "Hanoi",
	"Cádiz", "Tallinn", "Bologna", "Quito", "Aarhus", "Galway",
	"Ljubljana", "Matera", "Zanzibar", "Bilbao", "Riga", "Tangier",
	"Halifax", "Lyon", "Cork", "Split", "Utrecht", "Salzburg", "Oslo",
};

static const char *const openings[] = {
	"Nobody planned it this way.",
	"It started with a letter to the editor.",
	"The numbers tell only part of the story.",
	"On a grey Tuesday morning, the doors opened again.",
	"Ask anyone who lives nearby and you will hear a different version.",
	"For years the question was simply ignored.",
	"The first sign was a handwritten notice.",
	"Most visitors walk past without noticing.",
};
static const char *const sentences[] = {
	"Residents gathered in the evenings to compare notes and argue about "
	    "what should come next.",
	"The budget was small, but the volunteers were many and stubborn.",
	"Records from the city archive show that the idea is older than it "
	    "looks.",
	"Engineers measured twice, then measured again when the weather "
	    "turned.",
	"A local teacher turned the project into a year-long lesson for her "
	    "class.",
	"Critics warned that the plan would cost too much and deliver too "
	    "little.",
	"By spring, the first results were visible from the street.",
	"The council approved the final phase after a long and lively "
	    "debate.",
	"Old photographs helped the builders understand how it once worked.",
	"Not every decision was popular, and some are still being revisited.",
	"Visitors now arrive early to find a place before the crowds.",
	"The work was slower than anyone expected, and better for it.",
	"Several families have been involved for three generations.",
	"A small grant paid for the tools; the rest was borrowed or donated.",
	"What surprised everyone was how quickly the neighbourhood changed.",
	"Nobody keeps exact figures, but the queues speak for themselves.",
	"The mayor called it a model for other towns; the residents called "
	    "it overdue.",
	"Local newspapers followed every step, sometimes with more enthusiasm "
	    "than accuracy.",
};
static const char *const headings[] = {
	"What changed", "The people behind it", "A brief history",
	"What comes next", "The cost", "Lessons learned",
};
static const char *const quotes[] = {
	"We did not know what we were doing, and that turned out to be a "
	    "strength.",
	"You cannot rush a thing like this. The place tells you how fast it "
	    "wants to go.",
	"Everyone has an opinion. Most of them are right about something.",
};

/* xorshift64*: small, fast, and the same on every machine. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

#define PICK(s, a)	((a)[rnd(s) % NELEM(a)])

static void
title_for(int i, char *dst, size_t n)
{
	/* Scramble i so neighbours differ in every word, then decompose. */
	uint64_t	 j = ((uint64_t)i * 7919u) % 765049u;
	const char	*adj = adjs[j % 23], *noun = nouns[j % 29];
	const char	*verb = verbs[j % 31], *place = places[j % 37];

	switch (i % 4) {
	case 0:
		snprintf(dst, n, "How %s %s its %s %s", place, verb, adj, noun);
		break;
	case 1:
		snprintf(dst, n, "Why %s %s the %s %s", place, verb, adj, noun);
		break;
	case 2:
		snprintf(dst, n, "The %s %s that %s %s", adj, noun, place, verb);
		break;
	default:
		snprintf(dst, n, "%s %s %s %s %s", place, verb,
		    strchr("aeiou", adj[0]) != NULL ? "an" : "a", adj, noun);
		break;
	}
}

/* Lower-case ASCII letters and digits joined by '-'; others dropped. */
static void
slug_for(const char *title, char *dst, size_t n)
{
	size_t	 o = 0;
	bool	 dash = false;

	for (const unsigned char *p = (const unsigned char *)title;
	    *p != '\0' && o + 2 < n; p++) {
		if (isalnum(*p) && *p < 0x80) {
			if (dash && o > 0)
				dst[o++] = '-';
			dst[o++] = (char)tolower(*p);
			dash = false;
		} else if (*p < 0x80)
			dash = true;
	}
	dst[o] = '\0';
}

static void
paragraph(struct buf *b, uint64_t *s, bool first)
{
	int	 k = 3 + (int)(rnd(s) % 4);

	if (first)
		buf_printf(b, "%s ", PICK(s, openings));
	for (int i = 0; i < k; i++)
		buf_printf(b, "%s%s", PICK(s, sentences), i + 1 < k ? " " : "");
	buf_puts(b, "\n\n");
}

static void
body_for(int i, struct buf *b, struct buf *excerpt)
{
	uint64_t	 s = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)i + 1) * 31;
	int		 paras = 3 + (int)(rnd(&s) % 5);
	size_t		 mark;

	buf_reset(b);
	buf_reset(excerpt);
	paragraph(b, &s, true);
	/* The excerpt is the first paragraph, cut after the last whole
	 * sentence that fits in 240 bytes. */
	mark = b->len - 2;
	buf_append(excerpt, b->ptr, mark > 240 ? 240 : mark);
	if (mark > 240) {
		while (excerpt->len > 0 && !(excerpt->ptr[excerpt->len - 1] ==
		    '.' && excerpt->ptr[excerpt->len] == ' '))
			excerpt->len--;
		excerpt->ptr[excerpt->len] = '\0';
	}
	for (int p = 1; p < paras; p++) {
		switch (rnd(&s) % 6) {
		case 0:
			buf_printf(b, "## %s\n\n", PICK(&s, headings));
			break;
		case 1:
			buf_printf(b, "> %s\n\n", PICK(&s, quotes));
			break;
		case 2:
			buf_printf(b, "- %s\n- %s\n- %s\n\n", PICK(&s, sentences),
			    PICK(&s, sentences), PICK(&s, sentences));
			break;
		default:
			break;
		}
		paragraph(b, &s, false);
	}
}

int
seed_articles(struct req *r, int n, FILE *out)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO articles"
	    " (slug, title, excerpt, body, body_html, status, publish_at,"
	    "  created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, 'published', ?6, ?6, ?7)";
	/* The timeline ends on 1 November 2026 and spans eight years. */
	const int64_t	 end = 1793491200, span = 8LL * 365 * 86400;
	struct buf	 body, excerpt;
	sqlite3_stmt	*st;
	int		 added = 0;

	if (n <= 0)
		return 0;
	if (db_begin_write(r) != 0)
		return -1;
	if ((st = db_stmt(r, sql)) == NULL) {
		db_rollback(r);
		return -1;
	}
	buf_init(&body);
	buf_init(&excerpt);
	for (int i = 0; i < n && !req_failed(r); i++) {
		char	 title[256], slug[256];
		char	*html;
		int64_t	 when = end - span + span * (int64_t)(i + 1) / n;

		/* Articles are spaced by the total asked for; the same i may
		 * get another date under another n, but never a second row. */
		title_for(i, title, sizeof(title));
		slug_for(title, slug, sizeof(slug));
		body_for(i, &body, &excerpt);
		html = cmark_markdown_to_html(body.ptr, body.len,
		    CMARK_OPT_DEFAULT);
		db_bind_text(r, st, 1, slug);
		db_bind_text(r, st, 2, title);
		db_bind_text(r, st, 3, excerpt.ptr);
		db_bind_text(r, st, 4, body.ptr);
		db_bind_text(r, st, 5, html);
		db_bind_int64(r, st, 6, when - (i % 7) * 3607);
		db_bind_int64(r, st, 7, when - (i % 7) * 3607 +
		    (i % 5 == 0 ? 3 * 86400 : 0));
		if (db_step(r, st) == SQLITE_DONE &&
		    sqlite3_changes(db_handle()) > 0)
			added++;
		db_done(r, st);
		free(html);
		if (out != NULL && (i + 1) % 10000 == 0)
			fprintf(out, "\r%d / %d", i + 1, n);
	}
	if (out != NULL && n >= 10000)
		fprintf(out, "\n");
	buf_free(&body);
	buf_free(&excerpt);
	if (req_failed(r) || db_commit(r) != 0) {
		db_rollback(r);
		return -1;
	}
	return added;
}
