/*
 * Conversion.h depth and range conversions from C: every exported function of the family on
 * every geometry of ops_util.h, checked against a direct formula written here, out of place
 * and in place where Apple allows it (the error where it does not), with guard bytes; then the
 * error cases.
 */
#include "ops_util.h"

#include <math.h> /* macros only (isnan, signbit, NAN, INFINITY): the test links no libm */

/* libm-free helpers: 2^n, round to nearest even, floor, for the ranges used here. */
static double pow2(int n) {
  uint64_t b = (uint64_t)(n + 1023) << 52;
  double d;
  memcpy(&d, &b, 8);
  return d;
}
static double rint_(double v) { /* |v| < 2^51 */
  volatile double t = v + 0x1.8p52;
  return t - 0x1.8p52;
}
static double floor_(double v) { /* |v| < 2^62 */
  double t = (double)(long long)v;
  return t > v ? t - 1 : t;
}
static int exponent_of(double a) { /* a normal, > 0: a = 1.f * 2^e */
  uint64_t b;
  memcpy(&b, &a, 8);
  return (int)((b >> 52) & 0x7ff) - 1023;
}

/* ---- reference formulas ------------------------------------------------------------------- */

static float f_at(const uint8_t *p) { float f; memcpy(&f, p, 4); return f; }
static uint16_t u16_at(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static int16_t s16_at(const uint8_t *p) { int16_t v; memcpy(&v, p, 2); return v; }
static void put_f(uint8_t *p, float f) { memcpy(p, &f, 4); }
static void put_u16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put_s16(uint8_t *p, int16_t v) { memcpy(p, &v, 2); }
static uint32_t f_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

/* binary16 -> binary32 from the fields; NaN quieted with its payload. */
static uint32_t half_to_f_bits(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e == 31) return sign | 0x7f800000u | (m ? 0x400000u | (m << 13) : 0);
  double v = e == 0 ? (double)m * pow2(-24) : (1.0 + m / 1024.0) * pow2((int)e - 15);
  return sign | f_bits((float)v);
}
static double half_value(uint16_t h) {
  uint32_t b = half_to_f_bits(h);
  float f;
  memcpy(&f, &b, 4);
  return f;
}

