/*
 * bench_run.c - run one command and say how long it took and how much
 * memory it held, for tests/bench/bench.sh.
 *
 *   bench_run [--stdout FILE] COMMAND [ARG...]
 *
 * The command's standard output goes to FILE (default /dev/null), its
 * standard error to /dev/null. Prints one line on standard output:
 *
 *   WALL_S USER_S SYS_S MAXRSS_KB EXIT
 *
 * wall-clock seconds from a monotonic clock (microseconds, where GNU time
 * gives hundredths), the CPU seconds and peak resident set of the command as
 * wait4(2) reports them, and its exit status (128 + the signal that ended
 * it). Exits 0 when the measurement was taken, whatever the command's
 * status; 2 on a usage error or when the command could not be started.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* In the child: point fd at path (opened for writing), or die. */
static void redirect(int fd, const char *path)
{
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (f < 0 || dup2(f, fd) < 0) {
		fprintf(stderr, "bench_run: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(f);
}

int main(int argc, char **argv)
{
	const char *out_path = "/dev/null";
	int first = 1;
	if (argc > 2 && strcmp(argv[1], "--stdout") == 0) {
		out_path = argv[2];
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr,
			"usage: bench_run [--stdout FILE] COMMAND [ARG...]\n");
		return 2;
	}
	double start = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench_run: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		redirect(STDOUT_FILENO, out_path);
		redirect(STDERR_FILENO, "/dev/null");
		execvp(argv[first], argv + first);
		_exit(127);
	}
	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "bench_run: wait4: %s\n",
				strerror(errno));
			return 2;
		}
	}
	double wall = now_s() - start;
	int code = WIFEXITED(status)     ? WEXITSTATUS(status)
		   : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
					 : 255;
	if (code == 127) {
		fprintf(stderr, "bench_run: cannot run %s\n", argv[first]);
		return 2;
	}
	printf("%.6f %.3f %.3f %ld %d\n", wall, tv_s(ru.ru_utime),
	       tv_s(ru.ru_stime), ru.ru_maxrss, code);
	return 0;
}
