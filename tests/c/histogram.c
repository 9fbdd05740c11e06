/*
 * Histogram.h from C: histograms against a direct count; equalization, contrast stretch, ends-in
 * stretch and specification against direct formulas written here; every geometry of
 * ops_util.h, planar and four-channel, 8-bit and float, kvImageLeaveAlphaUnchanged, in place,
 * guard bytes, the temp-buffer query and the documented errors.
 */
#include "ops_util.h"

#include <math.h> /* NAN, INFINITY only: the shared link has no -lm */

/* ---- references ---------------------------------------------------------------------------- */

/* Apple's float bin. */
static unsigned fbin(float x, unsigned e, float mn, float mx) {
  float v = (float)e * (x - mn) / (mx - mn);
  if (!(v > 0.0f)) v = 0.0f;
  if (v > (float)(e - 1)) v = (float)(e - 1);
  return (unsigned)v;
}


/* The 256-entry (or e-entry) table of a transform for one channel's histogram h of n levels:
 * kind 0 equalize, 1 ends-in (pl, ph), 2 specify to `want`. t[] gets numerator / denominator
 * pairs of the output fraction; `same` is set when the channel is left unchanged. */
static void curve(const unsigned long long *h, unsigned n, int kind, unsigned pl, unsigned ph, const vImagePixelCount *want,
                  double *t, int *same) {
  unsigned long long N = 0, c = 0;
  *same = 0;
  for (unsigned i = 0; i < n; i++) N += h[i];
  if (kind == 0) {
    for (unsigned i = 0; i < n; i++) {
      c += h[i];
      t[i] = N ? (double)c / (double)N : 0.0;
    }
    return;
  }
  if (kind == 1) {
    unsigned first = n, last = 0;
    for (unsigned i = 0; i < n; i++)
      if (h[i]) {
        if (first == n) first = i;
        last = i;
      }
    if (first >= last) {
      *same = 1;
      return;
    }
    unsigned lo = 0, hi = n - 1;
    unsigned long long below = 0;
    for (unsigned v = 0; v < n; v++) {
      if (below * 100 <= N * pl) lo = v;
      below += h[v];
    }
    unsigned long long above = 0;
    for (unsigned v = n; v-- > 0;) {
      if (above * 100 <= N * ph) hi = v;
      above += h[v];
    }
    for (unsigned v = 0; v < n; v++) {
      if (lo >= hi)
        t[v] = v > (lo + hi) / 2 ? 1.0 : 0.0;
      else
        t[v] = v <= lo ? 0.0 : v >= hi ? 1.0 : (double)(v - lo) / (double)(hi - lo);
    }
    return;
  }
  /* Specification: smallest z with cdf_want(z) * N >= cdf(r) * Nd. */
  unsigned long long Nd = 0;
  for (unsigned i = 0; i < n; i++) Nd += want[i];
  c = 0;
  for (unsigned r = 0; r < n; r++) {
    c += h[r];
    unsigned long long cd = 0;
    unsigned z = 0;
    for (z = 0; z < n; z++) {
      cd += want[z];
      if (cd * N >= c * Nd) break;
    }
    if (z == n) z = n - 1;
    t[r] = n == 1 ? 0.0 : (double)z / (double)(n - 1);
  }
}

/* 8-bit output level of a fraction t = a / b (b < 10^6): round(255 t), ties up. The 1e-9
 * lifts exact ties that double rounding put just below .5; a non-tie is >= 1 / (2b) away. */
static uint8_t level8(double t) { return (uint8_t)(255.0 * t + 0.5 + 1e-9); }

/* ---- histograms ---------------------------------------------------------------------------- */

