/*
 * vImageBuffer_InitWithCGImage (apple-abi.md §4.4): an all-zero format is filled with the
 * image's own format (and its colour space stays usable after the image is gone); a target
 * equal to the image's format; kvImageNoAllocate into the caller's rows (rowBytes and padding
 * untouched); images from CGImageCreate over CGDataProviderCreateWithData (whose release
 * callback runs exactly once, after the last holder) and CGDataProviderCreateWithCFData.
 */
#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static unsigned char pattern(size_t y, size_t i) { return (unsigned char)(y * 53u + i * 11u + 3u); }

/* `height` rows of `row_len` pattern bytes, `row_bytes` apart, padding 0xEE. */
static unsigned char *make_rows(size_t height, size_t row_len, size_t row_bytes) {
  unsigned char *p = malloc(height * row_bytes);
  REQUIRE(p != NULL);
  memset(p, 0xEE, height * row_bytes);
  for (size_t y = 0; y < height; y++)
    for (size_t i = 0; i < row_len; i++) p[y * row_bytes + i] = pattern(y, i);
  return p;
}

static int rows_match(const vImage_Buffer *b, size_t height, size_t row_len) {
  int ok = 1;
  for (size_t y = 0; y < height; y++)
    for (size_t i = 0; i < row_len; i++)
      if (((const unsigned char *)b->data)[y * b->rowBytes + i] != pattern(y, i)) {
        fprintf(stderr, "   pixel byte (%zu, %zu) differs\n", y, i);
        ok = 0;
      }
  return ok;
}

/* The empty format is filled in, and its colour space outlives the image (§4.4 rule 2). */
static void empty_format_is_filled(void) {
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  unsigned char *rows = make_rows(3, 5, 8);
  vImage_Buffer src = {rows, 3, 5, 8};
  vImage_CGImageFormat gray8 = {8, 8, gray, kCGImageAlphaNone, 0, NULL, kCGRenderingIntentPerceptual};
  CGImageRef image = vImageCreateCGImageFromBuffer(&src, &gray8, NULL, NULL, kvImageNoFlags, NULL);
  free(rows);
  REQUIRE(image != NULL);

  vImage_CGImageFormat filled;
  memset(&filled, 0, sizeof filled);
  vImage_Buffer buf = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&buf, &filled, NULL, image, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(filled.bitsPerComponent, 8);
  CHECK_EQ(filled.bitsPerPixel, 8);
  CHECK_EQ(filled.bitmapInfo, kCGImageAlphaNone);
  CHECK_EQ(filled.version, 0);
  CHECK_PTR_EQ(filled.decode, NULL);
  CHECK_EQ(filled.renderingIntent, kCGRenderingIntentPerceptual);
  CHECK(filled.colorSpace != NULL && CFEqual(filled.colorSpace, gray));
  CHECK(vImageCGImageFormat_IsEqual(&filled, &gray8));
  CHECK_EQ(buf.width, 5);
  CHECK_EQ(buf.height, 3);
  CHECK(buf.rowBytes >= 5);
  CHECK(rows_match(&buf, 3, 5));
  free(buf.data); /* a vImage buffer is freed with free() */

  /* Drop every other reference to the space: the filled one must still be a gray space. */
  CGImageRelease(image);
  CGColorSpaceRelease(gray);
  CHECK_EQ(CGColorSpaceGetModel(filled.colorSpace), kCGColorSpaceModelMonochrome);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(filled.colorSpace), 1);
  CHECK_EQ(CFGetTypeID(filled.colorSpace), CGColorSpaceGetTypeID());

  /* ... and serves as a format for new images and buffers. */
  unsigned char more[2] = {7, 9};
  vImage_Buffer src2 = {more, 1, 2, 2};
  CGImageRef image2 = vImageCreateCGImageFromBuffer(&src2, &filled, NULL, NULL, kvImageNoFlags, NULL);
  REQUIRE(image2 != NULL);
  vImage_Buffer buf2 = {NULL, 0, 0, 0};
  vImage_CGImageFormat target = filled;
  CHECK_EQ(vImageBuffer_InitWithCGImage(&buf2, &target, NULL, image2, kvImageNoFlags), kvImageNoError);
  if (CHECK(buf2.data != NULL)) CHECK_MEM_EQ(buf2.data, more, 2);
  free(buf2.data);
  CGImageRelease(image2);

  /* An sRGB image (format.colorSpace == NULL) fills in an sRGB space. */
  unsigned char rgba[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  vImage_Buffer src3 = {rgba, 1, 2, 8};
  vImage_CGImageFormat f = {8, 32, NULL, kCGImageAlphaPremultipliedLast, 0, NULL, kCGRenderingIntentDefault};
  CGImageRef image3 = vImageCreateCGImageFromBuffer(&src3, &f, NULL, NULL, kvImageNoFlags, NULL);
  REQUIRE(image3 != NULL);
  vImage_CGImageFormat filled3;
  memset(&filled3, 0, sizeof filled3);
  vImage_Buffer buf3 = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&buf3, &filled3, NULL, image3, kvImageNoFlags), kvImageNoError);
  CGImageRelease(image3);
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CHECK(filled3.colorSpace != NULL && CFEqual(filled3.colorSpace, srgb));
  CHECK(vImageCGImageFormat_IsEqual(&filled3, &f));
  if (CHECK(buf3.data != NULL)) CHECK_MEM_EQ(buf3.data, rgba, 8);
  free(buf3.data);
  CGColorSpaceRelease(srgb);
}

