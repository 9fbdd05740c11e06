/*
 * Transform.h curves from C: gamma functions, piecewise gamma (plain and symmetric), piecewise
 * polynomials and rationals, lookup tables; every geometry of ops_util.h against direct
 * formulas written here (f32 linear steps, powers in double rounded once to float, the
 * documented 8-bit / 16Q12 rounding), guard bytes, in place where allowed, and the errors.
 */
#include "ops_util.h"

#include <dlfcn.h>
#include <math.h> /* NAN, INFINITY; the functions come from libm through dlsym (no -lm here) */

/* libm's pow, the one the library's f64 powers use; loaded at run time because the shared
 * link of the C tests passes no -lm. */
static double (*pow_)(double, double);
static void *libm_;

static void load_pow(void) {
  libm_ = dlopen("libm.so.6", RTLD_NOW);
  if (libm_ == NULL) exit(3);
  void *sym = dlsym(libm_, "pow");
  if (sym == NULL) exit(3);
  memcpy(&pow_, &sym, sizeof pow_);
}

static int isnan_(float x) { return x != x; }
static int signbit_(float x) {
  uint32_t b;
  memcpy(&b, &x, 4);
  return (int)(b >> 31);
}
static float fabsf_(float x) { return signbit_(x) ? -x : x; }
static double fabs_(double x) { return x < 0.0 ? -x : x; }
/* floor of a float of magnitude below 2^31. */
static float floorf_(float x) {
  float t = (float)(int32_t)x;
  return t > x ? t - 1.0f : t;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static int same_float(float a, float b) { return memcmp(&a, &b, 4) == 0 || (a != a && b != b); }

static float fpx(const img_t *m, size_t x, size_t y) {
  float v;
  memcpy(&v, img_px(m, x, y), 4);
  return v;
}


static uint8_t unit_to8(float r) { return r > 0.0f ? (r >= 1.0f ? 255 : (uint8_t)(r * 255.0f + 0.5f)) : 0; }
static uint8_t sat_to8(float r) { return r > 0.0f ? (r >= 255.0f ? 255 : (uint8_t)(r + 0.5f)) : 0; }
static int16_t to_q12(float r) {
  float v = r * 4096.0f + 0.5f;
  if (isnan_(v)) return 0;
  if (v <= -32768.0f) return -32768;
  if (v >= 32767.0f) return 32767;
  return (int16_t)floorf_(v);
}
static float powd(float t, float g) { return (float)pow_((double)t, (double)g); }

/* Floats for the float-input tests: random in [-0.5, 1.5] with a few specials. */
static void fill_float_samples(img_t *m) {
  img_fill_random_f(m, -0.5f, 1.5f);
  static const float sp[] = {0.0f, 1.0f, -1.0f, 0.5f, 2.0f};
  float *p = (float *)m->b.data;
  for (size_t i = 0; i < sizeof sp / sizeof sp[0] && i < m->b.width; i++) p[i] = sp[i];
}

/* ---- gamma --------------------------------------------------------------------------------- */

static double gamma_ref(int t, float g, float x) {
  double u = isnan_(x) ? 0.0 : x < 0.0f ? 0.0 : x > 1.0f ? 1.0 : (double)x;
  switch (t) {
    case 0: {
      double r = pow_(fabs_((double)x), (double)g);
      return x < 0.0f ? -r : r;
    }
    case 1: return fabsf_(g) > 12.0f ? gamma_ref(0, g, x) : pow_(u, (double)g);
    case 2: return pow_(u, (double)(5.0f / 9.0f));
    case 3: return pow_(u, (double)(9.0f / 5.0f));
    case 4: return pow_(u, (double)(5.0f / 11.0f));
    case 5: return pow_(u, (double)(11.0f / 5.0f));
    case 6: return u < 0.03928 ? u / 12.92 : pow_((u + 0.055) / 1.055, 2.4);
    case 7: return u < 0.00304 ? 12.92 * u : 1.055 * pow_(u, 1.0 / 2.4) - 0.055;
    case 8: return pow_(u, (double)(11.0f / 9.0f));
    case 9: return pow_(u, (double)(9.0f / 11.0f));
    case 10: return u < 0.081 ? u / 4.5 : pow_((u + 0.099) / 1.099, 1.0 / 0.45);
    default: return u < 0.018 ? 4.5 * u : 1.099 * pow_(u, 0.45) - 0.099;
  }
}

static void gamma(void) {
  for (int t = kvImageGamma_UseGammaValue; t <= kvImageGamma_BT709_reverse_half_precision; t++) {
    GammaFunction gf = vImageCreateGammaFunction(2.2f, t, kvImageNoFlags);
    CHECK(gf != NULL);
    for (size_t g = 0; g < NGEOMS; g++) {
      const geom_t G = GEOMS[g];
      img_t s8 = img_new(G.w, G.h, 1, G.pad), sf = img_new(G.w, G.h, 4, G.pad);
      img_t df = img_new(G.w, G.h, 4, G.pad + 1), d8 = img_new(G.w, G.h, 1, G.pad + 2), dff = img_new(G.w, G.h, 4, 3);
      img_fill_random(&s8);
      fill_float_samples(&sf);
      CHECK_EQ(vImageGamma_Planar8toPlanarF(&s8.b, &df.b, gf, kvImageNoFlags), kvImageNoError);
      CHECK_EQ(vImageGamma_PlanarFtoPlanar8(&sf.b, &d8.b, gf, kvImageNoFlags), kvImageNoError);
      CHECK_EQ(vImageGamma_PlanarF(&sf.b, &dff.b, gf, kvImageNoFlags), kvImageNoError);
      int ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          ok &= same_float(fpx(&df, x, y), (float)gamma_ref(t, 2.2f, (float)img_px(&s8, x, y)[0] / 255.0f));
          float r = (float)gamma_ref(t, 2.2f, fpx(&sf, x, y));
          ok &= img_px(&d8, x, y)[0] == unit_to8(r);
          ok &= same_float(fpx(&dff, x, y), r);
        }
      CHECK(ok);
      CHECK(img_guards_ok(&df) && img_guards_ok(&d8) && img_guards_ok(&dff));
      /* In place (IP-B). */
      CHECK_EQ(vImageGamma_PlanarF(&sf.b, &sf.b, gf, kvImageDoNotTile), kvImageNoError);
      for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&sf, 0, y), img_px(&dff, 0, y), G.w * 4);
      img_free(&s8);
      img_free(&sf);
      img_free(&df);
      img_free(&d8);
      img_free(&dff);
    }
    vImageDestroyGammaFunction(gf);
  }
  CHECK(vImageCreateGammaFunction(1.0f, 12, 0) == NULL);
  vImageDestroyGammaFunction(NULL);
  img_t s = img_new(3, 3, 4, 0), d = img_new(3, 4, 4, 0);
  GammaFunction gf = vImageCreateGammaFunction(0.5f, kvImageGamma_UseGammaValue, 0);
  CHECK_EQ(vImageGamma_PlanarF(&s.b, &s.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageGamma_PlanarF(NULL, &s.b, gf, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageGamma_PlanarF(&s.b, &d.b, gf, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageGamma_PlanarF(&s.b, &s.b, gf, kvImageGetTempBufferSize), 0);
  CHECK_EQ(vImageGamma_PlanarF(&s.b, &s.b, gf, 1u << 20), kvImageUnknownFlagsBit);
  vImageDestroyGammaFunction(gf);
  img_free(&s);
  img_free(&d);
}

/* ---- piecewise gamma ----------------------------------------------------------------------- */

static const float EXP[3] = {1.0f / 1.055f, 0.055f / 1.055f, 0.0f}, GAM = 2.4f, LIN[2] = {1.0f / 12.92f, 0.0f};

static float pw(float x, int below) { return below ? LIN[0] * x + LIN[1] : powd(EXP[0] * x + EXP[1], GAM) + EXP[2]; }
static float pw_sym(float x, int below) {
  float t = pw(fabsf_(x), below);
  t = t > 0.0f ? t : 0.0f;
  return signbit_(x) ? -t : t;
}

/* src format / dest format: 0 Planar8, 1 16Q12, 2 PlanarF. */
static size_t fmt_bytes(int f) { return f == 0 ? 1 : f == 1 ? 2 : 4; }

static vImage_Error run_pw(int in, int out, int sym, const vImage_Buffer *s, const vImage_Buffer *d, const float *e,
                           const float *l, vImage_Flags f) {
  const Pixel_8 b8 = 10;
  const Pixel_16S bq = 160;
  const float bf = 0.04f;
  if (sym) return in == 1 ? vImageSymmetricPiecewiseGamma_Planar16Q12(s, d, e, GAM, l, bq, f)
                          : vImageSymmetricPiecewiseGamma_PlanarF(s, d, e, GAM, l, bf, f);
  if (in == 0 && out == 0) return vImagePiecewiseGamma_Planar8(s, d, e, GAM, l, b8, f);
  if (in == 0 && out == 1) return vImagePiecewiseGamma_Planar8toPlanar16Q12(s, d, e, GAM, l, b8, f);
  if (in == 0) return vImagePiecewiseGamma_Planar8toPlanarF(s, d, e, GAM, l, b8, f);
  if (in == 1 && out == 1) return vImagePiecewiseGamma_Planar16Q12(s, d, e, GAM, l, bq, f);
  if (in == 1) return vImagePiecewiseGamma_Planar16Q12toPlanar8(s, d, e, GAM, l, bq, f);
  if (out == 2) return vImagePiecewiseGamma_PlanarF(s, d, e, GAM, l, bf, f);
  return vImagePiecewiseGamma_PlanarFtoPlanar8(s, d, e, GAM, l, bf, f);
}

static void piecewise_gamma(void) {
  static const int combos[9][3] = {{0, 0, 0}, {0, 1, 0}, {0, 2, 0}, {1, 1, 0}, {1, 0, 0}, {2, 2, 0}, {2, 0, 0}, {1, 1, 1}, {2, 2, 1}};
  for (int k = 0; k < 9; k++) {
    int in = combos[k][0], out = combos[k][1], sym = combos[k][2];
    for (size_t g = 0; g < NGEOMS; g++) {
      const geom_t G = GEOMS[g];
      img_t s = img_new(G.w, G.h, fmt_bytes(in), G.pad), d = img_new(G.w, G.h, fmt_bytes(out), G.pad + 1);
      if (in == 2)
        fill_float_samples(&s);
      else
        img_fill_random(&s);
      CHECK_EQ(run_pw(in, out, sym, &s.b, &d.b, EXP, LIN, kvImageNoFlags), kvImageNoError);
      CHECK(img_guards_ok(&d));
      int ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          const uint8_t *p = img_px(&s, x, y);
          float r;
          if (in == 0) {
            r = pw((float)p[0] / 255.0f, p[0] < 10);
          } else if (in == 1) {
            int16_t v;
            memcpy(&v, p, 2);
            r = sym ? pw_sym((float)v / 4096.0f, abs(v) < 160) : pw((float)v / 4096.0f, v < 160);
          } else {
            float v = fpx(&s, x, y);
            r = sym ? pw_sym(v, fabsf_(v) < 0.04f) : pw(v, v < 0.04f);
          }
          const uint8_t *o = img_px(&d, x, y);
          if (out == 0) {
            ok &= o[0] == unit_to8(r);
          } else if (out == 1) {
            int16_t q;
            memcpy(&q, o, 2);
            ok &= q == to_q12(r);
          } else {
            ok &= same_float(fpx(&d, x, y), r);
          }
        }
      CHECK(ok);
      if (in == out) { /* in place, IP-A */
        CHECK_EQ(run_pw(in, out, sym, &s.b, &s.b, EXP, LIN, kvImageNoFlags), kvImageNoError);
        for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), G.w * fmt_bytes(out));
      }
      img_free(&s);
      img_free(&d);
    }
    /* Errors: NULL coefficients, a destination larger than the source, the query. */
    img_t s = img_new(3, 3, 4, 0), d = img_new(4, 3, 4, 0);
    CHECK_EQ(run_pw(in, out, sym, &s.b, &s.b, NULL, LIN, 0), kvImageNullPointerArgument);
    CHECK_EQ(run_pw(in, out, sym, &s.b, &s.b, EXP, NULL, 0), kvImageNullPointerArgument);
    CHECK_EQ(run_pw(in, out, sym, NULL, &s.b, EXP, LIN, 0), kvImageNullPointerArgument);
    CHECK_EQ(run_pw(in, out, sym, &s.b, &d.b, EXP, LIN, 0), kvImageBufferSizeMismatch);
    img_t q = img_new(3, 3, fmt_bytes(out), 0);
    CHECK_EQ(run_pw(in, out, sym, &s.b, &q.b, EXP, LIN, kvImageGetTempBufferSize), 0);
    if (in != out) CHECK_EQ(run_pw(in, out, sym, &s.b, &s.b, EXP, LIN, 0), kvImageInvalidParameter); /* not in place */
    img_free(&q);
    img_free(&s);
    img_free(&d);
  }
}

