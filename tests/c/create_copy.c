/*
 * vImageCreateCGImageFromBuffer in copy mode (apple-abi.md §4.1 rules 1-3, 10, 14): the image
 * owns a copy of the pixels (the source may be changed or freed right after the call), has a
 * retain count of 1, never calls the callback, stores tight rows, and reports its format
 * through the CGImageGet* accessors; CGDataProviderCopyData and vImageBuffer_InitWithCGImage
 * give the pixels back. Covers 8-, 16- and 32-bit float components, packed 16-bit pixels,
 * gray, RGB and CMYK.
 */
#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int callback_calls;

static void counting_callback(void *userData, void *buf_data) {
  (void)buf_data;
  callback_calls++;
  if (userData != NULL) (*(int *)userData)++;
}

typedef struct {
  const char *name;
  uint32_t bpc, bpp;
  /* 0 = NULL (sRGB), 1 = device gray, 2 = device RGB, 3 = device CMYK */
  int space_kind;
  CGBitmapInfo info;
  CGColorRenderingIntent intent;
  CGColorSpaceModel model;
} Case;

static const Case cases[] = {
    {"RGBA8888 premultiplied last", 8, 32, 0, kCGImageAlphaPremultipliedLast,
     kCGRenderingIntentDefault, kCGColorSpaceModelRGB},
    {"ARGB8888 first", 8, 32, 0, kCGImageAlphaFirst, kCGRenderingIntentPerceptual,
     kCGColorSpaceModelRGB},
    {"BGRA8888 first|32Little", 8, 32, 2, kCGImageAlphaFirst | kCGBitmapByteOrder32Little,
     kCGRenderingIntentRelativeColorimetric, kCGColorSpaceModelRGB},
    {"BGRA8888 premultiplied first|32Host", 8, 32, 0,
     kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Host, kCGRenderingIntentDefault,
     kCGColorSpaceModelRGB},
    {"XRGB8888 none skip first", 8, 32, 0, kCGImageAlphaNoneSkipFirst,
     kCGRenderingIntentDefault, kCGColorSpaceModelRGB},
    {"RGBX8888 none skip last", 8, 32, 0, kCGImageAlphaNoneSkipLast,
     kCGRenderingIntentDefault, kCGColorSpaceModelRGB},
    {"RGB888 none", 8, 24, 0, kCGImageAlphaNone, kCGRenderingIntentSaturation,
     kCGColorSpaceModelRGB},
    {"gray8 device gray", 8, 8, 1, kCGImageAlphaNone, kCGRenderingIntentDefault,
     kCGColorSpaceModelMonochrome},
    {"gray+alpha 8-bit", 8, 16, 1, kCGImageAlphaLast, kCGRenderingIntentDefault,
     kCGColorSpaceModelMonochrome},
    {"RGBA16 16Little", 16, 64, 0, kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little,
     kCGRenderingIntentAbsoluteColorimetric, kCGColorSpaceModelRGB},
    {"RGB16 none 16Big", 16, 48, 2, kCGImageAlphaNone | kCGBitmapByteOrder16Big,
     kCGRenderingIntentDefault, kCGColorSpaceModelRGB},
    {"RGBAf32 float|32Little", 32, 128, 0,
     kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
     kCGRenderingIntentDefault, kCGColorSpaceModelRGB},
    {"CMYK8 device CMYK", 8, 32, 3, kCGImageAlphaNone, kCGRenderingIntentPerceptual,
     kCGColorSpaceModelCMYK},
    {"ARGB1555 none skip first|16Little", 5, 16, 0,
     kCGImageAlphaNoneSkipFirst | kCGBitmapByteOrder16Little, kCGRenderingIntentDefault,
     kCGColorSpaceModelRGB},
    {"RGB565 16Little", 5, 16, 0,
     kCGImageAlphaNone | kCGBitmapByteOrder16Little | kCGImagePixelFormatRGB565,
     kCGRenderingIntentDefault, kCGColorSpaceModelRGB},
};

static CGColorSpaceRef make_space(int kind) {
  switch (kind) {
    case 1: return CGColorSpaceCreateDeviceGray();
    case 2: return CGColorSpaceCreateDeviceRGB();
    case 3: return CGColorSpaceCreateDeviceCMYK();
    default: return NULL;
  }
}

static unsigned char pattern(size_t y, size_t i) { return (unsigned char)(y * 31u + i * 7u + 1u); }