/* Nearest binary16 to a non-NaN double, ties to even. */
static uint16_t to_half(double x) {
  uint16_t sign = signbit(x) ? 0x8000 : 0;
  double a = x < 0 ? -x : x;
  if (a >= 65520.0) return sign | 0x7c00;
  if (a < pow2(-14)) return sign | (uint16_t)rint_(a * pow2(24)); /* 1024 = smallest normal */
  int e = exponent_of(a);
  double m = rint_(a * pow2(10 - e));
  if (m == 2048.0) {
    m = 1024.0;
    e += 1;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | (uint16_t)((e + 15) << 10) | (uint16_t)((int)m - 1024);
}
static uint16_t f_to_half(float x) {
  if (isnan(x)) {
    uint32_t b = f_bits(x);
    return (uint16_t)(((b >> 16) & 0x8000) | 0x7e00 | ((b >> 13) & 0x3ff));
  }
  return to_half(x);
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* ---- one-to-one functions, table driven ----------------------------------------------------- */

typedef vImage_Error (*call_fn)(const vImage_Buffer *, const vImage_Buffer *, vImage_Flags);
typedef void (*ref_fn)(const uint8_t *src, uint8_t *dst, size_t w);

static float P_MAX = 1.0f, P_MIN = 0.0f, P_OFF = 0.0f, P_SCALE = 1.0f;

#define REF(name, in, out, body)                                             \
  static void name(const uint8_t *s, uint8_t *d, size_t w) {                 \
    for (size_t x = 0; x < w; x++) {                                         \
      const uint8_t *in_ = s + x * (in);                                     \
      uint8_t *out_ = d + x * (out);                                         \
      body;                                                                  \
    }                                                                        \
  }

REF(ref_8to16u, 1, 2, put_u16(out_, (uint16_t)(in_[0] * 257u)))
REF(ref_16uto8, 2, 1, out_[0] = (uint8_t)((u16_at(in_) * 255u + 32767u) / 65535u))
REF(ref_16ftof, 2, 4, { uint32_t b = half_to_f_bits(u16_at(in_)); memcpy(out_, &b, 4); })
REF(ref_fto16f, 4, 2, put_u16(out_, f_to_half(f_at(in_))))
REF(ref_8to16f, 1, 2, put_u16(out_, to_half(in_[0] / 255.0)))
REF(ref_16fto8, 2, 1, {
  double v = half_value(u16_at(in_));
  out_[0] = isnan(v) ? 0 : (uint8_t)rint_(clampd(255.0 * v, 0, 255));
})
REF(ref_16uto16f, 2, 2, put_u16(out_, to_half(u16_at(in_) / 65535.0)))
REF(ref_16fto16u, 2, 2, {
  double v = half_value(u16_at(in_));
  put_u16(out_, isnan(v) ? 0 : (uint16_t)rint_(clampd(65535.0 * v, 0, 65535)));
})
REF(ref_8to16q12, 1, 2, put_s16(out_, (int16_t)(((in_[0] << 12) + 127) / 255)))
REF(ref_16q12to8, 2, 1, {
  int v = s16_at(in_);
  v = v < 0 ? 0 : v > 4096 ? 4096 : v;
  out_[0] = (uint8_t)((v * 255 + 2048) >> 12);
})
REF(ref_16q12tof, 2, 4, put_f(out_, (float)s16_at(in_) / 4096.0f))
REF(ref_fto16q12, 4, 2, {
  float x = f_at(in_);
  put_s16(out_, isnan(x) ? 0 : (int16_t)rint_(clampd((double)x * 4096.0, -32768, 32767)));
})
REF(ref_16q12to16u, 2, 2, {
  long v = ((long)s16_at(in_) * 65535 + 2048) >> 12;
  put_u16(out_, (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v));
})
REF(ref_16uto16q12, 2, 2, put_s16(out_, (int16_t)((u16_at(in_) * 4096u + 32767u) / 65535u)))
REF(ref_8tof, 1, 4, {
  float r = (P_MAX - P_MIN) * (float)in_[0] / 255.0 + P_MIN; /* Apple's formula, as C evaluates it */
  put_f(out_, r);
})
REF(ref_fto8, 4, 1, {
  float v = 255.0f * (f_at(in_) - P_MIN) / (P_MAX - P_MIN) + 0.5f;
  out_[0] = isnan(v) ? 0 : v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)v;
})
REF(ref_16utof, 2, 4, put_f(out_, (float)u16_at(in_) * P_SCALE + P_OFF))
REF(ref_16stof, 2, 4, put_f(out_, (float)s16_at(in_) * P_SCALE + P_OFF))
REF(ref_fto16u, 4, 2, {
  float v = (f_at(in_) - P_OFF) / P_SCALE + 0.5f;
  put_u16(out_, isnan(v) ? 0 : v <= 0 ? 0 : v >= 65535 ? 65535 : (uint16_t)v);
})
REF(ref_fto16s, 4, 2, {
  float v = (f_at(in_) - P_OFF) / P_SCALE + 0.5f;
  put_s16(out_, isnan(v) ? 0 : (int16_t)floor_(clampd(v, -32768, 32767)));
})

static vImage_Error c_8tof(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_Planar8toPlanarF(s, d, P_MAX, P_MIN, f);
}
static vImage_Error c_fto8(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_PlanarFtoPlanar8(s, d, P_MAX, P_MIN, f);
}
static vImage_Error c_16utof(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_16UToF(s, d, P_OFF, P_SCALE, f);
}
static vImage_Error c_16stof(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_16SToF(s, d, P_OFF, P_SCALE, f);
}
static vImage_Error c_fto16u(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_FTo16U(s, d, P_OFF, P_SCALE, f);
}
static vImage_Error c_fto16s(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_FTo16S(s, d, P_OFF, P_SCALE, f);
}

enum { NOT_IN_PLACE, IN_PLACE };
enum { FILL_BYTES, FILL_FLOATS };

typedef struct {
  const char *name;
  call_fn f;
  ref_fn ref;
  size_t in, out; /* bytes per pixel */
  int in_place, fill;
} case_t;

static const case_t CASES[] = {
    {"Planar8To16U", vImageConvert_Planar8To16U, ref_8to16u, 1, 2, NOT_IN_PLACE, FILL_BYTES},
    {"16UToPlanar8", vImageConvert_16UToPlanar8, ref_16uto8, 2, 1, IN_PLACE, FILL_BYTES},
    {"Planar16FtoPlanarF", vImageConvert_Planar16FtoPlanarF, ref_16ftof, 2, 4, NOT_IN_PLACE, FILL_BYTES},
    {"PlanarFtoPlanar16F", vImageConvert_PlanarFtoPlanar16F, ref_fto16f, 4, 2, IN_PLACE, FILL_BYTES},
    {"Planar8toPlanar16F", vImageConvert_Planar8toPlanar16F, ref_8to16f, 1, 2, IN_PLACE, FILL_BYTES},
    {"Planar16FtoPlanar8", vImageConvert_Planar16FtoPlanar8, ref_16fto8, 2, 1, IN_PLACE, FILL_BYTES},
    {"16Uto16F", vImageConvert_16Uto16F, ref_16uto16f, 2, 2, IN_PLACE, FILL_BYTES},
    {"16Fto16U", vImageConvert_16Fto16U, ref_16fto16u, 2, 2, IN_PLACE, FILL_BYTES},
    {"8to16Q12", vImageConvert_8to16Q12, ref_8to16q12, 1, 2, NOT_IN_PLACE, FILL_BYTES},
    {"16Q12to8", vImageConvert_16Q12to8, ref_16q12to8, 2, 1, IN_PLACE, FILL_BYTES},
    {"16Q12toF", vImageConvert_16Q12toF, ref_16q12tof, 2, 4, NOT_IN_PLACE, FILL_BYTES},
    {"Fto16Q12", vImageConvert_Fto16Q12, ref_fto16q12, 4, 2, IN_PLACE, FILL_FLOATS},
    {"16Q12to16U", vImageConvert_16Q12to16U, ref_16q12to16u, 2, 2, IN_PLACE, FILL_BYTES},
    {"16Uto16Q12", vImageConvert_16Uto16Q12, ref_16uto16q12, 2, 2, IN_PLACE, FILL_BYTES},
    {"Planar8toPlanarF", c_8tof, ref_8tof, 1, 4, NOT_IN_PLACE, FILL_BYTES},
    {"PlanarFtoPlanar8", c_fto8, ref_fto8, 4, 1, IN_PLACE, FILL_FLOATS},
    {"16UToF", c_16utof, ref_16utof, 2, 4, NOT_IN_PLACE, FILL_BYTES},
    {"16SToF", c_16stof, ref_16stof, 2, 4, NOT_IN_PLACE, FILL_BYTES},
    {"FTo16U", c_fto16u, ref_fto16u, 4, 2, IN_PLACE, FILL_FLOATS},
    {"FTo16S", c_fto16s, ref_fto16s, 4, 2, IN_PLACE, FILL_FLOATS},
};
#define NCASES (sizeof CASES / sizeof CASES[0])

/* Floats near the interesting ranges, with specials sprinkled in. */
static void fill_floats(img_t *m, float lo, float hi) {
  static const float specials[] = {0.0f, -0.0f, 1.0f, 0.5f, INFINITY, -INFINITY, NAN, 65535.5f, -32768.5f, 1e9f};
  img_fill_random_f(m, lo, hi);
  for (size_t y = 0; y < m->b.height; y++)
    for (size_t x = 0; x < m->b.width * m->bpp / 4; x += 3)
      put_f(img_px(m, 0, y) + 4 * x, specials[rng() % (sizeof specials / sizeof specials[0])]);
}

static void run_case(const case_t *c, geom_t G, float lo, float hi) {
  size_t in_row = G.w * c->in, out_row = G.w * c->out;
  size_t rb = (in_row > out_row ? in_row : out_row) + G.pad;
  img_t s = img_new(G.w, G.h, c->in, rb - in_row), d = img_new(G.w, G.h, c->out, G.pad + 1);
  if (c->fill == FILL_FLOATS)
    fill_floats(&s, lo, hi);
  else
    img_fill_random(&s);
  uint8_t *want = (uint8_t *)malloc(out_row ? out_row : 1);
  CHECK_EQ(c->f(&s.b, &d.b, kvImageNoFlags), kvImageNoError);
  int ok = 1;
  for (size_t y = 0; y < G.h; y++) {
    c->ref(img_px(&s, 0, y), want, G.w);
    if (memcmp(want, img_px(&d, 0, y), out_row) != 0) {
      ok = 0;
      for (size_t i = 0; i < out_row; i++)
        if (want[i] != img_px(&d, 0, y)[i]) {
          fprintf(stderr, "%s: %zux%zu row %zu byte %zu: want %#x got %#x\n", c->name, G.w, G.h, y, i,
                  want[i], img_px(&d, 0, y)[i]);
          break;
        }
    }
  }
  CHECK(ok);
  CHECK(img_guards_ok(&d));
  /* In place: the same bytes where Apple allows it, kvImageInvalidParameter where it does not. */
  vImage_Buffer ip = s.b;
  if (c->in_place == IN_PLACE) {
    CHECK_EQ(c->f(&s.b, &ip, kvImageDoNotTile), kvImageNoError);
    for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), out_row);
  } else {
    CHECK_EQ(c->f(&s.b, &ip, kvImageNoFlags), kvImageInvalidParameter);
  }
  /* Guards of the source image: in place wrote only its rows. */
  for (size_t i = 0; i < GUARD_BYTES; i++) CHECK(s.base[i] == GUARD && s.base[s.size - 1 - i] == GUARD);
  free(want);
  img_free(&s);
  img_free(&d);
}

