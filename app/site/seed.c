/*
 * seed: deterministic demo content for `gazette seed`: eight authors
 * (users without a usable password), fifteen tags, three static pages,
 * and n articles with their tags and threads of comments.  Article i is
 * a pure function of i: its title comes from word lists picked by i's
 * residues modulo pairwise-coprime list sizes (so titles, and slugs, are
 * unique for every i below their product), its body from a small PRNG
 * seeded with i, its date from its place on an eight-year timeline, its
 * author, tags and comments from i too.  Everything is inserted only if
 * missing (by username, slug), so running it twice adds nothing.  Bodies
 * are rendered as real ones are (core/markdown); writes go in batches of
 * SEED_BATCH articles, one transaction each.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/http.h"
#include "core/markdown.h"
#include "core/slug.h"
#include "core/util.h"
#include "site.h"

#define SEED_BATCH	1000		/* articles per transaction */
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


/* ---- authors, tags, pages ---------------------------------------------- */

static const struct {
	const char	*username;
	const char	*name;
	const char	*bio;
} authors[] = {
	{ "maria.keller", "Maria Keller", "Maria covers cities and the "
	    "people who keep them running. Before joining the paper she "
	    "spent ten years as a transport planner." },
	{ "tomas.oliveira", "Tomás Oliveira", "Tomás writes about food, "
	    "markets and the economics of small businesses, from Porto." },
	{ "aiko.tanaka", "Aiko Tanaka", "Aiko reports on science and "
	    "technology, with a soft spot for observatories and old "
	    "machines that still work." },
	{ "james.okafor", "James Okafor", "James is the culture editor. He "
	    "reviews theatre and books and puts together the weekend "
	    "edition." },
	{ "ingrid.solberg", "Ingrid Solberg", "Ingrid writes about rivers, "
	    "forests and the climate, usually from somewhere cold." },
	{ "lucia.romano", "Lucia Romano", "Lucia covers heritage and "
	    "architecture: bridges, cathedrals and the people who restore "
	    "them." },
	{ "david.levi", "David Levi", "David is a historian by training and "
	    "the person to ask about anything that happened before 1900." },
	{ "zofia.nowak", "Zofia Nowak", "Zofia reports on schools, "
	    "libraries and community projects across Central Europe." },
};

static const struct {
	const char	*name;
	const char	*description;
} tags[] = {
	{ "Architecture", "Buildings, bridges and the people who design and "
	    "restore them." },
	{ "City life", "Streets, squares and neighbourhoods, and how they "
	    "change." },
	{ "History", "What happened before, and why it still matters." },
	{ "Culture", "Books, festivals and the things people do together." },
	{ "Food & drink", "Markets, kitchens, bakeries and vineyards." },
	{ "Transport", "Trams, ferries, railways and canals." },
	{ "Environment", "Rivers, forests, gardens and the climate." },
	{ "Education", "Schools, libraries and learning at every age." },
	{ "Science", "Observatories, measurements and discoveries." },
	{ "Travel", "Places worth the journey, near and far." },
	{ "Community", "Volunteers, local newsrooms and shared projects." },
	{ "Economy", "Markets, factories, budgets and work." },
	{ "Arts", "Theatre, studios, painting and music." },
	{ "Heritage", "Museums, lighthouses and what we choose to keep." },
	{ "Technology", "Workshops, machines and the tools of the trade." },
};

/* The first tag of an article follows its noun (nouns[] above). */
static const int noun_tag[29] = {
	5, 7, 5, 6, 11, 0, 6, 4, 2, 6, 12, 7, 13, 14, 1, 6, 13, 8, 4, 3,
	5, 4, 11, 5, 3, 12, 0, 5, 10,
};

