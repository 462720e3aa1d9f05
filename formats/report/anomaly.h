/*
 * anomaly.h - turning an anomaly record into words.
 *
 * The analyzer stores anomalies as plain fields (records.h); reports call
 * anomaly_describe() to get the sentence a person reads, naming frames:
 * "server never acknowledged the client's FIN (frame 17); the client
 * retransmitted it 3 times over 1.4 s". Each of a type's causes
 * (analyzer/anomaly_types.h) has its own sentence. Not used on the packet
 * path.
 */
#ifndef TCPLINT_REPORT_ANOMALY_H
#define TCPLINT_REPORT_ANOMALY_H

#include <stddef.h>

#include "analyzer/records.h"

/* Write the message for anomaly a of flow f into buf (always NUL-terminated
 * when len > 0). Returns the length the full message has, like snprintf. */
size_t anomaly_describe(const struct flow_record *f, const struct anomaly *a,
			char *buf, size_t len);

/* The one line on what a type means is anomaly_type_summary(), from the
 * analyzer's table (analyzer/anomaly_types.h). */

#endif
