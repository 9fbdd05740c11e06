/*
 * Every bad-input rule with its exact vImage_Error (apple-abi.md §4.1 rule 12, §4.2, §4.4
 * rule 9, §7.5-§7.7, and the library's decisions where Apple is silent): NULL arguments, bad
 * flags, bad formats, impossible sizes, overflowing strides, buffers that wrap around the
 * address space; buf->data is NULL after a failed vImageBuffer_InitWithCGImage; and
 * kvImagePrintDiagnosticsToConsole prints one line naming the function to stderr.
 */
#define _POSIX_C_SOURCE 200809L

#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static unsigned char pixels[3 * 16];
static const vImage_CGImageFormat rgba = {8, 32, NULL, kCGImageAlphaPremultipliedLast, 0, NULL,
                                          kCGRenderingIntentDefault};
/* Readable memory that is not an object of the library. */
static _Alignas(16) unsigned char not_an_object[128];

static vImage_Buffer good_buf(void) {
  vImage_Buffer b = {pixels, 3, 4, 16};
  return b;
}

/* ---- vImageCreateCGImageFromBuffer ------------------------------------------------------ */

static int callback_calls;
static void callback(void *userData, void *buf_data) {
  (void)userData;
  (void)buf_data;
  callback_calls++;
}

/* The call must fail with `expected`, return NULL, and work with error == NULL too. */
static void expect_create_(int line, const vImage_Buffer *buf, const vImage_CGImageFormat *format,
                           vImage_Flags flags, vImage_Error expected) {
  vImage_Error err = 777;
  callback_calls = 0;
  CGImageRef image = vImageCreateCGImageFromBuffer(buf, format, callback, NULL, flags, &err);
  int ok = CHECK(image == NULL);
  ok &= CHECK_EQ(err, expected);
  if (image) CGImageRelease(image);
  image = vImageCreateCGImageFromBuffer(buf, format, callback, NULL, flags, NULL);
  ok &= CHECK(image == NULL);
  if (image) CGImageRelease(image);
  ok &= CHECK_EQ(callback_calls, 0);
  if (!ok) fprintf(stderr, "   (the case at line %d)\n", line);
}
#define EXPECT_CREATE(buf, format, flags, expected) expect_create_(__LINE__, buf, format, flags, expected)

/* The call must succeed (copy mode, so nothing is handed over). */
static void expect_create_ok_(int line, const vImage_Buffer *buf, const vImage_CGImageFormat *format,
                              vImage_Flags flags) {
  vImage_Error err = 777;
  CGImageRef image = vImageCreateCGImageFromBuffer(buf, format, NULL, NULL, flags, &err);
  if (!CHECK(image != NULL) | !CHECK_EQ(err, kvImageNoError))
    fprintf(stderr, "   (the case at line %d)\n", line);
  CGImageRelease(image);
}
#define EXPECT_CREATE_OK(buf, format, flags) expect_create_ok_(__LINE__, buf, format, flags)

static vImage_CGImageFormat with_info(CGBitmapInfo info) {
  vImage_CGImageFormat f = rgba;
  f.bitmapInfo = info;
  return f;
}

static void create_null_and_flags(void) {
  vImage_Buffer buf = good_buf();
  EXPECT_CREATE(NULL, &rgba, kvImageNoFlags, kvImageNullPointerArgument);
  EXPECT_CREATE(&buf, NULL, kvImageNoFlags, kvImageNullPointerArgument);
  EXPECT_CREATE(NULL, NULL, kvImageNoFlags, kvImageNullPointerArgument);
  EXPECT_CREATE(NULL, &rgba, kvImageNoAllocate, kvImageNullPointerArgument);

  /* Only NoAllocate, PrintDiagnostics, HighQualityResampling and DoNotTile are allowed. */
  static const vImage_Flags bad[] = {kvImageLeaveAlphaUnchanged, kvImageCopyInPlace,
                                     kvImageBackgroundColorFill, kvImageEdgeExtend,
                                     kvImageTruncateKernel, kvImageGetTempBufferSize,
                                     kvImageHDRContent, kvImageDoNotClamp,
                                     kvImageUseFP16Accumulator, 1u << 13, 1u << 20, 0x80000000u};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    EXPECT_CREATE(&buf, &rgba, bad[i], kvImageUnknownFlagsBit);
    EXPECT_CREATE(&buf, &rgba, bad[i] | kvImageNoAllocate, kvImageUnknownFlagsBit);
  }
  EXPECT_CREATE_OK(&buf, &rgba, kvImageDoNotTile);
  EXPECT_CREATE_OK(&buf, &rgba, kvImageHighQualityResampling);
  EXPECT_CREATE_OK(&buf, &rgba, kvImageDoNotTile | kvImageHighQualityResampling);
}

