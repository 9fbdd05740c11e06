/*
 * The CoreGraphics and CoreFoundation objects the bridge hands out (apple-abi.md §1.2, §1.3,
 * §2.13, §4.7): CGImageCreate (valid and invalid), CGImageCreateCopy, CGImageCreateWithImageInRect
 * (integral rectangle, clipping, realigned sub-byte pixels), image masks, NULL-safe accessors and
 * retain/release, type IDs, colour spaces and their names, CFString, CFData, retain counts.
 */
#include <Accelerate/Accelerate.h>
#include <CoreFoundation/CoreFoundation.h>
#include <CoreGraphics/CoreGraphics.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

enum { W = 4, H = 3, BPR = 16 };
static unsigned char rgba_pixels[H * BPR];

static unsigned char pixel_byte(size_t x, size_t y, size_t c) { return (unsigned char)(y * 64 + x * 4 + c + 1); }

/* A 4x3 RGBA8888 device-RGB image over a CFData. */
static CGImageRef make_rgba_image(void) {
  for (size_t y = 0; y < H; y++)
    for (size_t x = 0; x < W; x++)
      for (size_t c = 0; c < 4; c++) rgba_pixels[y * BPR + x * 4 + c] = pixel_byte(x, y, c);
  CFDataRef data = CFDataCreate(NULL, rgba_pixels, sizeof rgba_pixels);
  CGDataProviderRef provider = CGDataProviderCreateWithCFData(data);
  CFRelease(data);
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGImageRef image = CGImageCreate(W, H, 8, 32, BPR, rgb, kCGImageAlphaPremultipliedLast, provider, NULL,
                                   false, kCGRenderingIntentDefault);
  CGColorSpaceRelease(rgb);
  CGDataProviderRelease(provider);
  REQUIRE(image != NULL);
  return image;
}

/* The image's pixels, read back in its own format (caller frees .data). */
static vImage_Buffer read_back(CGImageRef image) {
  vImage_CGImageFormat empty;
  memset(&empty, 0, sizeof empty);
  vImage_Buffer buf = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&buf, &empty, NULL, image, kvImageNoFlags), kvImageNoError);
  return buf;
}

/* The RGBA sub-image shows pixels (x0..x0+w, y0..y0+h) of the 4x3 image. */
static void check_region_(int line, CGImageRef sub, size_t x0, size_t y0, size_t w, size_t h) {
  int ok = CHECK(sub != NULL);
  if (!ok) {
    fprintf(stderr, "   (line %d)\n", line);
    return;
  }
  ok &= CHECK_EQ(CGImageGetWidth(sub), w);
  ok &= CHECK_EQ(CGImageGetHeight(sub), h);
  ok &= CHECK_EQ(CGImageGetBitsPerPixel(sub), 32);
  ok &= CHECK_EQ(CGImageGetBitmapInfo(sub), kCGImageAlphaPremultipliedLast);
  ok &= CHECK_EQ(CGColorSpaceGetModel(CGImageGetColorSpace(sub)), kCGColorSpaceModelRGB);
  vImage_Buffer b = read_back(sub);
  if (b.data != NULL && b.width == w && b.height == h)
    for (size_t y = 0; y < h; y++)
      for (size_t x = 0; x < w; x++)
        for (size_t c = 0; c < 4; c++)
          ok &= CHECK_EQ(((unsigned char *)b.data)[y * b.rowBytes + x * 4 + c], pixel_byte(x0 + x, y0 + y, c));
  free(b.data);
  if (!ok) fprintf(stderr, "   (the region at line %d)\n", line);
}
#define CHECK_REGION(sub, x, y, w, h) check_region_(__LINE__, sub, x, y, w, h)

