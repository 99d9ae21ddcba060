/*
 * template.h: fill a rule's explanation or remediation for one finding.
 *
 *	{NAME}           a named capture of the first match ({pid}, {mount})
 *	{count}          how many matching lines: 3
 *	{count NOUN}     with its noun: "1 kill", "3 kills"; {count crash|crashes}
 *	{times}          "once" or "3 times"
 *	{span}           "at T" or "between T1 and T2" (nothing without times)
 *	{first_seen} {last_seen}
 *	{threshold} {window}   of the rule's main condition: 10, "5m"
 *	{rule}           the rule's id
 *
 * An unknown name stays as written, so a typo shows in the report.
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include "engine.h"

/* A new string (the caller frees it), without trailing white space. */
char *template_expand(const char *tmpl, const struct finding *f);

/* "once" or "3 times" into out (the {times} of templates, and reports). */
const char *template_times(uint64_t count, char *out, size_t n);

#endif
