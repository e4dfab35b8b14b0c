/* Unit tests for src/app/batch.c: reading the --batch list, the status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/batch.h"
#include "app/cli.h"
#include "util/buf.h"
#include "tap.h"

#define NO_MORE	NULL

static const struct {
	const char	*name;
	const char	*text;		/* the file's contents */
	const char	*want[5];	/* domains read, NULL-ended */
} lists[] = {
	{ "one per line", "a.example\nb.example\n",
	    { "a.example", "b.example", NO_MORE } },
	{ "no final newline", "a.example\nb.example",
	    { "a.example", "b.example", NO_MORE } },
	{ "blank lines and comments", "\n# a comment\n\na.example # why\n"
	    "   \t\n#b.example\n", { "a.example", NO_MORE } },
	{ "white space and CRLF trimmed", "  a.example \t\r\n\tb.example\r\n",
	    { "a.example", "b.example", NO_MORE } },
	{ "kept as written: checked when probed", "not a domain!\n",
	    { "not a domain!", NO_MORE } },
	{ "empty file", "", { NO_MORE } },
	{ "only comments", "# x\n#y\n", { NO_MORE } },
};

static char *
write_tmp(const char *text, size_t len)
{
	static char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/t_batch.XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		perror("t_batch: temporary file");
		exit(1);
	}
	fwrite(text, 1, len, fp);
	fclose(fp);
	return path;
}

static void
test_read(void)
{
	struct batch b;
	struct buf *why;
	char *path;
	size_t i, n;
	int rc, same;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		memset(&b, 0, sizeof(b));
		why = buf_new(BUF_WHY_MAX);
		path = write_tmp(lists[i].text, strlen(lists[i].text));
		rc = batch_read(path, &b, why);
		unlink(path);
		for (n = 0; lists[i].want[n] != NULL; n++)
			;
		same = rc == 0 && b.ndomains == n;
		for (n = 0; same && n < b.ndomains; n++)
			same = strcmp(b.domains[n], lists[i].want[n]) == 0;
		ok(same, "batch_read: %s", lists[i].name);
		batch_free(&b);
		buf_free(why);
	}
}

static void
test_read_errors(void)
{
	struct batch b;
	struct buf *why;
	char line[1100], *path;

	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	ok(batch_read("/nonexistent/batch-list", &b, why) == -1 &&
	    strstr(buf_str(why), "--batch /nonexistent/batch-list: ") ==
	    buf_str(why), "an unreadable file is an error that names it");
	batch_free(&b);
	buf_free(why);

	/* 1022 characters and the newline fit the line buffer; 1023 not. */
	memset(line, 'a', sizeof(line));
	line[1022] = '\n';
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp(line, 1023);
	ok(batch_read(path, &b, why) == 0 && b.ndomains == 1 &&
	    strlen(b.domains[0]) == 1022, "a line of 1022 characters is read");
	unlink(path);
	batch_free(&b);
	buf_free(why);

	line[1022] = 'a';
	line[1023] = '\n';
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp(line, 1024);
	ok(batch_read(path, &b, why) == -1 &&
	    strstr(buf_str(why), "line 1 is longer than 1022 characters") !=
	    NULL, "a longer line is an error, not split in two");
	unlink(path);
	batch_free(&b);
	buf_free(why);
	/* A NUL byte: that line is an error of its own, the rest is read. */
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp("a.example\nbad\0x.example\nc.example\n", 33);
	ok(batch_read(path, &b, why) == 0, "a NUL byte does not end the "
	    "batch");
	ok(b.ndomains == 3 && strcmp(b.domains[0], "a.example") == 0 &&
	    b.bad[0] == NULL && strcmp(b.domains[2], "c.example") == 0 &&
	    b.bad[2] == NULL, "the lines around it are domains");
	ok(b.ndomains == 3 && strcmp(b.domains[1], "line 2") == 0 &&
	    b.bad[1] != NULL && strstr(b.bad[1], "NUL byte") != NULL,
	    "the line is named, with the reason");
	unlink(path);
	batch_free(&b);
	buf_free(why);
}

static void
test_status(void)
{
	struct cli o;
	struct batch b;

	memset(&o, 0, sizeof(o));
	o.batch = "list";
	memset(&b, 0, sizeof(b));
	b.o = &o;
	is_int(batch_status(&b), EXIT_UNKNOWN, "a list with no domain is "
	    "UNKNOWN");
	b.any = 1;
	b.status = EXIT_WARNING;
	is_int(batch_status(&b), EXIT_WARNING, "the worst status is the "
	    "run's");
	batch_add(&b, "a.example");
	is_int(batch_status(&b), EXIT_UNKNOWN, "a domain never probed is "
	    "UNKNOWN");
	b.next = 1;
	b.running = 1;
	is_int(batch_status(&b), EXIT_UNKNOWN, "a probe still running is "
	    "UNKNOWN");
	batch_free(&b);
}

int
main(void)
{
	test_read();
	test_read_errors();
	test_status();
	return tap_done();
}
