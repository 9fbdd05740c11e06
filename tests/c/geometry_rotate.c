/*
 * Geometry.h quarter turns, reflections, rotations by any angle and affine warps from C:
 * every exported function on the geometries of ops_util.h (1x1, odd widths, 1xN, Nx1, padded
 * rows) between guard bytes, against direct formulas written here: the centre-to-centre
 * quarter-turn map with crop / fill, the mirror maps, and a float64 evaluation of the 2-D
 * Lanczos sum for the warps (8-bit within 1 code, 16-bit within 257, float within 1e-5
 * relative); identity and quarter-turn warps are exact copies; the documented errors and the
 * temp-buffer query.
 */
#include "ops_util.h"

#define PI 3.14159265358979323846

/* Small math helpers: the shared-library link of the C tests does not add libm. */
static double m_fabs(double x) { return x < 0 ? -x : x; }
static double m_floor(double x) {
  double t = (double)(long long)x;
  return t > x ? t - 1 : t;
}
static double m_sin(double x) {
  x -= 2 * PI * m_floor(x / (2 * PI) + 0.5); /* [-pi, pi) */
  double term = x, sum = x;
  for (int n = 1; n < 30; n++) {
    term *= -x * x / ((2.0 * n) * (2.0 * n + 1));
    sum += term;
  }
  return sum;
}
static double m_cos(double x) { return m_sin(x + PI / 2); }
static double m_sqrt(double v) {
  if (v <= 0) return 0;
  double r = v > 1 ? v : 1;
  for (int i = 0; i < 200; i++) r = 0.5 * (r + v / r);
  return r;
}
static double m_hypot(double a, double b) { return m_sqrt(a * a + b * b); }
#define INF_F (1.0f / 0.0f)

/* Rotation constants by value (Geometry.h's kRotate* enum: raw value = counter-clockwise
 * quarter turns). */
enum { CCW0 = 0, CCW90 = 1, CCW180 = 2, CCW270 = 3 };

static int under_valgrind(void) { return getenv("VIMAGE_TEST_UNDER_VALGRIND") != NULL; }

static int floor_div2(long v) { return (int)(v >= 0 ? v / 2 : -((-v + 1) / 2)); }

/* Source pixel of destination (x, y) for k counter-clockwise quarter turns about the centres
 * (doubled coordinates, rounded down); 0 when it falls outside the source. */
static int quarter_source(int k, long sw, long sh, long dw, long dh, long x, long y, long *sx, long *sy) {
  long u = 2 * x + 1 - dw, v = 2 * y + 1 - dh, su, sv;
  switch (k) {
    case 0: su = u; sv = v; break;
    case 1: su = -v; sv = u; break;
    case 2: su = -u; sv = -v; break;
    default: su = v; sv = -u; break;
  }
  *sx = floor_div2(su + sw - 1);
  *sy = floor_div2(sv + sh - 1);
  return *sx >= 0 && *sx < sw && *sy >= 0 && *sy < sh;
}

/* ---- quarter turns --------------------------------------------------------------------- */

typedef vImage_Error (*rot90_fn)(const vImage_Buffer *, const vImage_Buffer *, uint8_t, const uint8_t *, vImage_Flags);

