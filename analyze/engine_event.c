/*
 * engine_event.c: is a match a new event, or one already counted (see
 * engine_state.h)?
 *
 * A host writes many events twice. systemd logs one failed start as "Main
 * process exited, code=exited" and then "Failed with result 'exit-code'";
 * rsyslog and the journal both keep every message, and kern.log repeats
 * the kernel's lines of syslog. Counted twice, a service "failed 4 times"
 * when it failed twice, and a threshold of 3 is met by one event.
 */
#include <stdlib.h>
#include "casefile.h"
#include "engine_state.h"

#define EVENT_MAX 4096		/* events kept per condition (a power of two) */
#define QUARTER 900		/* time zones are whole quarters of an hour */
#define ZONE_MAX (14 * 3600)

uint64_t event_subject(const struct pattern *pt, const char *line, const size_t *ov)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t k, i;

	for (k = 0; k < ENTITY_NR; k++) {
		int g = pt->ent_group[k];

		if (g <= 0 || ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] == ov[2 * g])
			continue;
		for (i = ov[2 * g]; i < ov[2 * g + 1]; i++)
			h = (h ^ (unsigned char)line[i]) * 1099511628211ULL;
		return h | 1;
	}
	return 0;
}

/* The next line or two, the same second and subject (or one of the two
 * names none: "Failed to mount /srv." after "srv.mount: Failed with result"),
 * another pattern. */
static int reworded(unsigned member, const struct cond_state *cs, size_t pat, uint64_t lineno,
		    struct ts ts, uint64_t subject)
{
	return cs->count && cs->last_member == member && pat != cs->last_pat &&
	       lineno > cs->last_line && lineno - cs->last_line <= 2 && ts.kind != TS_NONE &&
	       ts.kind == cs->last_ts.kind && ts.sec == cs->last_ts.sec &&
	       (subject == cs->last_subject || !subject || !cs->last_subject);
}

/*
 * The same second on two clocks: the same kind and second; or one log in
 * UTC (the journal's ISO times) and one in local time (a traditional
 * syslog), a whole number of quarter hours apart, as time zones are.
 */
static int same_second(int kind_a, int64_t a, int kind_b, int64_t b)
{
	int64_t d = a - b;

	if (kind_a == kind_b)
		return !d;
	if (!((kind_a == TS_WALL && kind_b == TS_LOCAL) || (kind_a == TS_LOCAL && kind_b == TS_WALL)))
		return 0;
	return d % QUARTER == 0 && d <= ZONE_MAX && d >= -ZONE_MAX;
}

static size_t slot(int64_t sec, uint64_t subject, size_t pat)
{
	uint64_t q = (uint64_t)(((sec % QUARTER) + QUARTER) % QUARTER);
	uint64_t h = (q * 0x9e3779b97f4a7c15ULL) ^ subject ^ ((uint64_t)pat << 32);

	return (size_t)((h ^ (h >> 29)) & (EVENT_MAX - 1));
}

/* Seen in another member of the bundle? Remembered for the next ones. */
static int copied(unsigned member, struct cond_state *cs, size_t pat, struct ts ts,
		  uint64_t subject)
{
	size_t i;

	if (ts.kind != TS_WALL && ts.kind != TS_LOCAL)
		return 0;	/* seconds since boot: another boot's dmesg says the same */
	if (!cs->seen)
		cs->seen = xcalloc(EVENT_MAX, sizeof(*cs->seen));
	for (i = slot(ts.sec, subject, pat); cs->seen[i].pat; i = (i + 1) & (EVENT_MAX - 1)) {
		const struct event_key *k = &cs->seen[i];

		if (k->pat == pat + 1 && k->subject == subject && k->member != member &&
		    same_second(k->kind, k->sec, ts.kind, ts.sec))
			return 1;
	}
	/* three quarters full: later events are counted as they come */
	if (cs->nseen < EVENT_MAX / 4 * 3) {
		cs->seen[i] = (struct event_key){ ts.sec, subject, (uint32_t)pat + 1, member,
						  ts.kind };
		cs->nseen++;
	}
	return 0;
}

enum event_kind event_seen(unsigned member, struct cond_state *cs, size_t pat, uint64_t lineno,
			   struct ts ts, uint64_t subject)
{
	/* a second wording is remembered too: another log may have only it */
	int again = reworded(member, cs, pat, lineno, ts, subject);
	int copy = copied(member, cs, pat, ts, subject);
	enum event_kind k = again ? EVENT_REWORDED : copy ? EVENT_COPY : EVENT_NEW;

	cs->last_member = member;
	cs->last_line = lineno;
	cs->last_pat = pat;
	cs->last_ts = ts;
	cs->last_subject = subject;
	return k;
}
