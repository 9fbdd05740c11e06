/*
 * Bitmap contexts and drawing (apple-imageio-context.md §B, §E items 2-5 and 10), through
 * Apple's headers: the closed format list (every accepted format creates, rejected ones give
 * NULL), bytesPerRow rules, getters, NULL contexts, snapshot independence, the release callback,
 * same-size / scaled / flipped / rotated / clipped image draws against direct formulas, fills,
 * clears and blend modes against a direct premultiplied source-over formula, the gstate stack,
 * and the CGAffineTransform functions.
 */
#include <CoreFoundation/CoreFoundation.h>
#include <CoreGraphics/CoreGraphics.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define PI_ 3.14159265358979323846

static int release_calls;
static void *released_data;
static void *released_info;
static void on_release(void *info, void *data) {
  release_calls++;
  released_info = info;
  released_data = data;
}

/* A w x h image in the given format over a copy of `bytes` (rows of `bpr`). */
static CGImageRef make_image(size_t w, size_t h, size_t bpc, size_t bpp, size_t bpr, CGColorSpaceRef space,
                             uint32_t info, const unsigned char *bytes, bool interpolate) {
  CFDataRef data = CFDataCreate(NULL, bytes, (CFIndex)(bpr * h));
  CGDataProviderRef provider = CGDataProviderCreateWithCFData(data);
  CFRelease(data);
  CGImageRef image = CGImageCreate(w, h, bpc, bpp, bpr, space, info, provider, NULL, interpolate,
                                   kCGRenderingIntentDefault);
  CGDataProviderRelease(provider);
  REQUIRE(image != NULL);
  return image;
}

static CGContextRef rgba_context(size_t w, size_t h) {
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGContextRef c = CGBitmapContextCreate(NULL, w, h, 8, 0, rgb, kCGImageAlphaPremultipliedLast);
  CGColorSpaceRelease(rgb);
  REQUIRE(c != NULL);
  return c;
}

static unsigned char *px(CGContextRef c, size_t x, size_t row) {
  return (unsigned char *)CGBitmapContextGetData(c) + row * CGBitmapContextGetBytesPerRow(c) + x * 4;
}

/* ---- formats ------------------------------------------------------------------------------- */

typedef struct {
  int model; /* 0 none, 1 gray, 3 rgb, 4 cmyk */
  size_t bpc;
  uint32_t info;
  size_t bpp; /* 0: rejected */
} Format;

static const Format formats[] = {
    {0, 8, kCGImageAlphaOnly, 8},
    {1, 8, kCGImageAlphaNone, 8},
    {1, 8, kCGImageAlphaOnly, 8},
    {1, 16, kCGImageAlphaNone, 16},
    {1, 16, kCGImageAlphaNone | kCGBitmapByteOrder16Little, 16},
    {1, 32, kCGImageAlphaNone | kCGBitmapFloatComponents, 32},
    {1, 32, kCGImageAlphaNone | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little, 32},
    {1, 8, kCGImageAlphaPremultipliedLast, 16},
    {3, 5, kCGImageAlphaNoneSkipFirst, 16},
    {3, 5, kCGImageAlphaNoneSkipFirst | kCGBitmapByteOrder16Little, 16},
    {3, 8, kCGImageAlphaNoneSkipFirst, 32},
    {3, 8, kCGImageAlphaNoneSkipLast, 32},
    {3, 8, kCGImageAlphaPremultipliedFirst, 32},
    {3, 8, kCGImageAlphaPremultipliedLast, 32},
    {3, 8, kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little, 32},
    {3, 8, kCGImageAlphaNoneSkipFirst | kCGBitmapByteOrder32Little, 32},
    {3, 8, kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder32Big, 32},
    {3, 16, kCGImageAlphaPremultipliedLast, 64},
    {3, 16, kCGImageAlphaNoneSkipLast | kCGBitmapByteOrder16Little, 64},
    {3, 16, kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents | kCGBitmapByteOrder16Little, 64},
    {3, 16, kCGImageAlphaNoneSkipLast | kCGBitmapFloatComponents, 64},
    {3, 32, kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents, 128},
    {3, 32, kCGImageAlphaNoneSkipLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little, 128},
    {4, 8, kCGImageAlphaNone, 32},
    {4, 16, kCGImageAlphaNone, 64},
    {4, 32, kCGImageAlphaNone | kCGBitmapFloatComponents, 128},
    /* rejected */
    {3, 8, kCGImageAlphaLast, 0},
    {3, 8, kCGImageAlphaFirst, 0},
    {3, 8, kCGImageAlphaNone, 0},
    {3, 16, kCGImageAlphaNone, 0},
    {3, 32, kCGImageAlphaNone | kCGBitmapFloatComponents, 0},
    {3, 8, kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little, 0},
    {3, 8, kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents, 0},
    {3, 8, kCGImageAlphaOnly, 0},
    {3, 16, kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder32Little, 0},
    {3, 32, kCGImageAlphaPremultipliedLast, 0},
    {3, 10, kCGImageAlphaNoneSkipFirst, 0},
    {3, 8, kCGImageAlphaPremultipliedLast | kCGImagePixelFormatRGB565, 0},
    {3, 8, kCGImageAlphaPremultipliedLast | 0x100000u, 0},
    {1, 8, kCGImageAlphaPremultipliedFirst, 0},
    {1, 8, kCGImageAlphaLast, 0},
    {1, 32, kCGImageAlphaNone, 0},
    {4, 8, kCGImageAlphaPremultipliedLast, 0},
    {4, 8, kCGImageAlphaNoneSkipLast, 0},
    {0, 8, kCGImageAlphaPremultipliedLast, 0},
    {0, 8, kCGImageAlphaNone, 0},
    {0, 16, kCGImageAlphaOnly, 0},
};

