/*
 * Geometry.h scale, shear and resampling filters from C: every exported function on the
 * geometries of ops_util.h (1x1, 1xN, Nx1, odd widths, padded rows) with guard bytes; the 8-bit
 * scales against a float64 Lanczos reference written here (within 1 code), every scale format
 * exact at the same size and flat on a flat image, the temp-buffer protocol, every shear an
 * exact copy at scale 1 with no shift and a whole-pixel shift with background, a user kernel,
 * and the errors.
 */
#include "ops_util.h"

static int under_valgrind(void) { return getenv("VIMAGE_TEST_UNDER_VALGRIND") != NULL; }

/* Small libm-free helpers (the test programs link without -lm). */
static double fabs_(double x) { return x < 0 ? -x : x; }
static float fabsf_(float x) { return x < 0 ? -x : x; }
static double ceil_(double x) {
  double t = (double)(long long)x;
  return t < x ? t + 1.0 : t;
}
static const double PI_ = 3.14159265358979323846;
/* sin by range reduction to [-pi, pi] and its Taylor series (error < 1e-15 there). */
static double sin_(double x) {
  double k = (double)(long long)(x / (2 * PI_));
  x -= k * 2 * PI_;
  if (x > PI_) x -= 2 * PI_;
  if (x < -PI_) x += 2 * PI_;
  double term = x, sum = x, x2 = x * x;
  for (int n = 1; n < 30; n++) {
    term *= -x2 / ((2.0 * n) * (2.0 * n + 1));
    sum += term;
  }
  return sum;
}

static double lanczos(double x, double a) {
  x = fabs_(x);
  if (x >= a) return 0.0;
  if (x < 1e-12) return 1.0;
  double px = PI_ * x;
  return a * sin_(px) * sin_(px / a) / (px * px);
}

/* Normalised weights of output o (clamped source indices), at most 2048 of them. */
static int weights(size_t n_in, size_t n_out, size_t o, double a, long *idx, double *w) {
  if (n_in == n_out) {
    idx[0] = (long)o;
    w[0] = 1.0;
    return 1;
  }
  double r = (double)n_in / (double)n_out, widen = r > 1.0 ? r : 1.0;
  double c = ((double)o + 0.5) * r - 0.5, sup = a * widen, sum = 0.0;
  int n = 0;
  for (long i = (long)ceil_(c - sup); (double)i <= c + sup; i++) {
    long k = i < 0 ? 0 : (i >= (long)n_in ? (long)n_in - 1 : i);
    idx[n] = k;
    w[n] = lanczos(((double)i - c) / widen, a);
    sum += w[n++];
  }
  for (int i = 0; i < n; i++) w[i] /= sum;
  return n;
}

typedef vImage_Error (*scale_fn)(const vImage_Buffer *, const vImage_Buffer *, void *, vImage_Flags);

/* 8-bit scales (channels 1, 2, 4) against the reference. */
static void scale_8bit_reference(void) {
  const scale_fn fns[3] = {vImageScale_Planar8, vImageScale_CbCr8, vImageScale_ARGB8888};
  const size_t chans[3] = {1, 2, 4};
  static const size_t outs[][2] = {{1, 1}, {5, 3}, {13, 2}, {2, 11}, {40, 9}};
  static long ix[2048], iy[2048];
  static double wx[2048], wy[2048];
  for (int f = 0; f < 3; f++)
    for (size_t g = 0; g < NGEOMS; g++)
      for (size_t o = 0; o < sizeof outs / sizeof outs[0]; o++)
        for (int hq = 0; hq < 2; hq++) {
          const geom_t G = GEOMS[g];
          size_t c = chans[f], dw = outs[o][0], dh = outs[o][1];
          img_t s = img_new(G.w, G.h, c, G.pad), d = img_new(dw, dh, c, 3);
          img_fill_random(&s);
          vImage_Flags fl = hq ? kvImageHighQualityResampling : kvImageEdgeExtend;
          CHECK_EQ(fns[f](&s.b, &d.b, NULL, fl), kvImageNoError);
          CHECK(img_guards_ok(&d));
          double a = hq ? 5.0 : 3.0;
          int ok = 1;
          for (size_t y = 0; y < dh; y++) {
            int ny = weights(G.h, dh, y, a, iy, wy);
            for (size_t x = 0; x < dw; x++) {
              int nx = weights(G.w, dw, x, a, ix, wx);
              for (size_t ch = 0; ch < c; ch++) {
                double v = 0.0;
                for (int j = 0; j < ny; j++)
                  for (int i = 0; i < nx; i++) v += wy[j] * wx[i] * img_px(&s, (size_t)ix[i], (size_t)iy[j])[ch];
                v = v < 0 ? 0 : (v > 255 ? 255 : v);
                ok &= fabs_(img_px(&d, x, y)[ch] - v) <= 1.0;
              }
            }
          }
          CHECK(ok);
          img_free(&s);
          img_free(&d);
        }
}

