/*
 * Conversion.h dithered narrowing conversions from C: float and 16-bit samples to 8 bits,
 * 8-bit channels to RGB565 / ARGB1555 / RGBA5551 (and the BGRA8888toBGRA5551_dithered macro).
 * Every function on every geometry of ops_util.h, with every dither mode, out of place and in
 * place (IP-B: same data and rowBytes), checked against the documented arithmetic written
 * here:
 *   DitherNone   the plain function's rounding;
 *   ordered      the 8x8 Bayer value b at (x % 8, y % 8) of the destination:
 *                code = (V + (2b+1) * D / 128) / D on the fine value V (units 1/D of a code),
 *                or for floats 255 (x - min) / (max - min) + (2b+1)/128, clipped, truncated;
 *   diffusion    integer Floyd-Steinberg / Atkinson on V, re-implemented below with whole-image
 *                error arrays;
 * plus guard bytes, the errors, and kvImageGetTempBufferSize.
 */
#include <math.h>

#include "ops_util.h"

static const int BAYER[8][8] = {
    {0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26},
    {12, 44, 4, 36, 14, 46, 6, 38}, {60, 28, 52, 20, 62, 30, 54, 22},
    {3, 35, 11, 43, 1, 33, 9, 41},  {51, 19, 59, 27, 49, 17, 57, 25},
    {15, 47, 7, 39, 13, 45, 5, 37}, {63, 31, 55, 23, 61, 29, 53, 21},
};

static const int MODES[] = {
    kvImageConvert_DitherNone,
    kvImageConvert_DitherOrdered,
    kvImageConvert_DitherOrderedReproducible | kvImageConvert_OrderedUniformBlue,
    kvImageConvert_DitherFloydSteinberg,
    kvImageConvert_DitherAtkinson,
};
#define NMODES (sizeof MODES / sizeof MODES[0])

/* ---- one shape for every function ---- */

typedef vImage_Error (*call_fn)(const vImage_Buffer *, const vImage_Buffer *, int, vImage_Flags);

typedef struct {
  const char *name;
  call_fn call;
  size_t in_bpp, out_bpp, ch;
  long long d; /* fine-value unit: V is in 1/d of a code */
  void (*fine)(const uint8_t *px, long long *v);
  void (*point)(const uint8_t *px, int b, uint8_t *out); /* b < 0: DitherNone */
  void (*pack)(const uint8_t *px, const uint8_t *codes, uint8_t *out);
  int is_float;
} case_t;

static float rdf(const uint8_t *p) {
  float f;
  memcpy(&f, p, 4);
  return f;
}
static unsigned rd16(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}
static void wr16(uint8_t *p, unsigned v) {
  uint16_t w = (uint16_t)v;
  memcpy(p, &w, 2);
}

/* float -> 8 bits: 255 (x - min) / (max - min) + noise, clipped, truncated; NaN -> 0. */
static uint8_t f8(float x, float max, float min, int b) {
  float t = b < 0 ? 0.5f : (float)(2 * b + 1) / 128.0f;
  float v = 255.0f * (x - min) / (max - min) + t;
  if (v != v || v <= 0.0f) return 0;
  if (v >= 255.0f) return 255;
  return (uint8_t)v;
}
static long long ffine(float x, float max, float min) {
  float v = 255.0f * (x - min) / (max - min);
  if (v != v) v = 0.0f;
  v = v < 0.0f ? 0.0f : v > 255.0f ? 255.0f : v;
  return (long long)((double)v * 65536.0 + 0.5); /* v >= 0: round half away from zero */
}

static const float PMAX = 1.0f, PMIN = 0.0f;
static const float RMAX[3] = {1.0f, 2.0f, 0.25f}, RMIN[3] = {0.0f, -1.0f, 0.75f};
static const Pixel_FFFF AMAX = {1.0f, 255.0f, 0.5f, -1.0f}, AMIN = {0.0f, 0.0f, -0.5f, 1.0f};
static const uint8_t AMAP[4] = {3, 0, 2, 1};
static const uint8_t MAP16[4] = {1, 2, 3, 0};

