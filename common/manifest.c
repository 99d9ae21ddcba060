/*
 * manifest.c: the names of item statuses (see manifest.h).
 */
#include <string.h>
#include "casefile.h"
#include "manifest.h"

static const char *const status_names[ITEM_STATUS_NR] = {
	[ITEM_OK] = "ok",
	[ITEM_ABSENT] = "absent",
	[ITEM_SKIPPED] = "skipped",
	[ITEM_NOT_APPLICABLE] = "not-applicable",
	[ITEM_DENIED] = "denied",
	[ITEM_REFUSED] = "refused",
	[ITEM_TIMEOUT] = "timeout",
	[ITEM_FAILED] = "failed",
	[ITEM_INTERRUPTED] = "interrupted",
	[ITEM_ERROR] = "error",
};

const char *item_status_name(enum item_status s)
{
	return (unsigned)s < ITEM_STATUS_NR ? status_names[s] : "error";
}

int item_status_parse(const char *name)
{
	int i;

	for (i = 0; i < ITEM_STATUS_NR; i++)
		if (!strcmp(status_names[i], name))
			return i;
	return -1;
}

int item_status_is_gap(enum item_status s)
{
	return s != ITEM_OK && s != ITEM_ABSENT && s != ITEM_SKIPPED && s != ITEM_NOT_APPLICABLE;
}
