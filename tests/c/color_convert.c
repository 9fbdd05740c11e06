/*
 * Colour-managed conversions from C (issue 9): converters between named spaces for 8-bit,
 * 16-bit and float, premultiplied and straight RGBA, gray and CMYK; vImageBuffer_InitWithCGImage
 * of a Display P3 image into an sRGB buffer; vImageCreateCGImageFromBuffer in another space;
 * identical spaces stay bit-exact.
 */
#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <math.h>
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

static int near(int a, int b, int tol) { return abs(a - b) <= tol; }

/* One conversion of a few pixels; returns the error code. */
static vImage_Error convert(const vImage_CGImageFormat *s, const vImage_CGImageFormat *d, const void *src,
                            size_t sbytes, void *dst, size_t dbytes, size_t n) {
  vImage_Error err = 1;
  CGFloat bg[4] = {0, 0, 0, 0};
  vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(s, d, bg, kvImageNoFlags, &err);
  if (!c) return err;
  vImage_Buffer sb = buffer((void *)src, n, 1, sbytes), db = buffer(dst, n, 1, dbytes);
  err = vImageConvert_AnyToAny(c, &sb, &db, NULL, kvImageNoFlags);
  vImageConverter_Release(c);
  return err;
}

static void srgb_to_p3(CGColorSpaceRef srgb, CGColorSpaceRef p3) {
  /* 8-bit, straight and premultiplied: sRGB red is (234, 51, 35) in Display P3. */
  CGBitmapInfo infos[3] = {kCGImageAlphaLast, kCGImageAlphaPremultipliedLast, kCGImageAlphaNoneSkipLast};
  for (int i = 0; i < 3; i++) {
    vImage_CGImageFormat s = fmt(8, 32, infos[i], srgb), d = fmt(8, 32, infos[i], p3);
    uint8_t in[8] = {255, 0, 0, 255, 255, 255, 255, 255}, out[8] = {0};
    CHECK_EQ(convert(&s, &d, in, 8, out, 8, 2), kvImageNoError);
    CHECK(out[0] == 234 && out[1] == 51 && out[2] == 35 && out[3] == 255);
    CHECK(out[4] == 255 && out[5] == 255 && out[6] == 255);
  }
  /* Premultiplied half-transparent red: unpremultiply, transform, premultiply. */
  {
    vImage_CGImageFormat s = fmt(8, 32, kCGImageAlphaPremultipliedLast, srgb);
    vImage_CGImageFormat d = fmt(8, 32, kCGImageAlphaPremultipliedLast, p3);
    uint8_t in[4] = {128, 0, 0, 128}, out[4] = {0};
    CHECK_EQ(convert(&s, &d, in, 4, out, 4, 1), kvImageNoError);
    CHECK(near(out[0], (234 * 128 + 127) / 255, 1) && near(out[1], (51 * 128 + 127) / 255, 1) && out[3] == 128);
  }
  /* BGRA8888 (First | 32Little) into RGB888. */
  {
    vImage_CGImageFormat s = fmt(8, 32, kCGImageAlphaNoneSkipFirst | kCGBitmapByteOrder32Little, srgb);
    vImage_CGImageFormat d = fmt(8, 24, kCGImageAlphaNone, p3);
    uint8_t in[4] = {0, 0, 255, 255}, out[3] = {0};
    CHECK_EQ(convert(&s, &d, in, 4, out, 3, 1), kvImageNoError);
    CHECK(out[0] == 234 && out[1] == 51 && out[2] == 35);
  }
  /* 16-bit (host order) and float. */
  {
    vImage_CGImageFormat s = fmt(16, 48, kCGImageAlphaNone | kCGBitmapByteOrder16Little, srgb);
    vImage_CGImageFormat d = fmt(16, 48, kCGImageAlphaNone | kCGBitmapByteOrder16Little, p3);
    uint16_t in[3] = {65535, 0, 0}, out[3] = {0};
    CHECK_EQ(convert(&s, &d, in, 6, out, 6, 1), kvImageNoError);
    CHECK(fabs(out[0] / 65535.0 - 0.9175) < 0.002 && fabs(out[1] / 65535.0 - 0.2003) < 0.002 &&
          fabs(out[2] / 65535.0 - 0.1387) < 0.002);
  }
  {
    CGBitmapInfo fl = kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;
    vImage_CGImageFormat s = fmt(32, 128, fl, srgb), d = fmt(32, 128, fl, p3);
    float in[4] = {1, 0, 0, 0.5f}, out[4] = {0};
    CHECK_EQ(convert(&s, &d, in, 16, out, 16, 1), kvImageNoError);
    CHECK(fabsf(out[0] - 0.9175f) < 0.002f && fabsf(out[1] - 0.2003f) < 0.002f && fabsf(out[2] - 0.1387f) < 0.002f);
    CHECK(out[3] == 0.5f);
    /* And back: within 1e-4. */
    float back[4] = {0};
    CHECK_EQ(convert(&d, &s, out, 16, back, 16, 1), kvImageNoError);
    CHECK(fabsf(back[0] - 1) < 1e-4f && fabsf(back[1]) < 1e-4f && fabsf(back[2]) < 1e-4f);
  }
}