static const struct {
	const char	*slug;
	const char	*title;
	const char	*body;
} pages[] = {
	{ "about", "About", "The Gazette is a small independent publication "
	    "about cities, their history and the people who live in them.\n\n"
	    "We publish a few long articles every week. Our writers are "
	    "listed on their own pages, and every article says who wrote "
	    "it.\n\n## How we work\n\n- We check what we print.\n"
	    "- We correct mistakes openly.\n- We read every comment.\n" },
	{ "contact", "Contact", "Write to the newsroom at "
	    "<newsroom@example.com>.\n\nFor corrections, write to "
	    "<corrections@example.com> and tell us which article and what "
	    "is wrong.\n\n## Post\n\nThe Gazette  \n1 Example Street  \n"
	    "Example City\n" },
	{ "privacy", "Privacy", "When you comment, we keep your name, your "
	    "email address and your comment. The email address is never "
	    "shown anywhere.\n\nWe set a cookie to keep you logged in, and "
	    "one to remember your name for comments only if you ask us "
	    "to.\n" },
};

/* ---- comments ----------------------------------------------------------- */

static const char *const commenters[] = {
	"Anna Berg", "Pedro Alves", "Kenji Mori", "Claire Dubois",
	"Olu Adeyemi", "Henrik Lund", "Marta Silva", "Yusuf Demir",
	"Elena Petrova", "Sam Taylor", "Noor Haddad", "Liam Byrne",
};

static const char *const remarks[] = {
	"Lovely piece. I walked past it last summer and had no idea.",
	"I grew up two streets away. The photographs brought back a lot.",
	"Do you know where the *original* plans are kept? I would love to "
	    "see them.",
	"Great article, but the figures in the third paragraph look too "
	    "high to me.",
	"There is a good short history of this on "
	    "[the city archive's site](https://archive.example.org/).",
	"Thank you for writing about the volunteers. They never get the "
	    "credit.",
	"I am not convinced. **Who pays** for the next phase?",
	"We visited with the children last month. Worth it, even in the "
	    "rain.",
	"My grandfather worked there in the fifties. He would have loved "
	    "this.",
	"Small correction: it reopened in spring, not in autumn.",
	"More of this, please. Local stories like this are why I read the "
	    "paper.",
	"The queues really are that long. Go early.",
};

static const char *const replies[] = {
	"Good question. I will ask and update the article.",
	"Thank you! The archive has a reading room that is open to all.",
	"You are right, and we have corrected it. Thanks for reading so "
	    "closely.",
	"Agreed. It is one of my favourite places in the city.",
	"That matches what the engineers told me, too.",
	"I had the same thought when I first went there.",
};

/* Everything the articles refer to, looked up or made once. */
struct seed {
	int64_t		 author_ids[NELEM(authors)];
	int64_t		 tag_ids[NELEM(tags)];
	const char	*remark_html[NELEM(remarks)];
	const char	*reply_html[NELEM(replies)];
	struct buf	 body, excerpt, html;
};

/* The id the first column of st's row gives after binding text key. */
static int64_t
lookup_id(struct req *r, const char *sql, const char *key)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	if ((st = db_stmt(r, sql)) == NULL)
		return 0;
	db_bind_text(r, st, 1, key);
	if (db_step(r, st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	db_done(r, st);
	return id;
}

static void
seed_authors(struct req *r, struct seed *sd)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO users (username, email, display_name, bio,"
	    "    password, date_joined)"
	    " VALUES (?1, ?1 || '@example.com', ?2, ?3, '', 1541030400)";
	static const char sql_id[] = "SELECT id FROM users WHERE username = ?1";
	sqlite3_stmt	*st;

	for (size_t i = 0; i < NELEM(authors) && !req_failed(r); i++) {
		if ((st = db_stmt(r, sql)) == NULL)
			return;
		db_bind_text(r, st, 1, authors[i].username);
		db_bind_text(r, st, 2, authors[i].name);
		db_bind_text(r, st, 3, authors[i].bio);
		db_step(r, st);
		db_done(r, st);
		sd->author_ids[i] = lookup_id(r, sql_id, authors[i].username);
	}
}

static void
seed_tags(struct req *r, struct seed *sd)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO tags (slug, name, description)"
	    " VALUES (?1, ?2, ?3)";
	static const char sql_id[] = "SELECT id FROM tags WHERE slug = ?1";
	sqlite3_stmt	*st;
	char		 slug[SLUG_SIZE];

	for (size_t i = 0; i < NELEM(tags) && !req_failed(r); i++) {
		slug_make(tags[i].name, slug, sizeof(slug));
		if ((st = db_stmt(r, sql)) == NULL)
			return;
		db_bind_text(r, st, 1, slug);
		db_bind_text(r, st, 2, tags[i].name);
		db_bind_text(r, st, 3, tags[i].description);
		db_step(r, st);
		db_done(r, st);
		sd->tag_ids[i] = lookup_id(r, sql_id, slug);
	}
}