static void image_create(void) {
  CGImageRef image = make_rgba_image();
  CHECK_EQ(CFGetRetainCount(image), 1);
  CHECK_EQ(CGImageGetWidth(image), W);
  CHECK_EQ(CGImageGetHeight(image), H);
  CHECK_EQ(CGImageGetBitsPerComponent(image), 8);
  CHECK_EQ(CGImageGetBitsPerPixel(image), 32);
  CHECK_EQ(CGImageGetBytesPerRow(image), BPR);
  CHECK_EQ(CGImageGetAlphaInfo(image), kCGImageAlphaPremultipliedLast);
  CHECK(!CGImageGetShouldInterpolate(image));
  CHECK(!CGImageIsMask(image));
  CHECK_PTR_EQ(CGImageGetDecode(image), NULL);
  CHECK_PTR_EQ(CGImageGetUTType(image), NULL);
  CHECK_REGION(image, 0, 0, W, H);

  /* Decode arrays are kept (as a copy), intents and interpolation reported. */
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  CGFloat decode[2] = {1.0, 0.0};
  unsigned char g[4] = {0, 85, 170, 255};
  CGDataProviderRef gp = CGDataProviderCreateWithData(NULL, g, sizeof g, NULL);
  CGImageRef inverted = CGImageCreate(4, 1, 8, 8, 4, gray, kCGImageAlphaNone, gp, decode, true,
                                      kCGRenderingIntentSaturation);
  REQUIRE(inverted != NULL);
  decode[0] = 0.25;
  const CGFloat *kept = CGImageGetDecode(inverted);
  if (CHECK(kept != NULL)) {
    CHECK_DBL_EQ(kept[0], 1.0);
    CHECK_DBL_EQ(kept[1], 0.0);
  }
  CHECK(CGImageGetShouldInterpolate(inverted));
  CHECK_EQ(CGImageGetRenderingIntent(inverted), kCGRenderingIntentSaturation);
  CHECK_EQ(CGColorSpaceGetModel(CGImageGetColorSpace(inverted)), kCGColorSpaceModelMonochrome);
  CGImageRelease(inverted);

  /* Invalid arguments give NULL. */
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CFDataRef short_data = CFDataCreate(NULL, rgba_pixels, sizeof rgba_pixels - 1);
  CGDataProviderRef short_provider = CGDataProviderCreateWithCFData(short_data);
  CFDataRef full_data = CFDataCreate(NULL, rgba_pixels, sizeof rgba_pixels);
  CGDataProviderRef full = CGDataProviderCreateWithCFData(full_data);
  CFRelease(short_data);
  CFRelease(full_data);
  const CGBitmapInfo pl = kCGImageAlphaPremultipliedLast;
  CHECK(CGImageCreate(W, H, 8, 32, BPR, rgb, pl, NULL, NULL, false, 0) == NULL);           /* no provider */
  CHECK(CGImageCreate(W, H, 8, 32, BPR, rgb, pl, short_provider, NULL, false, 0) == NULL); /* too short */
  CHECK(CGImageCreate(W, H, 8, 24, BPR, rgb, pl, full, NULL, false, 0) == NULL);           /* bpp < 4 * 8 */
  CHECK(CGImageCreate(W, H, 8, 32, BPR - 1, rgb, pl, full, NULL, false, 0) == NULL);       /* row too short */
  CHECK(CGImageCreate(0, H, 8, 32, BPR, rgb, pl, full, NULL, false, 0) == NULL);           /* no pixels */
  CHECK(CGImageCreate(W, 0, 8, 32, BPR, rgb, pl, full, NULL, false, 0) == NULL);
  CHECK(CGImageCreate(W, H, 3, 12, BPR, rgb, pl, full, NULL, false, 0) == NULL);           /* bpc 3 */
  CHECK(CGImageCreate(W, H, 8, 32, BPR, NULL, pl, full, NULL, false, 0) == NULL);          /* no space */
  CHECK(CGImageCreate(W, H, 8, 32, BPR, rgb, 0x40000000u | pl, full, NULL, false, 0) == NULL);
  CGImageRef ok = CGImageCreate(W, H, 8, 32, BPR, rgb, pl, full, NULL, false, 0);
  CHECK(ok != NULL);
  /* The failures did not leak references to the provider. */
  CHECK_EQ(CFGetRetainCount(full), 2);
  CGImageRelease(ok);
  CHECK_EQ(CFGetRetainCount(full), 1);
  CGDataProviderRelease(short_provider);
  CGDataProviderRelease(full);
  CGDataProviderRelease(gp);
  CGColorSpaceRelease(rgb);
  CGColorSpaceRelease(gray);
  CGImageRelease(image);
}