static void create_bad_formats(void) {
  vImage_Buffer buf = good_buf();
  vImage_CGImageFormat f;

  /* version must be 0 */
  static const uint32_t versions[] = {1, 2, 0xFFFFFFFFu};
  for (size_t i = 0; i < 3; i++) {
    f = rgba;
    f.version = versions[i];
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  }

  /* Unknown bitmapInfo bits: kvImageInvalidParameter. */
  static const CGBitmapInfo unknown_bits[] = {0x20, 0x40, 0x80, 0x200, 0x400, 0x800, 0x8000,
                                              0x100000, 0x40000000u, 0x80000000u};
  for (size_t i = 0; i < sizeof unknown_bits / sizeof unknown_bits[0]; i++) {
    f = with_info(kCGImageAlphaPremultipliedLast | unknown_bits[i]);
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidParameter);
  }
  /* Known fields holding values no enum has: kvImageInvalidImageFormat. */
  for (uint32_t alpha = 8; alpha <= 31; alpha++) {
    f = with_info(alpha);
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  }
  for (uint32_t order = 5; order <= 7; order++) {
    f = with_info(kCGImageAlphaPremultipliedLast | (order << 12));
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  }
  for (uint32_t pf = 5; pf <= 15; pf++) {
    f = with_info(kCGImageAlphaPremultipliedLast | (pf << 16));
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  }

  /* bitsPerComponent not in {5, 8, 16, 32}: kvImageInvalidParameter. */
  static const uint32_t bad_bpc[] = {0, 1, 2, 3, 4, 6, 7, 9, 10, 12, 15, 17, 24, 31, 33, 64, 0xFFFFFFFFu};
  for (size_t i = 0; i < sizeof bad_bpc / sizeof bad_bpc[0]; i++) {
    f = rgba;
    f.bitsPerComponent = bad_bpc[i];
    f.bitsPerPixel = bad_bpc[i] * 4;
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidParameter);
  }

  /* bitsPerPixel != bitsPerComponent * channels: kvImageInvalidImageFormat. */
  static const uint32_t bad_bpp[] = {0, 8, 24, 31, 33, 40, 64};
  for (size_t i = 0; i < sizeof bad_bpp / sizeof bad_bpp[0]; i++) {
    f = rgba;
    f.bitsPerPixel = bad_bpp[i];
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  }
  f = with_info(kCGImageAlphaNone); /* RGB888 in 32 bits needs a skip alpha */
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  f = with_info(kCGImageAlphaNone);
  f.colorSpace = gray;
  f.bitsPerPixel = 16;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  f.bitsPerPixel = 8;
  EXPECT_CREATE_OK(&buf, &f, kvImageNoFlags);
  CGColorSpaceRef cmyk = CGColorSpaceCreateDeviceCMYK();
  f = with_info(kCGImageAlphaPremultipliedLast); /* CMYK + alpha is 40 bits */
  f.colorSpace = cmyk;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  f.bitmapInfo = kCGImageAlphaNone;
  EXPECT_CREATE_OK(&buf, &f, kvImageNoFlags);

  /* Float needs 16 or 32 bits; 32-bit components must be float. */
  f = with_info(kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents);
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  f = with_info(kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder32Little);
  f.bitsPerComponent = 32;
  f.bitsPerPixel = 128;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);

  /* Byte orders must fit the component or pixel size. */
  f = with_info(kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little);
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  f = with_info(kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Big);
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  f = with_info(kCGImageAlphaNone | kCGBitmapByteOrder32Big);
  f.bitsPerPixel = 24;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  f = with_info(kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder32Little);
  f.bitsPerComponent = 16;
  f.bitsPerPixel = 64;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  f.bitmapInfo = kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little;
  vImage_Buffer two_wide = good_buf(); /* 2 pixels of 64 bits fill the 16-byte rows */
  two_wide.width = 2;
  EXPECT_CREATE_OK(&two_wide, &f, kvImageNoFlags);
  f = with_info(kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder32Big);
  EXPECT_CREATE_OK(&buf, &f, kvImageNoFlags);
  f = with_info(kCGImageAlphaLast | kCGBitmapByteOrder16Little); /* 8-bit gray + alpha: 16 bpp */
  f.colorSpace = gray;
  f.bitsPerPixel = 16;
  EXPECT_CREATE_OK(&buf, &f, kvImageNoFlags);

  /* renderingIntent outside 0..4: kvImageInvalidImageFormat. */
  static const CGColorRenderingIntent bad_intents[] = {-1, 5, 100, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad_intents / sizeof bad_intents[0]; i++) {
    f = rgba;
    f.renderingIntent = bad_intents[i];
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  }
  for (CGColorRenderingIntent ok = 0; ok <= 4; ok++) {
    f = rgba;
    f.renderingIntent = ok;
    EXPECT_CREATE_OK(&buf, &f, kvImageNoFlags);
  }

  /* A colorSpace that is no colour space: kvImageInvalidImageFormat. */
  CFDataRef data = CFDataCreate(NULL, (const UInt8 *)"0123456789abcdef0123456789", 26);
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &rgba, NULL, NULL, kvImageNoFlags, NULL);
  REQUIRE(data != NULL && image != NULL);
  const void *impostors[] = {data, kCGColorSpaceSRGB, image, not_an_object};
  for (size_t i = 0; i < sizeof impostors / sizeof impostors[0]; i++) {
    f = rgba;
    f.colorSpace = (CGColorSpaceRef)(uintptr_t)impostors[i];
    EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidImageFormat);
  }
  CHECK_EQ(CFGetRetainCount(data), 1); /* nothing kept a reference to the impostors */
  CHECK_EQ(CFGetRetainCount(image), 1);
  CFRelease(data);
  CGImageRelease(image);
  CGColorSpaceRelease(gray);
  CGColorSpaceRelease(cmyk);
}