/* Markdown into the arena through sd->html, by fn. */
static const char *
seed_markdown(struct req *r, struct seed *sd, const char *md,
    int (*fn)(const char *, size_t, struct buf *))
{
	buf_reset(&sd->html);
	if (fn(md, strlen(md), &sd->html) != 0) {
		req_fail(r, 500, "seed: Markdown rendering failed");
		return "";
	}
	return arena_strdup(r->arena, sd->html.ptr);
}

static void
seed_pages(struct req *r, struct seed *sd)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO articles (kind, slug, title, excerpt, body,"
	    "    body_html, status, publish_at, author_id, comments_open,"
	    "    created_at, updated_at)"
	    " VALUES ('page', ?1, ?2, ?3, ?4, ?5, 'published', 1541030400,"
	    "    NULL, 0, 1541030400, 1541030400)";
	sqlite3_stmt	*st;

	for (size_t i = 0; i < NELEM(pages) && !req_failed(r); i++) {
		const char	*html = seed_markdown(r, sd, pages[i].body,
		    markdown_article);

		buf_reset(&sd->excerpt);
		markdown_excerpt(pages[i].body, strlen(pages[i].body), 300,
		    &sd->excerpt);
		if ((st = db_stmt(r, sql)) == NULL)
			return;
		db_bind_text(r, st, 1, pages[i].slug);
		db_bind_text(r, st, 2, pages[i].title);
		db_bind_text(r, st, 3, sd->excerpt.ptr);
		db_bind_text(r, st, 4, pages[i].body);
		db_bind_text(r, st, 5, html);
		db_step(r, st);
		db_done(r, st);
	}
}

/* Authors, tags, pages, and the comment bodies rendered once. */
static int
seed_setup(struct req *r, struct seed *sd)
{
	if (db_begin_write(r) != 0)
		return -1;
	seed_authors(r, sd);
	seed_tags(r, sd);
	seed_pages(r, sd);
	for (size_t i = 0; i < NELEM(remarks); i++)
		sd->remark_html[i] = seed_markdown(r, sd, remarks[i],
		    markdown_comment);
	for (size_t i = 0; i < NELEM(replies); i++)
		sd->reply_html[i] = seed_markdown(r, sd, replies[i],
		    markdown_comment);
	if (req_failed(r) || db_commit(r) != 0) {
		db_rollback(r);
		return -1;
	}
	return 0;
}

/* ---- one article -------------------------------------------------------- */

/* Article i's 1 to 3 tags: its noun's, then two more picked by i. */
static void
seed_article_tags(struct req *r, const struct seed *sd, int64_t id, int i)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO article_tags (article_id, tag_id)"
	    " VALUES (?1, ?2)";
	uint64_t	 j = ((uint64_t)i * 7919u) % 765049u;
	int		 pick[3], n = 1 + i % 3;
	sqlite3_stmt	*st;

	pick[0] = noun_tag[j % 29];
	pick[1] = (pick[0] + 1 + (int)(j % 7)) % (int)NELEM(tags);
	pick[2] = (pick[0] + 9 + (int)(j % 5)) % (int)NELEM(tags);
	for (int k = 0; k < n && !req_failed(r); k++) {
		if ((st = db_stmt(r, sql)) == NULL)
			return;
		db_bind_int64(r, st, 1, id);
		db_bind_int64(r, st, 2, sd->tag_ids[pick[k]]);
		db_step(r, st);
		db_done(r, st);
	}
}

