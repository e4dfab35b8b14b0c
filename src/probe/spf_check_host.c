/*
 * spf_check_host - asynchronous check_host() (RFC 7208). See spf_check_host.h.
 *
 * Every handler ends by asking DNS (ask()) or by finishing; ask() is always
 * a tail call, because an answer delivered at once (c-ares may call back
 * from inside ares_send()) is dispatched from inside ask() and may finish
 * and free the evaluation.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "net/dns.h"
#include "parse/spf.h"
#include "probe/spf_check_host.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define MAX_MX		10	/* §4.6.4 */
#define MAX_PTR		10	/* §4.6.4, §5.5 */
#define MAX_FRAMES	32	/* far beyond what 10 terms allow */

enum step {
	ST_NONE,
	ST_RECORD,
	ST_A,
	ST_MX,
	ST_MXHOST,
	ST_PTR,
	ST_PTRHOST,
	ST_EXISTS,
	ST_EXP
};

/* What to do once %{p} / ptr validation is complete. */
enum ptr_cont {
	PC_MECH,	/* the ptr mechanism in progress */
	PC_RESUME,	/* re-run the current term (it uses %{p}) */
	PC_EXP,		/* expand exp= */
	PC_EXPTEXT	/* expand the explanation text */
};

struct frame {
	struct frame		*up;		/* includer, or NULL */
	char			*domain;
	struct spf_record	*rec;
	size_t			 next;		/* next term */
	const struct spf_mech	*cur;		/* term being evaluated */
	int			 redirected;	/* reached via redirect= */
};

struct answer {
	enum dns_outcome	 out;
	struct dns_rr		*rr;
	size_t			 nrr;
	char			*why;	/* the dns layer's text of a
					 * DNS_ERROR, or NULL */
};

struct spf_check_host {
	struct dns		*dns;
	spf_done_cb		*cb;
	void			*arg;
	struct spf_ip		 ip;
	char			*sender, *local, *sender_domain, *helo;
	char			*receiver;
	long long		 now;

	struct frame		*top;
	int			 depth;
	unsigned		 terms, voids;

	struct dns_query	*q;
	enum step		 step;
	int			 in_ask, answered;
	struct answer		 ans;

	char			*target;	/* current term's target */
	int			 target_name;	/* target is a DNS name */
	char			*exp_text;	/* exp= text, unexpanded */
	char			**hosts;	/* mx exchanges */
	size_t			 nhosts, hosti;

	int			 ptr_done, ptr_void;
	enum ptr_cont		 ptr_cont;
	char			**ptr_names;
	size_t			 nptr, ptri;
	char			**valid;	/* validated names */
	size_t			 nvalid;

	int			 starting, finished;
	enum spf_result		 result;
	char			*mechanism, *explanation, *rdomain;
	struct buf		*why;
};

static void	run(struct spf_check_host *);
static void	dispatch(struct spf_check_host *);
static void	fetch_record(struct spf_check_host *);
static void	frame_result(struct spf_check_host *, enum spf_result,
		    const struct spf_mech *);
static void	ptr_start(struct spf_check_host *, enum ptr_cont);

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
answer_clear(struct answer *a)
{
	size_t i;

	for (i = 0; i < a->nrr; i++)
		dns_rr_free(&a->rr[i]);
	free(a->rr);
	free(a->why);
	memset(a, 0, sizeof(*a));
}

/*
 * What a failed answer says: its outcome's name, or for DNS_ERROR (whose
 * name tells nothing) the dns layer's why, e.g. the question limit.
 */
static const char *
answer_failure(const struct answer *a)
{
	return a->why != NULL ? a->why : dns_outcome_name(a->out);
}

static void
frame_free(struct frame *f)
{
	free(f->domain);
	spf_record_free(f->rec);
	free(f);
}

static void
eval_free(struct spf_check_host *e)
{
	struct frame *f;

	while ((f = e->top) != NULL) {
		e->top = f->up;
		frame_free(f);
	}
	answer_clear(&e->ans);
	free(e->sender);
	free(e->local);
	free(e->sender_domain);
	free(e->helo);
	free(e->receiver);
	free(e->target);
	free(e->exp_text);
	free_list(e->hosts, e->nhosts);
	free_list(e->ptr_names, e->nptr);
	free_list(e->valid, e->nvalid);
	free(e->mechanism);
	free(e->explanation);
	free(e->rdomain);
	buf_free(e->why);
	free(e);
}

