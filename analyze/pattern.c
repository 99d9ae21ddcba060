/*
 * pattern.c: compile a rule's pattern (see rules.h): its macros expanded,
 * JIT-compiled, its literals for the scanner, the groups of its entities.
 */
#include <string.h>
#include "casefile.h"
#include "literal.h"
#include "rules.h"

/*
 * "{kernel}": where a message of the kernel's own starts. In syslog and the
 * journal it follows the program field "kernel: ", the time and host before
 * it ("Nov 20 03:12:09 db1 kernel: ", "2026-11-20T03:12:09+01:00 db1
 * kernel: "), and dmesg's time if any; in dmesg it starts the line, after
 * the time in any of dmesg's formats (seconds since boot, ISO, -T's
 * "[Fri Nov 20 03:12:09 2026]"). An application quoting a kernel message
 * ("alertbot[812]: ... db1 kernel: Out of memory") is none.
 */
#define KERNEL_START "(?:^(?:<\\d+>)?(?:\\S+ +){2,4}kernel: (?:\\[\\s*\\d+\\.\\d+\\] )?|" \
	"^(?:\\S+ )?(?:\\[\\s*\\d+\\.\\d+\\] |\\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d " \
	"\\d\\d:\\d\\d:\\d\\d \\d{4}\\] )?)"

/* "{kernel_dev}": the same, then up to three words a driver puts first
 * ("sd 2:0:0:0: ", "pcieport 0000:00:1c.0: ", "TCP: request_sock_TCP: "). */
#define KERNEL_DEV KERNEL_START "(?:\\S+ ){0,3}?"

char *pattern_expand(const char *text)
{
	static const struct { const char *name, *with; } macros[] = {
		{ "{kernel}", KERNEL_START }, { "{kernel_dev}", KERNEL_DEV },
	};
	struct buf b = BUF_INIT(0);
	size_t i;

	while (*text) {
		for (i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
			if (!strncmp(text, macros[i].name, strlen(macros[i].name)))
				break;
		if (i < sizeof(macros) / sizeof(macros[0])) {
			buf_addstr(&b, macros[i].with);
			text += strlen(macros[i].name);
		} else {
			buf_addch(&b, *text++);
		}
	}
	return buf_detach(&b, NULL);
}

int pattern_compile(struct pattern *pt, const char *rule_text, int caseless, struct buf *why)
{
	int code;
	PCRE2_SIZE off;
	size_t k;
	char *text = pattern_expand(rule_text);

	memset(pt, 0, sizeof(*pt));
	pt->text = xstrdup(rule_text);
	pt->caseless = caseless || !strncmp(text, "(?i)", 4);
	pt->code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED,
				 (caseless ? PCRE2_CASELESS : 0) | PCRE2_DOLLAR_ENDONLY,
				 &code, &off, NULL);
	if (!pt->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		buf_addf(why, "pattern does not compile at offset %zu: %s (in '%s')",
			 (size_t)off, (char *)msg, text);
		free(text);
		return CF_ERR_PARSE;
	}
	pcre2_jit_compile(pt->code, PCRE2_JIT_COMPLETE);
	pcre2_pattern_info(pt->code, PCRE2_INFO_CAPTURECOUNT, &pt->ngroups);
	pt->ngroups = pt->ngroups + 1 < SEARCH_GROUPS ? pt->ngroups + 1 : SEARCH_GROUPS;
	pt->nlits = literal_extract(text, &pt->lits);
	for (k = 0; k < ENTITY_NR; k++)
		pt->ent_group[k] = pcre2_substring_number_from_name(pt->code,
					(PCRE2_SPTR)entity_names[k]);
	free(text);
	return 0;
}

void pattern_release(struct pattern *pt)
{
	size_t k;

	free(pt->text);
	pcre2_code_free(pt->code);
	for (k = 0; k < pt->nlits; k++)
		free(pt->lits[k].text);
	free(pt->lits);
	free(pt->where_group);
	memset(pt, 0, sizeof(*pt));
}
