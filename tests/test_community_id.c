/*
 * test_community_id.c - Community ID v1 against the published test vectors
 * (the specification's baseline, also in Zeek's tests): TCP
 * 1.2.3.4:1122 <-> 5.6.7.8:3344 under seeds 0 and 1, either direction; and
 * IPv6 and port-order cases against the definition computed here byte by
 * byte with Python's hashlib in the comment's command.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "formats/report/community_id.h"

static const uint8_t v4a[16] = {1, 2, 3, 4}, v4b[16] = {5, 6, 7, 8};

static void test_published_vectors(void **state)
{
	char id[COMMUNITY_ID_LEN];

	(void)state;
	community_id_v1(4, v4a, 1122, v4b, 3344, 0, id);
	assert_string_equal(id, "1:wCb3OG7yAFWelaUydu0D+125CLM=");
	community_id_v1(4, v4b, 3344, v4a, 1122, 0, id);
	assert_string_equal(id, "1:wCb3OG7yAFWelaUydu0D+125CLM=");
	community_id_v1(4, v4a, 1122, v4b, 3344, 1, id);
	assert_string_equal(id, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=");
	community_id_v1(4, v4b, 3344, v4a, 1122, 1, id);
	assert_string_equal(id, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=");
}

/*
 * python3 -c "import hashlib,base64,socket,struct; s=socket.inet_pton(socket.AF_INET6,'2001:db8:10::5');
 *   d=socket.inet_pton(socket.AF_INET6,'2001:db8:20::80');
 *   print(base64.b64encode(hashlib.sha1(struct.pack('!H',0)+s+d+bytes([6,0])+struct.pack('!HH',50440,443)).digest()))"
 */
static void test_ipv6_and_order(void **state)
{
	static const uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10,
				      0,    0,    0,    0,    0,    0,
				      0,    0,    0,    0x05};
	static const uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x20,
				      0,    0,    0,    0,    0,    0,
				      0,    0,    0,    0x80};
	char id[COMMUNITY_ID_LEN], rev[COMMUNITY_ID_LEN];

	(void)state;
	community_id_v1(6, a, 50440, b, 443, 0, id);
	assert_string_equal(id, "1:a1dX2lecH98UVC0wuuWS6pek3X0=");
	community_id_v1(6, b, 443, a, 50440, 0, rev);
	assert_string_equal(id, rev);
	/* the same address both ends: the ports decide the order */
	community_id_v1(4, v4a, 80, v4a, 40000, 0, id);
	community_id_v1(4, v4a, 40000, v4a, 80, 0, rev);
	assert_string_equal(id, rev);
	assert_int_equal(strlen(id), COMMUNITY_ID_LEN - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_vectors),
		cmocka_unit_test(test_ipv6_and_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
