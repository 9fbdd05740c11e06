/* CGImage.h for vimage: the host byte orders, which Apple defines in the header (never exported). */
#ifndef VIMAGE_CG_IMAGE_H
#define VIMAGE_CG_IMAGE_H

#include "../vimage.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define kCGBitmapByteOrder16Host kCGBitmapByteOrder16Big
#define kCGBitmapByteOrder32Host kCGBitmapByteOrder32Big
#else
#define kCGBitmapByteOrder16Host kCGBitmapByteOrder16Little
#define kCGBitmapByteOrder32Host kCGBitmapByteOrder32Little
#endif

#endif /* VIMAGE_CG_IMAGE_H */
