/*
 * html.h - the pieces of the HTML report (report_html.c) that draw: the
 * one escaping function every string from a capture goes through, and
 * the SVG pictures of one flow, each a self-contained <svg> element that
 * needs no script, no font and no file beside it.
 *
 *   sequence diagram   the client's and the server's vertical lines, one
 *                      arrow per segment (flags, relative seq/ack, length,
 *                      frame number and time), the state each endpoint
 *                      enters written beside its line, each anomaly marked
 *                      at its frame with its sentence
 *   state timeline     one bar per endpoint: how long it sat in each state
 *   time-sequence      sequence number against time for one sender, with
 *                      the peer's ACK and receive-window lines, and the
 *                      retransmissions and zero windows marked
 *
 * Every element that carries meaning has a <title> (a tooltip, and what a
 * screen reader says); colours come from CSS classes the report's style
 * sheet defines for light, dark and print, and shapes or words say the same
 * as each colour. The segments are those a ladder_set collected (ladder.h);
 * the numbers and states come from the same walk as the text ladder's.
 * Nothing here allocates; a write error shows in ferror(out).
 */
#ifndef TCPLINT_REPORT_HTML_H
#define TCPLINT_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyzer/records.h"
#include "formats/report/ladder.h"

/* Everything that came from outside (file names, addresses, sentences that
 * quote them, error messages) goes through report_markup_esc() (report.h),
 * the one escaping of the HTML and JUnit writers. */

struct html_draw_opts {
	bool explain;      /* the RFC 9293 reason of each state change as a
				visible note (it is always the label's title) */
	uint32_t max_rows; /* segments drawn at most (0: HTML_MAX_ROWS) */
};

#define HTML_MAX_ROWS 240  /* arrows in one sequence diagram */
#define HTML_NOTE_CHARS 60 /* characters per line of a note */

/*
 * The sequence diagram of rec from its segments (frame order; `dropped`
 * more were not kept by the collector). With more segments than max_rows,
 * the first and last ones, and those that open, close, reset or carry an
 * anomaly or a state change, are drawn, and each run left out is one row
 * saying how many segments (and which frames) it holds. Each arrow is a
 * <g class="seg ..."> with its <title>. Returns the number of arrows drawn.
 */
size_t html_svg_sequence(FILE *o, const struct flow_record *rec,
			 const struct ladder_seg *segs, size_t nsegs,
			 uint64_t dropped, const struct html_draw_opts *opt);

/* The state timeline of both endpoints of rec, from its state changes
 * (no segments needed). */
void html_svg_states(FILE *o, const struct flow_record *rec);

/* Whether endpoint `role` sent payload in segs: then it has a
 * time-sequence graph. */
bool html_has_data(const struct ladder_seg *segs, size_t nsegs, int role);

/* The time-sequence graph of what endpoint `role` sent, with its peer's
 * ACKs and windows. */
void html_svg_tsg(FILE *o, const struct flow_record *rec,
		  const struct ladder_seg *segs, size_t nsegs, int role);

/* b - a and a + d in nanoseconds, saturated at the ends of int64_t: the
 * capture times of a hostile file can be anything. */
int64_t html_ns_sub(int64_t b, int64_t a);
int64_t html_ns_add(int64_t a, int64_t d);

/* "2023-11-14 22:13:20.000123 UTC" (local time, as the ladder's heading)
 * into buf; "" when the time cannot be shown. */
void html_format_time(int64_t ts_ns, char *buf, size_t len);

#endif
