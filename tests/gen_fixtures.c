/*
 * gen_fixtures.c - compile fixture scripts (*.fix) into pcap files.
 *
 *     gen_fixtures DIR              every DIR/NAME.fix -> DIR/NAME.pcap
 *     gen_fixtures SCRIPT.fix OUT.pcap
 *
 * The `fixtures` CMake target runs the first form over testdata/. Scripts are
 * taken in name order so the output is the same on every run; one line per
 * file goes to stdout, problems to stderr, and the exit status is 1 if any
 * script failed (the others are still written).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/wire/fixture.h"

#define GEN_MAX_SCRIPTS 512
#define GEN_MAX_PATH 4096

static int gen_one(const char *script, const char *pcap)
{
	char err[512];
	int n = fixture_file_to_pcap(script, pcap, err, sizeof(err));

	if (n < 0) {
		fprintf(stderr, "gen_fixtures: %s\n", err);
		return 1;
	}
	printf("%-40s %5d packets\n", pcap, n);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int gen_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *names[GEN_MAX_SCRIPTS];
	size_t count = 0;
	int failed = 0;

	if (!d) {
		perror(dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".fix"))
			continue;
		if (count == GEN_MAX_SCRIPTS) {
			fprintf(stderr,
				"gen_fixtures: more than %d scripts in %s\n",
				GEN_MAX_SCRIPTS, dir);
			failed = 1;
			break;
		}
		names[count] = strdup(de->d_name);
		if (!names[count]) {
			failed = 1;
			break;
		}
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < count; i++) {
		char script[GEN_MAX_PATH], pcap[GEN_MAX_PATH];
		size_t base = strlen(names[i]) - 4;
		if (snprintf(script, sizeof(script), "%s/%s", dir, names[i]) >=
			    (int)sizeof(script) ||
		    snprintf(pcap, sizeof(pcap), "%s/%.*s.pcap", dir, (int)base,
			     names[i]) >= (int)sizeof(pcap)) {
			fprintf(stderr, "gen_fixtures: path too long: %s\n",
				names[i]);
			failed = 1;
		} else {
			failed |= gen_one(script, pcap);
		}
		free(names[i]);
	}
	if (count == 0)
		fprintf(stderr, "gen_fixtures: no .fix scripts in %s\n", dir);
	return failed;
}

int main(int argc, char **argv)
{
	struct stat sb;

	if (argc == 2 && stat(argv[1], &sb) == 0 && S_ISDIR(sb.st_mode))
		return gen_dir(argv[1]);
	if (argc == 3)
		return gen_one(argv[1], argv[2]);
	fprintf(stderr, "usage: gen_fixtures DIR\n"
			"       gen_fixtures SCRIPT.fix OUT.pcap\n");
	return 2;
}
