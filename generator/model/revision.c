#include "revision.h"

#include <stdlib.h>
#include <string.h>

#include "page.h"

void revision_clear(struct revision *r)
{
	page_free(r->page);
	free(r->title);
	wdiff_free(&r->diff);
	memset(r, 0, sizeof(*r));
}
