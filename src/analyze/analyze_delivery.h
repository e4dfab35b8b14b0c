/*
 * analyze_delivery - the delivery model: for each class of sender, which
 * exchanger receives the domain's mail now, which would after each single
 * failure, and whether mail is delivered, deferred or bounced. Pure: a
 * plain struct of facts in, a plain struct out. doc/verdicts.md states
 * the model; the status, the score band and the report's "who receives
 * mail" lines follow from it.
 *
 * Classes of sender (RFC 5321 §5.1, RFC 8461 §5, RFC 7672 §2.2):
 *	OPPORTUNISTIC	most MTAs: try the exchangers in preference order,
 *			at random within one preference, take TLS when it
 *			works and deliver in clear when it does not
 *	MTASTS		senders that apply an enforced MTA-STS policy: only
 *			exchangers the policy names whose certificate
 *			verifies and names them; otherwise the mail waits
 *	DANE		DANE-validating senders: an exchanger with
 *			DNSSEC-signed TLSA records only when the handshake
 *			matches them; one without TLSA as opportunistic
 * A class applies when the domain publishes what it needs (an enforced
 * policy; a signed MX answer and signed TLSA on some exchanger).
 *
 * Exchanger states (one per MX host, the best of its addresses):
 *	ACCEPTS		greets and takes EHLO or HELO
 *	TEMPFAIL	live and refusing for now: a 4xx greeting, a 4xx to
 *			EHLO or a 421 to STARTTLS, a reset at connect
 *			(senders try the next exchanger, then retry)
 *	REFUSES		live and refusing for good: a 5xx greeting, EHLO
 *			and HELO refused with 5xx
 *	DOWN		nothing takes mail there: refused, timed out,
 *			no greeting, dropped, no usable address
 *	UNKNOWN		not probed, or the deadline cut the probe short,
 *			or this host has no route to any of its addresses
 *			(an address without a route does not count when
 *			the host has others: they judge it)
 *
 * Outcomes of one class (the worst first):
 *	BOUNCED		no exchanger takes mail and none refuses for now:
 *			bounced at once (5xx) or after the senders' retry
 *			period (nothing answers)
 *	HELD		exchangers answer but the class's TLS rule forbids
 *			every one: the mail waits in the senders' queues
 *			until the rule is met or the retry period ends
 *	UNKNOWN		nothing usable was seen, but some exchanger was not
 *			finished: no verdict
 *	DEFERRED	every live exchanger refuses for now (4xx): retried
 *			for days, delivered once one accepts
 *	DELIVERED	an exchanger takes it now
 *
 * Verdict of the domain: OUTAGE when any applicable class is BOUNCED or
 * HELD; else UNKNOWN when any is UNKNOWN; else DEGRADED when any is
 * DEFERRED, or delivered while an exchanger it could use is not usable,
 * or delivered past the most preferred group; else HEALTHY.
 *
 * API:
 *	delivery_model(facts, out)	fills out (free with delivery_free)
 *	delivery_free(out)		NULL members are fine
 *	delivery_sender_name(c)		"opportunistic", "mta-sts", "dane"
 *	delivery_outcome_name(o)	"delivered", "deferred", ...
 *	delivery_verdict_name(v)	"healthy", "degraded", "outage",
 *		"unknown"
 *	delivery_mx_state_name(s)	"accepts", "tempfail", ...
 *	delivery_usable(facts, c, i)	exchanger i takes mail from class c
 *	analyze_delivery_facts(pf, out)	the model's facts from a probe
 *		(free with analyze_delivery_facts_free); 0 when there is
 *		nothing to model (no MX, null MX, --dns-only)
 *	analyze_delivery(pf, out)	both of the above: 1 and out filled,
 *		or 0
 */
#ifndef MXPROBE_ANALYZE_DELIVERY_H
#define MXPROBE_ANALYZE_DELIVERY_H

#include <stddef.h>

struct probe_facts;

enum delivery_sender {
	DELIVERY_OPPORTUNISTIC,
	DELIVERY_MTASTS,
	DELIVERY_DANE,
	DELIVERY_NSENDER
};

enum delivery_mx_state {
	DELIVERY_MX_ACCEPTS,
	DELIVERY_MX_TEMPFAIL,
	DELIVERY_MX_REFUSES,
	DELIVERY_MX_DOWN,
	DELIVERY_MX_UNKNOWN
};

enum delivery_outcome {
	DELIVERY_DELIVERED,
	DELIVERY_DEFERRED,
	DELIVERY_UNKNOWN,
	DELIVERY_HELD,
	DELIVERY_BOUNCED
};

enum delivery_verdict {
	DELIVERY_HEALTHY,
	DELIVERY_DEGRADED,
	DELIVERY_VERDICT_UNKNOWN,
	DELIVERY_OUTAGE
};

struct delivery_mx {
	const char		*name;		/* borrowed */
	unsigned		 group;		/* 0 = most preferred */
	enum delivery_mx_state	 state;
	int			 tls_pkix;	/* 1: TLS done with a certificate
						 * that verifies and names the
						 * host, on every address that
						 * answered; else 0 */
	int			 sts_covered;	/* an mx line of the policy
						 * matches the name */
	int			 dane;		/* -1: no signed TLSA (DANE
						 * senders treat it as
						 * opportunistic); 1: the
						 * handshake matched; 0: signed
						 * TLSA and no match */
	int			 signed_tlsa;	/* DNSSEC-signed TLSA records
						 * were published (usable or
						 * not) */
	int			 untested_here;	/* UNKNOWN because this host
						 * has no route to any of its
						 * addresses (not a verdict) */
};

struct delivery_facts {
	struct delivery_mx	*mx;
	size_t			 nmx;
	int			 sts_enforce;	/* enforced MTA-STS policy */
	int			 dane;		/* signed MX answer and signed
						 * TLSA on some exchanger */
};

/* Where one class's mail goes for one set of exchangers. */
struct delivery_path {
	enum delivery_outcome	 outcome;
	unsigned char		*receives;	/* per mx: 1 receives mail */
	size_t			 nreceive;	/* how many receive */
};

struct delivery_class {
	int			 applies;
	struct delivery_path	 now;
	struct delivery_path	*after;		/* per mx: with mx i down */
	int			 degraded;	/* DELIVERED now, but an
						 * exchanger is not usable or
						 * mail goes past group 0 */
};

struct delivery {
	size_t			 nmx;
	struct delivery_class	 cls[DELIVERY_NSENDER];
	enum delivery_verdict	 verdict;
	enum delivery_sender	 worst;		/* the class that decided the
						 * verdict */
};

void		 delivery_model(const struct delivery_facts *,
		    struct delivery *);
void		 delivery_free(struct delivery *);
int		 delivery_usable(const struct delivery_facts *,
		    enum delivery_sender, size_t);
const char	*delivery_sender_name(enum delivery_sender);
const char	*delivery_outcome_name(enum delivery_outcome);
const char	*delivery_verdict_name(enum delivery_verdict);
const char	*delivery_mx_state_name(enum delivery_mx_state);

int		 analyze_delivery_facts(const struct probe_facts *,
		    struct delivery_facts *);
void		 analyze_delivery_facts_free(struct delivery_facts *);
int		 analyze_delivery(const struct probe_facts *,
		    struct delivery_facts *, struct delivery *);

#endif