static void image_copy(void) {
  CGImageRef image = make_rgba_image();
  CGImageRef copy = CGImageCreateCopy(image);
  REQUIRE(copy != NULL);
  CHECK(copy != image);
  CHECK_EQ(CFGetRetainCount(copy), 1);
  CHECK_EQ(CFGetRetainCount(image), 1);
  /* Only the image object is copied; the pixel data is shared (§4.7 rule 5). */
  CHECK_PTR_EQ(CGImageGetDataProvider(copy), CGImageGetDataProvider(image));
  CHECK_EQ(CGImageGetBytesPerRow(copy), BPR);
  CHECK(CFEqual(CGImageGetColorSpace(copy), CGImageGetColorSpace(image)));
  CGImageRelease(image);
  CHECK_REGION(copy, 0, 0, W, H);
  CGImageRelease(copy);
  CHECK(CGImageCreateCopy(NULL) == NULL);
}

static void image_in_rect(void) {
  CGImageRef image = make_rgba_image();
  CHECK_EQ(CFGetRetainCount(image), 1);
  /* CGRectIntegral first: {0.5, 0.5, 1, 1} covers pixels 0..1 in both directions. */
  CGImageRef a = CGImageCreateWithImageInRect(image, CGRectMake(0.5, 0.5, 1, 1));
  CHECK_REGION(a, 0, 0, 2, 2);
  CHECK(CFGetRetainCount(image) > 1); /* the sub-image keeps its parent */
  CGImageRef b = CGImageCreateWithImageInRect(image, CGRectMake(1, 1, 2, 2));
  CHECK_REGION(b, 1, 1, 2, 2);
  CGImageRef c = CGImageCreateWithImageInRect(image, CGRectMake(2, 1, 100, 100)); /* clipped */
  CHECK_REGION(c, 2, 1, 2, 2);
  CGImageRef d = CGImageCreateWithImageInRect(image, CGRectMake(-1, -1, 2, 2));
  CHECK_REGION(d, 0, 0, 1, 1);
  CGImageRef e = CGImageCreateWithImageInRect(image, CGRectMake(3, 2, -2, -1)); /* standardized */
  CHECK_REGION(e, 1, 1, 2, 1);
  CGImageRef f = CGImageCreateWithImageInRect(image, CGRectMake(2.9, 0.1, 0.2, 2.8));
  CHECK_REGION(f, 2, 0, 2, 3);
  CGImageRef whole = CGImageCreateWithImageInRect(image, CGRectMake(-10, -10, 100, 100));
  CHECK_REGION(whole, 0, 0, W, H);
  /* A sub-image of a sub-image. */
  CGImageRef bb = b ? CGImageCreateWithImageInRect(b, CGRectMake(1, 0, 1, 2)) : NULL;
  CHECK_REGION(bb, 2, 1, 1, 2);

  /* No intersection: NULL. */
  CHECK(CGImageCreateWithImageInRect(image, CGRectMake(4, 0, 1, 1)) == NULL);
  CHECK(CGImageCreateWithImageInRect(image, CGRectMake(0, 3, 1, 1)) == NULL);
  CHECK(CGImageCreateWithImageInRect(image, CGRectMake(10, 10, 2, 2)) == NULL);
  CHECK(CGImageCreateWithImageInRect(image, CGRectMake(-5, -5, 2, 2)) == NULL);
  CHECK(CGImageCreateWithImageInRect(NULL, CGRectMake(0, 0, 1, 1)) == NULL);
  /* An empty request (zero width or height) gets no image, even at a fractional origin. */
  CHECK(CGImageCreateWithImageInRect(image, CGRectMake(1.5, 1.5, 0, 0)) == NULL);
  CHECK(CGImageCreateWithImageInRect(image, CGRectMake(1, 1, 2, 0)) == NULL);

  CGImageRef subs[] = {a, b, c, d, e, f, whole, bb};
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) CGImageRelease(subs[i]);
  CHECK_EQ(CFGetRetainCount(image), 1); /* every sub-image let go of its parent */
  CGImageRelease(image);
}