/* One comment: its id, or 0 when r failed. */
static int64_t
seed_comment(struct req *r, int64_t article, int64_t parent, int64_t user,
    const char *name, const char *body, const char *html,
    const char *status, int64_t when)
{
	static const char sql[] =
	    "INSERT INTO comments (article_id, parent_id, depth, user_id,"
	    "    author_name, author_email, body, body_html, status, ip,"
	    "    user_agent, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5,"
	    "    lower(replace(?5, ' ', '.')) || '@example.net', ?6, ?7, ?8,"
	    "    '192.0.2.' || (?1 % 250 + 1), 'Mozilla/5.0 (demo)', ?9, ?9)";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return 0;
	db_bind_int64(r, st, 1, article);
	if (parent != 0)
		db_bind_int64(r, st, 2, parent);
	else
		db_bind_null(r, st, 2);
	db_bind_int64(r, st, 3, parent != 0);
	if (user != 0)
		db_bind_int64(r, st, 4, user);
	else
		db_bind_null(r, st, 4);
	db_bind_text(r, st, 5, name);
	db_bind_text(r, st, 6, body);
	db_bind_text(r, st, 7, html);
	db_bind_text(r, st, 8, status);
	db_bind_int64(r, st, 9, when);
	db_step(r, st);
	db_done(r, st);
	return req_failed(r) ? 0 : sqlite3_last_insert_rowid(db_handle());
}

/*
 * Every third article gets a thread of 1 to 6 comments, hours apart:
 * readers' remarks, some answered (one reply deep) by another reader or
 * by the article's author.  About one in eleven waits for moderation.
 */
static void
seed_comments(struct req *r, const struct seed *sd, int64_t id, int i,
    int64_t published, int author)
{
	int64_t	 last = 0;
	int	 n = i % 3 == 0 ? 1 + (i / 3) % 6 : 0;

	for (int k = 0; k < n && !req_failed(r); k++) {
		int64_t		 when = published + 3600LL * (k + 1) *
		    (1 + i % 5);
		size_t		 who = ((size_t)i + (size_t)k * 5) %
		    NELEM(commenters);
		size_t		 what = ((size_t)i * 7 + (size_t)k) %
		    NELEM(remarks);
		const char	*status = (i + k) % 11 == 0 ? "pending" :
		    "approved";
		bool		 own = i % 2 == 0;
		int64_t		 cid;

		if (k % 3 == 1 && last != 0) {
			what %= NELEM(replies);
			seed_comment(r, id, last, own ? sd->author_ids[author] :
			    0, own ? authors[author].name : commenters[who],
			    replies[what], sd->reply_html[what], "approved",
			    when);
			continue;
		}
		cid = seed_comment(r, id, 0, 0, commenters[who], remarks[what],
		    sd->remark_html[what], status, when);
		last = strcmp(status, "approved") == 0 ? cid : 0;
	}
}

/*
 * The body of article id, set after its tags: each tag added re-indexes
 * the article's full-text row (a trigger), so the body, inserted empty,
 * is indexed once, with the tags, instead of once per tag.  A third of
 * the time of a large seed.
 */
static void
seed_article_body(struct req *r, int64_t id, const char *body)
{
	static const char sql[] = "UPDATE articles SET body = ?2 WHERE id = ?1";
	sqlite3_stmt	*st;

	if ((st = db_stmt(r, sql)) == NULL)
		return;
	db_bind_int64(r, st, 1, id);
	db_bind_text(r, st, 2, body);
	db_step(r, st);
	db_done(r, st);
}

/*
 * Insert article i (of n: its date depends on both) with its tags and
 * comments, unless its slug is there.  1 if inserted, 0 if present, -1
 * when r failed.
 */
