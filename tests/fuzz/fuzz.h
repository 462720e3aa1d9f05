/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry point, and the
 * plain runner (fuzz_main.c) that feeds it files when the target is built
 * without libFuzzer, so the seeds and regressions run as an ordinary test.
 */
#ifndef TCPLINT_TESTS_FUZZ_H
#define TCPLINT_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