static CGColorSpaceRef space_of(int model) {
  switch (model) {
    case 1: return CGColorSpaceCreateDeviceGray();
    case 3: return CGColorSpaceCreateDeviceRGB();
    case 4: return CGColorSpaceCreateDeviceCMYK();
    default: return NULL;
  }
}

static void test_formats(void) {
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
    const Format *f = &formats[i];
    CGColorSpaceRef space = space_of(f->model);
    CGContextRef c = CGBitmapContextCreate(NULL, 5, 3, f->bpc, 0, space, f->info);
    if (f->bpp == 0) {
      if (!CHECK(c == NULL)) fprintf(stderr, "  format %zu should be rejected\n", i);
      CGContextRelease(c);
    } else if (CHECK(c != NULL)) {
      CHECK_EQ(CGBitmapContextGetBitsPerPixel(c), f->bpp);
      CHECK_EQ(CGBitmapContextGetBitsPerComponent(c), f->bpc);
      CHECK_EQ(CGBitmapContextGetBitmapInfo(c), f->info);
      CHECK_EQ(CGBitmapContextGetAlphaInfo(c), f->info & kCGBitmapAlphaInfoMask);
      CHECK_PTR_EQ(CGBitmapContextGetColorSpace(c), space);
      size_t bpr = CGBitmapContextGetBytesPerRow(c);
      CHECK(bpr >= 5 * f->bpp / 8 && bpr % 16 == 0);
      /* Zeroed memory, and every format can be filled, cleared, drawn and snapshotted. */
      const unsigned char *d = CGBitmapContextGetData(c);
      int zero = 1;
      for (size_t k = 0; k < 3 * bpr; k++) zero &= d[k] == 0;
      CHECK(zero);
      CGContextSetRGBFillColor(c, 0.2, 0.4, 0.6, 1.0);
      CGContextFillRect(c, CGRectMake(1, 1, 3, 1));
      CGImageRef snap = CGBitmapContextCreateImage(c);
      if (CHECK(snap != NULL)) {
        CHECK_EQ(CGImageGetBitsPerPixel(snap), f->bpp);
        CHECK_EQ(CGImageGetBytesPerRow(snap), bpr);
        CHECK_EQ(CGImageGetBitmapInfo(snap), f->info);
        CGContextClearRect(c, CGRectMake(0, 0, 5, 3));
        CGContextDrawImage(c, CGRectMake(0, 0, 5, 3), snap);
        /* Drawing the snapshot back restores the pixels exactly (same-format byte copy, or a
         * premultiplied round trip through float that is exact for these depths). */
        CFDataRef bits = CGDataProviderCopyData(CGImageGetDataProvider(snap));
        CHECK_MEM_EQ(CGBitmapContextGetData(c), CFDataGetBytePtr(bits), 2 * bpr + 5 * f->bpp / 8);
        CFRelease(bits);
        CGImageRelease(snap);
      }
      CGContextRelease(c);
    }
    CGColorSpaceRelease(space);
  }
  /* Zero sizes. */
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CHECK(CGBitmapContextCreate(NULL, 0, 4, 8, 0, rgb, kCGImageAlphaPremultipliedLast) == NULL);
  CHECK(CGBitmapContextCreate(NULL, 4, 0, 8, 0, rgb, kCGImageAlphaPremultipliedLast) == NULL);
  CHECK(CGBitmapContextCreate(NULL, (size_t)1 << 62, 4, 8, 0, rgb, kCGImageAlphaPremultipliedLast) == NULL);
  CGColorSpaceRelease(rgb);
}

static void test_bytes_per_row(void) {
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  /* Zero is computed and padded: 300 px RGBA gives 1216 (§B.2). */
  CGContextRef c = CGBitmapContextCreate(NULL, 300, 2, 8, 0, rgb, kCGImageAlphaPremultipliedLast);
  CHECK_EQ(CGBitmapContextGetBytesPerRow(c), 1216);
  CGContextRelease(c);
  /* Explicit values are echoed (§B.9: 10 x 8, 40). */
  c = CGBitmapContextCreate(NULL, 10, 8, 8, 40, rgb, kCGImageAlphaPremultipliedLast);
  REQUIRE(c != NULL);
  CHECK_EQ(CGBitmapContextGetWidth(c), 10);
  CHECK_EQ(CGBitmapContextGetHeight(c), 8);
  CHECK_EQ(CGBitmapContextGetBitsPerComponent(c), 8);
  CHECK_EQ(CGBitmapContextGetBitsPerPixel(c), 32);
  CHECK_EQ(CGBitmapContextGetBytesPerRow(c), 40);
  CHECK_EQ(CGColorSpaceGetModel(CGBitmapContextGetColorSpace(c)), kCGColorSpaceModelRGB);
  CHECK(CGBitmapContextGetData(c) != NULL);
  CGContextRelease(c);
  c = CGBitmapContextCreate(NULL, 10, 8, 8, 1001, rgb, kCGImageAlphaPremultipliedLast);
  CHECK_EQ(CGBitmapContextGetBytesPerRow(c), 1001);
  CGContextRelease(c);
  /* Below one row: NULL. */
  CHECK(CGBitmapContextCreate(NULL, 300, 2, 8, 1199, rgb, kCGImageAlphaPremultipliedFirst) == NULL);
  /* RGB555 is 16 bits per pixel, not (5 * 3 + 7) / 8 = 2 bytes... which is the same; 4 px: 8. */
  CHECK(CGBitmapContextCreate(NULL, 4, 1, 5, 7, rgb, kCGImageAlphaNoneSkipFirst) == NULL);
  c = CGBitmapContextCreate(NULL, 4, 1, 5, 8, rgb, kCGImageAlphaNoneSkipFirst);
  CHECK(c != NULL);
  CGContextRelease(c);
  /* Caller data with bytesPerRow 0: the tight minimum; the caller's bytes are not cleared. */
  unsigned char buf[3 * 20];
  memset(buf, 0xAB, sizeof buf);
  c = CGBitmapContextCreate(buf, 5, 3, 8, 0, rgb, kCGImageAlphaPremultipliedLast);
  REQUIRE(c != NULL);
  CHECK_EQ(CGBitmapContextGetBytesPerRow(c), 20);
  CHECK_PTR_EQ(CGBitmapContextGetData(c), buf);
  CHECK_EQ(buf[0], 0xAB);
  CGContextRelease(c);
  CGColorSpaceRelease(rgb);
}

