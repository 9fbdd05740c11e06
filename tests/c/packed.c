/*
 * Conversion.h packed formats from C: RGB565 / ARGB1555 / RGBA5551, XRGB2101010 / ARGB2101010 /
 * RGBA1010102, and 1-, 2- and 4-bit planar and indexed pixels. Every function runs on every
 * geometry of ops_util.h, out of place and in place where it may (refused where it may not),
 * checked against the documented formula written here, with guard bytes; then the errors.
 */
#include "ops_util.h"

#include <math.h>
#include <stdio.h>

/* ---- the documented formulas ---- */
static int w5(unsigned v) { return (int)((v * 255 + 15) / 31); }
static int w6(unsigned v) { return (int)((v * 255 + 31) / 63); }
static unsigned n5(unsigned c) { return (c * 31 + 127) / 255; }
static unsigned n6(unsigned c) { return (c * 63 + 127) / 255; }
static unsigned n1(unsigned a) { return (a + 127) / 255; }
static unsigned rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static float rdf(const uint8_t *p) { float v; memcpy(&v, p, 4); return v; }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

#define RMIN 64
#define RMAX 940
static const uint8_t MAP[4] = {3, 1, 0, 2};

static int dec10(int v, int m) {
  int r = RMAX - RMIN, x = ((v - RMIN) * m + (r >> 1)) / r;
  return x < 0 ? 0 : x > m ? m : x;
}
static unsigned enc10(unsigned c, unsigned m) { return (c * (RMAX - RMIN) + m / 2) / m + RMIN; }
static unsigned encf(float c) {
  c = c < 0.0f ? 0.0f : c > 1.0f ? 1.0f : c;
  return (unsigned)(int)(c * (float)(RMAX - RMIN) + 0.5f) + RMIN;
}

/* ---- one function of the (src, dest) shape, behind a uniform adapter ---- */
typedef vImage_Error (*fn_t)(const vImage_Buffer *, const vImage_Buffer *, vImage_Flags);
typedef int (*check_t)(const uint8_t *s, const uint8_t *d);
typedef struct {
  const char *name;
  fn_t f;
  size_t in_bpp, out_bpp;
  int in_place;
  check_t check;
} case_t;

