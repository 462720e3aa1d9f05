/*
 * output.h - where a report goes: standard output, or a file written
 * atomically (a temporary file in the same directory, renamed over the
 * target only once everything was written and synced), so a reader never
 * sees a half-written report and a failed run leaves the old file alone.
 */
#ifndef TCPLINT_CLI_OUTPUT_H
#define TCPLINT_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct tl_output {
	FILE *fp;         /* where to write (stdout or the temporary file) */
	const char *path; /* -o FILE, NULL for stdout (borrowed) */
	char *tmp_path;   /* the temporary file (owned), NULL for stdout */
	bool direct;      /* -o names a device or FIFO: written in place */
};

/* Open: path NULL means stdout. Returns 0, or -1 with a one-line problem in
 * errbuf (the directory is not writable, ...). */
int output_open(struct tl_output *out, const char *path, char *errbuf,
		size_t errlen);

/* Finish: flush, and for a file fsync, close and rename into place.
 * Returns 0, or the errno of the failure (EPIPE, ENOSPC, ...) after
 * removing the temporary file; a message goes into errbuf. */
int output_commit(struct tl_output *out, char *errbuf, size_t errlen);

/* Give up: close and remove the temporary file (stdout is left alone). */
void output_abort(struct tl_output *out);

/*
 * Whether writing `path` (the `what` option: "-o", "-w") could destroy a
 * capture: path is one of `inputs` (the same file, however named), or an
 * existing capture file (pcap or pcapng by its magic number, plain or
 * compressed with gzip or zstd: capture_file_is_capture()). Standard
 * output, devices and FIFOs are always safe. Returns 0 when it is safe,
 * else -1 with a one-line reason in errbuf naming --force.
 */
int output_check_safe(const char *path, const char *what,
		      const char *const *inputs, uint32_t ninputs, char *errbuf,
		      size_t errlen);

#endif