static void create_bad_geometry(void) {
  vImage_Buffer buf;
  vImage_CGImageFormat f = rgba;

  buf = good_buf();
  buf.width = 0;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);
  buf = good_buf();
  buf.height = 0;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);

  /* rowBytes shorter than ceil(width * bitsPerPixel / 8): kvImageInvalidRowBytes. */
  buf = good_buf();
  buf.rowBytes = 15;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidRowBytes);
  buf.rowBytes = 0;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidRowBytes);
  buf.rowBytes = 16; /* exactly one row is fine */
  EXPECT_CREATE_OK(&buf, &rgba, kvImageNoFlags);
  f = with_info(kCGImageAlphaNoneSkipFirst | kCGBitmapByteOrder16Little); /* ARGB1555 */
  f.bitsPerComponent = 5;
  f.bitsPerPixel = 16;
  buf = good_buf();
  buf.width = 3;
  buf.rowBytes = 5;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidRowBytes);
  buf.rowBytes = 6;
  EXPECT_CREATE_OK(&buf, &f, kvImageNoFlags);
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  f = with_info(kCGImageAlphaNone);
  f.colorSpace = gray;
  f.bitsPerPixel = 8;
  buf = good_buf();
  buf.width = 5;
  buf.rowBytes = 4;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidRowBytes);

  /* Sizes whose rows cannot exist: kvImageInvalidParameter. */
  buf = good_buf();
  buf.width = (vImagePixelCount)1 << 62; /* width * 32 bits overflows */
  buf.rowBytes = SIZE_MAX;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);
  buf.width = ULONG_MAX;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);
  buf.height = ULONG_MAX;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);
  buf = good_buf(); /* (height - 1) * rowBytes overflows */
  buf.rowBytes = SIZE_MAX / 2;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);
  buf = good_buf();
  buf.height = ULONG_MAX;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);
  buf = good_buf(); /* no overflow, but more than isize::MAX bytes */
  buf.width = (vImagePixelCount)1 << 60;
  buf.height = 8;
  buf.rowBytes = (size_t)1 << 60;
  f = with_info(kCGImageAlphaNone);
  f.colorSpace = gray;
  f.bitsPerPixel = 8;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidParameter);
  buf.height = 16;
  EXPECT_CREATE(&buf, &f, kvImageNoFlags, kvImageInvalidParameter);

  /* buf->data NULL: kvImageNullPointerArgument, in both modes. */
  buf = good_buf();
  buf.data = NULL;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageNullPointerArgument);
  EXPECT_CREATE(&buf, &rgba, kvImageNoAllocate, kvImageNullPointerArgument);

  /* A buffer running past the end of the address space: kvImageInvalidParameter. */
  buf.data = (void *)(UINTPTR_MAX - 100);
  buf.width = 10;
  buf.height = 10;
  buf.rowBytes = 40;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);
  EXPECT_CREATE(&buf, &rgba, kvImageNoAllocate, kvImageInvalidParameter);
  buf.data = (void *)(UINTPTR_MAX - 47); /* ends one byte past the last address */
  buf.width = 4;
  buf.height = 3;
  buf.rowBytes = 16;
  EXPECT_CREATE(&buf, &rgba, kvImageNoFlags, kvImageInvalidParameter);
  CGColorSpaceRelease(gray);
}

/* ---- vImageBuffer_Init ------------------------------------------------------------------- */

