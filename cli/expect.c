/*
 * expect.c - the --expect language (docs/EXPECT.md): parsing a file of
 * expectations, one per line with an optional scope, and checking finished
 * flows against them. Each broken expectation becomes a struct
 * expect_failure naming the line, the rule and what was seen.
 */
#include "cli/expect.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

enum ex_kind {
	EX_HANDSHAKE,
	EX_CLOSE,
	EX_CLOSER,
	EX_CLIENT_STATE,
	EX_SERVER_STATE,
	EX_NO_RST,
	EX_NO_TYPE,
	EX_NO_SEVERITY,
	EX_NO_ANOMALIES,
	EX_MAX_TYPE,
	EX_MAX_ANOMALIES,
	EX_MAX_TIME,
	EX_MIN_FLOWS,
	EX_MAX_FLOWS,
};

enum ex_timer { EXT_FIN_WAIT_2, EXT_CLOSE_WAIT, EXT_LAST_ACK };

#define EX_MAX_TOKENS 24

/* An address of a scope (host, server, client): any port. */
struct ex_addr {
	uint8_t ip_version; /* 4 or 6 */
	uint8_t ip[16];     /* network byte order; IPv4 in the first 4 bytes */
};

struct ex_rule {
	uint32_t line;
	char text[96];
	enum ex_kind kind;
	/* scope: every set part must hold */
	bool has_port;
	uint16_t port; /* server port */
	bool has_host, has_server, has_client;
	struct ex_addr host, server, client;
	/* arguments */
	uint32_t set; /* bitmask of verdicts / states / closers */
	int type;     /* anomaly type or severity */
	uint64_t n;
	int64_t ns;
	enum ex_timer timer;
	uint64_t flows; /* flows in scope (flow-count rules) */
};

struct expect {
	struct ex_rule *r;
	uint32_t n, cap;
};

static int name_index(const char *(*name)(int), int count, const char *w)
{
	for (int i = 0; i < count; i++)
		if (strcmp(name(i), w) == 0)
			return i;
	return -1;
}

static const char *nm_hs(int i)
{
	return handshake_verdict_name(i);
}
static const char *nm_cl(int i)
{
	return close_verdict_name(i);
}
static const char *nm_cr(int i)
{
	return closer_name(i);
}
static const char *nm_st(int i)
{
	return tcp_state_name(i);
}

static int parse_addr(const char *s, struct ex_addr *a)
{
	char buf[64];
	size_t len = strlen(s);

	if (len >= sizeof(buf))
		return -1;
	if (s[0] == '[' && len > 2 && s[len - 1] == ']') {
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
	} else {
		strcpy(buf, s);
	}
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, a->ip) == 1) {
		a->ip_version = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, a->ip) == 1) {
		a->ip_version = 6;
		return 0;
	}
	return -1;
}

/* Whether end `side` of a flow's tuple has address *want. */
static bool addr_match(const struct ex_addr *want, const struct tuple *t,
		       enum tuple_side side)
{
	return want->ip_version == t->ip_version &&
	       memcmp(want->ip, tuple_addr(t, side), 16) == 0;
}

static int parse_count(const char *w, uint64_t *n)
{
	char *end;

	if (!w || *w == '-' || *w == '\0')
		return -1;
	errno = 0;
	*n = strtoull(w, &end, 10);
	return errno || *end ? -1 : 0;
}

/* Words after the keyword: names from a table; "in" may come first. */
static int parse_set(char **w, int n, const char *(*name)(int), int count,
		     uint32_t *set, const char **bad)
{
	int i = 0;

	if (n > 0 && strcmp(w[0], "in") == 0)
		i = 1;
	if (i >= n) {
		*bad = "";
		return -1;
	}
	for (; i < n; i++) {
		int v = name_index(name, count, w[i]);

		if (v < 0) {
			*bad = w[i];
			return -1;
		}
		*set |= 1U << v;
	}
	return 0;
}

#define FAIL(...)                                                              \
	do {                                                                   \
		snprintf(errbuf, errlen, __VA_ARGS__);                         \
		return -1;                                                     \
	} while (0)

