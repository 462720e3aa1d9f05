/*
 * run.c - the shared back half of analyze and live (see run.h): output,
 * writer, baseline, expectations, --fail-on and the ladder selection, fed by
 * the analyzer's sink.
 */
#include "cli/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/exit_codes.h"

int run_open(struct tl_run *r, const struct tl_options *opt,
	     const char *const *input_names, uint32_t ninputs, char *errbuf,
	     size_t errlen)
{
	const struct report_ops *ops = report_find(opt->format);
	struct report_settings set;
	int fd;

	memset(r, 0, sizeof(*r));
	r->opt = opt;
	if (!ops) {
		snprintf(errbuf, errlen, "unknown format '%s'", opt->format);
		return -1;
	}
	if ((opt->has_flow || opt->ladder) &&
	    strcmp(opt->format, "text") != 0) {
		snprintf(errbuf, errlen,
			 "--flow and --ladder draw text; leave out --format %s",
			 opt->format);
		return -1;
	}
	if (!opt->force && output_check_safe(opt->output, "-o", input_names,
					     ninputs, errbuf, errlen))
		return -1;
	if (opt->expect_path) {
		r->expect = expect_load(opt->expect_path, errbuf, errlen);
		if (!r->expect)
			return -1;
	}
	if (opt->baseline_path) {
		r->baseline = baseline_load(opt->baseline_path, errbuf, errlen);
		if (!r->baseline) {
			expect_free(r->expect);
			return -1;
		}
	}
	if (output_open(&r->out, opt->output, errbuf, errlen)) {
		expect_free(r->expect);
		baseline_free(r->baseline);
		return -1;
	}
	fd = fileno(r->out.fp);
	memset(&set, 0, sizeof(set));
	set.command = opt->command == TL_CMD_LIVE ? "live" : "analyze";
	set.version = TCPLINT_VERSION;
	set.input_names = input_names;
	set.ninput_names = ninputs;
	set.pretty = !opt->compact && !r->out.tmp_path && isatty(fd);
	set.color = options_use_color(opt->color, fd);
	set.streaming = opt->command == TL_CMD_LIVE;
	set.only_anomalies = opt->only_anomalies;
	set.totals_only = opt->quiet;
	set.verbose = opt->verbose;
	set.explain = opt->explain;
	set.top = opt->top;
	set.shard_index = opt->az.shard_index;
	set.shard_count = opt->az.shard_count;
	set.fail_on = opt->fail_on;
	options_fail_on_words(opt->fail_on_list, r->fail_on_text,
			      sizeof(r->fail_on_text));
	r->rc = report_open(ops, r->out.fp, &set);
	if (!r->rc) {
		snprintf(errbuf, errlen, "out of memory");
		run_abort(r);
		return -1;
	}
	for (uint32_t i = 0; i < opt->nextra; i++) {
		const struct tl_extra_output *x = &opt->extra[i];
		struct tl_run_extra *e = &r->extra[i];
		struct report_settings xs = set;
		char what[32];

		snprintf(what, sizeof(what), "--%s-output", x->format);
		if ((!opt->force &&
		     output_check_safe(x->path, what, input_names, ninputs,
				       errbuf, errlen)) ||
		    output_open(&e->out, x->path, errbuf, errlen)) {
			run_abort(r);
			return -1;
		}
		r->nextra++;
		xs.pretty = false;
		xs.color = false;
		e->rc = report_open(report_find(x->format), e->out.fp, &xs);
		if (!e->rc) {
			snprintf(errbuf, errlen, "out of memory");
			run_abort(r);
			return -1;
		}
		report_begin(e->rc);
	}
	if (opt->has_flow || opt->ladder) {
		r->ladder = ladder_set_new();
		if (!r->ladder) {
			snprintf(errbuf, errlen, "out of memory");
			run_abort(r);
			return -1;
		}
		r->ladder_opts.color = set.color;
		r->ladder_opts.explain = opt->explain;
		r->ladder_opts.input_names = input_names;
		r->ladder_opts.ninput_names = ninputs;
	} else {
		report_begin(r->rc);
	}
	return 0;
}

/* Anomalies of f matching --fail-on, counting the ones not kept in
 * anomalies[] by their type's default severity. */