/* ---- polynomials --------------------------------------------------------------------------- */

static const float C0[3] = {0.0f, 12.92f, 0.0f}, C1[3] = {-0.055f, 1.2f, -0.15f};
static const float BOUNDS[3] = {0.0f, 0.00304f, 1.0f};
static const float D0[2] = {2.0f, 0.25f}, D1[2] = {1.0f, -0.5f};

static float horner(const float *c, int terms, float x) {
  float acc = c[terms - 1];
  for (int k = terms - 2; k >= 0; k--) acc = acc * x + c[k];
  return acc;
}

/* The polynomial of x's segment (x clamped to [BOUNDS[0], BOUNDS[2]]). */
static float poly(float x, const float *a, const float *b, int terms) {
  if (isnan_(x)) return x;
  x = x < BOUNDS[0] ? BOUNDS[0] : x > BOUNDS[2] ? BOUNDS[2] : x;
  return horner(x < BOUNDS[1] ? a : b, terms, x);
}

static void polynomials(void) {
  const float *c[2] = {C0, C1}, *dn[2] = {D0, D1};
  /* The 8-bit form sees raw values: a polynomial over 0...255. */
  static const float R0[2] = {0.0f, 1.5f}, R1[2] = {255.0f, -1.0f}, RB[3] = {0.0f, 100.0f, 255.0f};
  const float *r[2] = {R0, R1};
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    img_t s = img_new(G.w, G.h, 4, G.pad), s8 = img_new(G.w, G.h, 1, G.pad);
    img_t d = img_new(G.w, G.h, 4, 1), ds = img_new(G.w, G.h, 4, 2), dr = img_new(G.w, G.h, 4, 0);
    img_t d8f = img_new(G.w, G.h, 4, 3), df8 = img_new(G.w, G.h, 1, 5);
    fill_float_samples(&s);
    img_fill_random(&s8);
    CHECK_EQ(vImagePiecewisePolynomial_PlanarF(&s.b, &d.b, c, BOUNDS, 2, 1, kvImageNoFlags), kvImageNoError);
    CHECK_EQ(vImageSymmetricPiecewisePolynomial_PlanarF(&s.b, &ds.b, c, BOUNDS, 2, 1, kvImageNoFlags), kvImageNoError);
    CHECK_EQ(vImagePiecewiseRational_PlanarF(&s.b, &dr.b, c, dn, BOUNDS, 2, 1, 1, kvImageNoFlags), kvImageNoError);
    CHECK_EQ(vImagePiecewisePolynomial_Planar8toPlanarF(&s8.b, &d8f.b, r, RB, 1, 1, kvImageNoFlags), kvImageNoError);
    CHECK_EQ(vImagePiecewisePolynomial_PlanarFtoPlanar8(&s.b, &df8.b, c, BOUNDS, 2, 1, kvImageNoFlags), kvImageNoError);
    int ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        float v = fpx(&s, x, y);
        ok &= same_float(fpx(&d, x, y), poly(v, C0, C1, 3));
        float a = poly(fabsf_(v), C0, C1, 3);
        ok &= same_float(fpx(&ds, x, y), signbit_(v) ? -a : a);
        float xc = v < BOUNDS[0] ? BOUNDS[0] : v > BOUNDS[2] ? BOUNDS[2] : v;
        ok &= same_float(fpx(&dr, x, y), poly(v, C0, C1, 3) / horner(xc < BOUNDS[1] ? D0 : D1, 2, xc));
        ok &= img_px(&df8, x, y)[0] == sat_to8(poly(v, C0, C1, 3));
        float u = (float)img_px(&s8, x, y)[0];
        ok &= same_float(fpx(&d8f, x, y), horner(u < 100.0f ? R0 : R1, 2, u));
      }
    CHECK(ok);
    CHECK(img_guards_ok(&d) && img_guards_ok(&ds) && img_guards_ok(&dr) && img_guards_ok(&d8f) && img_guards_ok(&df8));
    img_free(&s);
    img_free(&s8);
    img_free(&d);
    img_free(&ds);
    img_free(&dr);
    img_free(&d8f);
    img_free(&df8);
  }
  img_t s = img_new(3, 3, 4, 0);
  const float *nulls[2] = {C0, NULL};
  CHECK_EQ(vImagePiecewisePolynomial_PlanarF(&s.b, &s.b, NULL, BOUNDS, 2, 1, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePiecewisePolynomial_PlanarF(&s.b, &s.b, c, NULL, 2, 1, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePiecewisePolynomial_PlanarF(&s.b, &s.b, nulls, BOUNDS, 2, 1, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePiecewiseRational_PlanarF(&s.b, &s.b, c, NULL, BOUNDS, 2, 1, 1, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePiecewisePolynomial_PlanarF(&s.b, &s.b, c, BOUNDS, 2, 1, kvImageGetTempBufferSize), 0);
  img_free(&s);
}

/* ---- lookup tables ------------------------------------------------------------------------- */

static void luts(void) {
  static uint8_t raw[256 * 16];
  for (size_t i = 0; i < sizeof raw; i++) raw[i] = (uint8_t)rng();
  static float tf[256];
  static uint16_t t16[256];
  static uint64_t t64[256];
  static uint32_t t24[256];
  static uint64_t t48[256];
  static Pixel_FFFF t128[256];
  memcpy(tf, raw, sizeof tf);
  memcpy(t16, raw, sizeof t16);
  memcpy(t64, raw, sizeof t64);
  memcpy(t24, raw, sizeof t24);
  memcpy(t48, raw, sizeof t48);
  memcpy(t128, raw, sizeof t128);
  /* (output bytes, entry bytes, offset of the output in the entry, table bytes) */
  static const size_t shape[7][3] = {{4, 4, 0}, {2, 2, 0}, {8, 8, 0}, {3, 4, 1}, {6, 8, 2}, {12, 16, 4}, {16, 16, 0}};
  for (int k = 0; k < 7; k++)
    for (size_t g = 0; g < NGEOMS; g++) {
      const geom_t G = GEOMS[g];
      img_t s = img_new(G.w, G.h, 1, G.pad), d = img_new(G.w, G.h, shape[k][0], G.pad + 1);
      img_fill_random(&s);
      vImage_Error e = 1;
      switch (k) {
        case 0: e = vImageLookupTable_Planar8toPlanarF(&s.b, &d.b, tf, kvImageNoFlags); break;
        case 1: e = vImageLookupTable_Planar8toPlanar16(&s.b, &d.b, t16, kvImageNoFlags); break;
        case 2: e = vImageLookupTable_8to64U(&s.b, &d.b, t64, kvImageNoFlags); break;
        case 3: e = vImageLookupTable_Planar8toPlanar24(&s.b, &d.b, t24, kvImageNoFlags); break;
        case 4: e = vImageLookupTable_Planar8toPlanar48(&s.b, &d.b, t48, kvImageNoFlags); break;
        case 5: e = vImageLookupTable_Planar8toPlanar96(&s.b, &d.b, (const Pixel_FFFF *)t128, kvImageNoFlags); break;
        default: e = vImageLookupTable_Planar8toPlanar128(&s.b, &d.b, (const Pixel_FFFF *)t128, kvImageNoFlags); break;
      }
      CHECK_EQ(e, kvImageNoError);
      int ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          size_t v = img_px(&s, x, y)[0];
          ok &= memcmp(img_px(&d, x, y), raw + v * shape[k][1] + shape[k][2], shape[k][0]) == 0;
        }
      CHECK(ok);
      CHECK(img_guards_ok(&d));
      img_free(&s);
      img_free(&d);
    }
  /* Planar16 over every 16-bit value; PlanarF -> 8 with the truncated index. */
  uint16_t *t = (uint16_t *)malloc(65536 * 2);
  uint8_t t8[4096];
  for (uint32_t i = 0; i < 65536; i++) t[i] = (uint16_t)(i * 40503u >> 3);
  for (int i = 0; i < 4096; i++) t8[i] = (uint8_t)(i * 7 % 251);
  img_t s = img_new(256, 256, 2, 6), d = img_new(256, 256, 2, 2);
  for (uint32_t i = 0; i < 65536; i++) memcpy(img_px(&s, i % 256, i / 256), &(uint16_t){(uint16_t)i}, 2);
  CHECK_EQ(vImageLookupTable_Planar16(&s.b, &d.b, t, kvImageNoFlags), kvImageNoError);
  int ok = 1;
  for (uint32_t i = 0; i < 65536; i++) {
    uint16_t v;
    memcpy(&v, img_px(&d, i % 256, i / 256), 2);
    ok &= v == t[i];
  }
  CHECK(ok);
  CHECK(img_guards_ok(&d));
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    img_t sf = img_new(G.w, G.h, 4, G.pad), d8 = img_new(G.w, G.h, 1, 1), di = img_new(G.w, G.h, 4, 3);
    fill_float_samples(&sf);
    CHECK_EQ(vImageLookupTable_PlanarFtoPlanar8(&sf.b, &d8.b, t8, kvImageNoFlags), kvImageNoError);
    static const float tab[5] = {0.0f, 1.0f, 4.0f, 9.0f, 16.0f};
    CHECK_EQ(vImageInterpolatedLookupTable_PlanarF(&sf.b, &di.b, tab, 4, 1.0f, 0.0f, kvImageNoFlags), kvImageNoError);
    int ok2 = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        float v = fpx(&sf, x, y), i = v * 4096.0f;
        i = i > 0.0f ? i : 0.0f;
        i = i < 4095.0f ? i : 4095.0f;
        ok2 &= img_px(&d8, x, y)[0] == t8[(uint32_t)i];
        float c = v < 1.0f ? v : 1.0f;
        c = c > 0.0f ? c : 0.0f;
        float fi = 3.0f * (c - 0.0f) / (1.0f - 0.0f), fr = fi - floorf_(fi);
        unsigned long ix = (unsigned long)fi;
        ok2 &= same_float(fpx(&di, x, y), tab[ix] * (1.0f - fr) + tab[ix + 1] * fr);
      }
    CHECK(ok2);
    CHECK(img_guards_ok(&d8) && img_guards_ok(&di));
    /* In place (IP-B) for the float -> 8 table. */
    CHECK_EQ(vImageLookupTable_PlanarFtoPlanar8(&sf.b, &sf.b, t8, kvImageDoNotTile), kvImageNoError);
    for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&sf, 0, y), img_px(&d8, 0, y), G.w);
    img_free(&sf);
    img_free(&d8);
    img_free(&di);
  }
  /* Errors. */
  img_t small = img_new(3, 3, 1, 0), big = img_new(3, 4, 4, 0);
  CHECK_EQ(vImageLookupTable_Planar8toPlanarF(&small.b, &big.b, tf, 0), kvImageBufferSizeMismatch);
  CHECK_EQ(vImageLookupTable_Planar8toPlanarF(&small.b, &small.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageLookupTable_Planar16(&s.b, &d.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageLookupTable_PlanarFtoPlanar8(&big.b, &small.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageInterpolatedLookupTable_PlanarF(&big.b, &big.b, tf, 0, 1.0f, 0.0f, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageLookupTable_8to64U(&small.b, &small.b, t64, 1u << 20), kvImageUnknownFlagsBit);
  img_free(&small);
  img_free(&big);
  img_free(&s);
  img_free(&d);
  free(t);
}

int main(void) {
  load_pow();
  gamma();
  piecewise_gamma();
  polynomials();
  luts();
  dlclose(libm_);
  return check_report();
}
