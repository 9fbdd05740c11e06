/*
 * ABI of the headers: struct layouts, scalar widths and signedness, every constant of
 * apple-abi.md §2.3-§2.12, function signatures, and the CGGeometry inline constructors.
 * Most checks are compile-time; a mismatch stops the build of this program.
 */
#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <stdalign.h>
#include <stddef.h>

#include "check.h"

/* ---- struct layouts (§2.2, §3) ---------------------------------------------------------- */

_Static_assert(sizeof(vImage_Buffer) == 32, "vImage_Buffer size");
_Static_assert(alignof(vImage_Buffer) == 8, "vImage_Buffer alignment");
_Static_assert(offsetof(vImage_Buffer, data) == 0, "vImage_Buffer.data");
_Static_assert(offsetof(vImage_Buffer, height) == 8, "vImage_Buffer.height");
_Static_assert(offsetof(vImage_Buffer, width) == 16, "vImage_Buffer.width");
_Static_assert(offsetof(vImage_Buffer, rowBytes) == 24, "vImage_Buffer.rowBytes");

_Static_assert(sizeof(vImage_CGImageFormat) == 40, "vImage_CGImageFormat size");
_Static_assert(alignof(vImage_CGImageFormat) == 8, "vImage_CGImageFormat alignment");
_Static_assert(offsetof(vImage_CGImageFormat, bitsPerComponent) == 0, "bitsPerComponent");
_Static_assert(offsetof(vImage_CGImageFormat, bitsPerPixel) == 4, "bitsPerPixel");
_Static_assert(offsetof(vImage_CGImageFormat, colorSpace) == 8, "colorSpace");
_Static_assert(offsetof(vImage_CGImageFormat, bitmapInfo) == 16, "bitmapInfo");
_Static_assert(offsetof(vImage_CGImageFormat, version) == 20, "version");
_Static_assert(offsetof(vImage_CGImageFormat, decode) == 24, "decode");
_Static_assert(offsetof(vImage_CGImageFormat, renderingIntent) == 32, "renderingIntent");

_Static_assert(sizeof(CGPoint) == 16 && alignof(CGPoint) == 8, "CGPoint");
_Static_assert(offsetof(CGPoint, x) == 0 && offsetof(CGPoint, y) == 8, "CGPoint fields");
_Static_assert(sizeof(CGSize) == 16 && alignof(CGSize) == 8, "CGSize");
_Static_assert(offsetof(CGSize, width) == 0 && offsetof(CGSize, height) == 8, "CGSize fields");
_Static_assert(sizeof(CGRect) == 32 && alignof(CGRect) == 8, "CGRect");
_Static_assert(offsetof(CGRect, origin) == 0 && offsetof(CGRect, size) == 16, "CGRect fields");
_Static_assert(sizeof(CFRange) == 16 && alignof(CFRange) == 8, "CFRange");
_Static_assert(offsetof(CFRange, location) == 0 && offsetof(CFRange, length) == 8,
               "CFRange fields");

/* ---- scalar widths and signedness (§2.1) ------------------------------------------------ */

#define IS_SIGNED(T) (!((T)-1 > (T)0))

