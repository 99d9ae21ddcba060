/*
 * engine_unrec.c: errors no rule recognises, as one finding (see
 * unrecognised.h and engine_state.h). After the rules' findings are linked,
 * the templates that matter are those of a program whose unit failed or
 * which crashed with no recognised cause (logged before the failure), and
 * bursts; they become one finding of the engine's own rule, medium when it
 * stands for a failure's cause, low for a burst alone. It is linked like
 * any other (it explains the failure of its program's unit), and ranks
 * below every recognised cause.
 */
#include <string.h>
#include "casefile.h"
#include "engine_state.h"

#define UNREC_SHOWN 8		/* templates in the explanation and evidence */
#define BEFORE_FAILURE 1800	/* seconds before a failure its errors are looked for */
#define RUNTIME_BEFORE 120	/* ... a runtime's errors, known by time alone */

static struct rule unrec_rule = {
	.file = "(built in)",
	.id = "unrecognised-errors",
	.title = "Error lines no rule recognises",
	.category = "logging.unrecognised",
	.severity = SEV_LOW,
	.explanation = "",
	.remediation = "",
	.builtin = 1,
};

/* A finding whose failure nothing explains: a unit failed, a process crashed. */
static int unexplained_failure(const struct finding *f)
{
	return !f->nexplained_by && !f->rule->builtin &&
	       (!strncmp(f->rule->category, "service.", 8) ||
		!strncmp(f->rule->category, "process.", 8));
}

/*
 * Did the template's program log it before f's failure? 1 when the program
 * runs f's unit, 2 when a runtime logged it just before (known by time), 0.
 */
static int before_failure(const struct engine *e, const struct unrec_template *t,
			  struct ts first, const struct finding *f)
{
	json_t *mine = json_pack("{s:[s]}", "process", t->program);

	if (t->pid[0])
		json_object_set_new(mine, "pid", json_pack("[s]", t->pid));
	char *const kinds[] = { "unit", "process", "pid", NULL };
	struct buf why = BUF_INIT(0);
	int r;

	if (!t->program[0] || causality_is_supervisor(e->causality, t->program)) {
		json_decref(mine);
		return 0;
	}
	/* a runtime's name (java, python, gunicorn) says nothing of its unit: its
	 * errors just before a unit failed are that unit's (RUNTIME_BEFORE) */
	if (causality_is_runtime(e->causality, t->program)) {
		json_decref(mine);
		return first.kind == TS_WALL && f->first.kind == TS_WALL &&
		       first.sec <= f->first.sec + 5 && first.sec >= f->first.sec - RUNTIME_BEFORE ?
		       2 : 0;
	}
	r = entity_map_shared(e->emap, mine, f->entities, kinds, &why);
	json_decref(mine);
	buf_release(&why);
	if (!r || first.kind != TS_WALL || f->first.kind != TS_WALL)
		return r;
	return first.sec <= f->first.sec + 60 && first.sec >= f->first.sec - BEFORE_FAILURE;
}

static void add_evidence(struct finding *f, const struct unrec_template *t, struct ts ts)
{
	struct evidence *ev;

	f->ev = xrealloc(f->ev, (f->nev + 1) * sizeof(*f->ev));
	ev = &f->ev[f->nev++];
	ev->path = xstrdup(t->path);
	ev->line = t->line;
	ev->text = xstrdup(t->line_text);
	ev->ts = ts;
	ev->member = t->member;
}

static void add_entity(json_t *ents, const char *kind, const char *v)
{
	json_t *a = json_object_get(ents, kind);
	size_t i;

	if (!*v)
		return;
	if (!a)
		json_object_set_new(ents, kind, a = json_array());
	for (i = 0; i < json_array_size(a); i++)
		if (!strcmp(json_string_value(json_array_get(a, i)), v))
			return;
	json_array_append_new(a, json_string(v));
}

/* One template into the finding: its line as evidence, its entities, its counts. */
static void take(struct finding *f, const struct unrec_template *t, const struct ts_clock *ck,
		 struct buf *text)
{
	struct ts first = ts_to_wall(t->first, ck), last = ts_to_wall(t->last, ck);
	char a[40], b[40];

