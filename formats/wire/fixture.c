/*
 * fixture.c - the fixture script compiler (see fixture.h, docs/FIXTURES.md).
 *
 * A script is read line by line. Header lines (link, snaplen, base, relative,
 * flow, client, server, isn) set up the compiler state; packet lines
 *
 *     TIME [FLOW] c|s > FLAGS [abs] [SEQ:END(LEN)] [ack N] [win N] [<OPTS>] [EXTRA...]
 *
 * become one build_segment() each, handed to the caller's emit callback; and
 * `repeat N every T` ... `end` replays the lines between, shifted by T each
 * time. Each endpoint remembers its ISN, the next sequence number it would
 * send (for omitted SEQ and ACK), its last window and its IPv4 ID counter.
 * All state lives in one struct on the stack; nothing is allocated (except by
 * fixture_file_to_pcap, which reads the script file) and nothing is printed.
 */
#include "formats/wire/fixture.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/wire/build.h"
#include "formats/wire/linktype.h"
#include "formats/wire/pcap_out.h"
#include "formats/wire/tuple.h"

#define FX_MAX_LINE 1024
#define FX_MAX_TOKENS 48
#define FX_MAX_FLOWS 64
#define FX_MAX_NAME 32
#define FX_MAX_REPEAT 100000
#define FX_DEFAULT_BASE_S 1700000000LL
#define FX_DEFAULT_SNAPLEN 262144u
#define FX_NS 1000000000LL
#define FX_MAX_SCRIPT_BYTES (4u << 20)
/* Times stay below 3e9 s (year 2065), so sums of three never overflow. */
#define FX_MAX_SECONDS 3000000000ULL
#define FX_MAX_TS_NS ((int64_t)FX_MAX_SECONDS * FX_NS)

enum { FX_CLIENT = 0, FX_SERVER = 1 };

struct fx_endpoint {
	uint32_t isn;
	uint32_t snd_nxt; /* next sequence number this side would send */
	uint16_t window;  /* last window sent */
	uint16_t ip_id;
	bool sent;        /* sent a segment since its ISN was set */
	uint32_t ts_base; /* `options auto`: TS clock value at the base time */
	uint32_t ts_sent; /* last TS val this side sent */
	bool ts_any;      /* ts_sent is set */
};

struct fx_flow {
	char name[FX_MAX_NAME];
	struct tuple tuple; /* the client is the source (FX_CLIENT) */
	bool used;          /* a packet was sent on it */
	struct fx_endpoint ep[2];
};

/* The address and the port of one side of f. */
static uint8_t *fx_addr(struct fx_flow *f, int side)
{
	return side == FX_CLIENT ? f->tuple.src : f->tuple.dst;
}

static uint16_t *fx_port(struct fx_flow *f, int side)
{
	return side == FX_CLIENT ? &f->tuple.sport : &f->tuple.dport;
}

struct fx_state {
	const char *script;
	unsigned line_no;
	char *errbuf;
	size_t errlen;

	fixture_emit_fn emit;
	void *ctx;
	struct fixture_info *info;
	int *dlt_out;

	enum build_link link;
	uint32_t snaplen;
	bool header_done; /* first packet seen: link/snaplen/base are fixed */
	bool relative;
	bool auto_opts;   /* `options auto`: Linux-like options by default */
	bool opt_ts_seen; /* the current packet's option list had TS */
	uint32_t opt_ts_val;
	uint32_t auto_ts_val; /* TS val/ecr a bare "TS" stands for */
	uint32_t auto_ts_ecr;
	int64_t base_ns;
	int64_t prev_ns; /* what +DELTA counts from (base before any packet) */
	int64_t last_ns; /* time of the last packet emitted */

	struct fx_flow flows[FX_MAX_FLOWS];
	unsigned nflows;
	unsigned cur;

	/* repeat block */
	bool in_repeat;
	const char *rep_pos; /* first line of the block */
	unsigned rep_line;   /* line number of the `repeat` line */
	uint32_t rep_count;  /* iterations in all */
	uint32_t rep_iter;   /* current iteration, from 0 */
	int64_t rep_every_ns;
	int64_t rep_prev0_ns; /* prev_ns when the block started */

	uint8_t frame[BUILD_MAX_FRAME];
};