static void buffer_init_errors(void) {
  vImage_Buffer b = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_Init(NULL, 10, 10, 32, kvImageNoFlags), kvImageNullPointerArgument);
  CHECK_EQ(vImageBuffer_Init(NULL, 10, 10, 32, kvImageNoAllocate), kvImageNullPointerArgument);
  CHECK_EQ(vImageBuffer_Init(&b, 0, 10, 32, kvImageNoFlags), kvImageInvalidParameter);
  CHECK_EQ(vImageBuffer_Init(&b, 10, 0, 32, kvImageNoFlags), kvImageInvalidParameter);
  CHECK_EQ(vImageBuffer_Init(&b, 10, 10, 0, kvImageNoFlags), kvImageInvalidParameter);
  CHECK_EQ(vImageBuffer_Init(&b, 0, 10, 32, kvImageNoAllocate), kvImageInvalidParameter);
  /* Only kvImageNoAllocate and kvImagePrintDiagnosticsToConsole (§4.2 rule 4, §7.7). */
  CHECK_EQ(vImageBuffer_Init(&b, 10, 10, 32, kvImageLeaveAlphaUnchanged), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageBuffer_Init(&b, 10, 10, 32, kvImageDoNotTile), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageBuffer_Init(&b, 10, 10, 32, kvImageHighQualityResampling), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageBuffer_Init(&b, 10, 10, 32, kvImageNoAllocate | 0x80000000u), kvImageUnknownFlagsBit);
  /* Sizes that cannot be allocated, or cannot exist at all (§7.7). */
  CHECK_EQ(vImageBuffer_Init(&b, 1u << 30, 1u << 30, 32, kvImageNoFlags), kvImageMemoryAllocationError);
  CHECK_EQ(vImageBuffer_Init(&b, ULONG_MAX, ULONG_MAX, 32, kvImageNoFlags), kvImageMemoryAllocationError);
  CHECK_EQ(vImageBuffer_Init(&b, 1, ULONG_MAX, 8, kvImageNoFlags), kvImageMemoryAllocationError);
  CHECK_EQ(vImageBuffer_Init(&b, ULONG_MAX, 1, 8, kvImageNoFlags), kvImageMemoryAllocationError);
  CHECK_EQ(vImageBuffer_Init(&b, 2, ULONG_MAX / 4, UINT32_MAX, kvImageNoFlags), kvImageMemoryAllocationError);
  CHECK_EQ(vImageBuffer_Init(&b, ULONG_MAX, ULONG_MAX, 32, kvImageNoAllocate), kvImageMemoryAllocationError);
}

/* ---- vImageBuffer_InitWithCGImage --------------------------------------------------------- */

static CGImageRef test_image;

/* Fails with `expected`, and buf->data is NULL afterwards (§4.4 rule 9). Without
 * kvImageNoAllocate buf->data starts out non-NULL, to see it cleared. */
static void expect_init_(int line, vImage_Buffer *buf, vImage_CGImageFormat *format, CGImageRef image,
                         vImage_Flags flags, vImage_Error expected) {
  if (buf != NULL && !(flags & kvImageNoAllocate)) buf->data = pixels;
  int ok = CHECK_EQ(vImageBuffer_InitWithCGImage(buf, format, NULL, image, flags), expected);
  if (buf != NULL) ok &= CHECK_PTR_EQ(buf->data, NULL);
  if (!ok) fprintf(stderr, "   (the case at line %d)\n", line);
}
#define EXPECT_INIT(buf, format, image, flags, expected) \
  expect_init_(__LINE__, buf, format, image, flags, expected)

