/* <vImage/Conversion.h> for vimage: the functions are declared by vimage.h; this file adds the
 * names Apple defines as macros (other channel orders of exported functions). */
#ifndef VIMAGE_CONVERSION_H
#define VIMAGE_CONVERSION_H

#include "../vimage.h"

/* ---- channel operations ---- */
/* None: Apple defines no macro names for permute, overwrite, select, extract, fill, copy, table
 * lookup, clip or byte swap; every one of them is an exported function declared by vimage.h. */


/* ---- dropping / adding the fourth channel, interleave / de-interleave ---- */
#define vImageConvert_RGBA8888toBGR888(_rgbaSrc, _bgrDest, _flags) \
    vImageConvert_BGRA8888toRGB888((_rgbaSrc), (_bgrDest), (_flags))
#define vImageConvert_BGRA8888toBGR888(_bgraSrc, _bgrDest, _flags) \
    vImageConvert_RGBA8888toRGB888((_bgraSrc), (_bgrDest), (_flags))
#define vImageConvert_BGR888toBGRA8888(_bgrSrc, _aSrc, _alpha, _bgraDest, _premultiply, _flags) \
    vImageConvert_RGB888toRGBA8888((_bgrSrc), (_aSrc), (_alpha), (_bgraDest), (_premultiply), (_flags))
#define vImageConvert_BGR888toRGBA8888(_bgrSrc, _aSrc, _alpha, _rgbaDest, _premultiply, _flags) \
    vImageConvert_RGB888toBGRA8888((_bgrSrc), (_aSrc), (_alpha), (_rgbaDest), (_premultiply), (_flags))
#define vImageConvert_BGRFFFtoBGRAFFFF(_bgrSrc, _aSrc, _alpha, _bgraDest, _premultiply, _flags) \
    vImageConvert_RGBFFFtoRGBAFFFF((_bgrSrc), (_aSrc), (_alpha), (_bgraDest), (_premultiply), (_flags))
#define vImageConvert_BGRFFFtoRGBAFFFF(_bgrSrc, _aSrc, _alpha, _rgbaDest, _premultiply, _flags) \
    vImageConvert_RGBFFFtoBGRAFFFF((_bgrSrc), (_aSrc), (_alpha), (_rgbaDest), (_premultiply), (_flags))
#define vImageConvert_RGBA8888toPlanar8(_src, _red, _green, _blue, _alpha, _flags) \
    vImageConvert_ARGB8888toPlanar8((_src), (_red), (_green), (_blue), (_alpha), (_flags))
#define vImageConvert_BGRA8888toPlanar8(_src, _blue, _green, _red, _alpha, _flags) \
    vImageConvert_ARGB8888toPlanar8((_src), (_blue), (_green), (_red), (_alpha), (_flags))
#define vImageConvert_RGBAFFFFtoPlanarF(_src, _red, _green, _blue, _alpha, _flags) \
    vImageConvert_ARGBFFFFtoPlanarF((_src), (_red), (_green), (_blue), (_alpha), (_flags))
#define vImageConvert_BGRAFFFFtoPlanarF(_src, _blue, _green, _red, _alpha, _flags) \
    vImageConvert_ARGBFFFFtoPlanarF((_src), (_blue), (_green), (_red), (_alpha), (_flags))
#define vImageConvert_Planar8ToRGBX8888(_red, _green, _blue, _alpha, _dest, _flags) \
    vImageConvert_Planar8ToBGRX8888((_red), (_green), (_blue), (_alpha), (_dest), (_flags))
#define vImageConvert_PlanarFToRGBXFFFF(_red, _green, _blue, _alpha, _dest, _flags) \
    vImageConvert_PlanarFToBGRXFFFF((_red), (_green), (_blue), (_alpha), (_dest), (_flags))
#define vImageConvert_RGBX8888ToPlanar8(_src, _red, _green, _blue, _flags) \
    vImageConvert_BGRX8888ToPlanar8((_src), (_red), (_green), (_blue), (_flags))
#define vImageConvert_RGBXFFFFToPlanarF(_src, _red, _green, _blue, _flags) \
    vImageConvert_BGRXFFFFToPlanarF((_src), (_red), (_green), (_blue), (_flags))


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
#define vImageFlatten_BGRA8888ToBGR888(_bgra8888Src, _bgr888Dest, _backgroundColor, _isImagePremultiplied, _flags) \
  vImageFlatten_RGBA8888ToRGB888((_bgra8888Src), (_bgr888Dest), (_backgroundColor), (_isImagePremultiplied), (_flags))
#define vImageFlatten_RGBA8888ToBGR888(_rgba8888Src, _bgr888Dest, _backgroundColor, _isImagePremultiplied, _flags) \
  vImageFlatten_BGRA8888ToRGB888((_rgba8888Src), (_bgr888Dest), (_backgroundColor), (_isImagePremultiplied), (_flags))
#define vImageFlatten_BGRAFFFFToBGRFFF(_bgraFFFFSrc, _bgrFFFDest, _backgroundColor, _isImagePremultiplied, _flags) \
  vImageFlatten_RGBAFFFFToRGBFFF((_bgraFFFFSrc), (_bgrFFFDest), (_backgroundColor), (_isImagePremultiplied), (_flags))
#define vImageFlatten_RGBAFFFFToBGRFFF(_rgbaFFFFSrc, _bgrFFFDest, _backgroundColor, _isImagePremultiplied, _flags) \
  vImageFlatten_BGRAFFFFToRGBFFF((_rgbaFFFFSrc), (_bgrFFFDest), (_backgroundColor), (_isImagePremultiplied), (_flags))


#endif /* VIMAGE_CONVERSION_H */
