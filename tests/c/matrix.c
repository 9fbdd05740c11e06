/*
 * Transform.h matrix multiply from C: every vImageMatrixMultiply_* against the documented
 * formula written here (row = source channel, column = destination channel; NULL integer
 * post-bias = divisor/2 before C truncating division; clamp), on every geometry of
 * ops_util.h with guard bytes; the UIImageEffects saturation matrix on BGRA (s = 0 gives
 * B' = G' = R' = luma with alpha unchanged); in place; the error cases.
 */
#include "ops_util.h"

/* roundf without libm (half away from zero). */
static long rnd(float x) { return x >= 0 ? (long)(x + 0.5f) : -(long)(-x + 0.5f); }

static long clampl(long v, long lo, long hi) { return v < lo ? lo : v > hi ? hi : v; }

static long formula(const long *p, int n, const int16_t *m, int nout, int j, int32_t div, const int16_t *pre,
                    long post) {
  long s = 0;
  if (div == 0) div = 1;
  for (int i = 0; i < n; i++) s += (p[i] + (pre ? pre[i] : 0)) * m[i * nout + j];
  return (s + post) / div; /* C truncating division */
}

static float fget(const uint8_t *b, int i) {
  float v;
  memcpy(&v, b + 4 * i, 4);
  return v;
}

static void fill_f(img_t *m) { img_fill_random_f(m, -4.0f, 4.0f); }

static void argb8888(void) {
  static const int32_t divs[] = {256, 1, 3, 1000, -64, 0};
  for (size_t g = 0; g < NGEOMS; g++)
    for (size_t t = 0; t < 6; t++) {
      const geom_t G = GEOMS[g];
      img_t s = img_new(G.w, G.h, 4, G.pad), d = img_new(G.w, G.h, 4, G.pad + 2), p = img_new(G.w, G.h, 1, G.pad + 1);
      img_fill_random(&s);
      int16_t m[16], pre[4];
      int32_t post[4];
      for (int i = 0; i < 16; i++) m[i] = (int16_t)((int)(rng() % 1024) - 512);
      for (int i = 0; i < 4; i++) {
        pre[i] = (int16_t)((int)(rng() % 64) - 32);
        post[i] = (int32_t)(rng() % 100000) - 50000;
      }
      int32_t div = divs[t];
      const int16_t *pp = t % 2 ? pre : NULL;
      const int32_t *qp = t % 3 ? post : NULL;
      vImage_Flags fl = t % 2 ? kvImageDoNotTile : 0;
      CHECK_EQ(vImageMatrixMultiply_ARGB8888(&s.b, &d.b, m, div, pp, qp, fl), kvImageNoError);
      const int16_t col[4] = {m[2], m[6], m[10], m[14]};
      CHECK_EQ(vImageMatrixMultiply_ARGB8888ToPlanar8(&s.b, &p.b, col, div, pp, post[2], fl), kvImageNoError);
      int ok = 1;
      long dv = div == 0 ? 1 : div;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          long px[4];
          for (int i = 0; i < 4; i++) px[i] = img_px(&s, x, y)[i];
          for (int j = 0; j < 4; j++)
            ok &= img_px(&d, x, y)[j] == clampl(formula(px, 4, m, 4, j, div, pp, qp ? qp[j] : dv / 2), 0, 255);
          ok &= img_px(&p, x, y)[0] == clampl(formula(px, 4, col, 1, 0, div, pp, post[2]), 0, 255);
        }
      CHECK(ok);
      CHECK(img_guards_ok(&d));
      CHECK(img_guards_ok(&p));
      /* In place (same data and rowBytes) gives the same bytes. */
      CHECK_EQ(vImageMatrixMultiply_ARGB8888(&s.b, &s.b, m, div, pp, qp, fl), kvImageNoError);
      for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), G.w * 4);
      img_free(&s);
      img_free(&d);
      img_free(&p);
    }
}

