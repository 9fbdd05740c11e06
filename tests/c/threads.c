/*
 * Thread safety (vImage.h: "all vImage functions are thread safe"; apple-abi.md §4.1 rule 7):
 * a no-copy image shared by 8 threads that retain, copy, crop and hold its provider in tight
 * loops while the main thread drops its own reference. The release callback must run exactly
 * once, after every thread is done, on whichever thread released last. A reference handed to
 * another thread is released - and its callback runs - on that thread.
 *
 * VIMAGE_TEST_UNDER_VALGRIND=1 (set by the test runner) cuts the iterations.
 */
#define _POSIX_C_SOURCE 200809L

#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

enum { THREADS = 8, W = 8, H = 8, BPR = W * 4 };

static int iterations = 20000;

static unsigned char pixel(size_t x, size_t y, size_t c) { return (unsigned char)(y * 32 + x * 4 + c); }

static unsigned char *make_pixels(void) {
  unsigned char *p = malloc(H * BPR);
  REQUIRE(p != NULL);
  for (size_t y = 0; y < H; y++)
    for (size_t x = 0; x < W; x++)
      for (size_t c = 0; c < 4; c++) p[y * BPR + x * 4 + c] = pixel(x, y, c);
  return p;
}

static const vImage_CGImageFormat rgba = {8, 32, NULL, kCGImageAlphaPremultipliedLast, 0, NULL,
                                          kCGRenderingIntentDefault};

/* ---- one image, eight threads -------------------------------------------------------------- */

static vImageConverterRef shared_converter; /* straight BGRA -> premultiplied RGBA, used by all threads */
static atomic_int shared_calls;
static atomic_int loops_done;    /* threads past their loops */
static atomic_int main_released; /* set just before main's CGImageRelease */
static int loops_done_at_callback = -1;
static int main_released_at_callback = -1;
static pthread_t callback_thread;
static void *callback_data;
static pthread_barrier_t start;

static void shared_release(void *userData, void *buf_data) {
  (void)userData;
  atomic_fetch_add(&shared_calls, 1);
  loops_done_at_callback = atomic_load(&loops_done);
  main_released_at_callback = atomic_load(&main_released);
  callback_thread = pthread_self();
  callback_data = buf_data;
  free(buf_data);
}

static void count_and_free(void *userData, void *buf_data) {
  (*(int *)userData)++; /* each thread passes its own counter */
  free(buf_data);
}

typedef struct {
  CGImageRef image; /* one reference, owned by the thread */
  int errors;
  int own_images;
  int own_releases;
} Worker;