/* 565 -> 8888 (constant alpha 0x5A) */
static vImage_Error a_565_argb(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_RGB565toARGB8888(0x5A, s, d, f); }
static vImage_Error a_565_rgba(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_RGB565toRGBA8888(0x5A, s, d, f); }
static vImage_Error a_565_bgra(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_RGB565toBGRA8888(0x5A, s, d, f); }
static int c_565_x(const uint8_t *s, const uint8_t *d, int r, int g, int b, int a) {
  unsigned v = rd16(s);
  return d[r] == w5(v >> 11) && d[g] == w6((v >> 5) & 63) && d[b] == w5(v & 31) && d[a] == 0x5A;
}
static int c_565_argb(const uint8_t *s, const uint8_t *d) { return c_565_x(s, d, 1, 2, 3, 0); }
static int c_565_rgba(const uint8_t *s, const uint8_t *d) { return c_565_x(s, d, 0, 1, 2, 3); }
static int c_565_bgra(const uint8_t *s, const uint8_t *d) { return c_565_x(s, d, 2, 1, 0, 3); }
static int c_565_888(const uint8_t *s, const uint8_t *d) {
  unsigned v = rd16(s);
  return d[0] == w5(v >> 11) && d[1] == w6((v >> 5) & 63) && d[2] == w5(v & 31);
}
/* 8888 -> 565 */
static int c_x_565(const uint8_t *s, const uint8_t *d, int r, int g, int b) { return rd16(d) == (n5(s[r]) << 11 | n6(s[g]) << 5 | n5(s[b])); }
static int c_argb_565(const uint8_t *s, const uint8_t *d) { return c_x_565(s, d, 1, 2, 3); }
static int c_rgba_565(const uint8_t *s, const uint8_t *d) { return c_x_565(s, d, 0, 1, 2); }
static int c_bgra_565(const uint8_t *s, const uint8_t *d) { return c_x_565(s, d, 2, 1, 0); }
/* 1555 / 5551 */
static int c_1555_8888(const uint8_t *s, const uint8_t *d) {
  unsigned v = rd16(s);
  return d[0] == (v >> 15) * 255 && d[1] == w5((v >> 10) & 31) && d[2] == w5((v >> 5) & 31) && d[3] == w5(v & 31);
}
static int c_5551_8888(const uint8_t *s, const uint8_t *d) {
  unsigned v = rd16(s);
  return d[3] == (v & 1) * 255 && d[0] == w5(v >> 11) && d[1] == w5((v >> 6) & 31) && d[2] == w5((v >> 1) & 31);
}
static int c_8888_1555(const uint8_t *s, const uint8_t *d) { return rd16(d) == (n1(s[0]) << 15 | n5(s[1]) << 10 | n5(s[2]) << 5 | n5(s[3])); }
static int c_8888_5551(const uint8_t *s, const uint8_t *d) { return rd16(d) == (n5(s[0]) << 11 | n5(s[1]) << 6 | n5(s[2]) << 1 | n1(s[3])); }
static vImage_Error a_bgra5551_8888(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_BGRA5551toBGRA8888(s, d, f); }
static vImage_Error a_bgra8888_5551(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_BGRA8888toBGRA5551(s, d, f); }
static int c_5551_565(const uint8_t *s, const uint8_t *d) {
  unsigned v = rd16(s), g = (v >> 6) & 31;
  return rd16(d) == ((v >> 11) << 11 | ((g * 63 + 15) / 31) << 5 | ((v >> 1) & 31));
}
static int c_1555_565(const uint8_t *s, const uint8_t *d) {
  unsigned v = rd16(s), g = (v >> 5) & 31;
  return rd16(d) == (((v >> 10) & 31) << 11 | ((g * 63 + 15) / 31) << 5 | (v & 31));
}
static vImage_Error a_565_5551(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_RGB565toRGBA5551(s, d, kvImageConvert_DitherNone, f); }
static vImage_Error a_565_1555(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_RGB565toARGB1555(s, d, kvImageConvert_DitherNone, f); }
static int c_565_5551(const uint8_t *s, const uint8_t *d) {
  unsigned v = rd16(s), g5 = (((v >> 5) & 63) * 31 + 31) / 63;
  return rd16(d) == ((v >> 11) << 11 | g5 << 6 | (v & 31) << 1 | 1);
}
static int c_565_1555(const uint8_t *s, const uint8_t *d) {
  unsigned v = rd16(s), g5 = (((v >> 5) & 63) * 31 + 31) / 63;
  return rd16(d) == (1u << 15 | (v >> 11) << 10 | g5 << 5 | (v & 31));
}

/* ---- 10-bit: range 64...940, permuteMap {3, 1, 0, 2} ---- */
/* Decoders: dest[i] = ARGB[MAP[i]]. */
static void fields(uint32_t w, int fmt, int f[4]) { /* fmt 0 XRGB, 1 ARGB2101010 (LE words), 2 RGBA1010102 (BE) */
  if (fmt < 2) {
    f[0] = (int)(w >> 30); f[1] = (int)((w >> 20) & 1023); f[2] = (int)((w >> 10) & 1023); f[3] = (int)(w & 1023);
  } else {
    f[0] = (int)(w & 3); f[1] = (int)(w >> 22); f[2] = (int)((w >> 12) & 1023); f[3] = (int)((w >> 2) & 1023);
  }
}
static int c_dec(const uint8_t *s, const uint8_t *d, int fmt, int m, int alpha) {
  int f[4], argb[4];
  fields(fmt == 2 ? be32(s) : rd32(s), fmt, f);
  argb[0] = fmt == 0 ? alpha : (f[0] * m + 1) / 3;
  for (int c = 1; c < 4; c++) argb[c] = dec10(f[c], m);
  for (int i = 0; i < 4; i++) {
    int got = m == 255 ? d[i] : (int)rd16(d + 2 * i);
    if (got != argb[MAP[i]]) return 0;
  }
  return 1;
}
static int c_decf(const uint8_t *s, const uint8_t *d, int fmt) {
  int f[4];
  float argb[4];
  fields(rd32(s), fmt, f);
  argb[0] = fmt == 0 ? 0.25f : (float)f[0] / 3.0f;
  for (int c = 1; c < 4; c++) {
    float x = (float)(f[c] - RMIN) / (float)(RMAX - RMIN);
    argb[c] = x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x;
  }
  for (int i = 0; i < 4; i++)
    if (memcmp(d + 4 * i, &argb[MAP[i]], 4) != 0) return 0;
  return 1;
}
#define DEC(NAME, CALL, FMT, M, ALPHA)                                                               \
  static vImage_Error a_##NAME(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return CALL; } \
  static int c_##NAME(const uint8_t *s, const uint8_t *d) { return c_dec(s, d, FMT, M, ALPHA); }