static uint32_t count_matches(const struct report_fail_on *fo,
			      const struct flow_record *f)
{
	uint32_t n = 0, kept[ANOMALY_TYPE_COUNT] = {0};

	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		const struct anomaly *a = &f->anomalies[i];

		if (a->type < ANOMALY_TYPE_COUNT)
			kept[a->type]++;
		if (report_fail_on_match(fo, a))
			n++;
	}
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++) {
		struct anomaly probe = {
			.type = (uint8_t)t,
			.severity = (uint8_t)anomaly_type_severity(t)};

		if (f->anomaly_counts[t] > kept[t] &&
		    report_fail_on_match(fo, &probe))
			n += f->anomaly_counts[t] - kept[t];
	}
	return n;
}

static void run_flow_done(void *ctx, const struct flow_record *f)
{
	struct tl_run *r = ctx;
	struct flow_record *s = &r->scratch;
	struct report_flow_info info = {0};
	uint32_t nf;

	r->flows++;
	*s = *f;
	info.suppressed = baseline_filter(r->baseline, s);
	r->suppressed += info.suppressed;
	info.matched = count_matches(&r->opt->fail_on, s);
	r->findings += info.matched;
	nf = expect_check_flow(r->expect, s, r->fails, RUN_MAX_FAILURES,
			       &r->expect_checks);
	r->expect_failures += nf;
	info.failures = r->fails;
	info.nfailures = nf;
	info.failed = info.matched > 0 || nf > 0;

	for (uint32_t i = 0; i < r->nextra; i++)
		report_flow(r->extra[i].rc, s, &info);
	if (r->ladder) {
		bool want = r->opt->has_flow
				    ? s->id == r->opt->flow_id
				    : (report_flow_anomalies(s) > 0 || nf > 0);

		if (want && ladder_set_add(r->ladder, s) != 0)
			r->input_error = true; /* out of memory */
		return;
	}
	report_flow(r->rc, s, &info);
}

static void run_anomaly(void *ctx, const struct flow_record *f,
			const struct anomaly *a)
{
	struct tl_run *r = ctx;

	if (baseline_known(r->baseline, f, a))
		return;
	for (uint32_t i = 0; i < r->nextra; i++)
		report_anomaly(r->extra[i].rc, f, a);
	if (!r->ladder)
		report_anomaly(r->rc, f, a);
}

struct analyzer_sink run_sink(struct tl_run *r)
{
	struct analyzer_sink s = {
		.flow_done = run_flow_done,
		.anomaly = run_anomaly,
		.segment = NULL,
		.ctx = r,
	};

	return s;
}

bool run_second_pass(struct tl_run *r)
{
	bool want = r->ladder && ladder_set_count(r->ladder) > 0;

	if (!r->ladder && report_second_pass(r->rc))
		r->packets_to_main = want = true;
	for (uint32_t i = 0; i < r->nextra; i++)
		if (report_second_pass(r->extra[i].rc))
			r->packets_to_extra[i] = want = true;
	return want;
}

void run_ladder_packet(struct tl_run *r, uint32_t input,
		       const struct pkt_view *pkt, uint64_t frame,
		       int64_t ts_ns)
{
	if (r->ladder &&
	    ladder_set_packet(r->ladder, input, pkt, frame, ts_ns) != 0)
		r->input_error = true;
	if (r->packets_to_main &&
	    report_packet(r->rc, input, pkt, frame, ts_ns) != 0)
		r->input_error = true; /* out of memory */
	for (uint32_t i = 0; i < r->nextra; i++)
		if (r->packets_to_extra[i] &&
		    report_packet(r->extra[i].rc, input, pkt, frame, ts_ns) !=
			    0)
			r->input_error = true;
}

int run_output_error(const struct tl_run *r)
{
	int err = r->rc ? report_io_errno(r->rc) : 0;

	for (uint32_t i = 0; i < r->nextra && !err; i++)
		err = report_io_errno(r->extra[i].rc);
	return err;
}

void run_input_done(struct tl_run *r, const struct input_record *in)
{
	if (in->failed)
		r->input_error = true;
	for (uint32_t i = 0; i < r->nextra; i++)
		report_input(r->extra[i].rc, in);
	if (!r->ladder)
		report_input(r->rc, in);
}

