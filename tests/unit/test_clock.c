#include <criterion/criterion.h>
#include <time.h>

#include "clock.h"

Test(clock, wall_clock_moves_forward_by_the_time_slept)
{
	double t0 = clock_wall();
	const struct timespec pause = { 0, 50 * 1000 * 1000 };
	nanosleep(&pause, NULL);
	double dt = clock_wall() - t0;
	cr_assert_geq(dt, 0.049, "slept 50 ms, the clock moved %.4f s", dt);
	cr_assert_lt(dt, 5.0, "slept 50 ms, the clock moved %.4f s", dt);
}

Test(clock, wall_clock_never_goes_back)
{
	double last = clock_wall();
	for (int i = 0; i < 100000; i++) {
		double t = clock_wall();
		cr_assert_geq(t, last, "call %d: %.9f after %.9f", i, t, last);
		last = t;
	}
}

Test(clock, cpu_clock_counts_work_not_sleep)
{
	double c0 = clock_cpu();
	cr_assert_gt(c0, 0, "the process has used CPU to get here");
	const struct timespec pause = { 0, 100 * 1000 * 1000 };
	nanosleep(&pause, NULL);
	double slept = clock_cpu() - c0;
	cr_assert_lt(slept, 0.05, "sleeping 100 ms cost %.4f CPU s", slept);
	/* Work: the CPU clock reaches 20 ms of it (a machine busy with other
	 * tests gives this process less of each wall second, hence the cap). */
	double c1 = clock_cpu(), w1 = clock_wall();
	volatile unsigned long x = 0;
	while (clock_cpu() - c1 < 0.02 && clock_wall() - w1 < 10)
		x++;
	cr_assert_geq(clock_cpu() - c1, 0.02, "%lu rounds in 10 s wall: the CPU clock did not move", x);
}
