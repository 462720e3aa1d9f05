/*
 * output.c - report output: stdout, or -o FILE written atomically through a
 * temporary file in the same directory and rename(2).
 */
#include "cli/output.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/wire/capture.h"

int output_open(struct tl_output *out, const char *path, char *errbuf,
		size_t errlen)
{
	const char *slash;
	size_t dirlen, len;
	int fd;
	mode_t um;

	memset(out, 0, sizeof(*out));
	out->path = path;
	if (!path || strcmp(path, "-") == 0) {
		out->path = NULL;
		out->fp = stdout;
		return 0;
	}
	/* A device or a FIFO (-o /dev/stdout, a named pipe) is written
	 * directly: there is nothing to replace atomically, and renaming over
	 * it would be wrong. */
	{
		struct stat st;

		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			if (S_ISDIR(st.st_mode)) {
				snprintf(errbuf, errlen, "%s: is a directory",
					 path);
				return -1;
			}
			out->fp = fopen(path, "w");
			if (!out->fp) {
				snprintf(errbuf, errlen, "%s: %s", path,
					 strerror(errno));
				return -1;
			}
			out->direct = true;
			return 0;
		}
	}
	slash = strrchr(path, '/');
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	len = strlen(path) + 32;
	out->tmp_path = malloc(len);
	if (!out->tmp_path) {
		snprintf(errbuf, errlen, "%s: out of memory", path);
		return -1;
	}
	snprintf(out->tmp_path, len, "%.*s.%s.tmp.XXXXXX", (int)dirlen, path,
		 path + dirlen);
	fd = mkstemp(out->tmp_path);
	if (fd < 0) {
		snprintf(errbuf, errlen, "%s: cannot create a file there: %s",
			 path, strerror(errno));
		free(out->tmp_path);
		out->tmp_path = NULL;
		return -1;
	}
	/* mkstemp makes 0600; a report is an ordinary file (0666 & ~umask). */
	um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	out->fp = fdopen(fd, "w");
	if (!out->fp) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(out->tmp_path);
		free(out->tmp_path);
		out->tmp_path = NULL;
		return -1;
	}
	return 0;
}

int output_commit(struct tl_output *out, char *errbuf, size_t errlen)
{
	int err = 0;

	if (!out->tmp_path) {
		errno = 0;
		if (fflush(out->fp) != 0 || ferror(out->fp)) {
			err = errno ? errno : EIO;
			snprintf(errbuf, errlen, "%s: %s",
				 out->path ? out->path : "standard output",
				 strerror(err));
		}
		if (out->direct && fclose(out->fp) != 0 && !err) {
			err = errno ? errno : EIO;
			snprintf(errbuf, errlen, "%s: %s", out->path,
				 strerror(err));
		}
		out->fp = NULL;
		return err;
	}
	errno = 0;
	if (fflush(out->fp) != 0 || ferror(out->fp))
		err = errno ? errno : EIO;
	if (!err && fsync(fileno(out->fp)) != 0 && errno != EINVAL)
		err = errno;
	if (fclose(out->fp) != 0 && !err)
		err = errno ? errno : EIO;
	out->fp = NULL;
	if (!err && rename(out->tmp_path, out->path) != 0)
		err = errno;
	if (err) {
		snprintf(errbuf, errlen, "%s: %s (nothing written)", out->path,
			 strerror(err));
		unlink(out->tmp_path);
	}
	free(out->tmp_path);
	out->tmp_path = NULL;
	return err;
}

void output_abort(struct tl_output *out)
{
	if (!out->tmp_path) {
		if (out->fp && out->direct)
			fclose(out->fp);
		else if (out->fp)
			fflush(out->fp);
		out->fp = NULL;
		return;
	}
	if (out->fp)
		fclose(out->fp);
	out->fp = NULL;
	unlink(out->tmp_path);
	free(out->tmp_path);
	out->tmp_path = NULL;
}

int output_check_safe(const char *path, const char *what,
		      const char *const *inputs, uint32_t ninputs, char *errbuf,
		      size_t errlen)
{
	struct stat st, in;

	if (!path || strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return 0;
	for (uint32_t i = 0; i < ninputs; i++)
		if (inputs[i] && stat(inputs[i], &in) == 0 &&
		    in.st_dev == st.st_dev && in.st_ino == st.st_ino) {
			snprintf(
				errbuf, errlen,
				"%s %s: is one of the inputs; "
				"refusing to overwrite it (--force to write it anyway)",
				what, path);
			return -1;
		}
	if (capture_file_is_capture(path)) {
		snprintf(
			errbuf, errlen,
			"%s %s: is an existing capture file; "
			"refusing to overwrite it (--force to write it anyway)",
			what, path);
		return -1;
	}
	return 0;
}
