/*
 * report_html.c - one self-contained HTML page: what a person opens to look
 * at a capture's connections rather than read about them.
 *
 * The page holds everything it shows (style sheet, script, SVG pictures
 * drawn here): it loads nothing, and a Content-Security-Policy of
 * default-src 'none' makes the browser refuse it anything it would try to.
 * The core content reads without JavaScript; the script only sorts,
 * filters and pages the flow table and folds the flow sections.
 *
 *   Overview        inputs, totals by verdict and by anomaly type, the
 *                   capture point and artefacts, the services (one row per
 *                   server address and port: verdicts, resets, lingering
 *                   CLOSE_WAIT, handshake RTT and duration percentiles),
 *                   and a timeline of the whole capture (connections
 *                   opened, ended by how, anomalies by severity)
 *   Flows           a table of every flow (the first HTML_TABLE_MAX, flows
 *                   with findings first when there are more), each row
 *                   linking to its section
 *   Findings        for the flows with findings, the worst first up to
 *                   --top (HTML_TOP_DEFAULT): facts, anomaly sentences,
 *                   broken expectations, the sequence diagram, the state
 *                   timeline and the time-sequence graphs (html_svg.c)
 *
 * Flows are kept as small rows until the end (the page begins with totals
 * known only then); the flows to draw are kept whole. Their segments come
 * from a second read of the inputs (report_second_pass()): a ladder_set
 * (ladder.h) picks them out, keeping at most HTML_MAX_SEGS per flow. Every
 * string from a capture or the command line goes through report_markup_esc().
 */
#include "formats/report/report.h"

#include <stdlib.h>
#include <string.h>

#include "formats/report/anomaly.h"
#include "formats/report/html.h"
#include "formats/report/ladder.h"
#include "formats/wire/capture.h"

#define HTML_TOP_DEFAULT 200      /* flows drawn without --top */
#define HTML_TABLE_MAX 20000      /* rows of the flow table */
#define HTML_MAX_SEGS 2000        /* segments kept per drawn flow */
#define HTML_MAX_MARKS (1u << 20) /* anomaly times kept for the timeline */
#define HTML_MAX_FAILS 8          /* broken expectations kept per drawn flow */
#define HTML_BINS 160             /* timeline columns */
#define HTML_MAX_SERVICES 50      /* rows of the services table */

/* What the table, the timeline and the services need of every flow. */
struct html_row {
	uint64_t id;
	int64_t start_ns, end_ns;
	int64_t rtt_ns; /* SYN to the ACK of the SYN-ACK, -1 if none */
	uint64_t packets;
	uint64_t types; /* bit t: the flow has anomalies of type t */
	uint32_t input;
	uint32_t anomalies;
	struct tuple tuple; /* its endpoints, the client the source */
	uint8_t handshake, close, closer, state[2];
	int8_t worst; /* worst severity, -1 when none */
	bool failed;  /* matched --fail-on or broke an expectation */
	bool listed;  /* in the table */
	bool drawn;   /* has a section */
};

struct html_mark {
	int64_t ts_ns;
	uint8_t sev;
};

/* A flow to draw, whole. */
struct html_pick {
	struct flow_record rec;
	struct expect_failure fails[HTML_MAX_FAILS];
	uint32_t nfails; /* broken expectations, all of them */
	int worst;       /* worst severity, SEV_ERROR for broken ones */
	uint32_t anomalies;
};

struct html_state {
	struct html_row *rows; /* owned */
	size_t nrows, rows_cap;
	struct html_mark *marks; /* owned */
	size_t nmarks, marks_cap;
	uint64_t marks_dropped;
	struct html_pick *picks; /* owned, pick_cap entries once allocated */
	size_t npicks, pick_cap;
	uint64_t flagged;       /* flows with findings (drawn or not) */
	struct ladder_set *set; /* owned, from the second pass on */
	bool second_pass;
	uint64_t by_point[CAPTURE_POINT_COUNT];
	uint64_t by_artefact[ARTEFACT_COUNT];
	uint64_t by_closer[CLOSER_COUNT];
};

static int html_begin(struct report_ctx *rc)
{
	struct html_state *hs = calloc(1, sizeof(*hs));

	if (!hs)
		return -1;
	hs->pick_cap = rc->set.top ? rc->set.top : HTML_TOP_DEFAULT;
	rc->priv = hs;
	return 0;
}

static void html_free(struct report_ctx *rc)
{
	struct html_state *hs = rc->priv;

	if (!hs)
		return;
	free(hs->rows);
	free(hs->marks);
	free(hs->picks);
	ladder_set_free(hs->set);
	free(hs);
	rc->priv = NULL;
}

/* ---- collecting ---- */

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *q;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 256;
	if (c > SIZE_MAX / size)
		return false;
	q = realloc(*p, c * size);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

/* The capture time endpoint `role` first entered `st`, or -1. */
static int64_t state_ts(const struct flow_record *f, int role, int st)
{
	const struct endpoint_record *e = &f->ep[role];

	for (uint8_t i = 0; i < e->nstates && i < FLOW_MAX_STATES; i++)
		if (e->states[i].state == st)
			return e->states[i].ts_ns;
	return -1;
}

static int worst_severity(const struct flow_record *f)
{
	int worst = -1;

	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
		if ((int)f->anomalies[i].severity > worst)
			worst = f->anomalies[i].severity;
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		if (f->anomaly_counts[t] &&
		    (int)anomaly_type_severity(t) > worst)
			worst = anomaly_type_severity(t);
	return worst;
}

/* Whether pick a goes before pick b: worse findings, more anomalies, then
 * the capture's order. */
static bool pick_better(const struct html_pick *a, const struct html_pick *b)
{
	if (a->worst != b->worst)
		return a->worst > b->worst;
	if (a->anomalies != b->anomalies)
		return a->anomalies > b->anomalies;
	if (a->rec.input != b->rec.input)
		return a->rec.input < b->rec.input;
	return a->rec.id < b->rec.id;
}

/* Keep f among the flows to draw when it is one of the pick_cap worst. */
static int html_pick_add(struct html_state *hs, const struct flow_record *f,
			 const struct report_flow_info *info, int worst)
{
	struct html_pick cand, *slot = NULL;

	if (!hs->picks) {
		hs->picks = calloc(hs->pick_cap, sizeof(*hs->picks));
		if (!hs->picks)
			return -1;
	}
	cand.rec = *f;
	cand.worst = info->nfailures ? SEV_ERROR : worst;
	cand.anomalies = report_flow_anomalies(f) + info->nfailures;
	cand.nfails = info->nfailures;
	for (uint32_t i = 0; i < info->nfailures && i < HTML_MAX_FAILS; i++)
		cand.fails[i] = info->failures[i];
	if (hs->npicks < hs->pick_cap) {
		slot = &hs->picks[hs->npicks++];
	} else {
		size_t w = 0;

		for (size_t i = 1; i < hs->npicks; i++)
			if (pick_better(&hs->picks[w], &hs->picks[i]))
				w = i;
		if (!pick_better(&cand, &hs->picks[w]))
			return 0;
		slot = &hs->picks[w];
	}
	memcpy(slot, &cand, sizeof(cand));
	return 0;
}