static vImage_Error c_pf(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  return vImageConvert_PlanarFtoPlanar8_dithered(s, d, PMAX, PMIN, di, f);
}
static void fine_pf(const uint8_t *p, long long *v) { v[0] = ffine(rdf(p), PMAX, PMIN); }
static void point_pf(const uint8_t *p, int b, uint8_t *o) { o[0] = f8(rdf(p), PMAX, PMIN, b); }

static vImage_Error c_rgbf(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  return vImageConvert_RGBFFFtoRGB888_dithered(s, d, RMAX, RMIN, di, f);
}
static void fine_rgbf(const uint8_t *p, long long *v) {
  for (int c = 0; c < 3; c++) v[c] = ffine(rdf(p + 4 * c), RMAX[c], RMIN[c]);
}
static void point_rgbf(const uint8_t *p, int b, uint8_t *o) {
  for (int c = 0; c < 3; c++) o[c] = f8(rdf(p + 4 * c), RMAX[c], RMIN[c], b);
}

static vImage_Error c_argbf(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  return vImageConvert_ARGBFFFFtoARGB8888_dithered(s, d, AMAX, AMIN, di, AMAP, f);
}
static void fine_argbf(const uint8_t *p, long long *v) {
  for (int c = 0; c < 4; c++) v[c] = ffine(rdf(p + 4 * c), AMAX[c], AMIN[c]);
}
static void point_argbf(const uint8_t *p, int b, uint8_t *o) {
  uint8_t t[4];
  for (int c = 0; c < 4; c++) t[c] = f8(rdf(p + 4 * c), AMAX[c], AMIN[c], b);
  for (int i = 0; i < 4; i++) o[i] = t[AMAP[i]];
}
static void pack_argbf(const uint8_t *p, const uint8_t *c, uint8_t *o) {
  (void)p;
  for (int i = 0; i < 4; i++) o[i] = c[AMAP[i]];
}

/* 16 bits -> 8: (p * 255 + t) / 65535, t = (2b+1) * 65535 / 128 or 32767. */
static unsigned t16(int b) { return b < 0 ? 32767u : (unsigned)(2 * b + 1) * 65535u / 128u; }

static vImage_Error c_p16(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  return vImageConvert_Planar16UtoPlanar8_dithered(s, d, di, f);
}
static vImage_Error c_rgb16(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  return vImageConvert_RGB16UtoRGB888_dithered(s, d, di, f);
}
static vImage_Error c_argb16(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  return vImageConvert_ARGB16UtoARGB8888_dithered(s, d, di, MAP16, f);
}
static void fine16_1(const uint8_t *p, long long *v) { v[0] = (long long)rd16(p) * 255; }
static void fine16_3(const uint8_t *p, long long *v) {
  for (int c = 0; c < 3; c++) v[c] = (long long)rd16(p + 2 * c) * 255;
}
static void fine16_4(const uint8_t *p, long long *v) {
  for (int c = 0; c < 4; c++) v[c] = (long long)rd16(p + 2 * c) * 255;
}
static void point16_1(const uint8_t *p, int b, uint8_t *o) { o[0] = (uint8_t)((rd16(p) * 255u + t16(b)) / 65535u); }
static void point16_3(const uint8_t *p, int b, uint8_t *o) {
  for (int c = 0; c < 3; c++) o[c] = (uint8_t)((rd16(p + 2 * c) * 255u + t16(b)) / 65535u);
}
static void point16_4(const uint8_t *p, int b, uint8_t *o) {
  uint8_t t[4];
  for (int c = 0; c < 4; c++) t[c] = (uint8_t)((rd16(p + 2 * c) * 255u + t16(b)) / 65535u);
  for (int i = 0; i < 4; i++) o[i] = t[MAP16[i]];
}
static void pack_same_1(const uint8_t *p, const uint8_t *c, uint8_t *o) { (void)p; o[0] = c[0]; }
static void pack_same_3(const uint8_t *p, const uint8_t *c, uint8_t *o) {
  (void)p;
  memcpy(o, c, 3);
}
static void pack16_4(const uint8_t *p, const uint8_t *c, uint8_t *o) {
  (void)p;
  for (int i = 0; i < 4; i++) o[i] = c[MAP16[i]];
}

