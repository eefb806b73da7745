#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include "dlnpath.h"
#include "kernels.h"

/* registered as "name"; useDynLib(.fixes = "C_") makes it C_name in R */
#define CALLDEF(name, n) {#name, (DL_FUNC) &C_##name, n}

static const R_CallMethodDef call_methods[] = {
    CALLDEF(homotopy, 7),
    CALLDEF(gram_matrix, 1),
    CALLDEF(standardize, 3),
    CALLDEF(dln_flow, 15),
    CALLDEF(flow_blas_faster, 0),
    CALLDEF(dln_rhs, 6),
    CALLDEF(dln_gd, 15),
    CALLDEF(matvec_loop, 4),
    CALLDEF(dln_limit, 6),
    CALLDEF(cd_path, 19),
    CALLDEF(col_moments, 4),
    CALLDEF(simd_available, 0),
    {NULL, NULL, 0}
};

void R_init_dlnpath(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
    kern_init();
}
