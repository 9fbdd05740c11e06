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
#define vImageFlatten_BGRA8888ToBGR888(_bgra8888Src, _bgr888Dest, _backgroundColor, _isImagePremultiplied, _flags) \
  vImageFlatten_RGBA8888ToRGB888((_bgra8888Src), (_bgr888Dest), (_backgroundColor), (_isImagePremultiplied), (_flags))
#define vImageFlatten_RGBA8888ToBGR888(_rgba8888Src, _bgr888Dest, _backgroundColor, _isImagePremultiplied, _flags) \
  vImageFlatten_BGRA8888ToRGB888((_rgba8888Src), (_bgr888Dest), (_backgroundColor), (_isImagePremultiplied), (_flags))
#define vImageFlatten_BGRAFFFFToBGRFFF(_bgraFFFFSrc, _bgrFFFDest, _backgroundColor, _isImagePremultiplied, _flags) \
  vImageFlatten_RGBAFFFFToRGBFFF((_bgraFFFFSrc), (_bgrFFFDest), (_backgroundColor), (_isImagePremultiplied), (_flags))
#define vImageFlatten_RGBAFFFFToBGRFFF(_rgbaFFFFSrc, _bgrFFFDest, _backgroundColor, _isImagePremultiplied, _flags) \
  vImageFlatten_BGRAFFFFToRGBFFF((_rgbaFFFFSrc), (_bgrFFFDest), (_backgroundColor), (_isImagePremultiplied), (_flags))


#endif /* VIMAGE_CONVERSION_H */