_Static_assert(sizeof(Boolean) == 1 && !IS_SIGNED(Boolean), "Boolean is unsigned char");
_Static_assert(sizeof(UInt8) == 1 && !IS_SIGNED(UInt8), "UInt8");
_Static_assert(sizeof(CGFloat) == 8, "CGFloat is double on LP64");
_Static_assert(sizeof(vImage_Error) == 8 && IS_SIGNED(vImage_Error), "vImage_Error is ssize_t");
_Static_assert(sizeof(vImage_Flags) == 4 && !IS_SIGNED(vImage_Flags), "vImage_Flags is uint32_t");
_Static_assert(sizeof(vImagePixelCount) == 8 && !IS_SIGNED(vImagePixelCount), "vImagePixelCount");
_Static_assert(sizeof(vImageBufferTypeCode) == 4 && !IS_SIGNED(vImageBufferTypeCode), "type code");
_Static_assert(sizeof(CGBitmapInfo) == 4 && !IS_SIGNED(CGBitmapInfo), "CGBitmapInfo");
_Static_assert(sizeof(CGImageAlphaInfo) == 4 && !IS_SIGNED(CGImageAlphaInfo), "alpha info");
_Static_assert(sizeof(CGImageByteOrderInfo) == 4 && !IS_SIGNED(CGImageByteOrderInfo), "order");
_Static_assert(sizeof(CGImagePixelFormatInfo) == 4 && !IS_SIGNED(CGImagePixelFormatInfo), "pf");
_Static_assert(sizeof(CGColorRenderingIntent) == 4 && IS_SIGNED(CGColorRenderingIntent), "intent");
_Static_assert(sizeof(CGColorSpaceModel) == 4 && IS_SIGNED(CGColorSpaceModel), "model");
_Static_assert(sizeof(CFIndex) == 8 && IS_SIGNED(CFIndex), "CFIndex is signed long");
_Static_assert(sizeof(CFTypeID) == 8 && !IS_SIGNED(CFTypeID), "CFTypeID is unsigned long");
_Static_assert(sizeof(CFOptionFlags) == 8 && !IS_SIGNED(CFOptionFlags), "CFOptionFlags");
_Static_assert(sizeof(CFHashCode) == 8 && !IS_SIGNED(CFHashCode), "CFHashCode");
_Static_assert(sizeof(CFStringEncoding) == 4, "CFStringEncoding");
_Static_assert(sizeof(CFTypeRef) == 8 && sizeof(CGImageRef) == 8, "references are pointers");

/* ---- vImage_Flags (§2.3) ------------------------------------------------------------------ */

_Static_assert(kvImageNoFlags == 0, "");
_Static_assert(kvImageLeaveAlphaUnchanged == 1, "");
_Static_assert(kvImageCopyInPlace == 2, "");
_Static_assert(kvImageBackgroundColorFill == 4, "");
_Static_assert(kvImageEdgeExtend == 8, "");
_Static_assert(kvImageDoNotTile == 16, "");
_Static_assert(kvImageHighQualityResampling == 32, "");
_Static_assert(kvImageTruncateKernel == 64, "");
_Static_assert(kvImageGetTempBufferSize == 128, "");
_Static_assert(kvImagePrintDiagnosticsToConsole == 256, "");
_Static_assert(kvImageNoAllocate == 512, "");
_Static_assert(kvImageHDRContent == 1024, "");
_Static_assert(kvImageDoNotClamp == 2048, "");
_Static_assert(kvImageUseFP16Accumulator == 4096, "");

/* ---- vImage_Error (§2.4) ------------------------------------------------------------------ */

_Static_assert(kvImageNoError == 0, "");
_Static_assert(kvImageRoiLargerThanInputBuffer == -21766, "");
_Static_assert(kvImageInvalidKernelSize == -21767, "");
_Static_assert(kvImageInvalidEdgeStyle == -21768, "");
_Static_assert(kvImageInvalidOffset_X == -21769, "");
_Static_assert(kvImageInvalidOffset_Y == -21770, "");
_Static_assert(kvImageMemoryAllocationError == -21771, "");
_Static_assert(kvImageNullPointerArgument == -21772, "");
_Static_assert(kvImageInvalidParameter == -21773, "");
_Static_assert(kvImageBufferSizeMismatch == -21774, "");
_Static_assert(kvImageUnknownFlagsBit == -21775, "");
_Static_assert(kvImageInternalError == -21776, "");
_Static_assert(kvImageInvalidRowBytes == -21777, "");
_Static_assert(kvImageInvalidImageFormat == -21778, "");
_Static_assert(kvImageColorSyncIsAbsent == -21779, "");
_Static_assert(kvImageOutOfPlaceOperationRequired == -21780, "");
_Static_assert(kvImageInvalidImageObject == -21781, "");
_Static_assert(kvImageInvalidCVImageFormat == -21782, "");
_Static_assert(kvImageUnsupportedConversion == -21783, "");
_Static_assert(kvImageCoreVideoIsAbsent == -21784, "");
/* Negative codes must behave as values in expressions, like Apple's enum constants. */
_Static_assert(0 - kvImageNullPointerArgument == 21772, "negative constants are parenthesized");