static void one_to_one(void) {
  static const float ranges[][2] = {{1.0f, 0.0f}, {2.0f, -1.0f}, {0.0f, 1.0f}, {255.0f, 0.0f}};
  static const float affine[][2] = {{0.0f, 1.0f}, {0.0f, 1.0f / 65535.0f}, {-3.5f, 0.25f}};
  for (size_t c = 0; c < NCASES; c++)
    for (size_t g = 0; g < NGEOMS; g++) {
      for (size_t r = 0; r < 4; r++) {
        P_MAX = ranges[r][0];
        P_MIN = ranges[r][1];
        P_OFF = affine[r % 3][0];
        P_SCALE = affine[r % 3][1];
        run_case(&CASES[c], GEOMS[g], -0.2f, 1.2f);
      }
    }
  if (getenv("VIMAGE_TEST_UNDER_VALGRIND") == NULL)
    for (size_t c = 0; c < NCASES; c++) run_case(&CASES[c], big_geom(), -0.2f, 1.2f);
}

/* ---- 12-bit packed ------------------------------------------------------------------------- */

static void twelve_bit(void) {
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    size_t row12 = (G.w * 12 + 7) / 8;
    /* img_t with 1-byte pixels of row12 "pixels" holds the packed rows. */
    img_t s = img_new(row12, G.h, 1, G.pad), d = img_new(G.w, G.h, 2, G.pad);
    img_fill_random(&s);
    vImage_Buffer sb = s.b;
    sb.width = G.w;
    CHECK_EQ(vImageConvert_12UTo16U(&sb, &d.b, kvImageNoFlags), kvImageNoError);
    int ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        const uint8_t *p = img_px(&s, 3 * (x / 2), y);
        uint32_t t = x % 2 == 0 ? ((uint32_t)p[0] << 4) | (p[1] >> 4) : ((uint32_t)(p[1] & 0xf) << 8) | p[2];
        ok &= u16_at(img_px(&d, x, y)) == (uint16_t)((t * 65535u + (t << 4) + 2055u) >> 12);
      }
    CHECK(ok);
    CHECK(img_guards_ok(&d));
    /* Back: 16U -> 12U into a fresh packed image (the odd sample keeps the low nibble). */
    img_t back = img_new(row12, G.h, 1, G.pad);
    vImage_Buffer bb = back.b;
    bb.width = G.w;
    img_fill_random(&d);
    CHECK_EQ(vImageConvert_16UTo12U(&d.b, &bb, kvImageNoFlags), kvImageNoError);
    ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        uint32_t v = u16_at(img_px(&d, x, y)), t = (v * 4095u + 32767u + (v >> 4)) >> 16;
        const uint8_t *p = img_px(&back, 3 * (x / 2), y);
        uint32_t got = x % 2 == 0 ? ((uint32_t)p[0] << 4) | (p[1] >> 4) : ((uint32_t)(p[1] & 0xf) << 8) | p[2];
        ok &= got == t;
        if (x % 2 == 0 && x + 1 == G.w) ok &= (p[1] & 0xf) == (GUARD & 0xf);
      }
    CHECK(ok);
    CHECK(img_guards_ok(&back));
    /* Not in place. */
    CHECK_EQ(vImageConvert_16UTo12U(&d.b, &d.b, kvImageNoFlags), kvImageInvalidParameter);
    img_free(&s);
    img_free(&d);
    img_free(&back);
  }
}