static int release_calls;
static void *release_info;
static const void *release_data;
static size_t release_size;

static void provider_release(void *info, const void *data, size_t size) {
  release_calls++;
  release_info = info;
  release_data = data;
  release_size = size;
}

/* CGImageCreate over the caller's bytes, read back in the image's own format and padded into
 * the caller's buffer. */
static void caller_data_provider(void) {
  enum { W = 4, H = 3, ROW_LEN = W * 4, BPR = 20 };
  unsigned char *rows = make_rows(H, ROW_LEN, BPR);
  int info = 42;
  release_calls = 0;
  CGDataProviderRef provider = CGDataProviderCreateWithData(&info, rows, H * BPR, provider_release);
  REQUIRE(provider != NULL);
  CHECK_PTR_EQ(CGDataProviderGetInfo(provider), &info);
  CHECK_EQ(CFGetTypeID(provider), CGDataProviderGetTypeID());
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGBitmapInfo bgra = kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little;
  CGImageRef image = CGImageCreate(W, H, 8, 32, BPR, rgb, bgra, provider, NULL, false,
                                   kCGRenderingIntentDefault);
  REQUIRE(image != NULL);
  CHECK_PTR_EQ(CGImageGetDataProvider(image), provider);
  CGDataProviderRelease(provider);
  CHECK_EQ(release_calls, 0); /* the image still holds the provider */

  /* Target equal to the image's own format. */
  vImage_CGImageFormat own = {8, 32, rgb, bgra, 0, NULL, kCGRenderingIntentDefault};
  vImage_Buffer buf = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&buf, &own, NULL, image, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(buf.width, W);
  CHECK_EQ(buf.height, H);
  CHECK(buf.rowBytes >= ROW_LEN);
  if (CHECK(buf.data != NULL)) CHECK(rows_match(&buf, H, ROW_LEN));
  free(buf.data);

  /* kvImageNoAllocate: the caller's rowBytes (odd, padded) is used as is, padding untouched,
   * rows and columns beyond the image untouched; width/height become the image's. */
  enum { MY_BPR = 37, MY_H = 5 };
  unsigned char *mine = malloc(MY_BPR * MY_H);
  REQUIRE(mine != NULL);
  memset(mine, 0xAB, MY_BPR * MY_H);
  vImage_Buffer into = {mine, MY_H, 6, MY_BPR};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&into, &own, NULL, image, kvImageNoAllocate), kvImageNoError);
  CHECK_PTR_EQ(into.data, mine);
  CHECK_EQ(into.rowBytes, MY_BPR);
  CHECK_EQ(into.width, W);
  CHECK_EQ(into.height, H);
  CHECK(rows_match(&into, H, ROW_LEN));
  int untouched = 1;
  for (size_t b = 0; b < MY_BPR * MY_H; b++) {
    size_t y = b / MY_BPR, i = b % MY_BPR;
    if ((y >= H || i >= ROW_LEN) && mine[b] != 0xAB) untouched = 0;
  }
  CHECK(untouched);
  /* A buffer of exactly the image's size, tight rows, works too. */
  vImage_Buffer exact = {mine, H, W, ROW_LEN};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&exact, &own, NULL, image, kvImageNoAllocate), kvImageNoError);
  CHECK(rows_match(&exact, H, ROW_LEN));
  free(mine);

  /* A background colour is accepted (nothing to flatten here); diagnostics flag allowed. */
  const CGFloat background[3] = {0.5, 0.25, 0.75};
  vImage_Buffer bg = {NULL, 0, 0, 0};
  vImage_CGImageFormat own2 = own;
  CHECK_EQ(vImageBuffer_InitWithCGImage(&bg, &own2, background, image, kvImagePrintDiagnosticsToConsole),
           kvImageNoError);
  if (CHECK(bg.data != NULL)) CHECK(rows_match(&bg, H, ROW_LEN));
  free(bg.data);

  /* The provider's release runs once, with its (info, data, size), after the last holder. */
  CGImageRef copy = CGImageCreateCopy(image);
  CGImageRef sub = CGImageCreateWithImageInRect(image, CGRectMake(0, 1, 4, 2));
  REQUIRE(copy != NULL && sub != NULL);
  CGImageRelease(image);
  CHECK_EQ(release_calls, 0);
  CGImageRelease(copy);
  CHECK_EQ(release_calls, 0);
  vImage_Buffer subbuf = {NULL, 0, 0, 0};
  vImage_CGImageFormat own3 = own;
  CHECK_EQ(vImageBuffer_InitWithCGImage(&subbuf, &own3, NULL, sub, kvImageNoFlags), kvImageNoError);
  if (CHECK(subbuf.data != NULL && subbuf.height == 2))
    for (size_t y = 0; y < 2; y++)
      for (size_t i = 0; i < ROW_LEN; i++)
        CHECK_EQ(((unsigned char *)subbuf.data)[y * subbuf.rowBytes + i], pattern(y + 1, i));
  free(subbuf.data);
  CGImageRelease(sub);
  CHECK_EQ(release_calls, 1);
  CHECK_PTR_EQ(release_info, &info);
  CHECK_PTR_EQ(release_data, rows);
  CHECK_EQ(release_size, H * BPR);
  free(rows);
  CGColorSpaceRelease(rgb);
}

