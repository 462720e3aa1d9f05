/*
 * rules_stub.c - empty anomaly rules, so that the analyzer links until
 * analyzer/rules.c lands (then this file is deleted).
 */
#include "analyzer/rules.h"

void rules_before(struct analyzer *az, struct flow *f, int from,
		  const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns)
{
	(void)az, (void)f, (void)from, (void)pkt, (void)frame, (void)ts_ns;
}

void rules_after(struct analyzer *az, struct flow *f, int from,
		 const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns)
{
	(void)az, (void)f, (void)from, (void)pkt, (void)frame, (void)ts_ns;
}

void rules_tick(struct analyzer *az, struct flow *f, int64_t now_ns)
{
	(void)az, (void)f, (void)now_ns;
}

void rules_finish(struct analyzer *az, struct flow *f, int64_t end_ns)
{
	(void)az, (void)f, (void)end_ns;
}
