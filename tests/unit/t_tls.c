/*
 * t_tls - src/net/tls.c, the OpenSSL client side of STARTTLS: DANE and
 * the trust store, each over real handshakes with certificates made here
 * (tests/unit/certs.h).
 *
 * DANE (tls_conn_dane and the dane_* facts) and its wiring through
 * src/net/smtp_session.c and the probe, without DNS: the TLSA records
 * are built here from throwaway certificates and handed over directly.
 * Each case runs a real TLS handshake against a server forked on one end
 * of a socketpair (or, for the SMTP case, on 127.0.0.1), presenting a
 * chosen chain. RFC 7672 sections 3.1.1-3.1.3 and 3.2.2: DANE-EE(3)
 * matches the leaf and ignores its names and dates, DANE-TA(2) anchors
 * the chain and checks the MX host name, PKIX-TA(0)/PKIX-EE(1) are not
 * used for SMTP.
 *
 * The trust store: the system bundle (SSL_CERT_FILE) is parsed only when
 * a chain needs it, and a chain's verdict is the same as with the bundle
 * parsed before the handshake. Each case is a handshake over a
 * socketpair in this process (the server side a plain OpenSSL server),
 * then tls_conn_facts(). Certificates: CA "Lab CA" in the --ca-file, CA
 * "System CA" in the bundle, leaves issued by each (one expired), and a
 * self-signed leaf. It runs after the DANE part, whose contexts use the
 * default system store, and sets that store back at its end.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "analyze/analyze.h"
#include "util/buf.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "probe/probe.h"
#include "net/smtp_session.h"
#include "net/tls.h"
#include "util/xalloc.h"
#include "facts/tls_facts.h"
#include "certs.h"
#include "tap.h"

/* --- DANE --- */

#define MX	"mx.dane.test"

static EVP_PKEY *ca_key, *leaf_key, *self_key;
static X509 *ca_cert, *leaf_cert, *self_cert;

static EVP_PKEY *
make_key(void)
{
	return EVP_EC_gen("P-256");
}

/* The association data of RFC 6698 section 2.1.2-2.1.3: the DER of the
 * certificate (selector 0) or of its SubjectPublicKeyInfo (1), as is
 * (mtype 0) or hashed with SHA-256 (1) or SHA-512 (2). */
static size_t
assoc(X509 *x, int selector, int mtype, unsigned char *out)
{
	unsigned char *der = NULL;
	unsigned int n = 0;
	int len;

	len = selector == 0 ? i2d_X509(x, &der) :
	    i2d_PUBKEY(X509_get0_pubkey(x), &der);
	if (len <= 0)
		return 0;
	if (mtype == 0) {
		memcpy(out, der, (size_t)len);
		n = (unsigned int)len;
	} else
		EVP_Digest(der, (size_t)len, out, &n, mtype == 1 ?
		    EVP_sha256() : EVP_sha512(), NULL);
	OPENSSL_free(der);
	return n;
}

enum chain { SELF, LEAF, LEAF_CA };

struct rec {
	int		 usage, selector, mtype;
	X509		**of;		/* certificate the data is about */
	int		 corrupt;	/* flip a bit / cut the digest */
};

struct dcase {
	const char	*name;
	enum chain	 chain;
	const char	*mxhost;
	struct rec	 recs[4];
	size_t		 nrec;
	int		 secure;
	/* expectations */
	int		 checked, ok, usage, depth;
	int		 usable, skipped, unusable;
	const char	*why;		/* substring of dane_why, or NULL
					 * when dane_why must be NULL */
};

