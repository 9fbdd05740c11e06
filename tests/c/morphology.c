/*
 * Morphology.h from C: vImageDilate_*, vImageErode_*, vImageMax_*, vImageMin_* for Planar8,
 * PlanarF, ARGB8888 and ARGBFFFF against Apple's documented loop written here (the window
 * clipped to the source image), on every geometry of ops_util.h with ROI offsets, kernels
 * larger than the image, LeaveAlphaUnchanged, guard bytes around the destination, the
 * temp-buffer protocol, Max / Min in place with kvImageDoNotTile, and the error cases.
 */
#include <math.h>

#include "ops_util.h"

enum { DILATE, ERODE, MAX, MIN };

typedef vImage_Error (*morph8_fn)(const vImage_Buffer *, const vImage_Buffer *, vImagePixelCount, vImagePixelCount,
                                  const unsigned char *, vImagePixelCount, vImagePixelCount, vImage_Flags);
typedef vImage_Error (*morphf_fn)(const vImage_Buffer *, const vImage_Buffer *, vImagePixelCount, vImagePixelCount,
                                  const float *, vImagePixelCount, vImagePixelCount, vImage_Flags);
typedef vImage_Error (*ext_fn)(const vImage_Buffer *, const vImage_Buffer *, void *, vImagePixelCount, vImagePixelCount,
                               vImagePixelCount, vImagePixelCount, vImage_Flags);

/* format: 0 Planar8, 1 PlanarF, 2 ARGB8888, 3 ARGBFFFF */
static const morph8_fn DIL8[4] = {vImageDilate_Planar8, NULL, vImageDilate_ARGB8888, NULL};
static const morph8_fn ERO8[4] = {vImageErode_Planar8, NULL, vImageErode_ARGB8888, NULL};
static const morphf_fn DILF[4] = {NULL, vImageDilate_PlanarF, NULL, vImageDilate_ARGBFFFF};
static const morphf_fn EROF[4] = {NULL, vImageErode_PlanarF, NULL, vImageErode_ARGBFFFF};
static const ext_fn MAXF[4] = {vImageMax_Planar8, vImageMax_PlanarF, vImageMax_ARGB8888, vImageMax_ARGBFFFF};
static const ext_fn MINF[4] = {vImageMin_Planar8, vImageMin_PlanarF, vImageMin_ARGB8888, vImageMin_ARGBFFFF};

static int chans(int f) { return f >= 2 ? 4 : 1; }
static int isf(int f) { return f == 1 || f == 3; }
static size_t bpp(int f) { return (size_t)chans(f) * (isf(f) ? 4 : 1); }

static float getf(const img_t *m, size_t i, size_t y) {
  float v;
  memcpy(&v, img_px(m, 0, y) + 4 * i, 4);
  return v;
}

/* Expected sample (x, y, ch) of the destination. No NaN in these inputs, so plain < / >
 * compare (and -0 == +0 is avoided: values are k/8 + 1/16). */
static void expect(int op, int f, const img_t *s, size_t x, size_t y, size_t ch, size_t ox, size_t oy, size_t kh,
                   size_t kw, const uint8_t *k8, const float *kf, int alpha, uint8_t *out) {
  int c = chans(f), kernel = op == DILATE || op == ERODE, mx = op == DILATE || op == MAX;
  long rh = (long)kh / 2, rw = (long)kw / 2;
  size_t cy = y + oy, cx = x + ox;
  if (isf(f)) {
    float r = mx ? -INFINITY : INFINITY;
    for (size_t i = 0; i < kh; i++)
      for (size_t j = 0; j < kw; j++) {
        long sy = (long)cy + (long)i - rh, sx = (long)cx + (long)j - rw;
        if (sy < 0 || sx < 0 || sy >= (long)s->b.height || sx >= (long)s->b.width) continue;
        float v = getf(s, (size_t)sx * c + ch, (size_t)sy) - (kernel ? kf[i * kw + j] : 0.0f);
        if (mx ? v > r : v < r) r = v;
      }
    if (kernel) r += kf[(kh / 2) * kw + kw / 2];
    if (alpha && ch == 0) r = getf(s, cx * c, cy);
    memcpy(out, &r, 4);
  } else {
    int r = mx ? 0 : 255;
    for (size_t i = 0; i < kh; i++)
      for (size_t j = 0; j < kw; j++) {
        long sy = (long)cy + (long)i - rh, sx = (long)cx + (long)j - rw;
        if (sy < 0 || sx < 0 || sy >= (long)s->b.height || sx >= (long)s->b.width) continue;
        int v = img_px(s, (size_t)sx, (size_t)sy)[ch] - (kernel ? k8[i * kw + j] : 0);
        if (mx ? v > r : v < r) r = v;
      }
    if (kernel) r += k8[(kh / 2) * kw + kw / 2];
    r = r < 0 ? 0 : r > 255 ? 255 : r;
    if (alpha && ch == 0) r = img_px(s, cx, cy)[0];
    *out = (uint8_t)r;
  }
}