static int html_flow(struct report_ctx *rc, const struct flow_record *f,
		     const struct report_flow_info *info)
{
	struct html_state *hs = rc->priv;
	struct html_row *r;
	int worst = worst_severity(f);
	int64_t syn, est;

	if (!report_flow_listed(rc, f, info))
		return 0;
	if (!grow((void **)&hs->rows, &hs->rows_cap, hs->nrows,
		  sizeof(*hs->rows)))
		return -1;
	r = &hs->rows[hs->nrows++];
	memset(r, 0, sizeof(*r));
	r->id = f->id;
	r->input = f->input;
	r->start_ns = f->start_ns;
	r->end_ns = f->end_ns;
	r->packets = f->packets;
	r->anomalies = report_flow_anomalies(f);
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		if (f->anomaly_counts[t])
			r->types |= 1ULL << t;
	r->tuple = f->tuple;
	for (int role = 0; role < 2; role++)
		r->state[role] = f->ep[role].state;
	r->handshake = f->handshake;
	r->close = f->close;
	r->closer = f->active_closer;
	r->worst = (int8_t)(info->nfailures && worst < SEV_ERROR ? SEV_ERROR
								 : worst);
	r->failed = info->failed;
	syn = state_ts(f, ROLE_CLIENT, TCP_ST_SYN_SENT);
	est = state_ts(f, ROLE_SERVER, TCP_ST_ESTABLISHED);
	r->rtt_ns = f->handshake == HS_COMPLETE && syn >= 0 && est >= syn
			    ? est - syn
			    : -1;

	if (f->capture_point < CAPTURE_POINT_COUNT)
		hs->by_point[f->capture_point]++;
	for (int a = 0; a < ARTEFACT_COUNT; a++)
		if (f->artefacts & (1u << a))
			hs->by_artefact[a]++;
	if (f->active_closer < CLOSER_COUNT)
		hs->by_closer[f->active_closer]++;
	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		if (hs->nmarks >= HTML_MAX_MARKS) {
			hs->marks_dropped++;
			continue;
		}
		if (!grow((void **)&hs->marks, &hs->marks_cap, hs->nmarks,
			  sizeof(*hs->marks)))
			return -1;
		hs->marks[hs->nmarks].ts_ns = f->anomalies[i].ts_ns;
		hs->marks[hs->nmarks++].sev = f->anomalies[i].severity;
	}
	if (r->anomalies || info->nfailures) {
		hs->flagged++;
		return html_pick_add(hs, f, info, worst);
	}
	return 0;
}

static bool html_second_pass(struct report_ctx *rc)
{
	struct html_state *hs = rc->priv;

	if (!hs || hs->npicks == 0 || hs->set)
		return false;
	hs->set = ladder_set_new();
	if (!hs->set)
		return false;
	ladder_set_cap(hs->set, HTML_MAX_SEGS);
	for (size_t i = 0; i < hs->npicks; i++)
		if (ladder_set_add(hs->set, &hs->picks[i].rec) != 0) {
			ladder_set_free(hs->set);
			hs->set = NULL;
			return false;
		}
	hs->second_pass = true;
	return true;
}

static int html_packet(struct report_ctx *rc, uint32_t input,
		       const struct pkt_view *pkt, uint64_t frame,
		       int64_t ts_ns)
{
	struct html_state *hs = rc->priv;

	if (!hs || !hs->set)
		return 0;
	return ladder_set_packet(hs->set, input, pkt, frame, ts_ns);
}

/* ---- the page ---- */

static const char html_css[] =
	":root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--mut:#5a5a5a;--line:#cfd2d6;--pan:#f3f4f6;"
	"--syn:#0072b2;--fin:#a0457e;--rst:#c75400;--err:#c75400;--warn:#a87300;--info:#0072b2;--ok:#00785a;"
	"--link:#005f9e;--s-hs:#a9d6f2;--s-est:#8ad6bc;--s-cl:#f2ca7a;--s-cw:#f0a070;--s-tw:#dcb0cf;--s-off:#e0e0e0}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#16181c;--fg:#e4e4e4;--mut:#a4a4a4;--line:#454951;--pan:#22252b;"
	"--syn:#56b4e9;--fin:#e3a1cd;--rst:#ff8f45;--err:#ff8f45;--warn:#f0e442;--info:#56b4e9;--ok:#3fcf9e;"
	"--link:#80c6f5;--s-hs:#2d6a8e;--s-est:#1d7458;--s-cl:#85661d;--s-cw:#93461c;--s-tw:#744667;--s-off:#3a3d44}}\n"
	"@media print{:root{color-scheme:light;--bg:#fff;--fg:#000;--mut:#444;--line:#999;--pan:#fff;"
	"--syn:#0072b2;--fin:#a0457e;--rst:#c75400;--err:#c75400;--warn:#a87300;--info:#0072b2;--ok:#00785a;"
	"--link:#000;--s-hs:#a9d6f2;--s-est:#8ad6bc;--s-cl:#f2ca7a;--s-cw:#f0a070;--s-tw:#dcb0cf;--s-off:#e0e0e0}"
	".ctl,nav,.fold{display:none!important}#flowtab tr[hidden]{display:table-row}svg{break-inside:avoid}"
	"details.flow>summary{list-style:none}body{max-width:none}}\n"
	"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",sans-serif;background:var(--bg);color:var(--fg);"
	"margin:0 auto;max-width:1120px;padding:0 18px 48px}\n"
	"a{color:var(--link)}h1{font-size:1.6em;margin:.8em 0 .2em}h2{border-bottom:2px solid var(--line);"
	"padding-bottom:.2em;margin-top:1.8em}h3{margin:1.2em 0 .4em}h4{margin:1em 0 .3em;color:var(--mut)}\n"
	"nav{position:sticky;top:0;background:var(--bg);padding:.4em 0;border-bottom:1px solid var(--line);z-index:1}"
	"nav a{margin-right:1.2em}\n"
	"table{border-collapse:collapse;margin:.4em 0}th,td{padding:2px 9px;border-bottom:1px solid var(--line);"
	"text-align:left;vertical-align:top}th{background:var(--pan)}td.n,th.n{text-align:right}\n"
	"#flowtab{font-size:13px;font-variant-numeric:tabular-nums}#flowtab th{cursor:pointer;user-select:none}"
	"#flowtab th[aria-sort=ascending]::after{content:\" \\25b2\"}#flowtab th[aria-sort=descending]::after{content:\" \\25bc\"}\n"
	".cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:var(--pan);padding:8px 14px;border-radius:6px;min-width:120px}"
	".card b{display:block;font-size:1.5em}\n"
	".e,.sev-error{color:var(--err)}.w,.sev-warning{color:var(--warn)}.i,.sev-info{color:var(--info)}"
	"tr.e,tr.w,tr.i{color:inherit}tr.e td:last-child{color:var(--err);font-weight:600}"
	"tr.w td:last-child{color:var(--warn);font-weight:600}tr.i td:last-child{color:var(--info)}"
	".tabs{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}svg .rl{text-anchor:end}\n"
	".ctl{margin:.5em 0;display:flex;flex-wrap:wrap;gap:10px;align-items:center}.ctl input[type=search]{min-width:22em}"
	".note-box{background:var(--pan);padding:6px 12px;border-left:4px solid var(--warn)}\n"
	"details.flow{border:1px solid var(--line);border-radius:6px;padding:4px 14px 12px;margin:14px 0}"
	"details.flow>summary{cursor:pointer}details.flow>summary h3{display:inline;font-size:1.05em}\n"
	".facts{color:var(--mut);margin:.3em 0}ul.anoms{padding-left:1.2em;margin:.4em 0}ul.anoms li{margin:.2em 0}\n"
	".fig{overflow-x:auto}svg{display:block;font:12px ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace}"
	"svg text{fill:var(--fg)}\n"
	".life{stroke:var(--mut);stroke-width:2}.seg line{stroke:var(--fg);stroke-width:1.3}.seg polygon{fill:var(--fg)}"
	".seg.data line{stroke-width:2.4}.seg.syn line{stroke:var(--syn)}.seg.syn polygon,.seg.syn .lbl{fill:var(--syn)}"
	".seg.fin line{stroke:var(--fin)}.seg.fin polygon,.seg.fin .lbl{fill:var(--fin)}"
	".seg.rst line{stroke:var(--rst);stroke-dasharray:7 3}.seg.rst polygon,.seg.rst .lbl{fill:var(--rst)}\n"
	".fr,.tm,.stl,.hd{text-anchor:end}.who,.addr,.lbl,.gap{text-anchor:middle}.fr,.tm,.hd,.addr,.dim,.why,.gap,.tick{fill:var(--mut)}"
	".st,.who{font-weight:bold}.addr{font-size:11px}.gap{font-style:italic}\n"
	".mark.err rect{fill:var(--err)}.mark.warn polygon{fill:var(--warn);stroke:var(--fg);stroke-width:.6}.mark.info circle{fill:var(--info)}"
	".anom.err .note{fill:var(--err)}\n"
	".sb rect{stroke:var(--bg);stroke-width:1}.sb text{font-size:11px}"
	".s-SYN_SENT rect,.s-SYN_RECEIVED rect{fill:var(--s-hs)}.s-ESTABLISHED rect{fill:var(--s-est)}"
	".s-FIN_WAIT_1 rect,.s-FIN_WAIT_2 rect,.s-CLOSING rect,.s-LAST_ACK rect{fill:var(--s-cl)}"
	".s-CLOSE_WAIT rect{fill:var(--s-cw)}.s-TIME_WAIT rect{fill:var(--s-tw)}"
	".s-CLOSED rect,.s-LISTEN rect,.s-UNKNOWN rect{fill:var(--s-off)}\n"
	".axis{stroke:var(--mut)}.tick{font-size:11px}.tick.end{text-anchor:end}"
	".dseg path{stroke:var(--syn);stroke-width:1.5;fill:none}.dseg.rtx path{stroke:var(--rst);stroke-width:2.6}"
	".dseg text{fill:var(--rst);font-size:10px}.ackl polyline{stroke:var(--ok);fill:none;stroke-width:1.5}"
	".rwin polyline{stroke:var(--warn);fill:none;stroke-dasharray:4 3}.zwin path{stroke:var(--rst);stroke-width:2}\n"
	".b-open{fill:var(--syn)}.b-clean{fill:var(--ok)}.b-reset{fill:var(--rst)}.b-other{fill:var(--mut)}"
	".b-err{fill:var(--err)}.b-warn{fill:var(--warn)}.b-info{fill:var(--info)}.lane{fill:var(--fg);font-weight:bold}"
	".legend{font-size:11px}.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin:0 .3em 0 .8em}\n";