/* Sub-byte pixels: a crop that starts inside a byte is realigned to start each row. */
static void sub_byte_crops(void) {
  /* 16x2 one-bit gray. */
  static const unsigned char bits[4] = {0xB3, 0x8F, 0x5A, 0xC6};
  CGDataProviderRef p = CGDataProviderCreateWithData(NULL, bits, sizeof bits, NULL);
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  CGImageRef image = CGImageCreate(16, 2, 1, 1, 2, gray, kCGImageAlphaNone, p, NULL, false, 0);
  CGDataProviderRelease(p);
  REQUIRE(image != NULL);
  CHECK_EQ(CGImageGetBitsPerPixel(image), 1);

  CGImageRef crop = CGImageCreateWithImageInRect(image, CGRectMake(3, 0, 8, 2));
  if (CHECK(crop != NULL)) {
    CHECK_EQ(CGImageGetWidth(crop), 8);
    CHECK_EQ(CGImageGetBitsPerPixel(crop), 1);
    vImage_Buffer b = read_back(crop);
    if (CHECK(b.data != NULL && b.height == 2)) {
      const unsigned char *rows = b.data;
      /* 1011 0011 1000 1111 from bit 3: 1001 1100 */
      CHECK_EQ(rows[0], 0x9C);
      /* 0101 1010 1100 0110 from bit 3: 1101 0110 */
      CHECK_EQ(rows[b.rowBytes], 0xD6);
    }
    free(b.data);
    CGImageRelease(crop);
  }
  /* A width that is no multiple of 8: the leading bits are the pixels. */
  CGImageRef narrow = CGImageCreateWithImageInRect(image, CGRectMake(5, 1, 5, 1));
  if (CHECK(narrow != NULL)) {
    vImage_Buffer b = read_back(narrow);
    /* 0101 1010 1100 0110 from bit 5: 01011 */
    if (CHECK(b.data != NULL)) CHECK_EQ(((unsigned char *)b.data)[0] & 0xF8, 0x58);
    free(b.data);
    CGImageRelease(narrow);
  }
  /* Byte-aligned crop. */
  CGImageRef aligned = CGImageCreateWithImageInRect(image, CGRectMake(8, 1, 8, 1));
  if (CHECK(aligned != NULL)) {
    vImage_Buffer b = read_back(aligned);
    if (CHECK(b.data != NULL)) CHECK_EQ(((unsigned char *)b.data)[0], 0xC6);
    free(b.data);
    CGImageRelease(aligned);
  }
  CGImageRelease(image);

  /* 4-bit gray: nibbles 1 2 3 4, cropped at x = 1, width 2 -> 2 3. */
  static const unsigned char nibbles[2] = {0x12, 0x34};
  p = CGDataProviderCreateWithData(NULL, nibbles, sizeof nibbles, NULL);
  image = CGImageCreate(4, 1, 4, 4, 2, gray, kCGImageAlphaNone, p, NULL, false, 0);
  CGDataProviderRelease(p);
  REQUIRE(image != NULL);
  crop = CGImageCreateWithImageInRect(image, CGRectMake(1, 0, 2, 1));
  if (CHECK(crop != NULL)) {
    vImage_Buffer b = read_back(crop);
    if (CHECK(b.data != NULL)) CHECK_EQ(((unsigned char *)b.data)[0], 0x23);
    free(b.data);
    CGImageRelease(crop);
  }
  CGImageRelease(image);
  CGColorSpaceRelease(gray);
}