/* Write "line N: ..." into errbuf and return -1. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
fx_error(struct fx_state *st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!st->errbuf || st->errlen == 0)
		return -1;
	n = snprintf(st->errbuf, st->errlen, "line %u: ", st->line_no);
	if (n < 0 || (size_t)n >= st->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(st->errbuf + n, st->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- small parsers ---- */

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (!parse_u64(s, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_u16(const char *s, uint16_t *out)
{
	uint64_t v;

	if (!parse_u64(s, UINT16_MAX, &v))
		return false;
	*out = (uint16_t)v;
	return true;
}

/* Seconds with up to 9 decimals ("12", "0.010", "7200.5") into ns. */
static bool parse_seconds(const char *s, int64_t *ns)
{
	uint64_t whole = 0, frac = 0;
	unsigned digits = 0;
	const char *dot = strchr(s, '.');
	char intpart[24];
	size_t ilen = dot ? (size_t)(dot - s) : strlen(s);

	if (ilen == 0 || ilen >= sizeof(intpart))
		return false;
	memcpy(intpart, s, ilen);
	intpart[ilen] = '\0';
	if (!parse_u64(intpart, FX_MAX_SECONDS, &whole))
		return false;
	if (dot) {
		for (const char *p = dot + 1; *p; p++) {
			if (!isdigit((unsigned char)*p) || digits >= 9)
				return false;
			frac = frac * 10 + (uint64_t)(*p - '0');
			digits++;
		}
		if (digits == 0)
			return false;
		for (; digits < 9; digits++)
			frac *= 10;
	}
	*ns = (int64_t)whole * FX_NS + (int64_t)frac;
	return true;
}

/* "10.0.0.1:80" or "[2001:db8::1]:80". */
static bool parse_endpoint(const char *s, uint8_t *ip_version, uint8_t addr[16],
			   uint16_t *port)
{
	char host[64];
	const char *colon;
	size_t hlen;

	memset(addr, 0, 16);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return false;
		hlen = (size_t)(close - s - 1);
		if (hlen >= sizeof(host))
			return false;
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		if (inet_pton(AF_INET6, host, addr) != 1)
			return false;
		*ip_version = 6;
		return parse_u16(close + 2, port);
	}
	colon = strrchr(s, ':');
	if (!colon)
		return false;
	hlen = (size_t)(colon - s);
	if (hlen >= sizeof(host))
		return false;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, addr) != 1)
		return false;
	*ip_version = 4;
	return parse_u16(colon + 1, port);
}

/* Split `line` in place at whitespace. Returns the count, or -1 if more
 * than `max` tokens. */