/* 8 bits -> 5/6-bit fields: fine = (c * (n << 8) + 127) / 255, code = (fine + t) >> 8 with
 * t = (2b+1) * 2, or 128 for DitherNone. */
static unsigned fine8(unsigned c, unsigned n) { return (c * (n << 8) + 127u) / 255u; }
static unsigned q8(unsigned c, unsigned n, int b) { return (fine8(c, n) + (b < 0 ? 128u : (unsigned)(2 * b + 1) * 2u)) >> 8; }

#define C565(NAME, FN, BPP, R, G, B)                                                              \
  static vImage_Error c_##NAME(const vImage_Buffer *s, const vImage_Buffer *d, int di,           \
                               vImage_Flags f) {                                                 \
    return FN(s, d, NULL, di, f);                                                                 \
  }                                                                                               \
  static void fine_##NAME(const uint8_t *p, long long *v) {                                       \
    v[0] = fine8(p[R], 31);                                                                       \
    v[1] = fine8(p[G], 63);                                                                       \
    v[2] = fine8(p[B], 31);                                                                       \
  }                                                                                               \
  static void point_##NAME(const uint8_t *p, int b, uint8_t *o) {                                 \
    wr16(o, (q8(p[R], 31, b) << 11) | (q8(p[G], 63, b) << 5) | q8(p[B], 31, b));                  \
  }
C565(rgb565, vImageConvert_RGB888toRGB565_dithered, 3, 0, 1, 2)
C565(argb565, vImageConvert_ARGB8888toRGB565_dithered, 4, 1, 2, 3)
C565(rgba565, vImageConvert_RGBA8888toRGB565_dithered, 4, 0, 1, 2)
C565(bgra565, vImageConvert_BGRA8888toRGB565_dithered, 4, 2, 1, 0)
static void pack565(const uint8_t *p, const uint8_t *c, uint8_t *o) {
  (void)p;
  wr16(o, ((unsigned)c[0] << 11) | ((unsigned)c[1] << 5) | c[2]);
}

/* ARGB1555: A 15, R 14-10, G 9-5, B 4-0; RGBA5551: R 15-11, G 10-6, B 5-1, A 0; alpha
 * (a + 127) / 255, never dithered. */
static vImage_Error c_a1555(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  return vImageConvert_ARGB8888toARGB1555_dithered(s, d, NULL, di, f);
}
static vImage_Error c_r5551(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  return vImageConvert_RGBA8888toRGBA5551_dithered(s, d, NULL, di, f);
}
static vImage_Error c_b5551(const vImage_Buffer *s, const vImage_Buffer *d, int di, vImage_Flags f) {
  char temp[8]; /* a caller's temp buffer: accepted, not needed */
  return vImageConvert_BGRA8888toBGRA5551_dithered(s, d, temp, di, f);
}
static void fine_a1555(const uint8_t *p, long long *v) {
  for (int c = 0; c < 3; c++) v[c] = fine8(p[1 + c], 31);
}
static void fine_r5551(const uint8_t *p, long long *v) {
  for (int c = 0; c < 3; c++) v[c] = fine8(p[c], 31);
}
static void point_a1555(const uint8_t *p, int b, uint8_t *o) {
  wr16(o, ((unsigned)(p[0] >= 128) << 15) | (q8(p[1], 31, b) << 10) | (q8(p[2], 31, b) << 5) | q8(p[3], 31, b));
}
static void point_r5551(const uint8_t *p, int b, uint8_t *o) {
  wr16(o, (q8(p[0], 31, b) << 11) | (q8(p[1], 31, b) << 6) | (q8(p[2], 31, b) << 1) | (unsigned)(p[3] >= 128));
}
static void pack_a1555(const uint8_t *p, const uint8_t *c, uint8_t *o) {
  wr16(o, ((unsigned)(p[0] >= 128) << 15) | ((unsigned)c[0] << 10) | ((unsigned)c[1] << 5) | c[2]);
}
static void pack_r5551(const uint8_t *p, const uint8_t *c, uint8_t *o) {
  wr16(o, ((unsigned)c[0] << 11) | ((unsigned)c[1] << 6) | ((unsigned)c[2] << 1) | (unsigned)(p[3] >= 128));
}

