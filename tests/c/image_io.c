/*
 * ImageIO from C (apple-imageio-context.md §A): CGImageSource over CFData, providers, URLs and
 * incremental data; properties; thumbnails (size rules, orientation); CGImageDestination to
 * CFMutableData, URLs and data consumers; PNG round trips; hostile bytes (every truncation of
 * a small file, junk) giving NULL / count 0 / a status error. PNG files are written by a tiny
 * encoder here (stored deflate blocks), so decoding is checked against values this program
 * chose, not against our own encoder.
 */
#include <CoreFoundation/CoreFoundation.h>
#include <CoreGraphics/CoreGraphics.h>
#include <ImageIO/ImageIO.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* ---- a tiny PNG writer ------------------------------------------------------------------- */

typedef struct {
  uint8_t *p;
  size_t n, cap;
} Buf;

static void put(Buf *b, const void *src, size_t n) {
  if (b->n + n > b->cap) {
    b->cap = (b->n + n) * 2 + 64;
    b->p = (uint8_t *)realloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}
static void put32(Buf *b, uint32_t v) {
  uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
  put(b, x, 4);
}
static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
  }
  return ~c;
}
static void chunk(Buf *b, const char *type, const uint8_t *data, size_t n) {
  put32(b, (uint32_t)n);
  size_t start = b->n;
  put(b, type, 4);
  if (n) put(b, data, n);
  put32(b, crc32(b->p + start, n + 4));
}