/* Deliver the result; the evaluation is gone afterwards. */
static void
finish(struct spf_check_host *e, enum spf_result r)
{
	struct spf_check_host_result res;
	struct frame *root;

	for (root = e->top; root != NULL && root->up != NULL; root = root->up)
		;
	e->result = r;
	memset(&res, 0, sizeof(res));
	res.result = r;
	res.domain = e->rdomain ? e->rdomain : root ? root->domain : NULL;
	res.mechanism = e->mechanism;
	res.explanation = e->explanation;
	res.reason = buf_len(e->why) ? buf_str(e->why) : NULL;
	res.dns_terms = e->terms;
	res.void_lookups = e->voids;
	e->finished = 1;
	e->cb(&res, e->arg);
	if (e->starting)
		return;		/* spf_check_host_start frees it */
	eval_free(e);
}

static void __attribute__((format(printf, 3, 4)))
fail_with(struct spf_check_host *e, enum spf_result r, const char *fmt, ...)
{
	struct buf *b = buf_new(BUF_WHY_MAX);
	va_list ap;

	/* Into a buffer of its own: an argument may be e->why's text. */
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
	buf_reset(e->why);
	buf_append(e->why, buf_str(b), buf_len(b));
	buf_free(b);
	finish(e, r);
}

static void
on_dns(const struct dns_result *r, void *arg)
{
	struct spf_check_host *e = arg;
	size_t i;

	e->q = NULL;
	answer_clear(&e->ans);
	e->ans.out = r->outcome;
	if (r->outcome == DNS_ERROR && r->why != NULL)
		e->ans.why = xstrdup(r->why);
	if (r->nrr > 0) {
		e->ans.rr = xcalloc(r->nrr, sizeof(*e->ans.rr));
		for (i = 0; i < r->nrr; i++)
			dns_rr_copy(&e->ans.rr[i], &r->rr[i]);
		e->ans.nrr = r->nrr;
	}
	if (e->in_ask) {
		e->answered = 1;
		return;
	}
	dispatch(e);
}

/* Tail call: the evaluation may be freed when this returns. */
static void
ask(struct spf_check_host *e, const char *name, int type, enum step st)
{
	struct dns_query *q;

	e->step = st;
	e->answered = 0;
	e->in_ask = 1;
	q = dns_query(e->dns, name, type, 0, on_dns, e);
	e->in_ask = 0;
	if (e->answered) {
		e->q = NULL;
		dispatch(e);
		return;
	}
	e->q = q;
}

/* §4.6.4: count a void lookup; 1 when the limit is now exceeded. */
static int
count_void(struct spf_check_host *e, const char *what)
{
	if (++e->voids > SPF_VOID_LIMIT) {
		fail_with(e, SPF_PERMERROR, R_("more than %d void DNS lookups "
		    "(last: %s)"), SPF_VOID_LIMIT, what);
		return 1;
	}
	return 0;
}

static const char *
ptr_pick(struct spf_check_host *e, const char *domain)
{
	size_t i, dl = strlen(domain), nl;

	/* §7.3: <domain> itself, else a subdomain of it, else any. */
	for (i = 0; i < e->nvalid; i++)
		if (strcasecmp(e->valid[i], domain) == 0)
			return e->valid[i];
	for (i = 0; i < e->nvalid; i++) {
		nl = strlen(e->valid[i]);
		if (nl > dl && e->valid[i][nl - dl - 1] == '.' &&
		    strcasecmp(e->valid[i] + nl - dl, domain) == 0)
			return e->valid[i];
	}
	return e->nvalid > 0 ? e->valid[0] : "unknown";
}

