/*
 * spf_analysis - concurrent walk of a domain's SPF include/redirect tree.
 * See spf_analysis.h.
 *
 * Every question is a probe kept on the walk's list until the walk is
 * freed, so an answer delivered from inside dns_query() (c-ares may call
 * back at once) finds its probe alive. The done callback runs only when
 * no probe is outstanding and no handler is on the stack (busy == 0).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "facts/limits.h"
#include "net/dns.h"
#include "parse/spf.h"
#include "probe/spf_walk.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/dname.h"

enum query_kind {
	PK_TXT,		/* the node's record */
	PK_VOID		/* an a/mx/exists target, for the void count */
};

struct walk_query {
	struct spf_walk		*w;
	struct spf_node		*node;
	enum query_kind		 kind;
	char			*term;
	struct dns_query	*q;
	int			 done;
	struct walk_query		*next;
};

struct spf_walk {
	struct spf_analysis	*a;
	struct dns		*dns;
	spf_analysis_cb		*cb;
	void			*arg;
	struct walk_query		*queries;
	unsigned		 outstanding;
	int			 busy;
	int			 finished;
};

static void	on_answer(const struct dns_result *, void *);

static void
walk_free(struct spf_walk *w)
{
	struct walk_query *p, *n;

	if (w == NULL)
		return;
	for (p = w->queries; p != NULL; p = n) {
		n = p->next;
		if (p->q != NULL && !p->done)
			dns_cancel(p->q);
		free(p->term);
		free(p);
	}
	free(w);
}

void
spf_walk_free(struct spf_analysis *a)
{
	if (a == NULL)
		return;
	walk_free(a->walk);
	a->walk = NULL;
	spf_analysis_free(a);
}

static void
launch(struct spf_walk *w, struct spf_node *node, enum query_kind kind,
    const char *term, const char *name, int type)
{
	struct walk_query *p;
	struct dns_query *q;

	p = xcalloc(1, sizeof(*p));
	p->w = w;
	p->node = node;
	p->kind = kind;
	p->term = term ? xstrdup(term) : NULL;
	p->next = w->queries;
	w->queries = p;
	w->outstanding++;
	q = dns_query(w->dns, name, type, 0, on_answer, p);
	if (!p->done)
		p->q = q;
}

/*
 * One more question to a name the records chose, if the walk may still
 * ask: a hostile tree of 64 records with 256 terms each would otherwise
 * send over 16,000. What is not asked is counted (SPF_WALK_LIMIT).
 */
static int
walk_may_ask(struct spf_walk *w)
{
	if (w->a->queries >= LIMIT_SPF_WALK_QUERIES) {
		w->a->queries_cut++;
		return 0;
	}
	w->a->queries++;
	return 1;
}

/* A printable copy: bytes outside 0x20-0x7e become \xNN. */
static char *
printable(const char *s, size_t n)
{
	struct buf *b = buf_new(4 * n + 1);
	char *r;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c <= 0x7e && c != '\\')
			buf_append(b, &s[i], 1);
		else
			buf_printf(b, "\\x%02x", c);
	}
	r = buf_steal(b);
	buf_free(b);
	return r;
}

static int
is_ancestor(const struct spf_node *n, const char *domain)
{
	for (; n != NULL; n = n->parent)
		if (dname_equal(n->domain, domain))
			return 1;
	return 0;
}

/*
 * The macro letters (RFC 7208 §7.3) whose value the walk cannot know: it
 * has a domain, not a message. s and l hold the sender's local-part; i,
 * p and v the client's address (p its validated PTR name, v its family);
 * h the name the client gave in HELO. c, r and t are refused outside
 * explanation text (§7.1), so a record naming them does not parse; they
 * are listed to keep the rule whole. A domain-spec with one of them
 * depends on the sender: counted, neither followed nor probed.
 *
 * d and o are known: d is the <domain> of the record that holds the term
 * (the include or redirect target it was fetched for, §5.2, §6.1), and
 * o is the domain of <sender>, which for the policy of mail from
 * @domain is the walked domain itself (§4.1: check_host() starts with
 * <domain> = the sender's domain; o keeps it through includes).
 * "%%", "%_" and "%-" are literals (§7.1), no macro at all.
 */
#define WALK_SENDER_LETTERS	"slipvhcrt"

/*
 * The name a domain-spec of node n asks for, when it depends on no
 * sender: the expander's rule (§7.3, spf_macro_expand), the one the
 * evaluator follows, with d and o known (WALK_SENDER_LETTERS). 0 with
 * the name in *name; else *name is what is left and why (when not NULL)
 * says why it is no name.
 */
