/*
 * json_writer.c - see json_writer.h.
 *
 * Each write reserves the most bytes it can produce (a string of n bytes at
 * most 6n + 2, a number JSON_WRITER_NUMBER_MAX) with one comparison in the
 * common case, then stores through a plain pointer. The buffer doubles when
 * it must grow, so a writer reused across records stops allocating once it
 * has held the largest.
 */
#include "formats/report/json_writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_CAP 4096

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static const char hex_upper[] = "0123456789ABCDEF";

void json_writer_init(struct json_writer *w)
{
	memset(w, 0, sizeof(*w));
}

void json_writer_free(struct json_writer *w)
{
	if (!w)
		return;
	free(w->buf);
	json_writer_init(w);
}

void json_writer_reset(struct json_writer *w, unsigned flags, int base_depth)
{
	w->len = 0;
	w->flags = flags;
	w->base = base_depth > 0 ? base_depth : 0;
	w->depth = 0;
	w->done = false;
	w->failed = false;
}

/* Slow path of reserve(): grow to hold `more` bytes past len, and one for
 * the NUL of json_writer_finish(). */
static bool grow(struct json_writer *w, size_t more)
{
	size_t need, cap = w->cap ? w->cap : INITIAL_CAP;
	char *p;

	if (more > SIZE_MAX - 1 - w->len) {
		w->failed = true;
		return false;
	}
	need = w->len + more + 1;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(w->buf, cap);
	if (!p) {
		w->failed = true;
		return false;
	}
	w->buf = p;
	w->cap = cap;
	return true;
}

/* Room for `more` bytes (and the final NUL) past len. */
static inline bool reserve(struct json_writer *w, size_t more)
{
	if (w->failed)
		return false;
	if (w->cap - w->len > more)
		return true;
	return grow(w, more);
}

/* Pretty: a newline and the indentation of `level`. */
static bool put_newline(struct json_writer *w, int level)
{
	size_t spaces = 2 * (size_t)(level + w->base);

	if (!reserve(w, spaces + 1))
		return false;
	w->buf[w->len++] = '\n';
	memset(w->buf + w->len, ' ', spaces);
	w->len += spaces;
	return true;
}

/* ---- strings ---- */

/* The length of the well-formed UTF-8 sequence at s (n bytes left), and its
 * code point; 0 when it is not one (RFC 3629 section 3: no overlong form, no
 * surrogate, nothing past U+10FFFF, no cut sequence). */
static size_t utf8_sequence(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	uint32_t v, min;
	size_t len;

	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static char *put_u4(char *p, uint32_t v)
{
	*p++ = '\\';
	*p++ = 'u';
	*p++ = hex_upper[(v >> 12) & 15];
	*p++ = hex_upper[(v >> 8) & 15];
	*p++ = hex_upper[(v >> 4) & 15];
	*p++ = hex_upper[v & 15];
	return p;
}

/* An ASCII byte that cannot stand for itself: '"', '\\' or a control. */
static char *put_escape(char *p, unsigned char c)
{
	static const char named[32] = {
		['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
		['\r'] = 'r', ['\t'] = 't',
	};

	if (c == '"' || c == '\\') {
		*p++ = '\\';
		*p++ = (char)c;
	} else if (named[c]) {
		*p++ = '\\';
		*p++ = named[c];
	} else {
		p = put_u4(p, c);
	}
	return p;
}

/* A code point past U+007F as \uXXXX, or as a UTF-16 surrogate pair. */
static char *put_code_point(char *p, uint32_t cp)
{
	if (cp < 0x10000)
		return put_u4(p, cp);
	cp -= 0x10000;
	p = put_u4(p, 0xD800 | (cp >> 10));
	return put_u4(p, 0xDC00 | (cp & 0x3FF));
}

static inline bool plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The body of s when it is not valid UTF-8: ASCII as usual, '?' for every
 * other byte (json_text()). */
static char *put_sanitized(char *p, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (plain_ascii(s[i]))
			*p++ = (char)s[i];
		else if (s[i] < 0x80)
			p = put_escape(p, s[i]);
		else
			*p++ = '?';
	}
	return p;
}

/* The quoted string. One pass; should the bytes turn out not to be UTF-8,
 * what was written of the string is replaced by its sanitized form. */
static void put_string(struct json_writer *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	bool ascii = w->flags & JSON_WRITER_ASCII;
	char *start, *p;

	if (n > (SIZE_MAX - 2) / 6) {
		w->failed = true;
		return;
	}
	if (!reserve(w, 6 * n + 2))
		return;
	start = w->buf + w->len;
	p = start;
	*p++ = '"';
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len;

		if (plain_ascii(s[i])) {
			*p++ = (char)s[i++];
			continue;
		}
		if (s[i] < 0x80) {
			p = put_escape(p, s[i++]);
			continue;
		}
		len = utf8_sequence(s + i, n - i, &cp);
		if (len == 0) {
			p = put_sanitized(start + 1, s, n);
			break;
		}
		if (ascii) {
			p = put_code_point(p, cp);
		} else {
			memcpy(p, s + i, len);
			p += len;
		}
		i += len;
	}
	*p++ = '"';
	w->len = (size_t)(p - w->buf);
}