DEC(x8, vImageConvert_XRGB2101010ToARGB8888(s, 0x77, d, RMIN, RMAX, MAP, f), 0, 255, 0x77)
DEC(a8, vImageConvert_ARGB2101010ToARGB8888(s, d, RMIN, RMAX, MAP, f), 1, 255, 0)
DEC(r8, vImageConvert_RGBA1010102ToARGB8888(s, d, RMIN, RMAX, MAP, f), 2, 255, 0)
DEC(x16, vImageConvert_XRGB2101010ToARGB16U(s, 0x7777, d, RMIN, RMAX, MAP, f), 0, 65535, 0x7777)
DEC(a16, vImageConvert_ARGB2101010ToARGB16U(s, d, RMIN, RMAX, MAP, f), 1, 65535, 0)
DEC(r16, vImageConvert_RGBA1010102ToARGB16U(s, d, RMIN, RMAX, MAP, f), 2, 65535, 0)
static vImage_Error a_xf(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_XRGB2101010ToARGBFFFF(s, 0.25f, d, RMIN, RMAX, MAP, f); }
static int c_xf(const uint8_t *s, const uint8_t *d) { return c_decf(s, d, 0); }
static vImage_Error a_af(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_ARGB2101010ToARGBFFFF(s, d, RMIN, RMAX, MAP, f); }
static int c_af(const uint8_t *s, const uint8_t *d) { return c_decf(s, d, 1); }

/* Encoders: A = src[MAP[0]], R = src[MAP[1]], ... */
static int c_enc(const uint8_t *s, const uint8_t *d, int fmt, unsigned m) {
  unsigned ch[4];
  for (int i = 0; i < 4; i++) {
    unsigned k = MAP[i];
    ch[i] = m == 255 ? s[k] : rd16(s + 2 * k);
  }
  unsigned a = (ch[0] * 3 + m / 2) / m, r = enc10(ch[1], m), g = enc10(ch[2], m), b = enc10(ch[3], m);
  if (fmt == 0) return rd32(d) == (r << 20 | g << 10 | b);
  if (fmt == 1) return rd32(d) == (a << 30 | r << 20 | g << 10 | b);
  return be32(d) == (r << 22 | g << 12 | b << 2 | a);
}
static int c_encf(const uint8_t *s, const uint8_t *d, int fmt) {
  float ch[4];
  for (int i = 0; i < 4; i++) ch[i] = rdf(s + 4 * MAP[i]);
  int a = (int)(ch[0] * 3.0f + 0.5f);
  a = a < 0 ? 0 : a > 3 ? 3 : a;
  unsigned r = encf(ch[1]), g = encf(ch[2]), b = encf(ch[3]);
  return rd32(d) == ((fmt ? (unsigned)a << 30 : 0) | r << 20 | g << 10 | b);
}
#define ENC(NAME, FN, FMT, M)                                                                        \
  static vImage_Error a_##NAME(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return FN(s, d, RMIN, RMAX, MAP, f); } \
  static int c_##NAME(const uint8_t *s, const uint8_t *d) { return c_enc(s, d, FMT, M); }
ENC(e8x, vImageConvert_ARGB8888ToXRGB2101010, 0, 255)
ENC(e8a, vImageConvert_ARGB8888ToARGB2101010, 1, 255)
ENC(e8r, vImageConvert_ARGB8888ToRGBA1010102, 2, 255)
ENC(e16x, vImageConvert_ARGB16UToXRGB2101010, 0, 65535)
ENC(e16a, vImageConvert_ARGB16UToARGB2101010, 1, 65535)
ENC(e16r, vImageConvert_ARGB16UToRGBA1010102, 2, 65535)
static vImage_Error a_efx(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_ARGBFFFFToXRGB2101010(s, d, RMIN, RMAX, MAP, f); }
static int c_efx(const uint8_t *s, const uint8_t *d) { return c_encf(s, d, 0); }
static vImage_Error a_efa(const vImage_Buffer *s, const vImage_Buffer *d, vImage_Flags f) { return vImageConvert_ARGBFFFFToARGB2101010(s, d, RMIN, RMAX, MAP, f); }
static int c_efa(const uint8_t *s, const uint8_t *d) { return c_encf(s, d, 1); }