/* Sorting, filtering and paging of the flow table; folding the flows.
 * Without it every row and section shows. */
static const char html_js[] =
	"(function(){var d=document,h=d.documentElement;h.setAttribute('data-js','on');\n"
	"window.addEventListener('error',function(e){h.setAttribute('data-js-error',String(e.message))});\n"
	"var t=d.getElementById('flowtab');if(t){var tb=t.tBodies[0],rows=[].slice.call(tb.rows),shown=rows,page=0,per=100;\n"
	"rows.forEach(function(r){r._k=r.textContent.toLowerCase()});\n"
	"var q=d.getElementById('q'),only=d.getElementById('only'),info=d.getElementById('pginfo');\n"
	"function draw(){var n=Math.max(1,Math.ceil(shown.length/per));if(page>=n)page=n-1;if(page<0)page=0;\n"
	"var a=page*per;rows.forEach(function(r){r.hidden=true});for(var i=a;i<a+per&&i<shown.length;i++)shown[i].hidden=false;\n"
	"info.textContent=shown.length+' of '+rows.length+' rows; page '+(page+1)+' of '+n}\n"
	"function apply(){var s=q.value.toLowerCase(),o=only.checked;shown=rows.filter(function(r){return(!o||r.className)&&r._k.indexOf(s)>=0});page=0;draw()}\n"
	"q.addEventListener('input',apply);only.addEventListener('change',apply);\n"
	"d.getElementById('prev').addEventListener('click',function(){page--;draw()});\n"
	"d.getElementById('next').addEventListener('click',function(){page++;draw()});\n"
	"[].forEach.call(t.tHead.rows[0].cells,function(th,c){th.addEventListener('click',function(){\n"
	"var up=th.getAttribute('aria-sort')!=='ascending';[].forEach.call(t.tHead.rows[0].cells,function(x){x.removeAttribute('aria-sort')});\n"
	"th.setAttribute('aria-sort',up?'ascending':'descending');\n"
	"function key(r){var s=r.cells[c].textContent,v=parseFloat(s);return isNaN(v)||!/^-?[0-9.]/.test(s)?s:v}\n"
	"var ks=new Map();rows.forEach(function(r){ks.set(r,key(r))});\n"
	"rows.sort(function(x,y){var a=ks.get(x),b=ks.get(y),r=typeof a===typeof b?(a<b?-1:a>b?1:0):(typeof a==='number'?-1:1);return up?r:-r});\n"
	"var f=d.createDocumentFragment();rows.forEach(function(r){f.appendChild(r)});tb.appendChild(f);apply()})});\n"
	"d.getElementById('tabctl').hidden=false;draw()}\n"
	"var fc=d.getElementById('foldctl');if(fc){fc.hidden=false;\n"
	"function fold(o){[].forEach.call(d.querySelectorAll('details.flow'),function(x){x.open=o})}\n"
	"d.getElementById('foldall').addEventListener('click',function(){fold(false)});\n"
	"d.getElementById('openall').addEventListener('click',function(){fold(true)})}\n"
	"h.setAttribute('data-js-done','1')})();\n";

static void put_u64(FILE *o, uint64_t v)
{
	fprintf(o, "%llu", (unsigned long long)v);
}

/* "12:34:56.789" of a capture time (local, as html_format_time). */
static void short_time(int64_t ts_ns, char *buf, size_t len)
{
	char full[64];

	html_format_time(ts_ns, full, sizeof(full));
	if (strlen(full) >= 23)
		snprintf(buf, len, "%.12s", full + 11);
	else
		snprintf(buf, len, "%s", full);
}

static const char *sev_letter(int sev)
{
	switch (sev) {
	case SEV_ERROR:
		return "e";
	case SEV_WARNING:
		return "w";
	case SEV_INFO:
		return "i";
	default:
		return "";
	}
}

static void html_head(struct report_ctx *rc, FILE *o)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"tcplint ",
	      o);
	report_markup_esc(o, rc->set.version ? rc->set.version : "?");
	fputs("\">\n<title>tcplint report: ", o);
	for (uint32_t i = 0; i < rc->set.ninput_names && i < 3; i++) {
		if (i)
			fputs(", ", o);
		report_markup_esc(o, report_input_name(rc, i));
	}
	if (rc->set.ninput_names > 3)
		fprintf(o, " and %u more", rc->set.ninput_names - 3);
	fputs("</title>\n<style>\n", o);
	fputs(html_css, o);
	fputs("</style>\n</head>\n<body>\n", o);
}