static int parse_line(struct ex_rule *r, char *line, const char *name,
		      uint32_t lineno, char *errbuf, size_t errlen)
{
	char *w[EX_MAX_TOKENS], *save = NULL, *tok;
	int n = 0, i = 0;
	const char *bad = NULL;

	memset(r, 0, sizeof(*r));
	r->line = lineno;
	snprintf(r->text, sizeof(r->text), "%s", line);
	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (n == EX_MAX_TOKENS)
			FAIL("%s:%u: too many words", name, lineno);
		w[n++] = tok;
	}

	/* Scope: (port N | host A | server A | client A)... ':' */
	while (i + 1 < n &&
	       (strcmp(w[i], "port") == 0 || strcmp(w[i], "host") == 0 ||
		strcmp(w[i], "server") == 0 || strcmp(w[i], "client") == 0)) {
		char *val = w[i + 1];
		size_t len = strlen(val);
		bool end = false;

		if (len > 1 && val[len - 1] == ':') {
			val[len - 1] = '\0';
			end = true;
		} else if (i + 2 < n && strcmp(w[i + 2], ":") == 0) {
			end = true;
		} else if (i + 2 < n && (strcmp(w[i + 2], "port") == 0 ||
					 strcmp(w[i + 2], "host") == 0 ||
					 strcmp(w[i + 2], "server") == 0 ||
					 strcmp(w[i + 2], "client") == 0)) {
			end = false;
		} else {
			FAIL("%s:%u: a scope ('%s %s') ends with ':'", name,
			     lineno, w[i], val);
		}
		if (strcmp(w[i], "port") == 0) {
			uint64_t p;

			if (parse_count(val, &p) || p > 65535)
				FAIL("%s:%u: bad port '%s'", name, lineno, val);
			r->has_port = true;
			r->port = (uint16_t)p;
		} else {
			struct ex_addr a;

			if (parse_addr(val, &a))
				FAIL("%s:%u: bad address '%s'", name, lineno,
				     val);
			if (w[i][0] == 'h') {
				r->has_host = true;
				r->host = a;
			} else if (w[i][0] == 's') {
				r->has_server = true;
				r->server = a;
			} else {
				r->has_client = true;
				r->client = a;
			}
		}
		i += 2;
		if (end) {
			if (i < n && strcmp(w[i], ":") == 0)
				i++;
			break;
		}
	}
	if (i >= n)
		FAIL("%s:%u: an expectation is missing", name, lineno);

	const char *k = w[i];
	char **args = w + i + 1;
	int na = n - i - 1;

	if (strcmp(k, "handshake") == 0) {
		r->kind = EX_HANDSHAKE;
		if (parse_set(args, na, nm_hs, HANDSHAKE_VERDICT_COUNT, &r->set,
			      &bad))
			FAIL("%s:%u: unknown handshake verdict '%s'", name,
			     lineno, bad);
	} else if (strcmp(k, "close") == 0) {
		r->kind = EX_CLOSE;
		if (parse_set(args, na, nm_cl, CLOSE_VERDICT_COUNT, &r->set,
			      &bad))
			FAIL("%s:%u: unknown close verdict '%s'", name, lineno,
			     bad);
	} else if (strcmp(k, "closer") == 0 ||
		   strcmp(k, "active_closer") == 0) {
		r->kind = EX_CLOSER;
		if (parse_set(args, na, nm_cr, CLOSER_COUNT, &r->set, &bad))
			FAIL("%s:%u: unknown closer '%s' (client, server, both, none)",
			     name, lineno, bad);
	} else if (strcmp(k, "client_state") == 0 ||
		   strcmp(k, "server_state") == 0) {
		r->kind = k[0] == 'c' ? EX_CLIENT_STATE : EX_SERVER_STATE;
		if (parse_set(args, na, nm_st, TCP_STATE_COUNT, &r->set, &bad))
			FAIL("%s:%u: unknown state '%s'", name, lineno, bad);
	} else if (strcmp(k, "no") == 0) {
		if (na != 1)
			FAIL("%s:%u: 'no' takes one word: rst, anomalies, a severity or an anomaly type",
			     name, lineno);
		if (strcmp(args[0], "rst") == 0 ||
		    strcmp(args[0], "reset") == 0) {
			r->kind = EX_NO_RST;
		} else if (strcmp(args[0], "anomalies") == 0) {
			r->kind = EX_NO_ANOMALIES;
		} else if ((r->type = severity_from_name(args[0])) >= 0) {
			r->kind = EX_NO_SEVERITY;
		} else if ((r->type = anomaly_type_from_name(args[0])) >= 0) {
			r->kind = EX_NO_TYPE;
		} else {
			FAIL("%s:%u: unknown anomaly type '%s'", name, lineno,
			     args[0]);
		}
	} else if (strcmp(k, "max") == 0 || strcmp(k, "min") == 0) {
		bool is_max = k[1] == 'a';

		if (na != 2)
			FAIL("%s:%u: '%s' takes two words: what and how many",
			     name, lineno, k);
		if (strcmp(args[0], "flows") == 0) {
			r->kind = is_max ? EX_MAX_FLOWS : EX_MIN_FLOWS;
			if (parse_count(args[1], &r->n))
				FAIL("%s:%u: bad count '%s'", name, lineno,
				     args[1]);
		} else if (!is_max) {
			FAIL("%s:%u: 'min' only applies to flows", name,
			     lineno);
		} else if (strcmp(args[0], "close_wait") == 0 ||
			   strcmp(args[0], "fin_wait_2") == 0 ||
			   strcmp(args[0], "last_ack") == 0) {
			r->kind = EX_MAX_TIME;
			r->timer = args[0][0] == 'c'   ? EXT_CLOSE_WAIT
				   : args[0][0] == 'f' ? EXT_FIN_WAIT_2
						       : EXT_LAST_ACK;
			if (options_parse_duration(args[1], &r->ns))
				FAIL("%s:%u: bad duration '%s' (e.g. 500ms, 2s)",
				     name, lineno, args[1]);
		} else if (strcmp(args[0], "anomalies") == 0) {
			r->kind = EX_MAX_ANOMALIES;
			if (parse_count(args[1], &r->n))
				FAIL("%s:%u: bad count '%s'", name, lineno,
				     args[1]);
		} else if ((r->type = anomaly_type_from_name(args[0])) >= 0) {
			r->kind = EX_MAX_TYPE;
			if (parse_count(args[1], &r->n))
				FAIL("%s:%u: bad count '%s'", name, lineno,
				     args[1]);
		} else {
			FAIL("%s:%u: unknown anomaly type '%s'", name, lineno,
			     args[0]);
		}
	} else {
		FAIL("%s:%u: unknown expectation '%s' (handshake, close, closer, client_state, server_state, no, max, min)",
		     name, lineno, k);
	}
	return 0;
}

