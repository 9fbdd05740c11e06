/*
 * The conversion API from C (apple-abi.md §4.6, §7): vImageConverter_* objects,
 * vImageConvert_AnyToAny (values, errors, in place, tiling), vImageBuffer_InitWithCGImage
 * conversions with a background (§7.1-§7.3), and 16Q12 through kvImageDecodeArray_16Q12Format.
 */
#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static vImage_CGImageFormat fmt(uint32_t bpc, uint32_t bpp, CGBitmapInfo info, CGColorSpaceRef space) {
  vImage_CGImageFormat f;
  memset(&f, 0, sizeof f);
  f.bitsPerComponent = bpc;
  f.bitsPerPixel = bpp;
  f.bitmapInfo = info;
  f.colorSpace = space;
  return f;
}

static vImage_Buffer buffer(void *data, size_t w, size_t h, size_t rb) {
  vImage_Buffer b = {data, h, w, rb};
  return b;
}

static void converter_objects(void) {
  vImage_CGImageFormat premul = fmt(8, 32, kCGImageAlphaPremultipliedLast, NULL);
  vImage_CGImageFormat bgra = fmt(8, 32, kCGImageAlphaFirst | kCGBitmapByteOrder32Little, NULL);
  vImage_Error err = 1;
  vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(&premul, &bgra, NULL, kvImageNoFlags, &err);
  REQUIRE(c != NULL);
  CHECK_EQ(err, kvImageNoError);
  CHECK_EQ(CFGetRetainCount(c), 1);
  vImageConverter_Retain(c);
  CHECK_EQ(CFGetRetainCount(c), 2);
  CFRetain(c);
  CHECK_EQ(CFGetRetainCount(c), 3);
  CFRelease(c);
  vImageConverter_Release(c);
  CHECK_EQ(CFGetRetainCount(c), 1);
  CHECK(CFGetTypeID(c) != CGImageGetTypeID() && CFGetTypeID(c) != CGColorSpaceGetTypeID() && CFGetTypeID(c) != 0);
  CHECK_EQ(vImageConverter_GetNumberOfSourceBuffers(c), 1);
  CHECK_EQ(vImageConverter_GetNumberOfDestinationBuffers(c), 1);
  const vImageBufferTypeCode *order = vImageConverter_GetSourceBufferOrder(c);
  if (CHECK(order != NULL)) CHECK(order[0] == kvImageBufferTypeCode_CGFormat && order[1] == kvImageBufferTypeCode_EndOfList);
  order = vImageConverter_GetDestinationBufferOrder(c);
  if (CHECK(order != NULL)) CHECK(order[0] == kvImageBufferTypeCode_CGFormat && order[1] == kvImageBufferTypeCode_EndOfList);
  CHECK_EQ(vImageConverter_GetNumberOfSourceBuffers(NULL), 0);
  CHECK_PTR_EQ(vImageConverter_GetSourceBufferOrder(NULL), NULL);
  vImageConverter_Retain(NULL);
  vImageConverter_Release(NULL);

  /* MustOperateOutOfPlace (§4.6 rules 20-22): every conversion here works in place. */
  CHECK_EQ(vImageConverter_MustOperateOutOfPlace(c, NULL, NULL, kvImageNoFlags), kvImageNoError);
  vImage_Buffer one = buffer(&err, 1, 1, 4);
  CHECK_EQ(vImageConverter_MustOperateOutOfPlace(c, &one, &one, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(vImageConverter_MustOperateOutOfPlace(c, &one, NULL, kvImageNoFlags), kvImageNullPointerArgument);
  CHECK_EQ(vImageConverter_MustOperateOutOfPlace(NULL, NULL, NULL, kvImageNoFlags), kvImageNullPointerArgument);
  CHECK_EQ(vImageConverter_MustOperateOutOfPlace(c, NULL, NULL, kvImageNoAllocate), kvImageUnknownFlagsBit);
  vImageConverter_Release(c);

  /* Creation errors (§4.6 rules 4-5). */
  err = 0;
  CHECK(vImageConverter_CreateWithCGImageFormat(NULL, &bgra, NULL, 0, &err) == NULL);
  CHECK_EQ(err, kvImageNullPointerArgument);
  CHECK(vImageConverter_CreateWithCGImageFormat(&premul, NULL, NULL, 0, NULL) == NULL);
  CHECK(vImageConverter_CreateWithCGImageFormat(&premul, &bgra, NULL, kvImageNoAllocate, &err) == NULL);
  CHECK_EQ(err, kvImageUnknownFlagsBit);
  vImage_CGImageFormat bad = fmt(3, 12, kCGImageAlphaNone, NULL);
  CHECK(vImageConverter_CreateWithCGImageFormat(&bad, &bgra, NULL, 0, &err) == NULL);
  CHECK_EQ(err, kvImageInvalidImageFormat);
  bad = fmt(8, 32, 9, NULL);
  CHECK(vImageConverter_CreateWithCGImageFormat(&premul, &bad, NULL, 0, &err) == NULL);
  CHECK_EQ(err, kvImageInvalidImageFormat);
  bad = fmt(8, 32, kCGImageAlphaLast | kCGBitmapFloatComponents, NULL);
  CHECK(vImageConverter_CreateWithCGImageFormat(&premul, &bad, NULL, 0, &err) == NULL);
  CHECK_EQ(err, kvImageInvalidImageFormat);
  /* DoNotTile and diagnostics are allowed at creation. */
  c = vImageConverter_CreateWithCGImageFormat(&premul, &bgra, NULL, kvImageDoNotTile, &err);
  CHECK(c != NULL);
  vImageConverter_Release(c);
}

static void any_to_any(void) {
  vImage_CGImageFormat premul = fmt(8, 32, kCGImageAlphaPremultipliedLast, NULL);
  vImage_CGImageFormat straight = fmt(8, 32, kCGImageAlphaLast, NULL);
  vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(&premul, &straight, NULL, 0, NULL);
  REQUIRE(c != NULL);
  unsigned char src[2 * 4] = {39, 39, 39, 130, 0, 0, 0, 0};
  unsigned char dst[2 * 4 + 4];
  memset(dst, 0xAB, sizeof dst);
  vImage_Buffer s = buffer(src, 2, 1, 8), d = buffer(dst, 2, 1, 8);
  CHECK(vImageConvert_AnyToAny(c, &s, &d, NULL, kvImageGetTempBufferSize) >= 0);
  CHECK_EQ(dst[0], 0xAB); /* no pixels touched for the size query */
  CHECK_EQ(vImageConvert_AnyToAny(c, &s, &d, NULL, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(dst[0], 77); /* §7.1: (39*255 + 65) / 130 rounds the tie up */
  CHECK_EQ(dst[3], 130);
  CHECK_EQ(dst[4], 0); /* alpha 0 -> colour 0 */
  CHECK_EQ(dst[8], 0xAB); /* nothing written past the row */

  /* Errors (§4.6 rules 24-27). */
  CHECK_EQ(vImageConvert_AnyToAny(NULL, &s, &d, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_AnyToAny(c, &s, &d, NULL, kvImageNoAllocate), kvImageUnknownFlagsBit);
  vImage_Buffer nodata = buffer(NULL, 2, 1, 8);
  CHECK_EQ(vImageConvert_AnyToAny(c, &nodata, &d, NULL, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_AnyToAny(c, &s, &nodata, NULL, 0), kvImageInvalidParameter);
  vImage_Buffer wide = buffer(dst, 3, 1, 12);
  CHECK_EQ(vImageConvert_AnyToAny(c, &s, &wide, NULL, 0), kvImageBufferSizeMismatch);
  vImage_Buffer shortrow = buffer(dst, 2, 1, 7);
  CHECK_EQ(vImageConvert_AnyToAny(c, &s, &shortrow, NULL, 0), kvImageInvalidRowBytes);
  vImage_Buffer wrap = buffer((void *)(UINTPTR_MAX - 4), 2, 1, 8);
  CHECK_EQ(vImageConvert_AnyToAny(c, &wrap, &d, NULL, 0), kvImageInvalidParameter);
  vImageConverter_Release(c);

  /* 16-bit byte orders need even rowBytes (rule 27). */
  vImage_CGImageFormat le16 = fmt(16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Little, NULL);
  c = vImageConverter_CreateWithCGImageFormat(&straight, &le16, NULL, 0, NULL);
  REQUIRE(c != NULL);
  unsigned char out16[64];
  vImage_Buffer odd = buffer(out16, 1, 1, 9);
  CHECK_EQ(vImageConvert_AnyToAny(c, &s, &odd, NULL, 0), kvImageInvalidImageFormat);
  vImage_Buffer even = buffer(out16, 2, 1, 16);
  src[0] = 200;
  CHECK_EQ(vImageConvert_AnyToAny(c, &s, &even, NULL, 0), kvImageNoError);
  CHECK_EQ(out16[0] | (out16[1] << 8), 200 * 257); /* widening is exact, little-endian */
  vImageConverter_Release(c);
}

/* In place equals out of place; tiled equals kvImageDoNotTile. */
static void in_place_and_tiling(void) {
  /* Big enough to be split across threads natively; small under valgrind, which is slow. */
  const size_t W = 400, H = getenv("VIMAGE_TEST_UNDER_VALGRIND") ? 24 : 340;
  size_t rb = W * 4 + 12;
  unsigned char *a = malloc(rb * H), *b = malloc(rb * H), *t = malloc(rb * H);
  REQUIRE(a && b && t);
  uint32_t seed = 12345;
  for (size_t i = 0; i < rb * H; i++) {
    seed = seed * 1103515245u + 12345u;
    a[i] = (unsigned char)(seed >> 16);
  }
  memcpy(b, a, rb * H);
  memcpy(t, a, rb * H);
  vImage_CGImageFormat premul = fmt(8, 32, kCGImageAlphaPremultipliedFirst, NULL);
  vImage_CGImageFormat straight = fmt(8, 32, kCGImageAlphaLast, NULL);
  vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(&premul, &straight, NULL, 0, NULL);
  REQUIRE(c != NULL);
  unsigned char *out = malloc(rb * H);
  REQUIRE(out != NULL);
  memcpy(out, a, rb * H);
  vImage_Buffer src = buffer(a, W, H, rb), dst = buffer(out, W, H, rb);
  CHECK_EQ(vImageConvert_AnyToAny(c, &src, &dst, NULL, kvImageDoNotTile), kvImageNoError);
  vImage_Buffer inplace = buffer(b, W, H, rb);
  CHECK_EQ(vImageConvert_AnyToAny(c, &inplace, &inplace, NULL, kvImageNoFlags), kvImageNoError);
  CHECK(memcmp(out, b, rb * H) == 0);
  vImage_Buffer tsrc = buffer(t, W, H, rb);
  memset(b, 0, rb * H);
  vImage_Buffer tiled = buffer(b, W, H, rb);
  CHECK_EQ(vImageConvert_AnyToAny(c, &tsrc, &tiled, NULL, kvImageNoFlags), kvImageNoError);
  for (size_t y = 0; y < H; y++) CHECK(memcmp(out + y * rb, b + y * rb, W * 4) == 0);
  vImageConverter_Release(c);
  free(a);
  free(b);
  free(t);
  free(out);
}

/* vImageBuffer_InitWithCGImage converts, with Apple's measured arithmetic (§7.1-§7.3). */
static void init_with_image_converts(void) {
  unsigned char px[2 * 4] = {15, 15, 20, 57, 39, 39, 39, 130}; /* premultiplied RGBA */
  vImage_CGImageFormat premul = fmt(8, 32, kCGImageAlphaPremultipliedLast, NULL);
  vImage_Buffer src = buffer(px, 2, 1, 8);
  CGImageRef image = vImageCreateCGImageFromBuffer(&src, &premul, NULL, NULL, kvImageNoFlags, NULL);
  REQUIRE(image != NULL);

  const CGFloat bg[3] = {0.5, 0.25, 0.75};
  vImage_CGImageFormat xrgb = fmt(8, 32, kCGImageAlphaNoneSkipFirst, NULL);
  vImage_Buffer out;
  if (CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &xrgb, bg, image, kvImageNoFlags), kvImageNoError)) {
    unsigned char *o = out.data;
    CHECK(o[0] == 57 && o[1] == 67 && o[2] == 67 && o[3] == 89); /* §7.2: not flattened */
    free(out.data);
  }
  vImage_CGImageFormat rgb = fmt(8, 24, kCGImageAlphaNone, NULL);
  if (CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &rgb, bg, image, kvImageNoFlags), kvImageNoError)) {
    unsigned char *o = out.data;
    /* §7.3: (P*255 + (255-A)*bg8 + 127) / 255 with bg8 = 128, 64, 191 */
    CHECK_EQ(o[0], (15 * 255 + (255 - 57) * 128 + 127) / 255);
    CHECK_EQ(o[1], (15 * 255 + (255 - 57) * 64 + 127) / 255);
    CHECK_EQ(o[2], (20 * 255 + (255 - 57) * 191 + 127) / 255);
    CHECK_EQ(o[3], (39 * 255 + (255 - 130) * 128 + 127) / 255);
    free(out.data);
  }
  if (CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &rgb, NULL, image, kvImageNoFlags), kvImageNoError)) {
    unsigned char *o = out.data;
    CHECK(o[0] == 15 && o[1] == 15 && o[2] == 20); /* a NULL background is black: P itself */
    free(out.data);
  }
  vImage_CGImageFormat argb = fmt(8, 32, kCGImageAlphaFirst, NULL);
  if (CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &argb, NULL, image, kvImageNoFlags), kvImageNoError)) {
    unsigned char *o = out.data;
    CHECK(o[4] == 130 && o[5] == 77); /* §7.1 */
    free(out.data);
  }
  /* kvImageNoAllocate into a caller buffer, converting. */
  unsigned char mine[16];
  memset(mine, 0xEE, sizeof mine);
  vImage_CGImageFormat bgra = fmt(8, 32, kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little, NULL);
  out = buffer(mine, 2, 1, 12);
  if (CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &bgra, NULL, image, kvImageNoAllocate), kvImageNoError)) {
    CHECK(mine[0] == 20 && mine[1] == 15 && mine[2] == 15 && mine[3] == 57);
    CHECK_EQ(mine[8], 0xEE);
  }
  CGImageRelease(image);

  /* Gray <-> RGB: black and white stay black and white. */
  unsigned char g[2] = {0, 255};
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  vImage_CGImageFormat gray8 = fmt(8, 8, kCGImageAlphaNone, gray);
  vImage_Buffer gb = buffer(g, 2, 1, 2);
  image = vImageCreateCGImageFromBuffer(&gb, &gray8, NULL, NULL, kvImageNoFlags, NULL);
  REQUIRE(image != NULL);
  vImage_CGImageFormat rgba = fmt(8, 32, kCGImageAlphaNoneSkipLast, NULL);
  if (CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &rgba, NULL, image, kvImageNoFlags), kvImageNoError)) {
    unsigned char *o = out.data;
    CHECK(o[0] == 0 && o[1] == 0 && o[2] == 0 && o[3] == 255);
    CHECK(o[4] == 255 && o[5] == 255 && o[6] == 255 && o[7] == 255);
    free(out.data);
  }
  CGImageRelease(image);
  CGColorSpaceRelease(gray);
}