static void card(FILE *o, const char *label, uint64_t v, const char *cls)
{
	fprintf(o, "<div class=\"card%s%s\"><b>%llu</b>%s</div>",
		cls[0] ? " " : "", cls, (unsigned long long)v, label);
}

static void html_inputs(struct report_ctx *rc, FILE *o)
{
	fputs("<h3 id=\"inputs\">Inputs</h3>\n<table><thead><tr><th>file</th><th>link type</th>"
	      "<th class=\"n\">packets</th><th class=\"n\">TCP</th><th class=\"n\">decode errors</th>"
	      "<th>problem</th></tr></thead><tbody>\n",
	      o);
	for (uint32_t i = 0; i < rc->ninputs; i++) {
		const struct input_record *in = &rc->inputs[i];

		fputs("<tr><td>", o);
		report_markup_esc(o, in->file ? in->file : "?");
		fputs("</td><td>", o);
		report_markup_esc(o, in->dlt >= 0 ? capture_dlt_name(in->dlt)
						  : "-");
		fprintf(o,
			"</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td><td class=\"n\">%llu",
			(unsigned long long)in->packets,
			(unsigned long long)in->tcp_packets,
			(unsigned long long)in->decode_errors);
		{
			const char *sep = " (";

			for (int k = DK_IP_FRAGMENT + 1; k < DECODE_KIND_COUNT;
			     k++)
				if (in->kinds[k]) {
					fprintf(o, "%s%s %llu", sep,
						decode_kind_name(k),
						(unsigned long long)
							in->kinds[k]);
					sep = ", ";
				}
			if (sep[0] == ',')
				fputc(')', o);
		}
		fputs("</td><td>", o);
		if (in->failed || in->error[0])
			report_markup_esc(o,
					  in->error[0] ? in->error : "stopped");
		fputs("</td></tr>\n", o);
	}
	fputs("</tbody></table>\n", o);
}

/* A two-column table of counts by name, the empty ones left out. */
static void count_table(FILE *o, const char *what, const uint64_t *counts,
			int n, const char *(*name)(int))
{
	fprintf(o,
		"<table><thead><tr><th>%s</th><th class=\"n\">flows</th></tr></thead><tbody>",
		what);
	for (int i = 0; i < n; i++)
		if (counts[i])
			fprintf(o,
				"<tr><td>%s</td><td class=\"n\">%llu</td></tr>",
				name(i), (unsigned long long)counts[i]);
	fputs("</tbody></table>\n", o);
}

static const char *hs_name(int i)
{
	return handshake_verdict_name(i);
}
static const char *cl_name(int i)
{
	return close_verdict_name(i);
}
static const char *closer_n(int i)
{
	return closer_name(i);
}
static const char *point_name(int i)
{
	return capture_point_name(i);
}
static const char *art_name(int i)
{
	return artefact_name(i);
}

static void html_totals(struct report_ctx *rc, FILE *o,
			const struct report_end_info *end)
{
	const struct report_totals *t = &rc->totals;
	struct html_state *hs = rc->priv;

	fputs("<div class=\"cards\">", o);
	card(o, "flows", t->flows, "");
	card(o, "with anomalies", t->flows_with_anomalies,
	     t->flows_with_anomalies ? "w" : "");
	card(o, "anomalies", t->anomalies_total, "");
	card(o, "errors", t->by_severity[SEV_ERROR],
	     t->by_severity[SEV_ERROR] ? "e" : "");
	card(o, "warnings", t->by_severity[SEV_WARNING],
	     t->by_severity[SEV_WARNING] ? "w" : "");
	card(o, "packets", rc->packets, "");
	card(o, "decode errors", rc->decode_errors,
	     rc->decode_errors ? "w" : "");
	fputs("</div>\n<p>", o);
	fprintf(o, "Findings: %llu anomal%s matched --fail-on ",
		(unsigned long long)t->findings,
		t->findings == 1 ? "y" : "ies");
	report_markup_esc(o, end->fail_on ? end->fail_on : "none");
	if (end->expect_used)
		fprintf(o, "; %u expectation%s checked %llu times, %llu broken",
			end->expectations, end->expectations == 1 ? "" : "s",
			(unsigned long long)end->expect_checks,
			(unsigned long long)(t->expect_failures +
					     end->nglobal_failures));
	if (end->baseline) {
		fputs("; baseline ", o);
		report_markup_esc(o, end->baseline);
		fprintf(o, " suppressed %llu known anomal%s",
			(unsigned long long)end->baseline_suppressed,
			end->baseline_suppressed == 1 ? "y" : "ies");
	}
	if (end->evictions)
		fprintf(o,
			"; %llu flows were reported early because the flow table was full",
			(unsigned long long)end->evictions);
	fprintf(o, ". Exit code %d.</p>\n", end->exit_code);
	for (uint32_t i = 0; i < end->nglobal_failures; i++) {
		fprintf(o, "<p class=\"e\">expectation line %u, ",
			end->global_failures[i].line);
		report_markup_esc(o, end->global_failures[i].rule);
		fputs(": ", o);
		report_markup_esc(o, end->global_failures[i].message);
		fputs("</p>\n", o);
	}

	fputs("<h3 id=\"verdicts\">Verdicts</h3>\n<div class=\"tabs\">", o);
	count_table(o, "handshake", t->by_handshake, HANDSHAKE_VERDICT_COUNT,
		    hs_name);
	count_table(o, "close", t->by_close, CLOSE_VERDICT_COUNT, cl_name);
	count_table(o, "active closer", hs->by_closer, CLOSER_COUNT, closer_n);
	fputs("</div>\n<h3 id=\"anomalies\">Anomalies by type</h3>\n", o);
	if (t->anomalies_total == 0) {
		fputs("<p>None.</p>\n", o);
	} else {
		fputs("<table><thead><tr><th>type</th><th>severity</th><th class=\"n\">count</th><th>what it is</th></tr></thead><tbody>\n",
		      o);
		for (int sev = SEVERITY_COUNT - 1; sev >= 0; sev--)
			for (int i = 0; i < ANOMALY_TYPE_COUNT; i++) {
				if (!t->anomalies[i] ||
				    (int)anomaly_type_severity(i) != sev)
					continue;
				fprintf(o,
					"<tr><td>%s</td><td class=\"sev-%s\">%s</td><td class=\"n\">%llu</td><td>",
					anomaly_type_name(i),
					severity_name(sev), severity_name(sev),
					(unsigned long long)t->anomalies[i]);
				report_markup_esc(o, anomaly_type_summary(i));
				fputs("</td></tr>\n", o);
			}
		fputs("</tbody></table>\n", o);
	}
	fputs("<h3 id=\"capture\">Capture point and artefacts</h3>\n<p>Where the capture sat, as each "
	      "handshake's timing shows it, and what the capture itself did to the packets "
	      "(docs/ANOMALIES.md, \"Capture artefacts\").</p>\n<div class=\"tabs\">",
	      o);
	count_table(o, "capture point", hs->by_point, CAPTURE_POINT_COUNT,
		    point_name);
	count_table(o, "artefact", hs->by_artefact, ARTEFACT_COUNT, art_name);
	fputs("</div>\n", o);
}

/* ---- services ---- */