static int
literal_target(const struct spf_walk *w, const struct spf_node *n,
    const char *spec, char **name, struct buf *why)
{
	struct spf_macro_ctx ctx;
	struct buf *b = buf_new(SPF_RECORD_MAX);
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.domain = n->domain;
	ctx.sender_domain = w->a->domain;
	rc = spf_macro_expand(spec, &ctx, SPF_MACRO_DOMAIN, b, why);
	*name = buf_steal(b);
	buf_free(b);
	return rc;
}

/* Start the branch for an include:/redirect= term of node. */
static void
branch(struct spf_walk *w, struct spf_node *node, const char *term,
    const char *spec, int redirect)
{
	struct spf_node *c;
	struct buf *why = buf_new(BUF_WHY_MAX);
	char *target;
	size_t len;
	int macro = spf_macro_uses(spec, WALK_SENDER_LETTERS), rc = 0;

	if (macro) {
		target = xstrdup(spec);
		len = strlen(target);
		if (len > 1 && target[len - 1] == '.')
			target[len - 1] = '\0';
	} else
		rc = literal_target(w, node, spec, &target, why);
	c = spf_node_new(node, target, term);
	c->via_redirect = redirect;
	if (macro) {
		c->status = SPF_NODE_MACRO;
		c->error = xstrdup(R_("the target depends on the sender, "
		    "the client or its HELO name (macros): not followed"));
	} else if (rc != 0 || !spf_domain_valid(target, 1)) {
		c->status = SPF_NODE_INVALID;
		c->error = xstrdup(rc != 0 && buf_len(why) > 0 ?
		    buf_str(why) : R_("not a valid domain name"));
	} else if (is_ancestor(node, target)) {
		c->status = SPF_NODE_LOOP;
		c->error = xstrdup(R_("includes a record that includes it: "
		    "loop, not followed"));
	} else if (c->depth > SPF_ANALYSIS_MAX_DEPTH ||
	    w->a->nnodes >= SPF_ANALYSIS_MAX_NODES) {
		c->status = SPF_NODE_LIMIT;
		c->error = xstrdup(R_("nested too deeply or too many records: "
		    "not followed"));
	} else if (!walk_may_ask(w)) {
		c->status = SPF_NODE_LIMIT;
		c->error = xstrdup(
		    R_("the walk's limit of questions was reached: "
		    "not followed"));
	} else {
		w->a->nnodes++;
		launch(w, c, PK_TXT, NULL, target, DNS_T_TXT);
	}
	free(target);
	buf_free(why);
}

