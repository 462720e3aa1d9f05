/*
 * gen_bench.c - write a large synthetic capture for the benchmark.
 *
 *   gen_bench [--shape short|long|huge] [--flows N] [--concurrent N]
 *             [--segments N] [--seed N] [--all-close] OUT.pcap|-
 *
 * Connections are opened CONCURRENT at a time and visited round-robin, one
 * frame per visit, so their segments interleave as on a busy server; a
 * connection that ends frees its slot for the next one. Frames are 20 us
 * apart and cut at 128 bytes as with `tcpdump -s 128`, which keeps the file
 * small while the IP lengths stay real. Everything a connection does is
 * drawn from a hash of its id and the seed, never from the order of the
 * visits: two captures that differ only in CONCURRENT hold the same
 * connections with the same segments, interleaved differently.
 *
 * Shapes:
 *   short  100 000 connections, 20 000 open at once, about 10 segments each
 *          (1 M frames): the mix of a web front end (see conn_kind below),
 *          10 % of it over IPv6.
 *   long   20 000 connections, 500 open at once, SEGMENTS (40) data segments
 *          of 1448 bytes from the server with their ACKs: few long transfers;
 *          every 50th has a retransmission, every 97th ends with a RST.
 *   huge   the short mix, 1 M connections, 100 000 open at once (10 M frames).
 *
 * --all-close turns the connections the mix leaves in CLOSE_WAIT into ones
 * that linger there for 6 s and then close, so that every connection ends
 * and the number tracked at once is CONCURRENT (the memory probe).
 * A summary line goes to stderr: frames, connections, and the mix.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/wire/build.h"
#include "formats/wire/pcap_out.h"

#define NS_PER_SEC 1000000000LL
#define FRAME_GAP_NS 20000LL       /* 20 us between frames: 50 000 frames/s */
#define LINGER_NS (6 * NS_PER_SEC) /* over --close-wait-timeout's 5 s */
#define SNAPLEN 128
#define MSS 1448     /* full segment's payload: MSS 1460 less 12 */
#define MSS_V6 1428  /* the same over IPv6: MSS 1440 less 12 */
#define QUEUE_MAX 20 /* frames queued per connection at once */

/* What a connection of the short mix does after its handshake. */
enum conn_kind {
	K_FOUR_WAY, /* request, response, client FIN, ACK, server FIN, ACK */
	K_SERVER_CLOSE, /* the same with the server closing first */
	K_THREE_WAY,    /* client FIN, server FIN riding its ACK, last ACK */
	K_RESET,        /* request, response, then the client aborts with RST */
	K_RETRANSMIT, /* a response segment sent twice, then a four-way close */
	K_KEEPALIVE,  /* two keepalive probes answered, then a four-way close */
	K_CLOSE_WAIT, /* client FIN acknowledged, the server never closes */
	K_LINGER,     /* CLOSE_WAIT for 6 s, then the server closes */
	K_REJECTED,   /* SYN answered by RST: nothing listens on the port */
	K_LONG,       /* the long shape: a bulk transfer */
	K_COUNT
};

static const char *const kind_names[K_COUNT] = {
	"four_way",  "server_close", "three_way", "reset",    "retransmit",
	"keepalive", "close_wait",   "linger",    "rejected", "long",
};

/* The short mix, in percent of connections (the hash modulo 100). */
static const struct {
	enum conn_kind kind;
	unsigned percent;
} short_mix[] = {
	{K_FOUR_WAY, 36},  {K_SERVER_CLOSE, 15}, {K_THREE_WAY, 20},
	{K_RESET, 8},      {K_RETRANSMIT, 8},    {K_KEEPALIVE, 6},
	{K_CLOSE_WAIT, 2}, {K_LINGER, 1},        {K_REJECTED, 4},
};

/* One frame to write: direction, flags, numbers, payload length. */
struct frame {
	uint8_t from_server;
	uint8_t flags;
	uint16_t len;
	uint32_t seq, ack;
};

struct conn {
	uint32_t id;
	bool live;
	bool v6;
	uint8_t kind;        /* enum conn_kind */
	uint8_t n, pos;      /* frames queued in q, next to write */
	uint8_t stage;       /* K_LONG: 0 handshake, 1 data, 2 close;
	                       K_LINGER: 1 once its close is queued */
	uint32_t left;       /* K_LONG: data segments still to send */
	uint32_t cseq, sseq; /* next sequence number of client and server */
	int64_t wake_ns;     /* K_LINGER: silent until then */
	struct frame q[QUEUE_MAX];
};