/* One image per case from a padded source; everything the image reports and holds is checked. */
static void copy_case(const Case *c, size_t width, size_t height, size_t pad) {
  fprintf(stderr, "-- %s, %zux%zu, %zu bytes of padding\n", c->name, width, height, pad);
  CGColorSpaceRef space = make_space(c->space_kind);
  CFIndex space_count = space ? CFGetRetainCount(space) : 0;
  size_t row_len = (width * c->bpp + 7) / 8;
  size_t row_bytes = row_len + pad;
  unsigned char *src = malloc(row_bytes * height);
  unsigned char *expected = malloc(row_len * height);
  REQUIRE(src != NULL && expected != NULL);
  memset(src, 0xEE, row_bytes * height);
  for (size_t y = 0; y < height; y++)
    for (size_t i = 0; i < row_len; i++) src[y * row_bytes + i] = expected[y * row_len + i] = pattern(y, i);

  vImage_Buffer buf = {src, height, width, row_bytes};
  vImage_CGImageFormat format = {c->bpc, c->bpp, space, c->info, 0, NULL, c->intent};
  int user_calls = 0;
  callback_calls = 0;
  vImage_Error err = 12345;
  CGImageRef image =
      vImageCreateCGImageFromBuffer(&buf, &format, counting_callback, &user_calls, kvImageNoFlags, &err);
  if (!CHECK(image != NULL)) {
    fprintf(stderr, "   error %zd\n", (ssize_t)err);
    free(src);
    free(expected);
    CGColorSpaceRelease(space);
    return;
  }
  CHECK_EQ(err, kvImageNoError);
  CHECK_EQ(CFGetRetainCount(image), 1);
  CHECK_EQ(callback_calls, 0);
  /* the image holds the space (shared device / named spaces keep a constant count) */
  if (space) CHECK(CFGetRetainCount(space) > space_count || space_count > 1000000);

  /* Copy mode: the source is the caller's again; scribble over it and free it. */
  memset(src, 0x5A, row_bytes * height);
  free(src);

  CHECK_EQ(CGImageGetWidth(image), width);
  CHECK_EQ(CGImageGetHeight(image), height);
  CHECK_EQ(CGImageGetBitsPerComponent(image), c->bpc);
  CHECK_EQ(CGImageGetBitsPerPixel(image), c->bpp);
  CHECK_EQ(CGImageGetBytesPerRow(image), row_len); /* copy mode stores tight rows */
  CHECK_EQ(CGImageGetBitmapInfo(image), c->info);
  CHECK_EQ(CGImageGetAlphaInfo(image), c->info & kCGBitmapAlphaInfoMask);
  CHECK_EQ(CGImageGetByteOrderInfo(image), c->info & kCGImageByteOrderMask);
  CHECK_EQ(CGImageGetPixelFormatInfo(image), c->info & kCGImagePixelFormatMask);
  CHECK_EQ(CGImageGetRenderingIntent(image), c->intent);
  CHECK(!CGImageIsMask(image));
  CHECK_PTR_EQ(CGImageGetDecode(image), NULL);
  CGColorSpaceRef image_space = CGImageGetColorSpace(image);
  CHECK(image_space != NULL);
  CHECK_EQ(CGColorSpaceGetModel(image_space), c->model);
  if (space) {
    CHECK(CFEqual(image_space, space));
  } else {
    /* format.colorSpace == NULL means sRGB (§4.1 rule 10). */
    CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
    CHECK(CFEqual(image_space, srgb));
    CHECK_PTR_EQ(CGColorSpaceGetName(image_space), kCGColorSpaceSRGB);
    CGColorSpaceRelease(srgb);
  }
  CHECK_EQ(CFGetTypeID(image), CGImageGetTypeID());

  /* The provider's bytes are the pixels, rows CGImageGetBytesPerRow apart. */
  CGDataProviderRef provider = CGImageGetDataProvider(image);
  CHECK(provider != NULL);
  CFDataRef data = CGDataProviderCopyData(provider);
  if (CHECK(data != NULL)) {
    size_t bpr = CGImageGetBytesPerRow(image);
    CHECK((size_t)CFDataGetLength(data) >= (height - 1) * bpr + row_len);
    const UInt8 *bytes = CFDataGetBytePtr(data);
    for (size_t y = 0; y < height && (size_t)CFDataGetLength(data) >= (height - 1) * bpr + row_len; y++)
      CHECK_MEM_EQ(bytes + y * bpr, expected + y * row_len, row_len);
    CHECK_EQ(CFGetRetainCount(data), 1);
    CFRelease(data);
  }

  /* vImageBuffer_InitWithCGImage with an empty format: the image's own format, no conversion. */
  vImage_CGImageFormat empty;
  memset(&empty, 0, sizeof empty);
  vImage_Buffer back = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&back, &empty, NULL, image, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(empty.bitsPerComponent, c->bpc);
  CHECK_EQ(empty.bitsPerPixel, c->bpp);
  CHECK_EQ(empty.bitmapInfo, c->info);
  CHECK_EQ(empty.version, 0);
  CHECK_PTR_EQ(empty.decode, NULL);
  CHECK_EQ(empty.renderingIntent, c->intent);
  CHECK(empty.colorSpace != NULL && CFEqual(empty.colorSpace, image_space));
  CHECK_EQ(back.width, width);
  CHECK_EQ(back.height, height);
  CHECK(back.rowBytes >= row_len);
  if (CHECK(back.data != NULL))
    for (size_t y = 0; y < height; y++)
      CHECK_MEM_EQ((unsigned char *)back.data + y * back.rowBytes, expected + y * row_len, row_len);
  free(back.data);

  /* ... and with the very format the image was made from. */
  vImage_Buffer again = {NULL, 0, 0, 0};
  vImage_CGImageFormat same = format;
  CHECK_EQ(vImageBuffer_InitWithCGImage(&again, &same, NULL, image, kvImageNoFlags), kvImageNoError);
  CHECK(vImageCGImageFormat_IsEqual(&same, &format));
  if (CHECK(again.data != NULL))
    for (size_t y = 0; y < height; y++)
      CHECK_MEM_EQ((unsigned char *)again.data + y * again.rowBytes, expected + y * row_len, row_len);
  free(again.data);

  CGImageRelease(image);
  CHECK_EQ(callback_calls, 0); /* never in copy mode, not even on release */
  CHECK_EQ(user_calls, 0);
  if (space) {
    CHECK_EQ(CFGetRetainCount(space), space_count); /* the image let go of the space */
    CGColorSpaceRelease(space);
  }
  free(expected);
}