/* The order of two flows' servers (address, then port). */
static int server_cmp(const struct tuple *a, const struct tuple *b)
{
	if (a->ip_version != b->ip_version)
		return a->ip_version < b->ip_version ? -1 : 1;
	if (memcmp(a->dst, b->dst, 16) != 0)
		return memcmp(a->dst, b->dst, 16);
	return a->dport < b->dport ? -1 : a->dport > b->dport;
}

static int row_srv_cmp(const void *pa, const void *pb)
{
	const struct html_row *a = *(const struct html_row *const *)pa;
	const struct html_row *b = *(const struct html_row *const *)pb;

	return server_cmp(&a->tuple, &b->tuple);
}

static int i64_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

/* Nearest-rank percentile p (1-100) of v[0..n-1], sorted. */
static int64_t pct(const int64_t *v, size_t n, unsigned p)
{
	size_t k = (n * p + 99) / 100;

	return v[k ? k - 1 : 0];
}

struct html_service {
	const struct html_row
		*first; /* its rows are by[first_i .. first_i + n) */
	size_t at, n;
	uint64_t complete, refused, reset, linger, flagged;
};

static int svc_cmp(const void *pa, const void *pb)
{
	const struct html_service *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return server_cmp(&a->first->tuple, &b->first->tuple);
}

/* Percentiles of one service's handshake RTTs (ms) or durations (s). */
static void svc_pcts(FILE *o, const struct html_row *const *by, size_t at,
		     size_t n, bool rtt, int64_t *tmp)
{
	static const unsigned ps_rtt[] = {50, 90}, ps_dur[] = {50, 90, 99};
	const unsigned *ps = rtt ? ps_rtt : ps_dur;
	size_t np = rtt ? 2 : 3, m = 0;

	for (size_t i = 0; i < n; i++) {
		const struct html_row *r = by[at + i];

		if (rtt && r->rtt_ns >= 0)
			tmp[m++] = r->rtt_ns;
		else if (!rtt)
			tmp[m++] = html_ns_sub(r->end_ns, r->start_ns);
	}
	qsort(tmp, m, sizeof(*tmp), i64_cmp);
	for (size_t k = 0; k < np; k++) {
		if (m == 0)
			fputs("<td class=\"n\">-</td>", o);
		else if (rtt)
			fprintf(o, "<td class=\"n\">%.3f</td>",
				(double)pct(tmp, m, ps[k]) / 1e6);
		else
			fprintf(o, "<td class=\"n\">%.3f</td>",
				(double)pct(tmp, m, ps[k]) / 1e9);
	}
}

static int html_services(struct report_ctx *rc, FILE *o)
{
	struct html_state *hs = rc->priv;
	const struct html_row **by;
	struct html_service *sv;
	int64_t *tmp;
	size_t nsv = 0;

	fputs("<h3 id=\"services\">Services</h3>\n", o);
	if (hs->nrows == 0) {
		fputs("<p>No flows.</p>\n", o);
		return 0;
	}
	by = calloc(hs->nrows, sizeof(*by));
	sv = calloc(hs->nrows, sizeof(*sv));
	tmp = calloc(hs->nrows, sizeof(*tmp));
	if (!by || !sv || !tmp) {
		free(by);
		free(sv);
		free(tmp);
		return -1;
	}
	for (size_t i = 0; i < hs->nrows; i++)
		by[i] = &hs->rows[i];
	qsort(by, hs->nrows, sizeof(*by), row_srv_cmp);
	for (size_t i = 0; i < hs->nrows; i++) {
		const struct html_row *r = by[i];
		struct html_service *s;

		if (nsv == 0 ||
		    server_cmp(&sv[nsv - 1].first->tuple, &r->tuple) != 0) {
			s = &sv[nsv++];
			s->first = r;
			s->at = i;
		}
		s = &sv[nsv - 1];
		s->n++;
		s->complete += r->handshake == HS_COMPLETE ||
			       r->handshake == HS_SIMULTANEOUS_OPEN;
		s->refused += r->handshake == HS_REJECTED ||
			      r->handshake == HS_UNANSWERED;
		s->reset += r->close == CLOSE_RESET;
		s->linger += (r->types >> ANOM_LINGERING_CLOSE_WAIT) & 1;
		s->flagged += r->worst >= 0;
	}
	qsort(sv, nsv, sizeof(*sv), svc_cmp);
	fprintf(o,
		"<p>%zu server address%s and port%s, by connections%s. Handshake RTT: from the client's SYN to "
		"the ACK of the SYN-ACK, as the capture saw them (ms); duration: first to last segment (s); "
		"percentiles by nearest rank.</p>\n",
		nsv, nsv == 1 ? "" : "es", nsv == 1 ? "" : "s",
		nsv > HTML_MAX_SERVICES ? "; the first " : "");
	if (nsv > HTML_MAX_SERVICES)
		fprintf(o,
			"<p>The table shows the %d with the most connections.</p>\n",
			HTML_MAX_SERVICES);
	fputs("<table><thead><tr><th>server</th><th class=\"n\">connections</th><th class=\"n\">opened</th>"
	      "<th class=\"n\">refused or unanswered</th><th class=\"n\">reset</th><th class=\"n\">lingering CLOSE_WAIT</th>"
	      "<th class=\"n\">with findings</th><th class=\"n\">RTT p50</th><th class=\"n\">RTT p90</th>"
	      "<th class=\"n\">duration p50</th><th class=\"n\">p90</th><th class=\"n\">p99</th></tr></thead><tbody>\n",
	      o);
	for (size_t i = 0; i < nsv && i < HTML_MAX_SERVICES; i++) {
		const struct html_service *s = &sv[i];
		char ep[64];

		report_format_endpoint(&s->first->tuple, TUPLE_DST, ep,
				       sizeof(ep));
		fputs("<tr><td>", o);
		report_markup_esc(o, ep);
		fprintf(o,
			"</td><td class=\"n\">%zu</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
			"<td class=\"n\">%llu</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>",
			s->n, (unsigned long long)s->complete,
			(unsigned long long)s->refused,
			(unsigned long long)s->reset,
			(unsigned long long)s->linger,
			(unsigned long long)s->flagged);
		svc_pcts(o, by, s->at, s->n, true, tmp);
		svc_pcts(o, by, s->at, s->n, false, tmp);
		fputs("</tr>\n", o);
	}
	fputs("</tbody></table>\n", o);
	free(by);
	free(sv);
	free(tmp);
	return 0;
}

/* ---- the timeline of the capture ---- */

#define TL_X0 96.0
#define TL_X1 896.0
#define TL_LANE 46.0

enum {
	TB_OPEN,
	TB_CLEAN,
	TB_RESET,
	TB_OTHER,
	TB_ERR,
	TB_WARN,
	TB_INFO,
	TB_COUNT
};

static const char *const tb_class[TB_COUNT] = {
	"b-open", "b-clean", "b-reset", "b-other", "b-err", "b-warn", "b-info",
};
static const char *const tb_words[TB_COUNT] = {
	"connections opened",
	"closed cleanly",
	"ended by a reset or refused",
	"ended otherwise (still open, half closed, unanswered)",
	"error anomalies",
	"warning anomalies",
	"info anomalies",
};

static int bin_of(int64_t t, int64_t t0, int64_t span)
{
	int64_t b = html_ns_sub(t, t0) / (span / HTML_BINS + 1);

	if (b < 0)
		return 0;
	return b >= HTML_BINS ? HTML_BINS - 1 : (int)b;
}

