/*
 * vImageBuffer_Init (apple-abi.md §4.2, §7.7), vImageBuffer_GetSize (§4.3),
 * vImageCGImageFormat_GetComponentCount and vImageCGImageFormat_IsEqual (§4.5).
 */
#define _POSIX_C_SOURCE 200809L /* posix_memalign */

#include <Accelerate/Accelerate.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const vImage_Buffer garbage = {(void *)(uintptr_t)0x1234, 99, 99, 99};

static void apple_example(void) {
  /* "height 5, width 10, pixelBits 8 -> rowBytes 16", with and without kvImageNoAllocate. */
  vImage_Buffer b = garbage;
  CHECK_EQ(vImageBuffer_Init(&b, 5, 10, 8, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(b.height, 5);
  CHECK_EQ(b.width, 10);
  CHECK_EQ(b.rowBytes, 16);
  REQUIRE(b.data != NULL && b.data != garbage.data);
  memset(b.data, 0xA5, b.rowBytes * b.height); /* every byte is ours (valgrind checks) */
  free(b.data);

  vImage_Buffer n = garbage;
  vImage_Error align = vImageBuffer_Init(&n, 5, 10, 8, kvImageNoAllocate);
  CHECK_EQ(align, 64); /* the preferred alignment, positive */
  CHECK((align & (align - 1)) == 0);
  CHECK_PTR_EQ(n.data, NULL);
  CHECK_EQ(n.height, 5);
  CHECK_EQ(n.width, 10);
  CHECK_EQ(n.rowBytes, 16);

  /* Allocations honour the alignment NoAllocate reports; posix_memalign with it works too. */
  vImage_Buffer a = garbage;
  CHECK_EQ(vImageBuffer_Init(&a, 3, 100, 32, kvImageNoFlags), kvImageNoError);
  CHECK(a.data != NULL && (uintptr_t)a.data % (uintptr_t)align == 0);
  vImage_Buffer p = garbage;
  CHECK(vImageBuffer_Init(&p, 3, 100, 32, kvImageNoAllocate) > 0);
  CHECK_EQ(p.rowBytes, a.rowBytes); /* same layout either way */
  void *mine = NULL;
  CHECK_EQ(posix_memalign(&mine, (size_t)align, p.rowBytes * p.height), 0);
  free(mine);
  free(a.data);

  /* kvImagePrintDiagnosticsToConsole is allowed. */
  vImage_Buffer d = garbage;
  CHECK_EQ(vImageBuffer_Init(&d, 1, 1, 8, kvImagePrintDiagnosticsToConsole), kvImageNoError);
  free(d.data);
  CHECK(vImageBuffer_Init(&d, 1, 1, 8, kvImagePrintDiagnosticsToConsole | kvImageNoAllocate) > 0);
}

/* Rows are padded to whole bytes: rowBytes >= (width * pixelBits + 7) / 8 (§4.2 rule 5). */
static void row_bytes_cover_the_pixels(void) {
  static const uint32_t bits[] = {1, 2, 3, 4, 7, 8, 9, 12, 16, 17, 24, 32, 48, 64, 96, 128};
  for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
    for (vImagePixelCount width = 1; width <= 70; width += (width < 20 ? 1 : 7)) {
      vImage_Buffer b = garbage;
      if (!CHECK_EQ(vImageBuffer_Init(&b, 2, width, bits[i], kvImageNoFlags), kvImageNoError)) continue;
      size_t min = (width * bits[i] + 7) / 8;
      if (!CHECK(b.rowBytes >= min))
        fprintf(stderr, "   pixelBits %u width %lu: rowBytes %zu < %zu\n", bits[i], width, b.rowBytes, min);
      CHECK_EQ(b.width, width);
      CHECK_EQ(b.height, 2);
      memset(b.data, 0x5A, b.rowBytes * 2);
      free(b.data);
      vImage_Buffer n = garbage;
      CHECK(vImageBuffer_Init(&n, 2, width, bits[i], kvImageNoAllocate) > 0);
      CHECK_EQ(n.rowBytes, b.rowBytes);
    }
  }
}

static void init_errors(void) {
  vImage_Buffer b = garbage;
  CHECK_EQ(vImageBuffer_Init(&b, 10, 10, 32, kvImageLeaveAlphaUnchanged), kvImageUnknownFlagsBit); /* §7.7 */
  CHECK_EQ(vImageBuffer_Init(&b, 1u << 30, 1u << 30, 32, kvImageNoFlags), kvImageMemoryAllocationError);
  CHECK_EQ(vImageBuffer_Init(&b, 0, 10, 8, kvImageNoFlags), kvImageInvalidParameter);
  CHECK_EQ(vImageBuffer_Init(&b, 10, 0, 8, kvImageNoFlags), kvImageInvalidParameter);
  CHECK_EQ(vImageBuffer_Init(&b, 10, 10, 0, kvImageNoFlags), kvImageInvalidParameter);
}

static void get_size(void) {
  vImage_Buffer b = {NULL, 5, 10, 16};
  CGSize s = vImageBuffer_GetSize(&b);
  CHECK_DBL_EQ(s.width, 10.0);
  CHECK_DBL_EQ(s.height, 5.0);

  const vImagePixelCount two53 = (vImagePixelCount)1 << 53;
  b.width = two53;
  b.height = two53 - 1;
  s = vImageBuffer_GetSize(&b);
  CHECK_DBL_EQ(s.width, 9007199254740992.0); /* exact up to 2^53 */
  CHECK_DBL_EQ(s.height, 9007199254740991.0);

  /* Beyond 2^53 the value is rounded down, never up (§4.3). */
  b.width = two53 + 1; /* nearest double is 2^53, below: fine */
  b.height = two53 + 3; /* nearest double is 2^53 + 4, above: must give 2^53 + 2 */
  s = vImageBuffer_GetSize(&b);
  CHECK_DBL_EQ(s.width, 9007199254740992.0);
  CHECK_DBL_EQ(s.height, 9007199254740994.0);

  b.width = ULONG_MAX; /* (double)ULONG_MAX rounds up to 2^64 */
  b.height = 0;
  s = vImageBuffer_GetSize(&b);
  CHECK(s.width < 18446744073709551616.0);
  CHECK_DBL_EQ(s.width, 18446744073709549568.0); /* the largest double below 2^64 */
  CHECK_DBL_EQ(s.height, 0.0);
}

static vImage_CGImageFormat fmt(uint32_t bpc, uint32_t bpp, CGColorSpaceRef space, CGBitmapInfo info) {
  vImage_CGImageFormat f = {bpc, bpp, space, info, 0, NULL, kCGRenderingIntentDefault};
  return f;
}

static void component_count(void) {
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  CGColorSpaceRef cmyk = CGColorSpaceCreateDeviceCMYK();
  vImage_CGImageFormat f;
  f = fmt(8, 32, rgb, kCGImageAlphaPremultipliedLast);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 4); /* RGBA */
  f = fmt(8, 32, NULL, kCGImageAlphaFirst | kCGBitmapByteOrder32Little);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 4); /* BGRA */
  f = fmt(8, 24, rgb, kCGImageAlphaNone);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 3); /* RGB */
  f = fmt(8, 24, NULL, kCGImageAlphaNone);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 3); /* NULL colour space is sRGB */
  f = fmt(8, 8, gray, kCGImageAlphaNone);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 1); /* gray */
  f = fmt(8, 16, gray, kCGImageAlphaLast);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 2); /* gray + alpha */
  f = fmt(8, 32, rgb, kCGImageAlphaNoneSkipFirst);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 4); /* XRGB: the skipped byte counts */
  f = fmt(8, 32, rgb, kCGImageAlphaNoneSkipLast);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 4); /* RGBX */
  f = fmt(8, 32, cmyk, kCGImageAlphaNone);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 4); /* CMYK */
  f = fmt(5, 16, rgb, kCGImageAlphaNone | kCGBitmapByteOrder16Little | kCGImagePixelFormatRGB565);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 3); /* RGB565: not 16 / 5 */
  f = fmt(5, 16, NULL, kCGImageAlphaNoneSkipFirst | kCGBitmapByteOrder16Little);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 4); /* ARGB1555 */
  f = fmt(16, 64, NULL, kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 4);
  f = fmt(32, 96, NULL, kCGImageAlphaNone | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little);
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&f), 3);
  CGColorSpaceRelease(rgb);
  CGColorSpaceRelease(gray);
  CGColorSpaceRelease(cmyk);
}