/* ---- structure ---- */

/* Before a value: the key in an object (with the comma and, pretty, the
 * newline before it), a comma in an array, nothing at the top. False when
 * the writer failed or the key does not fit where the value goes. */
static bool begin_value(struct json_writer *w, const char *key)
{
	int top = w->depth - 1;

	if (w->failed)
		return false;
	if (w->depth == 0) {
		if (key || w->done)
			w->failed = true;
		return !w->failed;
	}
	if ((key != NULL) != w->is_object[top]) {
		w->failed = true;
		return false;
	}
	if (w->members[top]) {
		if (!reserve(w, 1))
			return false;
		w->buf[w->len++] = ',';
	}
	w->members[top] = true;
	if ((w->flags & JSON_WRITER_PRETTY) && !put_newline(w, w->depth))
		return false;
	if (!key)
		return true;
	put_string(w, key);
	if (!reserve(w, 2))
		return false;
	w->buf[w->len++] = ':';
	if (w->flags & JSON_WRITER_PRETTY)
		w->buf[w->len++] = ' ';
	return true;
}

/* After a value: the top-level value is complete when nothing is open. */
static void end_value(struct json_writer *w)
{
	if (w->depth == 0)
		w->done = true;
}

static void open_container(struct json_writer *w, const char *key, bool object)
{
	if (!begin_value(w, key))
		return;
	if (w->depth == JSON_WRITER_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	if (!reserve(w, 1))
		return;
	w->buf[w->len++] = object ? '{' : '[';
	w->is_object[w->depth] = object;
	w->members[w->depth] = false;
	w->depth++;
}

void json_writer_object(struct json_writer *w, const char *key)
{
	open_container(w, key, true);
}

void json_writer_array(struct json_writer *w, const char *key)
{
	open_container(w, key, false);
}

void json_writer_end(struct json_writer *w)
{
	int top = w->depth - 1;

	if (w->failed)
		return;
	if (w->depth == 0) {
		w->failed = true;
		return;
	}
	if (w->members[top] && (w->flags & JSON_WRITER_PRETTY) &&
	    !put_newline(w, top))
		return;
	if (!reserve(w, 1))
		return;
	w->buf[w->len++] = w->is_object[top] ? '}' : ']';
	w->depth--;
	end_value(w);
}

int json_writer_finish(struct json_writer *w)
{
	if (w->failed || w->depth != 0 || !w->done || !reserve(w, 0))
		return -1;
	w->buf[w->len] = '\0';
	return 0;
}

/* A scalar whose text is at most JSON_WRITER_NUMBER_MAX bytes. */
static void put_scalar(struct json_writer *w, const char *key, const char *text,
		       size_t len)
{
	if (!begin_value(w, key) || !reserve(w, len))
		return;
	memcpy(w->buf + w->len, text, len);
	w->len += len;
	end_value(w);
}

void json_writer_str(struct json_writer *w, const char *key, const char *s)
{
	if (!s) {
		w->failed = true;
		return;
	}
	if (!begin_value(w, key))
		return;
	put_string(w, s);
	end_value(w);
}

void json_writer_bool(struct json_writer *w, const char *key, bool v)
{
	put_scalar(w, key, v ? "true" : "false", v ? 4 : 5);
}

void json_writer_null(struct json_writer *w, const char *key)
{
	put_scalar(w, key, "null", 4);
}

/* ---- numbers ---- */

/* The decimal digits of v at out (no sign); returns their count. */
static size_t put_digits(char *out, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp), n;

	while (v >= 100) {
		const char *d = digit_pairs + 2 * (v % 100);

		v /= 100;
		tmp[--i] = d[1];
		tmp[--i] = d[0];
	}
	if (v >= 10) {
		tmp[--i] = digit_pairs[2 * v + 1];
		tmp[--i] = digit_pairs[2 * v];
	} else {
		tmp[--i] = (char)('0' + v);
	}
	n = sizeof(tmp) - i;
	memcpy(out, tmp + i, n);
	return n;
}