struct gen {
	struct pcap_out *out;
	int64_t now_ns;
	uint64_t seed;
	uint64_t frames;
	uint64_t kinds[K_COUNT];
	uint64_t v6;
	bool long_shape;
	bool all_close;
	uint32_t segments;
	uint8_t buf[BUILD_MAX_FRAME];
};

/* splitmix64: a good 64-bit mix of the id and the seed. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static enum conn_kind short_kind(uint64_t h)
{
	unsigned roll = (unsigned)(h % 100), sum = 0;
	for (size_t i = 0; i < sizeof(short_mix) / sizeof(short_mix[0]); i++) {
		sum += short_mix[i].percent;
		if (roll < sum)
			return short_mix[i].kind;
	}
	return K_FOUR_WAY;
}

/* Addresses: client 10.0.0.0/8 numbered by id (unique up to 16 M
 * connections, so no four-tuple is ever reused), server 192.0.2.1-7:443;
 * IPv6 client fd00::/64 by id, server 2001:db8::1-7. */
static void fill_addresses(const struct conn *c, struct build_segment *s,
			   bool from_server)
{
	uint8_t client[16] = {0}, server[16] = {0};
	uint8_t srv = (uint8_t)(1 + c->id % 7);
	if (c->v6) {
		client[0] = 0xfd;
		client[12] = (uint8_t)(c->id >> 24);
		client[13] = (uint8_t)(c->id >> 16);
		client[14] = (uint8_t)(c->id >> 8);
		client[15] = (uint8_t)c->id;
		server[0] = 0x20, server[1] = 0x01, server[2] = 0x0d,
		server[3] = 0xb8;
		server[15] = srv;
	} else {
		client[0] = 10;
		client[1] = (uint8_t)(c->id >> 16);
		client[2] = (uint8_t)(c->id >> 8);
		client[3] = (uint8_t)c->id;
		server[0] = 192, server[1] = 0, server[2] = 2, server[3] = srv;
	}
	uint16_t cport = (uint16_t)(1024 + c->id % 60000);
	memcpy(from_server ? s->tuple.src : s->tuple.dst, server, 16);
	memcpy(from_server ? s->tuple.dst : s->tuple.src, client, 16);
	s->tuple.sport = from_server ? 443 : cport;
	s->tuple.dport = from_server ? cport : 443;
}

static void write_frame(struct gen *g, const struct conn *c,
			const struct frame *f)
{
	struct build_segment s;
	memset(&s, 0, sizeof(s));
	s.link = BUILD_LINK_ETHERNET;
	s.tuple.ip_version = c->v6 ? 6 : 4;
	fill_addresses(c, &s, f->from_server);
	s.seq = f->seq;
	s.ack = f->ack;
	s.flags = f->flags;
	s.window = 502;
	s.payload_bytes = f->len;
	if (f->flags & TCP_SYN) {
		build_opt_mss(&s.opts, c->v6 ? MSS_V6 + 12 : MSS + 12);
		build_opt_sack_permitted(&s.opts);
		build_opt_nop(&s.opts);
		build_opt_wscale(&s.opts, 7);
	}
	size_t n = 0;
	if (build_segment(&s, g->buf, sizeof(g->buf), &n) != 0) {
		fprintf(stderr, "gen_bench: build_segment failed\n");
		exit(1);
	}
	g->now_ns += FRAME_GAP_NS;
	if (pcap_out_write(g->out, g->buf, (uint32_t)n, (uint32_t)n,
			   g->now_ns) != 0) {
		fprintf(stderr, "gen_bench: pcap_out_write failed\n");
		exit(1);
	}
	g->frames++;
}

static void push(struct conn *c, bool from_server, uint8_t flags, uint32_t len)
{
	struct frame *f = &c->q[c->n++];
	f->from_server = from_server;
	f->flags = flags;
	f->len = (uint16_t)len;
	f->seq = from_server ? c->sseq : c->cseq;
	f->ack = (flags & TCP_ACK) ? (from_server ? c->cseq : c->sseq) : 0;
	uint32_t adv = len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
	if (from_server)
		c->sseq += adv;
	else
		c->cseq += adv;
}

/* Keep a keepalive probe's sequence number one below the next one. */
static void push_keepalive(struct conn *c)
{
	c->cseq--;
	push(c, false, TCP_ACK, 0);
	c->cseq++;
	push(c, true, TCP_ACK, 0);
}

static void push_four_way(struct conn *c, bool server_first)
{
	push(c, server_first, TCP_FIN | TCP_ACK, 0);
	push(c, !server_first, TCP_ACK, 0);
	push(c, !server_first, TCP_FIN | TCP_ACK, 0);
	push(c, server_first, TCP_ACK, 0);
}