/* ---- planes <-> interleaved with ranges ------------------------------------------------------ */

static uint8_t rint8(float x, float max, float min) {
  if (max == min) {
    float v = 255.0f * max;
    return isnan(v) ? 0 : (uint8_t)rint_(v < 0 ? 0 : v > 255 ? 255 : v);
  }
  if (isnan(x)) return 0;
  float lo = min < max ? min : max, hi = min < max ? max : min;
  float c = x < lo ? lo : x > hi ? hi : x;
  float k = 255.0f / (max - min), b = -min * k;
  float v = c * k + b;
  return (uint8_t)rint_(v < 0 ? 0 : v > 255 ? 255 : v);
}
static float to_f(uint8_t p, float max, float min) { return (max - min) * (float)p / 255.0 + min; }

static void planes_interleaved(void) {
  const Pixel_FFFF maxs = {1.0f, 2.0f, 0.0f, 0.5f}, mins = {0.0f, -1.0f, 1.0f, 0.5f};
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    img_t p8[4], pf[4], i8 = img_new(G.w, G.h, 4, G.pad), iff = img_new(G.w, G.h, 16, G.pad + 4);
    vImage_Buffer b8[4], bf[4];
    for (int c = 0; c < 4; c++) {
      p8[c] = img_new(G.w, G.h, 1, G.pad + (size_t)c);
      pf[c] = img_new(G.w, G.h, 4, G.pad);
      img_fill_random(&p8[c]);
      fill_floats(&pf[c], -0.2f, 1.2f);
      b8[c] = p8[c].b;
      bf[c] = pf[c].b;
    }
    int ok = 1;
    /* Planar8 -> ARGBFFFF / XRGBFFFF / BGRXFFFF. */
    CHECK_EQ(vImageConvert_Planar8ToARGBFFFF(&b8[0], &b8[1], &b8[2], &b8[3], &iff.b, maxs, mins, 0), kvImageNoError);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++)
        for (int c = 0; c < 4; c++)
          ok &= f_bits(f_at(img_px(&iff, x, y) + 4 * c)) == f_bits(to_f(img_px(&p8[c], x, y)[0], maxs[c], mins[c]));
    CHECK(ok);
    CHECK(img_guards_ok(&iff));
    CHECK_EQ(vImageConvert_Planar8ToXRGBFFFF(0.75f, &b8[1], &b8[2], &b8[3], &iff.b, maxs, mins, 0), kvImageNoError);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        ok &= f_at(img_px(&iff, x, y)) == 0.75f;
        for (int c = 1; c < 4; c++)
          ok &= f_bits(f_at(img_px(&iff, x, y) + 4 * c)) == f_bits(to_f(img_px(&p8[c], x, y)[0], maxs[c], mins[c]));
      }
    CHECK(ok);
    CHECK_EQ(vImageConvert_Planar8ToBGRXFFFF(&b8[0], &b8[1], &b8[2], -2.0f, &iff.b, maxs, mins, 0), kvImageNoError);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        ok &= f_at(img_px(&iff, x, y) + 12) == -2.0f;
        for (int c = 0; c < 3; c++)
          ok &= f_bits(f_at(img_px(&iff, x, y) + 4 * c)) == f_bits(to_f(img_px(&p8[c], x, y)[0], maxs[c], mins[c]));
      }
    CHECK(ok);
    /* The RGBX macro is BGRX with the planes in the other order. */
    CHECK_EQ(vImageConvert_Planar8ToRGBXFFFF(&b8[0], &b8[1], &b8[2], 1.0f, &iff.b, maxs, mins, 0), kvImageNoError);
    CHECK(img_guards_ok(&iff));

    /* PlanarF -> ARGB8888 / XRGB8888 / BGRX8888, and PlanarF -> XRGB in place over the red plane. */
    CHECK_EQ(vImageConvert_PlanarFToARGB8888(&bf[0], &bf[1], &bf[2], &bf[3], &i8.b, maxs, mins, 0), kvImageNoError);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++)
        for (int c = 0; c < 4; c++)
          ok &= img_px(&i8, x, y)[c] == rint8(f_at(img_px(&pf[c], x, y)), maxs[c], mins[c]);
    CHECK(ok);
    CHECK(img_guards_ok(&i8));
    CHECK_EQ(vImageConvert_PlanarFToXRGB8888(9, &bf[1], &bf[2], &bf[3], &i8.b, maxs, mins, 0), kvImageNoError);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        ok &= img_px(&i8, x, y)[0] == 9;
        for (int c = 1; c < 4; c++) ok &= img_px(&i8, x, y)[c] == rint8(f_at(img_px(&pf[c], x, y)), maxs[c], mins[c]);
      }
    CHECK(ok);
    CHECK_EQ(vImageConvert_PlanarFToBGRX8888(&bf[0], &bf[1], &bf[2], 200, &i8.b, maxs, mins, 0), kvImageNoError);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        ok &= img_px(&i8, x, y)[3] == 200;
        for (int c = 0; c < 3; c++) ok &= img_px(&i8, x, y)[c] == rint8(f_at(img_px(&pf[c], x, y)), maxs[c], mins[c]);
      }
    CHECK(ok);
    CHECK_EQ(vImageConvert_PlanarFToRGBX8888(&bf[0], &bf[1], &bf[2], 200, &i8.b, maxs, mins, 0), kvImageNoError);
    CHECK(img_guards_ok(&i8));
    {
      /* In place (IP-B): the destination starts at the first plane with the same rowBytes. */
      uint8_t *want = (uint8_t *)malloc(G.w * G.h * 4);
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++)
          for (int c = 0; c < 4; c++) want[(y * G.w + x) * 4 + c] = rint8(f_at(img_px(&pf[c], x, y)), maxs[c], mins[c]);
      vImage_Buffer over = bf[0];
      CHECK_EQ(vImageConvert_PlanarFToARGB8888(&bf[0], &bf[1], &bf[2], &bf[3], &over, maxs, mins, kvImageDoNotTile),
               kvImageNoError);
      for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&pf[0], 0, y), want + y * G.w * 4, G.w * 4);
      free(want);
    }

    /* ARGB8888 -> PlanarF and ARGBFFFF -> Planar8 (de-interleaving with ranges). */
    img_fill_random(&i8);
    fill_floats(&iff, -0.2f, 1.2f);
    CHECK_EQ(vImageConvert_ARGB8888toPlanarF(&i8.b, &bf[0], &bf[1], &bf[2], &bf[3], maxs, mins, 0), kvImageNoError);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++)
        for (int c = 0; c < 4; c++)
          ok &= f_bits(f_at(img_px(&pf[c], x, y))) == f_bits(to_f(img_px(&i8, x, y)[c], maxs[c], mins[c]));
    CHECK(ok);
    CHECK_EQ(vImageConvert_ARGBFFFFtoPlanar8(&iff.b, &b8[0], &b8[1], &b8[2], &b8[3], maxs, mins, 0), kvImageNoError);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++)
        for (int c = 0; c < 4; c++) ok &= img_px(&p8[c], x, y)[0] == rint8(f_at(img_px(&iff, x, y) + 4 * c), maxs[c], mins[c]);
    CHECK(ok);
    for (int c = 0; c < 4; c++) {
      CHECK(img_guards_ok(&p8[c]));
      CHECK(img_guards_ok(&pf[c]));
    }
    /* Errors: NULL ranges, a plane of another size, a destination larger than a source. */
    CHECK_EQ(vImageConvert_PlanarFToARGB8888(&bf[0], &bf[1], &bf[2], &bf[3], &i8.b, NULL, mins, 0), kvImageNullPointerArgument);
    CHECK_EQ(vImageConvert_Planar8ToXRGBFFFF(0, &b8[1], &b8[2], &b8[3], &iff.b, maxs, NULL, 0), kvImageNullPointerArgument);
    CHECK_EQ(vImageConvert_Planar8ToARGBFFFF(NULL, &b8[1], &b8[2], &b8[3], &iff.b, maxs, mins, 0), kvImageNullPointerArgument);
    vImage_Buffer narrow = b8[2];
    narrow.width = G.w + 1;
    CHECK_EQ(vImageConvert_ARGBFFFFtoPlanar8(&iff.b, &b8[0], &b8[1], &narrow, &b8[3], maxs, mins, 0), kvImageBufferSizeMismatch);
    vImage_Buffer wide = i8.b;
    wide.height = G.h + 1;
    CHECK_EQ(vImageConvert_PlanarFToBGRX8888(&bf[0], &bf[1], &bf[2], 0, &wide, maxs, mins, 0), kvImageRoiLargerThanInputBuffer);
    CHECK_EQ(vImageConvert_Planar8ToARGBFFFF(&b8[0], &b8[1], &b8[2], &b8[3], &iff.b, maxs, mins, 1u << 20), kvImageUnknownFlagsBit);
    CHECK_EQ(vImageConvert_Planar8ToARGBFFFF(&b8[0], &b8[1], &b8[2], &b8[3], &iff.b, maxs, mins, kvImageGetTempBufferSize), 0);
    for (int c = 0; c < 4; c++) {
      img_free(&p8[c]);
      img_free(&pf[c]);
    }
    img_free(&i8);
    img_free(&iff);
  }
}