static const case_t CASES[] = {
    {"RGB565toARGB8888", a_565_argb, 2, 4, 0, c_565_argb},
    {"RGB565toRGBA8888", a_565_rgba, 2, 4, 0, c_565_rgba},
    {"RGB565toBGRA8888", a_565_bgra, 2, 4, 0, c_565_bgra},
    {"RGB565toRGB888", vImageConvert_RGB565toRGB888, 2, 3, 0, c_565_888},
    {"ARGB8888toRGB565", vImageConvert_ARGB8888toRGB565, 4, 2, 1, c_argb_565},
    {"RGBA8888toRGB565", vImageConvert_RGBA8888toRGB565, 4, 2, 1, c_rgba_565},
    {"BGRA8888toRGB565", vImageConvert_BGRA8888toRGB565, 4, 2, 1, c_bgra_565},
    {"ARGB1555toARGB8888", vImageConvert_ARGB1555toARGB8888, 2, 4, 0, c_1555_8888},
    {"ARGB8888toARGB1555", vImageConvert_ARGB8888toARGB1555, 4, 2, 1, c_8888_1555},
    {"RGBA5551toRGBA8888", vImageConvert_RGBA5551toRGBA8888, 2, 4, 0, c_5551_8888},
    {"RGBA8888toRGBA5551", vImageConvert_RGBA8888toRGBA5551, 4, 2, 1, c_8888_5551},
    {"BGRA5551toBGRA8888", a_bgra5551_8888, 2, 4, 0, c_5551_8888},
    {"BGRA8888toBGRA5551", a_bgra8888_5551, 4, 2, 1, c_8888_5551},
    {"RGBA5551toRGB565", vImageConvert_RGBA5551toRGB565, 2, 2, 1, c_5551_565},
    {"ARGB1555toRGB565", vImageConvert_ARGB1555toRGB565, 2, 2, 1, c_1555_565},
    {"RGB565toRGBA5551", a_565_5551, 2, 2, 1, c_565_5551},
    {"RGB565toARGB1555", a_565_1555, 2, 2, 1, c_565_1555},
    {"XRGB2101010ToARGB8888", a_x8, 4, 4, 1, c_x8},
    {"ARGB2101010ToARGB8888", a_a8, 4, 4, 1, c_a8},
    {"RGBA1010102ToARGB8888", a_r8, 4, 4, 1, c_r8},
    {"XRGB2101010ToARGB16U", a_x16, 4, 8, 0, c_x16},
    {"ARGB2101010ToARGB16U", a_a16, 4, 8, 0, c_a16},
    {"RGBA1010102ToARGB16U", a_r16, 4, 8, 0, c_r16},
    {"XRGB2101010ToARGBFFFF", a_xf, 4, 16, 0, c_xf},
    {"ARGB2101010ToARGBFFFF", a_af, 4, 16, 0, c_af},
    {"ARGB8888ToXRGB2101010", a_e8x, 4, 4, 1, c_e8x},
    {"ARGB8888ToARGB2101010", a_e8a, 4, 4, 1, c_e8a},
    {"ARGB8888ToRGBA1010102", a_e8r, 4, 4, 1, c_e8r},
    {"ARGB16UToXRGB2101010", a_e16x, 8, 4, 1, c_e16x},
    {"ARGB16UToARGB2101010", a_e16a, 8, 4, 1, c_e16a},
    {"ARGB16UToRGBA1010102", a_e16r, 8, 4, 1, c_e16r},
    {"ARGBFFFFToXRGB2101010", a_efx, 16, 4, 1, c_efx},
    {"ARGBFFFFToARGB2101010", a_efa, 16, 4, 1, c_efa},
};
#define NCASES (sizeof CASES / sizeof CASES[0])