static struct dcase cases[] = {
	{ "3 1 1 of the leaf SPKI, self-signed, expired, other name",
	  SELF, MX, { { 3, 1, 1, &self_cert, 0 } }, 1, 1,
	  1, 1, 3, 0, 1, 0, 0, NULL },
	{ "3 0 1 of the full leaf certificate", SELF, MX,
	  { { 3, 0, 1, &self_cert, 0 } }, 1, 0, 1, 1, 3, 0, 1, 0, 0, NULL },
	{ "3 1 2 (SHA-512) of the leaf SPKI", LEAF, MX,
	  { { 3, 1, 2, &leaf_cert, 0 } }, 1, 1, 1, 1, 3, 0, 1, 0, 0, NULL },
	{ "3 1 0 (full SPKI) of the leaf", LEAF, MX,
	  { { 3, 1, 0, &leaf_cert, 0 } }, 1, 1, 1, 1, 3, 0, 1, 0, 0, NULL },
	{ "2 0 1 of the CA, chain leaf+CA, MX name in the leaf", LEAF_CA,
	  MX, { { 2, 0, 1, &ca_cert, 0 } }, 1, 1, 1, 1, 2, 1, 1, 0, 0,
	  NULL },
	{ "2 1 1 of the CA SPKI", LEAF_CA, MX,
	  { { 2, 1, 1, &ca_cert, 0 } }, 1, 1, 1, 1, 2, 1, 1, 0, 0, NULL },
	{ "2 0 1 of the CA, but the leaf does not name the MX host",
	  LEAF_CA, "other.dane.test", { { 2, 0, 1, &ca_cert, 0 } }, 1, 1,
	  1, 0, -1, -1, 1, 0, 0, "hostname mismatch" },
	{ "3 1 1 with a wrong digest: mismatch", SELF, MX,
	  { { 3, 1, 1, &self_cert, 1 } }, 1, 1, 1, 0, -1, -1, 1, 0, 0,
	  "DANE" },
	{ "3 1 1 of another certificate: mismatch", LEAF, MX,
	  { { 3, 1, 1, &self_cert, 0 } }, 1, 1, 1, 0, -1, -1, 1, 0, 0,
	  "DANE" },
	{ "2 0 1 of the CA, CA not presented: mismatch", LEAF, MX,
	  { { 2, 0, 1, &ca_cert, 0 } }, 1, 1, 1, 0, -1, -1, 1, 0, 0,
	  NULL /* some verify error */ },
	{ "usage 1 and 0 only: skipped, no DANE check", LEAF_CA, MX,
	  { { 1, 1, 1, &leaf_cert, 0 }, { 0, 0, 1, &ca_cert, 0 } }, 2, 1,
	  0, 0, -1, -1, 0, 2, 0, "no usable TLSA record" },
	{ "usage 1 skipped, 3 1 1 beside it matches", LEAF, MX,
	  { { 1, 1, 1, &leaf_cert, 0 }, { 3, 1, 1, &leaf_cert, 0 } }, 2, 1,
	  1, 1, 3, 0, 1, 1, 0, NULL },
	{ "usage 1 record matching the leaf is still not used", LEAF, MX,
	  { { 1, 1, 1, &leaf_cert, 0 }, { 3, 1, 1, &self_cert, 0 } }, 2, 1,
	  1, 0, -1, -1, 1, 1, 0, "DANE" },
	{ "digest of the wrong length: unusable, no DANE check", SELF, MX,
	  { { 3, 1, 1, &self_cert, 2 } }, 1, 1, 0, 0, -1, -1, 0, 0, 1,
	  "no usable TLSA record" },
	{ "wrong record and right record: the right one counts", SELF, MX,
	  { { 3, 1, 1, &leaf_cert, 0 }, { 3, 1, 1, &self_cert, 0 } }, 2, 1,
	  1, 1, 3, 0, 2, 0, 0, NULL },
	{ "no records: no DANE facts", LEAF, MX, { { 0 } }, 0, 0,
	  0, 0, -1, -1, 0, 0, 0, NULL },
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static SSL_CTX *
server_ctx(enum chain ch)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ch == SELF) {
		SSL_CTX_use_certificate(ctx, self_cert);
		SSL_CTX_use_PrivateKey(ctx, self_key);
	} else {
		SSL_CTX_use_certificate(ctx, leaf_cert);
		SSL_CTX_use_PrivateKey(ctx, leaf_key);
		if (ch == LEAF_CA)
			SSL_CTX_add1_chain_cert(ctx, ca_cert);
	}
	return ctx;
}

/* Child: one TLS handshake on fd, then wait for the peer to go. */
static void __attribute__((noreturn))
tls_server(int fd, enum chain ch)
{
	SSL_CTX *ctx;
	SSL *ssl;
	char b[64];

	signal(SIGPIPE, SIG_IGN);
	alarm(10);
	ctx = server_ctx(ch);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) == 1)
		while (SSL_read(ssl, b, sizeof(b)) > 0)
			;
	_exit(0);
}

