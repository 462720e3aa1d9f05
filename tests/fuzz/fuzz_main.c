/*
 * fuzz_main.c - the plain runner of a fuzz target built without libFuzzer:
 * every regular file named on the command line, or found under a directory
 * named there (recursively), is read whole into a buffer of exactly its
 * size and passed to LLVMFuzzerTestOneInput(). A missing path is reported
 * and skipped, so optional seed folders (the corpus) may be absent.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static unsigned long fuzz_runs;

static int fuzz_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	uint8_t *buf;
	size_t n;
	FILE *fp;

	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_size > (64 << 20))
		return 0;
	fp = fopen(path, "rb");
	if (!fp)
		return 0;
	n = (size_t)st->st_size;
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, fp) != n) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		fclose(fp);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	fuzz_runs++;
	return 0;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			printf("%s: absent, skipped\n", argv[i]);
			continue;
		}
		if (nftw(argv[i], fuzz_one, 16, FTW_PHYS) != 0)
			return 1;
	}
	printf("%lu inputs run\n", fuzz_runs);
	return 0;
}