/* When column b begins. */
static int64_t bin_start(int64_t t0, int64_t width_ns, int b)
{
	int64_t off;

	if (__builtin_mul_overflow(width_ns, (int64_t)b, &off))
		off = INT64_MAX;
	return html_ns_add(t0, off);
}

/* One lane: stacked bars of the kinds [k0, k1). */
static void tl_lane(FILE *o, uint32_t (*bins)[TB_COUNT], int k0, int k1,
		    double y, const char *name, int64_t t0, int64_t width_ns)
{
	uint32_t max = 1;
	double bw = (TL_X1 - TL_X0) / HTML_BINS;

	for (int b = 0; b < HTML_BINS; b++) {
		uint32_t sum = 0;

		for (int k = k0; k < k1; k++)
			sum += bins[b][k];
		if (sum > max)
			max = sum;
	}
	fprintf(o, "<text class=\"lane\" x=\"4\" y=\"%.1f\">%s</text>",
		y + TL_LANE / 2.0, name);
	fprintf(o, "<text class=\"tick\" x=\"4\" y=\"%.1f\">max %u</text>",
		y + TL_LANE / 2.0 + 14.0, max);
	fprintf(o,
		"<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		TL_X0, y + TL_LANE, TL_X1, y + TL_LANE);
	for (int b = 0; b < HTML_BINS; b++) {
		double base = y + TL_LANE;

		for (int k = k0; k < k1; k++) {
			double hgt;
			char from[32], to[32];

			if (!bins[b][k])
				continue;
			hgt = (TL_LANE - 4.0) * bins[b][k] / max;
			if (hgt < 1.5)
				hgt = 1.5;
			base -= hgt;
			short_time(bin_start(t0, width_ns, b), from,
				   sizeof(from));
			short_time(bin_start(t0, width_ns, b + 1), to,
				   sizeof(to));
			fprintf(o,
				"<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s-%s: %u %s</title></rect>",
				tb_class[k], TL_X0 + b * bw, base, bw - 0.5,
				hgt, from, to, bins[b][k], tb_words[k]);
		}
	}
}

static int html_timeline(struct report_ctx *rc, FILE *o)
{
	struct html_state *hs = rc->priv;
	uint32_t(*bins)[TB_COUNT];
	int64_t t0 = INT64_MAX, t1 = INT64_MIN, span, width_ns;
	char a[64], b[64];

	fputs("<h3 id=\"timeline\">Timeline</h3>\n", o);
	for (size_t i = 0; i < hs->nrows; i++) {
		if (hs->rows[i].start_ns < t0)
			t0 = hs->rows[i].start_ns;
		if (hs->rows[i].end_ns > t1)
			t1 = hs->rows[i].end_ns;
	}
	if (hs->nrows == 0) {
		fputs("<p>No flows.</p>\n", o);
		return 0;
	}
	bins = calloc(HTML_BINS, sizeof(*bins));
	if (!bins)
		return -1;
	span = t1 > t0 ? html_ns_sub(t1, t0) : 1;
	width_ns = span / HTML_BINS + 1;
	for (size_t i = 0; i < hs->nrows; i++) {
		const struct html_row *r = &hs->rows[i];
		int k;

		bins[bin_of(r->start_ns, t0, span)][TB_OPEN]++;
		if (r->close == CLOSE_FOUR_WAY || r->close == CLOSE_THREE_WAY ||
		    r->close == CLOSE_SIMULTANEOUS)
			k = TB_CLEAN;
		else if (r->close == CLOSE_RESET || r->handshake == HS_REJECTED)
			k = TB_RESET;
		else
			k = TB_OTHER;
		bins[bin_of(r->end_ns, t0, span)][k]++;
	}
	for (size_t i = 0; i < hs->nmarks; i++) {
		int sev = hs->marks[i].sev;
		int k = sev == SEV_ERROR     ? TB_ERR
			: sev == SEV_WARNING ? TB_WARN
					     : TB_INFO;

		bins[bin_of(hs->marks[i].ts_ns, t0, span)][k]++;
	}
	html_format_time(t0, a, sizeof(a));
	html_format_time(t1, b, sizeof(b));
	fputs("<p>From ", o);
	report_markup_esc(o, a);
	fputs(" to ", o);
	report_markup_esc(o, b);
	fprintf(o,
		" (%.3f s), in %d columns of %.6f s. Hover a bar for its time and count.",
		(double)span / 1e9, HTML_BINS, (double)width_ns / 1e9);
	if (hs->marks_dropped)
		fprintf(o, " %llu anomalies past the first %u are not shown.",
			(unsigned long long)hs->marks_dropped, HTML_MAX_MARKS);
	fputs("</p>\n<div class=\"fig\"><svg class=\"tl\" width=\"900\" height=\"196\" viewBox=\"0 0 900 196\">"
	      "<title>Timeline of the capture: connections opened, connections ended by how, and anomalies by severity</title>",
	      o);
	tl_lane(o, bins, TB_OPEN, TB_CLEAN, 4.0, "opened", t0, width_ns);
	tl_lane(o, bins, TB_CLEAN, TB_ERR, 4.0 + TL_LANE + 12.0, "ended", t0,
		width_ns);
	tl_lane(o, bins, TB_ERR, TB_COUNT, 4.0 + 2 * (TL_LANE + 12.0),
		"anomalies", t0, width_ns);
	for (int i = 0; i <= 4; i++) {
		char tick[32];
		double x = TL_X0 + (TL_X1 - TL_X0) * i / 4.0;

		short_time(html_ns_add(t0, span / 4 * i), tick, sizeof(tick));
		fprintf(o,
			"<text class=\"tick%s\" x=\"%.1f\" y=\"190\">%s</text>",
			i == 4 ? " end" : "",
			i == 0   ? x
			: i == 4 ? x
				 : x - 36.0,
			tick);
	}
	fputs("</svg></div>\n<p class=\"legend\">", o);
	for (int k = 0; k < TB_COUNT; k++)
		fprintf(o,
			"<svg class=\"key\" viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect class=\"%s\" width=\"10\" height=\"10\"/></svg>%s ",
			tb_class[k], tb_words[k]);
	fputs("</p>\n", o);
	free(bins);
	return 0;
}

/* ---- the flow table ---- */

static int row_cmp(const void *pa, const void *pb)
{
	const struct html_row *a = pa, *b = pb;

	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* "3: missing_ack, retransmission" (how many, of which types), or "". */
static void row_anomalies(FILE *o, const struct html_row *r)
{
	const char *sep = ": ";

	if (!r->anomalies)
		return;
	fprintf(o, "%u", r->anomalies);
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++) {
		if (!((r->types >> t) & 1))
			continue;
		fprintf(o, "%s%s", sep, anomaly_type_name(t));
		sep = ", ";
	}
}

static int pick_cmp(const void *pa, const void *pb)
{
	const struct html_pick *a = *(const struct html_pick *const *)pa;
	const struct html_pick *b = *(const struct html_pick *const *)pb;

	if (a->rec.input != b->rec.input)
		return a->rec.input < b->rec.input ? -1 : 1;
	return a->rec.id < b->rec.id ? -1 : a->rec.id > b->rec.id;
}

static void html_table(struct report_ctx *rc, FILE *o,
		       const struct html_pick *const *sorted)
{
	struct html_state *hs = rc->priv;
	bool inputs = rc->set.ninput_names > 1;
	size_t listed = 0, k = 0;

	/* Rows with findings first when not all fit, then the others, each in
	 * the capture's order. */
	for (size_t i = 0; i < hs->nrows && listed < HTML_TABLE_MAX; i++)
		if (hs->nrows <= HTML_TABLE_MAX || hs->rows[i].worst >= 0) {
			hs->rows[i].listed = true;
			listed++;
		}
	for (size_t i = 0; i < hs->nrows && listed < HTML_TABLE_MAX; i++)
		if (!hs->rows[i].listed) {
			hs->rows[i].listed = true;
			listed++;
		}
	fputs("<h2 id=\"flows\">Flows</h2>\n", o);
	fprintf(o, "<p>%zu flow%s", hs->nrows, hs->nrows == 1 ? "" : "s");
	if (rc->set.only_anomalies)
		fputs(" with anomalies or broken expectations (--only-anomalies)",
		      o);
	if (listed < hs->nrows)
		fprintf(o,
			"; the table lists %zu of them: every flow with findings it can hold, then the others in the "
			"capture's order (the JSON report lists every flow)",
			listed);
	fputs(". The flow number is tshark's tcp.stream for a single input; a linked number has a section "
	      "below. Durations in seconds.</p>\n",
	      o);
	fputs("<div class=\"ctl\" id=\"tabctl\" hidden><input type=\"search\" id=\"q\" placeholder=\"filter: address, verdict, state, anomaly\" aria-label=\"filter the flows\">"
	      "<label><input type=\"checkbox\" id=\"only\"> only flows with findings</label>"
	      "<button type=\"button\" id=\"prev\">previous</button><button type=\"button\" id=\"next\">next</button>"
	      "<span id=\"pginfo\"></span> <span class=\"tick\">click a heading to sort</span></div>\n",
	      o);
	fprintf(o,
		"<div class=\"fig\"><table id=\"flowtab\"><thead><tr><th>flow</th>%s<th>client</th><th>server</th><th>handshake</th>"
		"<th>close</th><th>closer</th><th>client state</th><th>server state</th><th>packets</th>"
		"<th>duration</th><th>anomalies</th><th>worst</th></tr></thead><tbody>\n",
		inputs ? "<th>input</th>" : "");
	for (size_t i = 0; i < hs->nrows; i++) {
		const struct html_row *r = &hs->rows[i];
		const struct html_pick *p = NULL;
		char ep[2][64];

		if (!r->listed)
			continue;
		/* rows and picks are both in (input, id) order */
		while (k < hs->npicks && (sorted[k]->rec.input < r->input ||
					  (sorted[k]->rec.input == r->input &&
					   sorted[k]->rec.id < r->id)))
			k++;
		if (k < hs->npicks && sorted[k]->rec.input == r->input &&
		    sorted[k]->rec.id == r->id)
			p = sorted[k];
		report_format_endpoint(&r->tuple, TUPLE_SRC, ep[0],
				       sizeof(ep[0]));
		report_format_endpoint(&r->tuple, TUPLE_DST, ep[1],
				       sizeof(ep[1]));
		fprintf(o, "<tr%s%s%s><td>", r->worst >= 0 ? " class=\"" : "",
			sev_letter(r->worst), r->worst >= 0 ? "\"" : "");
		if (p)
			fprintf(o, "<a href=\"#f%u-%llu\">%llu</a>", r->input,
				(unsigned long long)r->id,
				(unsigned long long)r->id);
		else
			put_u64(o, r->id);
		if (inputs) {
			fputs("<td>", o);
			report_markup_esc(o, report_input_name(rc, r->input));
		}
		fputs("<td>", o);
		report_markup_esc(o, ep[0]);
		fputs("<td>", o);
		report_markup_esc(o, ep[1]);
		fprintf(o, "<td>%s<td>%s<td>%s<td>%s<td>%s<td>%llu<td>%.3f<td>",
			handshake_verdict_name(r->handshake),
			close_verdict_name(r->close), closer_name(r->closer),
			tcp_state_name(r->state[0]),
			tcp_state_name(r->state[1]),
			(unsigned long long)r->packets,
			(double)html_ns_sub(r->end_ns, r->start_ns) / 1e9);
		row_anomalies(o, r);
		fprintf(o, "<td>%s\n",
			r->worst >= 0 ? severity_name(r->worst) : "");
	}
	fputs("</tbody></table></div>\n", o);
}

/* ---- the flows with findings ---- */

static void html_flow_facts(struct report_ctx *rc, FILE *o,
			    const struct flow_record *f)
{
	char when[64];

	html_format_time(f->start_ns, when, sizeof(when));
	fputs("<p class=\"facts\">", o);
	if (rc->set.ninput_names > 1) {
		fputs("input ", o);
		report_markup_esc(o, report_input_name(rc, f->input));
		fputs(" &middot; ", o);
	}
	fprintf(o,
		"handshake %s &middot; close %s &middot; active closer %s &middot; frames %llu-%llu &middot; "
		"%llu packets &middot; %.6f s &middot; started ",
		handshake_verdict_name(f->handshake),
		close_verdict_name(f->close), closer_name(f->active_closer),
		(unsigned long long)f->first_frame,
		(unsigned long long)f->last_frame,
		(unsigned long long)f->packets,
		(double)html_ns_sub(f->end_ns, f->start_ns) / 1e9);
	report_markup_esc(o, when);
	if (f->client_by_port)
		fputs(" &middot; no SYN seen: the client is the side with the higher, ephemeral port",
		      o);
	if (f->capture_point != CAPTURE_UNKNOWN &&
	    f->capture_point < CAPTURE_POINT_COUNT)
		fprintf(o, " &middot; captured %s",
			capture_point_name(f->capture_point));
	if (f->artefacts) {
		fputs(" &middot; capture artefacts:", o);
		for (int i = 0; i < ARTEFACT_COUNT; i++)
			if (f->artefacts & (1u << i))
				fprintf(o, " %s", artefact_name(i));
	}
	if (f->evicted)
		fputs(" &middot; reported early: the flow table was full", o);
	if (f->drops_during)
		fputs(" &middot; the capture dropped packets during this flow",
		      o);
	fputs("</p>\n", o);
}

static void html_flow_findings(FILE *o, const struct html_pick *p)
{
	const struct flow_record *f = &p->rec;

	uint16_t order[FLOW_MAX_ANOMALIES], n = 0;

	/* In frame order (the record keeps them in the order found). */
	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		uint16_t k = n++;

		while (k > 0 && f->anomalies[order[k - 1]].frame >
					f->anomalies[i].frame) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}
	fputs("<ul class=\"anoms\">\n", o);
	for (uint16_t i = 0; i < n; i++) {
		const struct anomaly *a = &f->anomalies[order[i]];
		char msg[512];

		anomaly_describe(f, a, msg, sizeof(msg));
		fprintf(o,
			"<li class=\"sev-%s\"><b>%s %s</b> (frame %llu, %s confidence): ",
			severity_name(a->severity), severity_name(a->severity),
			anomaly_type_name(a->type),
			(unsigned long long)a->frame,
			confidence_name(a->confidence));
		report_markup_esc(o, msg);
		fputs("</li>\n", o);
	}
	if (f->anomalies_dropped)
		fprintf(o, "<li>%u more anomalies, counted but not kept</li>\n",
			f->anomalies_dropped);
	for (uint32_t i = 0; i < p->nfails && i < HTML_MAX_FAILS; i++) {
		fprintf(o,
			"<li class=\"sev-error\"><b>expectation broken</b> (line %u) ",
			p->fails[i].line);
		report_markup_esc(o, p->fails[i].rule);
		fputs(": ", o);
		report_markup_esc(o, p->fails[i].message);
		fputs("</li>\n", o);
	}
	if (p->nfails > HTML_MAX_FAILS)
		fprintf(o, "<li>%u more broken expectations</li>\n",
			p->nfails - HTML_MAX_FAILS);
	fputs("</ul>\n", o);
}