static void test_release_callback(void) {
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  unsigned char *buf = malloc(4 * 16);
  int info_token = 0;
  release_calls = 0;
  CGContextRef c = CGBitmapContextCreateWithData(buf, 4, 4, 8, 16, rgb, kCGImageAlphaPremultipliedLast, on_release,
                                                 &info_token);
  REQUIRE(c != NULL);
  CGContextRetain(c);
  CGContextRelease(c);
  CHECK_EQ(release_calls, 0);
  CGImageRef snap = CGBitmapContextCreateImage(c); /* a copy: does not keep the buffer */
  CGContextRelease(c);
  CHECK_EQ(release_calls, 1);
  CHECK_PTR_EQ(released_data, buf);
  CHECK_PTR_EQ(released_info, &info_token);
  CGImageRelease(snap);
  CHECK_EQ(release_calls, 1);
  free(buf);
  /* A failed create never calls it; data == NULL never calls it. */
  release_calls = 0;
  unsigned char small[16];
  CHECK(CGBitmapContextCreateWithData(small, 4, 1, 8, 15, rgb, kCGImageAlphaPremultipliedLast, on_release, NULL) ==
        NULL);
  c = CGBitmapContextCreateWithData(NULL, 4, 1, 8, 0, rgb, kCGImageAlphaPremultipliedLast, on_release, NULL);
  CHECK(c != NULL);
  CGContextRelease(c);
  CHECK_EQ(release_calls, 0);
  CGColorSpaceRelease(rgb);
}

static void test_null_context(void) {
  CGContextRef n = NULL;
  CHECK(CGBitmapContextGetData(n) == NULL);
  CHECK_EQ(CGBitmapContextGetWidth(n), 0);
  CHECK_EQ(CGBitmapContextGetHeight(n), 0);
  CHECK_EQ(CGBitmapContextGetBitsPerComponent(n), 0);
  CHECK_EQ(CGBitmapContextGetBitsPerPixel(n), 0);
  CHECK_EQ(CGBitmapContextGetBytesPerRow(n), 0);
  CHECK(CGBitmapContextGetColorSpace(n) == NULL);
  CHECK_EQ(CGBitmapContextGetAlphaInfo(n), kCGImageAlphaNone);
  CHECK_EQ(CGBitmapContextGetBitmapInfo(n), 0);
  CHECK(CGBitmapContextCreateImage(n) == NULL);
  CHECK(CGContextRetain(n) == NULL);
  CGContextRelease(n);
  CGContextSaveGState(n);
  CGContextRestoreGState(n);
  CGContextTranslateCTM(n, 1, 1);
  CGContextScaleCTM(n, 1, 1);
  CGContextRotateCTM(n, 1);
  CGContextConcatCTM(n, CGAffineTransformIdentity);
  CHECK(CGAffineTransformIsIdentity(CGContextGetCTM(n)));
  CGContextSetRGBFillColor(n, 1, 0, 0, 1);
  CGContextSetGrayFillColor(n, 1, 1);
  CGContextFillRect(n, CGRectMake(0, 0, 1, 1));
  CGContextClearRect(n, CGRectMake(0, 0, 1, 1));
  CGContextClipToRect(n, CGRectMake(0, 0, 1, 1));
  CGContextSetBlendMode(n, kCGBlendModeCopy);
  CGContextSetAlpha(n, 0.5);
  CGContextSetInterpolationQuality(n, kCGInterpolationHigh);
  CHECK_EQ(CGContextGetInterpolationQuality(n), kCGInterpolationDefault);
  CGContextDrawImage(n, CGRectMake(0, 0, 1, 1), NULL);
  CGContextFlush(n);
  CGContextSynchronize(n);
  /* An object that is not a context is refused the same way. */
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CHECK_EQ(CGBitmapContextGetWidth((CGContextRef)rgb), 0);
  CGColorSpaceRelease(rgb);
  /* A NULL image draws nothing. */
  CGContextRef c = rgba_context(2, 2);
  CGContextDrawImage(c, CGRectMake(0, 0, 2, 2), NULL);
  CHECK_EQ(px(c, 0, 0)[3], 0);
  CHECK_EQ(CGContextGetTypeID(), CFGetTypeID(c));
  CHECK(CGContextGetTypeID() != CGImageGetTypeID());
  CGContextFlush(c);
  CGContextSynchronize(c);
  CGContextRelease(c);
}

/* ---- drawing -------------------------------------------------------------------------------- */

enum { IW = 4, IH = 3 };
static unsigned char image_bytes[IH * IW * 4];