static int q12_callbacks;
static void q12_callback(void *userData, void *data) {
  (void)userData;
  (void)data;
  q12_callbacks++;
}

/* 16Q12: selected by the pointer kvImageDecodeArray_16Q12Format holds (§4.6 rule 17). */
static void q12(void) {
  REQUIRE(kvImageDecodeArray_16Q12Format != NULL);
  vImage_CGImageFormat straight = fmt(8, 32, kCGImageAlphaLast, NULL);
  vImage_CGImageFormat q = fmt(16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Little, NULL);
  q.decode = kvImageDecodeArray_16Q12Format;
  vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(&straight, &q, NULL, 0, NULL);
  REQUIRE(c != NULL);
  unsigned char src[4] = {0, 128, 255, 255};
  int16_t dst[4];
  vImage_Buffer s = buffer(src, 1, 1, 4), d = buffer(dst, 1, 1, 8);
  CHECK_EQ(vImageConvert_AnyToAny(c, &s, &d, NULL, 0), kvImageNoError);
  CHECK(dst[0] == 0 && dst[1] == 2056 && dst[2] == 4096 && dst[3] == 4096); /* value / 4096, alpha too */
  vImageConverter_Release(c);

  /* Copying the numbers into another array makes it an ordinary 16-bit format. */
  CGFloat copy[8];
  memcpy(copy, kvImageDecodeArray_16Q12Format, sizeof copy);
  q.decode = copy;
  vImage_Error err = 0;
  c = vImageConverter_CreateWithCGImageFormat(&straight, &q, NULL, 0, &err);
  CHECK(c == NULL); /* other decode arrays are not supported by the converter */
  vImageConverter_Release(c);

  /* vImageCreateCGImageFromBuffer: copy mode stores 16Q12 as float; no-copy refuses it. */
  q.decode = kvImageDecodeArray_16Q12Format;
  int16_t pixels[4] = {-4096, 2048, 4096, 4096};
  vImage_Buffer qb = buffer(pixels, 1, 1, 8);
  CGImageRef image = vImageCreateCGImageFromBuffer(&qb, &q, q12_callback, NULL, kvImageNoFlags, &err);
  if (CHECK(image != NULL)) {
    CHECK_EQ(CGImageGetBitsPerComponent(image), 32);
    CHECK(CGImageGetBitmapInfo(image) & kCGBitmapFloatComponents);
    CFDataRef data = CGDataProviderCopyData(CGImageGetDataProvider(image));
    const float *f = (const float *)CFDataGetBytePtr(data);
    CHECK(f[0] == -1.0f && f[1] == 0.5f && f[2] == 1.0f && f[3] == 1.0f);
    CFRelease(data);
    CGImageRelease(image);
  }
  image = vImageCreateCGImageFromBuffer(&qb, &q, q12_callback, NULL, kvImageNoAllocate, &err);
  CHECK(image == NULL);
  CHECK_EQ(err, kvImageInvalidImageFormat);
  CHECK_EQ(q12_callbacks, 0);
}

int main(void) {
  converter_objects();
  any_to_any();
  in_place_and_tiling();
  init_with_image_converts();
  q12();
  return check_report();
}