static void
got_record(struct spf_walk *w, struct spf_node *n,
    const struct dns_result *r)
{
	const struct dns_rr *rr;
	const struct spf_mech *m;
	struct buf *why;
	char *target;
	size_t i;

	n->txt_size = r->size;
	switch (r->outcome) {
	case DNS_OK:
		break;
	case DNS_NXDOMAIN:
		n->status = SPF_NODE_NXDOMAIN;
		n->error = xstrdup(R_("the domain does not exist (NXDOMAIN)"));
		return;
	case DNS_NODATA:
		n->status = SPF_NODE_NONE;
		n->error = xstrdup(R_("no TXT record"));
		return;
	default:
		why = buf_new(BUF_WHY_MAX);
		buf_printf(why, R_("TXT lookup failed: %s%s%s"),
		    dns_outcome_name(r->outcome), r->why ? ": " : "",
		    r->why ? r->why : "");
		n->status = SPF_NODE_TEMPERROR;
		n->error = buf_steal(why);
		buf_free(why);
		return;
	}
	switch (spf_select(r->rr, r->nrr, &rr, &n->records_found)) {
	case SPF_SELECT_NONE:
		n->status = SPF_NODE_NONE;
		n->error = xstrdup(R_("no TXT record starts with v=spf1"));
		return;
	case SPF_SELECT_MULTIPLE:
		n->status = SPF_NODE_MULTIPLE;
		why = buf_new(BUF_WHY_MAX);
		buf_printf(why, R_("%zu v=spf1 records (only one is allowed)"),
		    n->records_found);
		n->error = buf_steal(why);
		buf_free(why);
		for (i = 0; i < r->nrr; i++)
			if (spf_is_v1(r->rr[i].u.txt.data,
			    r->rr[i].u.txt.len)) {
				n->record = printable(r->rr[i].u.txt.data,
				    r->rr[i].u.txt.len);
				break;
			}
		return;
	case SPF_SELECT_ONE:
		break;
	}
	n->record = printable(rr->u.txt.data, rr->u.txt.len);
	why = buf_new(BUF_WHY_MAX);
	n->rec = spf_parse(rr->u.txt.data, rr->u.txt.len, &n->errpos, why);
	if (n->rec == NULL) {
		n->status = SPF_NODE_SYNTAX;
		n->error = buf_steal(why);
		buf_free(why);
		return;
	}
	buf_free(why);
	n->status = SPF_NODE_OK;
	n->all_qual = n->rec->all_qual;
	n->has_ptr = n->rec->has_ptr;
	n->has_redirect = n->rec->redirect != NULL;
	n->own_lookups = n->rec->dns_terms;
	if (n->rec->redirect != NULL && n->rec->has_all)
		n->own_lookups--;	/* never reached */
	for (i = 0; i < n->rec->nmech; i++) {
		m = &n->rec->mech[i];
		switch (m->type) {
		case SPF_M_INCLUDE:
			branch(w, n, m->text, m->domain, 0);
			break;
		case SPF_M_A:
		case SPF_M_MX:
		case SPF_M_EXISTS:
			if (m->domain != NULL && spf_macro_uses(m->domain,
			    WALK_SENDER_LETTERS))
				break;		/* depends on the sender */
			if (m->domain == NULL)
				target = xstrdup(n->domain);
			else if (literal_target(w, n, m->domain, &target,
			    NULL) != 0) {
				free(target);
				break;		/* no such name: no match */
			}
			if (walk_may_ask(w))
				launch(w, n, PK_VOID, m->text, target,
				    m->type == SPF_M_MX ? DNS_T_MX : DNS_T_A);
			free(target);
			break;
		default:
			break;
		}
	}
	if (n->rec->redirect != NULL && !n->rec->has_all) {
		why = buf_new(BUF_WHY_MAX);
		buf_printf(why, R_("redirect=%s"), n->rec->redirect);
		branch(w, n, buf_str(why), n->rec->redirect, 1);
		buf_free(why);
	}
}

static void
got_void(struct spf_node *n, const char *term, const struct dns_result *r)
{
	if (r->outcome != DNS_NXDOMAIN && r->outcome != DNS_NODATA)
		return;
	n->own_void++;
	n->void_terms = xreallocarray(n->void_terms, n->nvoid_terms + 1,
	    sizeof(*n->void_terms));
	n->void_terms[n->nvoid_terms++] = xstrdup(term);
}

/* When nothing is pending: totals, drop the walk, hand a to cb. */
static int
finish_if_done(struct spf_walk *w)
{
	struct spf_analysis *a = w->a;
	spf_analysis_cb *cb = w->cb;
	void *arg = w->arg;

	if (w->outstanding > 0 || w->busy > 0 || w->finished)
		return 0;
	w->finished = 1;
	spf_analysis_totals(a);
	a->done = 1;
	walk_free(w);
	a->walk = NULL;
	cb(a, arg);		/* may free a */
	return 1;
}

static void
on_answer(const struct dns_result *r, void *arg)
{
	struct walk_query *p = arg;
	struct spf_walk *w = p->w;

	p->done = 1;
	p->q = NULL;
	w->busy++;
	if (p->kind == PK_TXT)
		got_record(w, p->node, r);
	else
		got_void(p->node, p->term, r);
	w->outstanding--;
	w->busy--;
	finish_if_done(w);
}

struct spf_analysis *
spf_walk_start(struct dns *dns, const char *domain, spf_analysis_cb *cb,
    void *arg)
{
	struct spf_analysis *a;
	struct spf_walk *w;
	char *d;
	size_t len;

	a = xcalloc(1, sizeof(*a));
	d = xstrdup(domain);
	len = strlen(d);
	if (len > 1 && d[len - 1] == '.')
		d[len - 1] = '\0';
	a->domain = d;
	a->root = spf_node_new(NULL, d, NULL);
	w = xcalloc(1, sizeof(*w));
	w->a = a;
	w->dns = dns;
	w->cb = cb;
	w->arg = arg;
	a->walk = w;
	w->busy++;
	if (!spf_domain_valid(d, 1)) {
		a->root->status = SPF_NODE_INVALID;
		a->root->error = xstrdup(R_("not a valid domain name"));
	} else {
		a->nnodes = 1;
		a->queries = 1;
		launch(w, a->root, PK_TXT, NULL, d, DNS_T_TXT);
	}
	w->busy--;
	if (finish_if_done(w))
		return NULL;	/* cb already has it */
	return a;
}