static void histograms(void) {
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    for (int bpp = 1; bpp <= 4; bpp += 3) {
      img_t s = img_new(G.w, G.h, bpp, G.pad);
      img_fill_random(&s);
      vImagePixelCount hist[4][256], want[4][256];
      memset(want, 0, sizeof want);
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++)
          for (int c = 0; c < bpp; c++) want[c][img_px(&s, x, y)[c]]++;
      for (int k = 0; k < 2; k++) {
        memset(hist, 0xff, sizeof hist);
        vImage_Flags fl = k ? kvImageLeaveAlphaUnchanged | kvImageDoNotTile : kvImageNoFlags;
        if (bpp == 1) {
          CHECK_EQ(vImageHistogramCalculation_Planar8(&s.b, hist[0], fl), kvImageNoError);
        } else {
          vImagePixelCount *p[4] = {hist[0], hist[1], hist[2], hist[3]};
          CHECK_EQ(vImageHistogramCalculation_ARGB8888(&s.b, p, fl), kvImageNoError);
        }
        for (int c = 0; c < bpp; c++) {
          if (bpp == 4 && c == 0 && k) {
            CHECK_EQ(hist[0][0], (vImagePixelCount)-1); /* alpha untouched */
            continue;
          }
          CHECK_MEM_EQ(hist[c], want[c], sizeof want[c]);
        }
      }
      img_free(&s);
    }
    /* Float. */
    for (int ch = 1; ch <= 4; ch += 3) {
      img_t s = img_new(G.w, G.h, 4 * ch, G.pad);
      img_fill_random_f(&s, -0.5f, 1.5f);
      ((float *)s.b.data)[0] = NAN;
      const unsigned e = 10;
      vImagePixelCount hist[4][10], want[4][10];
      memset(want, 0, sizeof want);
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++)
          for (int c = 0; c < ch; c++) want[c][fbin(((float *)(void *)img_px(&s, x, y))[c], e, 0.0f, 1.0f)]++;
      memset(hist, 0, sizeof hist);
      if (ch == 1) {
        CHECK_EQ(vImageHistogramCalculation_PlanarF(&s.b, hist[0], e, 0.0f, 1.0f, kvImageNoFlags), kvImageNoError);
      } else {
        vImagePixelCount *p[4] = {hist[0], hist[1], hist[2], hist[3]};
        CHECK_EQ(vImageHistogramCalculation_ARGBFFFF(&s.b, p, e, 0.0f, 1.0f, kvImageNoFlags), kvImageNoError);
      }
      for (int c = 0; c < ch; c++) CHECK_MEM_EQ(hist[c], want[c], sizeof want[c]);
      img_free(&s);
    }
  }
  /* Errors. */
  img_t s = img_new(3, 3, 4, 0);
  vImagePixelCount h[256], *p[4] = {h, h, NULL, h};
  CHECK_EQ(vImageHistogramCalculation_Planar8(NULL, h, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageHistogramCalculation_Planar8(&s.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageHistogramCalculation_ARGB8888(&s.b, p, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageHistogramCalculation_PlanarF(&s.b, h, 0, 0.0f, 1.0f, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageHistogramCalculation_PlanarF(&s.b, h, 16, 1.0f, 0.0f, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageHistogramCalculation_Planar8(&s.b, h, 1u << 20), kvImageUnknownFlagsBit);
  img_free(&s);
}

/* ---- 8-bit transforms ---------------------------------------------------------------------- */

/* kind: 0 equalization, 1 contrast stretch, 2 ends-in, 3 specification. */
static vImage_Error run8(int kind, int bpp, const vImage_Buffer *s, const vImage_Buffer *d, const unsigned *pl,
                         const unsigned *ph, const vImagePixelCount *const *want, vImage_Flags f) {
  if (bpp == 1) {
    switch (kind) {
      case 0: return vImageEqualization_Planar8(s, d, f);
      case 1: return vImageContrastStretch_Planar8(s, d, f);
      case 2: return vImageEndsInContrastStretch_Planar8(s, d, pl[0], ph[0], f);
      default: return vImageHistogramSpecification_Planar8(s, d, want[0], f);
    }
  }
  switch (kind) {
    case 0: return vImageEqualization_ARGB8888(s, d, f);
    case 1: return vImageContrastStretch_ARGB8888(s, d, f);
    case 2: return vImageEndsInContrastStretch_ARGB8888(s, d, pl, ph, f);
    default: return vImageHistogramSpecification_ARGB8888(s, d, (const vImagePixelCount **)want, f);
  }
}

static void transforms8(void) {
  static vImagePixelCount want[4][256];
  for (int c = 0; c < 4; c++)
    for (int i = 0; i < 256; i++) want[c][i] = (vImagePixelCount)((i * (c + 3)) % 7 + (c == 2 ? 0 : 1));
  const vImagePixelCount *wp[4] = {want[0], want[1], want[2], want[3]};
  const unsigned pl[4] = {5, 0, 20, 50}, ph[4] = {5, 10, 0, 50};
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    for (int bpp = 1; bpp <= 4; bpp += 3)
      for (int kind = 0; kind < 4; kind++)
        for (int la = 0; la < 2; la++) {
          if (la && bpp == 1) continue;
          img_t s = img_new(G.w, G.h, bpp, G.pad), d = img_new(G.w, G.h, bpp, G.pad + 1);
          img_fill_random(&s);
          /* Squeeze the samples into 40...199 so the stretches move them. */
          for (size_t y = 0; y < G.h; y++)
            for (size_t i = 0; i < G.w * bpp; i++) img_px(&s, 0, y)[i] = (uint8_t)(40 + img_px(&s, 0, y)[i] % 160);
          vImage_Flags fl = la ? kvImageLeaveAlphaUnchanged : kvImageNoFlags;
          CHECK_EQ(run8(kind, bpp, &s.b, &d.b, pl, ph, wp, fl), kvImageNoError);
          CHECK(img_guards_ok(&d));
          int ok = 1;
          for (int c = 0; c < bpp; c++) {
            unsigned long long h[256] = {0};
            for (size_t y = 0; y < G.h; y++)
              for (size_t x = 0; x < G.w; x++) h[img_px(&s, x, y)[c]]++;
            double t[256];
            int same = 0;
            int k = kind == 0 ? 0 : kind == 3 ? 2 : 1;
            unsigned a = kind == 2 ? (bpp == 1 ? pl[0] : pl[c]) : 0, b = kind == 2 ? (bpp == 1 ? ph[0] : ph[c]) : 0;
            curve(h, 256, k, a, b, wp[bpp == 1 ? 0 : c], t, &same);
            int copy = same || (la && c == 0);
            for (size_t y = 0; y < G.h; y++)
              for (size_t x = 0; x < G.w; x++) {
                uint8_t v = img_px(&s, x, y)[c];
                uint8_t e = copy ? v : level8(t[v]);
                ok &= img_px(&d, x, y)[c] == e;
              }
          }
          CHECK(ok);
          /* In place gives the same bytes. */
          CHECK_EQ(run8(kind, bpp, &s.b, &s.b, pl, ph, wp, fl | kvImageDoNotTile), kvImageNoError);
          for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), G.w * bpp);
          CHECK(img_guards_ok(&s));
          img_free(&s);
          img_free(&d);
        }
  }
  /* Errors. */
  img_t s = img_new(4, 3, 4, 0), d = img_new(4, 4, 4, 0);
  const unsigned bad[4] = {60, 0, 0, 0}, bad2[4] = {41, 0, 0, 0};
  for (int kind = 0; kind < 4; kind++) {
    CHECK_EQ(run8(kind, 4, NULL, &d.b, pl, ph, wp, 0), kvImageNullPointerArgument);
    CHECK_EQ(run8(kind, 4, &s.b, &d.b, pl, ph, wp, 0), kvImageBufferSizeMismatch);
    CHECK_EQ(run8(kind, 1, &s.b, &d.b, pl, ph, wp, 0), kvImageBufferSizeMismatch);
    CHECK_EQ(run8(kind, 4, &s.b, &s.b, pl, ph, wp, kvImageGetTempBufferSize), 0);
  }
  CHECK_EQ(vImageEndsInContrastStretch_Planar8(&s.b, &s.b, 60, 41, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageEndsInContrastStretch_ARGB8888(&s.b, &s.b, bad, bad2, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageHistogramSpecification_Planar8(&s.b, &s.b, NULL, 0), kvImageNullPointerArgument);
  img_free(&s);
  img_free(&d);
}

/* ---- float transforms ---------------------------------------------------------------------- */

static vImage_Error runf(int kind, int ch, const vImage_Buffer *s, const vImage_Buffer *d, unsigned e, float mn, float mx,
                         const unsigned *pl, const unsigned *ph, const vImagePixelCount *const *want, vImage_Flags f) {
  if (ch == 1) {
    switch (kind) {
      case 0: return vImageEqualization_PlanarF(s, d, NULL, e, mn, mx, f);
      case 1: return vImageContrastStretch_PlanarF(s, d, NULL, e, mn, mx, f);
      case 2: return vImageEndsInContrastStretch_PlanarF(s, d, NULL, pl[0], ph[0], e, mn, mx, f);
      default: return vImageHistogramSpecification_PlanarF(s, d, NULL, want[0], e, mn, mx, f);
    }
  }
  switch (kind) {
    case 0: return vImageEqualization_ARGBFFFF(s, d, NULL, e, mn, mx, f);
    case 1: return vImageContrastStretch_ARGBFFFF(s, d, NULL, e, mn, mx, f);
    case 2: return vImageEndsInContrastStretch_ARGBFFFF(s, d, NULL, pl, ph, e, mn, mx, f);
    default: return vImageHistogramSpecification_ARGBFFFF(s, d, NULL, (const vImagePixelCount **)want, e, mn, mx, f);
  }
}

static void transformsf(void) {
  enum { E = 12 };
  static vImagePixelCount want[4][E];
  for (int c = 0; c < 4; c++)
    for (int i = 0; i < E; i++) want[c][i] = (vImagePixelCount)((i * (c + 2)) % 5 + 1);
  const vImagePixelCount *wp[4] = {want[0], want[1], want[2], want[3]};
  const unsigned pl[4] = {5, 0, 20, 50}, ph[4] = {5, 10, 0, 50};
  const float mn = -0.25f, mx = 1.25f;
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    for (int ch = 1; ch <= 4; ch += 3)
      for (int kind = 0; kind < 4; kind++) {
        img_t s = img_new(G.w, G.h, 4 * ch, G.pad), d = img_new(G.w, G.h, 4 * ch, G.pad + 4);
        img_fill_random_f(&s, 0.1f, 0.9f);
        vImage_Flags fl = ch == 4 ? kvImageLeaveAlphaUnchanged : kvImageNoFlags;
        vImage_Error n = runf(kind, ch, &s.b, &d.b, E, mn, mx, pl, ph, wp, fl | kvImageGetTempBufferSize);
        CHECK(n >= 0);
        CHECK(img_guards_ok(&d));
        CHECK_EQ(runf(kind, ch, &s.b, &d.b, E, mn, mx, pl, ph, wp, fl), kvImageNoError);
        CHECK(img_guards_ok(&d));
        int ok = 1;
        for (int c = 0; c < ch; c++) {
          unsigned long long h[E] = {0};
          float lo = INFINITY, hi = -INFINITY;
          for (size_t y = 0; y < G.h; y++)
            for (size_t x = 0; x < G.w; x++) {
              float v = ((float *)(void *)img_px(&s, x, y))[c];
              h[fbin(v, E, mn, mx)]++;
              if (v < lo) lo = v;
              if (v > hi) hi = v;
            }
          double t[E];
          int same = 0;
          if (kind != 1) curve(h, E, kind == 0 ? 0 : kind == 2 ? 1 : 2, pl[ch == 1 ? 0 : c], ph[ch == 1 ? 0 : c], wp[ch == 1 ? 0 : c], t, &same);
          for (size_t y = 0; y < G.h; y++)
            for (size_t x = 0; x < G.w; x++) {
              float v = ((float *)(void *)img_px(&s, x, y))[c], e;
              if ((ch == 4 && c == 0) || same || (kind == 1 && !(hi > lo)))
                e = v;
              else if (kind == 1)
                e = (v - lo) * ((mx - mn) / (hi - lo)) + mn;
              else
                e = (float)((double)mn + ((double)mx - (double)mn) * t[fbin(v, E, mn, mx)]);
              float got = ((float *)(void *)img_px(&d, x, y))[c];
              ok &= memcmp(&got, &e, 4) == 0;
            }
        }
        CHECK(ok);
        img_free(&s);
        img_free(&d);
      }
  }
  img_t s = img_new(4, 3, 4, 0), d = img_new(3, 3, 4, 0);
  for (int kind = 0; kind < 4; kind++) {
    CHECK_EQ(runf(kind, 1, &s.b, &s.b, 0, mn, mx, pl, ph, wp, 0), kvImageInvalidParameter);
    CHECK_EQ(runf(kind, 1, &s.b, &s.b, E, mx, mn, pl, ph, wp, 0), kvImageInvalidParameter);
    CHECK_EQ(runf(kind, 1, &s.b, &d.b, E, mn, mx, pl, ph, wp, 0), kvImageBufferSizeMismatch);
    CHECK_EQ(runf(kind, 1, &s.b, NULL, E, mn, mx, pl, ph, wp, 0), kvImageNullPointerArgument);
  }
  CHECK_EQ(vImageEndsInContrastStretch_PlanarF(&s.b, &s.b, NULL, 70, 31, E, mn, mx, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageEndsInContrastStretch_ARGBFFFF(&s.b, &s.b, NULL, NULL, ph, E, mn, mx, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageHistogramSpecification_PlanarF(&s.b, &s.b, NULL, NULL, E, mn, mx, 0), kvImageNullPointerArgument);
  img_free(&s);
  img_free(&d);
}

/* A tiled image gives the bytes of kvImageDoNotTile (natively only). */
static void tiled(void) {
  if (getenv("VIMAGE_TEST_UNDER_VALGRIND") != NULL) return;
  geom_t G = big_geom();
  img_t s = img_new(G.w, G.h, 4, G.pad), a = img_new(G.w, G.h, 4, 0), b = img_new(G.w, G.h, 4, 0);
  img_fill_random(&s);
  CHECK_EQ(vImageEqualization_ARGB8888(&s.b, &a.b, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(vImageEqualization_ARGB8888(&s.b, &b.b, kvImageDoNotTile), kvImageNoError);
  for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&a, 0, y), img_px(&b, 0, y), G.w * 4);
  vImagePixelCount h1[4][256], h2[4][256];
  vImagePixelCount *p1[4] = {h1[0], h1[1], h1[2], h1[3]}, *p2[4] = {h2[0], h2[1], h2[2], h2[3]};
  CHECK_EQ(vImageHistogramCalculation_ARGB8888(&s.b, p1, kvImageNoFlags), kvImageNoError);
  CHECK_EQ(vImageHistogramCalculation_ARGB8888(&s.b, p2, kvImageDoNotTile), kvImageNoError);
  CHECK_MEM_EQ(h1, h2, sizeof h1);
  img_free(&s);
  img_free(&a);
  img_free(&b);
}

int main(void) {
  histograms();
  transforms8();
  transformsf();
  tiled();
  return check_report();
}