/* The TLSA records of a case, built from the certificates. */
static size_t
case_records(const struct dcase *c, struct tls_tlsa *out,
    unsigned char store[][1024])
{
	size_t i;

	for (i = 0; i < c->nrec; i++) {
		out[i].usage = (uint8_t)c->recs[i].usage;
		out[i].selector = (uint8_t)c->recs[i].selector;
		out[i].mtype = (uint8_t)c->recs[i].mtype;
		out[i].len = assoc(*c->recs[i].of, c->recs[i].selector,
		    c->recs[i].mtype, store[i]);
		out[i].data = store[i];
		if (c->recs[i].corrupt == 1)
			store[i][0] ^= 0x01;
		else if (c->recs[i].corrupt == 2)
			out[i].len -= 1;
	}
	return c->nrec;
}

static void
run_case(struct tls_ctx *ctx, const struct dcase *c)
{
	struct tls_tlsa recs[4];
	unsigned char store[4][1024];
	struct tls_facts f;
	struct tls_conn *conn;
	struct pollfd pfd;
	struct buf *why;
	enum tls_step st;
	size_t n;
	pid_t pid;
	int sv[2], t;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
		ok(0, "%s: socketpair", c->name);
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(sv[0]);
		tls_server(sv[1], c->chain);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	why = buf_new(BUF_WHY_MAX);
	n = case_records(c, recs, store);
	conn = tls_conn_new(ctx, sv[0], c->mxhost, why);
	if (!ok(conn != NULL, "%s: connection", c->name)) {
		close(sv[0]);
		waitpid(pid, NULL, 0);
		buf_free(why);
		return;
	}
	is_int(tls_conn_dane(conn, c->mxhost, recs, n, c->secure, why), 0,
	    "  tls_conn_dane succeeds");
	/* The handshake never fails for DANE: verification is a fact. */
	for (t = 0; t < 200; t++) {
		st = tls_handshake_step(conn, why);
		if (st == TLS_DONE || st == TLS_ERROR)
			break;
		pfd.fd = sv[0];
		pfd.events = st == TLS_WANT_READ ? POLLIN : POLLOUT;
		poll(&pfd, 1, 100);
	}
	if (!ok(st == TLS_DONE, "  handshake completes")) {
		diag("  %s", buf_str(why));
		goto out;
	}
	tls_facts_init(&f);
	tls_conn_facts(conn, c->mxhost, &f);
	is_int(f.dane_checked, c->checked, "  dane_checked");
	is_int(f.dane_ok, c->ok, "  dane_ok");
	is_int(f.dane_secure, c->checked || c->nrec ? c->secure : 0,
	    "  dane_secure copied");
	is_int(f.dane_usable, c->usable, "  records used");
	is_int(f.dane_skipped, c->skipped, "  PKIX-TA/EE records skipped");
	is_int(f.dane_unusable, c->unusable, "  unusable records");
	if (c->ok) {
		is_int(f.dane_usage, c->usage, "  matched usage");
		is_int(f.dane_depth, c->depth, "  matched depth");
		is_int(f.dane_selector, c->recs[c->nrec - 1].selector,
		    "  matched selector");
		is_int(f.dane_mtype, c->recs[c->nrec - 1].mtype,
		    "  matched matching type");
		ok(f.dane_why == NULL, "  no reason when it matched");
	} else if (c->why != NULL)
		ok(f.dane_why != NULL && strstr(f.dane_why, c->why) != NULL,
		    "  reason mentions \"%s\": %s", c->why,
		    f.dane_why ? f.dane_why : "(null)");
	else if (c->checked)
		ok(f.dane_why != NULL && f.dane_why[0] != '\0',
		    "  a reason: %s", f.dane_why ? f.dane_why : "(null)");
	else
		ok(f.dane_why == NULL, "  no reason without records");
	/* PKIX is judged apart: none of these chains is trusted by the
	 * system store, whatever DANE says. */
	is_int(f.verify_ok, 0, "  PKIX verify_ok independent of DANE");
	tls_facts_clear(&f);
out:
	tls_conn_free(conn);
	close(sv[0]);
	waitpid(pid, NULL, 0);
	buf_free(why);
}

/* ---- the same through smtp_session: cfg->tlsa reaches the handshake */

