/*
 * entity.c: which names in a bundle are one thing (see entity.h). The map
 * is a union-find over canonical (kind, name) pairs in an open-addressing
 * table.
 */
#include <ctype.h>
#include <string.h>
#include "casefile.h"
#include "entity.h"

#define NAME_MAX_LEN 128

struct node {
	char *key;		/* "kind\tcanonical" */
	uint32_t parent;
};

struct entity_map {
	const struct causality *c;
	struct node *nodes;	/* in order of addition */
	uint32_t n;
	uint32_t *slots;	/* hash table of node index + 1 */
	uint32_t nslots;
};

struct entity_map *entity_map_new(const struct causality *c)
{
	struct entity_map *m = xcalloc(1, sizeof(*m));

	m->c = c;
	m->nslots = 2 * ENTITY_MAP_MAX;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	m->nodes = xcalloc(ENTITY_MAP_MAX, sizeof(*m->nodes));
	return m;
}

void entity_map_free(struct entity_map *m)
{
	uint32_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		free(m->nodes[i].key);
	free(m->nodes);
	free(m->slots);
	free(m);
}

/* sdb1 -> sdb, nvme0n1p2 -> nvme0n1, mmcblk0p1 -> mmcblk0; dm-3 and md0 stay */
static void disk_of(char *d)
{
	size_t len = strlen(d);
	char *p;

	if (!strncmp(d, "dm-", 3) || !strncmp(d, "md", 2) || !strncmp(d, "loop", 4))
		return;
	if (!strncmp(d, "nvme", 4)) {
		/* its controller: nvme0n1p2 and nvme0n1 are nvme0, as its resets name it */
		for (p = d + 4; isdigit((unsigned char)*p); p++)
			;
		*p = '\0';
		return;
	}
	if (!strncmp(d, "mmcblk", 6)) {
		p = strrchr(d, 'p');
		if (p && p > d + 4 && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
			*p = '\0';
		return;
	}
	if (!strncmp(d, "sd", 2) || !strncmp(d, "vd", 2) || !strncmp(d, "xvd", 3) ||
	    !strncmp(d, "hd", 2))
		while (len > 1 && isdigit((unsigned char)d[len - 1]))
			d[--len] = '\0';
}

/* nginx.service, postgresql@16-main.service, user@1000.service -> their base */
static void unit_base(char *u)
{
	static const char *const types[] = { ".service", ".socket", ".mount", ".timer",
		".target", ".scope", ".slice", ".path", ".swap", ".device", ".automount" };
	size_t i, n = strlen(u), k;
	char *at;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		k = strlen(types[i]);
		if (n > k && !strcmp(u + n - k, types[i])) {
			u[n - k] = '\0';
			break;
		}
	}
	if ((at = strchr(u, '@')))
		*at = '\0';
}

static void strip_prefix(char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!strncmp(s, prefix, n))
		memmove(s, s + n, strlen(s + n) + 1);
}

/*
 * A signal by its name: 11, SIGSEGV, SEGV and the kernel's "segfault" are
 * SEGV; a trap's "invalid opcode" is ILL, "divide error" FPE.
 */
static void signal_name(char *s, size_t n)
{
	static const struct { const char *from, *to; } words[] = {
		{ "segfault", "SEGV" }, { "general protection fault", "SEGV" },
		{ "trap bounds", "SEGV" }, { "trap invalid opcode", "ILL" },
		{ "invalid opcode", "ILL" }, { "trap divide error", "FPE" },
		{ "divide error", "FPE" }, { "trap int3", "TRAP" }, { "trap stack segment", "BUS" },
		{ "abort", "ABRT" }, { "Aborted", "ABRT" }, { "Segmentation fault", "SEGV" },
	};
	static const char *const numbered[] = { NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT",
		"BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM" };
	size_t i;
	char *end;
	long v = strtol(s, &end, 10);

	if (end != s && !*end && v > 0 && v < (long)ARRAY_SIZE(numbered)) {
		snprintf(s, n, "%s", numbered[v]);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(s, words[i].from)) {
			snprintf(s, n, "%s", words[i].to);
			return;
		}
	strip_prefix(s, "SIG");
}