static int tokenize(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -1;
		tok[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* ---- flows ---- */

static void flow_init(struct fx_flow *f, const char *name)
{
	static const uint8_t c_addr[4] = {10, 0, 0, 1},
			     s_addr[4] = {10, 0, 0, 2};

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->tuple.ip_version = 4;
	memcpy(f->tuple.src, c_addr, 4);
	memcpy(f->tuple.dst, s_addr, 4);
	f->tuple.sport = 40000;
	f->tuple.dport = 80;
	f->ep[FX_CLIENT].isn = f->ep[FX_CLIENT].snd_nxt = 1000;
	f->ep[FX_SERVER].isn = f->ep[FX_SERVER].snd_nxt = 5000;
	f->ep[FX_CLIENT].window = 64240;
	f->ep[FX_SERVER].window = 65160;
	f->ep[FX_CLIENT].ip_id = 0x3a10;
	f->ep[FX_SERVER].ip_id = 0x0000;
	/* Different, fixed TS clocks per flow, so flows look independent. */
	f->ep[FX_CLIENT].ts_base =
		2165700000u + 7919u * (uint32_t)strlen(name) * 1000u +
		(uint32_t)(name[0] ? (unsigned char)name[0] : 0) * 104729u;
	f->ep[FX_SERVER].ts_base = f->ep[FX_CLIENT].ts_base ^ 0x5a5a5a5au;
}

static bool is_dir_word(const char *s)
{
	return !strcmp(s, "c") || !strcmp(s, "s") || !strcmp(s, "client") ||
	       !strcmp(s, "server");
}

/* Select flow `name`, creating it if new. */
static int flow_select(struct fx_state *st, const char *name)
{
	struct fx_flow *cur = &st->flows[st->cur];

	if (strlen(name) >= FX_MAX_NAME)
		return fx_error(st,
				"flow name '%s' is longer than %d characters",
				name, FX_MAX_NAME - 1);
	if (is_dir_word(name) || isdigit((unsigned char)name[0]) ||
	    name[0] == '+')
		return fx_error(st, "'%s' cannot be a flow name", name);
	for (unsigned i = 0; i < st->nflows; i++) {
		if (!strcmp(st->flows[i].name, name)) {
			st->cur = i;
			return 0;
		}
	}
	/* The implicit first flow takes the first name if still untouched. */
	if (st->nflows == 1 && cur->name[0] == '\0' && !cur->used) {
		snprintf(cur->name, sizeof(cur->name), "%s", name);
		return 0;
	}
	if (st->nflows == FX_MAX_FLOWS)
		return fx_error(st, "more than %d flows", FX_MAX_FLOWS);
	flow_init(&st->flows[st->nflows], name);
	st->cur = st->nflows++;
	return 0;
}

static int set_endpoint(struct fx_state *st, int side, const char *spec)
{
	struct fx_flow *f = &st->flows[st->cur];
	uint8_t ver, addr[16];
	uint16_t port;

	if (!parse_endpoint(spec, &ver, addr, &port))
		return fx_error(
			st,
			"bad address '%s' (want 10.0.0.1:80 or [2001:db8::1]:80)",
			spec);
	if (f->used && ver != f->tuple.ip_version)
		return fx_error(st, "flow already uses IPv%u",
				f->tuple.ip_version);
	memcpy(fx_addr(f, side), addr, 16);
	*fx_port(f, side) = port;
	/* A version change moves the other side's default address along. */
	if (ver != f->tuple.ip_version) {
		uint8_t *o = fx_addr(f, !side);
		uint8_t last = side == FX_CLIENT ? 2 : 1;
		memset(o, 0, 16);
		if (ver == 6) {
			o[0] = 0x20, o[1] = 0x01, o[2] = 0x0d, o[3] = 0xb8,
			o[15] = last;
		} else {
			o[0] = 10, o[3] = last;
		}
		f->tuple.ip_version = ver;
	}
	return 0;
}

static int side_from_word(const char *s)
{
	if (!strcmp(s, "c") || !strcmp(s, "client"))
		return FX_CLIENT;
	if (!strcmp(s, "s") || !strcmp(s, "server"))
		return FX_SERVER;
	return -1;
}

/* ---- header lines ---- */

static int need_before_packets(struct fx_state *st, const char *what)
{
	if (st->header_done)
		return fx_error(st, "'%s' must come before the first packet",
				what);
	return 0;
}

/* Whether frames of link type `link` can hold IP version `ver` (raw IPv4
 * and raw IPv6 hold only theirs). */
static bool link_carries(enum build_link link, uint8_t ver)
{
	const struct linktype *lt = linktype_find((int)link);

	if (lt && lt->hdr == LINKHDR_IPV4)
		return ver == 4;
	if (lt && lt->hdr == LINKHDR_IPV6)
		return ver == 6;
	return true;
}

/* `link NAME`: a row of the link-type table, by its name or alias, whose
 * header the builder writes. */
static int do_link(struct fx_state *st, char **tok, int n)
{
	const struct linktype *lt;

	if (need_before_packets(st, "link"))
		return -1;
	if (n != 2)
		return fx_error(st, "usage: link ethernet|raw|sll|null|NAME");
	lt = linktype_by_name(tok[1]);
	if (!lt || build_link_dlt((enum build_link)lt->dlt) < 0)
		return fx_error(st,
				"unknown link type '%s' (ethernet, raw, sll, "
				"null, or a name of docs/FIXTURES.md)",
				tok[1]);
	st->link = (enum build_link)lt->dlt;
	return 0;
}

static int do_isn(struct fx_state *st, char **tok, int n)
{
	struct fx_flow *f = &st->flows[st->cur];

	if (n != 3 && n != 5)
		return fx_error(st, "usage: isn client N [server N]");
	for (int i = 1; i + 1 < n; i += 2) {
		int side = side_from_word(tok[i]);
		uint32_t v;
		if (side < 0)
			return fx_error(
				st, "isn: want 'client' or 'server', not '%s'",
				tok[i]);
		if (!parse_u32(tok[i + 1], &v))
			return fx_error(
				st, "isn: bad number '%s' (0 to 4294967295)",
				tok[i + 1]);
		f->ep[side].isn = f->ep[side].snd_nxt = v;
		f->ep[side].sent = false;
	}
	return 0;
}

static int do_flow(struct fx_state *st, char **tok, int n)
{
	if (n < 2 || (n - 2) % 2)
		return fx_error(
			st,
			"usage: flow NAME [client ADDR:PORT] [server ADDR:PORT] [isn ...]");
	if (flow_select(st, tok[1]))
		return -1;
	for (int i = 2; i + 1 < n; i += 2) {
		int side = side_from_word(tok[i]);
		if (side < 0)
			return fx_error(
				st, "flow: want 'client' or 'server', not '%s'",
				tok[i]);
		if (set_endpoint(st, side, tok[i + 1]))
			return -1;
	}
	return 0;
}

static int do_repeat(struct fx_state *st, char **tok, int n, const char *next)
{
	uint32_t count;
	int64_t every;

	if (st->in_repeat)
		return fx_error(
			st, "repeat inside repeat (line %u) is not supported",
			st->rep_line);
	if (n != 4 || strcmp(tok[2], "every"))
		return fx_error(st, "usage: repeat N every SECONDS");
	if (!parse_u32(tok[1], &count) || count < 1 || count > FX_MAX_REPEAT)
		return fx_error(st, "repeat: count must be 1 to %d",
				FX_MAX_REPEAT);
	if (!parse_seconds(tok[3], &every))
		return fx_error(st, "repeat: bad interval '%s'", tok[3]);
	if (every > FX_MAX_TS_NS / count)
		return fx_error(st, "repeat: %u x %s s runs past the year 2065",
				count, tok[3]);
	st->in_repeat = true;
	st->rep_pos = next;
	st->rep_line = st->line_no;
	st->rep_count = count;
	st->rep_iter = 0;
	st->rep_every_ns = every;
	st->rep_prev0_ns = st->prev_ns;
	return 0;
}

/* ---- packet lines ---- */

static int parse_flags(struct fx_state *st, const char *s, uint16_t *flags)
{
	size_t len = strlen(s);

	*flags = 0;
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (len == 4 && !strncmp(s, "none", 4))
		return 0;
	if (len == 0)
		return fx_error(st, "missing flags");
	for (size_t i = 0; i < len; i++) {
		uint16_t bit;
		switch (s[i]) {
		case 'S':
			bit = TCP_SYN;
			break;
		case 'F':
			bit = TCP_FIN;
			break;
		case 'R':
			bit = TCP_RST;
			break;
		case 'P':
			bit = TCP_PSH;
			break;
		case 'U':
			bit = TCP_URG;
			break;
		case 'E':
			bit = TCP_ECE;
			break;
		case 'W':
			bit = TCP_CWR;
			break;
		case '.':
			bit = TCP_ACK;
			break;
		default:
			return fx_error(
				st,
				"unknown flag '%c' in '%s' (S F R P U E W . or none)",
				s[i], s);
		}
		*flags |= bit;
	}
	return 0;
}

/* "A:B(N)" or "A:B": relative or absolute start and end, length N. */
static int parse_seq_spec(struct fx_state *st, const char *s, uint32_t *a,
			  uint32_t *len)
{
	char buf[64];
	char *colon, *paren;
	uint32_t b, n = 0;

	if (strlen(s) >= sizeof(buf))
		return fx_error(st, "bad sequence '%s'", s);
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (!colon)
		return fx_error(st, "bad sequence '%s' (want START:END(LEN))",
				s);
	*colon = '\0';
	paren = strchr(colon + 1, '(');
	if (paren) {
		size_t plen = strlen(paren);
		if (plen < 3 || paren[plen - 1] != ')')
			return fx_error(st, "bad length in '%s'", s);
		paren[plen - 1] = '\0';
		*paren = '\0';
		if (!parse_u32(paren + 1, &n))
			return fx_error(st, "bad length in '%s'", s);
	}
	if (!parse_u32(buf, a) || !parse_u32(colon + 1, &b))
		return fx_error(
			st, "bad sequence '%s' (numbers 0 to 4294967295)", s);
	if (paren && (uint32_t)(b - *a) != n)
		return fx_error(st, "'%s': END - START is %u, not %u", s,
				(uint32_t)(b - *a), n);
	*len = (uint32_t)(b - *a);
	if (*len > 65535)
		return fx_error(st,
				"'%s': %u bytes is more than a segment holds",
				s, *len);
	return 0;
}

/* Hex string ("0a03ff") into bytes. */
static int parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s);

	if (n == 0 || n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		char pair[3] = {s[2 * i], s[2 * i + 1], '\0'};
		if (!isxdigit((unsigned char)pair[0]) ||
		    !isxdigit((unsigned char)pair[1]))
			return -1;
		sscanf(pair, "%x", &v);
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return 0;
}

/* The SACK blocks of "sack [N] {a:b}{c:d}" or "sack a:b c:d", given the
 * words after "sack" (braces already turned into spaces). */
static int parse_sack(struct fx_state *st, char **w, int nw, uint32_t base,
		      struct build_opts *o)
{
	struct tcp_sack_block blocks[TCP_MAX_SACK_BLOCKS];
	unsigned count = 0;
	int first = 0;
	uint32_t declared = 0;

	if (nw > 0 && !strchr(w[0], ':')) {
		if (!parse_u32(w[0], &declared))
			return fx_error(st, "sack: bad block count '%s'", w[0]);
		first = 1;
	}
	for (int i = first; i < nw; i++) {
		char *colon = strchr(w[i], ':');
		uint32_t l, r;
		if (!colon)
			return fx_error(
				st, "sack: bad block '%s' (want LEFT:RIGHT)",
				w[i]);
		*colon = '\0';
		if (!parse_u32(w[i], &l) || !parse_u32(colon + 1, &r))
			return fx_error(st, "sack: bad block number");
		if (count == TCP_MAX_SACK_BLOCKS)
			return fx_error(st, "sack: more than %d blocks",
					TCP_MAX_SACK_BLOCKS);
		blocks[count].left = l + base;
		blocks[count].right = r + base;
		count++;
	}
	if (count == 0)
		return fx_error(st, "sack: no blocks");
	if (first && declared != count)
		return fx_error(st, "sack: says %u blocks but lists %u",
				declared, count);
	if (build_opt_sack(o, blocks, count))
		return fx_error(st, "options take more than %d bytes",
				BUILD_MAX_OPT_BYTES);
	return 0;
}

/* One option item between commas, e.g. "TS val 100 ecr 0". */
static int parse_option(struct fx_state *st, char *item, uint32_t sack_base,
			struct build_opts *o)
{
	char *w[12];
	int nw, rc;
	uint32_t v, e;
	uint16_t v16;

	for (char *p = item; *p; p++)
		if (*p == '{' || *p == '}')
			*p = ' ';
	nw = tokenize(item, w, 12);
	if (nw < 0)
		return fx_error(st, "option too long");
	if (nw == 0)
		return fx_error(st, "empty option");
	if (!strcmp(w[0], "nop") && nw == 1) {
		rc = build_opt_nop(o);
	} else if (!strcmp(w[0], "eol") && nw == 1) {
		rc = build_opt_eol(o);
	} else if (!strcmp(w[0], "sackOK") && nw == 1) {
		rc = build_opt_sack_permitted(o);
	} else if (!strcmp(w[0], "mss")) {
		if (nw != 2 || !parse_u16(w[1], &v16))
			return fx_error(st, "usage: mss N (0 to 65535)");
		rc = build_opt_mss(o, v16);
	} else if (!strcmp(w[0], "wscale")) {
		if (nw != 2 || !parse_u32(w[1], &v) || v > 255)
			return fx_error(st, "usage: wscale N (0 to 255)");
		rc = build_opt_wscale(o, (uint8_t)v);
	} else if ((!strcmp(w[0], "TS") || !strcmp(w[0], "ts")) && nw == 1) {
		v = st->auto_ts_val;
		rc = build_opt_timestamps(o, v, st->auto_ts_ecr);
		st->opt_ts_seen = true;
		st->opt_ts_val = v;
	} else if (!strcmp(w[0], "TS") || !strcmp(w[0], "ts")) {
		if (nw != 5 || strcmp(w[1], "val") || strcmp(w[3], "ecr") ||
		    !parse_u32(w[2], &v) || !parse_u32(w[4], &e))
			return fx_error(
				st,
				"usage: TS val N ecr N, or TS alone for the clock");
		rc = build_opt_timestamps(o, v, e);
		st->opt_ts_seen = true;
		st->opt_ts_val = v;
	} else if (!strcmp(w[0], "sack")) {
		return parse_sack(st, w + 1, nw - 1, sack_base, o);
	} else if (!strcmp(w[0], "raw")) {
		uint8_t bytes[BUILD_MAX_OPT_BYTES];
		size_t len;
		if (nw != 2 || parse_hex(w[1], bytes, sizeof(bytes), &len))
			return fx_error(
				st, "usage: raw HEXBYTES (e.g. raw 0a03ff)");
		rc = build_opt_raw(o, bytes, len);
	} else {
		return fx_error(
			st,
			"unknown option '%s' (mss, wscale, sackOK, TS, sack, nop, eol, raw)",
			w[0]);
	}
	if (rc)
		return fx_error(st, "options take more than %d bytes",
				BUILD_MAX_OPT_BYTES);
	return 0;
}

static int parse_options(struct fx_state *st, char *text, uint32_t sack_base,
			 struct build_opts *o)
{
	char *item = text;

	if (!*text)
		return 0; /* "<>" */
	for (;;) {
		char *comma = strchr(item, ',');
		if (comma)
			*comma = '\0';
		if (parse_option(st, item, sack_base, o))
			return -1;
		if (!comma)
			return 0;
		item = comma + 1;
	}
}

static bool seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/*
 * `options auto`: what Linux puts on a segment by default. SYN and SYN-ACK:
 * <mss 1460 (1440 on IPv6),sackOK,TS val V ecr E,nop,wscale 7>; others:
 * <nop,nop,TS val V ecr E>. V runs at 1 kHz from the sender's TS clock, E
 * echoes the last value the peer sent. RST carries no options.
 */
static void auto_options(struct fx_state *st, const struct fx_flow *f,
			 struct build_segment *seg)
{
	uint32_t val = st->auto_ts_val, ecr = st->auto_ts_ecr;

	/* At most 20 bytes: these cannot overflow the 40-byte space. */
	if (seg->flags & TCP_SYN) {
		(void)build_opt_mss(&seg->opts,
				    f->tuple.ip_version == 4 ? 1460 : 1440);
		(void)build_opt_sack_permitted(&seg->opts);
		(void)build_opt_timestamps(&seg->opts, val, ecr);
		(void)build_opt_nop(&seg->opts);
		(void)build_opt_wscale(&seg->opts, 7);
	} else {
		(void)build_opt_nop(&seg->opts);
		(void)build_opt_nop(&seg->opts);
		(void)build_opt_timestamps(&seg->opts, val, ecr);
	}
	st->opt_ts_seen = true;
	st->opt_ts_val = val;
}

static void info_fill(struct fx_state *st)
{
	int dlt = build_link_dlt(st->link);

	if (st->dlt_out)
		*st->dlt_out = dlt;
	if (st->info) {
		st->info->dlt = dlt;
		st->info->snaplen = st->snaplen;
	}
}

static int do_packet(struct fx_state *st, char **tok, int n, char *opts_text)
{
	struct build_segment seg;
	struct fx_flow *f;
	struct fx_endpoint *snd, *rcv;
	int i = 1, side;
	bool is_delta, abs_nums = !st->relative, have_seq = false,
		       have_ack = false;
	uint32_t seq_num = 0, len = 0, ack_num = 0;
	int64_t t_ns, ts;
	size_t frame_len;
	uint32_t caplen;

	/* TIME */
	is_delta = tok[0][0] == '+';
	if (!parse_seconds(tok[0] + is_delta, &t_ns))
		return fx_error(st, "bad time '%s' (want SECONDS or +SECONDS)",
				tok[0]);
	/* [FLOW] DIR > */
	if (n >= 4 && !is_dir_word(tok[1]) && is_dir_word(tok[2])) {
		if (flow_select(st, tok[1]))
			return -1;
		i = 2;
	}
	if (n < i + 3)
		return fx_error(st, "want TIME [FLOW] c|s > FLAGS ...");
	side = side_from_word(tok[i]);
	if (side < 0)
		return fx_error(st, "unknown sender '%s' (c or s)", tok[i]);
	if (strcmp(tok[i + 1], ">"))
		return fx_error(st, "want '>' after '%s'", tok[i]);
	memset(&seg, 0, sizeof(seg));
	if (parse_flags(st, tok[i + 2], &seg.flags))
		return -1;
	i += 3;

	f = &st->flows[st->cur];
	snd = &f->ep[side];
	rcv = &f->ep[!side];

	/* First packet: the header is now fixed. */
	if (!st->header_done) {
		st->header_done = true;
		info_fill(st);
	}

	for (; i < n; i++) {
		const char *w = tok[i];
		if (!strcmp(w, "abs")) {
			abs_nums = true;
		} else if (isdigit((unsigned char)w[0]) && strchr(w, ':')) {
			if (have_seq)
				return fx_error(st, "two sequence ranges");
			if (parse_seq_spec(st, w, &seq_num, &len))
				return -1;
			have_seq = true;
		} else if (!strcmp(w, "ack") || !strcmp(w, "win") ||
			   !strcmp(w, "urg") || !strcmp(w, "ttl") ||
			   !strcmp(w, "id")) {
			uint32_t v;
			if (i + 1 >= n || !parse_u32(tok[i + 1], &v))
				return fx_error(st, "'%s' wants a number", w);
			i++;
			if (!strcmp(w, "ack")) {
				ack_num = v;
				have_ack = true;
			} else if (v > (!strcmp(w, "ttl") ? 255u : 65535u)) {
				return fx_error(st, "%s %u is out of range", w,
						v);
			} else if (!strcmp(w, "win")) {
				snd->window = (uint16_t)v;
			} else if (!strcmp(w, "urg")) {
				seg.urg_ptr = (uint16_t)v;
			} else if (!strcmp(w, "ttl")) {
				seg.ttl = (uint8_t)v;
			} else {
				snd->ip_id = (uint16_t)v;
			}
		} else if (!strcmp(w, "iplen0")) {
			seg.ip_len_zero = true;
		} else if (!strcmp(w, "nodf")) {
			seg.no_df = true;
		} else {
			return fx_error(st, "unknown word '%s'", w);
		}
	}
	if (have_ack && !(seg.flags & TCP_ACK))
		return fx_error(st, "'ack' given but the flags have no '.'");

	/* Numbers: relative to the sender's ISN (seq) and the receiver's (ack). */
	if (have_seq)
		seg.seq = abs_nums ? seq_num : snd->isn + seq_num;
	else if (seg.flags & TCP_SYN)
		seg.seq =
			snd->isn; /* a SYN, first or retransmitted, carries the ISN */
	else
		seg.seq = snd->snd_nxt;
	if (seg.flags & TCP_ACK) {
		if (have_ack)
			seg.ack = abs_nums ? ack_num : rcv->isn + ack_num;
		else
			seg.ack = rcv->snd_nxt;
		/* Picked up mid-stream: a peer that has not sent yet is where
		 * this ACK says it is, so its omitted SEQ continues from there. */
		if (!rcv->sent)
			rcv->snd_nxt = seg.ack;
	}
	/* Time: absolute from the base (shifted in a repeat), or a delta. */
	if (is_delta)
		ts = st->prev_ns + t_ns;
	else
		ts = st->base_ns + t_ns +
		     (st->in_repeat ? (int64_t)st->rep_iter * st->rep_every_ns
				    : 0);
	if (ts > FX_MAX_TS_NS)
		return fx_error(st, "time runs past the year 2065");
	if (ts < st->last_ns)
		return fx_error(
			st, "time %.9f is before the previous packet's %.9f",
			(double)(ts - st->base_ns) / FX_NS,
			(double)(st->last_ns - st->base_ns) / FX_NS);

	/* What a bare "TS" in an option list (or `options auto`) stamps. */
	st->auto_ts_val =
		snd->ts_base + (uint32_t)((ts - st->base_ns) / 1000000);
	st->auto_ts_ecr =
		(seg.flags & TCP_ACK) && rcv->ts_any ? rcv->ts_sent : 0;
	st->opt_ts_seen = false;
	if (opts_text &&
	    parse_options(st, opts_text, abs_nums ? 0 : rcv->isn, &seg.opts))
		return -1;
	if (!opts_text && st->auto_opts && !(seg.flags & TCP_RST))
		auto_options(st, f, &seg);
	if (st->opt_ts_seen) {
		snd->ts_sent = st->opt_ts_val;
		snd->ts_any = true;
	}

	seg.link = st->link;
	seg.tuple = side == FX_CLIENT ? f->tuple : tuple_reverse(&f->tuple);
	seg.window = snd->window;
	seg.ip_id = snd->ip_id++;
	seg.outgoing = side == FX_CLIENT;
	seg.payload_bytes = len;
	if (!link_carries(st->link, f->tuple.ip_version))
		return fx_error(st, "link %s carries no IPv%u",
				linktype_find((int)st->link)->name,
				f->tuple.ip_version);
	if (build_segment(&seg, st->frame, sizeof(st->frame), &frame_len))
		return fx_error(st, "segment too large for one IP packet");

	{
		uint32_t end = seg.seq + len + !!(seg.flags & TCP_SYN) +
			       !!(seg.flags & TCP_FIN);
		/* A RST consumes no sequence space and its seq may be anything
		 * (a bad ack echoed back): it never moves the next seq. */
		if (!(seg.flags & TCP_RST) &&
		    (!snd->sent || seq_after(end, snd->snd_nxt)))
			snd->snd_nxt = end;
	}
	snd->sent = true;
	f->used = true;
	st->prev_ns = st->last_ns = ts;
	caplen = frame_len > st->snaplen ? st->snaplen : (uint32_t)frame_len;
	if (st->info)
		st->info->packets++;
	if (st->emit &&
	    st->emit(st->ctx, st->frame, caplen, (uint32_t)frame_len, ts))
		return fx_error(st, "emit failed");
	return 0;
}

/* ---- driver ---- */

static int do_line(struct fx_state *st, char *line, const char *next)
{
	char *tok[FX_MAX_TOKENS];
	char opts[FX_MAX_LINE];
	bool have_opts = false;
	char *hash = strchr(line, '#');
	char *lt;
	int n;

	if (hash)
		*hash = '\0';
	/* Take "<...>" out first: it holds spaces and commas of its own. */
	lt = strchr(line, '<');
	/* "c < S" (packetdrill's inbound arrow) is not an option list. */
	if (lt && (lt[1] == '\0' || isspace((unsigned char)lt[1])))
		lt = NULL;
	if (lt) {
		char *gt = strchr(lt, '>');
		if (!gt)
			return fx_error(st, "'<' without a closing '>'");
		memcpy(opts, lt + 1, (size_t)(gt - lt - 1));
		opts[gt - lt - 1] = '\0';
		memset(lt, ' ', (size_t)(gt - lt + 1));
		if (strchr(gt, '<'))
			return fx_error(st, "more than one option list");
		have_opts = true;
	}
	n = tokenize(line, tok, FX_MAX_TOKENS);
	if (n < 0)
		return fx_error(st, "too many words");
	if (n == 0) {
		if (have_opts)
			return fx_error(st, "option list without a packet");
		return 0;
	}
	if (isdigit((unsigned char)tok[0][0]) || tok[0][0] == '+')
		return do_packet(st, tok, n, have_opts ? opts : NULL);
	if (have_opts)
		return fx_error(st, "option list on a '%s' line", tok[0]);

	if (!strcmp(tok[0], "link"))
		return do_link(st, tok, n);
	if (!strcmp(tok[0], "client") || !strcmp(tok[0], "server")) {
		if (n != 2)
			return fx_error(st, "usage: %s ADDR:PORT", tok[0]);
		return set_endpoint(st, side_from_word(tok[0]), tok[1]);
	}
	if (!strcmp(tok[0], "isn"))
		return do_isn(st, tok, n);
	if (!strcmp(tok[0], "flow"))
		return do_flow(st, tok, n);
	if (!strcmp(tok[0], "snaplen")) {
		uint32_t v;
		if (need_before_packets(st, "snaplen"))
			return -1;
		if (n != 2 || !parse_u32(tok[1], &v) || v < 1 ||
		    v > FX_DEFAULT_SNAPLEN)
			return fx_error(st, "usage: snaplen N (1 to %u)",
					FX_DEFAULT_SNAPLEN);
		st->snaplen = v;
		return 0;
	}
	if (!strcmp(tok[0], "base")) {
		int64_t b;
		if (need_before_packets(st, "base"))
			return -1;
		if (n != 2 || !parse_seconds(tok[1], &b))
			return fx_error(st, "usage: base EPOCH_SECONDS");
		st->base_ns = st->prev_ns = st->last_ns = b;
		return 0;
	}
	if (!strcmp(tok[0], "relative")) {
		if (n != 2 || (strcmp(tok[1], "on") && strcmp(tok[1], "off")))
			return fx_error(st, "usage: relative on|off");
		st->relative = !strcmp(tok[1], "on");
		return 0;
	}
	if (!strcmp(tok[0], "options")) {
		if (n != 2 ||
		    (strcmp(tok[1], "auto") && strcmp(tok[1], "none")))
			return fx_error(st, "usage: options auto|none");
		st->auto_opts = !strcmp(tok[1], "auto");
		return 0;
	}
	if (!strcmp(tok[0], "repeat"))
		return do_repeat(st, tok, n, next);
	if (!strcmp(tok[0], "end")) {
		if (n != 1)
			return fx_error(st, "usage: end");
		if (!st->in_repeat)
			return fx_error(st, "'end' without 'repeat'");
		return 1; /* the driver loops or closes the block */
	}
	return fx_error(st, "unknown directive '%s'", tok[0]);
}

static int compile(const char *script, fixture_emit_fn emit, void *ctx,
		   struct fixture_info *info, int *dlt_out, char *errbuf,
		   size_t errlen)
{
	/* The state holds a frame buffer: too big for a small stack frame, but
	 * stacks here are megabytes; static would make this non-reentrant. */
	struct fx_state st;
	const char *pos = script;
	unsigned line_no = 0;

	memset(&st, 0, sizeof(st));
	st.script = script;
	st.errbuf = errbuf;
	st.errlen = errlen;
	st.emit = emit;
	st.ctx = ctx;
	st.info = info;
	st.dlt_out = dlt_out;
	st.link = BUILD_LINK_ETHERNET;
	st.snaplen = FX_DEFAULT_SNAPLEN;
	st.relative = true;
	st.base_ns = st.prev_ns = st.last_ns = FX_DEFAULT_BASE_S * FX_NS;
	flow_init(&st.flows[0], "");
	st.nflows = 1;
	if (errbuf && errlen)
		errbuf[0] = '\0';
	if (info)
		memset(info, 0, sizeof(*info));
	if (!script) {
		line_no = 0;
		return fx_error(&st, "no script");
	}

	while (*pos) {
		char line[FX_MAX_LINE];
		const char *eol = strchr(pos, '\n');
		size_t len = eol ? (size_t)(eol - pos) : strlen(pos);
		const char *next = eol ? eol + 1 : pos + len;
		int rc;

		st.line_no = ++line_no;
		if (len >= sizeof(line))
			return fx_error(&st, "line longer than %d characters",
					FX_MAX_LINE - 1);
		memcpy(line, pos, len);
		line[len] = '\0';
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		rc = do_line(&st, line, next);
		if (rc < 0)
			return -1;
		pos = next;
		if (rc == 1) {
			/* `end`: run the block again, shifted by the interval. */
			if (++st.rep_iter < st.rep_count) {
				st.prev_ns =
					st.rep_prev0_ns +
					(int64_t)st.rep_iter * st.rep_every_ns;
				pos = st.rep_pos;
				line_no = st.rep_line;
			} else {
				st.in_repeat = false;
			}
		}
	}
	if (st.in_repeat) {
		st.line_no = st.rep_line;
		return fx_error(&st, "'repeat' has no 'end'");
	}
	if (!st.header_done)
		info_fill(&st);
	return 0;
}

int fixture_compile(const char *script,
		    int (*emit)(void *ctx, const uint8_t *frame,
				uint32_t caplen, uint32_t wirelen,
				int64_t ts_ns),
		    void *ctx, int *dlt_out, char *errbuf, size_t errlen)
{
	return compile(script, emit, ctx, NULL, dlt_out, errbuf, errlen);
}

int fixture_compile_info(const char *script, fixture_emit_fn emit, void *ctx,
			 struct fixture_info *info, char *errbuf, size_t errlen)
{
	return compile(script, emit, ctx, info, NULL, errbuf, errlen);
}

/* fixture_write_pcap: the file is opened at the first packet, once the
 * script's link type and snaplen are known. */
struct pcap_sink {
	const char *path;
	struct fixture_info info;
	struct pcap_out *out;
	char *errbuf;
	size_t errlen;
	bool failed;
};

static int pcap_sink_emit(void *ctx, const uint8_t *frame, uint32_t caplen,
			  uint32_t wirelen, int64_t ts_ns)
{
	struct pcap_sink *ps = ctx;

	if (!ps->out) {
		ps->out =
			pcap_out_open(ps->path, ps->info.dlt, ps->info.snaplen,
				      ps->errbuf, ps->errlen);
		if (!ps->out) {
			ps->failed = true;
			return -1;
		}
	}
	return pcap_out_write(ps->out, frame, caplen, wirelen, ts_ns);
}

int fixture_write_pcap(const char *script, const char *path, char *errbuf,
		       size_t errlen)
{
	struct pcap_sink ps;
	char openerr[256];
	int rc;

	memset(&ps, 0, sizeof(ps));
	ps.path = path;
	ps.errbuf = openerr;
	ps.errlen = sizeof(openerr);
	rc = compile(script, pcap_sink_emit, &ps, &ps.info, NULL, errbuf,
		     errlen);
	if (ps.failed && errbuf && errlen)
		snprintf(errbuf, errlen, "%s", openerr);
	if (rc == 0 && !ps.out) {
		ps.out = pcap_out_open(path, ps.info.dlt, ps.info.snaplen,
				       errbuf, errlen);
		if (!ps.out)
			return -1;
	}
	if (pcap_out_close(ps.out) != 0 && rc == 0) {
		snprintf(errbuf, errlen, "%s: write failed", path);
		rc = -1;
	}
	if (rc != 0) {
		if (ps.out)
			remove(path);
		return -1;
	}
	return (int)ps.info.packets;
}

int fixture_file_to_pcap(const char *script_path, const char *pcap_path,
			 char *errbuf, size_t errlen)
{
	FILE *fp = fopen(script_path, "rb");
	char *text;
	size_t n;
	int rc;

	if (!fp) {
		snprintf(errbuf, errlen, "%s: %s", script_path,
			 strerror(errno));
		return -1;
	}
	text = malloc(FX_MAX_SCRIPT_BYTES + 1);
	if (!text) {
		fclose(fp);
		snprintf(errbuf, errlen, "%s: out of memory", script_path);
		return -1;
	}
	n = fread(text, 1, FX_MAX_SCRIPT_BYTES + 1, fp);
	if (ferror(fp) || n > FX_MAX_SCRIPT_BYTES) {
		snprintf(errbuf, errlen, "%s: %s", script_path,
			 ferror(fp) ? "read error" : "larger than 4 MiB");
		fclose(fp);
		free(text);
		return -1;
	}
	fclose(fp);
	text[n] = '\0';
	if (memchr(text, '\0', n)) {
		snprintf(errbuf, errlen, "%s: not a text file", script_path);
		free(text);
		return -1;
	}
	rc = fixture_write_pcap(text, pcap_path, errbuf, errlen);
	if (rc < 0 && errbuf && errlen) {
		/* Prefix the script's name to "line N: ...". */
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", errbuf);
		snprintf(errbuf, errlen, "%s: %s", script_path, msg);
	}
	free(text);
	return rc;
}
