/* <vImage/Conversion.h> for vimage: the functions are declared by vimage.h; this file adds the
 * names Apple defines as macros (other channel orders of exported functions). */
#ifndef VIMAGE_CONVERSION_H
#define VIMAGE_CONVERSION_H

#include "../vimage.h"

/* ---- channel operations ---- */


/* ---- dropping / adding the fourth channel, interleave / de-interleave ---- */


/* ---- depth and range ---- */


/* ---- packed 16-bit and 10-bit formats ---- */


/* ---- flatten ---- */


#endif /* VIMAGE_CONVERSION_H */
