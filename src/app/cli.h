/*
 * cli - command-line options and exit codes.
 *
 * Exit codes follow the monitoring-plugin convention (Nagios/Icinga):
 * 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. A usage error is UNKNOWN.
 *
 * API:
 *	cli_parse(argc, argv, opts, why)	0 to run, CLI_EXIT_EARLY after
 *		--help/--version (exit 0), -1 on a usage error (why says it);
 *		with --list-findings, 0 and opts->list_findings set (no
 *		--domain needed)
 *	cli_free(opts)
 *	cli_domain_check(name, out, outlen, why)  validates a domain name
 *		(RFC 1035 §2.3.4: labels 1-63 octets, 253 in all) and writes
 *		it lower-cased without a trailing dot; 0 or -1
 *	cli_usage(fp)
 *	cli_wants_nagios(argc, argv)	1 when --nagios is among the
 *		arguments (to report a usage error the plugin way)
 *	cli_warn(opts), cli_crit(opts)	the --warn/--crit range, or NULL
 */
#ifndef MXPROBE_CLI_H
#define MXPROBE_CLI_H

#include <stdio.h>

#include "parse/range.h"

struct buf;

#define EXIT_OK		0
#define EXIT_WARNING	1
#define EXIT_CRITICAL	2
#define EXIT_UNKNOWN	3

#define CLI_EXIT_EARLY	1

struct cli_list {
	const char	**v;		/* NULL-terminated */
	size_t		  n;
};

struct cli {
	char		*domain;
	struct cli_list	 resolvers;
	int		 json;
	int		 json_locale;	/* JSON messages localized */
	int		 smtp_port;
	unsigned	 timeout_ms;	/* overall deadline */
	unsigned	 step_ms;	/* per SMTP step */
	int		 dns_only;
	int		 rcpt;		/* --rcpt: the recipient test */
	int		 no_share;	/* --no-share */
	int		 family;	/* 0 both, 4, 6 */
	const char	*ehlo;
	const char	*ca_file;
	int		 allow_loopback;
	int		 allow_documentation;
	int		 verbose;
	struct cli_list	 assume_down;
	struct cli_list	 spf_ip;
	const char	*spf_sender;
	const char	*helo;
	struct cli_list	 dkim_selectors;
	int		 https_port;	/* MTA-STS policy fetch; 0 = 443 */
	int		 quiet;
	int		 nagios;
	struct range	 warn;		/* score thresholds (parse/range.h) */
	struct range	 crit;
	int		 has_warn;	/* 0: no --warn */
	int		 has_crit;
	int		 colour;	/* -1 auto, 0 never, 1 always */
	struct cli_list	 expect_mx;
	struct cli_list	 expect_contains;
	struct cli_list	 old_mx;
	long		 max_ttl;	/* -1 = no check */
	const char	*expect_banner;
	const char	*batch;		/* file of domains, "-" = stdin */
	const char	*baseline;	/* earlier --json report */
	int		 parallel;	/* probes at once in batch mode */
	int		 jobs;		/* --jobs N; 0 = auto */
	unsigned	 per_address;	/* --per-address; 0 = no cap */
	int		 jobs_given;
	int		 list_findings;	/* print the catalogue, exit */
	int		 propagation;	/* --propagation (or --wait) */
	unsigned	 wait_s;	/* --wait; 0 = no wait */
	int		 ns_port;	/* lab knob; 0 = 53 */
	int		 csv;		/* --csv: one CSV row a domain */
	int		 order_done;	/* --order done; 0: input order */
	const char	*resume;	/* --resume: earlier output */
	unsigned	 shard_k;	/* --shard K/N; shard_n 0 = none */
	unsigned	 shard_n;
	char		**accept;	/* --accept, --accept-file: owned
					 * CODE[:SUBJECT] rules */
	size_t		  naccept;
	int		 cert_warn_days; /* --cert-warn-days; default 14 */
};

int	cli_parse(int, char **, struct cli *, struct buf *);
void	cli_free(struct cli *);
int	cli_domain_check(const char *, char *, size_t, struct buf *);
void	cli_usage(FILE *);
int	cli_wants_nagios(int, char **);
const struct range *cli_warn(const struct cli *);
const struct range *cli_crit(const struct cli *);

#endif
