/*
 * t_idn - U-label domains to A-labels (libidn2, IDNA2008 with UTS #46).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/idn.h"
#include "util/buf.h"
#include "tap.h"

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;		/* NULL: refused */
	const char	*blame;		/* refused: the label the error names */
} cases[] = {
	{ "ASCII passes unchanged", "Example.COM", "Example.COM", NULL },
	{ "German U-label", "b\xc3\xbc" "cher.example", "xn--bcher-kva.example",
	    NULL },
	{ "Japanese U-label", "\xe4\xbe\x8b\xe3\x81\x88.jp", "xn--r8jz45g.jp",
	    NULL },
	{ "UTS #46 maps upper case", "B\xc3\x9c" "CHER.example",
	    "xn--bcher-kva.example", NULL },
	{ "ideographic full stop is a dot",
	    "\xe4\xbe\x8b\xe3\x81\x88\xe3\x80\x82jp", "xn--r8jz45g.jp", NULL },
	{ "mixed A-label and U-label", "xn--r8jz45g.b\xc3\xbc" "cher.example",
	    "xn--r8jz45g.xn--bcher-kva.example", NULL },
	{ "trailing dot kept", "b\xc3\xbc" "cher.example.",
	    "xn--bcher-kva.example.", NULL },
	{ "leading combining mark", "ok.\xcc\x81" "abc.example", NULL,
	    "\xcc\x81" "abc" },
	{ "disallowed symbol in a label", "mail.a\xe2\x98\x83_b.example", NULL,
	    "a\xe2\x98\x83_b" },
	{ "invalid UTF-8", "b\xfc" "cher.example", NULL, "b\xfc" "cher" },
};

int
main(void)
{
	struct buf *why = buf_new(BUF_WHY_MAX);
	char out[256], small[8], quoted[64];
	const char *r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(why);
		r = idn_domain(cases[i].in, out, sizeof(out), why);
		if (cases[i].want != NULL) {
			if (ok(r != NULL, "%s accepted", cases[i].name))
				is_str(r, cases[i].want, cases[i].name);
			else
				diag("%s", buf_str(why));
			continue;
		}
		snprintf(quoted, sizeof(quoted), "the label \"%s\"",
		    cases[i].blame);
		ok(r == NULL && strstr(buf_str(why), quoted) != NULL,
		    "%s refused, naming the label (%s)", cases[i].name,
		    buf_str(why));
	}
	buf_reset(why);
	ok(idn_domain("b\xc3\xbc" "cher.example", small, sizeof(small),
	    why) == NULL && strstr(buf_str(why), "too long") != NULL,
	    "A-label form longer than the buffer refused");
	buf_free(why);
	/* A-labels back to U-labels for the report. */
	is_str(idn_ulabel("xn--bcher-kva.mxlab.test", out, sizeof(out)),
	    "b\xc3\xbc" "cher.mxlab.test", "ulabel: xn--bcher-kva");
	is_str(idn_ulabel("mail.XN--R8JZ45G.jp", out, sizeof(out)),
	    "mail.\xe4\xbe\x8b\xe3\x81\x88.jp", "ulabel: upper-case A-label");
	ok(idn_ulabel("mx.example.com", out, sizeof(out)) == NULL,
	    "ulabel: no A-label, NULL");
	ok(idn_ulabel("xn--abc-.example", out, sizeof(out)) == NULL,
	    "ulabel: an invalid A-label, NULL");
	ok(idn_ulabel("xn--ls8h.example", out, sizeof(out)) == NULL,
	    "ulabel: an A-label of a disallowed code point (emoji), NULL");
	ok(idn_ulabel("a\\046b.xn--bcher-kva.test", out, sizeof(out)) == NULL,
	    "ulabel: an escaped name is left alone");
	ok(idn_ulabel("xn--bcher-kva.mxlab.test", small, 4) == NULL,
	    "ulabel: no room, NULL");
	return tap_done();
}
