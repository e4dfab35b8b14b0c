/*
 * facts - everything a probe of one domain found, before judging it.
 *
 * Filled by probe.c (the only module that does I/O for a domain), read by
 * analyze.c, score.c and the reports. Owned by the probe's caller:
 * probe_facts_free() releases all of it.
 */
#ifndef MXPROBE_FACTS_H
#define MXPROBE_FACTS_H

#include <stdint.h>

struct mx_set;

struct probe_facts {
	char		*domain;
	struct mx_set	*mx;
	uint64_t	 ms;		/* wall time of the probe */
};

void	probe_facts_free(struct probe_facts *);

#endif
