/*
 * smtp_facts - the session result's name tables and destructor; see
 * smtp_facts.h.
 */
#include <stdlib.h>

#include "facts/smtp_facts.h"
#include "util/i18n.h"

static const char *const outcome_names[SMTP_OUTCOME_COUNT] = {
	[SMTP_OK] = "OK",
	[SMTP_REFUSED] = "REFUSED",
	[SMTP_CONNECT_TIMEOUT] = "CONNECT_TIMEOUT",
	[SMTP_NETWORK_ERROR] = "NETWORK_ERROR",
	[SMTP_NO_BANNER] = "NO_BANNER",
	[SMTP_BANNER_TEMPFAIL] = "BANNER_TEMPFAIL",
	[SMTP_BANNER_PERMFAIL] = "BANNER_PERMFAIL",
	[SMTP_EHLO_REJECTED] = "EHLO_REJECTED",
	[SMTP_STARTTLS_NOT_OFFERED] = "STARTTLS_NOT_OFFERED",
	[SMTP_STARTTLS_REJECTED] = "STARTTLS_REJECTED",
	[SMTP_TLS_FAILED] = "TLS_FAILED",
	[SMTP_DROPPED] = "DROPPED",
	[SMTP_PROTOCOL_ERROR] = "PROTOCOL_ERROR",
	[SMTP_TIMEOUT] = "TIMEOUT",
};

static const char *const outcome_texts[SMTP_OUTCOME_COUNT] = {
	[SMTP_OK] = "accepted a connection and completed STARTTLS",
	[SMTP_REFUSED] = "connection refused: nothing listens on the port",
	[SMTP_CONNECT_TIMEOUT] = "no answer to the connection attempt "
	    "(filtered or down)",
	[SMTP_NETWORK_ERROR] = "network error (unreachable or similar)",
	[SMTP_NO_BANNER] = "accepted the connection but never greeted "
	    "(tarpit or overloaded)",
	[SMTP_BANNER_TEMPFAIL] = "temporarily refusing: rate limiting or "
	    "greylisting",
	[SMTP_BANNER_PERMFAIL] = "permanently refusing connections from us",
	[SMTP_EHLO_REJECTED] = "refused our EHLO (and HELO, if tried)",
	[SMTP_STARTTLS_NOT_OFFERED] = "does not offer STARTTLS: mail to it "
	    "travels unencrypted",
	[SMTP_STARTTLS_REJECTED] = "offers STARTTLS but refused it",
	[SMTP_TLS_FAILED] = "the TLS handshake failed",
	[SMTP_DROPPED] = "closed the connection unexpectedly",
	[SMTP_PROTOCOL_ERROR] = "sent malformed or oversized replies",
	[SMTP_TIMEOUT] = "stopped answering in the middle of the dialogue",
};

static const char *const step_names[SMTP_STEP_COUNT] = {
	[SMTP_STEP_CONNECT] = "connect",
	[SMTP_STEP_BANNER] = "banner",
	[SMTP_STEP_EHLO] = "ehlo",
	[SMTP_STEP_HELO] = "helo",
	[SMTP_STEP_STARTTLS] = "starttls",
	[SMTP_STEP_TLS_HANDSHAKE] = "tls-handshake",
	[SMTP_STEP_EHLO_TLS] = "ehlo-tls",
	[SMTP_STEP_QUIT] = "quit",
	[SMTP_STEP_MAIL] = "mail",
	[SMTP_STEP_RCPT] = "rcpt",
	[SMTP_STEP_RCPT_ANY] = "rcpt-any",
	[SMTP_STEP_RSET] = "rset",
};

/* The steps as a sentence names them ("during %s", "answers %s"). */
static const char *const step_texts[SMTP_STEP_COUNT] = {
	[SMTP_STEP_CONNECT] = N_("the connection"),
	[SMTP_STEP_BANNER] = N_("the greeting"),
	[SMTP_STEP_EHLO] = N_("EHLO"),
	[SMTP_STEP_HELO] = N_("HELO"),
	[SMTP_STEP_STARTTLS] = N_("STARTTLS"),
	[SMTP_STEP_TLS_HANDSHAKE] = N_("the TLS handshake"),
	[SMTP_STEP_EHLO_TLS] = N_("EHLO after STARTTLS"),
	[SMTP_STEP_QUIT] = N_("QUIT"),
	[SMTP_STEP_MAIL] = N_("MAIL FROM"),
	[SMTP_STEP_RCPT] = N_("RCPT TO"),
	[SMTP_STEP_RCPT_ANY] = N_("RCPT TO of a random address"),
	[SMTP_STEP_RSET] = N_("RSET"),
};

const char *
smtp_outcome_name(enum smtp_outcome o)
{
	if ((int)o < 0 || o >= SMTP_OUTCOME_COUNT)
		return "?";
	return outcome_names[o];
}

const char *
smtp_outcome_describe(enum smtp_outcome o)
{
	if ((int)o < 0 || o >= SMTP_OUTCOME_COUNT)
		return "?";
	return outcome_texts[o];
}

const char *
smtp_step_name(enum smtp_step st)
{
	if ((int)st < 0 || st >= SMTP_STEP_COUNT)
		return "?";
	return step_names[st];
}

const char *
smtp_step_text(enum smtp_step st)
{
	if ((int)st < 0 || st >= SMTP_STEP_COUNT)
		return "?";
	return i18n_reason(step_texts[st]);
}

struct smtp_result *
smtp_result_ref(struct smtp_result *r)
{
	r->refs++;
	return r;
}

void
smtp_result_free(struct smtp_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->refs > 0) {
		r->refs--;
		return;
	}
	free(r->why);
	free(r->ehlo_name);
	free(r->mxhost);
	smtp_reply_clear(&r->banner);
	free(r->banner_host);
	smtp_ehlo_clear(&r->ehlo);
	smtp_reply_clear(&r->ehlo_reject);
	smtp_reply_clear(&r->reject);
	smtp_reply_clear(&r->mail_reply);
	smtp_reply_clear(&r->rcpt_reply);
	smtp_reply_clear(&r->rcpt_any_reply);
	free(r->rcpt_any);
	free(r->rcpt_why);
	tls_facts_clear(&r->tls);
	smtp_ehlo_clear(&r->ehlo_tls);
	smtp_result_free(r->legacy);
	for (i = 0; i < r->nsent; i++)
		free(r->sent[i]);
	free(r->sent);
	free(r);
}
