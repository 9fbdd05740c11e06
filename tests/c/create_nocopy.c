/*
 * vImageCreateCGImageFromBuffer with kvImageNoAllocate (apple-abi.md §4.1 rules 4-8): the
 * image takes the caller's memory as is (its rows keep buf->rowBytes), and the destructor -
 * callback(userData, buf->data), or free(buf->data) without a callback - runs exactly once,
 * when the last holder of the pixels (image, copies, sub-images, retained providers) is gone,
 * and never when the call fails.
 */
#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

typedef struct {
  int calls;
  void *user;
  void *data;
  int free_it;
} Tracker;

/* The destructor: records its arguments and frees the pixels like a real owner would. */
static void release_pixels(void *userData, void *buf_data) {
  Tracker *t = (Tracker *)userData;
  t->calls++;
  t->user = userData;
  t->data = buf_data;
  if (t->free_it) free(buf_data);
}

static int plain_calls;
static void *plain_data;
static void *plain_user;
static void plain_callback(void *userData, void *buf_data) {
  plain_calls++;
  plain_user = userData;
  plain_data = buf_data;
}

enum { W = 4, H = 3, ROW_LEN = W * 4, ROW_BYTES = ROW_LEN + 8 };

static unsigned char pattern(size_t y, size_t i) { return (unsigned char)(y * 40u + i * 3u + 7u); }

/* RGBA8888 rows, ROW_BYTES apart, with 0xEE padding. */
static unsigned char *make_pixels(void) {
  unsigned char *p = malloc(H * ROW_BYTES);
  REQUIRE(p != NULL);
  memset(p, 0xEE, H * ROW_BYTES);
  for (size_t y = 0; y < H; y++)
    for (size_t i = 0; i < ROW_LEN; i++) p[y * ROW_BYTES + i] = pattern(y, i);
  return p;
}

static const vImage_CGImageFormat rgba = {8, 32, NULL, kCGImageAlphaPremultipliedLast, 0, NULL,
                                          kCGRenderingIntentDefault};

static CGImageRef no_copy_image(unsigned char *pixels, Tracker *t) {
  vImage_Buffer buf = {pixels, H, W, ROW_BYTES};
  vImage_Error err = 1;
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &rgba, release_pixels, t, kvImageNoAllocate, &err);
  CHECK(image != NULL);
  CHECK_EQ(err, kvImageNoError);
  return image;
}

static void takes_the_buffer_as_is(void) {
  Tracker t = {0, NULL, NULL, 1};
  unsigned char *pixels = make_pixels();
  CGImageRef image = no_copy_image(pixels, &t);
  REQUIRE(image != NULL);
  CHECK_EQ(t.calls, 0);
  CHECK_EQ(CFGetRetainCount(image), 1);
  /* No copy: the image's rows are the caller's rows, stride included. */
  CHECK_EQ(CGImageGetBytesPerRow(image), ROW_BYTES);
  CHECK_EQ(CGImageGetWidth(image), W);
  CHECK_EQ(CGImageGetHeight(image), H);
  CHECK_EQ(CGImageGetBitmapInfo(image), kCGImageAlphaPremultipliedLast);

  /* The provider spans the rows up to the last pixel (the last row's padding is not read). */
  CFDataRef data = CGDataProviderCopyData(CGImageGetDataProvider(image));
  if (CHECK(data != NULL)) {
    CHECK_EQ(CFDataGetLength(data), (H - 1) * ROW_BYTES + ROW_LEN);
    CHECK_MEM_EQ(CFDataGetBytePtr(data), pixels, (H - 1) * ROW_BYTES + ROW_LEN);
    CFRelease(data);
  }
  vImage_CGImageFormat empty;
  memset(&empty, 0, sizeof empty);
  vImage_Buffer back = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&back, &empty, NULL, image, kvImageNoFlags), kvImageNoError);
  if (CHECK(back.data != NULL))
    for (size_t y = 0; y < H; y++)
      CHECK_MEM_EQ((unsigned char *)back.data + y * back.rowBytes, pixels + y * ROW_BYTES, ROW_LEN);
  free(back.data);
  CHECK_EQ(t.calls, 0); /* reading the image does not release anything */

  CGImageRelease(image);
  CHECK_EQ(t.calls, 1);
  CHECK_PTR_EQ(t.user, &t);
  CHECK_PTR_EQ(t.data, pixels);
}