static void gray_and_cmyk(CGColorSpaceRef srgb) {
  /* RGB -> gray weighs by the D50 Y row (0.2225, 0.7169, 0.0606), not Rec.709 luma. */
  CGColorSpaceRef gray = CGColorSpaceCreateWithName(kCGColorSpaceGenericGrayGamma2_2);
  REQUIRE(gray != NULL);
  vImage_CGImageFormat s = fmt(8, 32, kCGImageAlphaNoneSkipLast, srgb), d = fmt(8, 8, kCGImageAlphaNone, gray);
  uint8_t in[12] = {0, 255, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255}, out[3] = {0};
  CHECK_EQ(convert(&s, &d, in, 12, out, 3, 3), kvImageNoError);
  CHECK(near(out[0], (int)lround(255 * pow(0.7169, 1 / 2.2)), 1));
  CHECK(out[1] == 255 && out[2] == 0);
  /* Gray -> straight RGBA: neutral stays neutral. */
  vImage_CGImageFormat rgba = fmt(8, 32, kCGImageAlphaLast, srgb);
  uint8_t g[2] = {0, 128}, rgb[8] = {0};
  CHECK_EQ(convert(&d, &rgba, g, 2, rgb, 8, 2), kvImageNoError);
  CHECK(rgb[0] == 0 && rgb[3] == 255 && rgb[4] == rgb[5] && rgb[5] == rgb[6] && rgb[7] == 255);
  double lin = pow(128 / 255.0, 2.2); /* gray 2.2 -> linear -> the IEC 61966-2-1 curve */
  CHECK(near(rgb[4], (int)lround(255 * (1.055 * pow(lin, 1 / 2.4) - 0.055)), 1));
  CGColorSpaceRelease(gray);

  /* CMYK: paper white and full black. */
  CGColorSpaceRef cmyk = CGColorSpaceCreateDeviceCMYK();
  vImage_CGImageFormat c = fmt(8, 32, kCGImageAlphaNone, cmyk), r = fmt(8, 24, kCGImageAlphaNone, srgb);
  uint8_t ink[8] = {0, 0, 0, 0, 0, 0, 0, 255}, px[6] = {0};
  CHECK_EQ(convert(&c, &r, ink, 8, px, 6, 2), kvImageNoError);
  CHECK(px[0] >= 250 && px[1] >= 250 && px[2] >= 250);
  CHECK(px[3] <= 60 && px[4] <= 60 && px[5] <= 60);
  CGColorSpaceRelease(cmyk);
}

static void bridge(CGColorSpaceRef srgb, CGColorSpaceRef p3) {
  /* A Display P3 image made from a buffer keeps its space; read into sRGB it is converted. */
  uint8_t pixels[8] = {234, 51, 35, 255, 10, 200, 30, 255};
  vImage_Buffer src = buffer(pixels, 2, 1, 8);
  vImage_CGImageFormat p3f = fmt(8, 32, kCGImageAlphaNoneSkipLast, p3);
  vImage_Error err = 1;
  CGImageRef image = vImageCreateCGImageFromBuffer(&src, &p3f, NULL, NULL, kvImageNoFlags, &err);
  REQUIRE(image != NULL);
  CHECK(CFEqual(CGImageGetColorSpace(image), p3));

  vImage_CGImageFormat want = fmt(8, 32, kCGImageAlphaNoneSkipLast, srgb);
  vImage_Buffer out;
  CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &want, NULL, image, kvImageNoFlags), kvImageNoError);
  const uint8_t *o = out.data;
  CHECK(near(o[0], 255, 1) && near(o[1], 0, 1) && near(o[2], 0, 1) && o[3] == 255);
  CHECK(o[4] == 0 && near(o[5], 206, 3)); /* P3 green beyond sRGB: clamped */
  free(out.data);

  /* A NULL colour space means sRGB: converted too. */
  vImage_CGImageFormat null_space = fmt(8, 32, kCGImageAlphaNoneSkipLast, NULL);
  CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &null_space, NULL, image, kvImageNoFlags), kvImageNoError);
  o = out.data;
  CHECK(near(o[0], 255, 1) && near(o[1], 0, 1));
  free(out.data);

  /* The image's own space: the bytes as they are. */
  CHECK_EQ(vImageBuffer_InitWithCGImage(&out, &p3f, NULL, image, kvImageNoFlags), kvImageNoError);
  CHECK_MEM_EQ(out.data, pixels, 8);
  free(out.data);
  CGImageRelease(image);
}

static void identity_is_bit_exact(CGColorSpaceRef p3) {
  enum { N = 1024 };
  uint8_t *in = malloc(4 * N), *out = malloc(4 * N);
  REQUIRE(in && out);
  for (int i = 0; i < 4 * N; i++) in[i] = (uint8_t)(i * 37 + (i >> 3));
  vImage_CGImageFormat f = fmt(8, 32, kCGImageAlphaLast, p3);
  CHECK_EQ(convert(&f, &f, in, 4 * N, out, 4 * N, N), kvImageNoError);
  CHECK_MEM_EQ(in, out, 4 * N);
  free(in);
  free(out);
}

int main(void) {
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CGColorSpaceRef p3 = CGColorSpaceCreateWithName(kCGColorSpaceDisplayP3);
  REQUIRE(srgb != NULL && p3 != NULL);
  srgb_to_p3(srgb, p3);
  gray_and_cmyk(srgb);
  bridge(srgb, p3);
  identity_is_bit_exact(p3);
  CGColorSpaceRelease(srgb);
  CGColorSpaceRelease(p3);
  return check_report();
}