static int
expand(struct spf_check_host *e, const char *spec, const char *domain, int flags,
    struct buf *out)
{
	struct spf_macro_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sender = e->sender;
	ctx.local = e->local;
	ctx.sender_domain = e->sender_domain;
	ctx.domain = domain;
	ctx.ip = &e->ip;
	ctx.ptr = e->ptr_done ? ptr_pick(e, domain) : "unknown";
	ctx.helo = e->helo;
	ctx.receiver = e->receiver;
	ctx.now = e->now;
	return spf_macro_expand(spec, &ctx, flags, out, NULL);
}

/*
 * The target of a term: its domain-spec expanded to the name to ask for
 * (§7.3, spf_macro_expand), or <domain>; target_name says whether it is
 * a DNS name at all.
 */
static void
set_target(struct spf_check_host *e, const char *spec)
{
	struct buf *b;
	int rc;

	free(e->target);
	if (spec == NULL) {
		e->target = xstrdup(e->top->domain);
		e->target_name = 1;
		return;
	}
	b = buf_new(SPF_RECORD_MAX);
	rc = expand(e, spec, e->top->domain, SPF_MACRO_DOMAIN, b);
	e->target_name = rc == 0;
	if (rc == -1)
		buf_reset(b);
	e->target = buf_steal(b);
	buf_free(b);
}

static int
addr_type(const struct spf_check_host *e)
{
	return e->ip.v == 4 ? DNS_T_A : DNS_T_AAAA;
}

static int
addr_match(const struct spf_check_host *e, const struct dns_rr *rr, size_t n,
    int cidr4, int cidr6)
{
	struct spf_ip a;
	size_t i;

	for (i = 0; i < n; i++) {
		if (rr[i].type != DNS_T_A && rr[i].type != DNS_T_AAAA)
			continue;
		memset(&a, 0, sizeof(a));
		a.v = rr[i].type == DNS_T_A ? 4 : 6;
		memcpy(a.a, rr[i].u.a.addr, a.v == 4 ? 4 : 16);
		if (spf_ip_match(&a, &e->ip, a.v == 4 ? cidr4 : cidr6))
			return 1;
	}
	return 0;
}

/* --- records --- */

static void
fetch_record(struct spf_check_host *e)
{
	if (!spf_domain_valid(e->top->domain, 1)) {
		buf_reset(e->why);
		buf_printf(e->why, R_("\"%s\" is not a valid domain name"),
		    e->top->domain);
		frame_result(e, SPF_NONE, NULL);
		return;
	}
	ask(e, e->top->domain, DNS_T_TXT, ST_RECORD);
}

static void
got_record(struct spf_check_host *e)
{
	const struct dns_rr *rr;
	struct buf *why;
	size_t pos, n;
	struct frame *f = e->top;

	if (dns_outcome_failed(e->ans.out)) {
		fail_with(e, SPF_TEMPERROR,
		    R_("TXT lookup for %s: %s"), f->domain,
		    answer_failure(&e->ans));
		return;
	}
	if (e->ans.out != DNS_OK) {
		buf_reset(e->why);
		buf_printf(e->why, R_("no SPF record at %s (%s)"), f->domain,
		    dns_outcome_name(e->ans.out));
		frame_result(e, SPF_NONE, NULL);
		return;
	}
	switch (spf_select(e->ans.rr, e->ans.nrr, &rr, &n)) {
	case SPF_SELECT_NONE:
		buf_reset(e->why);
		buf_printf(e->why, R_("no SPF record at %s"), f->domain);
		frame_result(e, SPF_NONE, NULL);
		return;
	case SPF_SELECT_MULTIPLE:
		fail_with(e, SPF_PERMERROR,
		    R_("%zu SPF records at %s (only one "
		    "is allowed)"), n, f->domain);
		return;
	case SPF_SELECT_ONE:
		break;
	}
	why = buf_new(BUF_WHY_MAX);
	f->rec = spf_parse(rr->u.txt.data, rr->u.txt.len, &pos, why);
	if (f->rec == NULL) {
		fail_with(e, SPF_PERMERROR, R_("syntax error in the SPF record "
		    "of %s at position %zu: %s"), f->domain, pos,
		    buf_str(why));
		buf_free(why);
		return;
	}
	buf_free(why);
	f->next = 0;
	run(e);
}