struct expect *expect_parse(const char *text, const char *name, char *errbuf,
			    size_t errlen)
{
	struct expect *e = calloc(1, sizeof(*e));
	const char *p = text;
	uint32_t lineno = 0;

	if (!e) {
		snprintf(errbuf, errlen, "%s: out of memory", name);
		return NULL;
	}
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512], *s, *hash;

		lineno++;
		if (len >= sizeof(line)) {
			snprintf(errbuf, errlen, "%s:%u: line too long", name,
				 lineno);
			expect_free(e);
			return NULL;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : p + len;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		s = line;
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
			       s[len - 1] == '\r'))
			s[--len] = '\0';
		if (!*s)
			continue;
		if (e->n == e->cap) {
			uint32_t cap = e->cap ? e->cap * 2 : 16;
			struct ex_rule *nr = realloc(e->r, cap * sizeof(*nr));

			if (!nr) {
				snprintf(errbuf, errlen, "%s: out of memory",
					 name);
				expect_free(e);
				return NULL;
			}
			e->r = nr;
			e->cap = cap;
		}
		if (parse_line(&e->r[e->n], s, name, lineno, errbuf, errlen)) {
			expect_free(e);
			return NULL;
		}
		e->n++;
	}
	if (e->n == 0) {
		snprintf(errbuf, errlen, "%s: no expectations in the file",
			 name);
		expect_free(e);
		return NULL;
	}
	return e;
}

struct expect *expect_load(const char *path, char *errbuf, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char *text;
	long size;
	struct expect *e;

	if (!fp) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    size > (1L << 20) || fseek(fp, 0, SEEK_SET) != 0) {
		snprintf(errbuf, errlen,
			 "%s: not a readable expectation file (at most 1 MiB)",
			 path);
		fclose(fp);
		return NULL;
	}
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, fp) != (size_t)size) {
		snprintf(errbuf, errlen, "%s: read error", path);
		free(text);
		fclose(fp);
		return NULL;
	}
	text[size] = '\0';
	fclose(fp);
	e = expect_parse(text, path, errbuf, errlen);
	free(text);
	return e;
}

void expect_free(struct expect *e)
{
	if (!e)
		return;
	free(e->r);
	free(e);
}

