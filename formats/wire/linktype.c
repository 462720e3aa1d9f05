/*
 * linktype.c - the table of link types (see linktype.h). Rows in increasing
 * DLT order; the last row has no name. Sources: libpcap's pcap/dlt.h and
 * the LINKTYPE_ registry (tcpdump.org "Link-layer header types").
 */
#include "formats/wire/linktype.h"

#include <stdbool.h>

static const struct linktype linktypes[] = {
	{LINKTYPE_NULL, "NULL", "loopback", LINKHDR_AF_HOST, 4},
	{LINKTYPE_EN10MB, "EN10MB", "ethernet", LINKHDR_ETHERNET, 14},
	{LINKTYPE_RAW, "RAW", NULL, LINKHDR_IP, 0},
	{LINKTYPE_RAW_OPENBSD, "RAW_OPENBSD", NULL, LINKHDR_IP, 0},
	{LINKTYPE_RAW_101, "LINKTYPE_RAW", NULL, LINKHDR_IP, 0},
	{LINKTYPE_LOOP, "LOOP", NULL, LINKHDR_AF_NET, 4},
	{LINKTYPE_LINUX_SLL, "LINUX_SLL", "sll", LINKHDR_SLL, 16},
	{LINKTYPE_IPV4, "IPV4", NULL, LINKHDR_IPV4, 0},
	{LINKTYPE_IPV6, "IPV6", NULL, LINKHDR_IPV6, 0},
	{LINKTYPE_NFLOG, "NFLOG", NULL, LINKHDR_NFLOG, 4},
	{LINKTYPE_IPOIB, "IPOIB", NULL, LINKHDR_IPOIB, 44},
	{LINKTYPE_LINUX_SLL2, "LINUX_SLL2", "sll2", LINKHDR_SLL2, 20},
	{0, NULL, NULL, LINKHDR_IP, 0},
};

const struct linktype *linktype_at(size_t i)
{
	if (i >= sizeof(linktypes) / sizeof(linktypes[0]) - 1)
		return NULL;
	return &linktypes[i];
}

const struct linktype *linktype_find(int dlt)
{
	for (const struct linktype *lt = linktypes; lt->name; lt++)
		if (lt->dlt == dlt)
			return lt;
	return NULL;
}

static bool ascii_case_equal(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;

		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

const struct linktype *linktype_by_name(const char *name)
{
	for (const struct linktype *lt = linktypes; lt->name; lt++)
		if (ascii_case_equal(name, lt->name) ||
		    (lt->alias && ascii_case_equal(name, lt->alias)))
			return lt;
	return NULL;
}
