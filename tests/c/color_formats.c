/*
 * Colour formats end to end from C (issue 9): indexed images (8 and 4-bit) read through
 * vImageBuffer_InitWithCGImage and a converter, indexed destinations refused, RGBA float <-> Lab
 * in place, CMYK -> sRGB, extended sRGB from Display P3, half <-> 8-bit named conversions.
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

static vImage_Error convert(const vImage_CGImageFormat *s, const vImage_CGImageFormat *d, const void *src,
                            size_t sbytes, void *dst, size_t dbytes, size_t n) {
  vImage_Error err = 1;
  vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(s, d, NULL, kvImageNoFlags, &err);
  if (!c) return err;
  vImage_Buffer sb = {(void *)src, 1, n, sbytes}, db = {dst, 1, n, dbytes};
  err = vImageConvert_AnyToAny(c, &sb, &db, NULL, kvImageNoFlags);
  vImageConverter_Release(c);
  return err;
}

static const unsigned char TABLE[4 * 3] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};

static void indexed(CGColorSpaceRef srgb) {
  CGColorSpaceRef ix = CGColorSpaceCreateIndexed(srgb, 3, TABLE);
  CHECK(ix != NULL);
  if (!ix) return;
  CHECK_EQ(CGColorSpaceGetModel(ix), kCGColorSpaceModelIndexed);
  /* 8-bit indices, 5 x 2, index 9 past the last entry (3): clamped to entry 3. */
  uint8_t idx[10] = {0, 1, 2, 3, 9, 3, 2, 1, 0, 0};
  CGDataProviderRef p = CGDataProviderCreateWithData(NULL, idx, sizeof idx, NULL);
  CGImageRef img = CGImageCreate(5, 2, 8, 8, 5, ix, kCGImageAlphaNone, p, NULL, false, kCGRenderingIntentDefault);
  CHECK(img != NULL);
  if (img) {
    vImage_CGImageFormat rgba = fmt(8, 32, kCGImageAlphaPremultipliedLast, srgb);
    vImage_Buffer b;
    CHECK_EQ(vImageBuffer_InitWithCGImage(&b, &rgba, NULL, img, kvImageNoFlags), kvImageNoError);
    for (int y = 0; y < 2; y++)
      for (int x = 0; x < 5; x++) {
        int e = idx[y * 5 + x] > 3 ? 3 : idx[y * 5 + x];
        const uint8_t *px = (const uint8_t *)b.data + y * b.rowBytes + 4 * x;
        CHECK(px[0] == TABLE[3 * e] && px[1] == TABLE[3 * e + 1] && px[2] == TABLE[3 * e + 2] && px[3] == 255);
      }
    free(b.data);
    /* An indexed target format is refused (Apple cannot write indexed either). */
    vImage_CGImageFormat other = fmt(4, 4, kCGImageAlphaNone, ix);
    vImage_Buffer b2 = {0};
    CHECK_EQ(vImageBuffer_InitWithCGImage(&b2, &other, NULL, img, kvImageNoFlags), kvImageInvalidImageFormat);
    CGImageRelease(img);
  }
  CGDataProviderRelease(p);

  /* 4-bit indices through a converter into RGB888; the reverse (indexed destination) is refused. */
  {
    vImage_CGImageFormat s = fmt(4, 4, kCGImageAlphaNone, ix);
    vImage_CGImageFormat d = fmt(8, 24, kCGImageAlphaNone, srgb);
    uint8_t in[2] = {0x12, 0x3f}, out[12] = {0};
    CHECK_EQ(convert(&s, &d, in, 2, out, 12, 4), kvImageNoError);
    const int want[4] = {1, 2, 3, 3};
    for (int x = 0; x < 4; x++)
      CHECK(memcmp(out + 3 * x, TABLE + 3 * want[x], 3) == 0);
    vImage_Error err = 0;
    vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(&d, &s, NULL, kvImageNoFlags, &err);
    CHECK(c == NULL);
    CHECK_EQ(err, kvImageInvalidImageFormat);
  }
  CGColorSpaceRelease(ix);
}

