/*
 * ratelimit: one 64-bit word per slot: the window's start (Unix seconds,
 * high 32 bits, which last until 2106) and the count (low 32 bits).  A
 * hit in a new window swaps the word for (window, 1); in the same
 * window it adds one; both by compare-and-swap, so concurrent workers
 * never lose a count.
 */
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include <sodium.h>

#include "core/log.h"
#include "core/ratelimit.h"

struct table {
	unsigned char	 key[crypto_shorthash_KEYBYTES];
	_Atomic uint64_t slot[RATELIMIT_SLOTS];
};

static struct table *table;

int
ratelimit_init(void)
{
	void	*p;

	if (table != NULL)
		return 0;
	p = mmap(NULL, sizeof(*table), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_msg(LOG_ERROR, "msg=\"ratelimit: mmap failed; the API "
		    "counts in the database instead\"");
		return -1;
	}
	table = p;
	crypto_shorthash_keygen(table->key);
	for (size_t i = 0; i < RATELIMIT_SLOTS; i++)
		atomic_init(&table->slot[i], 0);
	return 0;
}

bool
ratelimit_ready(void)
{
	return table != NULL;
}

int64_t
ratelimit_hit(const char *key, int64_t window)
{
	unsigned char	 h[crypto_shorthash_BYTES];
	uint64_t	 w = (uint64_t)window & 0xffffffffu, old, new;
	_Atomic uint64_t *s;
	size_t		 i;

	if (table == NULL)
		return -1;
	crypto_shorthash(h, (const unsigned char *)key, strlen(key),
	    table->key);
	memcpy(&i, h, sizeof(i) < sizeof(h) ? sizeof(i) : sizeof(h));
	s = &table->slot[i % RATELIMIT_SLOTS];
	old = atomic_load(s);
	do {
		if (old >> 32 == w && (old & 0xffffffffu) < 0xffffffffu)
			new = old + 1;
		else if (old >> 32 == w)
			new = old;		/* saturated */
		else
			new = w << 32 | 1;
	} while (!atomic_compare_exchange_weak(s, &old, new));
	return (int64_t)(new & 0xffffffffu);
}

#ifdef GAZETTE_TEST
void
ratelimit_shutdown(void)
{
	if (table != NULL)
		munmap(table, sizeof(*table));
	table = NULL;
}
#endif