static void __attribute__((noreturn))
smtp_server(int lfd)
{
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	char line[512];
	size_t n;
	int fd, k;
	char ch;

	signal(SIGPIPE, SIG_IGN);
	alarm(10);
	if ((fd = accept(lfd, NULL, NULL)) == -1)
		_exit(1);
	if (write(fd, "220 mx.dane.test ESMTP\r\n", 24) != 24)
		_exit(1);
	for (;;) {
		for (n = 0;;) {
			k = ssl ? SSL_read(ssl, &ch, 1) : (int)read(fd, &ch, 1);
			if (k <= 0)
				_exit(0);
			if (ch == '\n')
				break;
			if (ch != '\r' && n + 1 < sizeof(line))
				line[n++] = ch;
		}
		line[n] = '\0';
#define SAY(s) do { if (ssl) SSL_write(ssl, s, (int)strlen(s)); \
	else if (write(fd, s, strlen(s)) < 0) _exit(1); } while (0)
		if (strncasecmp(line, "EHLO", 4) == 0)
			SAY(ssl ? "250 mx.dane.test\r\n" :
			    "250-mx.dane.test\r\n250 STARTTLS\r\n");
		else if (strcasecmp(line, "STARTTLS") == 0) {
			SAY("220 go ahead\r\n");
			ctx = server_ctx(LEAF);
			ssl = SSL_new(ctx);
			SSL_set_fd(ssl, fd);
			if (SSL_accept(ssl) != 1)
				_exit(0);
		} else if (strcasecmp(line, "QUIT") == 0) {
			SAY("221 bye\r\n");
			_exit(0);
		} else
			SAY("502 no\r\n");
#undef SAY
	}
}

static struct smtp_result *sres;

static void
smtp_done(struct smtp_result *r, void *arg)
{
	(void)arg;
	sres = r;
}

static int
smtp_listener(struct sockaddr_in *sin, pid_t *pid)
{
	socklen_t len = sizeof(*sin);
	int lfd;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)sin, sizeof(*sin)) == -1 ||
	    listen(lfd, 1) == -1 ||
	    getsockname(lfd, (struct sockaddr *)sin, &len) == -1) {
		close(lfd);
		return -1;
	}
	fflush(stdout);
	if ((*pid = fork()) == 0)
		smtp_server(lfd);
	close(lfd);
	return 0;
}

/* ---- the same through probe.c: TLSA asked, handed to the session ---- */

enum tlsa_mode { T_MATCH, T_MISMATCH, T_SERVFAIL };
static enum tlsa_mode tlsa_mode;

static struct dns_rr *
fake_rr(struct dns_rr **rrs, size_t *n, const char *name, int type)
{
	struct dns_rr *rr;

	*rrs = xreallocarray(*rrs, *n + 1, sizeof(**rrs));
	rr = &(*rrs)[(*n)++];
	memset(rr, 0, sizeof(*rr));
	rr->owner = xstrdup(name);
	rr->type = (uint16_t)type;
	rr->class = 1;
	rr->ttl = 300;
	rr->section = 1;
	return rr;
}

static enum dns_outcome
fake_dns(void *arg, const char *name, int type, struct dns_rr **rrs,
    size_t *n)
{
	struct dns_rr *rr;
	unsigned char d[64];

	(void)arg;
	*rrs = NULL;
	*n = 0;
	if (strcmp(name, "dane.test") == 0) {
		if (type != DNS_T_MX)
			return DNS_NODATA;
		rr = fake_rr(rrs, n, name, DNS_T_MX);
		rr->u.mx.pref = 10;
		rr->u.mx.host = xstrdup(MX);
		return DNS_OK;
	}
	if (strcmp(name, MX) == 0) {
		if (type != DNS_T_A)
			return DNS_NODATA;
		rr = fake_rr(rrs, n, name, DNS_T_A);
		rr->u.a.family = AF_INET;
		inet_pton(AF_INET, "127.0.0.1", rr->u.a.addr);
		return DNS_OK;
	}
	if (strcmp(name, "_25._tcp." MX) == 0 && type == DNS_T_TLSA) {
		if (tlsa_mode == T_SERVFAIL)
			return DNS_SERVFAIL;
		rr = fake_rr(rrs, n, name, DNS_T_TLSA);
		rr->u.tlsa.usage = 3;
		rr->u.tlsa.selector = 1;
		rr->u.tlsa.mtype = 1;
		rr->u.tlsa.len = assoc(leaf_cert, 1, 1, d);
		if (tlsa_mode == T_MISMATCH)
			d[0] ^= 0xff;
		rr->u.tlsa.data = xmalloc(rr->u.tlsa.len + 1);
		memcpy(rr->u.tlsa.data, d, rr->u.tlsa.len);
		return DNS_OK;
	}
	return DNS_NXDOMAIN;
}