/* An opaque RGBA image whose every pixel is distinct. */
static CGImageRef test_image(uint32_t info, bool interpolate) {
  for (int y = 0; y < IH; y++)
    for (int x = 0; x < IW; x++) {
      unsigned char *p = image_bytes + (y * IW + x) * 4;
      p[0] = (unsigned char)(20 + 50 * x);
      p[1] = (unsigned char)(30 + 70 * y);
      p[2] = (unsigned char)(7 * x * y + 1);
      p[3] = 255;
    }
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGImageRef img = make_image(IW, IH, 8, 32, IW * 4, rgb, info, image_bytes, interpolate);
  CGColorSpaceRelease(rgb);
  return img;
}

static const unsigned char *image_px(int u, int v) { return image_bytes + (v * IW + u) * 4; }

static void test_same_size(void) {
  CGImageRef img = test_image(kCGImageAlphaPremultipliedLast, true);
  CGContextRef c = rgba_context(IW, IH);
  CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
  /* Image row 0 at the top of the rect: memory equals the image. */
  for (int v = 0; v < IH; v++) CHECK_MEM_EQ(px(c, 0, v), image_px(0, v), IW * 4);
  CGContextRelease(c);
  CGImageRelease(img);
  /* Same through the float path (NoneSkipLast source, quality None vs Default: 1:1 is exact). */
  img = test_image(kCGImageAlphaNoneSkipLast, true);
  c = rgba_context(IW, IH);
  CGContextSetAlpha(c, 1.0);
  CGContextSetBlendMode(c, kCGBlendModeMultiply); /* draws as Normal */
  CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
  for (int v = 0; v < IH; v++) CHECK_MEM_EQ(px(c, 0, v), image_px(0, v), IW * 4);
  CGContextRelease(c);
  CGImageRelease(img);
}

/* Non-premultiplied image with alpha into a cleared context: premultiplied (c*a + 127)/255 +-1. */
static void test_straight_alpha(void) {
  unsigned char bytes[2 * 4] = {200, 100, 50, 128, 255, 255, 255, 0};
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGImageRef img = make_image(2, 1, 8, 32, 8, rgb, kCGImageAlphaLast, bytes, true);
  CGContextRef c = rgba_context(2, 1);
  CGContextDrawImage(c, CGRectMake(0, 0, 2, 1), img);
  const unsigned char *p = px(c, 0, 0);
  for (int k = 0; k < 3; k++) CHECK(abs(p[k] - (bytes[k] * 128 + 127) / 255) <= 1);
  CHECK_EQ(p[3], 128);
  CHECK_EQ(p[4] | p[5] | p[6] | p[7], 0);
  CGContextRelease(c);
  CGImageRelease(img);
  CGColorSpaceRelease(rgb);
}

/* Nearest-neighbour scaling against B.6's formula, in a context with room around the rect. */
static void test_scaled_nearest(void) {
  CGImageRef img = test_image(kCGImageAlphaNoneSkipLast, true);
  enum { CW = 12, CH = 10 };
  const double rects[][4] = {{1, 2, 7, 5}, {0, 0, 12, 10}, {3, 1, 2, 2}, {2, 3, 8, 6}, {1.5, 0.25, 5.5, 7.5}};
  for (size_t k = 0; k < sizeof rects / sizeof rects[0]; k++) {
    CGContextRef c = rgba_context(CW, CH);
    CGContextSetInterpolationQuality(c, kCGInterpolationNone);
    CHECK_EQ(CGContextGetInterpolationQuality(c), kCGInterpolationNone);
    double x = rects[k][0], y = rects[k][1], w = rects[k][2], h = rects[k][3];
    CGContextDrawImage(c, CGRectMake(x, y, w, h), img);
    double top = CH - y - h; /* memory row of the rect's top edge */
    for (int r = 0; r < CH; r++)
      for (int i = 0; i < CW; i++) {
        double cx = i + 0.5, cy = r + 0.5;
        int inside = cx >= x && cx < x + w && cy >= top && cy < top + h;
        const unsigned char *p = px(c, (size_t)i, (size_t)r);
        if (!inside) {
          CHECK_EQ(p[3], 0);
          continue;
        }
        int u = (int)floor((cx - x) * IW / w), v = (int)floor((cy - top) * IH / h);
        const unsigned char *s = image_px(u, v);
        if (!CHECK(p[0] == s[0] && p[1] == s[1] && p[2] == s[2] && p[3] == 255))
          fprintf(stderr, "  rect %zu pixel (%d, %d): source (%d, %d)\n", k, i, r, u, v);
      }
    CGContextRelease(c);
  }
  /* shouldInterpolate == false: nearest whatever the quality. */
  CGImageRef hard = test_image(kCGImageAlphaNoneSkipLast, false);
  CGContextRef c = rgba_context(8, 6);
  CGContextSetInterpolationQuality(c, kCGInterpolationHigh);
  CGContextDrawImage(c, CGRectMake(0, 0, 8, 6), hard);
  for (int r = 0; r < 6; r++)
    for (int i = 0; i < 8; i++) CHECK_MEM_EQ(px(c, (size_t)i, (size_t)r), image_px(i / 2, r / 2), 3);
  CGContextRelease(c);
  CGImageRelease(hard);
  CGImageRelease(img);
}

