/* <vImage/Conversion.h> for vimage: the functions are declared by vimage.h; this file adds the
 * names Apple defines as macros (other channel orders of exported functions). */
#ifndef VIMAGE_CONVERSION_H
#define VIMAGE_CONVERSION_H

#include "../vimage.h"

/* ---- channel operations ---- */


/* ---- dropping / adding the fourth channel, interleave / de-interleave ---- */


/* ---- depth and range ---- */
#define vImageConvert_Planar8ToRGBXFFFF(_red, _green, _blue, _alpha, _dest, _maxFloat, _minFloat, _flags) \
  vImageConvert_Planar8ToBGRXFFFF((_red), (_green), (_blue), (_alpha), (_dest), (_maxFloat), (_minFloat), (_flags))
#define vImageConvert_PlanarFToRGBX8888(_red, _green, _blue, _alpha, _dest, _maxFloat, _minFloat, _flags) \
  vImageConvert_PlanarFToBGRX8888((_red), (_green), (_blue), (_alpha), (_dest), (_maxFloat), (_minFloat), (_flags))


/* ---- packed 16-bit and 10-bit formats ---- */
#define vImageConvert_BGRA5551toBGRA8888(_src, _dest, _flags) vImageConvert_RGBA5551toRGBA8888((_src), (_dest), (_flags))
#define vImageConvert_BGRA8888toBGRA5551(_src, _dest, _flags) vImageConvert_RGBA8888toRGBA5551((_src), (_dest), (_flags))
#define vImageConvert_BGRA8888toBGRA5551_dithered(_src, _dest, _tempBuffer, _dither, _flags) \
  vImageConvert_RGBA8888toRGBA5551_dithered((_src), (_dest), (_tempBuffer), (_dither), (_flags))


/* ---- flatten ---- */


#endif /* VIMAGE_CONVERSION_H */