/*
 * A frame produced a result. m is the matching term (NULL when the
 * result comes from the end of the record or an error).
 */
static void
frame_result(struct spf_check_host *e, enum spf_result r, const struct spf_mech *m)
{
	struct frame *f = e->top, *up = f->up;
	struct buf *b;

	if (r == SPF_NONE && f->redirected) {
		fail_with(e, SPF_PERMERROR, R_("redirect=%s: %s"), f->domain,
		    buf_len(e->why) ? buf_str(e->why) : "no SPF record");
		return;
	}
	if (up == NULL) {
		if (m != NULL) {
			free(e->mechanism);
			e->mechanism = xstrdup(m->text);
		}
		if (r == SPF_FAIL && f->rec != NULL && f->rec->exp != NULL) {
			if (spf_macro_uses(f->rec->exp, "p") && !e->ptr_done) {
				ptr_start(e, PC_EXP);
				return;
			}
			b = buf_new(SPF_RECORD_MAX);
			if (expand(e, f->rec->exp, f->domain,
			    SPF_MACRO_DOMAIN, b) == 0) {
				free(e->target);
				e->target = buf_steal(b);
				buf_free(b);
				ask(e, e->target, DNS_T_TXT, ST_EXP);
				return;
			}
			buf_free(b);
		}
		finish(e, r);
		return;
	}
	/* The end of an include (§5.2). */
	switch (r) {
	case SPF_PASS:
		e->top = up;
		e->depth--;
		frame_free(f);
		frame_result(e, up->cur->result, up->cur);
		return;
	case SPF_FAIL:
	case SPF_SOFTFAIL:
	case SPF_NEUTRAL:
		e->top = up;
		e->depth--;
		frame_free(f);
		buf_reset(e->why);
		run(e);
		return;
	case SPF_NONE:
		fail_with(e, SPF_PERMERROR, "%s: %s", up->cur->text,
		    buf_len(e->why) ? buf_str(e->why) : "no SPF record");
		return;
	default:
		finish(e, r);
		return;
	}
}

static void
exp_finish(struct spf_check_host *e)
{
	struct buf *b;

	b = buf_new(SPF_RECORD_MAX);
	if (expand(e, e->exp_text, e->top->domain, SPF_MACRO_EXP, b) == 0)
		e->explanation = buf_steal(b);
	buf_free(b);
	finish(e, SPF_FAIL);
}

/* §6.2: any problem with exp= means no explanation, not an error. */
static void
got_exp(struct spf_check_host *e)
{
	const char *txt;
	size_t len;

	if (e->ans.out == DNS_OK && e->ans.nrr == 1) {
		txt = e->ans.rr[0].u.txt.data;
		len = e->ans.rr[0].u.txt.len;
		if (txt != NULL && memchr(txt, '\0', len) == NULL &&
		    spf_explain_valid(txt, len, NULL)) {
			e->exp_text = xstrdup(txt);
			if (spf_macro_uses(txt, "p") && !e->ptr_done) {
				ptr_start(e, PC_EXPTEXT);
				return;
			}
			exp_finish(e);
			return;
		}
	}
	finish(e, SPF_FAIL);
}

/* --- terms --- */

static void
start_include(struct spf_check_host *e, const struct spf_mech *m)
{
	struct frame *f;

	if (e->depth >= MAX_FRAMES) {
		fail_with(e, SPF_PERMERROR, R_("includes nested too deeply"));
		return;
	}
	f = xcalloc(1, sizeof(*f));
	f->up = e->top;
	f->domain = xstrdup(e->target);
	e->top->cur = m;
	e->top = f;
	e->depth++;
	buf_reset(e->why);
	fetch_record(e);
}

static void
start_redirect(struct spf_check_host *e)
{
	struct frame *f = e->top;

	spf_record_free(f->rec);
	f->rec = NULL;
	free(f->domain);
	f->domain = xstrdup(e->target);
	f->redirected = 1;
	f->next = 0;
	buf_reset(e->why);
	if (!spf_domain_valid(f->domain, 1)) {
		fail_with(e, SPF_PERMERROR,
		    R_("redirect=%s: not a valid domain "
		    "name"), f->domain);
		return;
	}
	fetch_record(e);
}