static void init_with_image_errors(void) {
  vImage_Buffer buf = {NULL, 0, 0, 0};
  vImage_CGImageFormat f = rgba;
  vImage_Buffer src = good_buf();
  test_image = vImageCreateCGImageFromBuffer(&src, &rgba, NULL, NULL, kvImageNoFlags, NULL);
  REQUIRE(test_image != NULL);

  CHECK_EQ(vImageBuffer_InitWithCGImage(NULL, &f, NULL, test_image, kvImageNoFlags), kvImageNullPointerArgument);
  EXPECT_INIT(&buf, NULL, test_image, kvImageNoFlags, kvImageNullPointerArgument);
  EXPECT_INIT(&buf, &f, NULL, kvImageNoFlags, kvImageNullPointerArgument);
  EXPECT_INIT(&buf, NULL, NULL, kvImageNoFlags, kvImageNullPointerArgument);

  /* Objects that are not images: kvImageInvalidImageObject. */
  CGColorSpaceRef space = CGColorSpaceCreateDeviceRGB();
  CFDataRef data = CFDataCreate(NULL, (const UInt8 *)"0123456789abcdef0123456789", 26);
  const void *impostors[] = {space, data, kCGColorSpaceSRGB, not_an_object};
  for (size_t i = 0; i < sizeof impostors / sizeof impostors[0]; i++)
    EXPECT_INIT(&buf, &f, (CGImageRef)(uintptr_t)impostors[i], kvImageNoFlags, kvImageInvalidImageObject);

  /* Only kvImageNoAllocate and kvImagePrintDiagnosticsToConsole (§7.6: not DoNotTile). */
  EXPECT_INIT(&buf, &f, test_image, kvImageDoNotTile, kvImageUnknownFlagsBit);
  EXPECT_INIT(&buf, &f, test_image, kvImageHighQualityResampling, kvImageUnknownFlagsBit);
  EXPECT_INIT(&buf, &f, test_image, kvImageLeaveAlphaUnchanged, kvImageUnknownFlagsBit);
  EXPECT_INIT(&buf, &f, test_image, 1u << 31, kvImageUnknownFlagsBit);

  /* Populated target formats (§4.4 rule 9, §7.5). */
  f = rgba;
  f.version = 2;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidImageFormat);
  f.version = 1;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidImageFormat);
  f = rgba;
  f.bitsPerComponent = 3;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidParameter);
  f.bitsPerComponent = 64;
  f.bitsPerPixel = 256;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidParameter);
  f = with_info(kCGImageAlphaFirst); /* 8-bit ARGB in 20 bits */
  f.bitsPerPixel = 20;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidImageFormat);
  f = with_info(kCGImageAlphaPremultipliedLast | 0x40000000u);
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidParameter);
  static const CGFloat decode[8] = {0, 1, 0, 1, 0, 1, 0, 1};
  f = rgba;
  f.decode = decode;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidParameter);
  f = rgba;
  f.renderingIntent = 9;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidImageFormat);
  f = rgba;
  f.colorSpace = (CGColorSpaceRef)(uintptr_t)data;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoFlags, kvImageInvalidImageFormat);

  /* Targets that need a conversion of the pixels are converted (tests/c/convert.c checks the
     values); here only that they succeed and allocate. */
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  vImage_CGImageFormat conversions[5];
  conversions[0] = with_info(kCGImageAlphaNone);
  conversions[0].bitsPerPixel = 24; /* RGB888 */
  conversions[1] = with_info(kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little); /* BGRA */
  conversions[2] = with_info(kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little);
  conversions[2].bitsPerComponent = 16;
  conversions[2].bitsPerPixel = 64;
  conversions[3] = with_info(kCGImageAlphaNone);
  conversions[3].colorSpace = gray;
  conversions[3].bitsPerPixel = 8;
  conversions[4] = with_info(kCGImageAlphaLast); /* straight alpha */
  for (size_t i = 0; i < 5; i++) {
    buf.data = NULL;
    if (CHECK_EQ(vImageBuffer_InitWithCGImage(&buf, &conversions[i], NULL, test_image, kvImageNoFlags), kvImageNoError)) {
      CHECK(buf.data != NULL);
      CHECK(buf.rowBytes >= buf.width * conversions[i].bitsPerPixel / 8);
      free(buf.data);
    }
  }

  /* kvImageNoAllocate: the caller's buffer must be there and big enough. */
  unsigned char *mine = malloc(64 * 8);
  REQUIRE(mine != NULL);
  f = rgba;
  buf.data = NULL;
  buf.width = 4;
  buf.height = 3;
  buf.rowBytes = 16;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoAllocate, kvImageNullPointerArgument);
  buf.data = mine;
  buf.rowBytes = 15;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoAllocate, kvImageInvalidRowBytes);
  buf.data = mine;
  buf.rowBytes = 16;
  buf.width = 3;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoAllocate, kvImageBufferSizeMismatch);
  buf.data = mine;
  buf.width = 4;
  buf.height = 2;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoAllocate, kvImageBufferSizeMismatch);
  buf.data = (void *)(UINTPTR_MAX - 10); /* rows would wrap around */
  buf.height = 3;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoAllocate, kvImageInvalidParameter);
  buf.data = mine; /* (height - 1) * rowBytes overflows */
  buf.rowBytes = SIZE_MAX / 2;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoAllocate, kvImageInvalidParameter);
  /* Format errors win over a good caller buffer, and still clear buf->data. */
  buf.data = mine;
  buf.rowBytes = 16;
  f.version = 2;
  EXPECT_INIT(&buf, &f, test_image, kvImageNoAllocate, kvImageInvalidImageFormat);
  /* The failures above did not write to the caller's memory. */
  memset(mine, 0x3C, 64 * 8);
  buf.data = mine;
  f = rgba;
  CHECK_EQ(vImageBuffer_InitWithCGImage(&buf, &f, NULL, test_image, kvImageNoAllocate), kvImageNoError);
  CHECK_PTR_EQ(buf.data, mine);
  free(mine);

  CGColorSpaceRelease(space);
  CGColorSpaceRelease(gray);
  CFRelease(data);
  CGImageRelease(test_image);
}

/* NULL where Apple declares nonnull: the library answers instead of crashing. */
static void null_queries(void) {
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(NULL), 0);
  CGSize size = vImageBuffer_GetSize(NULL);
  CHECK_DBL_EQ(size.width, 0);
  CHECK_DBL_EQ(size.height, 0);
  CHECK_EQ(vImageCGImageFormat_IsEqual(NULL, NULL), 0);
}