static int
seed_article(struct req *r, struct seed *sd, int i, int n)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO articles"
	    " (slug, title, excerpt, body, body_html, status, publish_at,"
	    "  author_id, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, '', ?4, 'published', ?5, ?6, ?5, ?7)";
	/* The timeline ends on 1 November 2026 and spans eight years. */
	const int64_t	 end = 1793491200, span = 8LL * 365 * 86400;
	int64_t		 when = end - span + span * (int64_t)(i + 1) / n;
	int64_t		 id;
	int		 author = (int)(((uint64_t)i * 5 + 3) % NELEM(authors));
	char		 title[256], slug[SLUG_SIZE];
	sqlite3_stmt	*st;

	/* Articles are spaced by the total asked for; the same i may get
	 * another date under another n, but never a second row. */
	when -= (i % 7) * 3607;
	title_for(i, title, sizeof(title));
	slug_make(title, slug, sizeof(slug));
	body_for(i, &sd->body, &sd->excerpt);
	buf_reset(&sd->html);
	if (markdown_article(sd->body.ptr, sd->body.len, &sd->html) != 0) {
		req_fail(r, 500, "seed: Markdown rendering failed");
		return -1;
	}
	if ((st = db_stmt(r, sql)) == NULL)
		return -1;
	db_bind_text(r, st, 1, slug);
	db_bind_text(r, st, 2, title);
	db_bind_text(r, st, 3, sd->excerpt.ptr);
	db_bind_text(r, st, 4, sd->html.ptr);
	db_bind_int64(r, st, 5, when);
	db_bind_int64(r, st, 6, sd->author_ids[author]);
	db_bind_int64(r, st, 7, when + (i % 5 == 0 ? 3 * 86400 : 0));
	if (db_step(r, st) != SQLITE_DONE ||
	    sqlite3_changes(db_handle()) == 0) {
		db_done(r, st);
		return req_failed(r) ? -1 : 0;
	}
	db_done(r, st);
	id = sqlite3_last_insert_rowid(db_handle());
	seed_article_tags(r, sd, id, i);
	seed_article_body(r, id, sd->body.ptr);
	seed_comments(r, sd, id, i, when, author);
	return req_failed(r) ? -1 : 1;
}

/* ---- the command -------------------------------------------------------- */

/* Articles from..to-1 of n in one transaction: how many were added, or -1. */
static int
seed_batch(struct req *r, struct seed *sd, int from, int to, int n)
{
	int	 added = 0, rc;

	if (db_begin_write(r) != 0)
		return -1;
	for (int i = from; i < to; i++) {
		if ((rc = seed_article(r, sd, i, n)) < 0)
			break;
		added += rc;
	}
	if (req_failed(r) || db_commit(r) != 0) {
		db_rollback(r);
		return -1;
	}
	return added;
}

int
seed_articles(struct req *r, int n, FILE *out)
{
	struct seed	 sd;
	int		 added = 0, rc = 0;

	if (n <= 0)
		return 0;
	memset(&sd, 0, sizeof(sd));
	buf_init(&sd.body);
	buf_init(&sd.excerpt);
	buf_init(&sd.html);
	if (seed_setup(r, &sd) != 0)
		rc = -1;
	for (int i = 0; i < n && rc >= 0; i += SEED_BATCH) {
		if ((rc = seed_batch(r, &sd, i, i + SEED_BATCH < n ?
		    i + SEED_BATCH : n, n)) >= 0)
			added += rc;
		if (out != NULL && n >= 10000)
			fprintf(out, "\r%d / %d", i + SEED_BATCH < n ?
			    i + SEED_BATCH : n, n);
	}
	if (out != NULL && n >= 10000)
		fprintf(out, "\n");
	buf_free(&sd.body);
	buf_free(&sd.excerpt);
	buf_free(&sd.html);
	return rc < 0 ? -1 : added;
}