/* A PNG of raw (already filtered: each row starts with filter byte 0) scanlines. */
static Buf png_file(uint32_t w, uint32_t h, uint8_t depth, uint8_t colour, uint8_t interlace,
                    const uint8_t *raw, size_t raw_n, const uint8_t *plte, size_t plte_n,
                    const uint8_t *trns, size_t trns_n) {
  Buf b = {0};
  put(&b, "\x89PNG\r\n\x1a\n", 8);
  uint8_t ihdr[13] = {(uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w,
                      (uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h,
                      depth, colour, 0, 0, interlace};
  chunk(&b, "IHDR", ihdr, 13);
  if (plte) chunk(&b, "PLTE", plte, plte_n);
  if (trns) chunk(&b, "tRNS", trns, trns_n);
  Buf z = {0};
  put(&z, "\x78\x01", 2);
  size_t at = 0;
  do {
    size_t len = raw_n - at > 65535 ? 65535 : raw_n - at;
    uint8_t hdr[5] = {(uint8_t)(at + len == raw_n), (uint8_t)len, (uint8_t)(len >> 8),
                      (uint8_t)~len, (uint8_t)(~len >> 8)};
    put(&z, hdr, 5);
    put(&z, raw + at, len);
    at += len;
  } while (at < raw_n);
  uint32_t a = 1, s = 0;
  for (size_t i = 0; i < raw_n; i++) {
    a = (a + raw[i]) % 65521;
    s = (s + a) % 65521;
  }
  put32(&z, (s << 16) | a);
  chunk(&b, "IDAT", z.p, z.n);
  free(z.p);
  chunk(&b, "IEND", NULL, 0);
  return b;
}

/* ---- CF helpers --------------------------------------------------------------------------- */

static CFDataRef data_of(const Buf *b, size_t n) {
  return CFDataCreate(NULL, b->p, (CFIndex)n);
}

static long num(CFDictionaryRef d, CFStringRef key) {
  CFNumberRef v = (CFNumberRef)CFDictionaryGetValue(d, key);
  long out = -1;
  if (v == NULL || CFGetTypeID(v) != CFNumberGetTypeID()) return -999;
  CFNumberGetValue(v, kCFNumberLongType, &out);
  return out;
}

static CFDictionaryRef dict1(CFStringRef k, CFTypeRef v) {
  const void *keys[1] = {k}, *values[1] = {v};
  return CFDictionaryCreate(NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks,
                            &kCFTypeDictionaryValueCallBacks);
}

static CFNumberRef int_number(int v) { return CFNumberCreate(NULL, kCFNumberIntType, &v); }

static void free_pixels(void *info, const void *data, size_t size) {
  (void)info;
  (void)size;
  free((void *)data);
}

/* A CGImage over a malloc'd copy of `px`. */
static CGImageRef make_image(size_t w, size_t h, size_t bpc, size_t bpp, size_t row,
                             CGColorSpaceRef space, uint32_t info, const uint8_t *px) {
  uint8_t *copy = (uint8_t *)malloc(row * h);
  memcpy(copy, px, row * h);
  CGDataProviderRef p = CGDataProviderCreateWithData(NULL, copy, row * h, free_pixels);
  CGImageRef img = CGImageCreate(w, h, bpc, bpp, row, space, info, p, NULL, true, 0);
  CGDataProviderRelease(p);
  return img;
}

/* The image's bytes, tight rows (malloc'd). */
static uint8_t *bytes_of(CGImageRef img) {
  CFDataRef d = CGDataProviderCopyData(CGImageGetDataProvider(img));
  size_t row = CGImageGetWidth(img) * CGImageGetBitsPerPixel(img) / 8;
  size_t stride = CGImageGetBytesPerRow(img), h = CGImageGetHeight(img);
  uint8_t *out = (uint8_t *)malloc(row * h);
  for (size_t y = 0; y < h; y++) memcpy(out + y * row, CFDataGetBytePtr(d) + y * stride, row);
  CFRelease(d);
  return out;
}

static CFMutableDataRef encode(CGImageRef img, CFStringRef type, CFDictionaryRef props) {
  CFMutableDataRef out = CFDataCreateMutable(NULL, 0);
  CGImageDestinationRef dst = CGImageDestinationCreateWithData(out, type, 1, NULL);
  CHECK(dst != NULL);
  if (dst == NULL) return out;
  CHECK_EQ(CFGetTypeID(dst), CGImageDestinationGetTypeID());
  CGImageDestinationAddImage(dst, img, props);
  CHECK(CGImageDestinationFinalize(dst));
  CHECK(!CGImageDestinationFinalize(dst)); /* only once */
  CFRelease(dst);
  return out;
}

static uint32_t rng = 12345;
static uint8_t rnd(void) {
  rng = rng * 1103515245u + 12345u;
  return (uint8_t)(rng >> 16);
}

/* ---- tests -------------------------------------------------------------------------------- */

/* 2-bit gray, 5x3: values scale to 0, 85, 170, 255. */
static void decode_gray2(void) {
  const uint32_t w = 5, h = 3;
  uint8_t v[15], raw[3 * 3];
  memset(raw, 0, sizeof raw);
  for (uint32_t i = 0; i < w * h; i++) v[i] = rnd() & 3;
  for (uint32_t y = 0; y < h; y++)
    for (uint32_t x = 0; x < w; x++)
      raw[y * 3 + 1 + x / 4] |= (uint8_t)(v[y * w + x] << (6 - 2 * (x % 4)));
  Buf f = png_file(w, h, 2, 0, 0, raw, sizeof raw, NULL, 0, NULL, 0);
  CFDataRef d = data_of(&f, f.n);
  CGImageSourceRef src = CGImageSourceCreateWithData(d, NULL);
  CHECK_EQ(CFGetTypeID(src), CGImageSourceGetTypeID());
  CHECK(CFEqual(CGImageSourceGetType(src), CFSTR("public.png")));
  CHECK_EQ(CGImageSourceGetCount(src), 1);
  CHECK_EQ(CGImageSourceGetStatus(src), kCGImageStatusComplete);
  CHECK_EQ(CGImageSourceGetStatusAtIndex(src, 0), kCGImageStatusComplete);
  CHECK_EQ(CGImageSourceGetPrimaryImageIndex(src), 0);
  CGImageRef img = CGImageSourceCreateImageAtIndex(src, 0, NULL);
  CHECK(img != NULL);
  if (img) {
    CHECK_EQ(CGImageGetBitsPerPixel(img), 8);
    CHECK_EQ(CGImageGetAlphaInfo(img), kCGImageAlphaNone);
    CHECK_EQ(CGColorSpaceGetModel(CGImageGetColorSpace(img)), kCGColorSpaceModelMonochrome);
    uint8_t *px = bytes_of(img);
    for (uint32_t i = 0; i < w * h; i++) CHECK_EQ(px[i], v[i] * 85);
    free(px);
    CGImageRelease(img);
  }
  CFDictionaryRef p = CGImageSourceCopyPropertiesAtIndex(src, 0, NULL);
  CHECK_EQ(num(p, kCGImagePropertyPixelWidth), 5);
  CHECK_EQ(num(p, kCGImagePropertyPixelHeight), 3);
  CHECK_EQ(num(p, kCGImagePropertyDepth), 2);
  CHECK(CFDictionaryGetValue(p, kCGImagePropertyHasAlpha) == kCFBooleanFalse);
  CHECK(CFEqual(CFDictionaryGetValue(p, kCGImagePropertyColorModel),
                kCGImagePropertyColorModelGray));
  CHECK(CFDictionaryGetValue(p, kCGImagePropertyOrientation) == NULL);
  CFRelease(p);
  CHECK(CGImageSourceCopyPropertiesAtIndex(src, 1, NULL) == NULL);
  CHECK(CGImageSourceCreateImageAtIndex(src, 1, NULL) == NULL);
  CGImageSourceRemoveCacheAtIndex(src, 0);
  CFDictionaryRef fp = CGImageSourceCopyProperties(src, NULL);
  CHECK_EQ(num(fp, kCGImagePropertyFileSize), (long)f.n);
  CFRelease(fp);
  CFRelease(src);
  CFRelease(d);
  free(f.p);
}

/* Palette + tRNS, interlaced, 4x4 8-bit indices: RGBA 8/32 Last, non-premultiplied. */
static void decode_palette_trns_interlaced(void) {
  const uint32_t w = 4, h = 4;
  uint8_t plte[4 * 3], trns[2] = {0, 128}, idx[16];
  for (int i = 0; i < 12; i++) plte[i] = rnd();
  for (int i = 0; i < 16; i++) idx[i] = rnd() & 3;
  /* Adam7 passes of a 4x4 image: (0,0) | - | (0,4)? no | (2,0) | (0,2),(2,2) | odd columns. */
  static const int px0[7] = {0, 4, 0, 2, 0, 1, 0}, py0[7] = {0, 0, 4, 0, 2, 0, 1};
  static const int dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
  uint8_t raw[64];
  size_t n = 0;
  for (int pass = 0; pass < 7; pass++) {
    int cols = 0, rows = 0;
    for (int x = px0[pass]; x < (int)w; x += dx[pass]) cols++;
    for (int y = py0[pass]; y < (int)h; y += dy[pass]) rows++;
    if (!cols || !rows) continue;
    for (int y = py0[pass]; y < (int)h; y += dy[pass]) {
      raw[n++] = 0;
      for (int x = px0[pass]; x < (int)w; x += dx[pass]) raw[n++] = idx[y * w + x];
    }
  }
  Buf f = png_file(w, h, 8, 3, 1, raw, n, plte, sizeof plte, trns, sizeof trns);
  CFDataRef d = data_of(&f, f.n);
  CGDataProviderRef prov = CGDataProviderCreateWithCFData(d);
  CGImageSourceRef src = CGImageSourceCreateWithDataProvider(prov, NULL);
  CGImageRef img = CGImageSourceCreateImageAtIndex(src, 0, NULL);
  CHECK(img != NULL);
  if (img) {
    CHECK_EQ(CGImageGetBitsPerPixel(img), 32);
    CHECK_EQ(CGImageGetBitmapInfo(img), kCGImageAlphaLast);
    uint8_t *px = bytes_of(img);
    for (int i = 0; i < 16; i++) {
      CHECK_MEM_EQ(px + 4 * i, plte + 3 * idx[i], 3);
      CHECK_EQ(px[4 * i + 3], idx[i] < 2 ? trns[idx[i]] : 255);
    }
    free(px);
    CGImageRelease(img);
  }
  CFDictionaryRef p = CGImageSourceCopyPropertiesAtIndex(src, 0, NULL);
  CHECK(CFDictionaryGetValue(p, kCGImagePropertyHasAlpha) == kCFBooleanTrue);
  CHECK(CFDictionaryGetValue(p, kCGImagePropertyIsIndexed) == kCFBooleanTrue);
  CFDictionaryRef png = (CFDictionaryRef)CFDictionaryGetValue(p, kCGImagePropertyPNGDictionary);
  CHECK(png != NULL);
  if (png) CHECK_EQ(num(png, kCGImagePropertyPNGInterlaceType), 1);
  CFRelease(p);
  CFRelease(src);
  CGDataProviderRelease(prov);
  CFRelease(d);
  free(f.p);
}

/* Every format the PNG encoder takes comes back exactly; opaque premultiplied RGBA too. */
static void png_round_trips(void) {
  CGColorSpaceRef rgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CGColorSpaceRef gray = CGColorSpaceCreateWithName(kCGColorSpaceGenericGrayGamma2_2);
  struct {
    size_t bpc, bpp;
    uint32_t info;
    CGColorSpaceRef space;
  } f[] = {
      {8, 8, kCGImageAlphaNone, gray},
      {8, 16, kCGImageAlphaLast, gray},
      {16, 16, kCGImageAlphaNone | kCGBitmapByteOrder16Little, gray},
      {16, 32, kCGImageAlphaLast | kCGBitmapByteOrder16Little, gray},
      {8, 24, kCGImageAlphaNone, rgb},
      {8, 32, kCGImageAlphaLast, rgb},
      {16, 48, kCGImageAlphaNone | kCGBitmapByteOrder16Little, rgb},
      {16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Little, rgb},
      {8, 32, kCGImageAlphaPremultipliedLast, rgb}, /* opaque: byte-identical */
  };
  for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
    size_t w = 11, h = 6, row = w * f[k].bpp / 8;
    uint8_t *px = (uint8_t *)malloc(row * h);
    for (size_t i = 0; i < row * h; i++) px[i] = rnd();
    if ((f[k].info & kCGBitmapAlphaInfoMask) == kCGImageAlphaPremultipliedLast)
      for (size_t i = 3; i < row * h; i += 4) px[i] = 255;
    CGImageRef img = make_image(w, h, f[k].bpc, f[k].bpp, row, f[k].space, f[k].info, px);
    CHECK(img != NULL);
    CFMutableDataRef file = encode(img, CFSTR("public.png"), NULL);
    CGImageSourceRef src = CGImageSourceCreateWithData(file, NULL);
    CGImageRef back = CGImageSourceCreateImageAtIndex(src, 0, NULL);
    CHECK(back != NULL);
    if (back) {
      CHECK_EQ(CGImageGetBitsPerPixel(back), f[k].bpp);
      uint8_t *got = bytes_of(back);
      CHECK(memcmp(got, px, row * h) == 0);
      free(got);
      CGImageRelease(back);
    }
    CFRelease(src);
    CFRelease(file);
    CGImageRelease(img);
    free(px);
  }
  CGColorSpaceRelease(rgb);
  CGColorSpaceRelease(gray);
}

/* A photo-like RGBX image. */
static CGImageRef photo(size_t w, size_t h) {
  uint8_t *px = (uint8_t *)malloc(w * h * 4);
  for (size_t y = 0; y < h; y++)
    for (size_t x = 0; x < w; x++) {
      uint8_t *p = px + 4 * (y * w + x);
      p[0] = (uint8_t)(x * 255 / w);
      p[1] = (uint8_t)(y * 255 / h);
      p[2] = 128;
      p[3] = 255;
    }
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGImageRef img = make_image(w, h, 8, 32, w * 4, rgb, kCGImageAlphaNoneSkipLast, px);
  CGColorSpaceRelease(rgb);
  free(px);
  return img;
}

static CGImageRef thumb(CGImageSourceRef src, int if_absent, int always, int max, int transform) {
  const void *keys[4], *values[4];
  CFIndex n = 0;
  CFNumberRef m = int_number(max);
  if (if_absent) keys[n] = kCGImageSourceCreateThumbnailFromImageIfAbsent, values[n++] = kCFBooleanTrue;
  if (always) keys[n] = kCGImageSourceCreateThumbnailFromImageAlways, values[n++] = kCFBooleanTrue;
  if (max) keys[n] = kCGImageSourceThumbnailMaxPixelSize, values[n++] = m;
  if (transform) keys[n] = kCGImageSourceCreateThumbnailWithTransform, values[n++] = kCFBooleanTrue;
  CFDictionaryRef o = CFDictionaryCreate(NULL, keys, values, n, &kCFTypeDictionaryKeyCallBacks,
                                         &kCFTypeDictionaryValueCallBacks);
  CGImageRef t = CGImageSourceCreateThumbnailAtIndex(src, 0, o);
  CFRelease(o);
  CFRelease(m);
  return t;
}

/* JPEG with orientation 6 and quality; properties; thumbnails (§A.3). */
static void jpeg_orientation_and_thumbnails(void) {
  CGImageRef img = photo(80, 50);
  const void *keys[2] = {kCGImagePropertyOrientation, kCGImageDestinationLossyCompressionQuality};
  double q = 0.9;
  CFNumberRef six = int_number(6), qn = CFNumberCreate(NULL, kCFNumberDoubleType, &q);
  const void *values[2] = {six, qn};
  CFDictionaryRef props = CFDictionaryCreate(NULL, keys, values, 2, &kCFTypeDictionaryKeyCallBacks,
                                             &kCFTypeDictionaryValueCallBacks);
  CFMutableDataRef file = encode(img, CFSTR("public.jpeg"), props);
  CGImageSourceRef src = CGImageSourceCreateWithData(file, NULL);
  CHECK(CFEqual(CGImageSourceGetType(src), CFSTR("public.jpeg")));
  CFDictionaryRef p = CGImageSourceCopyPropertiesAtIndex(src, 0, NULL);
  CHECK_EQ(num(p, kCGImagePropertyOrientation), 6);
  CHECK_EQ(num(p, kCGImagePropertyPixelWidth), 80);
  CFDictionaryRef tiff = (CFDictionaryRef)CFDictionaryGetValue(p, kCGImagePropertyTIFFDictionary);
  CHECK(tiff != NULL && num(tiff, kCGImagePropertyTIFFOrientation) == 6);
  CFRelease(p);
  CGImageRef full = CGImageSourceCreateImageAtIndex(src, 0, NULL);
  CHECK(full != NULL);
  if (full) {
    CHECK_EQ(CGImageGetWidth(full), 80); /* never rotated */
    CHECK_EQ(CGImageGetBitsPerPixel(full), 32);
    CHECK_EQ(CGImageGetAlphaInfo(full), kCGImageAlphaNoneSkipLast);
    uint8_t *px = bytes_of(full);
    int worst = 0;
    for (size_t y = 0; y < 50; y++)
      for (size_t x = 0; x < 80; x++) {
        int d = abs((int)px[4 * (y * 80 + x)] - (int)(x * 255 / 80));
        if (d > worst) worst = d;
      }
    CHECK(worst <= 12);
    free(px);
    CGImageRelease(full);
  }
  CHECK(thumb(src, 0, 0, 32, 0) == NULL); /* no embedded thumbnail, no flag */
  CGImageRef t = thumb(src, 1, 0, 32, 0);
  CHECK(t != NULL && CGImageGetWidth(t) == 32 && CGImageGetHeight(t) == 20);
  CGImageRelease(t);
  t = thumb(src, 0, 1, 32, 1); /* rotated: portrait */
  CHECK(t != NULL && CGImageGetWidth(t) == 20 && CGImageGetHeight(t) == 32);
  if (t) {
    /* Red grows along stored x, which orientation 6 shows top to bottom. */
    uint8_t *px = bytes_of(t);
    CHECK(px[4 * (31 * 20 + 10)] > px[4 * (0 * 20 + 10)] + 100);
    free(px);
  }
  CGImageRelease(t);
  t = thumb(src, 1, 0, 1000, 0); /* never upscaled */
  CHECK(t != NULL && CGImageGetWidth(t) == 80 && CGImageGetHeight(t) == 50);
  CGImageRelease(t);
  t = thumb(src, 1, 0, 0, 0); /* no bound: full size */
  CHECK(t != NULL && CGImageGetWidth(t) == 80);
  CGImageRelease(t);

  /* AddImageFromSource copies the metadata; kCFNull deletes a key. */
  CFMutableDataRef copy = CFDataCreateMutable(NULL, 0);
  CGImageDestinationRef dst = CGImageDestinationCreateWithData(copy, CFSTR("public.jpeg"), 2, NULL);
  CFDictionaryRef del = dict1(kCGImagePropertyOrientation, kCFNull);
  CGImageDestinationAddImageFromSource(dst, src, 0, del);
  CHECK(CGImageDestinationFinalize(dst));
  CFRelease(dst);
  CGImageSourceRef src2 = CGImageSourceCreateWithData(copy, NULL);
  CFDictionaryRef p2 = CGImageSourceCopyPropertiesAtIndex(src2, 0, NULL);
  CHECK(p2 != NULL && CFDictionaryGetValue(p2, kCGImagePropertyOrientation) == NULL);
  if (p2) CFRelease(p2);
  CFRelease(src2);
  CFRelease(copy);
  CFRelease(del);

  CFRelease(src);
  CFRelease(file);
  CFRelease(props);
  CFRelease(six);
  CFRelease(qn);
  CGImageRelease(img);
}

/* Two GIF frames through a data consumer with callbacks. */
static size_t consumed, release_calls;
static Buf sink;
static size_t put_bytes(void *info, const void *buffer, size_t count) {
  (void)info;
  put(&sink, buffer, count);
  consumed += count;
  return count;
}
static void release_consumer(void *info) {
  CHECK(info == &sink);
  release_calls++;
}

static void gif_and_consumers(void) {
  CGDataConsumerCallbacks cb = {put_bytes, release_consumer};
  CGDataConsumerRef c = CGDataConsumerCreate(&sink, &cb);
  CHECK_EQ(CFGetTypeID(c), CGDataConsumerGetTypeID());
  CHECK(CGDataConsumerRetain(c) == c);
  CGDataConsumerRelease(c);
  CHECK(CGDataConsumerCreate(NULL, NULL) == NULL);
  CGImageDestinationRef dst = CGImageDestinationCreateWithDataConsumer(c, CFSTR("com.compuserve.gif"), 2, NULL);
  CHECK(dst != NULL);
  CFNumberRef zero = int_number(0);
  CFDictionaryRef loop = dict1(kCGImagePropertyGIFLoopCount, zero);
  CFDictionaryRef file_props = dict1(kCGImagePropertyGIFDictionary, loop);
  CGImageDestinationSetProperties(dst, file_props);
  CGImageRef a = photo(16, 8), b = photo(16, 8);
  CGImageDestinationAddImage(dst, a, NULL);
  CGImageDestinationAddImage(dst, b, NULL);
  CGImageDestinationAddImage(dst, a, NULL); /* beyond count: dropped */
  CHECK(CGImageDestinationFinalize(dst));
  CFRelease(dst);
  CHECK(consumed > 0 && release_calls == 0);
  CGDataConsumerRelease(c);
  CHECK_EQ(release_calls, 1);
  CFDataRef d = data_of(&sink, sink.n);
  CGImageSourceRef src = CGImageSourceCreateWithData(d, NULL);
  CHECK(CFEqual(CGImageSourceGetType(src), CFSTR("com.compuserve.gif")));
  CHECK_EQ(CGImageSourceGetCount(src), 2);
  CFDictionaryRef fp = CGImageSourceCopyProperties(src, NULL);
  CFDictionaryRef g = (CFDictionaryRef)CFDictionaryGetValue(fp, kCGImagePropertyGIFDictionary);
  CHECK(g != NULL && num(g, kCGImagePropertyGIFLoopCount) == 0);
  CFRelease(fp);
  CGImageRef f1 = CGImageSourceCreateImageAtIndex(src, 1, NULL);
  CHECK(f1 != NULL && CGImageGetWidth(f1) == 16);
  CGImageRelease(f1);
  CFRelease(src);
  CFRelease(d);
  free(sink.p);
  CFRelease(file_props);
  CFRelease(loop);
  CFRelease(zero);

  /* CFMutableData consumer, then a destination over it. */
  CFMutableDataRef md = CFDataCreateMutable(NULL, 0);
  CGDataConsumerRef dc = CGDataConsumerCreateWithCFData(md);
  CHECK(dc != NULL);
  dst = CGImageDestinationCreateWithDataConsumer(dc, CFSTR("public.png"), 1, NULL);
  CGImageDestinationAddImage(dst, a, NULL);
  CHECK(CGImageDestinationFinalize(dst));
  CFRelease(dst);
  CGDataConsumerRelease(dc);
  CHECK(CFDataGetLength(md) > 8 && memcmp(CFDataGetBytePtr(md), "\x89PNG", 4) == 0);
  CFRelease(md);
  CGImageRelease(a);
  CGImageRelease(b);
}

/* Files through URLs: a destination, a consumer, a source. */
static void urls(void) {
  char path[64], path2[64];
  snprintf(path, sizeof path, "/tmp/vimage_image_io_%d.png", (int)getpid());
  snprintf(path2, sizeof path2, "/tmp/vimage_image_io_%d_c.jpg", (int)getpid());
  CFURLRef url = CFURLCreateFromFileSystemRepresentation(NULL, (const UInt8 *)path,
                                                         (CFIndex)strlen(path), false);
  CFURLRef url2 = CFURLCreateFromFileSystemRepresentation(NULL, (const UInt8 *)path2,
                                                          (CFIndex)strlen(path2), false);
  CGImageRef img = photo(20, 10);
  CGImageDestinationRef dst = CGImageDestinationCreateWithURL(url, CFSTR("public.png"), 1, NULL);
  CHECK(dst != NULL);
  CGImageDestinationAddImage(dst, img, NULL);
  CHECK(CGImageDestinationFinalize(dst));
  CFRelease(dst);
  CGImageSourceRef src = CGImageSourceCreateWithURL(url, NULL);
  CHECK(src != NULL && CGImageSourceGetCount(src) == 1);
  CGImageRef back = CGImageSourceCreateImageAtIndex(src, 0, NULL);
  CHECK(back != NULL && CGImageGetWidth(back) == 20 && CGImageGetBitsPerPixel(back) == 24);
  CGImageRelease(back);
  CFRelease(src);
  CGDataConsumerRef c = CGDataConsumerCreateWithURL(url2);
  CHECK(c != NULL);
  dst = CGImageDestinationCreateWithDataConsumer(c, CFSTR("public.jpeg"), 1, NULL);
  CGImageDestinationAddImage(dst, img, NULL);
  CHECK(CGImageDestinationFinalize(dst));
  CFRelease(dst);
  CGDataConsumerRelease(c);
  src = CGImageSourceCreateWithURL(url2, NULL);
  CHECK(src != NULL && CFEqual(CGImageSourceGetType(src), CFSTR("public.jpeg")));
  if (src) CFRelease(src);
  unlink(path);
  unlink(path2);
  CHECK(CGImageSourceCreateWithURL(url, NULL) == NULL); /* gone */
  CFRelease(url);
  CFRelease(url2);
  CGImageRelease(img);
}

/* Junk, truncation at every length, NULL arguments, unknown types, incremental updates. */
static void hostile(void) {
  int quick = getenv("VIMAGE_TEST_UNDER_VALGRIND") != NULL;
  CGImageRef img = photo(12, 8);
  CFMutableDataRef files[2] = {encode(img, CFSTR("public.png"), NULL),
                               encode(img, CFSTR("public.jpeg"), NULL)};
  for (int k = 0; k < 2; k++) {
    const UInt8 *b = CFDataGetBytePtr(files[k]);
    CFIndex n = CFDataGetLength(files[k]);
    for (CFIndex cut = 0; cut < n; cut += quick ? 7 : 1) {
      CFDataRef d = CFDataCreate(NULL, b, cut);
      CGImageSourceRef src = CGImageSourceCreateWithData(d, NULL);
      CHECK(src != NULL);
      CHECK(CGImageSourceCreateImageAtIndex(src, 0, NULL) == NULL);
      CHECK(CGImageSourceGetStatus(src) != kCGImageStatusComplete);
      CGImageRelease(CGImageSourceCreateThumbnailAtIndex(src, 0, NULL));
      CFDictionaryRef p = CGImageSourceCopyPropertiesAtIndex(src, 0, NULL);
      if (p) CFRelease(p);
      CFRelease(src);
      CFRelease(d);
    }
  }
  uint8_t junk[300];
  for (int round = 0; round < (quick ? 5 : 50); round++) {
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = rnd();
    CFDataRef d = CFDataCreate(NULL, junk, sizeof junk);
    CGImageSourceRef src = CGImageSourceCreateWithData(d, NULL);
    CHECK(src != NULL);
    CHECK_EQ(CGImageSourceGetCount(src), 0);
    CHECK(CGImageSourceGetType(src) == NULL);
    CHECK_EQ(CGImageSourceGetStatus(src), kCGImageStatusUnknownType);
    CHECK(CGImageSourceCreateImageAtIndex(src, 0, NULL) == NULL);
    CHECK(CGImageSourceCopyProperties(src, NULL) == NULL);
    CFRelease(src);
    CFRelease(d);
  }
  /* NULL and foreign arguments. */
  CHECK(CGImageSourceCreateWithData(NULL, NULL) == NULL);
  CHECK(CGImageSourceCreateWithDataProvider(NULL, NULL) == NULL);
  CHECK(CGImageSourceCreateWithURL(NULL, NULL) == NULL);
  CHECK_EQ(CGImageSourceGetCount(NULL), 0);
  CHECK(CGImageSourceGetType(NULL) == NULL);
  CHECK(CGImageSourceCreateImageAtIndex(NULL, 0, NULL) == NULL);
  CHECK(CGImageSourceCreateImageAtIndex((CGImageSourceRef)img, 0, NULL) == NULL);
  CHECK(CGImageDestinationCreateWithData(files[0], CFSTR("public.tiff"), 1, NULL) == NULL);
  CHECK(CGImageDestinationCreateWithData(files[0], CFSTR("public.png"), 0, NULL) == NULL);
  CHECK(CGImageDestinationCreateWithData(NULL, CFSTR("public.png"), 1, NULL) == NULL);
  CHECK(!CGImageDestinationFinalize(NULL));
  CGImageDestinationAddImage(NULL, img, NULL);
  CFMutableDataRef empty = CFDataCreateMutable(NULL, 0);
  CGImageDestinationRef dst = CGImageDestinationCreateWithData(empty, CFSTR("public.png"), 1, NULL);
  CHECK(!CGImageDestinationFinalize(dst)); /* no image */
  CFRelease(dst);
  CFRelease(empty);
  CFArrayRef r = CGImageSourceCopyTypeIdentifiers(), w = CGImageDestinationCopyTypeIdentifiers();
  CHECK_EQ(CFArrayGetCount(r), 3);
  CHECK_EQ(CFArrayGetCount(w), 3);
  CFRelease(r);
  CFRelease(w);
  CHECK(CFEqual(kCGImageSourceThumbnailMaxPixelSize, CFSTR("kCGImageSourceThumbnailMaxPixelSize")));
  CHECK(CFEqual(kCGImagePropertyPixelWidth, CFSTR("PixelWidth")));

  /* Incremental: half the bytes, then all of them. */
  const UInt8 *b = CFDataGetBytePtr(files[0]);
  CFIndex n = CFDataGetLength(files[0]);
  CGImageSourceRef inc = CGImageSourceCreateIncremental(NULL);
  CHECK_EQ(CGImageSourceGetStatus(inc), kCGImageStatusReadingHeader);
  CFDataRef half = CFDataCreate(NULL, b, n / 2);
  CGImageSourceUpdateData(inc, half, false);
  CHECK(CGImageSourceGetStatus(inc) == kCGImageStatusIncomplete ||
        CGImageSourceGetStatus(inc) == kCGImageStatusReadingHeader);
  CHECK(CGImageSourceCreateImageAtIndex(inc, 0, NULL) == NULL);
  CGDataProviderRef all = CGDataProviderCreateWithCFData(files[0]);
  CGImageSourceUpdateDataProvider(inc, all, true);
  CHECK_EQ(CGImageSourceGetStatus(inc), kCGImageStatusComplete);
  CGImageRef done = CGImageSourceCreateImageAtIndex(inc, 0, NULL);
  CHECK(done != NULL);
  CGImageRelease(done);
  CGImageSourceUpdateData(inc, half, true);
  CHECK_EQ(CGImageSourceGetStatus(inc), kCGImageStatusUnexpectedEOF);
  CGDataProviderRelease(all);
  CFRelease(half);
  CFRelease(inc);
  CFRelease(files[0]);
  CFRelease(files[1]);
  CGImageRelease(img);
}

int main(void) {
  decode_gray2();
  decode_palette_trns_interlaced();
  png_round_trips();
  jpeg_orientation_and_thumbnails();
  gif_and_consumers();
  urls();
  hostile();
  return check_report();
}