/* ---- kvImagePrintDiagnosticsToConsole ----------------------------------------------------- */

/* Runs `fn` with stderr going to a temporary file; returns what was written (caller frees). */
static char *capture_stderr(void (*fn)(vImage_Flags), vImage_Flags flags) {
  fflush(stderr);
  FILE *tmp = tmpfile();
  REQUIRE(tmp != NULL);
  int saved = dup(STDERR_FILENO);
  REQUIRE(saved >= 0);
  REQUIRE(dup2(fileno(tmp), STDERR_FILENO) >= 0);
  fn(flags);
  fflush(stderr);
  REQUIRE(dup2(saved, STDERR_FILENO) >= 0);
  close(saved);
  long len = ftell(tmp);
  if (len < 0) len = 0;
  rewind(tmp);
  char *text = calloc((size_t)len + 1, 1);
  REQUIRE(text != NULL);
  size_t got = fread(text, 1, (size_t)len, tmp);
  text[got] = '\0';
  fclose(tmp);
  return text;
}

static void failing_create(vImage_Flags flags) {
  vImage_Buffer buf = good_buf();
  vImage_CGImageFormat f = rgba;
  f.bitsPerComponent = 7;
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &f, NULL, NULL, flags, NULL);
  CHECK(image == NULL);
}

static void succeeding_create(vImage_Flags flags) {
  vImage_Buffer buf = good_buf();
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &rgba, NULL, NULL, flags, NULL);
  CHECK(image != NULL);
  CGImageRelease(image);
}

static void failing_buffer_init(vImage_Flags flags) {
  vImage_Buffer b;
  CHECK_EQ(vImageBuffer_Init(&b, 0, 10, 8, flags), kvImageInvalidParameter);
}

static void failing_init_with_image(vImage_Flags flags) {
  vImage_Buffer b = {NULL, 0, 0, 0};
  vImage_CGImageFormat f = rgba;
  CHECK_EQ(vImageBuffer_InitWithCGImage(&b, &f, NULL, NULL, flags), kvImageNullPointerArgument);
}

static void failing_init_with_image_null_buf(vImage_Flags flags) {
  vImage_CGImageFormat f = rgba;
  CHECK_EQ(vImageBuffer_InitWithCGImage(NULL, &f, NULL, NULL, flags), kvImageNullPointerArgument);
}

/* One failing call per pixel-operation family: a bad map, a mask, an overlap, a range. */
static unsigned char ops_pixels[4 * 4 * 8];

static void failing_permute(vImage_Flags flags) {
  vImage_Buffer b = {ops_pixels, 4, 4, 16};
  const uint8_t map[4] = {0, 1, 2, 7};
  CHECK_EQ(vImagePermuteChannels_ARGB8888(&b, &b, map, flags), kvImageInvalidParameter);
}

static void failing_premultiply(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 16}, d = {ops_pixels, 4, 5, 20};
  CHECK_EQ(vImagePremultiplyData_RGBA8888(&s, &d, flags), kvImageRoiLargerThanInputBuffer);
}

static void failing_deinterleave(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 16}, p = {ops_pixels, 4, 4, 4};
  /* A destination plane overlapping the source: not in place. */
  CHECK_EQ(vImageConvert_ARGB8888toPlanar8(&s, &p, &p, &p, &p, flags), kvImageInvalidParameter);
}

static void failing_depth(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 16}, d = {NULL, 4, 4, 16};
  CHECK_EQ(vImageConvert_Planar8toPlanarF(&s, &d, 1.0f, 0.0f, flags), kvImageNullPointerArgument);
}

static void failing_packed(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 16}, d = {ops_pixels + 32, 4, 4, 16};
  CHECK_EQ(vImageConvert_ARGB8888toRGB565(&s, &d, flags | (1u << 30)), kvImageUnknownFlagsBit);
}

/* One failing call per family of Geometry.h, Convolution.h, Morphology.h, Transform.h and
 * Histogram.h: a NULL buffer, a bad rotation constant, an even kernel, no edge mode, zero
 * planes, max < min, a NULL table. */
static void failing_scale(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 16};
  CHECK_EQ(vImageScale_ARGB8888(&s, NULL, NULL, flags), kvImageNullPointerArgument);
}

static void failing_rotate90(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 16}, d = {ops_pixels + 64, 4, 4, 16};
  const Pixel_8888 back = {0, 0, 0, 0};
  CHECK_EQ(vImageRotate90_ARGB8888(&s, &d, 7, back, flags), kvImageInvalidParameter);
}

static void failing_convolve(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 16, 16}, d = {ops_pixels + 64, 4, 16, 16};
  const int16_t kernel[6] = {1, 1, 1, 1, 1, 1};
  CHECK_EQ(vImageConvolve_Planar8(&s, &d, NULL, 0, 0, kernel, 2, 3, 6, 0, flags | kvImageEdgeExtend),
           kvImageInvalidKernelSize);
}