/* Without a callback the image free()s buf->data: valgrind reports a leak or a double free. */
static void null_callback_uses_free(void) {
  for (int i = 0; i < 3; i++) {
    unsigned char *pixels = make_pixels();
    vImage_Buffer buf = {pixels, H, W, ROW_BYTES};
    int user = 0;
    CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &rgba, NULL, i == 0 ? NULL : &user,
                                                     kvImageNoAllocate, NULL);
    REQUIRE(image != NULL);
    if (i == 2) {
      /* Still free()d when the last holder is a sub-image. */
      CGImageRef sub = CGImageCreateWithImageInRect(image, CGRectMake(1, 1, 2, 2));
      CHECK(sub != NULL);
      CGImageRelease(image);
      CHECK_EQ(CGImageGetWidth(sub), 2);
      CGImageRelease(sub);
    } else {
      CGImageRelease(image);
    }
    CHECK_EQ(user, 0);
  }
}

/* A NULL userData reaches the callback unchanged. */
static void null_user_data(void) {
  unsigned char *pixels = make_pixels();
  vImage_Buffer buf = {pixels, H, W, ROW_BYTES};
  plain_calls = 0;
  plain_user = (void *)&plain_calls;
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &rgba, plain_callback, NULL, kvImageNoAllocate, NULL);
  REQUIRE(image != NULL);
  CHECK_EQ(plain_calls, 0);
  CGImageRelease(image);
  CHECK_EQ(plain_calls, 1);
  CHECK_PTR_EQ(plain_user, NULL);
  CHECK_PTR_EQ(plain_data, pixels);
  free(pixels);
}

enum { HOLDERS = 5 };

static void release_holder(int which, CGImageRef *images, CGDataProviderRef *providers) {
  switch (which) {
    case 0: CGImageRelease(images[0]); break;     /* the image */
    case 1: CGImageRelease(images[1]); break;     /* CGImageCreateCopy */
    case 2: CGImageRelease(images[2]); break;     /* CGImageCreateWithImageInRect */
    case 3: CGDataProviderRelease(providers[0]); break; /* the image's provider, retained */
    case 4: CGDataProviderRelease(providers[1]); break; /* the sub-image's provider, retained */
  }
}

/* Releases the holders in the order `order`; the destructor must wait for the last one. */
static void release_in_order(const int *order) {
  Tracker t = {0, NULL, NULL, 1};
  unsigned char *pixels = make_pixels();
  CGImageRef images[3];
  CGDataProviderRef providers[2];
  images[0] = no_copy_image(pixels, &t);
  REQUIRE(images[0] != NULL);
  images[1] = CGImageCreateCopy(images[0]);
  images[2] = CGImageCreateWithImageInRect(images[0], CGRectMake(1, 1, 2, 2));
  REQUIRE(images[1] != NULL && images[2] != NULL);
  providers[0] = CGDataProviderRetain(CGImageGetDataProvider(images[0]));
  providers[1] = CGDataProviderRetain(CGImageGetDataProvider(images[2]));
  REQUIRE(providers[0] != NULL && providers[1] != NULL);
  int alive[HOLDERS] = {1, 1, 1, 1, 1};
  for (int step = 0; step < HOLDERS; step++) {
    CHECK_EQ(t.calls, 0);
    release_holder(order[step], images, providers);
    alive[order[step]] = 0;
    /* Whatever is left still reads the pixels (valgrind flags a premature free). */
    if (alive[2]) {
      CFDataRef d = CGDataProviderCopyData(CGImageGetDataProvider(images[2]));
      if (CHECK(d != NULL)) {
        CHECK_EQ(CFDataGetBytePtr(d)[0], pattern(1, 4));
        CFRelease(d);
      }
    }
    if (alive[3]) {
      CFDataRef d = CGDataProviderCopyData(providers[0]);
      if (CHECK(d != NULL)) {
        CHECK_EQ(CFDataGetBytePtr(d)[ROW_BYTES], pattern(1, 0));
        CFRelease(d);
      }
    }
  }
  CHECK_EQ(t.calls, 1);
  CHECK_PTR_EQ(t.data, pixels);
}