static void *worker(void *arg) {
  Worker *w = (Worker *)arg;
  CGImageRef image = w->image;
  CGImageRef held = NULL; /* a copy kept across iterations, so releases interleave */
  pthread_barrier_wait(&start);
  for (int i = 0; i < iterations; i++) {
    if (CGImageRetain(image) != image) w->errors++;
    CGImageRelease(image);

    CGImageRef copy = CGImageCreateCopy(image);
    if (copy == NULL || CGImageGetWidth(copy) != W) w->errors++;
    CGImageRelease(held);
    held = copy;

    size_t x = (size_t)i % W, y = (size_t)(i / W) % H;
    CGImageRef sub = CGImageCreateWithImageInRect(image, CGRectMake((CGFloat)x, (CGFloat)y, 2, 2));
    if (sub == NULL || CGImageGetHeight(sub) != (y + 2 <= H ? 2u : 1u)) w->errors++;

    CGDataProviderRef provider = CGDataProviderRetain(CGImageGetDataProvider(image));
    if (provider == NULL) w->errors++;
    if (i % 64 == 0) { /* the pixels are still there */
      CFDataRef d = CGDataProviderCopyData(CGImageGetDataProvider(sub));
      if (d == NULL || CFDataGetBytePtr(d)[2] != pixel(x, y, 2)) w->errors++;
      if (d) CFRelease(d);
    }
    if (i % 32 == 0 && sub != NULL) { /* convert concurrently: InitWithCGImage and a shared converter */
      static const vImage_CGImageFormat bgra = {8, 32, NULL, kCGImageAlphaFirst | kCGBitmapByteOrder32Little, 0, NULL, 0};
      vImage_CGImageFormat target = bgra;
      vImage_Buffer out;
      if (vImageBuffer_InitWithCGImage(&out, &target, NULL, sub, kvImageNoFlags) != kvImageNoError) {
        w->errors++;
      } else {
        unsigned a = pixel(x, y, 3), r = pixel(x, y, 0);
        unsigned expected = a == 0 ? 0 : ((r < a ? r : a) * 255 + a / 2) / a; /* §7.1 */
        if (((unsigned char *)out.data)[2] != expected || ((unsigned char *)out.data)[3] != a) w->errors++;
        unsigned char back[2 * 4];
        vImage_Buffer one = {out.data, 1, 2, out.rowBytes}, dst = {back, 1, 2, 8};
        if (vImageConvert_AnyToAny(shared_converter, &one, &dst, NULL, kvImageNoFlags) != kvImageNoError) w->errors++;
        /* straight -> premultiplied: (c*a + 127) / 255 */
        if (back[0] != (expected * a + 127) / 255) w->errors++;
        free(out.data);
      }
    }
    if (i % 2) {
      CGImageRelease(sub);
      CGDataProviderRelease(provider);
    } else {
      CGDataProviderRelease(provider);
      CGImageRelease(sub);
    }
    if (atomic_load(&shared_calls) != 0) w->errors++; /* we still hold a reference */

    if (i % 16 == 0) { /* images of its own, made and dropped concurrently with the others */
      unsigned char *mine = malloc(2 * 8);
      if (mine == NULL) abort();
      memset(mine, i & 0xFF, 2 * 8);
      vImage_Buffer buf = {mine, 2, 2, 8};
      CGImageRef own = vImageCreateCGImageFromBuffer(&buf, &rgba, count_and_free, &w->own_releases,
                                                     kvImageNoAllocate, NULL);
      if (own == NULL) {
        w->errors++;
        free(mine);
        continue;
      }
      w->own_images++;
      CGImageRef own_sub = CGImageCreateWithImageInRect(own, CGRectMake(1, 0, 1, 2));
      CGImageRelease(own);
      CGColorSpaceRef srgb = CGColorSpaceCreateWithName(CFSTR("kCGColorSpaceSRGB"));
      if (srgb == NULL || !CFEqual(srgb, CGImageGetColorSpace(own_sub))) w->errors++;
      CGColorSpaceRelease(srgb);
      CGImageRelease(own_sub);
    }
  }
  CGImageRelease(held);
  atomic_fetch_add(&loops_done, 1);
  CGImageRelease(image); /* possibly the last reference */
  return NULL;
}