static void failing_box(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 16}, d = {ops_pixels + 64, 4, 4, 16};
  CHECK_EQ(vImageBoxConvolve_ARGB8888(&s, &d, NULL, 0, 0, 3, 3, NULL, flags), kvImageInvalidEdgeStyle);
}

static void failing_max(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 16, 16}, d = {ops_pixels + 64, 4, 16, 16};
  CHECK_EQ(vImageMax_Planar8(&s, &d, NULL, 0, 0, 2, 2, flags), kvImageInvalidKernelSize);
}

static void failing_matrix(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 16, 16}, d = {ops_pixels + 64, 4, 16, 16};
  const vImage_Buffer *srcs[1] = {&s}, *dests[1] = {&d};
  const int16_t m[1] = {1};
  CHECK_EQ(vImageMatrixMultiply_Planar8(srcs, dests, 0, 1, m, 1, NULL, NULL, flags), kvImageInvalidKernelSize);
}

static void failing_histogram(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 16};
  vImagePixelCount bins[16];
  CHECK_EQ(vImageHistogramCalculation_PlanarF(&s, bins, 16, 1.0f, 0.0f, flags), kvImageInvalidParameter);
}

static void failing_lookup(vImage_Flags flags) {
  vImage_Buffer s = {ops_pixels, 4, 4, 4}, d = {ops_pixels + 64, 4, 4, 16};
  CHECK_EQ(vImageLookupTable_Planar8toPlanarF(&s, &d, NULL, flags), kvImageNullPointerArgument);
}

/* Sources whose rows cannot exist (rowBytes * height wraps the address space, or rowBytes is
 * shorter than a row) are refused by every family before a pixel is read. */