static void masks(void) {
  static const unsigned char coverage[4] = {0xF0, 0x0F, 0x80, 0x7F};
  CGDataProviderRef p = CGDataProviderCreateWithData(NULL, coverage, sizeof coverage, NULL);
  CGImageRef mask = CGImageMaskCreate(8, 2, 1, 1, 1, p, NULL, false);
  REQUIRE(mask != NULL);
  CHECK(CGImageIsMask(mask));
  CHECK_PTR_EQ(CGImageGetColorSpace(mask), NULL); /* §4.7 rule 7 */
  CHECK_EQ(CGImageGetWidth(mask), 8);
  CHECK_EQ(CGImageGetHeight(mask), 2);
  CHECK_EQ(CGImageGetBitsPerComponent(mask), 1);
  CHECK_EQ(CGImageGetBitsPerPixel(mask), 1);
  CHECK_EQ(CGImageGetBytesPerRow(mask), 1);
  CHECK_EQ(CFGetTypeID(mask), CGImageGetTypeID());
  CGImageRef copy = CGImageCreateCopy(mask);
  CHECK(copy != NULL && CGImageIsMask(copy));
  CGImageRef sub = CGImageCreateWithImageInRect(mask, CGRectMake(0, 1, 8, 1));
  CHECK(sub != NULL && CGImageIsMask(sub) && CGImageGetColorSpace(sub) == NULL);
  CGImageRelease(copy);
  CGImageRelease(sub);

  /* An empty format filled from a mask names device gray and reads the mask back unchanged. */
  vImage_CGImageFormat filled;
  memset(&filled, 0, sizeof filled);
  vImage_Buffer back;
  if (CHECK_EQ(vImageBuffer_InitWithCGImage(&back, &filled, NULL, mask, kvImageNoFlags), kvImageNoError)) {
    CHECK_EQ(CGColorSpaceGetModel(filled.colorSpace), kCGColorSpaceModelMonochrome);
    CHECK_EQ(filled.bitsPerComponent, 1);
    CHECK_EQ(filled.bitsPerPixel, 1);
    CHECK_EQ(vImageCGImageFormat_GetComponentCount(&filled), 1);
    CHECK(((unsigned char *)back.data)[0] == coverage[0] && ((unsigned char *)back.data)[back.rowBytes] == coverage[1]);
    free(back.data);
    vImage_Buffer again;
    CHECK_EQ(vImageBuffer_InitWithCGImage(&again, &filled, NULL, mask, kvImageNoFlags), kvImageNoError);
    free(again.data);
  }
  CGImageRelease(mask);

  const CGFloat decode[2] = {1, 0};
  mask = CGImageMaskCreate(2, 2, 8, 8, 2, p, decode, true);
  if (CHECK(mask != NULL)) {
    CHECK(CGImageIsMask(mask));
    CHECK(CGImageGetShouldInterpolate(mask));
    const CGFloat *kept = CGImageGetDecode(mask);
    if (CHECK(kept != NULL)) CHECK(kept[0] == 1 && kept[1] == 0);
    CGImageRelease(mask);
  }
  CHECK(CGImageMaskCreate(8, 2, 16, 16, 2, p, NULL, false) == NULL); /* 1, 2, 4 or 8 bits */
  CHECK(CGImageMaskCreate(8, 2, 1, 8, 1, p, NULL, false) == NULL);   /* one component */
  CHECK(CGImageMaskCreate(8, 2, 1, 1, 1, NULL, NULL, false) == NULL);
  CGDataProviderRelease(p);
}

static void null_arguments(void) {
  CHECK(!CGImageIsMask(NULL));
  CHECK_EQ(CGImageGetWidth(NULL), 0);
  CHECK_EQ(CGImageGetHeight(NULL), 0);
  CHECK_EQ(CGImageGetBitsPerComponent(NULL), 0);
  CHECK_EQ(CGImageGetBitsPerPixel(NULL), 0);
  CHECK_EQ(CGImageGetBytesPerRow(NULL), 0);
  CHECK_PTR_EQ(CGImageGetColorSpace(NULL), NULL);
  CHECK_EQ(CGImageGetAlphaInfo(NULL), 0);
  CHECK_PTR_EQ(CGImageGetDataProvider(NULL), NULL);
  CHECK_PTR_EQ(CGImageGetDecode(NULL), NULL);
  CHECK(!CGImageGetShouldInterpolate(NULL));
  CHECK_EQ(CGImageGetRenderingIntent(NULL), 0);
  CHECK_EQ(CGImageGetBitmapInfo(NULL), 0);
  CHECK_EQ(CGImageGetByteOrderInfo(NULL), 0);
  CHECK_EQ(CGImageGetPixelFormatInfo(NULL), 0);
  CHECK_PTR_EQ(CGImageGetUTType(NULL), NULL);
  CHECK_PTR_EQ(CGImageRetain(NULL), NULL);
  CGImageRelease(NULL);
  CHECK_PTR_EQ(CGColorSpaceRetain(NULL), NULL);
  CGColorSpaceRelease(NULL);
  CHECK_PTR_EQ(CGDataProviderRetain(NULL), NULL);
  CGDataProviderRelease(NULL);
  CHECK_PTR_EQ(CGColorSpaceGetName(NULL), NULL);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(NULL), 0);
  CHECK_EQ(CGColorSpaceGetModel(NULL), kCGColorSpaceModelUnknown);
  CHECK_PTR_EQ(CGColorSpaceCreateWithName(NULL), NULL);
  CHECK_PTR_EQ(CFDataGetBytePtr(NULL), NULL);
  CHECK_EQ(CFDataGetLength(NULL), 0);

  /* An accessor given an object of another type answers as for NULL. */
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CHECK_EQ(CGImageGetWidth((CGImageRef)(void *)rgb), 0);
  CGColorSpaceRelease(rgb);
}