/* ---- vImageBufferTypeCode (§2.5) ---------------------------------------------------------- */

_Static_assert(kvImageBufferTypeCode_EndOfList == 0, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel1 == 1, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel2 == 2, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel3 == 3, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel4 == 4, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel5 == 5, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel6 == 6, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel7 == 7, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel8 == 8, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel9 == 9, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel10 == 10, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel11 == 11, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel12 == 12, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel13 == 13, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel14 == 14, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel15 == 15, "");
_Static_assert(kvImageBufferTypeCode_ColorSpaceChannel16 == 16, "");
_Static_assert(kvImageBufferTypeCode_Alpha == 17, "");
_Static_assert(kvImageBufferTypeCode_Indexed == 18, "");
_Static_assert(kvImageBufferTypeCode_CVPixelBuffer_YCbCr == 19, "");
_Static_assert(kvImageBufferTypeCode_Luminance == 20, "");
_Static_assert(kvImageBufferTypeCode_Chroma == 21, "");
_Static_assert(kvImageBufferTypeCode_Cb == 22, "");
_Static_assert(kvImageBufferTypeCode_Cr == 23, "");
_Static_assert(kvImageBufferTypeCode_CGFormat == 24, "");
_Static_assert(kvImageBufferTypeCode_Chunky == 25, "");
_Static_assert(kvImageBufferTypeCode_UniqueFormatCount == 26, "");
_Static_assert(kvImageBufferTypeCode_Monochrome == 1, "");
_Static_assert(kvImageBufferTypeCode_RGB_Red == 1, "");
_Static_assert(kvImageBufferTypeCode_RGB_Green == 2, "");
_Static_assert(kvImageBufferTypeCode_RGB_Blue == 3, "");
_Static_assert(kvImageBufferTypeCode_CMYK_Cyan == 1, "");
_Static_assert(kvImageBufferTypeCode_CMYK_Magenta == 2, "");
_Static_assert(kvImageBufferTypeCode_CMYK_Yellow == 3, "");
_Static_assert(kvImageBufferTypeCode_CMYK_Black == 4, "");
_Static_assert(kvImageBufferTypeCode_XYZ_X == 1, "");
_Static_assert(kvImageBufferTypeCode_XYZ_Y == 2, "");
_Static_assert(kvImageBufferTypeCode_XYZ_Z == 3, "");
_Static_assert(kvImageBufferTypeCode_LAB_L == 1, "");
_Static_assert(kvImageBufferTypeCode_LAB_A == 2, "");
_Static_assert(kvImageBufferTypeCode_LAB_B == 3, "");

/* ---- CGImageAlphaInfo (§2.6) -------------------------------------------------------------- */

_Static_assert(kCGImageAlphaNone == 0, "");
_Static_assert(kCGImageAlphaPremultipliedLast == 1, "");
_Static_assert(kCGImageAlphaPremultipliedFirst == 2, "");
_Static_assert(kCGImageAlphaLast == 3, "");
_Static_assert(kCGImageAlphaFirst == 4, "");
_Static_assert(kCGImageAlphaNoneSkipLast == 5, "");
_Static_assert(kCGImageAlphaNoneSkipFirst == 6, "");
_Static_assert(kCGImageAlphaOnly == 7, "");

/* ---- CGBitmapInfo (§2.7) ------------------------------------------------------------------ */