static void html_flow_section(struct report_ctx *rc, FILE *o,
			      const struct html_pick *p,
			      const struct ladder_seg *segs, size_t nsegs,
			      uint64_t dropped)
{
	struct html_state *hs = rc->priv;
	const struct flow_record *f = &p->rec;
	struct html_draw_opts dopt = {.explain = rc->set.explain};
	char ep[2][64];

	report_format_endpoint(&f->tuple, TUPLE_SRC, ep[0], sizeof(ep[0]));
	report_format_endpoint(&f->tuple, TUPLE_DST, ep[1], sizeof(ep[1]));
	fprintf(o,
		"<details class=\"flow\" id=\"f%u-%llu\" open><summary><h3>flow %llu</h3> ",
		f->input, (unsigned long long)f->id, (unsigned long long)f->id);
	report_markup_esc(o, ep[0]);
	fputs(" &rarr; ", o);
	report_markup_esc(o, ep[1]);
	fprintf(o,
		" <span class=\"sev-%s\">%s</span>, %u finding%s</summary>\n",
		severity_name(p->worst), severity_name(p->worst), p->anomalies,
		p->anomalies == 1 ? "" : "s");
	html_flow_facts(rc, o, f);
	html_flow_findings(o, p);
	if (nsegs == 0) {
		fputs("<p class=\"note-box\">No segments to draw: ", o);
		if (strcmp(report_input_name(rc, f->input), "-") == 0)
			fputs("standard input is read once, and the pictures need a second read. Save the capture to a file to see them.",
			      o);
		else if (!hs->second_pass)
			fputs("the input was not read a second time.", o);
		else
			fputs("the second read of the input found none of this flow's segments.",
			      o);
		fputs("</p>\n", o);
	} else {
		fputs("<h4>Sequence diagram</h4>\n<div class=\"fig\">", o);
		html_svg_sequence(o, f, segs, nsegs, dropped, &dopt);
		fputs("</div>\n", o);
	}
	fputs("<h4>States</h4>\n<div class=\"fig\">", o);
	html_svg_states(o, f);
	fputs("</div>\n", o);
	for (int role = 0; role < 2; role++)
		if (html_has_data(segs, nsegs, role)) {
			fprintf(o,
				"<h4>Time-sequence graph: what the %s sent</h4>\n<div class=\"fig\">",
				role == ROLE_CLIENT ? "client" : "server");
			html_svg_tsg(o, f, segs, nsegs, role);
			fputs("</div>\n", o);
		}
	fputs("</details>\n", o);
}

