/*
 * report_format.c: the table of report formats (see report_format.h). A
 * new format is a writer in a file of its own and one line in each list
 * here, in the same place (test_report checks that they agree).
 */
#include <string.h>
#include "casefile.h"
#include "report_format.h"

const struct report_writer *const report_writers[] = {
	&report_text_writer, &report_md_writer, &report_json_writer, &report_html_writer, NULL
};

const char *const report_format_names[] = { "text", "md", "json", "html", NULL };

const struct report_writer *report_format_find(const char *name)
{
	size_t i;

	for (i = 0; report_writers[i]; i++)
		if (!strcmp(report_writers[i]->name, name))
			return report_writers[i];
	return NULL;
}

int report_format_status(FILE *out)
{
	return fflush(out) || ferror(out) ? CF_ERR_IO : 0;
}