static vImage_Error r90_p8(const vImage_Buffer *s, const vImage_Buffer *d, uint8_t k, const uint8_t *b, vImage_Flags f) {
  return vImageRotate90_Planar8(s, d, k, b[0], f);
}
static vImage_Error r90_p16u(const vImage_Buffer *s, const vImage_Buffer *d, uint8_t k, const uint8_t *b, vImage_Flags f) {
  Pixel_16U v;
  memcpy(&v, b, 2);
  return vImageRotate90_Planar16U(s, d, k, v, f);
}
static vImage_Error r90_pf(const vImage_Buffer *s, const vImage_Buffer *d, uint8_t k, const uint8_t *b, vImage_Flags f) {
  Pixel_F v;
  memcpy(&v, b, 4);
  return vImageRotate90_PlanarF(s, d, k, v, f);
}
static vImage_Error r90_8888(const vImage_Buffer *s, const vImage_Buffer *d, uint8_t k, const uint8_t *b, vImage_Flags f) {
  return vImageRotate90_ARGB8888(s, d, k, b, f);
}
static vImage_Error r90_16u(const vImage_Buffer *s, const vImage_Buffer *d, uint8_t k, const uint8_t *b, vImage_Flags f) {
  Pixel_ARGB_16U v;
  memcpy(v, b, 8);
  return vImageRotate90_ARGB16U(s, d, k, v, f);
}
static vImage_Error r90_16s(const vImage_Buffer *s, const vImage_Buffer *d, uint8_t k, const uint8_t *b, vImage_Flags f) {
  Pixel_ARGB_16S v;
  memcpy(v, b, 8);
  return vImageRotate90_ARGB16S(s, d, k, v, f);
}
static vImage_Error r90_ffff(const vImage_Buffer *s, const vImage_Buffer *d, uint8_t k, const uint8_t *b, vImage_Flags f) {
  Pixel_FFFF v;
  memcpy(v, b, 16);
  return vImageRotate90_ARGBFFFF(s, d, k, v, f);
}

static const struct {
  rot90_fn fn;
  size_t bpp;
} ROT90[] = {{r90_p8, 1}, {r90_p16u, 2}, {r90_pf, 4}, {r90_8888, 4}, {r90_16u, 8}, {r90_16s, 8}, {r90_ffff, 16}};
#define NROT90 (sizeof ROT90 / sizeof ROT90[0])

static int rotate90_case(size_t fi, int k, geom_t g, size_t dw, size_t dh, vImage_Flags flags) {
  size_t bpp = ROT90[fi].bpp;
  img_t s = img_new(g.w, g.h, bpp, g.pad), d = img_new(dw, dh, bpp, g.pad / 2 + 1);
  uint8_t back[16];
  for (size_t i = 0; i < bpp; i++) back[i] = (uint8_t)rng();
  img_fill_random(&s);
  int ok = CHECK_EQ(ROT90[fi].fn(&s.b, &d.b, (uint8_t)k, back, flags), kvImageNoError);
  for (size_t y = 0; y < dh && ok; y++)
    for (size_t x = 0; x < dw; x++) {
      long sx, sy;
      const uint8_t *want = quarter_source(k, (long)g.w, (long)g.h, (long)dw, (long)dh, (long)x, (long)y, &sx, &sy)
                                ? img_px(&s, (size_t)sx, (size_t)sy)
                                : back;
      if (memcmp(img_px(&d, x, y), want, bpp) != 0) {
        fprintf(stderr, "rotate90 fn %zu k %d %zux%zu -> %zux%zu: pixel (%zu, %zu)\n", fi, k, g.w, g.h, dw, dh, x, y);
        ok = CHECK(0);
        break;
      }
    }
  ok &= CHECK(img_guards_ok(&d));
  img_free(&s);
  img_free(&d);
  return ok;
}