uint32_t expect_count(const struct expect *e)
{
	return e ? e->n : 0;
}

static bool in_scope(const struct ex_rule *r, const struct flow_record *f)
{
	const struct tuple *t = &f->tuple; /* the client the source */

	if (r->has_port && t->dport != r->port)
		return false;
	if (r->has_host && !addr_match(&r->host, t, TUPLE_SRC) &&
	    !addr_match(&r->host, t, TUPLE_DST))
		return false;
	if (r->has_server && !addr_match(&r->server, t, TUPLE_DST))
		return false;
	if (r->has_client && !addr_match(&r->client, t, TUPLE_SRC))
		return false;
	return true;
}

/* "a or b or c" for the names in set. */
static void set_words(uint32_t set, const char *(*name)(int), int count,
		      char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < count && n < len; i++)
		if ((set >> i) & 1)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? " or " : "", name(i));
}

/* The earliest frame of the flow's anomalies of that type or severity:
 * they are stored in the order the rules raised them, which is not frame
 * order (a missing_ack is raised when its ACK finally comes). 0: none. */
static uint64_t first_frame_of(const struct flow_record *f, int type,
			       int min_sev)
{
	uint64_t first = 0;

	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		const struct anomaly *a = &f->anomalies[i];

		if (((type >= 0 && a->type == type) ||
		     (min_sev >= 0 && a->severity >= min_sev)) &&
		    (first == 0 || a->frame < first))
			first = a->frame;
	}
	return first;
}

/* "N [WHAT] anomaly" or "N [WHAT] anomalies", then MORE, then the
 * earliest frame when there is one: " (first at frame F)". */
static void count_words(char *msg, size_t len, uint64_t count, const char *what,
			const char *more, uint64_t first)
{
	int n = snprintf(msg, len, "%llu %s%sanomal%s%s",
			 (unsigned long long)count, what ? what : "",
			 what ? " " : "", count == 1 ? "y" : "ies",
			 more ? more : "");

	if (first && n >= 0 && (size_t)n < len)
		snprintf(msg + n, len - (size_t)n, " (first at frame %llu)",
			 (unsigned long long)first);
}