size_t json_writer_format_uint(char *out, uint64_t v)
{
	size_t n = put_digits(out, v);

	out[n] = '\0';
	return n;
}

size_t json_writer_format_int(char *out, int64_t v)
{
	size_t n = 0;

	if (v < 0)
		out[n++] = '-';
	/* the magnitude in unsigned arithmetic: INT64_MIN has no positive */
	n += put_digits(out + n, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	out[n] = '\0';
	return n;
}

void json_writer_int(struct json_writer *w, const char *key, int64_t v)
{
	char text[JSON_WRITER_NUMBER_MAX];

	put_scalar(w, key, text, json_writer_format_int(text, v));
}

void json_writer_uint(struct json_writer *w, const char *key, uint64_t v)
{
	char text[JSON_WRITER_NUMBER_MAX];

	put_scalar(w, key, text, json_writer_format_uint(text, v));
}

/*
 * Seconds from microseconds, as jansson prints the double
 * x = (double)us / 1e6: "%.16g" (16 significant digits, trailing zeros
 * dropped, exponent form below 1e-4), then ".0" when the text has neither
 * '.' nor 'e', and the exponent without '+' or leading zeros (1e-06 ->
 * 1e-6).
 *
 * "%.16g" rounds x, not the decimal D = u / 10^6 (u = |us| as the double
 * holds it), so the digits are D's only when x lies within half a unit of
 * the 16th digit of D; for about one value in thirty it does not (0.000493
 * is the double 0.00049299999999999995..., printed 0.0004929999999999999).
 * So the error of x is taken into account exactly:
 *
 *   r = x * 10^6 - u is exact by fma(): x * 10^6 and u are multiples of
 *       x's unit in the last place (ulp) times 2^6, and |r| is at most
 *       10^6 / 2 ulps, so r is such a multiple times less than 2^13;
 *   with n the number of digits of u and E = n - 7 the decimal exponent of
 *   D, x in units of D's 16th digit is X = (u + r) * 10^(16-n) = v + t / s:
 *     n <= 16: v = u * 10^(16-n), t = r * 10^(16-n), s = 1 (exact: r's
 *              13 bits times 5^15 fit a double's 53),
 *     n > 16:  v = u / 10^(n-16), t = u % 10^(n-16) + r, s = 10^(n-16);
 *   v has 16 digits and |t / s| is at most about 2;
 *   the 16 digits are v + round(t / s), a tie to the even digit as printf
 *   rounds; when x fell below a power of ten (v = 10^15, t < 0) they count
 *   one digit finer, 10 v + round(10 t / s); a carry to 10^16 is 10^15 one
 *   exponent up.
 */

static const uint64_t pow10_u64[] = {
	1ull,
	10ull,
	100ull,
	1000ull,
	10000ull,
	100000ull,
	1000000ull,
	10000000ull,
	100000000ull,
	1000000000ull,
	10000000000ull,
	100000000000ull,
	1000000000000ull,
	10000000000000ull,
	100000000000000ull,
	1000000000000000ull,
	10000000000000000ull,
	100000000000000000ull,
	1000000000000000000ull,
	10000000000000000000ull,
};
#define P15 1000000000000000ull
#define P16 10000000000000000ull

static int count_digits(uint64_t u)
{
	int n = 1;

	while (n < 20 && u >= pow10_u64[n])
		n++;
	return n;
}

/* v + round(t / s), ties to an even result. t and s are small and exact;
 * every step below is exact too. */
static uint64_t round_add(uint64_t v, double t, double s)
{
	double q = floor(t / s), rem = t - q * s;

	/* t / s itself may round: put q right so that 0 <= rem < s */
	while (rem < 0) {
		q--;
		rem += s;
	}
	while (rem >= s) {
		q++;
		rem -= s;
	}
	v += (uint64_t)(int64_t)q; /* q < 0 wraps back into range */
	if (2 * rem > s || (2 * rem == s && (v & 1)))
		v++;
	return v;
}

/* The 16 significant digits of x = u / 10^6 (u the exact value of the
 * double, 1 <= u <= 2^63) as m in [10^15, 10^16), and their exponent. */
static void usecs_digits(uint64_t u, uint64_t *m, int *exp10)
{
	double ud = (double)u, x = ud / 1e6;
	double r = fma(x, 1e6, -ud);
	int n = count_digits(u), e = n - 7;
	uint64_t v;
	double t, s;

	if (n <= 16) {
		v = u * pow10_u64[16 - n];
		t = r * (double)pow10_u64[16 - n];
		s = 1;
	} else {
		uint64_t div = pow10_u64[n - 16];

		v = u / div;
		t = (double)(u % div) + r;
		s = (double)div;
	}
	if (v == P15 && t < 0) {
		v = P16;
		if (s > 1)
			s /= 10;
		else
			t *= 10;
		e--;
	}
	v = round_add(v, t, s);
	if (v >= P16) {
		v /= 10;
		e++;
	}
	*m = v;
	*exp10 = e;
}

/* The text of m (16 digits, exponent e) as "%.16g" and jansson write it. */
static size_t usecs_text(char *out, bool neg, uint64_t m, int e)
{
	char d[16];
	int nd = 16;
	size_t n = 0;

	put_digits(d, m);
	while (nd > 1 && d[nd - 1] == '0')
		nd--;
	if (neg)
		out[n++] = '-';
	if (e < -4) { /* 1.2e-5 */
		out[n++] = d[0];
		if (nd > 1) {
			out[n++] = '.';
			memcpy(out + n, d + 1, (size_t)nd - 1);
			n += (size_t)nd - 1;
		}
		out[n++] = 'e';
		out[n++] = '-';
		n += put_digits(out + n, (uint64_t)-e);
	} else if (e < 0) { /* 0.00405 */
		out[n++] = '0';
		out[n++] = '.';
		memset(out + n, '0', (size_t)(-e - 1));
		n += (size_t)(-e - 1);
		memcpy(out + n, d, (size_t)nd);
		n += (size_t)nd;
	} else { /* 1700000000.123456, 12.0 (e <= 12: |x| <= 2^63 / 10^6) */
		memcpy(out + n, d, (size_t)e + 1);
		n += (size_t)e + 1;
		out[n++] = '.';
		if (nd > e + 1) {
			memcpy(out + n, d + e + 1, (size_t)(nd - e - 1));
			n += (size_t)(nd - e - 1);
		} else {
			out[n++] = '0';
		}
	}
	out[n] = '\0';
	return n;
}

size_t json_writer_format_usecs(char *out, int64_t us)
{
	/* the magnitude of (double)us, which rounds past 2^53 as jansson's
	 * caller did */
	uint64_t u = (uint64_t)fabs((double)us), m;
	int e;

	if (u == 0) {
		memcpy(out, "0.0", 4);
		return 3;
	}
	usecs_digits(u, &m, &e);
	return usecs_text(out, us < 0, m, e);
}

void json_writer_usecs(struct json_writer *w, const char *key, int64_t us)
{
	char text[JSON_WRITER_NUMBER_MAX];

	put_scalar(w, key, text, json_writer_format_usecs(text, us));
}