static const case_t CASES[] = {
    {"PlanarFtoPlanar8_dithered", c_pf, 4, 1, 1, 65536, fine_pf, point_pf, pack_same_1, 1},
    {"RGBFFFtoRGB888_dithered", c_rgbf, 12, 3, 3, 65536, fine_rgbf, point_rgbf, pack_same_3, 1},
    {"ARGBFFFFtoARGB8888_dithered", c_argbf, 16, 4, 4, 65536, fine_argbf, point_argbf, pack_argbf, 1},
    {"Planar16UtoPlanar8_dithered", c_p16, 2, 1, 1, 65535, fine16_1, point16_1, pack_same_1, 0},
    {"RGB16UtoRGB888_dithered", c_rgb16, 6, 3, 3, 65535, fine16_3, point16_3, pack_same_3, 0},
    {"ARGB16UtoARGB8888_dithered", c_argb16, 8, 4, 4, 65535, fine16_4, point16_4, pack16_4, 0},
    {"RGB888toRGB565_dithered", c_rgb565, 3, 2, 3, 256, fine_rgb565, point_rgb565, pack565, 0},
    {"ARGB8888toRGB565_dithered", c_argb565, 4, 2, 3, 256, fine_argb565, point_argb565, pack565, 0},
    {"RGBA8888toRGB565_dithered", c_rgba565, 4, 2, 3, 256, fine_rgba565, point_rgba565, pack565, 0},
    {"BGRA8888toRGB565_dithered", c_bgra565, 4, 2, 3, 256, fine_bgra565, point_bgra565, pack565, 0},
    {"ARGB8888toARGB1555_dithered", c_a1555, 4, 2, 3, 256, fine_a1555, point_a1555, pack_a1555, 0},
    {"RGBA8888toRGBA5551_dithered", c_r5551, 4, 2, 3, 256, fine_r5551, point_r5551, pack_r5551, 0},
    /* the macro: RGBA8888toRGBA5551_dithered on BGRA data (same bit layout, B and R swapped) */
    {"BGRA8888toBGRA5551_dithered", c_b5551, 4, 2, 3, 256, fine_r5551, point_r5551, pack_r5551, 0},
};
#define NCASES (sizeof CASES / sizeof CASES[0])

/* ---- the reference ---- */