static void retain_counts_and_type_ids(void) {
  CGImageRef image = make_rgba_image();
  CHECK_PTR_EQ(CGImageRetain(image), image);
  CHECK_EQ(CFGetRetainCount(image), 2);
  CHECK_PTR_EQ(CFRetain(image), image);
  CHECK_EQ(CFGetRetainCount(image), 3);
  CFRelease(image);
  CGImageRelease(image);
  CHECK_EQ(CFGetRetainCount(image), 1);

  CGDataProviderRef provider = CGImageGetDataProvider(image);
  CFIndex pc = CFGetRetainCount(provider);
  CHECK(pc >= 1);
  CHECK_PTR_EQ(CGDataProviderRetain(provider), provider);
  CHECK_EQ(CFGetRetainCount(provider), pc + 1);
  CGDataProviderRelease(provider);
  CHECK_EQ(CFGetRetainCount(provider), pc);

  /* Device spaces are shared and never freed, as on Apple: the count is large and constant. */
  CGColorSpaceRef space = CGColorSpaceCreateDeviceRGB();
  CFIndex sc = CFGetRetainCount(space);
  CHECK(sc > 1000000);
  CHECK_PTR_EQ(CGColorSpaceRetain(space), space);
  CHECK_EQ(CFGetRetainCount(space), sc);
  CGColorSpaceRelease(space);
  CHECK_EQ(CFGetRetainCount(space), sc);

  CFDataRef data = CFDataCreate(NULL, (const UInt8 *)"xyz", 3);
  CFStringRef string = CFSTR("hello");

  CFTypeID ids[5] = {CGImageGetTypeID(), CGColorSpaceGetTypeID(), CGDataProviderGetTypeID(),
                     CFDataGetTypeID(), CFStringGetTypeID()};
  for (int i = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++) CHECK_NE(ids[i], ids[j]);
  CHECK_EQ(CFGetTypeID(image), CGImageGetTypeID());
  CHECK_EQ(CFGetTypeID(space), CGColorSpaceGetTypeID());
  CHECK_EQ(CFGetTypeID(provider), CGDataProviderGetTypeID());
  CHECK_EQ(CFGetTypeID(data), CFDataGetTypeID());
  CHECK_EQ(CFGetTypeID(string), CFStringGetTypeID());
  CHECK_EQ(CFGetTypeID(kCGColorSpaceSRGB), CFStringGetTypeID());

  /* CFEqual: never across types; an object equals itself. */
  CHECK(CFEqual(image, image));
  CHECK(!CFEqual(image, space));
  CHECK(!CFEqual(data, string));

  CGColorSpaceRelease(space);
  CFRelease(data);
  CGImageRelease(image);
}

typedef struct {
  const CFStringRef *symbol;
  const char *text;
  CGColorSpaceModel model;
  size_t components;
} Named;

static const Named named[] = {
    {&kCGColorSpaceSRGB, "kCGColorSpaceSRGB", kCGColorSpaceModelRGB, 3},
    {&kCGColorSpaceLinearSRGB, "kCGColorSpaceLinearSRGB", kCGColorSpaceModelRGB, 3},
    {&kCGColorSpaceExtendedSRGB, "kCGColorSpaceExtendedSRGB", kCGColorSpaceModelRGB, 3},
    {&kCGColorSpaceExtendedLinearSRGB, "kCGColorSpaceExtendedLinearSRGB", kCGColorSpaceModelRGB, 3},
    {&kCGColorSpaceDisplayP3, "kCGColorSpaceDisplayP3", kCGColorSpaceModelRGB, 3},
    {&kCGColorSpaceGenericRGBLinear, "kCGColorSpaceGenericRGBLinear", kCGColorSpaceModelRGB, 3},
    {&kCGColorSpaceAdobeRGB1998, "kCGColorSpaceAdobeRGB1998", kCGColorSpaceModelRGB, 3},
    {&kCGColorSpaceITUR_2020, "kCGColorSpaceITUR_2020", kCGColorSpaceModelRGB, 3},
    {&kCGColorSpaceGenericGrayGamma2_2, "kCGColorSpaceGenericGrayGamma2_2", kCGColorSpaceModelMonochrome, 1},
    {&kCGColorSpaceLinearGray, "kCGColorSpaceLinearGray", kCGColorSpaceModelMonochrome, 1},
    {&kCGColorSpaceExtendedGray, "kCGColorSpaceExtendedGray", kCGColorSpaceModelMonochrome, 1},
    {&kCGColorSpaceGenericCMYK, "kCGColorSpaceGenericCMYK", kCGColorSpaceModelCMYK, 4},
};