static void html_sections(struct report_ctx *rc, FILE *o,
			  const struct html_pick *const *sorted)
{
	struct html_state *hs = rc->priv;

	fputs("<h2 id=\"findings\">Flows with findings</h2>\n", o);
	if (hs->flagged == 0) {
		fputs("<p>No flow has an anomaly or a broken expectation.</p>\n",
		      o);
		return;
	}
	if (hs->flagged > hs->npicks)
		fprintf(o,
			"<p class=\"note-box\">%zu of the %llu flows with findings are drawn: the worst first "
			"(error before warning, then the most anomalies); --top N draws N (at most %d).</p>\n",
			hs->npicks, (unsigned long long)hs->flagged,
			REPORT_TOP_MAX);
	fputs("<p>Each arrow is a segment: tcpdump's flags, sequence and acknowledgment numbers relative to "
	      "each side's initial sequence number, payload length; frame numbers as in Wireshark. The state "
	      "each endpoint enters is written beside its line (hover it for the reason, RFC 9293); "
	      "\u25a0 error, \u25b2 warning, \u25cf info mark the anomalies at their frames.</p>\n"
	      "<div class=\"ctl fold\" id=\"foldctl\" hidden><button type=\"button\" id=\"foldall\">fold all</button>"
	      "<button type=\"button\" id=\"openall\">unfold all</button></div>\n",
	      o);
	for (size_t i = 0; i < hs->npicks; i++) {
		const struct html_pick *p = sorted[i];
		const struct ladder_seg *segs = NULL;
		size_t nsegs = 0;
		uint64_t dropped = 0;

		if (hs->set)
			ladder_set_flow(hs->set, (size_t)(p - hs->picks), &segs,
					&nsegs, &dropped);
		html_flow_section(rc, o, p, segs, nsegs, dropped);
	}
}

static int html_end(struct report_ctx *rc, const struct report_end_info *end)
{
	struct html_state *hs = rc->priv;
	FILE *o = rc->out;
	const struct html_pick **sorted = NULL;
	int ret = 0;

	if (hs->npicks) {
		sorted = calloc(hs->npicks, sizeof(*sorted));
		if (!sorted)
			return -1;
		for (size_t i = 0; i < hs->npicks; i++)
			sorted[i] = &hs->picks[i];
		qsort(sorted, hs->npicks, sizeof(*sorted), pick_cmp);
	}
	if (hs->nrows)
		qsort(hs->rows, hs->nrows, sizeof(*hs->rows), row_cmp);
	html_head(rc, o);
	fputs("<header><h1>tcplint report</h1>\n<p>", o);
	fprintf(o, "tcplint %s ",
		rc->set.command ? rc->set.command : "analyze");
	for (uint32_t i = 0; i < rc->set.ninput_names; i++) {
		if (i)
			fputs(", ", o);
		report_markup_esc(o, report_input_name(rc, i));
	}
	if (rc->set.shard_count)
		fprintf(o, " (shard %u of %u)", rc->set.shard_index,
			rc->set.shard_count);
	fputs(" &middot; tcplint ", o);
	report_markup_esc(o, rc->set.version ? rc->set.version : "?");
	fputs("</p></header>\n<nav><a href=\"#overview\">Overview</a><a href=\"#services\">Services</a>"
	      "<a href=\"#timeline\">Timeline</a><a href=\"#flows\">Flows</a><a href=\"#findings\">Findings</a></nav>\n"
	      "<main>\n<h2 id=\"overview\">Overview</h2>\n",
	      o);
	html_inputs(rc, o);
	fputs("<h3 id=\"totals\">Totals</h3>\n", o);
	html_totals(rc, o, end);
	if (html_services(rc, o) != 0 || html_timeline(rc, o) != 0)
		ret = -1;
	if (ret == 0) {
		html_table(rc, o, sorted);
		html_sections(rc, o, sorted);
	}
	fputs("</main>\n<script>\n", o);
	fputs(html_js, o);
	fputs("</script>\n</body>\n</html>\n", o);
	free(sorted);
	return ret;
}

const struct report_ops report_html_ops = {
	.name = "html",
	.summary =
		"one self-contained HTML page: overview, flow table, diagrams",
	.begin = html_begin,
	.flow = html_flow,
	.end = html_end,
	.free = html_free,
	.second_pass = html_second_pass,
	.packet = html_packet,
};