static void
run(struct spf_check_host *e)
{
	struct frame *f;
	const struct spf_mech *m;

	for (;;) {
		f = e->top;
		if (f->next >= f->rec->nmech) {
			if (f->rec->redirect == NULL) {
				frame_result(e, SPF_NEUTRAL, NULL);
				return;
			}
			if (spf_macro_uses(f->rec->redirect, "p") &&
			    !e->ptr_done) {
				ptr_start(e, PC_RESUME);
				return;
			}
			if (++e->terms > SPF_LOOKUP_LIMIT) {
				fail_with(e, SPF_PERMERROR, R_("more than %d "
				    "DNS-querying terms (at redirect=%s in "
				    "%s)"), SPF_LOOKUP_LIMIT, f->rec->redirect,
				    f->domain);
				return;
			}
			set_target(e, f->rec->redirect);
			start_redirect(e);
			return;
		}
		m = &f->rec->mech[f->next];
		f->cur = m;
		switch (m->type) {
		case SPF_M_ALL:
			f->next++;
			frame_result(e, m->result, m);
			return;
		case SPF_M_IP4:
		case SPF_M_IP6:
			f->next++;
			if (spf_ip_match(&m->net, &e->ip, m->net.v == 4 ?
			    m->cidr4 : m->cidr6)) {
				frame_result(e, m->result, m);
				return;
			}
			continue;
		default:
			break;
		}
		/* A DNS-querying term. %{p} first needs validation. */
		if (m->domain != NULL && spf_macro_uses(m->domain, "p") &&
		    !e->ptr_done) {
			ptr_start(e, PC_RESUME);
			return;
		}
		f->next++;
		if (++e->terms > SPF_LOOKUP_LIMIT) {
			fail_with(e, SPF_PERMERROR,
			    R_("more than %d DNS-querying "
			    "terms (at %s in %s)"), SPF_LOOKUP_LIMIT, m->text,
			    f->domain);
			return;
		}
		set_target(e, m->domain);
		switch (m->type) {
		case SPF_M_INCLUDE:
			start_include(e, m);
			return;
		case SPF_M_PTR:
			ptr_start(e, PC_MECH);
			return;
		default:
			break;
		}
		if (!e->target_name)
			continue;	/* no such name: no match */
		switch (m->type) {
		case SPF_M_A:
			ask(e, e->target, addr_type(e), ST_A);
			return;
		case SPF_M_MX:
			ask(e, e->target, DNS_T_MX, ST_MX);
			return;
		case SPF_M_EXISTS:
			/* §5.7: always an A query, even for IPv6. */
			ask(e, e->target, DNS_T_A, ST_EXISTS);
			return;
		default:
			continue;
		}
	}
}

static void
got_a(struct spf_check_host *e)
{
	const struct spf_mech *m = e->top->cur;

	if (dns_outcome_failed(e->ans.out)) {
		fail_with(e, SPF_TEMPERROR, R_("%s: lookup of %s: %s"), m->text,
		    e->target, answer_failure(&e->ans));
		return;
	}
	if (e->ans.out != DNS_OK) {
		if (count_void(e, m->text))
			return;
	} else if (e->step == ST_EXISTS ? e->ans.nrr > 0 :
	    addr_match(e, e->ans.rr, e->ans.nrr, m->cidr4, m->cidr6)) {
		frame_result(e, m->result, m);
		return;
	}
	run(e);
}

static void
next_mxhost(struct spf_check_host *e)
{
	while (e->hosti < e->nhosts) {
		const char *h = e->hosts[e->hosti++];

		if (spf_domain_valid(h, 0)) {
			ask(e, h, addr_type(e), ST_MXHOST);
			return;
		}
	}
	run(e);
}

