/* Unit tests for src/parse/range.c: monitoring-plugin threshold ranges. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/range.h"
#include "tap.h"

struct tcase {
	const char	*name;
	const char	*in;
	int		 flags;
	const char	*fmt;		/* range_format(), or NULL: refused */
	const char	*alert;		/* values that alert, "|"-separated */
	const char	*quiet;		/* values that do not */
};

static const struct tcase cases[] = {
	{ "bare: 0..N", "10", 0, "0:10", "-1|11|100", "0|5|10" },
	{ "bare as floor", "80", RANGE_BARE_FLOOR, "80:", "79|0|-5",
	    "80|92|100" },
	{ "floor", "10:", 0, "10:", "9.5|0", "10|1000" },
	{ "ceiling", "~:10", 0, "~:10", "10.5|100", "10|-1000" },
	{ "between", "10:20", 0, "10:20", "9|21", "10|15|20" },
	{ "inside", "@10:20", 0, "@10:20", "10|15|20", "9|21" },
	{ "inside bare floor flag ignored", "@10", RANGE_BARE_FLOOR,
	    "@0:10", "0|10", "11" },
	{ "empty start is 0", ":5", 0, "0:5", "-1|6", "0|5" },
	{ "decimals", "0.5:1.5", 0, "0.5:1.5", "0.4|1.6", "1" },
	{ "negative", "-10:-5", 0, "-10:-5", "-11|0", "-7" },
	{ "start above end", "20:10", 0, NULL, "", "" },
	{ "empty", "", 0, NULL, "", "" },
	{ "only at", "@", 0, NULL, "", "" },
	{ "two colons", "1:2:3", 0, NULL, "", "" },
	{ "tilde alone", "~:", 0, NULL, "", "" },
	{ "words", "high", 0, NULL, "", "" },
	{ "trailing junk", "10x", 0, NULL, "", "" },
	{ "infinity", "inf", 0, NULL, "", "" },
	{ "nan", "nan:", 0, NULL, "", "" },
	{ "hex", "0x10", 0, NULL, "", "" },
	{ "space", " 10", 0, NULL, "", "" },
	{ "huge", "1e999", 0, NULL, "", "" },
};

static int
check_values(const struct range *r, const char *list, int want)
{
	char tmp[128], *p, *save;
	double v;
	int ok = 1;

	strncpy(tmp, list, sizeof(tmp) - 1);
	tmp[sizeof(tmp) - 1] = '\0';
	for (p = strtok_r(tmp, "|", &save); p != NULL;
	    p = strtok_r(NULL, "|", &save)) {
		v = strtod(p, NULL);
		if (range_alert(r, v) != want) {
			diag("value %s: alert %d, want %d", p,
			    range_alert(r, v), want);
			ok = 0;
		}
	}
	return ok;
}

int
main(void)
{
	struct buf *why, *b;
	struct range r;
	size_t i;
	int rc, good;

	why = buf_new(BUF_WHY_MAX);
	b = buf_new(256);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];

		buf_reset(why);
		buf_reset(b);
		rc = range_parse(c->in, c->flags, &r, why);
		if (c->fmt == NULL) {
			ok(rc == -1 && buf_len(why) > 0, "%s: refused",
			    c->name);
			continue;
		}
		good = rc == 0;
		if (good) {
			range_format(&r, b);
			if (strcmp(buf_str(b), c->fmt) != 0) {
				diag("format \"%s\", want \"%s\"",
				    buf_str(b), c->fmt);
				good = 0;
			}
			good = check_values(&r, c->alert, 1) && good;
			good = check_values(&r, c->quiet, 0) && good;
		} else
			diag("refused: %s", buf_str(why));
		ok(good, "%s", c->name);
	}
	rc = range_parse("80", RANGE_BARE_FLOOR, &r, why);
	ok(rc == 0 && range_floor(&r) == 80 &&
	    range_parse("10:20", 0, &r, why) == 0 && range_floor(&r) == -1,
	    "range_floor");
	buf_free(b);
	buf_free(why);
	return tap_done();
}