static void rotate90(void) {
  for (size_t fi = 0; fi < NROT90; fi++)
    for (int k = 0; k < 4; k++)
      for (size_t g = 0; g < NGEOMS; g++) {
        const geom_t G = GEOMS[g];
        /* Same size, transposed, larger (filled) and smaller (cropped) destinations. */
        const size_t sizes[][2] = {{G.w, G.h}, {G.h, G.w}, {G.w + 3, G.h + 2}, {G.h + 1, G.w + 4}, {G.w / 2 + 1, G.h / 2 + 1}};
        for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
          rotate90_case(fi, k, G, sizes[z][0], sizes[z][1], z == 2 ? kvImageDoNotTile : kvImageNoFlags);
      }
  if (!under_valgrind())
    for (size_t fi = 0; fi < NROT90; fi += 3)
      for (int k = 0; k < 4; k++) {
        geom_t B = big_geom();
        rotate90_case(fi, k, B, B.h, B.w, kvImageNoFlags);
        rotate90_case(fi, k, B, B.h + 9, B.w - 10, kvImageNoFlags);
      }
  /* Errors: NULL buffers, constant > 3, in place, unknown flags; NULL background only when
   * needed; stray edge flags accepted; the temp-buffer query returns 0 and writes nothing. */
  img_t s = img_new(4, 3, 4, 0), d = img_new(3, 4, 4, 0), big = img_new(9, 9, 4, 0);
  const uint8_t back[4] = {1, 2, 3, 4};
  CHECK_EQ(vImageRotate90_ARGB8888(NULL, &d.b, CCW90, back, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageRotate90_ARGB8888(&s.b, NULL, CCW90, back, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageRotate90_ARGB8888(&s.b, &d.b, 4, back, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageRotate90_Planar8(&s.b, &d.b, 200, 0, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageRotate90_ARGB8888(&s.b, &s.b, CCW180, back, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageRotate90_ARGB8888(&s.b, &d.b, CCW90, back, 1u << 20), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageRotate90_ARGB8888(&s.b, &d.b, CCW270, NULL, 0), kvImageNoError);
  CHECK_EQ(vImageRotate90_ARGB8888(&s.b, &big.b, CCW270, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageRotate90_ARGB8888(&s.b, &d.b, CCW90, back, kvImageBackgroundColorFill | kvImageEdgeExtend), kvImageNoError);
  img_t fresh = img_new(9, 9, 4, 0);
  CHECK_EQ(vImageRotate90_ARGB8888(&s.b, &fresh.b, CCW90, back, kvImageGetTempBufferSize), 0);
  for (size_t y = 0; y < 9; y++)
    for (size_t i = 0; i < 36; i++) CHECK_EQ(img_px(&fresh, 0, y)[i], GUARD);
  img_free(&s);
  img_free(&d);
  img_free(&big);
  img_free(&fresh);
}

/* ---- reflections ----------------------------------------------------------------------- */

typedef vImage_Error (*reflect_fn)(const vImage_Buffer *, const vImage_Buffer *, vImage_Flags);

static const struct {
  reflect_fn h, v;
  size_t bpp;
} REFLECT[] = {
    {vImageHorizontalReflect_Planar8, vImageVerticalReflect_Planar8, 1},
    {vImageHorizontalReflect_Planar16U, vImageVerticalReflect_Planar16U, 2},
    {vImageHorizontalReflect_PlanarF, vImageVerticalReflect_PlanarF, 4},
    {vImageHorizontalReflect_ARGB8888, vImageVerticalReflect_ARGB8888, 4},
    {vImageHorizontalReflect_ARGB16U, vImageVerticalReflect_ARGB16U, 8},
    {vImageHorizontalReflect_ARGB16S, vImageVerticalReflect_ARGB16S, 8},
    {vImageHorizontalReflect_ARGBFFFF, vImageVerticalReflect_ARGBFFFF, 16},
};
#define NREFLECT (sizeof REFLECT / sizeof REFLECT[0])

static void reflect_case(size_t fi, geom_t G, vImage_Flags flags) {
  size_t bpp = REFLECT[fi].bpp;
  img_t s = img_new(G.w + 1, G.h, bpp, G.pad), a = img_new(G.w, G.h, bpp, G.pad + 2), b = img_new(G.w, G.h, bpp, 0);
  img_fill_random(&s);
  CHECK_EQ(REFLECT[fi].h(&s.b, &a.b, flags), kvImageNoError);
  CHECK_EQ(REFLECT[fi].v(&s.b, &b.b, flags), kvImageNoError);
  int ok = 1;
  for (size_t y = 0; y < G.h; y++)
    for (size_t x = 0; x < G.w; x++) {
      ok &= memcmp(img_px(&a, x, y), img_px(&s, G.w - 1 - x, y), bpp) == 0;
      ok &= memcmp(img_px(&b, x, y), img_px(&s, x, G.h - 1 - y), bpp) == 0;
    }
  CHECK(ok);
  CHECK(img_guards_ok(&a) && img_guards_ok(&b) && img_guards_ok(&s));
  img_free(&s);
  img_free(&a);
  img_free(&b);
}

static void reflect(void) {
  for (size_t fi = 0; fi < NREFLECT; fi++) {
    for (size_t g = 0; g < NGEOMS; g++) reflect_case(fi, GEOMS[g], g % 2 ? kvImageDoNotTile : 0);
    if (!under_valgrind()) reflect_case(fi, big_geom(), 0);
  }
  img_t s = img_new(5, 5, 4, 0), d = img_new(6, 5, 4, 0);
  CHECK_EQ(vImageHorizontalReflect_ARGB8888(&s.b, &d.b, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageVerticalReflect_ARGB8888(&s.b, &s.b, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageVerticalReflect_Planar8(NULL, &s.b, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageHorizontalReflect_PlanarF(&s.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageVerticalReflect_ARGB8888(&d.b, &s.b, 1u << 21), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageVerticalReflect_ARGB8888(&d.b, &s.b, kvImageGetTempBufferSize), 0);
  CHECK(img_guards_ok(&s));
  img_free(&s);
  img_free(&d);
}

/* ---- warps ----------------------------------------------------------------------------- */

enum { P8, PF, A8, A16U, A16S, AF, NFMT };
static const size_t CH[NFMT] = {1, 1, 4, 4, 4, 4}, SZ[NFMT] = {1, 4, 1, 2, 2, 4};
enum { SINGLE, DOUBLE, CG, ROTATE };

static double get(int fmt, const uint8_t *p) {
  switch (SZ[fmt]) {
    case 1: return p[0];
    case 2: {
      uint16_t u;
      int16_t s;
      memcpy(&u, p, 2);
      memcpy(&s, p, 2);
      return fmt == A16S ? (double)s : (double)u;
    }
    default: {
      float f;
      memcpy(&f, p, 4);
      return f;
    }
  }
}

/* Calls the exported function of `fmt` / `variant`; `back == NULL` passes NULL (or 0). */
static vImage_Error warp(int fmt, int variant, const vImage_Buffer *s, const vImage_Buffer *d, const double t[6], float angle,
                         const double *back, vImage_Flags flags) {
  vImage_AffineTransform ts = {(float)t[0], (float)t[1], (float)t[2], (float)t[3], (float)t[4], (float)t[5]};
  vImage_AffineTransform_Double td = {t[0], t[1], t[2], t[3], t[4], t[5]};
  vImage_CGAffineTransform tc = {t[0], t[1], t[2], t[3], t[4], t[5]};
  double z[4] = {0, 0, 0, 0};
  const double *b = back ? back : z;
  Pixel_8888 b8 = {(uint8_t)b[0], (uint8_t)b[1], (uint8_t)b[2], (uint8_t)b[3]};
  Pixel_ARGB_16U b16u = {(uint16_t)b[0], (uint16_t)b[1], (uint16_t)b[2], (uint16_t)b[3]};
  Pixel_ARGB_16S b16s = {(int16_t)b[0], (int16_t)b[1], (int16_t)b[2], (int16_t)b[3]};
  Pixel_FFFF bf = {(float)b[0], (float)b[1], (float)b[2], (float)b[3]};
  const uint8_t *p8 = back ? b8 : NULL;
  const uint16_t *p16u = back ? b16u : NULL;
  const int16_t *p16s = back ? b16s : NULL;
  const float *pf = back ? bf : NULL;
  void *tmp = NULL;
  switch (variant * NFMT + fmt) {
    case SINGLE * NFMT + P8: return vImageAffineWarp_Planar8(s, d, tmp, &ts, b8[0], flags);
    case SINGLE * NFMT + PF: return vImageAffineWarp_PlanarF(s, d, tmp, &ts, bf[0], flags);
    case SINGLE * NFMT + A8: return vImageAffineWarp_ARGB8888(s, d, tmp, &ts, p8, flags);
    case SINGLE * NFMT + A16U: return vImageAffineWarp_ARGB16U(s, d, tmp, &ts, p16u, flags);
    case SINGLE * NFMT + A16S: return vImageAffineWarp_ARGB16S(s, d, tmp, &ts, p16s, flags);
    case SINGLE * NFMT + AF: return vImageAffineWarp_ARGBFFFF(s, d, tmp, &ts, pf, flags);
    case DOUBLE * NFMT + P8: return vImageAffineWarpD_Planar8(s, d, tmp, &td, b8[0], flags);
    case DOUBLE * NFMT + PF: return vImageAffineWarpD_PlanarF(s, d, tmp, &td, bf[0], flags);
    case DOUBLE * NFMT + A8: return vImageAffineWarpD_ARGB8888(s, d, tmp, &td, p8, flags);
    case DOUBLE * NFMT + A16U: return vImageAffineWarpD_ARGB16U(s, d, tmp, &td, p16u, flags);
    case DOUBLE * NFMT + A16S: return vImageAffineWarpD_ARGB16S(s, d, tmp, &td, p16s, flags);
    case DOUBLE * NFMT + AF: return vImageAffineWarpD_ARGBFFFF(s, d, tmp, &td, pf, flags);
    case CG * NFMT + P8: return vImageAffineWarpCG_Planar8(s, d, tmp, &tc, b8[0], flags);
    case CG * NFMT + PF: return vImageAffineWarpCG_PlanarF(s, d, tmp, &tc, bf[0], flags);
    case CG * NFMT + A8: return vImageAffineWarpCG_ARGB8888(s, d, tmp, &tc, p8, flags);
    case CG * NFMT + A16U: return vImageAffineWarpCG_ARGB16U(s, d, tmp, &tc, p16u, flags);
    case CG * NFMT + A16S: return vImageAffineWarpCG_ARGB16S(s, d, tmp, &tc, p16s, flags);
    case CG * NFMT + AF: return vImageAffineWarpCG_ARGBFFFF(s, d, tmp, &tc, pf, flags);
    case ROTATE * NFMT + P8: return vImageRotate_Planar8(s, d, tmp, angle, b8[0], flags);
    case ROTATE * NFMT + PF: return vImageRotate_PlanarF(s, d, tmp, angle, bf[0], flags);
    case ROTATE * NFMT + A8: return vImageRotate_ARGB8888(s, d, tmp, angle, p8, flags);
    case ROTATE * NFMT + A16U: return vImageRotate_ARGB16U(s, d, tmp, angle, p16u, flags);
    case ROTATE * NFMT + A16S: return vImageRotate_ARGB16S(s, d, tmp, angle, p16s, flags);
    default: return vImageRotate_ARGBFFFF(s, d, tmp, angle, pf, flags);
  }
}

static double lanczos(double x, double a) {
  if (m_fabs(x) >= a) return 0;
  if (x == 0) return 1;
  double p = PI * x;
  return m_sin(p) / p * (m_sin(p / a) / (p / a));
}

static double widen(double p, double q) {
  double h = m_hypot(p, q);
  return h <= 1 + 1e-9 ? 1 : (h > 16 ? 16 : h);
}

/* Normalised 1-D taps of a window at f widened by k: first index and count. */
static int taps(double f, double k, double a, long *first, double *w) {
  long lo = (long)m_floor(f - a * k) + 1, hi = (long)m_floor(f + a * k);
  double s = 0;
  int n = 0;
  for (long j = lo; j <= hi; j++) s += w[n++] = lanczos((f - (double)j) / k, a);
  for (int i = 0; i < n; i++) w[i] /= s;
  *first = lo;
  return n;
}

/* The float64 reference of a warp at destination pixel (i, r), channel values into out[]. */
static void reference(int fmt, const img_t *s, size_t dh, const double t[6], double a, int extend, const double *back,
                      size_t i, size_t r, double *out) {
  double det = t[0] * t[3] - t[1] * t[2];
  double xd = (double)i + 0.5 - t[4], yd = (double)dh - (double)r - 0.5 - t[5];
  double fx = (t[3] * xd - t[2] * yd) / det - 0.5;
  double fy = (double)s->b.height - (-t[1] * xd + t[0] * yd) / det - 0.5;
  double wx[200], wy[200];
  long x0, y0, sw = (long)s->b.width, sh = (long)s->b.height;
  int nx = taps(fx, widen(t[3] / det, t[2] / det), a, &x0, wx);
  int ny = taps(fy, widen(t[1] / det, t[0] / det), a, &y0, wy);
  int inside = x0 + nx > 0 && x0 < sw && y0 + ny > 0 && y0 < sh;
  for (size_t c = 0; c < CH[fmt]; c++) {
    out[c] = 0;
    if (!extend && !inside) {
      out[c] = back[c];
      continue;
    }
    for (int jy = 0; jy < ny; jy++)
      for (int jx = 0; jx < nx; jx++) {
        long x = x0 + jx, y = y0 + jy;
        double v;
        if (x >= 0 && x < sw && y >= 0 && y < sh)
          v = get(fmt, img_px(s, (size_t)x, (size_t)y) + c * SZ[fmt]);
        else if (extend)
          v = get(fmt, img_px(s, (size_t)(x < 0 ? 0 : x >= sw ? sw - 1 : x), (size_t)(y < 0 ? 0 : y >= sh ? sh - 1 : y)) + c * SZ[fmt]);
        else
          v = back[c];
        out[c] += wx[jx] * wy[jy] * v;
      }
  }
}

static double clampf(int fmt, double v) {
  double lo = fmt == A16S ? -32768 : 0, hi = SZ[fmt] == 1 ? 255 : fmt == A16U ? 65535 : 32767;
  if (SZ[fmt] == 4) return v;
  return v < lo ? lo : v > hi ? hi : v;
}

static void random_image(int fmt, img_t *m) {
  img_fill_random(m);
  if (SZ[fmt] == 4) img_fill_random_f(m, -0.5f, 1.5f);
}

/* One warp against the reference at every pixel. */
static void warp_case(int fmt, int variant, geom_t g, size_t dw, size_t dh, const double t_in[6], float angle, vImage_Flags flags) {
  size_t bpp = CH[fmt] * SZ[fmt];
  img_t s = img_new(g.w, g.h, bpp, g.pad), d = img_new(dw, dh, bpp, 3);
  random_image(fmt, &s);
  double back[4];
  for (int c = 0; c < 4; c++) back[c] = SZ[fmt] == 4 ? (double)(float)((rng() % 1000) / 500.0) : (double)(rng() % 256);
  if (fmt == A16S) back[1] = -1234;
  if (!CHECK_EQ(warp(fmt, variant, &s.b, &d.b, t_in, angle, back, flags), kvImageNoError)) return;
  CHECK(img_guards_ok(&d));
  double t[6];
  for (int i = 0; i < 6; i++) t[i] = variant == SINGLE ? (double)(float)t_in[i] : t_in[i];
  if (variant == ROTATE) {
    double sn = m_sin((double)angle), cs = m_cos((double)angle);
    double cx = g.w / 2.0, cy = g.h / 2.0;
    t[0] = cs, t[1] = sn, t[2] = -sn, t[3] = cs;
    t[4] = dw / 2.0 - (cs * cx - sn * cy);
    t[5] = dh / 2.0 - (sn * cx + cs * cy);
  }
  double a = flags & kvImageHighQualityResampling ? 5 : 3;
  int ok = 1;
  for (size_t r = 0; r < dh && ok; r++)
    for (size_t i = 0; i < dw && ok; i++) {
      double want[4];
      reference(fmt, &s, dh, t, a, (flags & kvImageEdgeExtend) != 0, back, i, r, want);
      for (size_t c = 0; c < CH[fmt]; c++) {
        double got = get(fmt, img_px(&d, i, r) + c * SZ[fmt]), w = clampf(fmt, want[c]);
        double tol = SZ[fmt] == 1 ? 1 : SZ[fmt] == 2 ? 257 : 1e-5 * (m_fabs(w) > 1 ? m_fabs(w) : 1);
        if (m_fabs(got - w) > tol) {
          fprintf(stderr, "warp fmt %d variant %d flags %#x: (%zu, %zu) ch %zu got %g want %g\n", fmt, variant, (unsigned)flags, i, r, c, got,
                  w);
          ok = CHECK(0);
        }
      }
    }
  img_free(&s);
  img_free(&d);
}

static void warps(void) {
  static const vImage_Flags FLAGS[] = {kvImageBackgroundColorFill, kvImageEdgeExtend, kvImageNoFlags,
                                       kvImageHighQualityResampling | kvImageDoNotTile};
  for (int fmt = 0; fmt < NFMT; fmt++)
    for (int variant = 0; variant < 4; variant++)
      for (size_t g = 0; g < NGEOMS; g++) {
        const geom_t G = GEOMS[g];
        double ang = 0.3 + 0.7 * (double)g - 0.4 * variant, sc = g % 2 ? 0.6 : 1.2;
        double t[6] = {sc * m_cos(ang), sc * m_sin(ang), -sc * m_sin(ang), sc * m_cos(ang), 1.5 + g, -0.5 + variant};
        warp_case(fmt, variant, G, G.h + 2, G.w + 1, t, (float)ang, FLAGS[(g + variant) % 4]);
      }
  /* Identity, rotate by 0 and quarter turns by angle are exact copies (matching parities). */
  for (int fmt = 0; fmt < NFMT; fmt++)
    for (size_t g = 0; g < NGEOMS; g++) {
      const geom_t G = GEOMS[g];
      size_t bpp = CH[fmt] * SZ[fmt];
      img_t s = img_new(G.w, G.h, bpp, G.pad), d = img_new(G.w, G.h, bpp, 0), q = img_new(G.h, G.w, bpp, 1);
      random_image(fmt, &s);
      const double id[6] = {1, 0, 0, 1, 0, 0}, back[4] = {1, 2, 3, 4};
      for (int variant = 0; variant < 4; variant++) {
        CHECK_EQ(warp(fmt, variant, &s.b, &d.b, id, 0.0f, back, kvImageNoFlags), kvImageNoError);
        for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&d, 0, y), img_px(&s, 0, y), G.w * bpp);
      }
      CHECK_EQ(warp(fmt, ROTATE, &s.b, &q.b, id, (float)(PI / 2), back, kvImageEdgeExtend), kvImageNoError);
      int ok = 1;
      for (size_t y = 0; y < G.w; y++)
        for (size_t x = 0; x < G.h; x++) {
          long sx, sy;
          quarter_source(1, (long)G.w, (long)G.h, (long)G.h, (long)G.w, (long)x, (long)y, &sx, &sy);
          ok &= memcmp(img_px(&q, x, y), img_px(&s, (size_t)sx, (size_t)sy), bpp) == 0;
        }
      CHECK(ok);
      CHECK(img_guards_ok(&d) && img_guards_ok(&q));
      img_free(&s);
      img_free(&d);
      img_free(&q);
    }
  if (!under_valgrind()) {
    /* A tiled 8-bit rotation equals the untiled one. */
    geom_t B = big_geom();
    img_t s = img_new(B.w, B.h, 4, B.pad), a = img_new(B.h + 40, B.w, 4, 0), b = img_new(B.h + 40, B.w, 4, 0);
    img_fill_random(&s);
    const uint8_t back[4] = {9, 8, 7, 6};
    CHECK_EQ(vImageRotate_ARGB8888(&s.b, &a.b, NULL, 0.3f, back, kvImageBackgroundColorFill), kvImageNoError);
    CHECK_EQ(vImageRotate_ARGB8888(&s.b, &b.b, NULL, 0.3f, back, kvImageBackgroundColorFill | kvImageDoNotTile), kvImageNoError);
    for (size_t y = 0; y < a.b.height; y++) CHECK_MEM_EQ(img_px(&a, 0, y), img_px(&b, 0, y), a.b.width * 4);
    img_free(&s);
    img_free(&a);
    img_free(&b);
  }
  /* Errors and the temp-buffer query. */
  img_t s = img_new(6, 5, 4, 0), d = img_new(7, 4, 4, 0);
  const double id[6] = {1, 0, 0, 1, 0, 0}, singular[6] = {1, 2, 2, 4, 0, 0}, back[4] = {0, 0, 0, 0};
  vImage_AffineTransform ts = {1, 0, 0, 1, 0, 0};
  const Pixel_8888 b8 = {0, 0, 0, 0};
  CHECK_EQ(warp(A8, ROTATE, &s.b, &d.b, id, 0.2f, back, kvImageEdgeExtend | kvImageBackgroundColorFill), kvImageInvalidEdgeStyle);
  CHECK_EQ(warp(A8, CG, &s.b, &d.b, id, 0, back, kvImageEdgeExtend | kvImageBackgroundColorFill), kvImageInvalidEdgeStyle);
  CHECK_EQ(warp(A8, DOUBLE, &s.b, &d.b, singular, 0, back, 0), kvImageInvalidParameter);
  CHECK_EQ(warp(PF, ROTATE, &s.b, &d.b, id, INF_F, back, 0), kvImageInvalidParameter);
  CHECK_EQ(warp(A8, SINGLE, &s.b, &d.b, id, 0, back, 1u << 22), kvImageUnknownFlagsBit);
  CHECK_EQ(warp(A8, ROTATE, &s.b, &d.b, id, 0.2f, NULL, kvImageEdgeExtend), kvImageNoError);
  CHECK_EQ(warp(A8, ROTATE, &s.b, &d.b, id, 0.2f, NULL, kvImageBackgroundColorFill), kvImageNullPointerArgument);
  CHECK_EQ(vImageAffineWarp_ARGB8888(&s.b, &d.b, NULL, NULL, b8, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageAffineWarp_ARGB8888(NULL, &d.b, NULL, &ts, b8, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageAffineWarp_ARGB8888(&s.b, &s.b, NULL, &ts, b8, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageRotate_ARGB8888(&s.b, NULL, NULL, 0.0f, b8, 0), kvImageNullPointerArgument);
  img_t fresh = img_new(7, 4, 4, 0);
  /* UIImageEffects-style query: NULL background, an edge flag; the answer is 0 (no scratch). */
  CHECK_EQ(vImageRotate_ARGB8888(&s.b, &fresh.b, NULL, 0.4f, NULL, kvImageGetTempBufferSize | kvImageEdgeExtend), 0);
  CHECK_EQ(vImageAffineWarp_ARGB8888(&s.b, &fresh.b, NULL, &ts, b8, kvImageGetTempBufferSize), 0);
  for (size_t y = 0; y < 4; y++)
    for (size_t i = 0; i < 28; i++) CHECK_EQ(img_px(&fresh, 0, y)[i], GUARD);
  img_free(&s);
  img_free(&d);
  img_free(&fresh);
}

int main(void) {
  rng_seed(20240611);
  rotate90();
  reflect();
  warps();
  return check_report();
}