static struct probe_facts *pfacts;

static void
probe_done(struct probe_facts *f, void *arg)
{
	(void)arg;
	pfacts = f;
}

static void
test_probe(struct tls_ctx *ctx, enum tlsa_mode mode, const char *name)
{
	struct probe_config cfg;
	struct sockaddr_in sin;
	struct evloop *loop;
	struct dns *dns;
	struct findings *fs;
	const struct smtp_result *r;
	const struct probe_tlsa *t;
	pid_t pid;

	if (smtp_listener(&sin, &pid) == -1) {
		ok(0, "%s: SMTP listener", name);
		return;
	}
	tlsa_mode = mode;
	loop = evloop_new();
	dns = dns_new_fake(loop, fake_dns, NULL);
	memset(&cfg, 0, sizeof(cfg));
	cfg.deadline_ms = 10000;
	cfg.smtp_port = ntohs(sin.sin_port);
	cfg.step_ms = 5000;
	cfg.ehlo = "probe.test";
	cfg.allow_loopback = 1;
	cfg.tls = ctx;
	pfacts = NULL;
	probe_start(loop, dns, &cfg, "dane.test", probe_done, NULL);
	evloop_run(loop);
	if (!ok(pfacts != NULL && pfacts->ntlsa == 1 &&
	    pfacts->ntargets == 1, "%s: probe finishes, one host", name))
		goto out;
	t = &pfacts->tlsa[0];
	is_int(t->asked, 1, "  TLSA asked");
	is_str(t->qname, "_25._tcp." MX, "  TLSA name");
	is_int(t->out, mode == T_SERVFAIL ? DNS_SERVFAIL : DNS_OK,
	    "  TLSA outcome kept");
	is_int(t->nrr, mode == T_SERVFAIL ? 0 : 1, "  TLSA records kept");
	is_int(t->ad, 0, "  a fake answer is not authenticated");
	r = pfacts->targets[0].smtp;
	if (!ok(r != NULL && r->outcome == SMTP_OK, "  the session ran "
	    "after the TLSA answer"))
		goto out;
	is_int(r->tls.dane_checked, mode != T_SERVFAIL,
	    "  the session got the records");
	is_int(r->tls.dane_ok, mode == T_MATCH, "  DANE result");
	is_int(r->tls.dane_secure, 0, "  not authenticated");
	fs = findings_new();
	analyze_dane(pfacts, fs);
	is_int(findings_has(fs, F_DANE_TLSA_WITHOUT_DNSSEC),
	    mode != T_SERVFAIL, "  DANE_TLSA_WITHOUT_DNSSEC");
	is_int(findings_has(fs, F_DANE_LOOKUP_FAILED), mode == T_SERVFAIL,
	    "  DANE_LOOKUP_FAILED");
	is_int(findings_has(fs, F_DANE_MISMATCH), 0,
	    "  no DANE_MISMATCH without DNSSEC");
	findings_free(fs);
out:
	probe_facts_free(pfacts);
	dns_free(dns);
	evloop_free(loop);
	waitpid(pid, NULL, 0);
}