static void shared_image(void) {
  unsigned char *pixels = make_pixels();
  vImage_Buffer buf = {pixels, H, W, BPR};
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &rgba, shared_release, NULL, kvImageNoAllocate, NULL);
  REQUIRE(image != NULL);
  vImage_CGImageFormat from = {8, 32, NULL, kCGImageAlphaFirst | kCGBitmapByteOrder32Little, 0, NULL, 0};
  vImage_CGImageFormat to = rgba;
  shared_converter = vImageConverter_CreateWithCGImageFormat(&from, &to, NULL, kvImageNoFlags, NULL);
  REQUIRE(shared_converter != NULL);
  REQUIRE(pthread_barrier_init(&start, NULL, THREADS + 1) == 0);
  Worker workers[THREADS];
  pthread_t tids[THREADS];
  for (int t = 0; t < THREADS; t++) {
    workers[t].image = CGImageRetain(image);
    workers[t].errors = workers[t].own_images = workers[t].own_releases = 0;
    REQUIRE(pthread_create(&tids[t], NULL, worker, &workers[t]) == 0);
  }
  CHECK_EQ(CFGetRetainCount(image), THREADS + 1);
  pthread_barrier_wait(&start);
  atomic_store(&main_released, 1);
  CGImageRelease(image); /* while the threads run */
  for (int t = 0; t < THREADS; t++) REQUIRE(pthread_join(tids[t], NULL) == 0);
  pthread_barrier_destroy(&start);

  CHECK_EQ(atomic_load(&shared_calls), 1);
  CHECK_EQ(loops_done_at_callback, THREADS); /* nobody was still using it */
  CHECK_EQ(main_released_at_callback, 1);
  CHECK_PTR_EQ(callback_data, pixels);
  int known = pthread_equal(callback_thread, pthread_self());
  for (int t = 0; t < THREADS; t++) known |= pthread_equal(callback_thread, tids[t]);
  CHECK(known); /* one of the threads that released */
  for (int t = 0; t < THREADS; t++) {
    CHECK_EQ(workers[t].errors, 0);
    CHECK(workers[t].own_images > 0);
    CHECK_EQ(workers[t].own_releases, workers[t].own_images);
  }
  vImageConverter_Release(shared_converter);
}

/* ---- a reference handed to another thread ------------------------------------------------- */

static int handed_calls;
static pthread_t handed_thread;
static void *handed_data;

static void handed_release(void *userData, void *buf_data) {
  (void)userData;
  handed_calls++;
  handed_thread = pthread_self();
  handed_data = buf_data;
  free(buf_data);
}

static int provider_calls;
static pthread_t provider_thread;

static void provider_release(void *info, const void *data, size_t size) {
  (void)data;
  (void)size;
  provider_calls++;
  provider_thread = pthread_self();
  free(info);
}

static void *release_it(void *arg) {
  CGImageRelease((CGImageRef)arg);
  return NULL;
}

static void released_on_another_thread(void) {
  unsigned char *pixels = make_pixels();
  vImage_Buffer buf = {pixels, H, W, BPR};
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &rgba, handed_release, NULL, kvImageNoAllocate, NULL);
  REQUIRE(image != NULL);
  pthread_t tid;
  REQUIRE(pthread_create(&tid, NULL, release_it, image) == 0);
  REQUIRE(pthread_join(tid, NULL) == 0);
  CHECK_EQ(handed_calls, 1);
  CHECK(pthread_equal(handed_thread, tid));
  CHECK(!pthread_equal(handed_thread, pthread_self()));
  CHECK_PTR_EQ(handed_data, pixels);

  /* The same for a CGDataProvider's release callback, through an image and a sub-image. */
  unsigned char *bytes = make_pixels();
  CGDataProviderRef provider = CGDataProviderCreateWithData(bytes, bytes, H * BPR, provider_release);
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CGImageRef over = CGImageCreate(W, H, 8, 32, BPR, rgb, kCGImageAlphaPremultipliedLast, provider, NULL,
                                  false, kCGRenderingIntentDefault);
  CGDataProviderRelease(provider);
  CGColorSpaceRelease(rgb);
  REQUIRE(over != NULL);
  CGImageRef sub = CGImageCreateWithImageInRect(over, CGRectMake(2, 2, 3, 3));
  CGImageRelease(over);
  REQUIRE(sub != NULL);
  REQUIRE(pthread_create(&tid, NULL, release_it, sub) == 0);
  REQUIRE(pthread_join(tid, NULL) == 0);
  CHECK_EQ(provider_calls, 1);
  CHECK(pthread_equal(provider_thread, tid));
}

int main(void) {
  const char *valgrind = getenv("VIMAGE_TEST_UNDER_VALGRIND");
  if (valgrind != NULL && strcmp(valgrind, "1") == 0) iterations = 200;
  shared_image();
  released_on_another_thread();
  return check_report();
}