/* Every format: same size is exact; a flat image stays flat (integer formats exactly); the
 * temp-buffer query touches nothing and a caller's buffer gives the same pixels. */
static void scale_every_format(void) {
  const scale_fn fns[] = {vImageScale_Planar8,   vImageScale_Planar16S, vImageScale_Planar16U, vImageScale_PlanarF,
                          vImageScale_ARGB8888,  vImageScale_ARGB16U,   vImageScale_ARGB16S,   vImageScale_ARGBFFFF,
                          vImageScale_CbCr8,     vImageScale_CbCr16U,   vImageScale_XRGB2101010W,
                          vImageScale_Planar16F, vImageScale_ARGB16F};
  const size_t bpp[] = {1, 2, 2, 4, 4, 8, 8, 16, 2, 4, 4, 2, 8};
  /* A flat pixel of each format (bytes repeated): integers exact, floats approximately. */
  const int is_float[] = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1};
  for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++)
    for (size_t g = 0; g < NGEOMS; g++) {
      const geom_t G = GEOMS[g];
      img_t s = img_new(G.w, G.h, bpp[f], G.pad), d = img_new(G.w, G.h, bpp[f], 1);
      img_fill_random(&s);
      if (is_float[f] && bpp[f] / (f == 11 || f == 12 ? 2 : 4) > 0) {
        /* Finite values: halves / floats from small random integers. */
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++)
            for (size_t k = 0; k < bpp[f]; k += (f == 11 || f == 12) ? 2 : 4) {
              uint8_t *p = img_px(&s, x, y) + k;
              if (f == 11 || f == 12) {
                uint16_t h = (uint16_t)(0x3C00 + (rng() & 0x3FF));
                memcpy(p, &h, 2);
              } else {
                float v = (float)(rng() & 0xFFFF) / 65536.0f;
                memcpy(p, &v, 4);
              }
            }
      }
      CHECK_EQ(fns[f](&s.b, &d.b, NULL, kvImageNoFlags), kvImageNoError);
      int ok = 1;
      for (size_t y = 0; y < G.h; y++) ok &= memcmp(img_px(&s, 0, y), img_px(&d, 0, y), G.w * bpp[f]) == 0;
      CHECK(ok);
      CHECK(img_guards_ok(&d));
      /* Flat source -> flat destination of another size. */
      size_t dw = G.w * 2 + 1, dh = G.h / 2 + 1;
      img_t e = img_new(dw, dh, bpp[f], 5), e2 = img_new(dw, dh, bpp[f], 0);
      uint8_t px[16];
      memcpy(px, img_px(&s, 0, 0), bpp[f]);
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) memcpy(img_px(&s, x, y), px, bpp[f]);
      vImage_Error n = fns[f](&s.b, &e.b, NULL, kvImageGetTempBufferSize);
      CHECK(n >= 0);
      int untouched = 1;
      for (size_t i = 0; i < e.size; i++) untouched &= e.base[i] == GUARD;
      CHECK(untouched);
      void *tmp = malloc((size_t)n + 1);
      CHECK_EQ(fns[f](&s.b, &e.b, tmp, kvImageNoFlags), kvImageNoError);
      CHECK_EQ(fns[f](&s.b, &e2.b, NULL, kvImageDoNotTile), kvImageNoError);
      free(tmp);
      CHECK(img_guards_ok(&e));
      ok = 1;
      for (size_t y = 0; y < dh; y++) {
        ok &= memcmp(img_px(&e, 0, y), img_px(&e2, 0, y), dw * bpp[f]) == 0;
        for (size_t x = 0; x < dw; x++) {
          if (!is_float[f]) {
            ok &= memcmp(img_px(&e, x, y), px, bpp[f]) == 0;
          } else if (f == 3 || f == 7) {
            for (size_t k = 0; k < bpp[f]; k += 4) {
              float a, b;
              memcpy(&a, img_px(&e, x, y) + k, 4);
              memcpy(&b, px + k, 4);
              ok &= fabsf_(a - b) <= 1e-6f;
            }
          } else {
            for (size_t k = 0; k < bpp[f]; k += 2) {
              uint16_t a, b;
              memcpy(&a, img_px(&e, x, y) + k, 2);
              memcpy(&b, px + k, 2);
              ok &= abs((int)a - (int)b) <= 1;
            }
          }
        }
      }
      CHECK(ok);
      img_free(&e);
      img_free(&e2);
      img_free(&s);
      img_free(&d);
    }
  /* A big image: tiled == single thread. */
  if (!under_valgrind()) {
    geom_t B = big_geom();
    img_t s = img_new(B.w, B.h, 4, B.pad), a = img_new(B.w - 100, B.h + 150, 4, 0),
          b = img_new(B.w - 100, B.h + 150, 4, 0);
    img_fill_random(&s);
    CHECK_EQ(vImageScale_ARGB8888(&s.b, &a.b, NULL, 0), kvImageNoError);
    CHECK_EQ(vImageScale_ARGB8888(&s.b, &b.b, NULL, kvImageDoNotTile), kvImageNoError);
    int ok = 1;
    for (size_t y = 0; y < a.b.height; y++) ok &= memcmp(img_px(&a, 0, y), img_px(&b, 0, y), a.b.width * 4) == 0;
    CHECK(ok);
    img_free(&s);
    img_free(&a);
    img_free(&b);
  }
  /* Errors. */
  img_t s = img_new(6, 6, 4, 0), d = img_new(3, 3, 4, 0);
  CHECK_EQ(vImageScale_ARGB8888(NULL, &d.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageScale_ARGB8888(&s.b, NULL, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageScale_ARGB8888(&s.b, &d.b, NULL, 1u << 20), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageScale_ARGB8888(&s.b, &s.b, NULL, 0), kvImageInvalidParameter);
  vImage_Buffer z = s.b;
  z.width = 0;
  CHECK_EQ(vImageScale_ARGB8888(&z, &d.b, NULL, 0), kvImageInvalidParameter);
  size_t legacy = vImageGetMinimumGeometryTempBufferSize(&s.b, &d.b, 4, kvImageEdgeExtend);
  CHECK(legacy >= (size_t)vImageScale_ARGB8888(&s.b, &d.b, NULL, kvImageGetTempBufferSize | kvImageEdgeExtend));
  void *tmp = malloc(legacy);
  CHECK_EQ(vImageScale_ARGB8888(&s.b, &d.b, tmp, kvImageEdgeExtend), kvImageNoError);
  free(tmp);
  img_free(&s);
  img_free(&d);
}

/* Shears: scale 1, no shift = copy (every function); a 2-pixel shift with a background. */
#define SHEAR_COPY(FN, BPP, BACK, FLT)                                                            \
  do {                                                                                           \
    for (size_t g = 0; g < NGEOMS; g++) {                                                        \
      const geom_t G = GEOMS[g];                                                                 \
      img_t s = img_new(G.w, G.h, BPP, G.pad), d = img_new(G.w, G.h, BPP, 2);                    \
      img_fill_random(&s);                                                                       \
      CHECK_EQ(FN(&s.b, &d.b, 0, 0, 0, 0, FLT, BACK, kvImageEdgeExtend), kvImageNoError);        \
      int ok = 1;                                                                                \
      for (size_t y = 0; y < G.h; y++) ok &= memcmp(img_px(&s, 0, y), img_px(&d, 0, y), G.w * (BPP)) == 0; \
      if (!ok) fprintf(stderr, "%s not a copy at %zux%zu\n", #FN, G.w, G.h);                     \
      CHECK(ok);                                                                                 \
      CHECK(img_guards_ok(&d));                                                                  \
      img_free(&s);                                                                              \
      img_free(&d);                                                                              \
    }                                                                                            \
  } while (0)

static void tent(const float *x, float *y, unsigned long count, void *user) {
  float sum = 0.0f;
  (*(int *)user)++;
  for (unsigned long i = 0; i < count; i++) {
    y[i] = 1.0f - fabsf_(x[i]);
    if (y[i] < 0) y[i] = 0;
    sum += y[i];
  }
  for (unsigned long i = 0; i < count; i++) y[i] /= sum;
}

static void shears(void) {
  ResamplingFilter f = vImageNewResamplingFilter(1.0f, kvImageNoFlags);
  CHECK(f != NULL);
  const Pixel_8888 b8 = {0, 0, 0, 0};
  const Pixel_ARGB_16U b16u = {0, 0, 0, 0};
  const Pixel_ARGB_16S b16s = {0, 0, 0, 0};
  const Pixel_FFFF bf = {0, 0, 0, 0};
  const Pixel_88 b88 = {0, 0};
  const Pixel_16U16U b1616 = {0, 0};
  /* The copy test only holds for finite floats: random bytes may be NaN, which copies too
   * (weight 1 on one sample), so bit equality still holds. */
  SHEAR_COPY(vImageHorizontalShear_Planar8, 1, 0, f);
  SHEAR_COPY(vImageHorizontalShear_Planar16S, 2, 0, f);
  SHEAR_COPY(vImageHorizontalShear_Planar16U, 2, 0, f);
  SHEAR_COPY(vImageHorizontalShear_ARGB8888, 4, b8, f);
  SHEAR_COPY(vImageHorizontalShear_ARGB16U, 8, b16u, f);
  SHEAR_COPY(vImageHorizontalShear_ARGB16S, 8, b16s, f);
  SHEAR_COPY(vImageHorizontalShear_CbCr8, 2, b88, f);
  SHEAR_COPY(vImageHorizontalShear_CbCr16U, 4, b1616, f);
  SHEAR_COPY(vImageHorizontalShear_XRGB2101010W, 4, 0, f);
  SHEAR_COPY(vImageVerticalShear_Planar8, 1, 0, f);
  SHEAR_COPY(vImageVerticalShear_Planar16S, 2, 0, f);
  SHEAR_COPY(vImageVerticalShear_Planar16U, 2, 0, f);
  SHEAR_COPY(vImageVerticalShear_ARGB8888, 4, b8, f);
  SHEAR_COPY(vImageVerticalShear_ARGB16U, 8, b16u, f);
  SHEAR_COPY(vImageVerticalShear_ARGB16S, 8, b16s, f);
  SHEAR_COPY(vImageVerticalShear_CbCr8, 2, b88, f);
  SHEAR_COPY(vImageVerticalShear_CbCr16U, 4, b1616, f);
  SHEAR_COPY(vImageVerticalShear_XRGB2101010W, 4, 0, f);
  SHEAR_COPY(vImageHorizontalShearD_Planar8, 1, 0, f);
  SHEAR_COPY(vImageHorizontalShearD_ARGB8888, 4, b8, f);
  SHEAR_COPY(vImageHorizontalShearD_ARGB16U, 8, b16u, f);
  SHEAR_COPY(vImageHorizontalShearD_ARGB16S, 8, b16s, f);
  SHEAR_COPY(vImageVerticalShearD_Planar8, 1, 0, f);
  SHEAR_COPY(vImageVerticalShearD_ARGB8888, 4, b8, f);
  SHEAR_COPY(vImageVerticalShearD_ARGB16U, 8, b16u, f);
  SHEAR_COPY(vImageVerticalShearD_ARGB16S, 8, b16s, f);
  /* Float forms on finite data: copy exactly. */
  {
    float (*fns_dummy)[1] = NULL;
    (void)fns_dummy;
    img_t s = img_new(9, 7, 16, 4), d = img_new(9, 7, 16, 0), p = img_new(9, 7, 4, 0), q = img_new(9, 7, 4, 0);
    img_fill_random_f(&s, -1.0f, 2.0f);
    img_fill_random_f(&p, -1.0f, 2.0f);
    CHECK_EQ(vImageHorizontalShear_ARGBFFFF(&s.b, &d.b, 0, 0, 0, 0, f, bf, kvImageEdgeExtend), 0);
    for (size_t y = 0; y < 7; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), 9 * 16);
    CHECK_EQ(vImageVerticalShear_ARGBFFFF(&s.b, &d.b, 0, 0, 0, 0, f, bf, kvImageEdgeExtend), 0);
    for (size_t y = 0; y < 7; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), 9 * 16);
    CHECK_EQ(vImageHorizontalShearD_ARGBFFFF(&s.b, &d.b, 0, 0, 0, 0, f, bf, kvImageEdgeExtend), 0);
    for (size_t y = 0; y < 7; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), 9 * 16);
    CHECK_EQ(vImageVerticalShearD_ARGBFFFF(&s.b, &d.b, 0, 0, 0, 0, f, bf, kvImageEdgeExtend), 0);
    for (size_t y = 0; y < 7; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), 9 * 16);
    CHECK_EQ(vImageHorizontalShear_PlanarF(&p.b, &q.b, 0, 0, 0, 0, f, 0.0f, kvImageEdgeExtend), 0);
    for (size_t y = 0; y < 7; y++) CHECK_MEM_EQ(img_px(&p, 0, y), img_px(&q, 0, y), 9 * 4);
    CHECK_EQ(vImageVerticalShear_PlanarF(&p.b, &q.b, 0, 0, 0, 0, f, 0.0f, kvImageEdgeExtend), 0);
    for (size_t y = 0; y < 7; y++) CHECK_MEM_EQ(img_px(&p, 0, y), img_px(&q, 0, y), 9 * 4);
    CHECK_EQ(vImageHorizontalShearD_PlanarF(&p.b, &q.b, 0, 0, 0, 0, f, 0.0f, kvImageEdgeExtend), 0);
    for (size_t y = 0; y < 7; y++) CHECK_MEM_EQ(img_px(&p, 0, y), img_px(&q, 0, y), 9 * 4);
    CHECK_EQ(vImageVerticalShearD_PlanarF(&p.b, &q.b, 0, 0, 0, 0, f, 0.0f, kvImageEdgeExtend), 0);
    for (size_t y = 0; y < 7; y++) CHECK_MEM_EQ(img_px(&p, 0, y), img_px(&q, 0, y), 9 * 4);
    CHECK(img_guards_ok(&d) && img_guards_ok(&q));
    img_free(&s);
    img_free(&d);
    img_free(&p);
    img_free(&q);
  }
  /* Vertical shift down by 2 with the background (and with the D form). */
  {
    img_t s = img_new(5, 8, 1, 0), d = img_new(5, 8, 1, 3);
    img_fill_random(&s);
    CHECK_EQ(vImageVerticalShear_Planar8(&s.b, &d.b, 0, 0, 2.0f, 0, f, 7, kvImageBackgroundColorFill), 0);
    int ok = 1;
    for (size_t y = 0; y < 8; y++)
      for (size_t x = 0; x < 5; x++) ok &= img_px(&d, x, y)[0] == (y < 2 ? 7 : img_px(&s, x, y - 2)[0]);
    CHECK(ok);
    CHECK(img_guards_ok(&d));
    img_free(&s);
    img_free(&d);
  }
  /* A user kernel in a caller buffer: a half-pixel shift with a tent is the neighbours' mean. */
  {
    int calls = 0;
    size_t n = vImageGetResamplingFilterSize(1.0f, tent, 1.0f, 0);
    CHECK(n > 0);
    void *buf = malloc(n);
    CHECK_EQ(vImageNewResamplingFilterForFunctionUsingBuffer(buf, 1.0f, tent, 1.0f, &calls, 0), 0);
    CHECK_EQ((long long)vImageGetResamplingFilterExtent(buf, 0), 1);
    img_t s = img_new(6, 2, 4, 0), d = img_new(6, 2, 4, 0);
    for (size_t y = 0; y < 2; y++)
      for (size_t x = 0; x < 6; x++) {
        float v = 2.0f * (float)x;
        memcpy(img_px(&s, x, y), &v, 4);
      }
    CHECK_EQ(vImageHorizontalShear_PlanarF(&s.b, &d.b, 0, 0, 0.5f, 0, buf, 0.0f, kvImageEdgeExtend), 0);
    CHECK(calls > 0);
    int ok = 1;
    for (size_t x = 1; x < 6; x++) {
      float v;
      memcpy(&v, img_px(&d, x, 1), 4);
      ok &= fabsf_(v - (2.0f * (float)x - 1.0f)) < 1e-5f;
    }
    CHECK(ok);
    CHECK_EQ(vImageNewResamplingFilterForFunctionUsingBuffer(NULL, 1.0f, NULL, 0, NULL, 0), kvImageNullPointerArgument);
    CHECK_EQ(vImageNewResamplingFilterForFunctionUsingBuffer(buf, 0.0f, NULL, 0, NULL, 0), kvImageInvalidParameter);
    free(buf);
    img_free(&s);
    img_free(&d);
  }
  /* Errors. */
  {
    img_t s = img_new(4, 4, 4, 0), d = img_new(4, 4, 4, 0);
    CHECK_EQ(vImageHorizontalShear_ARGB8888(&s.b, &d.b, 0, 0, 0, 0, f, b8, kvImageEdgeExtend | kvImageBackgroundColorFill),
             kvImageInvalidEdgeStyle);
    CHECK_EQ(vImageHorizontalShear_ARGB8888(NULL, &d.b, 0, 0, 0, 0, f, b8, 0), kvImageNullPointerArgument);
    CHECK_EQ(vImageHorizontalShear_ARGB8888(&s.b, &d.b, 0, 0, 0, 0, NULL, b8, 0), kvImageNullPointerArgument);
    CHECK_EQ(vImageHorizontalShear_ARGB8888(&s.b, &d.b, 0, 1, 0, 0, f, b8, 0), kvImageRoiLargerThanInputBuffer);
    CHECK_EQ(vImageVerticalShear_ARGB8888(&s.b, &d.b, 0, 0, 0, 0, f, b8, 1u << 20), kvImageUnknownFlagsBit);
    CHECK_EQ(vImageVerticalShear_ARGB8888(&s.b, &s.b, 0, 0, 0, 0, f, b8, 0), kvImageInvalidParameter);
    CHECK(img_guards_ok(&d));
    img_free(&s);
    img_free(&d);
  }
  ResamplingFilter h = vImageNewResamplingFilter(0.5f, kvImageHighQualityResampling);
  CHECK_EQ((long long)vImageGetResamplingFilterExtent(h, 0), 10);
  vImageDestroyResamplingFilter(h);
  vImageDestroyResamplingFilter(f);
  CHECK(vImageNewResamplingFilter(0.0f, 0) == NULL);
}

int main(void) {
  rng_seed(20240611u);
  scale_8bit_reference();
  scale_every_format();
  shears();
  return check_report();
}
