/* <vImage/Conversion.h> for vimage: the functions are declared by vimage.h; this file adds the
 * names Apple defines as macros (other channel orders of exported functions). */
#ifndef VIMAGE_CONVERSION_H
#define VIMAGE_CONVERSION_H

#include "../vimage.h"

/* ---- channel operations ---- */


/* ---- dropping / adding the fourth channel, interleave / de-interleave ---- */


/* ---- depth and range ---- */


/* ---- packed 16-bit and 10-bit formats ---- */
#define vImageConvert_BGRA5551toBGRA8888(_src, _dest, _flags) vImageConvert_RGBA5551toRGBA8888((_src), (_dest), (_flags))
#define vImageConvert_BGRA8888toBGRA5551(_src, _dest, _flags) vImageConvert_RGBA8888toRGBA5551((_src), (_dest), (_flags))


/* ---- flatten ---- */


#endif /* VIMAGE_CONVERSION_H */