/* Request, one or two response segments, the client's ACK. With `resend`
 * the last response segment goes out twice (the first copy lost after the
 * capture point). */
static void push_exchange(struct conn *c, uint64_t h, bool resend)
{
	uint32_t full = c->v6 ? MSS_V6 : MSS;
	uint32_t req = 80 + (uint32_t)((h >> 8) % 520);
	uint32_t resp = 200 + (uint32_t)((h >> 20) % (full - 200));
	bool two = (h >> 40) & 1;
	push(c, false, TCP_ACK | TCP_PSH, req);
	if (two)
		push(c, true, TCP_ACK, full);
	push(c, true, TCP_ACK | TCP_PSH, resp);
	if (resend) {
		c->q[c->n] = c->q[c->n - 1];
		c->n++;
	}
	push(c, false, TCP_ACK, 0);
}

/* Queue the whole of a short-mix connection. */
static void queue_short(struct conn *c, uint64_t h)
{
	push(c, false, TCP_SYN, 0);
	if (c->kind == K_REJECTED) {
		c->sseq = 0;
		push(c, true, TCP_RST | TCP_ACK, 0);
		return;
	}
	push(c, true, TCP_SYN | TCP_ACK, 0);
	push(c, false, TCP_ACK, 0);
	push_exchange(c, h, c->kind == K_RETRANSMIT);
	switch (c->kind) {
	case K_SERVER_CLOSE:
		push_four_way(c, true);
		break;
	case K_THREE_WAY:
		push(c, false, TCP_FIN | TCP_ACK, 0);
		push(c, true, TCP_FIN | TCP_ACK, 0);
		push(c, false, TCP_ACK, 0);
		break;
	case K_RESET:
		push(c, false, TCP_RST | TCP_ACK, 0);
		break;
	case K_KEEPALIVE:
		push_keepalive(c);
		push_keepalive(c);
		push_four_way(c, false);
		break;
	case K_CLOSE_WAIT:
	case K_LINGER:
		push(c, false, TCP_FIN | TCP_ACK, 0);
		push(c, true, TCP_ACK, 0);
		break;
	default:
		push_four_way(c, false);
		break;
	}
}

/* The long shape, a stage at a time: handshake, data with ACKs, close. */
static bool queue_long(struct conn *c, uint32_t segments)
{
	switch (c->stage++) {
	case 0:
		push(c, false, TCP_SYN, 0);
		push(c, true, TCP_SYN | TCP_ACK, 0);
		push(c, false, TCP_ACK, 0);
		c->left = segments;
		return true;
	case 1:
		while (c->left > 0 && c->n + 3 <= QUEUE_MAX) {
			push(c, true, TCP_ACK | TCP_PSH, MSS);
			if (c->id % 50 == 0 && c->left == segments - 2) {
				c->q[c->n] = c->q[c->n - 1];
				c->n++;
			}
			push(c, false, TCP_ACK, 0);
			c->left--;
		}
		if (c->left > 0)
			c->stage = 1;
		return true;
	case 2:
		if (c->id % 97 == 0)
			push(c, false, TCP_RST | TCP_ACK, 0);
		else
			push_four_way(c, false);
		return true;
	default:
		return false;
	}
}

/* Fill c's queue with what it does next; false when it has ended. */
static bool conn_refill(struct gen *g, struct conn *c)
{
	c->n = c->pos = 0;
	if (c->kind == K_LONG)
		return queue_long(c, g->segments);
	if (c->kind == K_LINGER && c->stage == 0) {
		c->stage = 1;
		c->wake_ns = g->now_ns + LINGER_NS;
		push(c, true, TCP_FIN | TCP_ACK, 0);
		push(c, false, TCP_ACK, 0);
		return true;
	}
	return false;
}

static void conn_start(struct gen *g, struct conn *c, uint32_t id)
{
	uint64_t h = mix64(g->seed ^ mix64(id));
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->live = true;
	c->cseq = (uint32_t)(h >> 32);
	c->sseq = (uint32_t)mix64(h);
	if (g->long_shape) {
		c->kind = K_LONG;
		conn_refill(g, c);
	} else {
		c->v6 = (h >> 48) % 10 == 0;
		c->kind = (uint8_t)short_kind(h);
		if (c->kind == K_CLOSE_WAIT && g->all_close)
			c->kind = K_LINGER;
		queue_short(c, h);
	}
	g->kinds[c->kind]++;
	g->v6 += c->v6;
}