static void every_format(void) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    copy_case(&cases[i], 5, 3, 16); /* padded source rows */
    copy_case(&cases[i], 3, 2, 0);  /* tight source rows */
    copy_case(&cases[i], 1, 1, 0);
  }
}

/* Allowed flags other than kvImageNoAllocate keep copy mode; error may be NULL (§4.1 rule 2). */
static void flags_and_null_error(void) {
  unsigned char pixels[2 * 2 * 4] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  vImage_Buffer buf = {pixels, 2, 2, 8};
  vImage_CGImageFormat format = {8, 32, NULL, kCGImageAlphaPremultipliedLast, 0, NULL,
                                 kCGRenderingIntentDefault};
  callback_calls = 0;
  CGImageRef a = vImageCreateCGImageFromBuffer(&buf, &format, counting_callback, NULL,
                                               kvImageHighQualityResampling | kvImageDoNotTile |
                                                   kvImagePrintDiagnosticsToConsole,
                                               NULL);
  CHECK(a != NULL);
  CGImageRef b = vImageCreateCGImageFromBuffer(&buf, &format, NULL, NULL, kvImageNoFlags, NULL);
  CHECK(b != NULL);
  CHECK(a != b);
  /* Two copies of one buffer hold their own pixels. */
  pixels[0] = 99;
  CFDataRef da = CGDataProviderCopyData(CGImageGetDataProvider(a));
  CFDataRef db = CGDataProviderCopyData(CGImageGetDataProvider(b));
  if (CHECK(da != NULL && db != NULL)) {
    CHECK_EQ(CFDataGetBytePtr(da)[0], 1);
    CHECK(CFEqual(da, db));
    CHECK(CGImageGetDataProvider(a) != CGImageGetDataProvider(b));
  }
  if (da) CFRelease(da);
  if (db) CFRelease(db);
  CGImageRelease(a);
  CGImageRelease(b);
  CHECK_EQ(callback_calls, 0);
}

/* The image retains format.colorSpace: the caller may release its reference at once. */
static void caller_releases_space(void) {
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  unsigned char pixels[3] = {10, 20, 30};
  vImage_Buffer buf = {pixels, 1, 3, 3};
  vImage_CGImageFormat format = {8, 8, gray, kCGImageAlphaNone, 0, NULL, kCGRenderingIntentDefault};
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &format, NULL, NULL, kvImageNoFlags, NULL);
  CGColorSpaceRelease(gray);
  REQUIRE(image != NULL);
  CGColorSpaceRef space = CGImageGetColorSpace(image);
  CHECK_EQ(CGColorSpaceGetModel(space), kCGColorSpaceModelMonochrome);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(space), 1);
  CHECK_EQ(CFGetTypeID(space), CGColorSpaceGetTypeID());
  CGImageRelease(image);
}

int main(void) {
  every_format();
  flags_and_null_error();
  caller_releases_space();
  return check_report();
}
