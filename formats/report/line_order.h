/*
 * line_order.h - put report lines out in flow order with bounded memory.
 *
 * The text report lists its flows in (input, id) order, but flows finish in
 * any order. A struct line_order takes each flow's line as it finishes and
 * writes it the moment every flow with a lower id has been seen: the
 * analyzer numbers the flows of a run from 0 without gaps, input after
 * input, in the order they begin, so apart from the connections open at
 * once the lines go straight out. Lines that must wait are held in memory
 * up to LINE_ORDER_HOLD_BYTES; past that (a connection open through a whole
 * long capture holds back every line after it) they are sorted and spilled
 * as a run to a temporary file (unlinked at once), and line_order_finish()
 * merges the runs and what is held. Memory stays within the hold limit,
 * the merge's read buffers (4 MiB in all, at least 512 bytes a run) and a
 * few dozen bytes for each run (one per LINE_ORDER_HOLD_BYTES of lines
 * that had to wait), whatever the number of flows.
 *
 * Flows given with a NULL line (not listed: --only-anomalies) hold their
 * place in the order and write nothing. Ids must be unique; a flow given
 * after its id's turn has passed (which the analyzer never does) is
 * written after the lines already out.
 */
#ifndef TCPLINT_REPORT_LINE_ORDER_H
#define TCPLINT_REPORT_LINE_ORDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LINE_ORDER_HOLD_BYTES (8u << 20)

struct line_order;

/* Lines go to out (borrowed). hold_bytes 0 means LINE_ORDER_HOLD_BYTES.
 * NULL when out of memory. */
struct line_order *line_order_new(FILE *out, size_t hold_bytes);
/* Free without writing what is held; NULL does nothing. */
void line_order_free(struct line_order *lo);

/*
 * Flow (input, id) finished with its line (len bytes, not NUL-terminated),
 * or NULL when it is not listed. The line is copied. Returns 0, or -1 when
 * out of memory (the line is lost).
 */
int line_order_add(struct line_order *lo, uint32_t input, uint64_t id,
		   const char *line, size_t len);

/* Write everything still held, in order. Returns the number of lines
 * written over the whole run (listed flows), or -1 when a spilled run
 * could not be read back. */
long long line_order_finish(struct line_order *lo);

/* Lines spilled so far (for the tests: 0 while flows come in order). */
uint64_t line_order_spilled(const struct line_order *lo);

#endif
