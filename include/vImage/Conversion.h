/* <vImage/Conversion.h> for vimage: the functions are declared by vimage.h; this file adds the
 * names Apple defines as macros (other channel orders of exported functions). */
#ifndef VIMAGE_CONVERSION_H
#define VIMAGE_CONVERSION_H

#include "../vimage.h"

/* ---- channel operations ---- */
/* None: Apple defines no macro names for permute, overwrite, select, extract, fill, copy, table
 * lookup, clip or byte swap; every one of them is an exported function declared by vimage.h. */


/* ---- dropping / adding the fourth channel, interleave / de-interleave ---- */


/* ---- depth and range ---- */


/* ---- packed 16-bit and 10-bit formats ---- */


/* ---- flatten ---- */


#endif /* VIMAGE_CONVERSION_H */