/* Low quality is bilinear with edges extended: within 1 of a float64 reference. */
static void test_scaled_bilinear(void) {
  CGImageRef img = test_image(kCGImageAlphaNoneSkipLast, true);
  enum { CW = 10, CH = 7 };
  CGContextRef c = rgba_context(CW, CH);
  CGContextSetInterpolationQuality(c, kCGInterpolationLow);
  CGContextDrawImage(c, CGRectMake(0, 0, CW, CH), img);
  int worst = 0;
  for (int r = 0; r < CH; r++)
    for (int i = 0; i < CW; i++) {
      double u = (i + 0.5) * IW / CW - 0.5, v = (r + 0.5) * IH / CH - 0.5;
      double fu = floor(u), fv = floor(v);
      int u0 = (int)fu, v0 = (int)fv;
      double ax = u - fu, ay = v - fv;
#define CL(n, m) ((n) < 0 ? 0 : (n) > (m) - 1 ? (m) - 1 : (n))
      for (int k = 0; k < 3; k++) {
        double a = image_px(CL(u0, IW), CL(v0, IH))[k], b = image_px(CL(u0 + 1, IW), CL(v0, IH))[k];
        double cc = image_px(CL(u0, IW), CL(v0 + 1, IH))[k], d = image_px(CL(u0 + 1, IW), CL(v0 + 1, IH))[k];
        double want = (a + (b - a) * ax) * (1 - ay) + (cc + (d - cc) * ax) * ay;
        int diff = abs(px(c, (size_t)i, (size_t)r)[k] - (int)floor(want + 0.5));
        if (diff > worst) worst = diff;
      }
#undef CL
    }
  CHECK(worst <= 1);
  CGContextRelease(c);
  CGImageRelease(img);
}

/* Flipped: Translate(0, h) then Scale(1, -1) turns the image upside down in memory; with every
 * quality (quarter turns and reflections are exact). */
static void test_flipped_and_rotated(void) {
  CGImageRef img = test_image(kCGImageAlphaNoneSkipLast, true);
  const int qualities[] = {kCGInterpolationNone, kCGInterpolationDefault, kCGInterpolationLow,
                           kCGInterpolationMedium, kCGInterpolationHigh};
  for (size_t q = 0; q < 5; q++) {
    CGContextRef c = rgba_context(IW, IH);
    CGContextSetInterpolationQuality(c, qualities[q]);
    CGContextTranslateCTM(c, 0, IH);
    CGContextScaleCTM(c, 1, -1);
    CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
    for (int v = 0; v < IH; v++) CHECK_MEM_EQ(px(c, 0, (size_t)(IH - 1 - v)), image_px(0, v), IW * 4);
    CGContextRelease(c);

    /* Mirrored: Translate(w, 0), Scale(-1, 1). */
    c = rgba_context(IW, IH);
    CGContextSetInterpolationQuality(c, qualities[q]);
    CGContextTranslateCTM(c, IW, 0);
    CGContextScaleCTM(c, -1, 1);
    CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
    for (int v = 0; v < IH; v++)
      for (int u = 0; u < IW; u++) CHECK_MEM_EQ(px(c, (size_t)(IW - 1 - u), (size_t)v), image_px(u, v), 4);
    CGContextRelease(c);

    /* Rotated 90 degrees counter-clockwise (EXIF 8's CTM): a W x H image into an H x W
     * context; the image's top row becomes the left column read bottom-up. */
    c = rgba_context(IH, IW);
    CGContextSetInterpolationQuality(c, qualities[q]);
    CGContextTranslateCTM(c, IH, 0);
    CGContextRotateCTM(c, PI_ / 2);
    CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
    for (int v = 0; v < IH; v++)
      for (int u = 0; u < IW; u++) {
        /* user (u + .5, IH - v - .5) -> device (IH - (IH - v - .5), u + .5) = (v + .5, u + .5) up */
        if (!CHECK_MEM_EQ(px(c, (size_t)v, (size_t)(IW - 1 - u)), image_px(u, v), 4))
          fprintf(stderr, "  quality %d, source (%d, %d)\n", qualities[q], u, v);
      }
    /* Half-turn (EXIF 3) and clockwise turn (EXIF 6) too. */
    CGContextRelease(c);
    c = rgba_context(IW, IH);
    CGContextSetInterpolationQuality(c, qualities[q]);
    CGContextTranslateCTM(c, IW, IH);
    CGContextRotateCTM(c, PI_);
    CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
    for (int v = 0; v < IH; v++)
      for (int u = 0; u < IW; u++)
        CHECK_MEM_EQ(px(c, (size_t)(IW - 1 - u), (size_t)(IH - 1 - v)), image_px(u, v), 4);
    CGContextRelease(c);
    c = rgba_context(IH, IW);
    CGContextSetInterpolationQuality(c, qualities[q]);
    CGContextTranslateCTM(c, 0, IW);
    CGContextRotateCTM(c, -PI_ / 2);
    CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
    for (int v = 0; v < IH; v++)
      for (int u = 0; u < IW; u++) CHECK_MEM_EQ(px(c, (size_t)(IH - 1 - v), (size_t)u), image_px(u, v), 4);
    CGContextRelease(c);
  }
  /* An arbitrary rotation (warp path): touches only pixels whose centres map inside the image,
   * and the centre pixel of a 45-degree turn of a uniform image keeps its colour. */
  unsigned char flat[8 * 8 * 4];
  for (int k = 0; k < 64; k++) {
    flat[k * 4] = 10;
    flat[k * 4 + 1] = 200;
    flat[k * 4 + 2] = 90;
    flat[k * 4 + 3] = 255;
  }
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGImageRef uni = make_image(8, 8, 8, 32, 32, rgb, kCGImageAlphaPremultipliedLast, flat, true);
  CGContextRef c = rgba_context(16, 16);
  CGContextTranslateCTM(c, 8, 8);
  CGContextRotateCTM(c, PI_ / 4);
  CGContextDrawImage(c, CGRectMake(-4, -4, 8, 8), uni);
  for (int r = 0; r < 16; r++)
    for (int i = 0; i < 16; i++) {
      double dx = i + 0.5 - 8, dy = 8 - (r + 0.5);
      double u = (dx + dy) / sqrt(2.0), v = (dy - dx) / sqrt(2.0); /* rotate back by -45 */
      const unsigned char *p = px(c, (size_t)i, (size_t)r);
      if (fabs(u) < 3.9 && fabs(v) < 3.9) {
        CHECK(abs(p[0] - 10) <= 1 && abs(p[1] - 200) <= 1 && abs(p[2] - 90) <= 1 && p[3] == 255);
      } else if (fabs(u) > 4.1 || fabs(v) > 4.1) {
        CHECK_EQ(p[3], 0);
      }
    }
  CGContextRelease(c);
  CGImageRelease(uni);
  CGColorSpaceRelease(rgb);
  CGImageRelease(img);
}