static void run_free(struct tl_run *r)
{
	for (uint32_t i = 0; i < r->nextra; i++) {
		report_close(r->extra[i].rc);
		r->extra[i].rc = NULL;
	}
	r->nextra = 0;
	report_close(r->rc);
	expect_free(r->expect);
	baseline_free(r->baseline);
	ladder_set_free(r->ladder);
	r->rc = NULL;
	r->expect = NULL;
	r->baseline = NULL;
	r->ladder = NULL;
}

void run_abort(struct tl_run *r)
{
	for (uint32_t i = 0; i < r->nextra; i++)
		output_abort(&r->extra[i].out);
	output_abort(&r->out);
	run_free(r);
}

/* End and commit the reports beside the main one: 0, or the exit code of
 * a failed write (named on stderr). */
static int close_extras(struct tl_run *r, const struct report_end_info *end)
{
	char errbuf[512];
	int code = TL_EXIT_OK;

	for (uint32_t i = 0; i < r->nextra; i++) {
		struct tl_run_extra *e = &r->extra[i];
		int err = report_end(e->rc, end) != 0 ? report_io_errno(e->rc)
						      : 0;

		if (err) {
			fprintf(stderr, "tcplint: %s: %s\n",
				e->out.path ? e->out.path : "standard output",
				strerror(err));
			output_abort(&e->out);
			code = TL_EXIT_USAGE;
		} else if (output_commit(&e->out, errbuf, sizeof(errbuf)) !=
			   0) {
			fprintf(stderr, "tcplint: %s\n", errbuf);
			code = TL_EXIT_USAGE;
		}
	}
	return code;
}

int run_close(struct tl_run *r, const struct report_end_info *extra)
{
	struct report_end_info end;
	struct expect_failure global[RUN_MAX_FAILURES];
	uint32_t nglobal = 0;
	char errbuf[512];
	int code, err = 0;

	if (extra)
		end = *extra;
	else
		memset(&end, 0, sizeof(end));
	if (r->expect) {
		nglobal = expect_check_end(r->expect, global, RUN_MAX_FAILURES,
					   &r->expect_checks);
		r->expect_failures += nglobal;
		end.expect_used = true;
		end.expectations = expect_count(r->expect);
		end.expect_checks = r->expect_checks;
		end.global_failures = global;
		end.nglobal_failures = nglobal;
	}
	if (r->baseline) {
		end.baseline = r->opt->baseline_path;
		end.baseline_suppressed = r->suppressed;
	}
	end.fail_on = r->fail_on_text;

	code = TL_EXIT_OK;
	if (r->findings || r->expect_failures)
		code = TL_EXIT_FINDINGS;
	if (r->input_error)
		code = TL_EXIT_INPUT;

	if (r->ladder) {
		if (r->opt->has_flow && ladder_set_count(r->ladder) == 0) {
			/* Nothing to draw is a failed run: an -o file is
			 * left as it was, not replaced by an empty one. */
			fprintf(stderr,
				"tcplint: flow %llu not found (%llu flows analyzed)\n",
				(unsigned long long)r->opt->flow_id,
				(unsigned long long)r->flows);
			run_abort(r);
			return TL_EXIT_USAGE;
		} else if (ladder_set_count(r->ladder) == 0) {
			fputs("no flow has an anomaly\n", r->out.fp);
		}
		errno = 0;
		if (ladder_set_render(r->ladder, r->out.fp, &r->ladder_opts) !=
			    0 ||
		    fflush(r->out.fp) != 0 || ferror(r->out.fp))
			err = errno ? errno : EIO;
	} else {
		end.exit_code = code;
		if (report_end(r->rc, &end) != 0)
			err = report_io_errno(r->rc);
	}
	end.exit_code = code;
	if (close_extras(r, &end) != TL_EXIT_OK)
		code = TL_EXIT_USAGE;

	if (err) {
		if (err != EPIPE) {
			fprintf(stderr, "tcplint: %s: %s\n",
				r->out.path ? r->out.path : "standard output",
				strerror(err));
			code = TL_EXIT_USAGE;
		}
		output_abort(&r->out);
	} else if ((err = output_commit(&r->out, errbuf, sizeof(errbuf))) !=
		   0) {
		if (err != EPIPE) {
			fprintf(stderr, "tcplint: %s\n", errbuf);
			code = TL_EXIT_USAGE;
		}
	}
	run_free(r);
	return code;
}