static void run_case(const case_t *c, geom_t G, int is_float) {
  img_t s = img_new(G.w, G.h, c->in_bpp, G.pad), d = img_new(G.w, G.h, c->out_bpp, G.pad + 3);
  if (is_float)
    img_fill_random_f(&s, -0.25f, 1.25f);
  else
    img_fill_random(&s);
  CHECK_EQ(c->f(&s.b, &d.b, kvImageNoFlags), kvImageNoError);
  int ok = 1;
  for (size_t y = 0; y < G.h; y++)
    for (size_t x = 0; x < G.w; x++) ok &= c->check(img_px(&s, x, y), img_px(&d, x, y));
  if (!ok) fprintf(stderr, "packed.c: %s differs from its formula on %zux%zu\n", c->name, G.w, G.h);
  CHECK(ok);
  CHECK(img_guards_ok(&d));
  if (c->in_place) {
    /* In place (same data and rowBytes) gives the same pixels. */
    vImage_Buffer ip = s.b;
    CHECK_EQ(c->f(&s.b, &ip, kvImageDoNotTile), kvImageNoError);
    for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), G.w * c->out_bpp);
    CHECK(img_guards_ok(&s));
  } else {
    /* A destination over the source is refused. */
    vImage_Buffer over = s.b;
    over.height = 1;
    over.width = 1;
    CHECK_EQ(c->f(&s.b, &over, kvImageNoFlags), kvImageInvalidParameter);
  }
  img_free(&s);
  img_free(&d);
}

static void one_to_one(void) {
  for (size_t i = 0; i < NCASES; i++) {
    int is_float = strstr(CASES[i].name, "FFFFTo") != NULL;
    for (size_t g = 0; g < NGEOMS; g++) run_case(&CASES[i], GEOMS[g], is_float);
    if (getenv("VIMAGE_TEST_UNDER_VALGRIND") == NULL) run_case(&CASES[i], big_geom(), is_float);
    /* Errors common to the shape. */
    img_t s = img_new(4, 4, CASES[i].in_bpp, 0), d = img_new(5, 4, CASES[i].out_bpp, 0);
    /* Conversion.h's 565 -> 8888 / 888 block names kvImageBufferSizeMismatch for a small source. */
    vImage_Error small = strncmp(CASES[i].name, "RGB565to", 8) == 0 && CASES[i].out_bpp >= 3 ? kvImageBufferSizeMismatch
                                                                                              : kvImageRoiLargerThanInputBuffer;
    CHECK_EQ(CASES[i].f(&s.b, &d.b, 0), small);
    CHECK_EQ(CASES[i].f(NULL, &d.b, 0), kvImageNullPointerArgument);
    CHECK_EQ(CASES[i].f(&s.b, NULL, 0), kvImageNullPointerArgument);
    d.b.width = 4;
    CHECK_EQ(CASES[i].f(&s.b, &d.b, 1u << 20), kvImageUnknownFlagsBit);
    CHECK_EQ(CASES[i].f(&s.b, &d.b, kvImageGetTempBufferSize), 0);
    d.b.width = 5;
    CHECK(img_guards_ok(&d));
    img_free(&s);
    img_free(&d);
  }
}

