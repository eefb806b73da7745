/* A text progress bar on stderr for long kernels, and the throttled
 * interrupt check that goes with it. The bar appears only when enabled and
 * only once a run has lasted a second, so short runs stay silent. Call
 * progress_tick() from the kernel's loop: it checks for Ctrl-C about every
 * `every` calls (the kernel picks `every` so that this is a few times a
 * second at most and costs nothing measurable), and redraws the bar at
 * most every 0.25 s. Kernels allocate only with R_alloc, so an interrupt
 * leaks nothing. */
#ifndef DLNPATH_PROGRESS_H
#define DLNPATH_PROGRESS_H

typedef struct {
    int enabled, shown, every, count;
    double t0, last;
    const char *label;
} progress_bar;

void progress_init(progress_bar *pb, const char *label, int enabled, int every);
/* fraction done in [0, 1] */
void progress_tick(progress_bar *pb, double fraction);
void progress_done(progress_bar *pb);

#endif
