/* test_records.c - name tables and reverse look-ups of analyzer/records.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analyzer/records.h"

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(tcp_state_name(TCP_ST_CLOSED), "CLOSED");
	assert_string_equal(tcp_state_name(TCP_ST_TIME_WAIT), "TIME_WAIT");
	assert_string_equal(tcp_state_name(TCP_ST_UNKNOWN), "UNKNOWN");
	assert_string_equal(tcp_state_name((enum tcp_state)99), "?");
}

static void test_anomaly_lookup(void **state)
{
	(void)state;
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		assert_int_equal(anomaly_type_from_name(anomaly_type_name(t)),
				 t);
	assert_int_equal(anomaly_type_from_name("no_such_type"), -1);
	assert_int_equal(anomaly_type_severity(ANOM_MISSING_ACK), SEV_ERROR);
	assert_int_equal(anomaly_type_severity(ANOM_LINGERING_CLOSE_WAIT),
			 SEV_WARNING);
	assert_int_equal(severity_from_name("warning"), SEV_WARNING);
	assert_int_equal(severity_from_name("fatal"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_anomaly_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