static void
test_smtp(struct tls_ctx *ctx, int corrupt)
{
	struct sockaddr_in sin;
	struct smtp_config cfg;
	struct tls_tlsa rec;
	unsigned char data[64];
	struct evloop *loop;
	pid_t pid;

	if (smtp_listener(&sin, &pid) == -1) {
		ok(0, "SMTP listener");
		return;
	}
	rec.usage = 3;
	rec.selector = 1;
	rec.mtype = 1;
	rec.len = assoc(leaf_cert, 1, 1, data);
	rec.data = data;
	if (corrupt)
		data[5] ^= 0x80;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ehlo_name = "probe.test";
	cfg.port = ntohs(sin.sin_port);
	cfg.step_timeout_ms = 5000;
	cfg.tls = ctx;
	cfg.tlsa = &rec;
	cfg.ntlsa = 1;
	cfg.tlsa_secure = 1;
	loop = evloop_new();
	sres = NULL;
	smtp_session_start(loop, &cfg, (struct sockaddr *)&sin, sizeof(sin),
	    MX, smtp_done, NULL);
	/* The session copied the records: the caller's may change now. */
	memset(data, 0, sizeof(data));
	evloop_run(loop);
	if (ok(sres != NULL && sres->outcome == SMTP_OK,
	    "SMTP session %s: OK although DANE %s", corrupt ? "mismatch" :
	    "match", corrupt ? "fails" : "matches")) {
		is_int(sres->tls.dane_checked, 1, "  session: dane_checked");
		is_int(sres->tls.dane_ok, !corrupt, "  session: dane_ok");
		is_int(sres->tls.dane_secure, 1, "  session: dane_secure");
		ok(sres->ehlo_tls_ok, "  session goes on after the check");
	} else if (sres != NULL)
		diag("  outcome %s: %s", smtp_outcome_name(sres->outcome),
		    sres->why);
	smtp_result_free(sres);
	evloop_free(loop);
	waitpid(pid, NULL, 0);
}

static int
test_dane(void)
{
	struct tls_ctx *ctx, *ctx2;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t i;

	ca_key = make_key();
	leaf_key = make_key();
	self_key = make_key();
	ca_cert = make_cert(ca_key, "DANE test CA", NULL, -CERT_DAY,
	    3650 * CERT_DAY, NULL, NULL);
	leaf_cert = make_cert(leaf_key, MX, "DNS:" MX, -CERT_DAY,
	    3650 * CERT_DAY, ca_cert, ca_key);
	/* Expired, and for another name: DANE-EE must not care. */
	self_cert = make_cert(self_key, "elsewhere.test",
	    "DNS:elsewhere.test", -30 * CERT_DAY, -3 * CERT_DAY, NULL, NULL);

	ctx = tls_ctx_new(NULL, why);
	if (!ok(ctx != NULL, "TLS context: %s", buf_str(why)))
		return 0;
	for (i = 0; i < NCASES; i++)
		run_case(ctx, &cases[i]);

	/* A second context enables DANE on its own. */
	ctx2 = tls_ctx_new(NULL, why);
	run_case(ctx2, &cases[0]);
	tls_ctx_free(ctx2);

	is_str(tls_dane_usage_name(0), "PKIX-TA", "usage name 0");
	is_str(tls_dane_usage_name(3), "DANE-EE", "usage name 3");
	is_str(tls_dane_usage_name(9), "?", "usage name out of range");

	test_smtp(ctx, 0);
	test_smtp(ctx, 1);
	test_probe(ctx, T_MATCH, "probe, TLSA matches");
	test_probe(ctx, T_MISMATCH, "probe, TLSA mismatch");
	test_probe(ctx, T_SERVFAIL, "probe, TLSA SERVFAIL");

	tls_ctx_free(ctx);
	X509_free(ca_cert);
	X509_free(leaf_cert);
	X509_free(self_cert);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
	EVP_PKEY_free(self_key);
	buf_free(why);
	return 0;
}

/* --- the trust store --- */

static void
write_pem(const char *path, X509 *x)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || PEM_write_X509(fp, x) != 1) {
		perror(path);
		exit(1);
	}
	fclose(fp);
}

static void (*between)(struct tls_ctx *);

/* One handshake with a server presenting leaf (issued by nobody in the
 * chain sent: the leaf alone); the client's facts in *f. 0 when the
 * handshake finished. When set, between() runs after the handshake and
 * before tls_conn_facts (another session finishing in the meantime). */