static void lab_in_place(CGColorSpaceRef srgb) {
  CGColorSpaceRef lab = CGColorSpaceCreateWithName(kCGColorSpaceGenericLab);
  CHECK(lab != NULL);
  vImage_CGImageFormat s = fmt(32, 128, kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little, srgb);
  vImage_CGImageFormat d = fmt(32, 128, kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little, lab);
  float px[4 * 4] = {1, 1, 1, 1, 0, 0, 0, 0.5f, 0.2f, 0.6f, 0.9f, 1, 1, 0, 0, 0.25f};
  float orig[16];
  memcpy(orig, px, sizeof px);
  vImage_Error err = 0;
  vImageConverterRef to = vImageConverter_CreateWithCGImageFormat(&s, &d, NULL, kvImageNoFlags, &err);
  vImageConverterRef back = vImageConverter_CreateWithCGImageFormat(&d, &s, NULL, kvImageNoFlags, &err);
  CHECK(to != NULL && back != NULL);
  if (to && back) {
    vImage_Buffer b = {px, 1, 4, sizeof px};
    CHECK_EQ(vImageConvert_AnyToAny(to, &b, &b, NULL, kvImageNoFlags), kvImageNoError);
    /* White is L* 100, a* = b* = 0 in D50 Lab; black is 0. */
    CHECK(fabsf(px[0] - 100.0f) < 1e-2f && fabsf(px[1]) < 1e-2f && fabsf(px[2]) < 1e-2f);
    CHECK(fabsf(px[4]) < 1e-3f && px[7] == 0.5f);
    /* sRGB red: L* 54.29, a* 80.8, b* 69.9 (D50, Bradford). */
    CHECK(fabsf(px[12] - 54.29f) < 0.05f && fabsf(px[13] - 80.8f) < 0.3f && fabsf(px[14] - 69.9f) < 0.3f);
    CHECK_EQ(vImageConvert_AnyToAny(back, &b, &b, NULL, kvImageNoFlags), kvImageNoError);
    for (int i = 0; i < 16; i++) CHECK(fabsf(px[i] - orig[i]) < 1e-3f);
  }
  vImageConverter_Release(to);
  vImageConverter_Release(back);
  CGColorSpaceRelease(lab);
}

static void cmyk(CGColorSpaceRef srgb) {
  CGColorSpaceRef c = CGColorSpaceCreateWithName(kCGColorSpaceGenericCMYK);
  CHECK(c != NULL);
  vImage_CGImageFormat s = fmt(8, 32, kCGImageAlphaNone, c), d = fmt(8, 24, kCGImageAlphaNone, srgb);
  uint8_t in[12] = {0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0}, out[9] = {0};
  CHECK_EQ(convert(&s, &d, in, 12, out, 9, 3), kvImageNoError);
  CHECK(out[0] == 255 && out[1] == 255 && out[2] == 255);           /* paper */
  CHECK(out[3] <= 2 && out[4] <= 2 && out[5] <= 2);                 /* K = 100 % */
  CHECK(out[6] <= 2 && out[7] >= 250 && out[8] >= 250);             /* cyan: R = 1 - C */
  CGColorSpaceRelease(c);
}

static void extended(void) {
  CGColorSpaceRef p3 = CGColorSpaceCreateWithName(kCGColorSpaceDisplayP3);
  CGColorSpaceRef ext = CGColorSpaceCreateWithName(kCGColorSpaceExtendedSRGB);
  vImage_CGImageFormat s = fmt(8, 24, kCGImageAlphaNone, p3);
  vImage_CGImageFormat d = fmt(32, 96, kCGImageAlphaNone | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little, ext);
  uint8_t in[3] = {0, 210, 0};
  float out[3] = {0};
  CHECK_EQ(convert(&s, &d, in, 3, out, 12, 1), kvImageNoError);
  CHECK(fabsf(out[0] + 0.417f) < 2e-3f && out[1] > 0.8f && out[2] < -0.2f);
  CGColorSpaceRelease(p3);
  CGColorSpaceRelease(ext);
}

static void halves(void) {
  uint8_t bytes[256], back[256];
  uint16_t h[256];
  for (int i = 0; i < 256; i++) bytes[i] = (uint8_t)i;
  vImage_Buffer b8 = {bytes, 1, 256, 256}, bh = {h, 1, 256, 512}, bb = {back, 1, 256, 256};
  CHECK_EQ(vImageConvert_Planar8toPlanar16F(&b8, &bh, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(vImageConvert_Planar16FtoPlanar8(&bh, &bb, kvImageNoFlags), kvImageNoError);
  CHECK(memcmp(bytes, back, 256) == 0);
  CHECK_EQ(h[0], 0);
  CHECK_EQ(h[255], 0x3c00); /* 1.0 */
  /* 51 / 255 = 0.2 = 1.6 * 2^-3: exponent field 12, mantissa 0.6 * 1024 = 614.4 -> 614. */
  CHECK_EQ(h[51], (12 << 10) | 614);
  /* Halves out of range: 2.0 -> 255, -1.0 -> 0, NaN -> 0, 0.5 -> 128 (127.5 ties to even). */
  uint16_t odd[4] = {0x4000, 0xbc00, 0x7e00, 0x3800};
  uint8_t o[4] = {1, 1, 1, 1};
  vImage_Buffer so = {odd, 1, 4, 8}, dout = {o, 1, 4, 4};
  CHECK_EQ(vImageConvert_Planar16FtoPlanar8(&so, &dout, kvImageNoFlags), kvImageNoError);
  CHECK(o[0] == 255 && o[1] == 0 && o[2] == 0 && o[3] == 128);
}

int main(void) {
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  indexed(srgb);
  lab_in_place(srgb);
  cmyk(srgb);
  extended();
  halves();
  CGColorSpaceRelease(srgb);
  return check_report();
}