	f->count += t->count;
	if (first.kind != TS_NONE && (f->first.kind == TS_NONE || first.sec < f->first.sec))
		f->first = first;
	if (last.kind != TS_NONE && (f->last.kind == TS_NONE || last.sec > f->last.sec))
		f->last = last;
	add_entity(f->entities, "process", t->program);
	add_entity(f->entities, "pid", t->pid);
	json_array_append_new(json_object_get(f->captures, "templates"),
			      json_pack("{s:s, s:s, s:I, s:s?, s:s?, s:b}", "program", t->program,
					"template", t->text, "count", (json_int_t)t->count,
					"first_seen", first.kind ? ts_format(first, a, sizeof(a)) : NULL,
					"last_seen", last.kind ? ts_format(last, b, sizeof(b)) : NULL,
					"burst", t->burst));
	if (f->nev >= UNREC_SHOWN)
		return;
	add_evidence(f, t, first);
	buf_addf(text, "%s%s%s%s (%llu line%s)", text->len ? "; " : "", t->program,
		 t->program[0] ? ": " : "", t->text, (unsigned long long)t->count,
		 t->count == 1 ? "" : "s");
}

int engine_unrecognised(struct engine *e, const struct ts_clock *ck)
{
	size_t n, i, j, nfailures = 0;
	const struct unrec_template *t = unrec_templates(e->unrec, &n);
	struct buf text = BUF_INIT(0);
	struct finding *f;
	int *take_it = xcalloc(n + 1, sizeof(*take_it)), any = 0;
	size_t *tie = xcalloc(n + 1, sizeof(*tie));

	for (i = 0; i < n; i++) {
		struct ts first = ts_to_wall(t[i].first, ck);

		tie[i] = SIZE_MAX;
		for (j = 0; j < e->nfindings && !take_it[i]; j++) {
			int b = unexplained_failure(&e->findings[j]) ?
				before_failure(e, &t[i], first, &e->findings[j]) : 0;

			if (b)
				take_it[i] = 2;
			if (b == 2)
				tie[i] = j;	/* its unit, for the link */
		}
		if (!take_it[i] && t[i].burst)
			take_it[i] = 1;
		any |= take_it[i];
		nfailures += take_it[i] == 2;
	}
	if (!any) {
		free(take_it);
		free(tie);
		return 0;
	}
	e->findings = xrealloc(e->findings, (e->nfindings + 1) * sizeof(*e->findings));
	f = &e->findings[e->nfindings++];
	memset(f, 0, sizeof(*f));
	f->rule = &unrec_rule;
	f->severity = nfailures ? SEV_MEDIUM : SEV_LOW;
	f->entities = json_object();
	f->captures = json_pack("{s:[]}", "templates");
	/* those that stand for a failure first, then the bursts */
	for (j = 2; j >= 1; j--)
		for (i = 0; i < n; i++)
			if (take_it[i] == (int)j)
				take(f, &t[i], ck, &text);
	for (i = 0; i < n; i++) {
		json_t *units = tie[i] != SIZE_MAX ?
			json_object_get(e->findings[tie[i]].entities, "unit") : NULL;

		for (j = 0; j < json_array_size(units); j++)
			add_entity(f->entities, "unit", json_string_value(json_array_get(units, j)));
	}
	{
		struct buf x = BUF_INIT(0);

		buf_addf(&x, "These lines read like errors and no rule of the library recognises "
			 "them (%llu in all%s): %s", (unsigned long long)f->count, nfailures ?
			 "; a failure that nothing else explains came just after them" : "",
			 text.data);
		f->explanation = buf_detach(&x, NULL);
	}
	f->remediation = xstrdup("Read these lines first: they are what the programs said "
				 "before things went wrong. When they are a known problem, a rule "
				 "makes the next report say so (docs/rules.md).");
	buf_release(&text);
	free(take_it);
	free(tie);
	return 1;
}