static int
handshake(struct tls_ctx *ctx, X509 *leaf, EVP_PKEY *key,
    struct tls_facts *f)
{
	SSL_CTX *sctx;
	SSL *srv;
	struct tls_conn *c;
	struct buf *why = buf_new(256);
	enum tls_step st = TLS_WANT_READ;
	int sv[2], i, sdone = 0, rv = -1;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	sctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_use_certificate(sctx, leaf);
	SSL_CTX_use_PrivateKey(sctx, key);
	srv = SSL_new(sctx);
	SSL_set_fd(srv, sv[1]);
	SSL_set_accept_state(srv);
	c = tls_conn_new(ctx, sv[0], "mx.test", why);
	for (i = 0; c != NULL && i < 100 && !(st == TLS_DONE && sdone); i++) {
		if (st != TLS_DONE)
			st = tls_handshake_step(c, why);
		if (st == TLS_ERROR)
			break;
		if (!sdone && SSL_do_handshake(srv) == 1)
			sdone = 1;
	}
	if (c != NULL && st == TLS_DONE) {
		if (between != NULL)
			between(ctx);
		tls_conn_facts(c, "mx.test", f);
		rv = 0;
	} else
		diag("handshake: %s", buf_str(why));
	tls_conn_free(c);
	SSL_free(srv);
	SSL_CTX_free(sctx);
	close(sv[0]);
	close(sv[1]);
	buf_free(why);
	ERR_clear_error();
	return rv;
}

/* The session that finishes in between: a self-signed leaf, whose
 * check parses the bundle. */
static X509 *other_cert;
static EVP_PKEY *other_key;
static int other_ok = -1;

static void
other_session(struct tls_ctx *ctx)
{
	struct tls_facts g;

	memset(&g, 0, sizeof(g));
	between = NULL;
	if (handshake(ctx, other_cert, other_key, &g) == 0)
		other_ok = g.verify_ok;
	tls_facts_clear(&g);
}

struct leafcase {
	const char	*name;
	X509		*cert;
	EVP_PKEY	*key;
	int		 want_ok;
	int		 want_err;
	int		 needs_bundle;	/* the bundle is parsed by it */
};