/* ---- planar <-> packed ---- */
static void planar(void) {
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    img_t p[4], s = img_new(G.w, G.h, 2, G.pad), d = img_new(G.w, G.h, 2, G.pad + 1);
    for (int i = 0; i < 4; i++) p[i] = img_new(G.w, G.h, 1, G.pad + (size_t)i);
    img_fill_random(&s);
    CHECK_EQ(vImageConvert_RGB565toPlanar8(&s.b, &p[0].b, &p[1].b, &p[2].b, 0), kvImageNoError);
    int ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        unsigned v = rd16(img_px(&s, x, y));
        ok &= *img_px(&p[0], x, y) == w5(v >> 11) && *img_px(&p[1], x, y) == w6((v >> 5) & 63) &&
              *img_px(&p[2], x, y) == w5(v & 31);
      }
    CHECK(ok);
    CHECK_EQ(vImageConvert_Planar8toRGB565(&p[0].b, &p[1].b, &p[2].b, &d.b, 0), kvImageNoError);
    ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++)
        ok &= rd16(img_px(&d, x, y)) == (n5(*img_px(&p[0], x, y)) << 11 | n6(*img_px(&p[1], x, y)) << 5 | n5(*img_px(&p[2], x, y)));
    CHECK(ok);
    CHECK_EQ(vImageConvert_ARGB1555toPlanar8(&s.b, &p[0].b, &p[1].b, &p[2].b, &p[3].b, 0), kvImageNoError);
    ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        unsigned v = rd16(img_px(&s, x, y));
        ok &= *img_px(&p[0], x, y) == (v >> 15) * 255 && *img_px(&p[1], x, y) == w5((v >> 10) & 31) &&
              *img_px(&p[2], x, y) == w5((v >> 5) & 31) && *img_px(&p[3], x, y) == w5(v & 31);
      }
    CHECK(ok);
    for (int i = 0; i < 4; i++) img_fill_random(&p[i]);
    CHECK_EQ(vImageConvert_Planar8toARGB1555(&p[0].b, &p[1].b, &p[2].b, &p[3].b, &d.b, kvImageDoNotTile), kvImageNoError);
    ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++)
        ok &= rd16(img_px(&d, x, y)) == (n1(*img_px(&p[0], x, y)) << 15 | n5(*img_px(&p[1], x, y)) << 10 |
                                         n5(*img_px(&p[2], x, y)) << 5 | n5(*img_px(&p[3], x, y)));
    CHECK(ok);
    for (int i = 0; i < 4; i++) CHECK(img_guards_ok(&p[i]));
    CHECK(img_guards_ok(&d));
    /* Not in place: a destination plane over the source is refused. */
    vImage_Buffer over = s.b;
    over.height = 1;
    over.width = 1;
    vImage_Buffer p1 = p[1].b, p2 = p[2].b, p3 = p[3].b;
    p1.height = p2.height = p3.height = 1;
    p1.width = p2.width = p3.width = 1;
    CHECK_EQ(vImageConvert_RGB565toPlanar8(&s.b, &over, &p1, &p2, 0), kvImageInvalidParameter);
    for (int i = 0; i < 4; i++) img_free(&p[i]);
    img_free(&s);
    img_free(&d);
  }
  /* Errors: NULL planes, mismatched destination planes, small sources, sources of different sizes. */
  img_t s = img_new(4, 4, 2, 0), a = img_new(4, 4, 1, 0), b = img_new(5, 4, 1, 0), d = img_new(4, 4, 2, 0), big = img_new(5, 4, 2, 0);
  CHECK_EQ(vImageConvert_RGB565toPlanar8(&s.b, &a.b, NULL, &a.b, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_RGB565toPlanar8(&s.b, &a.b, &b.b, &a.b, 0), kvImageBufferSizeMismatch);
  CHECK_EQ(vImageConvert_ARGB1555toPlanar8(&s.b, &a.b, &a.b, &b.b, &a.b, 0), kvImageBufferSizeMismatch);
  CHECK_EQ(vImageConvert_ARGB1555toPlanar8(&s.b, &b.b, &b.b, &b.b, &b.b, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageConvert_Planar8toRGB565(&a.b, &a.b, &a.b, &big.b, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageConvert_Planar8toRGB565(&a.b, NULL, &a.b, &d.b, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvert_Planar8toARGB1555(&a.b, &b.b, &a.b, &a.b, &d.b, 0), kvImageBufferSizeMismatch);
  CHECK_EQ(vImageConvert_Planar8toARGB1555(&a.b, &a.b, &a.b, &a.b, &big.b, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageConvert_Planar8toARGB1555(&a.b, &a.b, &a.b, &a.b, &d.b, 1u << 20), kvImageUnknownFlagsBit);
  img_free(&s); img_free(&a); img_free(&b); img_free(&d); img_free(&big);
}

/* ---- dither and range arguments ---- */
static void arguments(void) {
  img_t s = img_new(9, 3, 4, 0), d = img_new(9, 3, 4, 0);
  img_fill_random(&s);
  const uint8_t bad[4] = {0, 1, 2, 4};
  CHECK_EQ(vImageConvert_RGB565toRGBA5551(&s.b, &d.b, 99, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_RGB565toARGB1555(&s.b, &d.b, kvImageConvert_DitherFloydSteinberg, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_RGB565toARGB1555(&s.b, &d.b, kvImageConvert_DitherOrderedReproducible | kvImageConvert_OrderedUniformBlue, 0), kvImageNoError);
  CHECK_EQ(vImageConvert_ARGB2101010ToARGB8888(&s.b, &d.b, 10, 9, NULL, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGB2101010ToARGB8888(&s.b, &d.b, 9, 9, NULL, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_XRGB2101010ToARGB8888(&s.b, 0, &d.b, -1, 1023, NULL, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGB8888ToXRGB2101010(&s.b, &d.b, 0, 1024, NULL, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGB8888ToRGBA1010102(&s.b, &d.b, 0, 1023, bad, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageConvert_ARGB8888ToRGBA1010102(&s.b, &d.b, 0, 1023, NULL, 0), kvImageNoError);
  /* Identity map == NULL map; full range round trip 8 -> 10 -> 8 keeps colour. */
  img_t t = img_new(9, 3, 4, 0);
  CHECK_EQ(vImageConvert_RGBA1010102ToARGB8888(&d.b, &t.b, 0, 1023, NULL, 0), kvImageNoError);
  int ok = 1;
  for (size_t y = 0; y < 3; y++)
    for (size_t x = 0; x < 9; x++) ok &= memcmp(img_px(&t, x, y) + 1, img_px(&s, x, y) + 1, 3) == 0;
  CHECK(ok);
  /* kvImageDoNotClamp keeps out-of-range values in float. */
  img_t f = img_new(9, 3, 16, 0);
  CHECK_EQ(vImageConvert_ARGB2101010ToARGBFFFF(&s.b, &f.b, 100, 200, NULL, kvImageDoNotClamp), kvImageNoError);
  ok = 1;
  for (size_t y = 0; y < 3; y++)
    for (size_t x = 0; x < 9; x++) {
      uint32_t w = rd32(img_px(&s, x, y));
      ok &= rdf(img_px(&f, x, y) + 4) == (float)((int)((w >> 20) & 1023) - 100) / 100.0f;
    }
  CHECK(ok);
  img_free(&s); img_free(&d); img_free(&t); img_free(&f);
}

/* ---- 1-, 2- and 4-bit formats (img_t with 1-byte "pixels" holding the packed bytes) ---- */
static unsigned sub(const uint8_t *row, size_t x, int bits) {
  size_t bit = x * (size_t)bits;
  return (unsigned)(row[bit / 8] >> (8 - bits - (int)(bit % 8))) & ((1u << bits) - 1);
}

typedef vImage_Error (*to8_t)(const vImage_Buffer *, const vImage_Buffer *, vImage_Flags);
typedef vImage_Error (*idx_t)(const vImage_Buffer *, const vImage_Buffer *, const Pixel_8 *, vImage_Flags);
typedef vImage_Error (*from8_t)(const vImage_Buffer *, const vImage_Buffer *, void *, int, vImage_Flags);
typedef vImage_Error (*from8i_t)(const vImage_Buffer *, const vImage_Buffer *, void *, Pixel_8 *, int, vImage_Flags);

static void sub_byte(void) {
  const struct { int bits; to8_t to8; idx_t idx; from8_t from8; from8i_t from8i; } K[] = {
      {1, vImageConvert_Planar1toPlanar8, vImageConvert_Indexed1toPlanar8, vImageConvert_Planar8toPlanar1, vImageConvert_Planar8toIndexed1},
      {2, vImageConvert_Planar2toPlanar8, vImageConvert_Indexed2toPlanar8, vImageConvert_Planar8toPlanar2, vImageConvert_Planar8toIndexed2},
      {4, vImageConvert_Planar4toPlanar8, vImageConvert_Indexed4toPlanar8, vImageConvert_Planar8toPlanar4, vImageConvert_Planar8toIndexed4},
  };
  uint8_t table[16];
  for (int i = 0; i < 16; i++) table[i] = (uint8_t)(i * 37 + 11);
  for (size_t k = 0; k < 3; k++) {
    const int bits = K[k].bits, n = (1 << bits) - 1;
    for (size_t g = 0; g < NGEOMS; g++) {
      const geom_t G = GEOMS[g];
      size_t pb = (G.w * (size_t)bits + 7) / 8; /* packed bytes per row */
      img_t p = img_new(pb, G.h, 1, G.pad), e = img_new(G.w, G.h, 1, G.pad + 2), q = img_new(pb, G.h, 1, G.pad + 1);
      img_fill_random(&p);
      vImage_Buffer pbuf = p.b, qbuf = q.b;
      pbuf.width = qbuf.width = G.w; /* width in pixels */
      CHECK_EQ(K[k].to8(&pbuf, &e.b, 0), kvImageNoError);
      int ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) ok &= *img_px(&e, x, y) == sub(img_px(&p, 0, y), x, bits) * (unsigned)(255 / n);
      CHECK(ok);
      CHECK_EQ(K[k].idx(&pbuf, &e.b, table, kvImageDoNotTile), kvImageNoError);
      ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) ok &= *img_px(&e, x, y) == table[sub(img_px(&p, 0, y), x, bits)];
      CHECK(ok);
      CHECK(img_guards_ok(&e));
      /* Back: nearest level, packed most significant first; unused bits of a last byte kept. */
      img_fill_random(&e);
      CHECK_EQ(K[k].from8(&e.b, &qbuf, NULL, kvImageConvert_DitherNone, 0), kvImageNoError);
      ok = 1;
      for (size_t y = 0; y < G.h; y++) {
        for (size_t x = 0; x < G.w; x++) ok &= sub(img_px(&q, 0, y), x, bits) == (*img_px(&e, x, y) * (unsigned)n + 127) / 255;
        size_t used = (G.w * (size_t)bits) % 8;
        if (used) ok &= (img_px(&q, 0, y)[pb - 1] & ((1u << (8 - used)) - 1)) == (GUARD & ((1u << (8 - used)) - 1));
      }
      CHECK(ok);
      CHECK(img_guards_ok(&q));
      /* Indexed: the nearest colour of a sorted table. */
      uint8_t colors[16];
      for (int i = 0; i <= n; i++) colors[i] = (uint8_t)(20 + i * 200 / n);
      CHECK_EQ(K[k].from8i(&e.b, &qbuf, NULL, colors, kvImageConvert_DitherNone, 0), kvImageNoError);
      ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          int v = *img_px(&e, x, y), got = colors[sub(img_px(&q, 0, y), x, bits)], best = 256;
          for (int i = 0; i <= n; i++) best = abs(colors[i] - v) < best ? abs(colors[i] - v) : best;
          ok &= abs(got - v) == best;
        }
      CHECK(ok);
      /* Every dither mode runs and keeps the guards. */
      for (int dm = 1; dm <= 4; dm++) CHECK_EQ(K[k].from8(&e.b, &qbuf, NULL, dm, 0), kvImageNoError);
      CHECK(img_guards_ok(&q));
      /* Not in place. */
      vImage_Buffer over = e.b;
      over.height = 1;
      over.width = 1;
      CHECK_EQ(K[k].from8(&e.b, &over, NULL, kvImageConvert_DitherNone, 0), kvImageInvalidParameter);
      img_free(&p);
      img_free(&e);
      img_free(&q);
    }
    /* Errors. */
    img_t s = img_new(8, 2, 1, 0), d = img_new(9, 2, 1, 0);
    uint8_t unsorted[16] = {9, 3}, zero[16] = {0};
    CHECK_EQ(K[k].to8(&s.b, &d.b, 0), kvImageRoiLargerThanInputBuffer);
    CHECK_EQ(K[k].idx(&s.b, &s.b, NULL, 0), kvImageNullPointerArgument);
    CHECK_EQ(K[k].from8(&d.b, &s.b, NULL, 5, 0), kvImageInvalidParameter);
    CHECK_EQ(K[k].from8(&d.b, &s.b, NULL, 0, 1u << 20), kvImageUnknownFlagsBit);
    CHECK_EQ(K[k].from8(&d.b, &s.b, NULL, 0, kvImageGetTempBufferSize), 0);
    CHECK_EQ(K[k].from8i(&d.b, &s.b, NULL, unsorted, 0, 0), kvImageInvalidParameter);
    CHECK_EQ(K[k].from8i(&d.b, &s.b, NULL, NULL, 0, 0), kvImageNullPointerArgument);
    img_fill_random(&d);
    CHECK_EQ(K[k].from8i(&d.b, &s.b, NULL, zero, kvImageConvert_DitherAtkinson, 0), kvImageNoError);
    for (int i = 0; i < n; i++) CHECK(zero[i] <= zero[i + 1]);
    img_free(&s);
    img_free(&d);
  }
}

int main(void) {
  one_to_one();
  planar();
  arguments();
  sub_byte();
  return check_report();
}