static vImage_Error run(int op, int f, const img_t *s, const img_t *d, size_t ox, size_t oy, size_t kh, size_t kw,
                        const uint8_t *k8, const float *kf, vImage_Flags fl, void *tmp) {
  switch (op) {
    case DILATE: return isf(f) ? DILF[f](&s->b, &d->b, ox, oy, kf, kh, kw, fl) : DIL8[f](&s->b, &d->b, ox, oy, k8, kh, kw, fl);
    case ERODE: return isf(f) ? EROF[f](&s->b, &d->b, ox, oy, kf, kh, kw, fl) : ERO8[f](&s->b, &d->b, ox, oy, k8, kh, kw, fl);
    case MAX: return MAXF[f](&s->b, &d->b, tmp, ox, oy, kh, kw, fl);
    default: return MINF[f](&s->b, &d->b, tmp, ox, oy, kh, kw, fl);
  }
}

static void fill(img_t *m, int f) {
  if (isf(f)) {
    for (size_t y = 0; y < m->b.height; y++)
      for (size_t i = 0; i < m->b.width * chans(f); i++) {
        float v = (float)((int)(rng() % 401) - 200) / 8.0f + 0.0625f;
        memcpy(img_px(m, 0, y) + 4 * i, &v, 4);
      }
  } else {
    img_fill_random(m);
  }
}

static int matches(int op, int f, const img_t *s, const img_t *d, size_t ox, size_t oy, size_t kh, size_t kw,
                   const uint8_t *k8, const float *kf, int alpha) {
  uint8_t e[4];
  size_t es = isf(f) ? 4 : 1;
  for (size_t y = 0; y < d->b.height; y++)
    for (size_t x = 0; x < d->b.width; x++)
      for (size_t ch = 0; ch < (size_t)chans(f); ch++) {
        expect(op, f, s, x, y, ch, ox, oy, kh, kw, k8, kf, alpha, e);
        if (memcmp(img_px(d, x, y) + ch * es, e, es) != 0) return 0;
      }
  return 1;
}

static const size_t KS[][2] = {{1, 1}, {3, 3}, {5, 3}, {1, 7}, {9, 9}, {15, 1}, {41, 3}};
#define NKS (sizeof KS / sizeof KS[0])

static void every_function(void) {
  uint8_t k8[41 * 9];
  float kf[41 * 9];
  for (int op = 0; op < 4; op++)
    for (int f = 0; f < 4; f++)
      for (size_t g = 0; g < NGEOMS; g++)
        for (size_t ki = 0; ki < NKS; ki++) {
          const geom_t G = GEOMS[g];
          size_t kh = KS[ki][0], kw = KS[ki][1];
          for (size_t i = 0; i < kh * kw; i++) {
            k8[i] = (uint8_t)(rng() % 3 == 0 ? rng() : 0);
            kf[i] = (float)(rng() % 64) / 4.0f;
          }
          /* Source two pixels larger each way; the ROI is offset by (1, 1) half the time. */
          img_t s = img_new(G.w + 2, G.h + 2, bpp(f), G.pad);
          img_t d = img_new(G.w, G.h, bpp(f), G.pad + 1);
          fill(&s, f);
          size_t o = (g + ki) % 2;
          int alpha = chans(f) == 4 && ki % 3 == 1;
          vImage_Flags fl = (alpha ? kvImageLeaveAlphaUnchanged : 0) | (ki % 2 ? kvImageDoNotTile : 0);
          void *tmp = NULL;
          if (op >= MAX && ki % 2 == 0) {
            vImage_Error n = run(op, f, &s, &d, o, o, kh, kw, k8, kf, fl | kvImageGetTempBufferSize, NULL);
            CHECK(n >= 0);
            tmp = malloc((size_t)n + 1);
          }
          CHECK_EQ(run(op, f, &s, &d, o, o, kh, kw, k8, kf, fl, tmp), kvImageNoError);
          if (!CHECK(matches(op, f, &s, &d, o, o, kh, kw, k8, kf, alpha)))
            fprintf(stderr, "  op %d format %d geom %zu kernel %zux%zu\n", op, f, g, kh, kw);
          CHECK(img_guards_ok(&d));
          free(tmp);
          img_free(&s);
          img_free(&d);
        }
}