static void permute(int *order, int k) {
  if (k == HOLDERS) {
    release_in_order(order);
    return;
  }
  for (int i = k; i < HOLDERS; i++) {
    int tmp = order[k];
    order[k] = order[i];
    order[i] = tmp;
    permute(order, k + 1);
    order[i] = order[k];
    order[k] = tmp;
  }
}

static void last_holder_releases(void) {
  int order[HOLDERS] = {0, 1, 2, 3, 4};
  permute(order, 0); /* all 120 orders */
}

/* The sub-image of a no-copy image shows the right pixels. */
static void sub_image_pixels(void) {
  Tracker t = {0, NULL, NULL, 1};
  unsigned char *pixels = make_pixels();
  CGImageRef image = no_copy_image(pixels, &t);
  REQUIRE(image != NULL);
  CGImageRef sub = CGImageCreateWithImageInRect(image, CGRectMake(1, 1, 3, 2));
  REQUIRE(sub != NULL);
  CGImageRelease(image);
  CHECK_EQ(t.calls, 0);
  CHECK_EQ(CGImageGetWidth(sub), 3);
  CHECK_EQ(CGImageGetHeight(sub), 2);
  vImage_CGImageFormat empty;
  memset(&empty, 0, sizeof empty);
  vImage_Buffer back = {NULL, 0, 0, 0};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&back, &empty, NULL, sub, kvImageNoFlags), kvImageNoError);
  if (CHECK(back.data != NULL))
    for (size_t y = 0; y < 2; y++)
      CHECK_MEM_EQ((unsigned char *)back.data + y * back.rowBytes, pixels + (y + 1) * ROW_BYTES + 4, 12);
  free(back.data);
  CGImageRelease(sub);
  CHECK_EQ(t.calls, 1);
}

/* Other formats Apple names as likely no-copy formats (§4.1 rule 13). */
static void other_formats(void) {
  static const struct {
    uint32_t bpc, bpp;
    CGBitmapInfo info;
    int gray;
  } formats[] = {
      {8, 8, kCGImageAlphaNone, 1},
      {8, 32, kCGImageAlphaNoneSkipLast, 0},
      {16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Little, 0},
      {32, 128, kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little, 0},
      {5, 16, kCGImageAlphaNone | kCGBitmapByteOrder16Little | kCGImagePixelFormatRGB565, 0},
  };
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
    size_t width = 3, height = 2, row_len = width * formats[i].bpp / 8, row_bytes = row_len + 4;
    unsigned char *pixels = malloc(height * row_bytes);
    REQUIRE(pixels != NULL);
    for (size_t b = 0; b < height * row_bytes; b++) pixels[b] = (unsigned char)(b * 5 + i);
    CGColorSpaceRef space = formats[i].gray ? CGColorSpaceCreateDeviceGray() : NULL;
    vImage_CGImageFormat format = {formats[i].bpc, formats[i].bpp, space, formats[i].info, 0, NULL,
                                   kCGRenderingIntentDefault};
    vImage_Buffer buf = {pixels, height, width, row_bytes};
    Tracker t = {0, NULL, NULL, 0};
    vImage_Error err = 1;
    CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &format, release_pixels, &t, kvImageNoAllocate, &err);
    CGColorSpaceRelease(space);
    if (CHECK(image != NULL)) {
      CHECK_EQ(err, kvImageNoError);
      CHECK_EQ(CGImageGetBytesPerRow(image), row_bytes);
      CHECK_EQ(CGImageGetBitsPerPixel(image), formats[i].bpp);
      CFDataRef d = CGDataProviderCopyData(CGImageGetDataProvider(image));
      if (CHECK(d != NULL)) {
        CHECK_EQ(CFDataGetLength(d), row_bytes + row_len);
        CHECK_MEM_EQ(CFDataGetBytePtr(d), pixels, row_bytes + row_len);
        CFRelease(d);
      }
      CHECK_EQ(t.calls, 0);
      CGImageRelease(image);
    }
    CHECK_EQ(t.calls, 1);
    CHECK_PTR_EQ(t.data, pixels);
    free(pixels);
  }
}