/*
 * Write one frame of c, or nothing while it is silent. Returns 1 when a
 * frame was written, 0 when not, -1 when the connection has ended.
 */
static int conn_visit(struct gen *g, struct conn *c)
{
	if (c->pos == c->n && !conn_refill(g, c))
		return -1;
	if (c->wake_ns > g->now_ns)
		return 0;
	write_frame(g, c, &c->q[c->pos++]);
	return 1;
}

/* Visit the open connections round-robin until all `flows` have ended. */
static void run(struct gen *g, uint32_t flows, uint32_t conc)
{
	struct conn *live = calloc(conc, sizeof(*live));
	if (!live) {
		fprintf(stderr, "gen_bench: out of memory\n");
		exit(1);
	}
	uint32_t next_id = 0, done = 0;
	for (uint32_t i = 0; i < conc; i++)
		conn_start(g, &live[i], next_id++);
	while (done < flows) {
		int wrote = 0;
		int64_t wake = INT64_MAX;
		for (uint32_t i = 0; i < conc; i++) {
			struct conn *c = &live[i];
			if (!c->live)
				continue;
			int r = conn_visit(g, c);
			if (r > 0) {
				wrote = 1;
			} else if (r == 0) {
				wake = c->wake_ns < wake ? c->wake_ns : wake;
			} else {
				done++;
				if (next_id < flows)
					conn_start(g, c, next_id++);
				else
					c->live = false;
			}
		}
		/* Every open connection silent: the capture goes quiet until
		 * the first of them speaks again. */
		if (!wrote && wake != INT64_MAX)
			g->now_ns = wake;
	}
	free(live);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: gen_bench [--shape short|long|huge] [--flows N] "
		"[--concurrent N]\n"
		"                 [--segments N] [--seed N] [--all-close] "
		"OUT.pcap|-\n");
	return 2;
}

static bool parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long x = strtoul(s, &end, 10);
	if (!*s || *end || x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

static void print_summary(const struct gen *g, uint32_t flows, uint32_t conc)
{
	fprintf(stderr,
		"%llu frames, %u connections, %u open at once, %llu IPv6;",
		(unsigned long long)g->frames, flows, conc,
		(unsigned long long)g->v6);
	for (int k = 0; k < K_COUNT; k++)
		if (g->kinds[k])
			fprintf(stderr, " %s %llu", kind_names[k],
				(unsigned long long)g->kinds[k]);
	fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
	static struct gen g;
	const char *shape = "short", *path = NULL;
	uint32_t flows = 0, conc = 0, seed = 1;
	g.segments = 40;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true;
		if (strcmp(a, "--all-close") == 0) {
			g.all_close = true;
			continue;
		}
		if (a[0] != '-' || strcmp(a, "-") == 0) {
			if (path)
				return usage();
			path = a;
			continue;
		}
		if (!v)
			return usage();
		if (strcmp(a, "--shape") == 0)
			shape = v;
		else if (strcmp(a, "--flows") == 0)
			ok = parse_u32(v, &flows) && flows > 0;
		else if (strcmp(a, "--concurrent") == 0)
			ok = parse_u32(v, &conc) && conc > 0;
		else if (strcmp(a, "--segments") == 0)
			ok = parse_u32(v, &g.segments);
		else if (strcmp(a, "--seed") == 0)
			ok = parse_u32(v, &seed);
		else
			return usage();
		if (!ok)
			return usage();
		i++;
	}
	if (!path)
		return usage();
	if (strcmp(shape, "short") == 0) {
		flows = flows ? flows : 100000;
		conc = conc ? conc : 20000;
	} else if (strcmp(shape, "long") == 0) {
		g.long_shape = true;
		flows = flows ? flows : 20000;
		conc = conc ? conc : 500;
	} else if (strcmp(shape, "huge") == 0) {
		flows = flows ? flows : 1000000;
		conc = conc ? conc : 100000;
	} else {
		return usage();
	}
	if (g.segments == 0)
		return usage();
	if (conc > flows)
		conc = flows;
	g.seed = seed;
	g.now_ns = 1700000000LL * NS_PER_SEC;
	char err[256];
	g.out = pcap_out_open(path, build_link_dlt(BUILD_LINK_ETHERNET),
			      SNAPLEN, err, sizeof(err));
	if (!g.out) {
		fprintf(stderr, "gen_bench: %s\n", err);
		return 1;
	}
	run(&g, flows, conc);
	if (pcap_out_close(g.out) != 0) {
		fprintf(stderr, "gen_bench: %s: write failed\n", path);
		return 1;
	}
	print_summary(&g, flows, conc);
	return 0;
}
