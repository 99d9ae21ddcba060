/*
 * unrecognised.h: error lines no rule recognises, as message templates.
 *
 * Nothing is silent: a service log line that reads like an error ("error",
 * "failed", "fatal", "denied", ...) and that no rule's pattern matched is
 * kept as a template: its program, then its message with what varies
 * masked (numbers <n>, hex <hex>, ids <id>, addresses <ip>, paths <path>,
 * quoted text <str>), so the same message with other values is one
 * template. A template keeps its count, its first and last time, one real
 * line as evidence, and whether it came in a burst. The engine turns the
 * templates that matter (those of a program whose unit failed or crashed
 * with no recognised cause, and bursts) into one finding ranked below
 * every recognised cause (engine_decide.c).
 *
 * Memory is bounded: UNREC_TEMPLATES templates; lines of more are counted.
 */
#ifndef UNRECOGNISED_H
#define UNRECOGNISED_H

#include <stddef.h>
#include <stdint.h>
#include "timestamp.h"

#define UNREC_TEMPLATES 1024
#define UNREC_TEXT 200		/* bytes of a template */
#define UNREC_BURST 20		/* lines of one template within UNREC_BURST_WINDOW */
#define UNREC_BURST_WINDOW 600

/* The words that make a line read like an error (for the scanner). */
extern const char *const unrec_words[];

struct unrec_template {
	char text[UNREC_TEXT + 1];	/* "nginx: connect() to <ip>:<n> failed (<n>: ...)" */
	char program[64];		/* the syslog tag's program, or "" */
	char pid[16];
	uint64_t count;
	struct ts first, last;
	int burst;			/* UNREC_BURST lines within UNREC_BURST_WINDOW */
	char *path, *line_text;		/* one real line: the first */
	uint64_t line;
	unsigned member;
	struct ts ring[UNREC_BURST];	/* the last times, for the burst */
	size_t ring_n, ring_pos;
};

struct unrecognised;

struct unrecognised *unrec_new(void);
void unrec_free(struct unrecognised *u);

/*
 * A line of a service log that holds one of unrec_words and no rule
 * matched: kept unless it only mentions an error ("0 errors"). program
 * and pid from its syslog tag (may be "").
 */
void unrec_line(struct unrecognised *u, const char *path, unsigned member, uint64_t lineno,
		const char *line, size_t len, struct ts ts, const char *program, const char *pid);

/* The templates, in the order they were first seen. */
const struct unrec_template *unrec_templates(const struct unrecognised *u, size_t *n);
/* Lines past the cap on templates (counted, not kept). */
uint64_t unrec_dropped(const struct unrecognised *u);

/* The template of a line, into out (UNREC_TEXT + 1 bytes): for tests. */
void unrec_template_of(const char *line, size_t len, char *out);

#endif