static void name_is_(int line, CFStringRef name, const char *text) {
  char buffer[64];
  memset(buffer, 0, sizeof buffer);
  int ok = CHECK(name != NULL);
  if (ok) {
    ok &= CHECK_EQ(CFGetTypeID(name), CFStringGetTypeID());
    ok &= CHECK_EQ(CFStringGetLength(name), (CFIndex)strlen(text));
    ok &= CHECK_EQ(CFStringGetCString(name, buffer, sizeof buffer, kCFStringEncodingUTF8), 1);
    ok &= CHECK(strcmp(buffer, text) == 0);
    ok &= CHECK_EQ(CFStringGetCString(name, buffer, sizeof buffer, kCFStringEncodingASCII), 1);
    /* Too small for the text and its NUL: false. */
    ok &= CHECK_EQ(CFStringGetCString(name, buffer, (CFIndex)strlen(text), kCFStringEncodingUTF8), 0);
  }
  if (!ok) fprintf(stderr, "   (name \"%s\" at line %d, got \"%s\")\n", text, line, buffer);
}
#define NAME_IS(name, text) name_is_(__LINE__, name, text)

static void color_spaces(void) {
  struct {
    CGColorSpaceRef space;
    CGColorSpaceModel model;
    size_t components;
    const char *name;
  } devices[3] = {
      {CGColorSpaceCreateDeviceRGB(), kCGColorSpaceModelRGB, 3, "kCGColorSpaceDeviceRGB"},
      {CGColorSpaceCreateDeviceGray(), kCGColorSpaceModelMonochrome, 1, "kCGColorSpaceDeviceGray"},
      {CGColorSpaceCreateDeviceCMYK(), kCGColorSpaceModelCMYK, 4, "kCGColorSpaceDeviceCMYK"},
  };
  for (int i = 0; i < 3; i++) {
    REQUIRE(devices[i].space != NULL);
    CHECK_EQ(CGColorSpaceGetModel(devices[i].space), devices[i].model);
    CHECK_EQ(CGColorSpaceGetNumberOfComponents(devices[i].space), devices[i].components);
    CHECK(CFGetRetainCount(devices[i].space) > 1000000); /* shared, never freed */
    CHECK_PTR_EQ(CGColorSpaceGetBaseColorSpace(devices[i].space), NULL);
    NAME_IS(CGColorSpaceGetName(devices[i].space), devices[i].name);
    for (int j = 0; j < i; j++) CHECK(!CFEqual(devices[i].space, devices[j].space));
  }
  /* Two device RGB objects are the same space. */
  CGColorSpaceRef rgb2 = CGColorSpaceCreateDeviceRGB();
  CHECK(CFEqual(rgb2, devices[0].space));
  CGColorSpaceRelease(rgb2);

  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
    const Named *n = &named[i];
    CGColorSpaceRef space = CGColorSpaceCreateWithName(*n->symbol);
    if (!CHECK(space != NULL)) {
      fprintf(stderr, "   %s\n", n->text);
      continue;
    }
    CHECK(CFGetRetainCount(space) > 1000000); /* shared, never freed */
    CHECK_EQ(CGColorSpaceGetModel(space), n->model);
    CHECK_EQ(CGColorSpaceGetNumberOfComponents(space), n->components);
    CHECK_PTR_EQ(CGColorSpaceGetName(space), *n->symbol); /* the exported constant itself */
    NAME_IS(*n->symbol, n->text);                          /* whose text is its own name */
    CFIndex before = CFGetRetainCount(*n->symbol);
    CFStringRef copied = CGColorSpaceCopyName(space); /* +1 */
    CHECK(copied != NULL && CFEqual(copied, *n->symbol));
    /* The names are constant strings, never freed: like Apple's, their count stays fixed (and
       huge), so the extra reference CopyName hands out is released harmlessly. */
    CHECK_EQ(CFGetRetainCount(copied), before);
    CHECK(before > 1000000);
    CFRelease(copied);
    CHECK_EQ(CFGetRetainCount(*n->symbol), before);
    /* One name gives the one shared space; different names are different spaces. */
    CGColorSpaceRef again = CGColorSpaceCreateWithName(*n->symbol);
    CHECK(again == space && CFEqual(again, space));
    CGColorSpaceRelease(again);
    if (i > 0) {
      CGColorSpaceRef other = CGColorSpaceCreateWithName(*named[i - 1].symbol);
      CHECK(!CFEqual(other, space));
      CGColorSpaceRelease(other);
    }
    CGColorSpaceRelease(space);
  }

  /* Names are compared by text: CFSTR and CFStringCreateWithCString work too. */
  CGColorSpaceRef by_cfstr = CGColorSpaceCreateWithName(CFSTR("kCGColorSpaceSRGB"));
  CHECK(by_cfstr != NULL);
  CHECK(CFEqual(CFSTR("kCGColorSpaceSRGB"), kCGColorSpaceSRGB));
  CHECK_PTR_EQ(CGColorSpaceGetName(by_cfstr), kCGColorSpaceSRGB);
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CHECK(CFEqual(by_cfstr, srgb));
  CGColorSpaceRelease(by_cfstr);
  CGColorSpaceRelease(srgb);
  CFStringRef made = CFStringCreateWithCString(NULL, "kCGColorSpaceDisplayP3", kCFStringEncodingUTF8);
  REQUIRE(made != NULL);
  CHECK_EQ(CFGetRetainCount(made), 1);
  CGColorSpaceRef p3 = CGColorSpaceCreateWithName(made);
  CHECK(p3 != NULL && CGColorSpaceGetName(p3) == kCGColorSpaceDisplayP3);
  CFRelease(made);
  CGColorSpaceRelease(p3);
  CHECK_PTR_EQ(CGColorSpaceCreateWithName(CFSTR("kCGColorSpaceNoSuchThing")), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateWithName(CFSTR("")), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateWithName(NULL), NULL);

  for (int i = 0; i < 3; i++) CGColorSpaceRelease(devices[i].space);
}