static void hostile_sources_of_the_new_families(void) {
  vImage_Buffer wraps = {ops_pixels, (vImagePixelCount)1 << 40, 4, (size_t)1 << 40};
  vImage_Buffer short_rows = {ops_pixels, 4, 16, 8};
  vImage_Buffer d = {ops_pixels + 64, 2, 4, 16};
  const Pixel_8888 back = {0, 0, 0, 0};
  const int16_t k9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  const int16_t m16[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  vImagePixelCount bins[4][256];
  vImagePixelCount *hist[4] = {bins[0], bins[1], bins[2], bins[3]};
  const vImage_Buffer *bad[2] = {&wraps, &short_rows};
  for (int i = 0; i < 2; i++) {
    const vImage_Buffer *s = bad[i];
    CHECK(vImageScale_ARGB8888(s, &d, NULL, kvImageNoFlags) < 0);
    CHECK(vImageRotate90_ARGB8888(s, &d, 1, back, kvImageNoFlags) < 0);
    CHECK(vImageHorizontalReflect_ARGB8888(s, &d, kvImageNoFlags) < 0);
    CHECK(vImageRotate_ARGB8888(s, &d, NULL, 0.5f, back, kvImageBackgroundColorFill) < 0);
    CHECK(vImageConvolve_ARGB8888(s, &d, NULL, 0, 0, k9, 3, 3, 9, back, kvImageEdgeExtend) < 0);
    CHECK(vImageBoxConvolve_ARGB8888(s, &d, NULL, 0, 0, 3, 3, NULL, kvImageEdgeExtend) < 0);
    CHECK(vImageMax_ARGB8888(s, &d, NULL, 0, 0, 3, 3, kvImageNoFlags) < 0);
    CHECK(vImageMatrixMultiply_ARGB8888(s, &d, m16, 1, NULL, NULL, kvImageNoFlags) < 0);
    CHECK(vImageHistogramCalculation_ARGB8888(s, hist, kvImageNoFlags) < 0);
    CHECK(vImageEqualization_ARGB8888(s, &d, kvImageNoFlags) < 0);
  }
}

static size_t count_lines(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

static void expect_diagnostic_(int line, void (*fn)(vImage_Flags), const char *function) {
  char *with = capture_stderr(fn, kvImagePrintDiagnosticsToConsole);
  char *without = capture_stderr(fn, kvImageNoFlags);
  int ok = CHECK(strstr(with, function) != NULL);
  ok &= CHECK_EQ(count_lines(with), 1);
  ok &= CHECK_EQ(strlen(without), 0);
  if (!ok) fprintf(stderr, "   (line %d) with the flag: \"%s\"; without: \"%s\"\n", line, with, without);
  free(with);
  free(without);
}
#define EXPECT_DIAGNOSTIC(fn, function) expect_diagnostic_(__LINE__, fn, function)

static void diagnostics(void) {
  EXPECT_DIAGNOSTIC(failing_create, "vImageCreateCGImageFromBuffer");
  EXPECT_DIAGNOSTIC(failing_buffer_init, "vImageBuffer_Init");
  EXPECT_DIAGNOSTIC(failing_init_with_image, "vImageBuffer_InitWithCGImage");
  EXPECT_DIAGNOSTIC(failing_init_with_image_null_buf, "vImageBuffer_InitWithCGImage");
  EXPECT_DIAGNOSTIC(failing_permute, "vImagePermuteChannels_ARGB8888");
  EXPECT_DIAGNOSTIC(failing_premultiply, "vImagePremultiplyData_RGBA8888");
  EXPECT_DIAGNOSTIC(failing_deinterleave, "vImageConvert_ARGB8888toPlanar8");
  EXPECT_DIAGNOSTIC(failing_depth, "vImageConvert_Planar8toPlanarF");
  EXPECT_DIAGNOSTIC(failing_packed, "vImageConvert_ARGB8888toRGB565");
  EXPECT_DIAGNOSTIC(failing_scale, "vImageScale_ARGB8888");
  EXPECT_DIAGNOSTIC(failing_rotate90, "vImageRotate90_ARGB8888");
  EXPECT_DIAGNOSTIC(failing_convolve, "vImageConvolve_Planar8");
  EXPECT_DIAGNOSTIC(failing_box, "vImageBoxConvolve_ARGB8888");
  EXPECT_DIAGNOSTIC(failing_max, "vImageMax_Planar8");
  EXPECT_DIAGNOSTIC(failing_matrix, "vImageMatrixMultiply_Planar8");
  EXPECT_DIAGNOSTIC(failing_histogram, "vImageHistogramCalculation_PlanarF");
  EXPECT_DIAGNOSTIC(failing_lookup, "vImageLookupTable_Planar8toPlanarF");
  /* Success is silent. */
  char *quiet = capture_stderr(succeeding_create, kvImagePrintDiagnosticsToConsole);
  CHECK_EQ(strlen(quiet), 0);
  free(quiet);
}

/* The three failing calls with the diagnostics flag; their codes go to `codes`. */
static void fail_all_three(vImage_Error codes[3]) {
  vImage_Buffer b = good_buf();
  vImage_CGImageFormat f = rgba;
  f.bitsPerComponent = 7;
  codes[0] = 0;
  CGImageRef image = vImageCreateCGImageFromBuffer(&b, &f, NULL, NULL, kvImagePrintDiagnosticsToConsole, &codes[0]);
  if (image) CGImageRelease(image);
  codes[1] = vImageBuffer_Init(&b, 0, 1, 8, kvImagePrintDiagnosticsToConsole);
  f = rgba;
  codes[2] = vImageBuffer_InitWithCGImage(&b, &f, NULL, NULL, kvImagePrintDiagnosticsToConsole);
}

static void check_codes_(int line, const vImage_Error codes[3]) {
  int ok = CHECK_EQ(codes[0], kvImageInvalidParameter);
  ok &= CHECK_EQ(codes[1], kvImageInvalidParameter);
  ok &= CHECK_EQ(codes[2], kvImageNullPointerArgument);
  if (!ok) fprintf(stderr, "   (line %d)\n", line);
}
#define CHECK_CODES(codes) check_codes_(__LINE__, codes)

/* A diagnostic that cannot be written is dropped: the call still returns its error code and
 * the process goes on (it used to abort: the print panicked across the C boundary). */
static void diagnostics_to_unwritable_stderr(void) {
  vImage_Error codes[3];
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  REQUIRE(saved >= 0);

  int full = open("/dev/full", O_WRONLY); /* every write fails with ENOSPC */
  if (full >= 0) {
    REQUIRE(dup2(full, STDERR_FILENO) >= 0);
    close(full);
    fail_all_three(codes);
    REQUIRE(dup2(saved, STDERR_FILENO) >= 0);
    CHECK_CODES(codes);
  }

  int fds[2]; /* a pipe nobody reads, SIGPIPE ignored as servers do: EPIPE */
  REQUIRE(pipe(fds) == 0);
  close(fds[0]);
  void (*previous)(int) = signal(SIGPIPE, SIG_IGN);
  REQUIRE(dup2(fds[1], STDERR_FILENO) >= 0);
  close(fds[1]);
  fail_all_three(codes);
  REQUIRE(dup2(saved, STDERR_FILENO) >= 0);
  signal(SIGPIPE, previous);
  CHECK_CODES(codes);

  close(STDERR_FILENO); /* no stderr at all: EBADF */
  fail_all_three(codes);
  REQUIRE(dup2(saved, STDERR_FILENO) >= 0);
  CHECK_CODES(codes);
  close(saved);
}

int main(void) {
  create_null_and_flags();
  create_bad_formats();
  create_bad_geometry();
  buffer_init_errors();
  init_with_image_errors();
  null_queries();
  diagnostics();
  hostile_sources_of_the_new_families();
  diagnostics_to_unwritable_stderr();
  return check_report();
}