static int
test_trust(void)
{
	char dir[] = "/tmp/t_tls_trust.XXXXXX", cafile[300], bundle[300];
	EVP_PKEY *labkey, *syskey, *k1, *k2, *k3, *k4;
	X509 *lab, *sys, *fromlab, *fromsys, *expired, *self;
	struct tls_ctx *lazy, *eager;
	struct tls_facts f;
	struct buf *why = buf_new(256);
	size_t i, j;
	int err;

	memset(&f, 0, sizeof(f));	/* tls_conn_facts clears it first */
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(cafile, sizeof(cafile), "%s/ca.pem", dir);
	snprintf(bundle, sizeof(bundle), "%s/bundle.pem", dir);
	labkey = EVP_EC_gen("P-256");
	syskey = EVP_EC_gen("P-256");
	k1 = EVP_EC_gen("P-256");
	k2 = EVP_EC_gen("P-256");
	k3 = EVP_EC_gen("P-256");
	k4 = EVP_EC_gen("P-256");
	lab = make_cert(labkey, "Lab CA", NULL, -CERT_DAY, CERT_DAY, NULL,
	    NULL);
	sys = make_cert(syskey, "System CA", NULL, -CERT_DAY, CERT_DAY,
	    NULL, NULL);
	fromlab = make_cert(k1, "mx.test", "DNS:mx.test", -CERT_DAY,
	    CERT_DAY, lab, labkey);
	fromsys = make_cert(k2, "mx.test", "DNS:mx.test", -CERT_DAY,
	    CERT_DAY, sys, syskey);
	expired = make_cert(k3, "mx.test", "DNS:mx.test", -2 * CERT_DAY,
	    -CERT_DAY, sys, syskey);
	self = make_cert(k4, "mx.test", "DNS:mx.test", -CERT_DAY, CERT_DAY,
	    NULL, NULL);
	write_pem(cafile, lab);
	write_pem(bundle, sys);

	{
		struct leafcase lc[] = {
			{ "issued by the --ca-file CA", fromlab, k1, 1,
			    X509_V_OK, 0 },
			{ "issued by a bundle CA", fromsys, k2, 1,
			    X509_V_OK, 1 },
			{ "expired, issued by a bundle CA", expired, k3, 0,
			    X509_V_ERR_CERT_HAS_EXPIRED, 1 },
			{ "self-signed", self, k4, 0,
			    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 1 },
		};
		size_t n = sizeof(lc) / sizeof(lc[0]);

		/* The bundle as SSL_CERT_FILE: parsed when first needed. */
		tls_system_store_env(bundle, NULL);
		for (i = 0; i < n; i++) {
			lazy = tls_ctx_new(cafile, why);
			if (!ok(lazy != NULL, "context (%s)", buf_str(why)))
				return 0;
			ok(!tls_ctx_bundle_read(lazy),
			    "the bundle is not parsed by tls_ctx_new");
			/* Every case first (the bundle still waiting), then
			 * the others after it (the bundle maybe parsed). */
			for (j = 0; j < n; j++) {
				struct leafcase *c = &lc[(i + j) % n];
				int before = tls_ctx_bundle_read(lazy);

				if (handshake(lazy, c->cert, c->key, &f)
				    != 0) {
					ok(0, "handshake: %s", c->name);
					continue;
				}
				is_int(f.verify_ok, c->want_ok, c->name);
				is_int(f.verify_error, c->want_err, c->name);
				is_int(f.verify_issuer_unknown, 0, c->name);
				if (j == 0)
					is_int(tls_ctx_bundle_read(lazy),
					    c->needs_bundle, c->needs_bundle ?
					    "first chain short of an issuer: "
					    "the bundle is parsed" :
					    "first chain ends at the --ca-file: "
					    "the bundle stays unparsed");
				else if (before)
					ok(tls_ctx_bundle_read(lazy),
					    "parsed once, stays parsed");
				tls_facts_clear(&f);
			}
			tls_ctx_free(lazy);
		}

		/* The same verdicts with the bundle parsed up front
		 * (tls_verify_chain parses it). */
		eager = tls_ctx_new(cafile, why);
		(void)tls_verify_chain(eager, self, NULL, &err);
		ok(tls_ctx_bundle_read(eager), "tls_verify_chain parses it");
		for (i = 0; i < n; i++) {
			if (handshake(eager, lc[i].cert, lc[i].key, &f) != 0) {
				ok(0, "handshake: %s", lc[i].name);
				continue;
			}
			is_int(f.verify_ok, lc[i].want_ok, lc[i].name);
			is_int(f.verify_error, lc[i].want_err, lc[i].name);
			tls_facts_clear(&f);
		}
		tls_ctx_free(eager);

		/* Two sessions in flight: the first one's chain checked
		 * before the bundle was parsed, the bundle parsed by the
		 * other one in between: the first is still checked with
		 * it. */
		lazy = tls_ctx_new(cafile, why);
		other_cert = self;
		other_key = k4;
		between = other_session;
		if (handshake(lazy, fromsys, k2, &f) == 0) {
			is_int(other_ok, 0, "in between: the self-signed "
			    "session, not verified");
			is_int(f.verify_ok, 1, "a bundle CA's chain checked "
			    "before another session parsed the bundle: "
			    "verified");
			is_int(f.verify_error, X509_V_OK, "no error left");
			tls_facts_clear(&f);
		} else
			ok(0, "handshake: two sessions in flight");
		between = NULL;
		tls_ctx_free(lazy);

		/* Without the bundle's CA anywhere: the issuer is unknown,
		 * after the one check with the (empty) bundle. */
		write_pem(bundle, lab);
		lazy = tls_ctx_new(NULL, why);
		if (handshake(lazy, fromsys, k2, &f) == 0) {
			is_int(f.verify_ok, 0, "issuer in neither store");
			is_int(f.verify_error,
			    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
			    "issuer in neither store: the error");
			is_int(f.verify_issuer_unknown, 1,
			    "issuer in neither store: issuer unknown");
			ok(tls_ctx_bundle_read(lazy), "the bundle was read");
			tls_facts_clear(&f);
		} else
			ok(0, "handshake: issuer in neither store");
		if (handshake(lazy, fromlab, k1, &f) == 0) {
			is_int(f.verify_ok, 1, "no --ca-file: a bundle CA "
			    "verifies");
			tls_facts_clear(&f);
		} else
			ok(0, "handshake: bundle CA without --ca-file");
		tls_ctx_free(lazy);
		tls_system_store_env(NULL, NULL);
	}

	unlink(cafile);
	unlink(bundle);
	rmdir(dir);
	X509_free(lab);
	X509_free(sys);
	X509_free(fromlab);
	X509_free(fromsys);
	X509_free(expired);
	X509_free(self);
	EVP_PKEY_free(labkey);
	EVP_PKEY_free(syskey);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
	EVP_PKEY_free(k3);
	EVP_PKEY_free(k4);
	buf_free(why);
	return 0;
}

int
main(void)
{
	int rv;

	rv = test_dane();
	rv |= test_trust();
	return tap_done() | rv;
}
