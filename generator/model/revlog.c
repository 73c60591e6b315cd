#include "revlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct history_file *)a)->path,
		      ((const struct history_file *)b)->path);
}

bool history_available(const struct history *h)
{
	return h && h->available;
}

const struct history_file *history_find(const struct history *h, const char *path)
{
	if (!h || !path || !h->nfiles)
		return NULL;
	struct history_file key = { .path = (char *)path };
	return bsearch(&key, h->files, h->nfiles, sizeof(key), file_cmp);
}

size_t history_files(const struct history *h, const struct history_file *const **out)
{
	*out = h ? h->filep : NULL;
	return h && h->filep ? h->nfiles : 0;
}

size_t history_all(const struct history *h, const struct history_change *const **out)
{
	*out = h ? h->all : NULL;
	return h && h->all ? h->nall : 0;
}

void history_format_date(const struct history_commit *c, char *date, size_t datesz,
			 char *datetime, size_t datetimesz)
{
	struct tm tm;
	time_t t = (time_t)(c->time + (int64_t)c->offset_min * 60);
	int off = c->offset_min < 0 ? -c->offset_min : c->offset_min;
	bool ok = gmtime_r(&t, &tm) && tm.tm_year >= -1900 && tm.tm_year <= 9999 - 1900;
	if (date && datesz) {
		int n = ok ? snprintf(date, datesz, "%04d-%02d-%02d", tm.tm_year + 1900,
				      tm.tm_mon + 1, tm.tm_mday)
			   : -1;
		if (n < 0 || (size_t)n >= datesz)
			date[0] = '\0';
	}
	if (datetime && datetimesz) {
		int n = ok ? snprintf(datetime, datetimesz, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
				      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				      tm.tm_min, tm.tm_sec, c->offset_min < 0 ? '-' : '+',
				      off / 60 % 100, off % 60)
			   : -1;
		if (n < 0 || (size_t)n >= datetimesz)
			datetime[0] = '\0';
	}
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nfiles; i++) {
		struct history_file *f = &h->files[i];
		for (size_t k = 0; k < f->n; k++) {
			free(f->changes[k].path);
			free(f->changes[k].old_path);
		}
		free(f->changes);
		free(f->path);
	}
	for (size_t i = 0; i < h->ncommits; i++) {
		free(h->commits[i]->author);
		free(h->commits[i]->email);
		free(h->commits[i]->subject);
		free(h->commits[i]);
	}
	free(h->commits);
	free(h->files);
	free(h->filep);
	free(h->all);
	free(h->prefix);
	free(h);
}