/* Translated partly outside: only the visible part is drawn; everything else is untouched. */
static void test_clipped(void) {
  CGImageRef img = test_image(kCGImageAlphaNoneSkipLast, true);
  CGContextRef c = rgba_context(5, 4);
  memset(CGBitmapContextGetData(c), 0x5A, CGBitmapContextGetBytesPerRow(c) * 4);
  CGContextTranslateCTM(c, -2, 2); /* the image's bottom-left at (-2, 2): rows 0..1 up top */
  CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
  for (int r = 0; r < 4; r++)
    for (int i = 0; i < 5; i++) {
      int u = i + 2, v = r + 1; /* device row r (top down) = image row r + 1 */
      const unsigned char *p = px(c, (size_t)i, (size_t)r);
      if (u < IW && r < 2) CHECK_MEM_EQ(p, image_px(u, v), 4);
      else CHECK(p[0] == 0x5A && p[1] == 0x5A && p[2] == 0x5A && p[3] == 0x5A);
    }
  CGContextRelease(c);
  /* §B.9: clip (2,2,4,4), fill 10x10 green. */
  c = rgba_context(10, 10);
  CGContextClipToRect(c, CGRectMake(2, 2, 4, 4));
  CGContextSetRGBFillColor(c, 0, 1, 0, 1);
  CGContextFillRect(c, CGRectMake(0, 0, 10, 10));
  const unsigned char *p = px(c, 4, 4);
  CHECK(p[0] == 0 && p[1] == 255 && p[2] == 0 && p[3] == 255);
  CHECK_EQ(px(c, 0, 0)[3], 0);
  int count = 0;
  for (int r = 0; r < 10; r++)
    for (int i = 0; i < 10; i++) count += px(c, (size_t)i, (size_t)r)[3] != 0;
  CHECK_EQ(count, 16);
  /* Clips only shrink, and RestoreGState brings the full clip back. */
  CGContextRelease(c);
  c = rgba_context(4, 4);
  CGContextSaveGState(c);
  CGContextClipToRect(c, CGRectMake(0, 0, 1, 1));
  CGContextRestoreGState(c);
  CGContextFillRect(c, CGRectMake(0, 0, 4, 4));
  CHECK_EQ(px(c, 3, 0)[3], 255);
  CGContextRelease(c);
  CGImageRelease(img);
}

static int round_half_up(double v) { return (int)floor(v + 0.5); }