/* CGDataProviderCreateWithCFData retains the CFData; the bytes survive the caller's release. */
static void cfdata_provider(void) {
  enum { W = 3, H = 2, ROW_LEN = W * 3 };
  unsigned char *rows = make_rows(H, ROW_LEN, ROW_LEN);
  CFDataRef data = CFDataCreate(kCFAllocatorDefault, rows, H * ROW_LEN);
  REQUIRE(data != NULL);
  free(rows);
  CHECK_EQ(CFGetRetainCount(data), 1);
  CGDataProviderRef provider = CGDataProviderCreateWithCFData(data);
  REQUIRE(provider != NULL);
  CHECK(CFGetRetainCount(data) >= 2);
  CFDataRef copied = CGDataProviderCopyData(provider);
  if (CHECK(copied != NULL)) {
    CHECK(CFEqual(copied, data));
    CHECK(copied != data);
    CFRelease(copied);
  }
  CFRelease(data);
  CGImageRef image = CGImageCreate(W, H, 8, 24, ROW_LEN, NULL, kCGImageAlphaNone, provider, NULL, true,
                                   kCGRenderingIntentDefault);
  CHECK(image == NULL); /* a colour image needs a colour space */
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  image = CGImageCreate(W, H, 8, 24, ROW_LEN, srgb, kCGImageAlphaNone, provider, NULL, true,
                        kCGRenderingIntentDefault);
  CGDataProviderRelease(provider);
  CGColorSpaceRelease(srgb);
  REQUIRE(image != NULL);
  CHECK(CGImageGetShouldInterpolate(image));
  vImage_CGImageFormat empty;
  memset(&empty, 0, sizeof empty);
  vImage_Buffer buf = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&buf, &empty, NULL, image, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(empty.bitsPerPixel, 24);
  CHECK_PTR_EQ(CGColorSpaceGetName(empty.colorSpace), kCGColorSpaceSRGB);
  if (CHECK(buf.data != NULL)) CHECK(rows_match(&buf, H, ROW_LEN));
  free(buf.data);
  CGImageRelease(image);
}

/* NULL bytes with a non-zero size: no provider, and the callback never runs. */
static void provider_without_bytes(void) {
  int info = 0;
  release_calls = 0;
  CGDataProviderRef p = CGDataProviderCreateWithData(&info, NULL, 16, provider_release);
  CHECK(p == NULL);
  CGDataProviderRelease(p);
  CHECK_EQ(release_calls, 0);
  CHECK(CGDataProviderCreateWithCFData(NULL) == NULL);
  CHECK(CGDataProviderCopyData(NULL) == NULL);
  CHECK(CGDataProviderGetInfo(NULL) == NULL);
}

int main(void) {
  empty_format_is_filled();
  caller_data_provider();
  cfdata_provider();
  provider_without_bytes();
  return check_report();
}