void entity_canonical(const char *kind, const char *v, char *out, size_t n)
{
	size_t len;

	snprintf(out, n, "%s", v);
	if (!strcmp(kind, "unit")) {
		unit_base(out);
	} else if (!strcmp(kind, "device")) {
		strip_prefix(out, "/dev/");
		strip_prefix(out, "mapper/");
		disk_of(out);
	} else if (!strcmp(kind, "process")) {
		if (strlen(out) > 15)
			out[15] = '\0';
	} else if (!strcmp(kind, "peer")) {
		char *colon = strrchr(out, ':');

		if (out[0] == '[' && strchr(out, ']')) {
			memmove(out, out + 1, strlen(out));
			*strchr(out, ']') = '\0';
		} else if (colon && strchr(out, ':') == colon && isdigit((unsigned char)colon[1])) {
			*colon = '\0';	/* host:port, not an IPv6 address */
		}
	} else if (!strcmp(kind, "signal")) {
		signal_name(out, n);
	} else if (!strcmp(kind, "mount") || !strcmp(kind, "path")) {
		len = strlen(out);
		while (len > 1 && out[len - 1] == '/')
			out[--len] = '\0';
	}
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The node of (kind, v), added when add and there is room; UINT32_MAX when none. */
static uint32_t node_of(struct entity_map *m, const char *kind, const char *v, int add)
{
	char canon[NAME_MAX_LEN], key[NAME_MAX_LEN + 32];
	uint32_t h, i;

	entity_canonical(kind, v, canon, sizeof(canon));
	if (!canon[0])
		return UINT32_MAX;
	snprintf(key, sizeof(key), "%s\t%s", kind, canon);
	h = hash(key) % m->nslots;
	for (i = 0; i < m->nslots; i++, h = (h + 1) % m->nslots) {
		uint32_t s = m->slots[h];

		if (!s)
			break;
		if (!strcmp(m->nodes[s - 1].key, key))
			return s - 1;
	}
	if (!add || m->n == ENTITY_MAP_MAX || i == m->nslots)
		return UINT32_MAX;
	m->nodes[m->n].key = xstrdup(key);
	m->nodes[m->n].parent = m->n;
	m->slots[h] = m->n + 1;
	return m->n++;
}

static uint32_t find(const struct entity_map *m, uint32_t x)
{
	while (m->nodes[x].parent != x)
		x = m->nodes[x].parent;
	return x;
}

void entity_map_join(struct entity_map *m, const char *kind_a, const char *a,
		     const char *kind_b, const char *b)
{
	uint32_t x = node_of(m, kind_a, a, 1), y = node_of(m, kind_b, b, 1);

	if (x == UINT32_MAX || y == UINT32_MAX)
		return;
	x = find(m, x);
	y = find(m, y);
	if (x != y)
		m->nodes[x > y ? x : y].parent = x > y ? y : x;
}

/* Are a and b the same name once digits and punctuation are left out (4 letters at least)? */
static int same_letters(const char *a, const char *b)
{
	size_t n = 0;

	for (;;) {
		while (*a && !isalpha((unsigned char)*a))
			a++;
		while (*b && !isalpha((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b && n >= 4;
		if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
			return 0;
		n++;
	}
}

/* Does program (a comm) run unit (by name, or by rules/entities.yaml)? */
static int runs(const struct causality *c, const char *program, const char *unit)
{
	char base[NAME_MAX_LEN];
	char *const *units;
	size_t a, i;

	if (c && (causality_is_runtime(c, program) || causality_is_supervisor(c, program)))
		return 0;
	entity_canonical("unit", unit, base, sizeof(base));
	if (c && (units = causality_units_of(c, program))) {
		for (i = 0; units[i]; i++)
			if (!strcmp(units[i], base))
				return 1;
		return 0;
	}
	a = strlen(program);
	if (a >= 3 && strlen(base) >= a && !strncmp(base, program, a))
		return 1;
	/* the same letters, versions aside: php-fpm8.2 runs php8.2-fpm.service */
	return same_letters(program, base);
}

/* path is under mount (not "/": every path is, so it says nothing) */
static int under(const char *mount, const char *path)
{
	char mt[NAME_MAX_LEN], p[NAME_MAX_LEN];
	size_t n;

	entity_canonical("mount", mount, mt, sizeof(mt));
	entity_canonical("path", path, p, sizeof(p));
	n = strlen(mt);
	return n > 1 && !strncmp(p, mt, n) && (p[n] == '/' || !p[n]);
}

/* One value of a and one of b: one thing? Why, into why. */
static int one_thing(const struct entity_map *m, const char *ka, const char *va,
		     const char *kb, const char *vb, struct buf *why)
{
	char x[NAME_MAX_LEN], y[NAME_MAX_LEN];
	uint32_t nx, ny;

	if (!strcmp(ka, kb)) {
		entity_canonical(ka, va, x, sizeof(x));
		entity_canonical(kb, vb, y, sizeof(y));
		if (x[0] && !strcmp(x, y)) {
			buf_addf(why, "same %s %s", ka, va);
			return 1;
		}
	}
	if (!strcmp(ka, "process") && !strcmp(kb, "unit") && runs(m->c, va, vb)) {
		buf_addf(why, "%s runs %s", va, vb);
		return 1;
	}
	if (!strcmp(kb, "process") && !strcmp(ka, "unit") && runs(m->c, vb, va)) {
		buf_addf(why, "%s runs %s", vb, va);
		return 1;
	}
	if (!strcmp(ka, "mount") && !strcmp(kb, "path") && under(va, vb)) {
		buf_addf(why, "%s is on %s", vb, va);
		return 1;
	}
	if (!strcmp(kb, "mount") && !strcmp(ka, "path") && under(vb, va)) {
		buf_addf(why, "%s is on %s", va, vb);
		return 1;
	}
	nx = node_of((struct entity_map *)m, ka, va, 0);
	ny = node_of((struct entity_map *)m, kb, vb, 0);
	if (nx == UINT32_MAX || ny == UINT32_MAX || find(m, nx) != find(m, ny))
		return 0;
	buf_addf(why, "%s %s is %s %s", ka, va, kb, vb);
	return 1;
}

static int wanted(char *const *kinds, const char *k)
{
	size_t i;

	for (i = 0; kinds && kinds[i]; i++)
		if (!strcmp(kinds[i], k))
			return 1;
	return 0;
}

int entity_map_shared(const struct entity_map *m, const json_t *a, const json_t *b,
		      char *const *kinds, struct buf *why)
{
	const char *ka, *kb;
	json_t *va, *vb;
	size_t i, j;

	json_object_foreach((json_t *)a, ka, va) {
		if (!wanted(kinds, ka))
			continue;
		json_object_foreach((json_t *)b, kb, vb) {
			if (!wanted(kinds, kb))
				continue;
			for (i = 0; i < json_array_size(va); i++)
				for (j = 0; j < json_array_size(vb); j++)
					if (one_thing(m, ka, json_string_value(json_array_get(va, i)),
						      kb, json_string_value(json_array_get(vb, j)),
						      why))
						return 1;
		}
	}
	return 0;
}

static int is_month(const char *p)
{
	static const char *const months = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t i;

	for (i = 0; i < 36; i += 3)
		if (!strncmp(p, months + i, 3) && p[3] == ' ')
			return 1;
	return 0;
}

/* The next space-separated word of [*p, end), and *p after it. */
static size_t word(const char **p, const char *end, const char **start)
{
	while (*p < end && **p == ' ')
		(*p)++;
	*start = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	return (size_t)(*p - *start);
}

static void tag_of(const struct causality *c, const char *line, size_t len,
		   struct line_subject *s)
{
	const char *p = line, *end = line + len, *w, *br;
	size_t n, skip, k;

	if (is_month(line))
		skip = 3;	/* Nov 20 03:12:09 */
	else if (len > 10 && isdigit((unsigned char)line[0]) && line[4] == '-' && line[7] == '-')
		skip = 1;	/* 2026-11-20T03:12:09+01:00 */
	else
		return;
	for (k = 0; k < skip + 1; k++)	/* the time, then the host */
		if (!word(&p, end, &w))
			return;
	n = word(&p, end, &w);
	if (n < 2 || w[n - 1] != ':')
		return;
	n--;
	br = memchr(w, '[', n);
	snprintf(s->process, sizeof(s->process), "%.*s", (int)(br ? (size_t)(br - w) : n), w);
	if (br && w[n - 1] == ']' && (size_t)(w + n - 1 - br - 1) < sizeof(s->pid))
		snprintf(s->pid, sizeof(s->pid), "%.*s", (int)(w + n - 1 - br - 1), br + 1);
	/* postfix/smtpd[812]: the program is postfix */
	if (strchr(s->process, '/') && strchr(s->process, '/') != s->process)
		*strchr(s->process, '/') = '\0';
	if ((c && causality_is_supervisor(c, s->process)) || strchr(s->process, '/') == s->process)
		s->process[0] = s->pid[0] = '\0';
}

void entity_line_subject(const struct causality *c, const char *line, size_t len,
			 struct line_subject *s)
{
	static const char slice[] = ".slice/";
	const char *p = line, *end = line + len, *u;

	memset(s, 0, sizeof(*s));
	tag_of(c, line, len, s);
	/* /system.slice/nginx.service, /system.slice/system-postgresql.slice/postgresql@16-main.service */
	while ((p = memmem(p, (size_t)(end - p), slice, sizeof(slice) - 1))) {
		const char *q;

		u = p += sizeof(slice) - 1;
		for (q = u; q < end && !memchr("/, \t\"'", *q, 6); q++)
			;
		if (q - u > 8 && q - u < (long)sizeof(s->unit) && !memcmp(q - 8, ".service", 8)) {
			snprintf(s->unit, sizeof(s->unit), "%.*s", (int)(q - u), u);
			return;
		}
	}
}