static void argbffff(void) {
  for (size_t g = 0; g < NGEOMS; g++)
    for (int t = 0; t < 4; t++) {
      const geom_t G = GEOMS[g];
      img_t s = img_new(G.w, G.h, 16, G.pad * 4), d = img_new(G.w, G.h, 16, 4), p = img_new(G.w, G.h, 4, 8);
      fill_f(&s);
      float m[16], pre[4], post[4];
      for (int i = 0; i < 16; i++) m[i] = (float)((int)(rng() % 2001) - 1000) / 333.0f;
      for (int i = 0; i < 4; i++) {
        pre[i] = (float)((int)(rng() % 201) - 100) / 9.0f;
        post[i] = (float)((int)(rng() % 201) - 100) / 3.0f;
      }
      const float *pp = t & 1 ? pre : NULL, *qp = t & 2 ? post : NULL;
      CHECK_EQ(vImageMatrixMultiply_ARGBFFFF(&s.b, &d.b, m, pp, qp, 0), kvImageNoError);
      const float col[4] = {m[3], m[7], m[11], m[15]};
      CHECK_EQ(vImageMatrixMultiply_ARGBFFFFToPlanarF(&s.b, &p.b, col, pp, 0.5f, kvImageDoNotTile), kvImageNoError);
      int ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          float q[4];
          for (int i = 0; i < 4; i++) q[i] = fget(img_px(&s, x, y), i) + (pp ? pp[i] : 0.0f);
          for (int j = 0; j < 4; j++) {
            volatile float o = q[0] * m[j];
            for (int i = 1; i < 4; i++) o = o + q[i] * m[i * 4 + j];
            if (qp) o = o + qp[j];
            float got = fget(img_px(&d, x, y), j);
            ok &= memcmp(&got, (const void *)&o, 4) == 0;
          }
          volatile float o = q[0] * col[0];
          for (int i = 1; i < 4; i++) o = o + q[i] * col[i];
          o = o + 0.5f;
          float got = fget(img_px(&p, x, y), 0);
          ok &= memcmp(&got, (const void *)&o, 4) == 0;
        }
      CHECK(ok);
      CHECK(img_guards_ok(&d));
      CHECK(img_guards_ok(&p));
      img_free(&s);
      img_free(&d);
      img_free(&p);
    }
}

/* Planar8 / Planar16S / PlanarF with 3 sources and 2 destinations. */
static void planar(void) {
  for (size_t g = 0; g < NGEOMS; g++)
    for (int kind = 0; kind < 3; kind++) {
      const geom_t G = GEOMS[g];
      size_t es = kind == 0 ? 1 : kind == 1 ? 2 : 4;
      img_t s[3], d[2];
      const vImage_Buffer *sp[3], *dp[2];
      for (int i = 0; i < 3; i++) {
        s[i] = img_new(G.w, G.h, es, G.pad * es);
        if (kind == 2) fill_f(&s[i]);
        else img_fill_random(&s[i]);
        sp[i] = &s[i].b;
      }
      for (int j = 0; j < 2; j++) {
        d[j] = img_new(G.w, G.h, es, 2 * es);
        dp[j] = &d[j].b;
      }
      int16_t m[6], pre[3];
      int32_t post[2];
      float mf[6], pref[3], postf[2];
      for (int i = 0; i < 6; i++) {
        m[i] = (int16_t)((int)(rng() % 4096) - 2048);
        mf[i] = (float)m[i] / 1024.0f;
      }
      for (int i = 0; i < 3; i++) {
        pre[i] = (int16_t)((int)(rng() % 256) - 128);
        pref[i] = (float)pre[i] / 16.0f;
      }
      for (int j = 0; j < 2; j++) {
        post[j] = (int32_t)(rng() % 2000000) - 1000000;
        postf[j] = (float)post[j] / 4096.0f;
      }
      int32_t div = g % 2 ? 256 : 7;
      vImage_Error e;
      if (kind == 0) e = vImageMatrixMultiply_Planar8(sp, dp, 3, 2, m, div, g % 3 ? pre : NULL, g % 2 ? post : NULL, 0);
      else if (kind == 1)
        e = vImageMatrixMultiply_Planar16S(sp, dp, 3, 2, m, div, g % 3 ? pre : NULL, g % 2 ? post : NULL, kvImageDoNotTile);
      else e = vImageMatrixMultiply_PlanarF(sp, dp, 3, 2, mf, g % 3 ? pref : NULL, g % 2 ? postf : NULL, 0);
      CHECK_EQ(e, kvImageNoError);
      int ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          long p[3];
          float q[3];
          for (int i = 0; i < 3; i++) {
            const uint8_t *b = img_px(&s[i], x, y);
            int16_t v16;
            memcpy(&v16, b, 2);
            p[i] = kind == 0 ? b[0] : v16;
            q[i] = fget(b, 0) + (g % 3 ? pref[i] : 0.0f);
          }
          for (int j = 0; j < 2; j++) {
            const uint8_t *b = img_px(&d[j], x, y);
            long want = formula(p, 3, m, 2, j, div, g % 3 ? pre : NULL, g % 2 ? post[j] : div / 2);
            if (kind == 0) ok &= b[0] == clampl(want, 0, 255);
            else if (kind == 1) {
              int16_t v;
              memcpy(&v, b, 2);
              ok &= v == clampl(want, -32768, 32767);
            } else {
              volatile float o = q[0] * mf[j];
              for (int i = 1; i < 3; i++) o = o + q[i] * mf[i * 2 + j];
              if (g % 2) o = o + postf[j];
              float got = fget(b, 0);
              ok &= memcmp(&got, (const void *)&o, 4) == 0;
            }
          }
        }
      CHECK(ok);
      for (int j = 0; j < 2; j++) CHECK(img_guards_ok(&d[j]));
      for (int i = 0; i < 3; i++) img_free(&s[i]);
      for (int j = 0; j < 2; j++) img_free(&d[j]);
    }
}