static void cf_data_and_strings(void) {
  UInt8 bytes[5] = {1, 2, 3, 4, 5};
  CFDataRef a = CFDataCreate(NULL, bytes, 5);
  REQUIRE(a != NULL);
  CHECK_EQ(CFGetRetainCount(a), 1);
  CHECK_EQ(CFDataGetLength(a), 5);
  CHECK(CFDataGetBytePtr(a) != bytes); /* always a copy */
  CHECK_MEM_EQ(CFDataGetBytePtr(a), bytes, 5);
  bytes[0] = 9;
  CHECK_EQ(CFDataGetBytePtr(a)[0], 1);
  CFDataRef b = CFDataCreate(kCFAllocatorDefault, (const UInt8 *)"\1\2\3\4\5", 5);
  CFDataRef c = CFDataCreate(NULL, bytes, 5);
  CFDataRef shorter = CFDataCreate(NULL, (const UInt8 *)"\1\2\3\4", 4);
  CFDataRef empty = CFDataCreate(NULL, NULL, 0);
  REQUIRE(b != NULL && c != NULL && shorter != NULL && empty != NULL);
  CHECK(CFEqual(a, b));
  CHECK(CFEqual(b, a));
  CHECK(!CFEqual(a, c));
  CHECK(!CFEqual(a, shorter));
  CHECK_EQ(CFDataGetLength(empty), 0);
  CHECK(!CFEqual(a, empty));

  CHECK_PTR_EQ(CFRetain(a), a);
  CHECK_EQ(CFGetRetainCount(a), 2);
  CFRelease(a);
  CHECK_EQ(CFGetRetainCount(a), 1);

  /* CFSTR strings: valid forever, balanced retain/release allowed. */
  CFStringRef s = CFSTR("vImage");
  CHECK_EQ(CFStringGetLength(s), 6);
  CHECK_PTR_EQ(CFRetain(s), s);
  CFRelease(s);
  CHECK_EQ(CFStringGetLength(s), 6);
  CFStringRef t = CFStringCreateWithCString(NULL, "vImage", kCFStringEncodingASCII);
  CHECK(t != NULL && CFEqual(s, t) && t != s);
  CFRelease(t);
  CHECK(!CFEqual(CFSTR("abc"), CFSTR("abd")));

  CFRelease(a);
  CFRelease(b);
  CFRelease(c);
  CFRelease(shorter);
  CFRelease(empty);
}

int main(void) {
  image_create();
  image_copy();
  image_in_rect();
  sub_byte_crops();
  masks();
  null_arguments();
  retain_counts_and_type_ids();
  color_spaces();
  cf_data_and_strings();
  return check_report();
}