static long long floor_div(long long a, long long b) {
  long long q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Expected destination pixels (packed rows, w * out_bpp each) of `c` on `s` with `mode`. */
static uint8_t *expected(const case_t *c, const img_t *s, int mode) {
  size_t w = s->b.width, h = s->b.height, ch = c->ch;
  uint8_t *out = (uint8_t *)malloc(w * h * c->out_bpp + 1);
  int m = mode & 0x0FFFFFFF;
  if (m == kvImageConvert_DitherFloydSteinberg || m == kvImageConvert_DitherAtkinson) {
    long long *err = (long long *)calloc(w * h * ch + 1, sizeof *err);
    uint8_t *codes = (uint8_t *)malloc(ch);
    long long v[4];
    long long d = c->d;
    for (size_t y = 0; y < h; y++)
      for (size_t x = 0; x < w; x++) {
        c->fine(img_px(s, x, y), v);
        for (size_t k = 0; k < ch; k++) {
          long long want = 16 * v[k] + err[(y * w + x) * ch + k];
          long long lo = floor_div(v[k], d), hi = v[k] % d ? lo + 1 : lo;
          long long code = floor_div(want + 8 * d, 16 * d);
          code = code < lo ? lo : code > hi ? hi : code;
          codes[k] = (uint8_t)code;
          long long q = want - 16 * d * code;
#define ADD(dx, dy, e)                                                                             \
  do {                                                                                             \
    long long xx = (long long)x + (dx);                                                            \
    size_t yy = y + (dy);                                                                          \
    if (xx >= 0 && xx < (long long)w && yy < h) err[(yy * w + (size_t)xx) * ch + k] += (e);       \
  } while (0)
          if (m == kvImageConvert_DitherAtkinson) {
            ADD(1, 0, q / 8);
            ADD(2, 0, q / 8);
            ADD(-1, 1, q / 8);
            ADD(0, 1, q / 8);
            ADD(1, 1, q / 8);
            ADD(0, 2, q / 8);
          } else {
            long long r = q * 7 / 16, bl = q * 3 / 16, b = q * 5 / 16;
            ADD(1, 0, r);
            ADD(-1, 1, bl);
            ADD(0, 1, b);
            ADD(1, 1, q - r - bl - b);
          }
#undef ADD
        }
        c->pack(img_px(s, x, y), codes, out + (y * w + x) * c->out_bpp);
      }
    free(codes);
    free(err);
  } else {
    for (size_t y = 0; y < h; y++)
      for (size_t x = 0; x < w; x++)
        c->point(img_px(s, x, y), m == kvImageConvert_DitherNone ? -1 : BAYER[y % 8][x % 8],
                 out + (y * w + x) * c->out_bpp);
  }
  return out;
}

static void fill(const case_t *c, img_t *m) {
  if (!c->is_float) {
    img_fill_random(m);
    return;
  }
  img_fill_random_f(m, -0.3f, 1.3f);
  /* a few special values */
  float *p = (float *)(void *)img_px(m, 0, 0);
  const float special[] = {NAN, INFINITY, -INFINITY, 0.0f, 1.0f, 0.5f / 255.0f};
  size_t n = m->b.width * m->bpp / 4;
  for (size_t i = 0; i < n && i < sizeof special / sizeof special[0]; i++) p[i] = special[i];
}

static int rows_equal(const img_t *d, const uint8_t *want, size_t out_bpp) {
  int ok = 1;
  for (size_t y = 0; y < d->b.height; y++)
    ok &= memcmp(img_px(d, 0, y), want + y * d->b.width * out_bpp, d->b.width * out_bpp) == 0;
  return ok;
}

static void run_case(const case_t *c, geom_t G) {
  for (size_t mi = 0; mi < NMODES; mi++) {
    int mode = MODES[mi];
    img_t s = img_new(G.w, G.h, c->in_bpp, G.pad), d = img_new(G.w, G.h, c->out_bpp, G.pad + 3);
    fill(c, &s);
    uint8_t *want = expected(c, &s, mode);
    /* out of place, tiled and not */
    CHECK_EQ(c->call(&s.b, &d.b, mode, kvImageNoFlags), kvImageNoError);
    if (!CHECK(rows_equal(&d, want, c->out_bpp)))
      fprintf(stderr, "  %s %zux%zu mode %#x\n", c->name, G.w, G.h, (unsigned)mode);
    CHECK(img_guards_ok(&d));
    memset(d.b.data, 0, 1);
    CHECK_EQ(c->call(&s.b, &d.b, mode, kvImageDoNotTile), kvImageNoError);
    CHECK(rows_equal(&d, want, c->out_bpp));
    CHECK(img_guards_ok(&d));
    /* kvImageGetTempBufferSize: 0, nothing written */
    img_t e = img_new(G.w, G.h, c->out_bpp, 1);
    CHECK_EQ(c->call(&s.b, &e.b, mode, kvImageGetTempBufferSize), 0);
    CHECK(img_guards_ok(&e));
    CHECK_EQ(*(uint8_t *)e.b.data, GUARD);
    img_free(&e);
    /* in place (IP-B): the destination is a view of the source's memory, same rowBytes */
    vImage_Buffer ip = s.b;
    CHECK_EQ(c->call(&s.b, &ip, mode, kvImageNoFlags), kvImageNoError);
    int ok = 1;
    for (size_t y = 0; y < G.h; y++)
      ok &= memcmp(img_px(&s, 0, y), want + y * G.w * c->out_bpp, G.w * c->out_bpp) == 0;
    CHECK(ok);
    CHECK(img_guards_ok(&s));
    for (size_t i = 0; i < GUARD_BYTES; i++) {
      CHECK_EQ(s.base[i], GUARD);
      CHECK_EQ(s.base[s.size - 1 - i], GUARD);
    }
    free(want);
    img_free(&s);
    img_free(&d);
  }
}

static void errors(void) {
  for (size_t k = 0; k < NCASES; k++) {
    const case_t *c = &CASES[k];
    img_t s = img_new(4, 3, c->in_bpp, 0), d = img_new(4, 3, c->out_bpp, 0), big = img_new(5, 3, c->out_bpp, 0);
    fill(c, &s);
    const int bad[] = {5, -1, 6, 2 << 28, 0x10};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
      CHECK_EQ(c->call(&s.b, &d.b, bad[i], 0), kvImageInvalidParameter);
    CHECK_EQ(c->call(&s.b, &d.b, kvImageConvert_DitherOrdered, 1u << 20), kvImageUnknownFlagsBit);
    CHECK_EQ(c->call(&s.b, &big.b, kvImageConvert_DitherNone, 0), kvImageRoiLargerThanInputBuffer);
    CHECK_EQ(c->call(NULL, &d.b, kvImageConvert_DitherFloydSteinberg, 0), kvImageNullPointerArgument);
    CHECK_EQ(c->call(&s.b, NULL, kvImageConvert_DitherFloydSteinberg, 0), kvImageNullPointerArgument);
    /* an overlap other than IP-B */
    vImage_Buffer shifted = s.b;
    shifted.data = (uint8_t *)s.b.data + 1;
    shifted.width = 2;
    shifted.height = 2;
    CHECK_EQ(c->call(&s.b, &shifted, kvImageConvert_DitherOrdered, 0), kvImageInvalidParameter);
    CHECK(img_guards_ok(&big));
    CHECK(img_guards_ok(&d));
    img_free(&s);
    img_free(&d);
    img_free(&big);
  }
  /* NULL arrays; bad permute maps; a NULL permuteMap is the identity. */
  img_t s = img_new(2, 2, 16, 0), d = img_new(2, 2, 4, 0), d2 = img_new(2, 2, 4, 0);
  img_fill_random_f(&s, 0.0f, 1.0f);
  const uint8_t bad_map[4] = {0, 1, 4, 2}, id[4] = {0, 1, 2, 3};
  CHECK_EQ(vImageConvert_RGBFFFtoRGB888_dithered(&s.b, &d.b, NULL, RMIN, 0, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_RGBFFFtoRGB888_dithered(&s.b, &d.b, RMAX, NULL, 0, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_ARGBFFFFtoARGB8888_dithered(&s.b, &d.b, NULL, AMIN, 0, id, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_ARGBFFFFtoARGB8888_dithered(&s.b, &d.b, AMAX, NULL, 0, id, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_ARGBFFFFtoARGB8888_dithered(&s.b, &d.b, AMAX, AMIN, 0, bad_map, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGB16UtoARGB8888_dithered(&s.b, &d.b, 3, bad_map, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGBFFFFtoARGB8888_dithered(&s.b, &d.b, AMAX, AMIN, 1, NULL, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_ARGBFFFFtoARGB8888_dithered(&s.b, &d2.b, AMAX, AMIN, 1, id, 0), kvImageNoError);
  for (size_t y = 0; y < 2; y++) CHECK_MEM_EQ(img_px(&d, 0, y), img_px(&d2, 0, y), 8);
  CHECK_EQ(vImageConvert_ARGB16UtoARGB8888_dithered(&s.b, &d.b, 1, NULL, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_ARGB16UtoARGB8888_dithered(&s.b, &d2.b, 1, id, 0), kvImageNoError);
  for (size_t y = 0; y < 2; y++) CHECK_MEM_EQ(img_px(&d, 0, y), img_px(&d2, 0, y), 8);
  img_free(&s);
  img_free(&d);
  img_free(&d2);
}

/* DitherNone gives exactly the bytes of the plain functions. */
static void same_rows(const img_t *a, const img_t *b) {
  for (size_t y = 0; y < a->b.height; y++) CHECK_MEM_EQ(img_px(a, 0, y), img_px(b, 0, y), a->b.width * a->bpp);
  CHECK(img_guards_ok(a));
  CHECK(img_guards_ok(b));
}

static void none_equals_plain(void) {
  const size_t W = 67, H = 5;
  const uint8_t map[4] = {2, 0, 3, 1}, bg[4] = {9, 9, 9, 9};
  const int none = kvImageConvert_DitherNone;
  /* 16 bits */
  img_t s = img_new(W, H, 2, 3), a = img_new(W, H, 1, 0), b = img_new(W, H, 1, 0);
  img_fill_random(&s);
  CHECK_EQ(vImageConvert_Planar16UtoPlanar8_dithered(&s.b, &a.b, none, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_16UToPlanar8(&s.b, &b.b, 0), kvImageNoError);
  same_rows(&a, &b);
  img_free(&s);
  img_free(&a);
  img_free(&b);
  s = img_new(W, H, 8, 3);
  a = img_new(W, H, 4, 0);
  b = img_new(W, H, 4, 0);
  img_fill_random(&s);
  CHECK_EQ(vImageConvert_ARGB16UtoARGB8888_dithered(&s.b, &a.b, none, map, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_ARGB16UToARGB8888(&s.b, &b.b, map, 0, bg, 0), kvImageNoError);
  same_rows(&a, &b);
  img_free(&s);
  img_free(&a);
  img_free(&b);
  /* 8888 -> 565 / 1555 / 5551 (and the macro) */
  s = img_new(W, H, 4, 3);
  a = img_new(W, H, 2, 0);
  b = img_new(W, H, 2, 0);
  img_fill_random(&s);
  CHECK_EQ(vImageConvert_ARGB8888toRGB565_dithered(&s.b, &a.b, NULL, none, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_ARGB8888toRGB565(&s.b, &b.b, 0), kvImageNoError);
  same_rows(&a, &b);
  CHECK_EQ(vImageConvert_RGBA8888toRGB565_dithered(&s.b, &a.b, NULL, none, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_RGBA8888toRGB565(&s.b, &b.b, 0), kvImageNoError);
  same_rows(&a, &b);
  CHECK_EQ(vImageConvert_BGRA8888toRGB565_dithered(&s.b, &a.b, NULL, none, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_BGRA8888toRGB565(&s.b, &b.b, 0), kvImageNoError);
  same_rows(&a, &b);
  CHECK_EQ(vImageConvert_ARGB8888toARGB1555_dithered(&s.b, &a.b, NULL, none, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_ARGB8888toARGB1555(&s.b, &b.b, 0), kvImageNoError);
  same_rows(&a, &b);
  CHECK_EQ(vImageConvert_RGBA8888toRGBA5551_dithered(&s.b, &a.b, NULL, none, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_RGBA8888toRGBA5551(&s.b, &b.b, 0), kvImageNoError);
  same_rows(&a, &b);
  CHECK_EQ(vImageConvert_BGRA8888toBGRA5551_dithered(&s.b, &a.b, NULL, none, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_BGRA8888toBGRA5551(&s.b, &b.b, 0), kvImageNoError);
  same_rows(&a, &b);
  img_free(&s);
  img_free(&a);
  img_free(&b);
  /* floats */
  s = img_new(W, H, 4, 3);
  a = img_new(W, H, 1, 0);
  b = img_new(W, H, 1, 0);
  img_fill_random_f(&s, -0.5f, 1.5f);
  CHECK_EQ(vImageConvert_PlanarFtoPlanar8_dithered(&s.b, &a.b, 1.0f, 0.0f, none, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_PlanarFtoPlanar8(&s.b, &b.b, 1.0f, 0.0f, 0), kvImageNoError);
  same_rows(&a, &b);
  img_free(&s);
  img_free(&a);
  img_free(&b);
}

int main(void) {
  int valgrind = getenv("VIMAGE_TEST_UNDER_VALGRIND") != NULL;
  rng_seed(0xD17E);
  for (size_t k = 0; k < NCASES; k++) {
    for (size_t g = 0; g < NGEOMS; g++) run_case(&CASES[k], GEOMS[g]);
    if (!valgrind) run_case(&CASES[k], big_geom());
  }
  errors();
  none_equals_plain();
  return check_report();
}