/* Fills, clears and blend modes (§B.7) against direct premultiplied formulas. */
static void test_fill_and_blend(void) {
  CGContextRef c = rgba_context(4, 2);
  /* FillRect(0,0,1,1) writes the first pixel of the last memory row. */
  CGContextSetRGBFillColor(c, 200.0 / 255, 0, 0, 1);
  CGContextFillRect(c, CGRectMake(0, 0, 1, 1));
  CHECK(px(c, 0, 1)[0] == 200 && px(c, 0, 1)[3] == 255);
  CHECK_EQ(px(c, 0, 0)[3], 0);
  CHECK_EQ(px(c, 1, 1)[3], 0);
  /* Blue 200 at 50% over opaque red 200: Normal 100,0,100,255; Copy 0,0,100,128; Clear 0. */
  CGContextFillRect(c, CGRectMake(0, 0, 4, 2));
  CGContextSetRGBFillColor(c, 0, 0, 200.0 / 255, 0.5);
  CGContextFillRect(c, CGRectMake(0, 0, 1, 1));
  CGContextSetBlendMode(c, kCGBlendModeCopy);
  CGContextFillRect(c, CGRectMake(1, 0, 1, 1));
  CGContextSetBlendMode(c, kCGBlendModeClear);
  CGContextFillRect(c, CGRectMake(2, 0, 1, 1));
  const unsigned char *p = px(c, 0, 1);
  CHECK(p[0] == 100 && p[1] == 0 && p[2] == 100 && p[3] == 255);
  p = px(c, 1, 1);
  CHECK(p[0] == 0 && p[1] == 0 && p[2] == 100 && p[3] == 128);
  p = px(c, 2, 1);
  CHECK(p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0);
  p = px(c, 3, 1);
  CHECK(p[0] == 200 && p[3] == 255);
  /* Global alpha 0.5 on red: 128,0,0,128 (+-1). */
  CGContextSetBlendMode(c, kCGBlendModeNormal);
  CGContextClearRect(c, CGRectMake(0, 0, 4, 2));
  CHECK_EQ(px(c, 3, 0)[3] | px(c, 3, 1)[0], 0);
  CGContextSetAlpha(c, 0.5);
  CGContextSetRGBFillColor(c, 1, 0, 0, 1);
  CGContextFillRect(c, CGRectMake(0, 0, 1, 1));
  p = px(c, 0, 1);
  CHECK(abs(p[0] - 128) <= 1 && p[1] == 0 && abs(p[3] - 128) <= 1);
  CGContextRelease(c);

  /* A grid of source colours and alphas over a grid of destinations: Normal = S + D(1 - Sa)
   * on premultiplied values, Copy = S, with the global alpha; the fill is quantised first. */
  int worst = 0;
  const double alphas[] = {0, 0.1, 0.25, 0.5, 0.77, 1};
  const double globals[] = {1, 0.6};
  for (int mode = 0; mode < 2; mode++)
    for (int g = 0; g < 2; g++)
      for (int sa = 0; sa < 6; sa++)
        for (int da = 0; da < 6; da++) {
          c = rgba_context(1, 1);
          unsigned char *d = px(c, 0, 0);
          int dA = round_half_up(alphas[da] * 255);
          d[0] = (unsigned char)(dA * 3 / 4);
          d[1] = (unsigned char)(dA / 3);
          d[2] = (unsigned char)dA;
          d[3] = (unsigned char)dA;
          unsigned char before[4];
          memcpy(before, d, 4);
          const double s[3] = {0.9, 0.3, 0.6};
          CGContextSetAlpha(c, globals[g]);
          CGContextSetBlendMode(c, mode ? kCGBlendModeCopy : kCGBlendModeNormal);
          CGContextSetRGBFillColor(c, s[0], s[1], s[2], alphas[sa]);
          CGContextFillRect(c, CGRectMake(0, 0, 1, 1));
          double a = alphas[sa] * globals[g];
          for (int k = 0; k < 4; k++) {
            double sk = (k < 3 ? s[k] * alphas[sa] : alphas[sa]) * globals[g];
            double want = mode ? sk : sk + before[k] / 255.0 * (1 - a);
            int diff = abs(d[k] - round_half_up(want * 255));
            if (diff > worst) worst = diff;
          }
          CGContextRelease(c);
        }
  CHECK(worst <= 1);

  /* Gray fill in an RGB context and RGB fill in a gray context. */
  c = rgba_context(1, 1);
  CGContextSetGrayFillColor(c, 1, 1);
  CGContextFillRect(c, CGRectMake(0, 0, 1, 1));
  p = px(c, 0, 0);
  CHECK(p[0] == 255 && p[1] == 255 && p[2] == 255 && p[3] == 255);
  CGContextRelease(c);
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  c = CGBitmapContextCreate(NULL, 2, 1, 8, 0, gray, kCGImageAlphaNone);
  CGContextSetRGBFillColor(c, 1, 1, 1, 1);
  CGContextFillRect(c, CGRectMake(1, 0, 1, 1));
  CHECK_EQ(((unsigned char *)CGBitmapContextGetData(c))[0], 0);
  CHECK_EQ(((unsigned char *)CGBitmapContextGetData(c))[1], 255);
  CGContextRelease(c);
  /* ClearRect in a context without alpha: black; skip bytes zero too. */
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  c = CGBitmapContextCreate(NULL, 2, 1, 8, 0, rgb, kCGImageAlphaNoneSkipFirst);
  CGContextSetRGBFillColor(c, 1, 1, 1, 1);
  CGContextFillRect(c, CGRectMake(0, 0, 2, 1));
  CGContextClearRect(c, CGRectMake(1, 0, 1, 1));
  unsigned char *d = CGBitmapContextGetData(c);
  CHECK(d[0] == 255 && d[1] == 255 && d[4] == 0 && d[5] == 0 && d[7] == 0);
  CGContextRelease(c);
  CGColorSpaceRelease(rgb);
  CGColorSpaceRelease(gray);
}

static void test_snapshot(void) {
  CGContextRef c = rgba_context(2, 2);
  CGContextSetRGBFillColor(c, 1, 0, 0, 1);
  CGContextFillRect(c, CGRectMake(0, 0, 2, 2));
  CGImageRef snap = CGBitmapContextCreateImage(c);
  REQUIRE(snap != NULL);
  CHECK_EQ(CGImageGetWidth(snap), 2);
  CHECK_EQ(CGImageGetBitsPerComponent(snap), 8);
  CHECK_EQ(CGImageGetAlphaInfo(snap), kCGImageAlphaPremultipliedLast);
  CHECK_PTR_EQ(CGImageGetColorSpace(snap), CGBitmapContextGetColorSpace(c));
  /* Later drawing and writes through GetData do not show in it. */
  CGContextSetRGBFillColor(c, 0, 0, 1, 1);
  CGContextFillRect(c, CGRectMake(0, 0, 1, 1));
  ((unsigned char *)CGBitmapContextGetData(c))[0] = 7;
  CFDataRef bits = CGDataProviderCopyData(CGImageGetDataProvider(snap));
  const unsigned char *b = CFDataGetBytePtr(bits);
  size_t bpr = CGImageGetBytesPerRow(snap);
  for (int r = 0; r < 2; r++)
    for (int i = 0; i < 2; i++) CHECK(b[r * bpr + i * 4] == 255 && b[r * bpr + i * 4 + 2] == 0);
  CFRelease(bits);
  CGImageRelease(snap);
  CGContextRelease(c);
  /* Alpha-only context without a space: an alpha-only image. */
  c = CGBitmapContextCreate(NULL, 3, 1, 8, 0, NULL, kCGImageAlphaOnly);
  REQUIRE(c != NULL);
  CHECK(CGBitmapContextGetColorSpace(c) == NULL);
  CGContextSetRGBFillColor(c, 0.3, 0.3, 0.3, 0.5);
  CGContextFillRect(c, CGRectMake(0, 0, 1, 1));
  CHECK_EQ(((unsigned char *)CGBitmapContextGetData(c))[0], 128);
  snap = CGBitmapContextCreateImage(c);
  CHECK(snap != NULL);
  CHECK_EQ(CGImageGetAlphaInfo(snap), kCGImageAlphaOnly);
  CGImageRelease(snap);
  CGContextRelease(c);
}