_Static_assert(kCGBitmapAlphaInfoMask == 0x1F, "");
_Static_assert(kCGBitmapFloatInfoMask == 0xF00, "");
_Static_assert(kCGBitmapFloatComponents == 0x100, "");
_Static_assert(kCGBitmapByteOrderMask == 0x7000, "");
_Static_assert(kCGBitmapByteOrderDefault == 0, "");
_Static_assert(kCGBitmapByteOrder16Little == 0x1000, "");
_Static_assert(kCGBitmapByteOrder32Little == 0x2000, "");
_Static_assert(kCGBitmapByteOrder16Big == 0x3000, "");
_Static_assert(kCGBitmapByteOrder32Big == 0x4000, "");
_Static_assert(kCGBitmapComponentInfoMask == 0xF00, "");
_Static_assert(kCGBitmapByteOrderInfoMask == 0x7000, "");
_Static_assert(kCGBitmapPixelFormatInfoMask == 0xF0000, "");
#if defined(__x86_64__) || defined(__aarch64__) || \
    (defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
_Static_assert(kCGBitmapByteOrder16Host == kCGBitmapByteOrder16Little, "16Host on little-endian");
_Static_assert(kCGBitmapByteOrder32Host == kCGBitmapByteOrder32Little, "32Host on little-endian");
#endif
#if defined(__x86_64__)
_Static_assert(kCGBitmapByteOrder32Host == 0x2000, "x86-64 is little-endian");
#endif

/* ---- CGImageByteOrderInfo (§2.8) and CGImagePixelFormatInfo (§2.9) ------------------------- */

_Static_assert(kCGImageByteOrderMask == 0x7000, "");
_Static_assert(kCGImageByteOrderDefault == 0, "");
_Static_assert(kCGImageByteOrder16Little == 0x1000, "");
_Static_assert(kCGImageByteOrder32Little == 0x2000, "");
_Static_assert(kCGImageByteOrder16Big == 0x3000, "");
_Static_assert(kCGImageByteOrder32Big == 0x4000, "");
_Static_assert(kCGImagePixelFormatMask == 0xF0000, "");
_Static_assert(kCGImagePixelFormatPacked == 0, "");
_Static_assert(kCGImagePixelFormatRGB555 == 0x10000, "");
_Static_assert(kCGImagePixelFormatRGB565 == 0x20000, "");
_Static_assert(kCGImagePixelFormatRGB101010 == 0x30000, "");
_Static_assert(kCGImagePixelFormatRGBCIF10 == 0x40000, "");

/* CGImageComponentInfo (§2.10, 26 SDK only) is not declared by these headers; should it be
 * added, it must carry Apple's values. */
#ifdef kCGImageComponentFloat
_Static_assert(kCGImageComponentInteger == 0 && kCGImageComponentFloat == 0x100, "");
#endif

/* ---- CGColorRenderingIntent (§2.11) and CGColorSpaceModel (§2.12) ------------------------- */

_Static_assert(kCGRenderingIntentDefault == 0, "");
_Static_assert(kCGRenderingIntentAbsoluteColorimetric == 1, "");
_Static_assert(kCGRenderingIntentRelativeColorimetric == 2, "");
_Static_assert(kCGRenderingIntentPerceptual == 3, "");
_Static_assert(kCGRenderingIntentSaturation == 4, "");
_Static_assert(kCGColorSpaceModelUnknown == -1, "");
_Static_assert(kCGColorSpaceModelMonochrome == 0, "");
_Static_assert(kCGColorSpaceModelRGB == 1, "");
_Static_assert(kCGColorSpaceModelCMYK == 2, "");
_Static_assert(kCGColorSpaceModelLab == 3, "");
_Static_assert(kCGColorSpaceModelDeviceN == 4, "");
_Static_assert(kCGColorSpaceModelIndexed == 5, "");
_Static_assert(kCGColorSpaceModelPattern == 6, "");
_Static_assert(kCGColorSpaceModelXYZ == 7, "");

/* ---- function signatures (§1): an incompatible declaration fails to compile -------------- */

static void signatures(void) {
  CGImageRef (*create)(const vImage_Buffer *, const vImage_CGImageFormat *,
                       void (*)(void *userData, void *buf_data), void *, vImage_Flags,
                       vImage_Error *) = vImageCreateCGImageFromBuffer;
  vImage_Error (*init)(vImage_Buffer *, vImagePixelCount, vImagePixelCount, uint32_t,
                       vImage_Flags) = vImageBuffer_Init;
  CGSize (*get_size)(const vImage_Buffer *) = vImageBuffer_GetSize;
  uint32_t (*count)(const vImage_CGImageFormat *) = vImageCGImageFormat_GetComponentCount;
  Boolean (*equal)(const vImage_CGImageFormat *, const vImage_CGImageFormat *) =
      vImageCGImageFormat_IsEqual;
  vImage_Error (*init_with_image)(vImage_Buffer *, vImage_CGImageFormat *, const CGFloat *,
                                  CGImageRef, vImage_Flags) = vImageBuffer_InitWithCGImage;

  CGImageRef (*image_create)(size_t, size_t, size_t, size_t, size_t, CGColorSpaceRef,
                             CGBitmapInfo, CGDataProviderRef, const CGFloat *, bool,
                             CGColorRenderingIntent) = CGImageCreate;
  CGImageRef (*mask_create)(size_t, size_t, size_t, size_t, size_t, CGDataProviderRef,
                            const CGFloat *, bool) = CGImageMaskCreate;
  CGImageRef (*in_rect)(CGImageRef, CGRect) = CGImageCreateWithImageInRect;
  CGImageRef (*copy)(CGImageRef) = CGImageCreateCopy;
  CGImageRef (*retain)(CGImageRef) = CGImageRetain;
  void (*release)(CGImageRef) = CGImageRelease;
  bool (*is_mask)(CGImageRef) = CGImageIsMask;
  size_t (*width)(CGImageRef) = CGImageGetWidth;
  CGColorSpaceRef (*space)(CGImageRef) = CGImageGetColorSpace;
  CGImageAlphaInfo (*alpha)(CGImageRef) = CGImageGetAlphaInfo;
  CGDataProviderRef (*provider)(CGImageRef) = CGImageGetDataProvider;
  const CGFloat *(*decode)(CGImageRef) = CGImageGetDecode;
  bool (*interpolate)(CGImageRef) = CGImageGetShouldInterpolate;
  CGColorRenderingIntent (*intent)(CGImageRef) = CGImageGetRenderingIntent;
  CGBitmapInfo (*bitmap)(CGImageRef) = CGImageGetBitmapInfo;
  CGImageByteOrderInfo (*order)(CGImageRef) = CGImageGetByteOrderInfo;
  CGImagePixelFormatInfo (*pixel_format)(CGImageRef) = CGImageGetPixelFormatInfo;
  CFStringRef (*ut_type)(CGImageRef) = CGImageGetUTType;

  CGDataProviderRef (*with_data)(void *, const void *, size_t,
                                 void (*)(void *info, const void *data, size_t size)) =
      CGDataProviderCreateWithData;
  CGDataProviderRef (*with_cfdata)(CFDataRef) = CGDataProviderCreateWithCFData;
  CFDataRef (*copy_data)(CGDataProviderRef) = CGDataProviderCopyData;
  void *(*get_info)(CGDataProviderRef) = CGDataProviderGetInfo;

  CGColorSpaceRef (*with_name)(CFStringRef) = CGColorSpaceCreateWithName;
  CFStringRef (*get_name)(CGColorSpaceRef) = CGColorSpaceGetName;
  CFStringRef (*copy_name)(CGColorSpaceRef) = CGColorSpaceCopyName;
  size_t (*components)(CGColorSpaceRef) = CGColorSpaceGetNumberOfComponents;
  CGColorSpaceModel (*model)(CGColorSpaceRef) = CGColorSpaceGetModel;

  CFTypeRef (*cf_retain)(CFTypeRef) = CFRetain;
  void (*cf_release)(CFTypeRef) = CFRelease;
  CFIndex (*retain_count)(CFTypeRef) = CFGetRetainCount;
  CFTypeID (*type_id)(CFTypeRef) = CFGetTypeID;
  Boolean (*cf_equal)(CFTypeRef, CFTypeRef) = CFEqual;
  CFDataRef (*data_create)(CFAllocatorRef, const UInt8 *, CFIndex) = CFDataCreate;
  const UInt8 *(*byte_ptr)(CFDataRef) = CFDataGetBytePtr;
  CFIndex (*length)(CFDataRef) = CFDataGetLength;

  /* Exported data symbols have Apple's types. */
  const CFStringRef *srgb_name = &kCGColorSpaceSRGB;
  const CFAllocatorRef *default_allocator = &kCFAllocatorDefault;

  CHECK(create != NULL && init != NULL && get_size != NULL && count != NULL && equal != NULL &&
        init_with_image != NULL);
  CHECK(image_create != NULL && mask_create != NULL && in_rect != NULL && copy != NULL &&
        retain != NULL && release != NULL && is_mask != NULL && width != NULL &&
        space != NULL && alpha != NULL && provider != NULL && decode != NULL &&
        interpolate != NULL && intent != NULL && bitmap != NULL && order != NULL &&
        pixel_format != NULL && ut_type != NULL);
  CHECK(with_data != NULL && with_cfdata != NULL && copy_data != NULL && get_info != NULL);
  CHECK(with_name != NULL && get_name != NULL && copy_name != NULL && components != NULL &&
        model != NULL);
  CHECK(cf_retain != NULL && cf_release != NULL && retain_count != NULL && type_id != NULL &&
        cf_equal != NULL && data_create != NULL && byte_ptr != NULL && length != NULL);
  CHECK(*srgb_name != NULL);
  CHECK_PTR_EQ(*default_allocator, NULL); /* "a synonym for NULL" */
}

/* ---- runtime: values through variables of the C types, geometry constructors ------------- */

static void typed_values(void) {
  /* Converting through the typedefs must not change the values. */
  vImage_Error e = kvImageCoreVideoIsAbsent;
  CHECK_EQ(e, -21784);
  CHECK(e < 0);
  CGColorSpaceModel unknown = kCGColorSpaceModelUnknown;
  CHECK_EQ(unknown, -1);
  CHECK(unknown < 0);
  vImage_Flags all = kvImageNoAllocate | kvImagePrintDiagnosticsToConsole |
                     kvImageHighQualityResampling | kvImageDoNotTile;
  CHECK_EQ(all, 512 + 256 + 32 + 16);
  CGBitmapInfo bgra = kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Host;
  CHECK_EQ(bgra & kCGBitmapAlphaInfoMask, kCGImageAlphaPremultipliedFirst);
  CHECK_EQ(bgra & kCGBitmapByteOrderMask, kCGImageByteOrder32Little);
  CGBitmapInfo f16 = kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder16Host;
  CHECK_EQ(f16 & kCGBitmapFloatInfoMask, kCGBitmapFloatComponents);
  CHECK_EQ(f16 & kCGBitmapByteOrderMask, kCGBitmapByteOrder16Little);
}

static void geometry(void) {
  CGPoint p = CGPointMake(1.5, -2.25);
  CHECK_DBL_EQ(p.x, 1.5);
  CHECK_DBL_EQ(p.y, -2.25);
  CGSize s = CGSizeMake(640.0, 480.5);
  CHECK_DBL_EQ(s.width, 640.0);
  CHECK_DBL_EQ(s.height, 480.5);
  CGRect r = CGRectMake(0.5, 1.0, 2.0, 3.5);
  CHECK_DBL_EQ(r.origin.x, 0.5);
  CHECK_DBL_EQ(r.origin.y, 1.0);
  CHECK_DBL_EQ(r.size.width, 2.0);
  CHECK_DBL_EQ(r.size.height, 3.5);
  /* The layout matches four consecutive doubles. */
  double raw[4];
  memcpy(raw, &r, sizeof raw);
  CHECK_DBL_EQ(raw[0], 0.5);
  CHECK_DBL_EQ(raw[1], 1.0);
  CHECK_DBL_EQ(raw[2], 2.0);
  CHECK_DBL_EQ(raw[3], 3.5);

  /* vImageBuffer_GetSize returns a CGSize by value (xmm0/xmm1 on x86-64). */
  vImage_Buffer b = {NULL, 7, 9, 64};
  CGSize got = vImageBuffer_GetSize(&b);
  CHECK_DBL_EQ(got.width, 9.0);
  CHECK_DBL_EQ(got.height, 7.0);
}

int main(void) {
  signatures();
  typed_values();
  geometry();
  return check_report();
}