static void
got_mx(struct spf_check_host *e)
{
	const struct spf_mech *m = e->top->cur;
	size_t i;

	if (dns_outcome_failed(e->ans.out)) {
		fail_with(e, SPF_TEMPERROR,
		    R_("%s: MX lookup of %s: %s"), m->text,
		    e->target, answer_failure(&e->ans));
		return;
	}
	if (e->ans.out != DNS_OK) {
		if (count_void(e, m->text))
			return;
		run(e);
		return;
	}
	if (e->ans.nrr > MAX_MX) {
		fail_with(e, SPF_PERMERROR, R_("%s: %s has %zu MX records (at "
		    "most %d may be checked)"), m->text, e->target,
		    e->ans.nrr, MAX_MX);
		return;
	}
	free_list(e->hosts, e->nhosts);
	e->hosts = xcalloc(e->ans.nrr + 1, sizeof(*e->hosts));
	e->nhosts = 0;
	for (i = 0; i < e->ans.nrr; i++)
		if (e->ans.rr[i].u.mx.host != NULL)
			e->hosts[e->nhosts++] =
			    xstrdup(e->ans.rr[i].u.mx.host);
	e->hosti = 0;
	next_mxhost(e);
}

static void
got_mxhost(struct spf_check_host *e)
{
	const struct spf_mech *m = e->top->cur;

	if (dns_outcome_failed(e->ans.out)) {
		fail_with(e, SPF_TEMPERROR, R_("%s: lookup of %s: %s"), m->text,
		    e->hosts[e->hosti - 1], answer_failure(&e->ans));
		return;
	}
	if (e->ans.out == DNS_OK &&
	    addr_match(e, e->ans.rr, e->ans.nrr, m->cidr4, m->cidr6)) {
		frame_result(e, m->result, m);
		return;
	}
	next_mxhost(e);
}

/* --- ptr validation (§5.5), shared by ptr and %{p} --- */

static void
ptr_finish(struct spf_check_host *e)
{
	const struct spf_mech *m;
	size_t i, tl, nl;

	e->ptr_done = 1;
	switch (e->ptr_cont) {
	case PC_RESUME:
		run(e);
		return;
	case PC_EXP:
		frame_result(e, SPF_FAIL, NULL);
		return;
	case PC_EXPTEXT:
		exp_finish(e);
		return;
	case PC_MECH:
		break;
	}
	m = e->top->cur;
	if (e->ptr_void && count_void(e, m->text))
		return;
	tl = strlen(e->target);
	for (i = 0; i < e->nvalid; i++) {
		nl = strlen(e->valid[i]);
		if (strcasecmp(e->valid[i], e->target) == 0 ||
		    (nl > tl && e->valid[i][nl - tl - 1] == '.' &&
		    strcasecmp(e->valid[i] + nl - tl, e->target) == 0)) {
			frame_result(e, m->result, m);
			return;
		}
	}
	run(e);
}

static void
next_ptrhost(struct spf_check_host *e)
{
	while (e->ptri < e->nptr) {
		const char *h = e->ptr_names[e->ptri++];

		if (spf_domain_valid(h, 0)) {
			ask(e, h, addr_type(e), ST_PTRHOST);
			return;
		}
	}
	ptr_finish(e);
}

static void
ptr_start(struct spf_check_host *e, enum ptr_cont c)
{
	struct buf *b;

	e->ptr_cont = c;
	if (e->ptr_done) {
		ptr_finish(e);
		return;
	}
	b = buf_new(256);
	spf_ip_reverse(&e->ip, b);
	ask(e, buf_str(b), DNS_T_PTR, ST_PTR);
	buf_free(b);
}

static void
got_ptr(struct spf_check_host *e)
{
	size_t i;

	e->ptr_void = e->ans.out == DNS_NXDOMAIN || e->ans.out == DNS_NODATA;
	free_list(e->ptr_names, e->nptr);
	e->ptr_names = NULL;
	e->nptr = 0;
	e->ptri = 0;
	if (e->ans.out == DNS_OK) {
		/* §4.6.4: names beyond the first 10 are ignored. */
		e->ptr_names = xcalloc(MAX_PTR, sizeof(*e->ptr_names));
		for (i = 0; i < e->ans.nrr && e->nptr < MAX_PTR; i++)
			if (e->ans.rr[i].u.name != NULL)
				e->ptr_names[e->nptr++] =
				    xstrdup(e->ans.rr[i].u.name);
	}
	next_ptrhost(e);
}

