#include <R.h>
#include <R_ext/Utils.h>
#include <time.h>
#include "progress.h"

#define BAR_WIDTH 30

static double seconds(void)
{
    return (double) clock() / CLOCKS_PER_SEC;
}

void progress_init(progress_bar *pb, const char *label, int enabled, int every)
{
    pb->enabled = enabled;
    pb->shown = 0;
    pb->every = every > 0 ? every : 1;
    pb->count = 0;
    pb->label = label;
    pb->t0 = pb->last = seconds();
}

static void draw(progress_bar *pb, double fraction, double now)
{
    char bar[BAR_WIDTH + 1];
    int filled = (int) (fraction * BAR_WIDTH);
    if (filled > BAR_WIDTH) filled = BAR_WIDTH;
    for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < filled ? '=' : ' ';
    bar[BAR_WIDTH] = '\0';
    double elapsed = now - pb->t0;
    double eta = fraction > 0.0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
    REprintf("\r%s |%s| %3d%%  %.0f s left   ", pb->label, bar,
             (int) (100.0 * fraction), eta);
    pb->shown = 1;
    pb->last = now;
}

void progress_tick(progress_bar *pb, double fraction)
{
    if (++pb->count < pb->every) return;
    pb->count = 0;
    R_CheckUserInterrupt();
    if (!pb->enabled) return;
    double now = seconds();
    if (now - pb->t0 < 1.0 || now - pb->last < 0.25) return;
    draw(pb, fraction < 0.0 ? 0.0 : (fraction > 1.0 ? 1.0 : fraction), now);
}

void progress_done(progress_bar *pb)
{
    if (!pb->shown) return;
    draw(pb, 1.0, seconds());
    REprintf("\n");
}
