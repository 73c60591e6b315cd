#include "clock.h"

#include <time.h>

static double seconds(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double clock_wall(void)
{
	return seconds(CLOCK_MONOTONIC);
}

double clock_cpu(void)
{
	return seconds(CLOCK_PROCESS_CPUTIME_ID);
}