static void test_gstate_and_ctm(void) {
  CGContextRef c = rgba_context(4, 4);
  CHECK(CGAffineTransformIsIdentity(CGContextGetCTM(c)));
  CGContextTranslateCTM(c, 2, 3);
  CGContextSaveGState(c);
  CGContextScaleCTM(c, 2, 2);
  CGAffineTransform t = CGContextGetCTM(c);
  CHECK(t.a == 2 && t.b == 0 && t.c == 0 && t.d == 2 && t.tx == 2 && t.ty == 3);
  CGContextSetInterpolationQuality(c, kCGInterpolationMedium);
  CGContextSetInterpolationQuality(c, 99); /* ignored */
  CHECK_EQ(CGContextGetInterpolationQuality(c), kCGInterpolationMedium);
  CGContextSetRGBFillColor(c, 0, 0, 1, 1);
  CGContextRestoreGState(c);
  CGContextRestoreGState(c); /* unbalanced: nothing */
  t = CGContextGetCTM(c);
  CHECK(t.a == 1 && t.d == 1 && t.tx == 2 && t.ty == 3);
  CHECK_EQ(CGContextGetInterpolationQuality(c), kCGInterpolationDefault);
  /* The fill colour came back too: opaque black. */
  CGContextFillRect(c, CGRectMake(-2, -3, 1, 1));
  const unsigned char *p = px(c, 0, 3);
  CHECK(p[0] == 0 && p[2] == 0 && p[3] == 255);
  CGAffineTransform m = CGAffineTransformMake(1, 0, 0, 1, 5, 6);
  CGContextConcatCTM(c, m);
  t = CGContextGetCTM(c);
  CHECK(t.tx == 7 && t.ty == 9);
  CGContextRelease(c);

  /* CGAffineTransform functions against hand-written matrices. */
  CHECK(CGAffineTransformIsIdentity(CGAffineTransformIdentity));
  CHECK(!CGAffineTransformIsIdentity(CGAffineTransformMakeTranslation(1, 0)));
  CGAffineTransform s = CGAffineTransformMakeScale(2, 3);
  CHECK(s.a == 2 && s.d == 3 && s.b == 0 && s.tx == 0);
  CGAffineTransform r = CGAffineTransformMakeRotation(PI_ / 2);
  CHECK(fabs(r.a) < 1e-15 && r.b == 1 && r.c == -1 && fabs(r.d) < 1e-15);
  CGAffineTransform tr = CGAffineTransformMakeTranslation(4, 5);
  CGAffineTransform st = CGAffineTransformConcat(s, tr); /* scale first, then translate */
  CHECK(st.a == 2 && st.d == 3 && st.tx == 4 && st.ty == 5);
  CGAffineTransform ts = CGAffineTransformConcat(tr, s);
  CHECK(ts.tx == 8 && ts.ty == 15);
  CGAffineTransform inv = CGAffineTransformInvert(ts);
  CGAffineTransform id = CGAffineTransformConcat(ts, inv);
  CHECK(fabs(id.a - 1) < 1e-12 && fabs(id.d - 1) < 1e-12 && fabs(id.tx) < 1e-12 && fabs(id.ty) < 1e-12);
  CGAffineTransform sing = CGAffineTransformMake(1, 2, 2, 4, 1, 1);
  CGAffineTransform same = CGAffineTransformInvert(sing);
  CHECK(memcmp(&same, &sing, sizeof same) == 0);
  CGPoint q = CGPointApplyAffineTransform(CGPointMake(1, 1), ts);
  CHECK(q.x == 10 && q.y == 18);
}

/* Other depths: 16-bit and float contexts take an 8-bit image exactly (v * 257, v / 255). */
static void test_depths(void) {
  CGImageRef img = test_image(kCGImageAlphaNoneSkipLast, true);
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGContextRef c =
      CGBitmapContextCreate(NULL, IW, IH, 16, 0, rgb, kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little);
  CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
  const uint16_t *d = CGBitmapContextGetData(c);
  size_t stride = CGBitmapContextGetBytesPerRow(c) / 2;
  for (int v = 0; v < IH; v++)
    for (int u = 0; u < IW; u++)
      for (int k = 0; k < 4; k++) CHECK_EQ(d[v * stride + u * 4 + k], image_px(u, v)[k] * 257);
  CGContextRelease(c);
  c = CGBitmapContextCreate(NULL, IW, IH, 32, 0, rgb,
                            kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little);
  CGContextDrawImage(c, CGRectMake(0, 0, IW, IH), img);
  const float *f = CGBitmapContextGetData(c);
  stride = CGBitmapContextGetBytesPerRow(c) / 4;
  for (int v = 0; v < IH; v++)
    for (int u = 0; u < IW; u++)
      for (int k = 0; k < 3; k++) CHECK(fabsf(f[v * stride + u * 4 + k] - image_px(u, v)[k] / 255.0f) < 1e-6f);
  CGContextRelease(c);
  CGColorSpaceRelease(rgb);
  CGImageRelease(img);
}

int main(void) {
  test_formats();
  test_bytes_per_row();
  test_release_callback();
  test_null_context();
  test_same_size();
  test_straight_alpha();
  test_scaled_nearest();
  test_scaled_bilinear();
  test_flipped_and_rotated();
  test_clipped();
  test_fill_and_blend();
  test_snapshot();
  test_gstate_and_ctm();
  test_depths();
  return check_report();
}
