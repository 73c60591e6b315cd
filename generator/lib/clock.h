/*
 * clock: the program's two clocks, in seconds.
 *
 * Owns reading time for measuring it: phase timings (`build -v`), the
 * seconds a build reports, serve's settling and edit timings, and the
 * Sass sandbox's deadline. The wall clock is CLOCK_MONOTONIC, which a
 * change of the system time does not move; CPU time is the whole
 * process's, every thread's. Dates written into the site come from git
 * and front matter, never from here.
 */
#ifndef DOSSIER_CLOCK_H
#define DOSSIER_CLOCK_H

/* Seconds on the monotonic clock, from an arbitrary origin. */
double clock_wall(void);
/* CPU seconds the process has used so far, on every thread (0 if the
 * system cannot tell). */
double clock_cpu(void);

#endif