/* UIImageEffects: BGRA memory, matrix[i] = roundf(f[i] * 256), divisor 256, NULL biases. */
static void saturation(void) {
  static const float sats[] = {0.0f, 0.4f, 1.0f, 1.8f};
  for (int k = 0; k < 4; k++) {
    float s = sats[k];
    const float f[16] = {0.0722f + 0.9278f * s, 0.0722f - 0.0722f * s, 0.0722f - 0.0722f * s, 0,
                         0.7152f - 0.7152f * s, 0.7152f + 0.2848f * s, 0.7152f - 0.7152f * s, 0,
                         0.2126f - 0.2126f * s, 0.2126f - 0.2126f * s, 0.2126f + 0.7873f * s, 0,
                         0,                     0,                     0,                     1};
    int16_t m[16];
    for (int i = 0; i < 16; i++) m[i] = (int16_t)rnd(f[i] * 256.0f);
    img_t src = img_new(45, 9, 4, 3), dst = img_new(45, 9, 4, 5);
    img_fill_random(&src);
    CHECK_EQ(vImageMatrixMultiply_ARGB8888(&src.b, &dst.b, m, 256, NULL, NULL, kvImageNoFlags), kvImageNoError);
    int ok = 1;
    for (size_t y = 0; y < 9; y++)
      for (size_t x = 0; x < 45; x++) {
        const uint8_t *p = img_px(&src, x, y), *o = img_px(&dst, x, y);
        for (int j = 0; j < 4; j++) {
          int sum = 0;
          for (int i = 0; i < 4; i++) sum += p[i] * m[i * 4 + j];
          ok &= o[j] == clampl((sum + 128) / 256, 0, 255);
        }
        ok &= o[3] == p[3];
        if (s == 0.0f) {
          float luma = 0.0722f * p[0] + 0.7152f * p[1] + 0.2126f * p[2];
          ok &= o[0] == o[1] && o[1] == o[2] && o[0] - luma <= 1.5f && luma - o[0] <= 1.5f;
        }
      }
    CHECK(ok);
    CHECK(img_guards_ok(&dst));
    img_free(&src);
    img_free(&dst);
  }
}

static void errors(void) {
  img_t s = img_new(8, 4, 4, 0), big = img_new(9, 4, 4, 0), f = img_new(2, 4, 16, 0);
  int16_t m[16] = {0};
  float mf[16] = {0};
  const vImage_Buffer *one[1] = {&s.b}, *bigp[1] = {&big.b}, *two[2] = {&s.b, &big.b};
  CHECK_EQ(vImageMatrixMultiply_ARGB8888(NULL, &s.b, m, 1, NULL, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageMatrixMultiply_ARGB8888(&s.b, &s.b, NULL, 1, NULL, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageMatrixMultiply_ARGB8888(&s.b, &big.b, m, 1, NULL, NULL, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageMatrixMultiply_ARGB8888(&s.b, &s.b, m, 1, NULL, NULL, 1u << 20), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageMatrixMultiply_ARGB8888(&s.b, &s.b, m, 1, NULL, NULL, kvImageGetTempBufferSize), 0);
  CHECK_EQ(vImageMatrixMultiply_ARGBFFFF(&f.b, &f.b, NULL, NULL, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageMatrixMultiply_ARGB8888ToPlanar8(&s.b, NULL, m, 1, NULL, 0, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageMatrixMultiply_ARGBFFFFToPlanarF(&f.b, &f.b, NULL, NULL, 0.0f, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageMatrixMultiply_Planar8(one, one, 0, 1, m, 1, NULL, NULL, 0), kvImageInvalidKernelSize);
  CHECK_EQ(vImageMatrixMultiply_Planar16S(one, one, 1, 256, m, 1, NULL, NULL, 0), kvImageInvalidKernelSize);
  CHECK_EQ(vImageMatrixMultiply_Planar8(one, bigp, 1, 1, m, 1, NULL, NULL, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageMatrixMultiply_Planar8(bigp, two, 1, 2, m, 1, NULL, NULL, 0), kvImageBufferSizeMismatch);
  CHECK_EQ(vImageMatrixMultiply_PlanarF(one, one, 1, 1, NULL, NULL, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageMatrixMultiply_PlanarF(NULL, one, 1, 1, mf, NULL, NULL, 0), kvImageNullPointerArgument);
  img_free(&s);
  img_free(&big);
  img_free(&f);
}

int main(void) {
  argb8888();
  argbffff();
  planar();
  saturation();
  errors();
  return check_report();
}