static void in_place(void) {
  for (int f = 0; f < 4; f++)
    for (int op = MAX; op <= MIN; op++) {
      img_t s = img_new(19, 11, bpp(f), 3), d = img_new(19, 11, bpp(f), 0);
      fill(&s, f);
      CHECK_EQ(run(op, f, &s, &d, 0, 0, 5, 3, NULL, NULL, 0, NULL), kvImageNoError);
      CHECK_EQ(run(op, f, &s, &s, 0, 0, 5, 3, NULL, NULL, 0, NULL), kvImageOutOfPlaceOperationRequired);
      CHECK_EQ(run(op, f, &s, &s, 0, 0, 5, 3, NULL, NULL, kvImageDoNotTile, NULL), kvImageNoError);
      for (size_t y = 0; y < 11; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), 19 * bpp(f));
      CHECK(img_guards_ok(&s));
      img_free(&s);
      img_free(&d);
    }
}

static void errors(void) {
  uint8_t k8[16] = {0};
  float kf[16] = {0};
  for (int f = 0; f < 4; f++)
    for (int op = 0; op < 4; op++) {
      img_t s = img_new(6, 5, bpp(f), 0), d = img_new(6, 5, bpp(f), 0), big = img_new(7, 5, bpp(f), 0);
      img_t small = img_new(4, 4, bpp(f), 0);
      fill(&s, f);
      CHECK_EQ(run(op, f, &s, &d, 0, 0, 2, 3, k8, kf, 0, NULL), kvImageInvalidKernelSize);
      CHECK_EQ(run(op, f, &s, &d, 0, 0, 3, 4, k8, kf, 0, NULL), kvImageInvalidKernelSize);
      CHECK_EQ(run(op, f, &s, &big, 0, 0, 3, 3, k8, kf, 0, NULL), kvImageRoiLargerThanInputBuffer);
      CHECK_EQ(run(op, f, &s, &small, 3, 0, 3, 3, k8, kf, 0, NULL), kvImageInvalidOffset_X);
      CHECK_EQ(run(op, f, &s, &small, 0, 2, 3, 3, k8, kf, 0, NULL), kvImageInvalidOffset_Y);
      CHECK_EQ(run(op, f, &s, &d, 0, 0, 3, 3, k8, kf, 1u << 20, NULL), kvImageUnknownFlagsBit);
      vImage_Error n = run(op, f, &s, &d, 0, 0, 3, 3, k8, kf, kvImageGetTempBufferSize, NULL);
      if (op <= ERODE) {
        CHECK_EQ(n, 0);
        CHECK_EQ(run(op, f, &s, &d, 0, 0, 3, 3, NULL, NULL, 0, NULL), kvImageNullPointerArgument);
        CHECK_EQ(run(op, f, &s, &s, 0, 0, 3, 3, k8, kf, kvImageDoNotTile, NULL), kvImageOutOfPlaceOperationRequired);
      } else {
        CHECK(n > 0);
      }
      for (size_t y = 0; y < 5; y++)
        for (size_t i = 0; i < 6 * bpp(f); i++) CHECK_EQ(img_px(&d, 0, y)[i], GUARD); /* untouched */
      img_t nul = d;
      nul.b.data = NULL;
      CHECK_EQ(run(op, f, &s, &nul, 0, 0, 3, 3, k8, kf, 0, NULL), kvImageNullPointerArgument);
      img_free(&s);
      img_free(&d);
      img_free(&big);
      img_free(&small);
    }
  CHECK_EQ(vImageMax_Planar8(NULL, NULL, NULL, 0, 0, 3, 3, 0), kvImageNullPointerArgument);
}

/* A 4K-ish tiled run equals kvImageDoNotTile (skipped under valgrind). */
static void tiled(void) {
  if (getenv("VIMAGE_TEST_UNDER_VALGRIND") != NULL) return;
  geom_t G = big_geom();
  img_t s = img_new(G.w, G.h, 4, G.pad), a = img_new(G.w, G.h, 4, 0), b = img_new(G.w, G.h, 4, 0);
  img_fill_random(&s);
  CHECK_EQ(vImageMax_ARGB8888(&s.b, &a.b, NULL, 0, 0, 21, 21, 0), kvImageNoError);
  CHECK_EQ(vImageMax_ARGB8888(&s.b, &b.b, NULL, 0, 0, 21, 21, kvImageDoNotTile), kvImageNoError);
  for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&a, 0, y), img_px(&b, 0, y), G.w * 4);
  for (size_t y = 0; y < G.h; y += 64)
    for (size_t x = 0; x < G.w; x += 37) {
      uint8_t e[4];
      for (size_t ch = 0; ch < 4; ch++) expect(MAX, 2, &s, x, y, ch, 0, 0, 21, 21, NULL, NULL, 0, &e[ch]);
      CHECK_MEM_EQ(img_px(&a, x, y), e, 4);
    }
  img_free(&s);
  img_free(&a);
  img_free(&b);
}

int main(void) {
  every_function();
  in_place();
  errors();
  tiled();
  return check_report();
}
