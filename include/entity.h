/*
 * entity.h: which names in a bundle are one thing.
 *
 * Findings carry the entities their lines name ({"unit": ["nginx.service"],
 * "pid": ["812"], ...}: the standard capture names of rules.h). The map
 * learns from the bundle which names are one thing: names that one line
 * gives together (the OOM killer's pid and process, a cgroup's unit), and
 * the tables of rules/entities.yaml (a program and its units). Each name is
 * first made canonical for its kind:
 *
 *	unit       its base: postgresql@16-main.service is postgresql
 *	device     its disk: /dev/sdb1 is sdb, nvme0n1p2 nvme0n1, mapper/x x
 *	interface  a VLAN is its parent's too: eth0.100 is also eth0
 *	peer       without port or brackets: [::1]:2049 is ::1
 *	process    the kernel's comm: at most 15 bytes
 *
 * Memory is bounded (ENTITY_MAP_MAX names); past it, nothing more is learned.
 */
#ifndef ENTITY_H
#define ENTITY_H

#include <jansson.h>
#include "buf.h"
#include "causality.h"

#define ENTITY_MAP_MAX 8192

struct entity_map;

/* c (its program tables) must outlive the map; without it names are only names. */
struct entity_map *entity_map_new(const struct causality *c);
void entity_map_free(struct entity_map *m);

/* kind a and kind b are one thing (a line names them together). */
void entity_map_join(struct entity_map *m, const char *kind_a, const char *a,
		     const char *kind_b, const char *b);

/*
 * Do two findings' entities name one thing, by the kinds in kinds
 * (NULL-terminated)? When they do, why is "same unit nginx.service",
 * "pid 4321 is process postgres" or "postgres runs postgresql.service".
 */
int entity_map_shared(const struct entity_map *m, const json_t *a, const json_t *b,
		      char *const *kinds, struct buf *why);

/* The canonical form of a name of a kind into out (see above). */
void entity_canonical(const char *kind, const char *v, char *out, size_t n);

/*
 * The program and pid of a syslog or journal line ("Nov 20 03:12:09 db1
 * nginx[812]: ..."), and the unit of a cgroup path in it
 * ("/system.slice/nginx.service"): what a line says of its own subject
 * without a capture. Empty strings for what it does not say; supervisors'
 * tags (systemd, kernel) say nothing.
 */
struct line_subject {
	char process[64], pid[16], unit[128];
};
void entity_line_subject(const struct causality *c, const char *line, size_t len,
			 struct line_subject *s);

#endif