/* A failing call keeps the caller the owner: no callback, no free() (§4.1 rule 8). */
static void failures_never_release(void) {
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  CFDataRef not_a_space = CFDataCreate(NULL, (const UInt8 *)"abcdefgh", 8);
  for (int use_callback = 0; use_callback < 2; use_callback++) {
    for (int which = 0; which < 16; which++) {
      unsigned char *pixels = make_pixels();
      vImage_Buffer buf = {pixels, H, W, ROW_BYTES};
      vImage_CGImageFormat format = rgba;
      const vImage_Buffer *bp = &buf;
      const vImage_CGImageFormat *fp = &format;
      vImage_Flags flags = kvImageNoAllocate;
      vImage_Error expected = 0;
      switch (which) {
        case 0: fp = NULL; expected = kvImageNullPointerArgument; break;
        case 1: bp = NULL; expected = kvImageNullPointerArgument; break;
        case 2: flags |= kvImageLeaveAlphaUnchanged; expected = kvImageUnknownFlagsBit; break;
        case 3: format.bitsPerComponent = 7; expected = kvImageInvalidParameter; break;
        case 4: format.bitsPerPixel = 24; expected = kvImageInvalidImageFormat; break;
        case 5: buf.rowBytes = ROW_LEN - 1; expected = kvImageInvalidRowBytes; break;
        case 6: buf.data = NULL; expected = kvImageNullPointerArgument; break;
        case 7: format.version = 1; expected = kvImageInvalidImageFormat; break;
        case 8: format.renderingIntent = 5; expected = kvImageInvalidImageFormat; break;
        case 9: format.bitmapInfo |= 0x40000000u; expected = kvImageInvalidParameter; break;
        case 10: buf.width = 0; expected = kvImageInvalidParameter; break;
        case 11: buf.height = 0; expected = kvImageInvalidParameter; break;
        case 12: buf.data = (void *)(UINTPTR_MAX - 10); expected = kvImageInvalidParameter; break;
        case 13: format.colorSpace = (CGColorSpaceRef)(uintptr_t)not_a_space; expected = kvImageInvalidImageFormat; break;
        case 14: format.colorSpace = gray; expected = kvImageInvalidImageFormat; break; /* 1 + alpha channel != 32 bits */
        case 15: format.bitmapInfo = kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little; expected = kvImageInvalidImageFormat; break;
      }
      plain_calls = 0;
      vImage_Error err = 0;
      CGImageRef image = vImageCreateCGImageFromBuffer(bp, fp, use_callback ? plain_callback : NULL,
                                                       &plain_calls, flags, &err);
      if (!CHECK(image == NULL)) {
        fprintf(stderr, "   case %d unexpectedly succeeded\n", which);
        CGImageRelease(image);
        continue; /* the image owned the pixels */
      }
      if (!CHECK_EQ(err, expected)) fprintf(stderr, "   case %d\n", which);
      CHECK_EQ(plain_calls, 0);
      /* Still ours: write to every byte, then free. */
      memset(pixels, 0, H * ROW_BYTES);
      free(pixels);
    }
  }
  CFRelease(not_a_space);
  CGColorSpaceRelease(gray);
}

int main(void) {
  takes_the_buffer_as_is();
  null_callback_uses_free();
  null_user_data();
  last_holder_releases();
  sub_image_pixels();
  other_formats();
  failures_never_release();
  return check_report();
}