/* ---- combined depth + permute + mask ------------------------------------------------------- */

static void permute_mask(void) {
  static const uint8_t maps[][4] = {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 2, 3, 0}, {0, 0, 3, 3}};
  const Pixel_8888 bg8 = {10, 20, 30, 40};
  const Pixel_ARGB_16U bg16 = {1000, 2000, 3000, 4000};
  for (size_t g = 0; g < NGEOMS; g++)
    for (size_t m = 0; m < sizeof maps / sizeof maps[0]; m++)
      for (uint8_t mask = 0; mask < 16; mask += 5) {
        const geom_t G = GEOMS[g];
        const uint8_t *map = maps[m];
        img_t s16 = img_new(G.w, G.h, 8, G.pad), s48 = img_new(G.w, G.h, 6, G.pad), s8 = img_new(G.w, G.h, 4, G.pad);
        img_t d8 = img_new(G.w, G.h, 4, G.pad + 2), d16 = img_new(G.w, G.h, 8, G.pad), d48 = img_new(G.w, G.h, 6, G.pad);
        img_fill_random(&s16);
        img_fill_random(&s48);
        img_fill_random(&s8);
        int ok = 1;
        CHECK_EQ(vImageConvert_ARGB16UToARGB8888(&s16.b, &d8.b, map, mask, bg8, 0), kvImageNoError);
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++)
            for (int i = 0; i < 4; i++) {
              uint32_t v = u16_at(img_px(&s16, x, y) + 2 * map[i]);
              ok &= img_px(&d8, x, y)[i] == ((mask & (0x8 >> i)) ? bg8[i] : (uint8_t)((v * 255 + 32767) / 65535));
            }
        CHECK(ok);
        CHECK(img_guards_ok(&d8));
        CHECK_EQ(vImageConvert_RGB16UToARGB8888(&s48.b, &d8.b, map, mask, bg8, 0), kvImageNoError);
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++)
            for (int i = 0; i < 4; i++) {
              uint8_t v = map[i] == 0 ? 255 : (uint8_t)((u16_at(img_px(&s48, x, y) + 2 * (map[i] - 1)) * 255u + 32767u) / 65535u);
              ok &= img_px(&d8, x, y)[i] == ((mask & (0x8 >> i)) ? bg8[i] : v);
            }
        CHECK(ok);
        CHECK(img_guards_ok(&d8));
        CHECK_EQ(vImageConvert_ARGB8888ToARGB16U(&s8.b, &d16.b, map, mask, bg16, 0), kvImageNoError);
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++)
            for (int i = 0; i < 4; i++)
              ok &= u16_at(img_px(&d16, x, y) + 2 * i) == ((mask & (0x8 >> i)) ? bg16[i] : img_px(&s8, x, y)[map[i]] * 257u);
        CHECK(ok);
        CHECK(img_guards_ok(&d16));
        uint8_t mask3 = mask & 7;
        CHECK_EQ(vImageConvert_ARGB8888ToRGB16U(&s8.b, &d48.b, map, mask3, bg16, 0), kvImageNoError);
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++)
            for (int i = 0; i < 3; i++)
              ok &= u16_at(img_px(&d48, x, y) + 2 * i) == ((mask3 & (0x4 >> i)) ? bg16[i] : img_px(&s8, x, y)[map[i]] * 257u);
        CHECK(ok);
        CHECK(img_guards_ok(&d48));
        /* The 16 -> 8 ones work in place (same start and rowBytes): same bytes. */
        vImage_Buffer ip = s16.b;
        CHECK_EQ(vImageConvert_ARGB16UToARGB8888(&s16.b, &ip, map, mask, bg8, kvImageDoNotTile), kvImageNoError);
        CHECK_EQ(vImageConvert_RGB16UToARGB8888(&s48.b, &d8.b, map, mask, bg8, 0), kvImageNoError); /* d8 again */
        ip = s48.b;
        CHECK_EQ(vImageConvert_RGB16UToARGB8888(&s48.b, &ip, map, mask, bg8, 0), kvImageNoError);
        for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&s48, 0, y), img_px(&d8, 0, y), G.w * 4);
        img_free(&s16);
        img_free(&s48);
        img_free(&s8);
        img_free(&d8);
        img_free(&d16);
        img_free(&d48);
      }
  /* Errors. */
  img_t s = img_new(4, 4, 8, 0), d = img_new(4, 4, 4, 0), big = img_new(5, 4, 4, 0);
  const uint8_t id[4] = {0, 1, 2, 3}, bad[4] = {0, 1, 2, 4};
  CHECK_EQ(vImageConvert_ARGB16UToARGB8888(&s.b, &d.b, bad, 0, bg8, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGB16UToARGB8888(&s.b, &d.b, id, 16, bg8, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGB16UToARGB8888(&s.b, &d.b, id, 0, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_ARGB16UToARGB8888(&s.b, &d.b, NULL, 0, bg8, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_ARGB16UToARGB8888(&s.b, &big.b, id, 0, bg8, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageConvert_RGB16UToARGB8888(&s.b, &d.b, id, 0, bg8, 1u << 20), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageConvert_ARGB8888ToARGB16U(&d.b, &s.b, id, 0, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_ARGB8888ToRGB16U(&d.b, &s.b, id, 8, bg16, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGB8888ToARGB16U(&d.b, &s.b, id, 0, bg16, kvImageGetTempBufferSize), 0);
  CHECK(img_guards_ok(&s));
  CHECK(img_guards_ok(&big));
  img_free(&s);
  img_free(&d);
  img_free(&big);
}

static void errors(void) {
  img_t s = img_new(8, 4, 4, 0), d = img_new(9, 4, 4, 0);
  CHECK_EQ(vImageConvert_Planar16FtoPlanarF(NULL, &d.b, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_16Uto16F(&s.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_PlanarFtoPlanar8(&s.b, &d.b, 1, 0, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageConvert_FTo16S(&s.b, &s.b, 0, 1, 1u << 20), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageConvert_Planar8toPlanarF(&s.b, &s.b, 1, 0, kvImageGetTempBufferSize), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_16Q12to8(&s.b, &s.b, kvImageGetTempBufferSize | kvImagePrintDiagnosticsToConsole), 0);
  vImage_Buffer nul = s.b;
  nul.data = NULL;
  CHECK_EQ(vImageConvert_12UTo16U(&nul, &s.b, 0), kvImageNullPointerArgument);
  CHECK(img_guards_ok(&d));
  img_free(&s);
  img_free(&d);
}

int main(void) {
  one_to_one();
  twelve_bit();
  planes_interleaved();
  permute_mask();
  errors();
  return check_report();
}