/* Check one rule; returns true and writes msg when broken. */
static bool rule_broken(const struct ex_rule *r, const struct flow_record *f,
			char *msg, size_t len)
{
	char want[160];
	uint64_t count = 0;

	switch (r->kind) {
	case EX_HANDSHAKE:
		if ((r->set >> f->handshake) & 1)
			return false;
		set_words(r->set, nm_hs, HANDSHAKE_VERDICT_COUNT, want,
			  sizeof(want));
		snprintf(msg, len, "handshake is %s, expected %s",
			 handshake_verdict_name(f->handshake), want);
		return true;
	case EX_CLOSE:
		if ((r->set >> f->close) & 1)
			return false;
		set_words(r->set, nm_cl, CLOSE_VERDICT_COUNT, want,
			  sizeof(want));
		snprintf(msg, len, "close is %s, expected %s",
			 close_verdict_name(f->close), want);
		return true;
	case EX_CLOSER:
		if ((r->set >> f->active_closer) & 1)
			return false;
		set_words(r->set, nm_cr, CLOSER_COUNT, want, sizeof(want));
		snprintf(msg, len, "active closer is %s, expected %s",
			 closer_name(f->active_closer), want);
		return true;
	case EX_CLIENT_STATE:
	case EX_SERVER_STATE: {
		int role =
			r->kind == EX_CLIENT_STATE ? ROLE_CLIENT : ROLE_SERVER;
		uint8_t st = f->ep[role].state;

		if ((r->set >> st) & 1)
			return false;
		set_words(r->set, nm_st, TCP_STATE_COUNT, want, sizeof(want));
		snprintf(msg, len, "%s ends in %s, expected %s",
			 role == ROLE_CLIENT ? "client" : "server",
			 tcp_state_name(st), want);
		return true;
	}
	case EX_NO_RST:
		if (f->close == CLOSE_RESET) {
			snprintf(msg, len,
				 "the connection was reset (close reset)");
			return true;
		}
		if (f->handshake == HS_REJECTED) {
			snprintf(
				msg, len,
				"the connection was refused with RST (handshake rejected)");
			return true;
		}
		return false;
	case EX_NO_TYPE:
		if (!f->anomaly_counts[r->type])
			return false;
		count_words(msg, len, f->anomaly_counts[r->type],
			    anomaly_type_name(r->type), NULL,
			    first_frame_of(f, r->type, -1));
		return true;
	case EX_NO_SEVERITY:
		for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
			if ((int)anomaly_type_severity(t) >= r->type)
				count += f->anomaly_counts[t];
		for (uint16_t i = 0;
		     !count && i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
			if (f->anomalies[i].severity >= r->type)
				count++;
		if (!count)
			return false;
		snprintf(want, sizeof(want), " of severity %s or worse",
			 severity_name(r->type));
		count_words(msg, len, count, NULL, want,
			    first_frame_of(f, -1, r->type));
		return true;
	case EX_NO_ANOMALIES:
		count = report_flow_anomalies(f);
		if (!count)
			return false;
		count_words(msg, len, count, NULL, NULL,
			    first_frame_of(f, -1, 0));
		return true;
	case EX_MAX_TYPE:
		if (f->anomaly_counts[r->type] <= r->n)
			return false;
		snprintf(want, sizeof(want), ", at most %llu expected",
			 (unsigned long long)r->n);
		count_words(msg, len, f->anomaly_counts[r->type],
			    anomaly_type_name(r->type), want, 0);
		return true;
	case EX_MAX_ANOMALIES:
		count = report_flow_anomalies(f);
		if (count <= r->n)
			return false;
		snprintf(want, sizeof(want), ", at most %llu expected",
			 (unsigned long long)r->n);
		count_words(msg, len, count, NULL, want, 0);
		return true;
	case EX_MAX_TIME:
		for (int role = 0; role < 2; role++) {
			const struct endpoint_record *e = &f->ep[role];
			int64_t t =
				r->timer == EXT_CLOSE_WAIT   ? e->close_wait_ns
				: r->timer == EXT_FIN_WAIT_2 ? e->fin_wait_2_ns
							     : e->last_ack_ns;

			if (t > r->ns) {
				snprintf(
					msg, len,
					"%s spent %.3fs in %s, at most %.3fs expected",
					role == ROLE_CLIENT ? "client"
							    : "server",
					(double)t / 1e9,
					r->timer == EXT_CLOSE_WAIT
						? "CLOSE_WAIT"
					: r->timer == EXT_FIN_WAIT_2
						? "FIN_WAIT_2"
						: "LAST_ACK",
					(double)r->ns / 1e9);
				return true;
			}
		}
		return false;
	case EX_MIN_FLOWS:
	case EX_MAX_FLOWS:
		return false;
	}
	return false;
}

static void fill_failure(struct expect_failure *out, const struct ex_rule *r,
			 const char *msg)
{
	out->line = r->line;
	snprintf(out->rule, sizeof(out->rule), "%s", r->text);
	snprintf(out->message, sizeof(out->message), "%s", msg);
}

uint32_t expect_check_flow(struct expect *e, const struct flow_record *f,
			   struct expect_failure *out, uint32_t max,
			   uint64_t *checks)
{
	uint32_t n = 0;
	char msg[160];

	for (uint32_t i = 0; e && i < e->n; i++) {
		struct ex_rule *r = &e->r[i];

		if (!in_scope(r, f))
			continue;
		if (r->kind == EX_MIN_FLOWS || r->kind == EX_MAX_FLOWS) {
			r->flows++;
			continue;
		}
		(*checks)++;
		if (rule_broken(r, f, msg, sizeof(msg)) && n < max)
			fill_failure(&out[n++], r, msg);
	}
	return n;
}

uint32_t expect_check_end(struct expect *e, struct expect_failure *out,
			  uint32_t max, uint64_t *checks)
{
	uint32_t n = 0;
	char msg[160];

	for (uint32_t i = 0; e && i < e->n; i++) {
		const struct ex_rule *r = &e->r[i];
		bool broken;

		if (r->kind != EX_MIN_FLOWS && r->kind != EX_MAX_FLOWS)
			continue;
		(*checks)++;
		broken = r->kind == EX_MIN_FLOWS ? r->flows < r->n
						 : r->flows > r->n;
		if (!broken || n >= max)
			continue;
		snprintf(msg, sizeof(msg),
			 "%llu flow%s in scope, %s %llu expected",
			 (unsigned long long)r->flows, r->flows == 1 ? "" : "s",
			 r->kind == EX_MIN_FLOWS ? "at least" : "at most",
			 (unsigned long long)r->n);
		fill_failure(&out[n++], r, msg);
	}
	return n;
}
