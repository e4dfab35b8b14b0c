/*
 * share - the exchanger sessions of a --batch run, shared by the domains
 * that name the same exchanger: one SMTP/TLS session per (host, address,
 * port) per run, its result given to every domain that names the host.
 *
 * API:
 *	share_new()		an empty table
 *	share_free(t)		frees every entry and drops the table's
 *		reference to every result kept (the facts of each domain
 *		that got a result hold a reference of their own,
 *		probe_target.smtp_shared, smtp_result_ref)
 *	share_key(host, family, addr, port, buf, len)	the key: host in
 *		lower case without its trailing dot, the address, the port
 *	share_find(t, key)	the live entry, or NULL (a hash table of
 *		the live entries: the cost does not grow with the run)
 *	share_add(t, key)	a new RUNNING entry
 *	share_retire(t, e)	out of reach of share_find (a result cut by
 *		its session's deadline), still freed by share_free
 *	share_drop(t, e)	freed now (nobody waits, no result; or an
 *		old result nobody waits for, see share_done)
 *	share_done(t, e)	e's session ended (SHARE_DONE): e joins the
 *		results kept, the most recently used last; beyond t->keep
 *		(SHARE_KEEP) results the least recently used one that nobody
 *		waits for is dropped, so memory follows the exchangers in
 *		use, not the length of the list
 *	share_used(t, e)	a DONE e given to one more domain: most
 *		recently used
 *	share_attach(e, r) / share_detach(e, r)	the target runs waiting
 *		for the entry's session
 *	share_sessions(t)	sessions started through the table
 *
 * The sessions themselves are driven in probe/probe_smtp.c, which sees
 * struct target_run.
 */
#ifndef MXPROBE_SHARE_H
#define MXPROBE_SHARE_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "net/smtp_session.h"

struct evloop;
struct smtp_result;
struct smtp_session;
struct sockets;
struct target_run;

enum share_state {
	SHARE_RUNNING,
	SHARE_DONE
};

/* Results of finished sessions kept for the domains still to come. */
#define SHARE_KEEP	1024

struct share_entry {
	struct share		*t;
	char			*key;
	enum share_state	 state;
	int			 live;		/* share_find sees it */
	struct smtp_result	*res;		/* SHARE_DONE: owned */
	struct smtp_result	*first;		/* failed over the version,
						 * while the legacy retry runs */
	struct smtp_session	*sess;		/* SHARE_RUNNING */
	struct sockets		*sockets;	/* the slot the session holds */
	int			 addr_held;	/* and its address's slot */
	uint64_t		 start;		/* evloop_clock() at start */
	struct target_run	*owner;		/* takes the socket and starts
						 * the session; NULL once out */
	struct evloop		*loop;
	struct smtp_config	 sc;		/* borrowed pointers: the run's */
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	char			*host;
	struct target_run	**runs;		/* attached */
	size_t			 nruns, cap;
	struct share_entry	*next, *prev;	/* every entry, for share_free */
	struct share_entry	*hnext;		/* live entries, same bucket */
	struct share_entry	*lprev, *lnext;	/* DONE, least recent first */
	int			 kept;		/* on that list */
	unsigned		 pins;		/* runs about to be given res */
};

struct share {
	struct share_entry	*head;
	struct share_entry	**bucket;	/* live entries by key hash */
	size_t			 nbucket, nlive;
	struct share_entry	*lru, *mru;	/* DONE entries kept */
	size_t			 nkept, keep;	/* keep: at most (SHARE_KEEP) */
	unsigned		 nsessions;
};

struct share		*share_new(void);
void			 share_free(struct share *);
void			 share_key(const char *, int, const unsigned char *,
			    int, char *, size_t);
struct share_entry	*share_find(struct share *, const char *);
struct share_entry	*share_add(struct share *, const char *);
void			 share_retire(struct share *, struct share_entry *);
void			 share_drop(struct share *, struct share_entry *);
void			 share_done(struct share *, struct share_entry *);
void			 share_used(struct share *, struct share_entry *);
void			 share_attach(struct share_entry *,
			    struct target_run *);
int			 share_detach(struct share_entry *,
			    struct target_run *);
unsigned		 share_sessions(const struct share *);

#endif