static void is_equal(void) {
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CGColorSpaceRef srgb2 = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  CGColorSpaceRef p3 = CGColorSpaceCreateWithName(kCGColorSpaceDisplayP3);
  REQUIRE(srgb != NULL && srgb2 != NULL && p3 != NULL);
  vImage_CGImageFormat a = fmt(8, 32, NULL, kCGImageAlphaPremultipliedLast);
  vImage_CGImageFormat b = a;

  /* NULL on either side is false (§4.5 rule 4). */
  CHECK_EQ(vImageCGImageFormat_IsEqual(NULL, &a), 0);
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, NULL), 0);
  CHECK_EQ(vImageCGImageFormat_IsEqual(NULL, NULL), 0);

  /* Equal formats: exactly 1 (a Boolean). */
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &a), 1);
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 1);

  /* NULL colour space is sRGB (§4.5 rule 5); two sRGB objects are the same space. */
  b.colorSpace = srgb;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 1);
  CHECK_EQ(vImageCGImageFormat_IsEqual(&b, &a), 1);
  a.colorSpace = srgb2;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 1);
  b.colorSpace = p3;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 0);
  a.colorSpace = NULL;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 0);

  /* Any field that differs makes them differ. */
  b = a;
  b.bitmapInfo = kCGImageAlphaPremultipliedFirst;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 0);
  b = a;
  b.bitmapInfo = kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder32Big;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 0);
  b = a;
  b.bitsPerComponent = 16;
  b.bitsPerPixel = 64;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 0);
  b = fmt(8, 8, gray, kCGImageAlphaNone);
  CHECK_EQ(vImageCGImageFormat_IsEqual(&a, &b), 0);
  vImage_CGImageFormat g = b;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&g, &b), 1);
  g.colorSpace = srgb;
  CHECK_EQ(vImageCGImageFormat_IsEqual(&g, &b), 0); /* same bits, other colour space */

  CGColorSpaceRelease(srgb);
  CGColorSpaceRelease(srgb2);
  CGColorSpaceRelease(gray);
  CGColorSpaceRelease(p3);
}

int main(void) {
  apple_example();
  row_bytes_cover_the_pixels();
  init_errors();
  get_size();
  component_count();
  is_equal();
  return check_report();
}