static void
got_ptrhost(struct spf_check_host *e)
{
	const char *h = e->ptr_names[e->ptri - 1];
	size_t len;

	/* §5.5: a DNS error skips the name. */
	if (e->ans.out == DNS_OK &&
	    addr_match(e, e->ans.rr, e->ans.nrr, 32, 128)) {
		e->valid = xreallocarray(e->valid, e->nvalid + 1,
		    sizeof(*e->valid));
		e->valid[e->nvalid] = xstrdup(h);
		len = strlen(e->valid[e->nvalid]);
		if (len > 1 && e->valid[e->nvalid][len - 1] == '.')
			e->valid[e->nvalid][len - 1] = '\0';
		e->nvalid++;
	}
	next_ptrhost(e);
}

static void
dispatch(struct spf_check_host *e)
{
	switch (e->step) {
	case ST_RECORD:
		got_record(e);
		break;
	case ST_A:
	case ST_EXISTS:
		got_a(e);
		break;
	case ST_MX:
		got_mx(e);
		break;
	case ST_MXHOST:
		got_mxhost(e);
		break;
	case ST_PTR:
		got_ptr(e);
		break;
	case ST_PTRHOST:
		got_ptrhost(e);
		break;
	case ST_EXP:
		got_exp(e);
		break;
	case ST_NONE:
		break;
	}
}

/* --- API --- */

struct spf_check_host *
spf_check_host_start(struct dns *dns, const struct spf_query *q, spf_done_cb *cb,
    void *arg)
{
	struct spf_check_host *e;
	struct frame *f;
	const char *at, *dom;

	e = xcalloc(1, sizeof(*e));
	e->dns = dns;
	e->cb = cb;
	e->arg = arg;
	e->ip = q->ip;
	e->helo = xstrdup(q->helo ? q->helo : "");
	e->receiver = q->receiver ? xstrdup(q->receiver) : NULL;
	e->now = q->now ? q->now : (long long)time(NULL);
	e->why = buf_new(BUF_WHY_MAX);
	/* §4.3: the identity, and postmaster for an empty local part. */
	if (q->sender == NULL || q->sender[0] == '\0') {
		e->local = xstrdup("postmaster");
		e->sender_domain = xstrdup(e->helo);
	} else if ((at = strrchr(q->sender, '@')) == NULL) {
		e->local = xstrdup("postmaster");
		e->sender_domain = xstrdup(q->sender);
	} else {
		e->local = at == q->sender ? xstrdup("postmaster") :
		    xstrndup(q->sender, (size_t)(at - q->sender));
		e->sender_domain = xstrdup(at + 1);
	}
	e->sender = xmalloc(strlen(e->local) + strlen(e->sender_domain) + 2);
	strcpy(e->sender, e->local);
	strcat(e->sender, "@");
	strcat(e->sender, e->sender_domain);
	dom = q->domain ? q->domain : e->sender_domain;
	f = xcalloc(1, sizeof(*f));
	f->domain = xstrdup(dom);
	e->top = f;
	e->starting = 1;
	fetch_record(e);
	e->starting = 0;
	if (e->finished) {
		eval_free(e);
		return NULL;
	}
	return e;
}

void
spf_check_host_cancel(struct spf_check_host *e)
{
	if (e == NULL)
		return;
	if (e->q != NULL)
		dns_cancel(e->q);
	e->q = NULL;
	eval_free(e);
}

void
spf_check_host_result_text(const struct spf_check_host_result *r, struct buf *out)
{
	buf_printf(out, "%s", spf_result_name(r->result));
	if (r->mechanism != NULL)
		buf_printf(out, " (%s in %s)", r->mechanism,
		    r->domain ? r->domain : "?");
	else if (r->domain != NULL)
		buf_printf(out, " (%s)", r->domain);
	if (r->reason != NULL && (r->result == SPF_PERMERROR ||
	    r->result == SPF_TEMPERROR || r->result == SPF_NONE))
		buf_printf(out, ": %s", r->reason);
	if (r->explanation != NULL)
		buf_printf(out, ": %s", r->explanation);
}
