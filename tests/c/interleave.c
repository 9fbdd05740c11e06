/*
 * Conversion.h §1.1 / §1.2 from C: dropping and adding the fourth channel (8-bit, 16U, float;
 * alpha plane or constant; premultiplied or not), interleave and de-interleave (incl. the
 * X forms and the strided Chunky forms), and every Apple macro of the family. Each function
 * runs on every geometry of ops_util.h (plus a tiled size outside valgrind), is checked
 * against a direct formula written here, in place where Apple allows it (and the overlap
 * error where it does not), with guard bytes; then the error cases.
 */
#include "ops_util.h"

#include <stdbool.h>

/* ---- geometry and helpers ------------------------------------------------------------------ */

static size_t ngeoms(void) { return NGEOMS + (getenv("VIMAGE_TEST_UNDER_VALGRIND") ? 0 : 1); }
static geom_t geom(size_t i) { return i < NGEOMS ? GEOMS[i] : big_geom(); }

/* Random bytes, or random floats in [-0.5, 1.5) for float images (e == 4). */
static void fill(img_t *m, size_t e) {
  if (e == 4)
    img_fill_random_f(m, -0.5f, 1.5f);
  else
    img_fill_random(m);
}

/* A copy of `m` with the same geometry (row padding and guards re-initialised). */
static img_t img_copy(const img_t *m) {
  img_t c = img_new(m->b.width, m->b.height, m->bpp, m->b.rowBytes - m->b.width * m->bpp);
  for (size_t y = 0; y < m->b.height; y++) memcpy(img_px(&c, 0, y), img_px(m, 0, y), m->b.width * m->bpp);
  return c;
}

/* A 1x1 buffer at `data`: a destination that overlaps a source's first pixel. */
static vImage_Buffer at(void *data) {
  vImage_Buffer b = {data, 1, 1, 64};
  return b;
}

/* 1 when the guard bytes before and after the image still hold GUARD. */
static int outer_guards_ok(const img_t *m) {
  for (size_t i = 0; i < GUARD_BYTES; i++)
    if (m->base[i] != GUARD || m->base[m->size - 1 - i] != GUARD) return 0;
  return 1;
}

static const vImage_Flags UNKNOWN_FLAG = 1u << 20;

/* ---- §1.1 dropping the fourth channel --------------------------------------------------------- */

typedef vImage_Error (*drop_fn)(const vImage_Buffer *, const vImage_Buffer *, vImage_Flags);
enum { IP_NO, IP_A, IP_B };

static void test_drop(const char *name, drop_fn fn, size_t e, const int keep[3], int ip, vImage_Error small) {
  for (size_t g = 0; g < ngeoms(); g++) {
    const geom_t G = geom(g);
    img_t s = img_new(G.w, G.h, 4 * e, G.pad), d = img_new(G.w, G.h, 3 * e, G.pad + 3);
    fill(&s, e);
    CHECK_EQ(fn(&s.b, &d.b, kvImageNoFlags), kvImageNoError);
    int ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++)
        for (int j = 0; j < 3; j++) ok &= !memcmp(img_px(&d, x, y) + j * e, img_px(&s, x, y) + keep[j] * e, e);
    if (!ok) fprintf(stderr, "%s: wrong pixels at %zux%zu\n", name, G.w, G.h);
    CHECK(ok);
    CHECK(img_guards_ok(&d));
    /* The same without tiling. */
    img_t d2 = img_new(G.w, G.h, 3 * e, G.pad);
    CHECK_EQ(fn(&s.b, &d2.b, kvImageDoNotTile), kvImageNoError);
    for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&d2, 0, y), img_px(&d, 0, y), G.w * 3 * e);
    /* In place: IP-A with the same rowBytes; IP-B also with packed destination rows. */
    img_t ipm = img_copy(&s);
    vImage_Buffer ipd = ipm.b;
    if (ip == IP_NO) {
      CHECK_EQ(fn(&ipm.b, &ipd, kvImageNoFlags), kvImageInvalidParameter);
    } else {
      CHECK_EQ(fn(&ipm.b, &ipd, kvImageNoFlags), kvImageNoError);
      for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&ipm, 0, y), img_px(&d, 0, y), G.w * 3 * e);
      CHECK(img_guards_ok(&ipm));
      img_free(&ipm);
      ipm = img_copy(&s);
      ipd = ipm.b;
      ipd.rowBytes = G.w * 3 * e;
      vImage_Error r = fn(&ipm.b, &ipd, kvImageDoNotTile);
      if (ip == IP_B) {
        CHECK_EQ(r, kvImageNoError);
        for (size_t y = 0; y < G.h; y++)
          CHECK_MEM_EQ((uint8_t *)ipm.b.data + y * ipd.rowBytes, img_px(&d, 0, y), G.w * 3 * e);
      } else {
        CHECK_EQ(r, kvImageInvalidParameter); /* IP-A: rowBytes must match */
      }
      /* Packed rows may cover the source's row padding, never the guards around the image. */
      CHECK(outer_guards_ok(&ipm));
    }
    img_free(&ipm);
    img_free(&d2);
    img_free(&s);
    img_free(&d);
  }
  img_t s = img_new(4, 4, 4 * e, 0), d = img_new(5, 4, 3 * e, 0), d3 = img_new(4, 5, 3 * e, 0), ok = img_new(4, 4, 3 * e, 0);
  CHECK_EQ(fn(NULL, &ok.b, 0), kvImageNullPointerArgument);
  CHECK_EQ(fn(&s.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(fn(&s.b, &d.b, 0), small);
  CHECK_EQ(fn(&s.b, &d3.b, 0), small);
  CHECK_EQ(fn(&s.b, &ok.b, UNKNOWN_FLAG), kvImageUnknownFlagsBit);
  CHECK_EQ(fn(&s.b, &ok.b, kvImageGetTempBufferSize), 0);
  CHECK_EQ(fn(&s.b, &ok.b, kvImagePrintDiagnosticsToConsole), kvImageNoError);
  CHECK(img_guards_ok(&d) && img_guards_ok(&d3) && img_guards_ok(&ok));
  img_free(&s);
  img_free(&d);
  img_free(&d3);
  img_free(&ok);
}

static void drops(void) {
  static const int argb[3] = {1, 2, 3}, rgba[3] = {0, 1, 2}, bgra[3] = {2, 1, 0};
  const vImage_Error roi = kvImageRoiLargerThanInputBuffer, mis = kvImageBufferSizeMismatch;
  test_drop("ARGB8888toRGB888", vImageConvert_ARGB8888toRGB888, 1, argb, IP_B, roi);
  test_drop("RGBA8888toRGB888", vImageConvert_RGBA8888toRGB888, 1, rgba, IP_B, roi);
  test_drop("BGRA8888toRGB888", vImageConvert_BGRA8888toRGB888, 1, bgra, IP_B, roi);
  test_drop("ARGB16UtoRGB16U", vImageConvert_ARGB16UtoRGB16U, 2, argb, IP_NO, mis);
  test_drop("RGBA16UtoRGB16U", vImageConvert_RGBA16UtoRGB16U, 2, rgba, IP_A, mis);
  test_drop("BGRA16UtoRGB16U", vImageConvert_BGRA16UtoRGB16U, 2, bgra, IP_NO, mis);
  test_drop("ARGBFFFFtoRGBFFF", vImageConvert_ARGBFFFFtoRGBFFF, 4, argb, IP_B, roi);
  test_drop("RGBAFFFFtoRGBFFF", vImageConvert_RGBAFFFFtoRGBFFF, 4, rgba, IP_B, roi);
  test_drop("BGRAFFFFtoRGBFFF", vImageConvert_BGRAFFFFtoRGBFFF, 4, bgra, IP_B, roi);
}

/* ---- §1.1 adding the fourth channel ----------------------------------------------------------- */

typedef vImage_Error (*add_fn)(const vImage_Buffer *, const vImage_Buffer *, double, const vImage_Buffer *, bool,
                               vImage_Flags);
#define ADD_WRAPPER(fn, T)                                                                                        \
  static vImage_Error w_##fn(const vImage_Buffer *r, const vImage_Buffer *a, double alpha, const vImage_Buffer *d, \
                             bool p, vImage_Flags f) {                                                          \
    return vImageConvert_##fn(r, a, (T)alpha, d, p, f);                                                          \
  }
ADD_WRAPPER(RGB888toARGB8888, Pixel_8)
ADD_WRAPPER(RGB888toRGBA8888, Pixel_8)
ADD_WRAPPER(RGB888toBGRA8888, Pixel_8)
ADD_WRAPPER(RGB16UtoARGB16U, Pixel_16U)
ADD_WRAPPER(RGB16UtoRGBA16U, Pixel_16U)
ADD_WRAPPER(RGB16UtoBGRA16U, Pixel_16U)
ADD_WRAPPER(RGBFFFtoARGBFFFF, Pixel_F)
ADD_WRAPPER(RGBFFFtoRGBAFFFF, Pixel_F)
ADD_WRAPPER(RGBFFFtoBGRAFFFF, Pixel_F)

/* Premultiplies sample c by alpha a, as vImage documents for each sample size. */
static void premul(uint8_t *out, const uint8_t *c, const uint8_t *a, size_t e) {
  if (e == 1) {
    out[0] = (uint8_t)((c[0] * a[0] + 127u) / 255u);
  } else if (e == 2) {
    uint16_t cv, av, r;
    memcpy(&cv, c, 2);
    memcpy(&av, a, 2);
    r = (uint16_t)(((uint32_t)cv * av + 32767u) / 65535u);
    memcpy(out, &r, 2);
  } else {
    float cv, av, r;
    memcpy(&cv, c, 4);
    memcpy(&av, a, 4);
    r = cv * av;
    memcpy(out, &r, 4);
  }
}

/* map[j]: where output channel j comes from (0..2 a colour, 3 alpha). */
static void test_add(const char *name, add_fn fn, size_t e, const int map[4], vImage_Error small) {
  const double alpha = e == 1 ? 200.0 : e == 2 ? 40000.0 : 0.625;
  uint8_t abytes[4];
  if (e == 1) abytes[0] = 200;
  if (e == 2) {
    uint16_t v = 40000;
    memcpy(abytes, &v, 2);
  }
  if (e == 4) {
    float v = 0.625f;
    memcpy(abytes, &v, 4);
  }
  for (size_t g = 0; g < ngeoms(); g++)
    for (int plane = 0; plane < 2; plane++)
      for (int pm = 0; pm < 2; pm++) {
        const geom_t G = geom(g);
        img_t r = img_new(G.w, G.h, 3 * e, G.pad), a = img_new(G.w, G.h, e, G.pad + 1),
              d = img_new(G.w, G.h, 4 * e, G.pad + 2);
        fill(&r, e);
        fill(&a, e);
        CHECK_EQ(fn(&r.b, plane ? &a.b : NULL, alpha, &d.b, pm, kvImageNoFlags), kvImageNoError);
        int ok = 1;
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++) {
            const uint8_t *av = plane ? img_px(&a, x, y) : abytes;
            for (int j = 0; j < 4; j++) {
              uint8_t want[4];
              if (map[j] == 3)
                memcpy(want, av, e);
              else if (pm)
                premul(want, img_px(&r, x, y) + map[j] * e, av, e);
              else
                memcpy(want, img_px(&r, x, y) + map[j] * e, e);
              ok &= !memcmp(img_px(&d, x, y) + j * e, want, e);
            }
          }
        if (!ok) fprintf(stderr, "%s: wrong pixels at %zux%zu plane %d premultiply %d\n", name, G.w, G.h, plane, pm);
        CHECK(ok);
        CHECK(img_guards_ok(&d));
        img_t d2 = img_new(G.w, G.h, 4 * e, 0);
        CHECK_EQ(fn(&r.b, plane ? &a.b : NULL, alpha, &d2.b, pm, kvImageDoNotTile), kvImageNoError);
        for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&d2, 0, y), img_px(&d, 0, y), G.w * 4 * e);
        /* Not in place: a destination over the colour source or the alpha plane is refused. */
        vImage_Buffer over = at(r.b.data);
        CHECK_EQ(fn(&r.b, plane ? &a.b : NULL, alpha, &over, pm, 0), kvImageInvalidParameter);
        if (plane) {
          over = at(a.b.data);
          CHECK_EQ(fn(&r.b, &a.b, alpha, &over, pm, 0), kvImageInvalidParameter);
        }
        CHECK(img_guards_ok(&r) && img_guards_ok(&a));
        img_free(&d2);
        img_free(&r);
        img_free(&a);
        img_free(&d);
      }
  img_t r = img_new(4, 4, 3 * e, 0), a = img_new(3, 4, e, 0), d = img_new(4, 4, 4 * e, 0), big = img_new(4, 5, 4 * e, 0);
  CHECK_EQ(fn(NULL, NULL, alpha, &d.b, false, 0), kvImageNullPointerArgument);
  CHECK_EQ(fn(&r.b, NULL, alpha, NULL, false, 0), kvImageNullPointerArgument);
  CHECK_EQ(fn(&r.b, NULL, alpha, &big.b, false, 0), small);
  CHECK_EQ(fn(&r.b, &a.b, alpha, &d.b, true, 0), small);
  CHECK_EQ(fn(&r.b, NULL, alpha, &d.b, false, UNKNOWN_FLAG), kvImageUnknownFlagsBit);
  CHECK_EQ(fn(&r.b, NULL, alpha, &d.b, true, kvImageGetTempBufferSize), 0);
  CHECK(img_guards_ok(&d) && img_guards_ok(&big));
  img_free(&r);
  img_free(&a);
  img_free(&d);
  img_free(&big);
}

static void adds(void) {
  static const int argb[4] = {3, 0, 1, 2}, rgba[4] = {0, 1, 2, 3}, bgra[4] = {2, 1, 0, 3};
  const vImage_Error roi = kvImageRoiLargerThanInputBuffer, mis = kvImageBufferSizeMismatch;
  test_add("RGB888toARGB8888", w_RGB888toARGB8888, 1, argb, roi);
  test_add("RGB888toRGBA8888", w_RGB888toRGBA8888, 1, rgba, roi);
  test_add("RGB888toBGRA8888", w_RGB888toBGRA8888, 1, bgra, roi);
  test_add("RGB16UtoARGB16U", w_RGB16UtoARGB16U, 2, argb, mis);
  test_add("RGB16UtoRGBA16U", w_RGB16UtoRGBA16U, 2, rgba, mis);
  test_add("RGB16UtoBGRA16U", w_RGB16UtoBGRA16U, 2, bgra, mis);
  test_add("RGBFFFtoARGBFFFF", w_RGBFFFtoARGBFFFF, 4, argb, roi);
  test_add("RGBFFFtoRGBAFFFF", w_RGBFFFtoRGBAFFFF, 4, rgba, roi);
  test_add("RGBFFFtoBGRAFFFF", w_RGBFFFtoBGRAFFFF, 4, bgra, roi);
}

/* ---- §1.2 planes -> interleaved --------------------------------------------------------------- */

/* One signature for every interleave: planes p[0..n), a constant (X forms only), dest. */
typedef vImage_Error (*il_fn)(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f);
static vImage_Error il_P8toARGB(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  (void)k;
  return vImageConvert_Planar8toARGB8888(p[0], p[1], p[2], p[3], d, f);
}
static vImage_Error il_PFtoARGB(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  (void)k;
  return vImageConvert_PlanarFtoARGBFFFF(p[0], p[1], p[2], p[3], d, f);
}
static vImage_Error il_P16toARGB(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  (void)k;
  return vImageConvert_Planar16UtoARGB16U(p[0], p[1], p[2], p[3], d, f);
}
static vImage_Error il_P8toRGB(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  (void)k;
  return vImageConvert_Planar8toRGB888(p[0], p[1], p[2], d, f);
}
static vImage_Error il_PFtoRGB(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  (void)k;
  return vImageConvert_PlanarFtoRGBFFF(p[0], p[1], p[2], d, f);
}
static vImage_Error il_P16toRGB(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  (void)k;
  return vImageConvert_Planar16UtoRGB16U(p[0], p[1], p[2], d, f);
}
static vImage_Error il_P8toXRGB(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_Planar8ToXRGB8888((Pixel_8)k, p[0], p[1], p[2], d, f);
}
static vImage_Error il_P8toBGRX(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_Planar8ToBGRX8888(p[0], p[1], p[2], (Pixel_8)k, d, f);
}
static vImage_Error il_PFtoXRGB(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_PlanarFToXRGBFFFF((Pixel_F)k, p[0], p[1], p[2], d, f);
}
static vImage_Error il_PFtoBGRX(const vImage_Buffer *const p[4], double k, const vImage_Buffer *d, vImage_Flags f) {
  return vImageConvert_PlanarFToBGRXFFFF(p[0], p[1], p[2], (Pixel_F)k, d, f);
}

/* nplanes planes into a pixel of nout channels; konst_at: channel of the constant (-1 none). */
static void test_interleave(const char *name, il_fn fn, size_t e, int nplanes, int konst_at, vImage_Error small) {
  const int nout = konst_at >= 0 ? 4 : nplanes;
  const double k = e == 1 ? 77.0 : 0.375;
  uint8_t kb[4];
  if (e == 1) kb[0] = 77;
  if (e == 4) {
    float v = 0.375f;
    memcpy(kb, &v, 4);
  }
  for (size_t g = 0; g < ngeoms(); g++) {
    const geom_t G = geom(g);
    img_t p[4], d = img_new(G.w, G.h, nout * e, G.pad + 1);
    const vImage_Buffer *pb[4] = {NULL, NULL, NULL, NULL};
    for (int i = 0; i < nplanes; i++) {
      p[i] = img_new(G.w + (size_t)i, G.h, e, G.pad + 2 * (size_t)i); /* sources may be wider */
      fill(&p[i], e);
      pb[i] = &p[i].b;
    }
    CHECK_EQ(fn(pb, k, &d.b, kvImageNoFlags), kvImageNoError);
    int ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++)
        for (int j = 0, i = 0; j < nout; j++) {
          const uint8_t *want = j == konst_at ? kb : img_px(&p[i++], x, y);
          ok &= !memcmp(img_px(&d, x, y) + j * e, want, e);
        }
    if (!ok) fprintf(stderr, "%s: wrong pixels at %zux%zu\n", name, G.w, G.h);
    CHECK(ok);
    CHECK(img_guards_ok(&d));
    img_t d2 = img_new(G.w, G.h, nout * e, 0);
    CHECK_EQ(fn(pb, k, &d2.b, kvImageDoNotTile), kvImageNoError);
    for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&d2, 0, y), img_px(&d, 0, y), G.w * nout * e);
    /* Not in place. */
    for (int i = 0; i < nplanes; i++) {
      vImage_Buffer over = at(p[i].b.data);
      CHECK_EQ(fn(pb, k, &over, 0), kvImageInvalidParameter);
      CHECK(img_guards_ok(&p[i]));
    }
    for (int i = 0; i < nplanes; i++) img_free(&p[i]);
    img_free(&d2);
    img_free(&d);
  }
  /* Errors: each plane NULL, each plane too small, flags. */
  img_t p[4], d = img_new(4, 4, nout * e, 0), small_p = img_new(4, 3, e, 0);
  const vImage_Buffer *pb[4] = {NULL, NULL, NULL, NULL};
  for (int i = 0; i < nplanes; i++) {
    p[i] = img_new(4, 4, e, 0);
    pb[i] = &p[i].b;
  }
  for (int i = 0; i < nplanes; i++) {
    const vImage_Buffer *keep = pb[i];
    pb[i] = NULL;
    CHECK_EQ(fn(pb, k, &d.b, 0), kvImageNullPointerArgument);
    pb[i] = &small_p.b;
    CHECK_EQ(fn(pb, k, &d.b, 0), small);
    pb[i] = keep;
  }
  CHECK_EQ(fn(pb, k, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(fn(pb, k, &d.b, UNKNOWN_FLAG), kvImageUnknownFlagsBit);
  CHECK_EQ(fn(pb, k, &d.b, kvImageGetTempBufferSize), 0);
  CHECK(img_guards_ok(&d));
  for (int i = 0; i < nplanes; i++) img_free(&p[i]);
  img_free(&d);
  img_free(&small_p);
}

static void interleaves(void) {
  const vImage_Error roi = kvImageRoiLargerThanInputBuffer, mis = kvImageBufferSizeMismatch;
  test_interleave("Planar8toARGB8888", il_P8toARGB, 1, 4, -1, roi);
  test_interleave("PlanarFtoARGBFFFF", il_PFtoARGB, 4, 4, -1, roi);
  test_interleave("Planar16UtoARGB16U", il_P16toARGB, 2, 4, -1, mis);
  test_interleave("Planar8toRGB888", il_P8toRGB, 1, 3, -1, roi);
  test_interleave("PlanarFtoRGBFFF", il_PFtoRGB, 4, 3, -1, roi);
  test_interleave("Planar16UtoRGB16U", il_P16toRGB, 2, 3, -1, mis);
  test_interleave("Planar8ToXRGB8888", il_P8toXRGB, 1, 3, 0, roi);
  test_interleave("Planar8ToBGRX8888", il_P8toBGRX, 1, 3, 3, roi);
  test_interleave("PlanarFToXRGBFFFF", il_PFtoXRGB, 4, 3, 0, roi);
  test_interleave("PlanarFToBGRXFFFF", il_PFtoBGRX, 4, 3, 3, roi);
}

/* ---- §1.2 interleaved -> planes --------------------------------------------------------------- */

typedef vImage_Error (*de_fn)(const vImage_Buffer *s, const vImage_Buffer *const p[4], vImage_Flags f);
#define DE4(nm, fn)                                                                    \
  static vImage_Error nm(const vImage_Buffer *s, const vImage_Buffer *const p[4], vImage_Flags f) { \
    return vImageConvert_##fn(s, p[0], p[1], p[2], p[3], f);                           \
  }
#define DE3(nm, fn)                                                                    \
  static vImage_Error nm(const vImage_Buffer *s, const vImage_Buffer *const p[4], vImage_Flags f) { \
    return vImageConvert_##fn(s, p[0], p[1], p[2], f);                                 \
  }
DE4(de_ARGB8, ARGB8888toPlanar8)
DE4(de_ARGBF, ARGBFFFFtoPlanarF)
DE4(de_ARGB16, ARGB16UtoPlanar16U)
DE3(de_RGB8, RGB888toPlanar8)
DE3(de_RGBF, RGBFFFtoPlanarF)
DE3(de_RGB16, RGB16UtoPlanar16U)
DE3(de_XRGB8, XRGB8888ToPlanar8)
DE3(de_BGRX8, BGRX8888ToPlanar8)
DE3(de_XRGBF, XRGBFFFFToPlanarF)
DE3(de_BGRXF, BGRXFFFFToPlanarF)

/* nin-channel pixels; plane j gets channel first + j. */
static void test_deinterleave(const char *name, de_fn fn, size_t e, int nin, int nplanes, int first, vImage_Error small) {
  for (size_t g = 0; g < ngeoms(); g++) {
    const geom_t G = geom(g);
    img_t s = img_new(G.w + 1, G.h + 1, nin * e, G.pad), p[4], q[4];
    const vImage_Buffer *pb[4] = {NULL, NULL, NULL, NULL}, *qb[4] = {NULL, NULL, NULL, NULL};
    fill(&s, e);
    for (int j = 0; j < nplanes; j++) {
      p[j] = img_new(G.w, G.h, e, G.pad + (size_t)j);
      q[j] = img_new(G.w, G.h, e, 0);
      pb[j] = &p[j].b;
      qb[j] = &q[j].b;
    }
    CHECK_EQ(fn(&s.b, pb, kvImageNoFlags), kvImageNoError);
    CHECK_EQ(fn(&s.b, qb, kvImageDoNotTile), kvImageNoError);
    int ok = 1;
    for (int j = 0; j < nplanes; j++) {
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          ok &= !memcmp(img_px(&p[j], x, y), img_px(&s, x, y) + (first + j) * e, e);
          ok &= !memcmp(img_px(&q[j], x, y), img_px(&p[j], x, y), e);
        }
      CHECK(img_guards_ok(&p[j]) && img_guards_ok(&q[j]));
    }
    if (!ok) fprintf(stderr, "%s: wrong pixels at %zux%zu\n", name, G.w, G.h);
    CHECK(ok);
    /* Not in place: a plane over the source is refused. */
    for (int j = 0; j < nplanes; j++) {
      vImage_Buffer over = p[0].b;
      over.data = s.b.data;
      const vImage_Buffer *ob[4] = {pb[0], pb[1], pb[2], pb[3]};
      if (j == 0) ob[0] = &over;
      else {
        over.width = p[0].b.width;
        ob[j] = &over;
      }
      CHECK_EQ(fn(&s.b, ob, 0), kvImageInvalidParameter);
    }
    CHECK(img_guards_ok(&s));
    for (int j = 0; j < nplanes; j++) {
      img_free(&p[j]);
      img_free(&q[j]);
    }
    img_free(&s);
  }
  /* Errors. */
  img_t s = img_new(4, 4, nin * e, 0), p[4], odd = img_new(5, 4, e, 0), big[4];
  const vImage_Buffer *pb[4] = {NULL, NULL, NULL, NULL}, *bb[4] = {NULL, NULL, NULL, NULL};
  for (int j = 0; j < nplanes; j++) {
    p[j] = img_new(4, 4, e, 0);
    big[j] = img_new(4, 5, e, 0);
    pb[j] = &p[j].b;
    bb[j] = &big[j].b;
  }
  CHECK_EQ(fn(NULL, pb, 0), kvImageNullPointerArgument);
  for (int j = 0; j < nplanes; j++) {
    const vImage_Buffer *keep = pb[j];
    pb[j] = NULL;
    CHECK_EQ(fn(&s.b, pb, 0), kvImageNullPointerArgument);
    pb[j] = &odd.b;
    CHECK_EQ(fn(&s.b, pb, 0), kvImageBufferSizeMismatch);
    pb[j] = keep;
  }
  CHECK_EQ(fn(&s.b, bb, 0), small);
  CHECK_EQ(fn(&s.b, pb, UNKNOWN_FLAG), kvImageUnknownFlagsBit);
  CHECK_EQ(fn(&s.b, pb, kvImageGetTempBufferSize), 0);
  for (int j = 0; j < nplanes; j++) {
    CHECK(img_guards_ok(&p[j]) && img_guards_ok(&big[j]));
    img_free(&p[j]);
    img_free(&big[j]);
  }
  CHECK(img_guards_ok(&odd));
  img_free(&odd);
  img_free(&s);
}

static void deinterleaves(void) {
  const vImage_Error roi = kvImageRoiLargerThanInputBuffer, mis = kvImageBufferSizeMismatch;
  test_deinterleave("ARGB8888toPlanar8", de_ARGB8, 1, 4, 4, 0, roi);
  test_deinterleave("ARGBFFFFtoPlanarF", de_ARGBF, 4, 4, 4, 0, roi);
  test_deinterleave("ARGB16UtoPlanar16U", de_ARGB16, 2, 4, 4, 0, mis);
  test_deinterleave("RGB888toPlanar8", de_RGB8, 1, 3, 3, 0, roi);
  test_deinterleave("RGBFFFtoPlanarF", de_RGBF, 4, 3, 3, 0, roi);
  test_deinterleave("RGB16UtoPlanar16U", de_RGB16, 2, 3, 3, 0, mis);
  test_deinterleave("XRGB8888ToPlanar8", de_XRGB8, 1, 4, 3, 1, roi);
  test_deinterleave("BGRX8888ToPlanar8", de_BGRX8, 1, 4, 3, 0, roi);
  test_deinterleave("XRGBFFFFToPlanarF", de_XRGBF, 4, 4, 3, 1, roi);
  test_deinterleave("BGRXFFFFToPlanarF", de_BGRXF, 4, 4, 3, 0, roi);
}

/* ---- §1.2 generic strided forms --------------------------------------------------------------- */

/* Three channels of e-byte samples in pixels of 3e + 2 bytes (2 bytes belong to no channel);
 * channel i sits at sample slot perm[i]. */
static void test_chunky(size_t e) {
  static const int perm[3] = {2, 0, 1};
  const size_t stride = 3 * e + 2;
  vImage_Error (*c2p)(const void **, const vImage_Buffer **, unsigned int, size_t, vImagePixelCount,
                      vImagePixelCount, size_t, vImage_Flags) =
      e == 1 ? vImageConvert_ChunkyToPlanar8 : vImageConvert_ChunkyToPlanarF;
  vImage_Error (*p2c)(const vImage_Buffer **, void **, unsigned int, size_t, vImagePixelCount, vImagePixelCount,
                      size_t, vImage_Flags) = e == 1 ? vImageConvert_PlanarToChunky8 : vImageConvert_PlanarToChunkyF;
  for (size_t g = 0; g < ngeoms(); g++) {
    const geom_t G = geom(g);
    img_t c = img_new(G.w, G.h, stride, G.pad), p[3];
    const vImage_Buffer *pb[3];
    const void *ch[3];
    void *wch[3];
    img_fill_random(&c);
    for (int i = 0; i < 3; i++) {
      p[i] = img_new(G.w, G.h, e, G.pad + (size_t)i);
      pb[i] = &p[i].b;
      ch[i] = (uint8_t *)c.b.data + perm[i] * e;
      wch[i] = (uint8_t *)c.b.data + perm[i] * e;
    }
    CHECK_EQ(c2p(ch, pb, 3, stride, G.w, G.h, c.b.rowBytes, kvImageNoFlags), kvImageNoError);
    int ok = 1;
    for (int i = 0; i < 3; i++) {
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) ok &= !memcmp(img_px(&p[i], x, y), img_px(&c, x, y) + perm[i] * e, e);
      CHECK(img_guards_ok(&p[i]));
    }
    CHECK(ok);
    /* Back: new plane values land in their slots; the 2 other bytes of each pixel stay. */
    img_t before = img_copy(&c);
    for (int i = 0; i < 3; i++) fill(&p[i], e);
    CHECK_EQ(p2c(pb, wch, 3, stride, G.w, G.h, c.b.rowBytes, kvImageDoNotTile), kvImageNoError);
    ok = 1;
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        for (int i = 0; i < 3; i++) ok &= !memcmp(img_px(&c, x, y) + perm[i] * e, img_px(&p[i], x, y), e);
        ok &= !memcmp(img_px(&c, x, y) + 3 * e, img_px(&before, x, y) + 3 * e, 2);
      }
    CHECK(ok);
    CHECK(img_guards_ok(&c));
    /* Not in place: a plane over the strided image is refused both ways. */
    vImage_Buffer over = p[1].b;
    over.data = c.b.data;
    pb[1] = &over;
    CHECK_EQ(c2p(ch, pb, 3, stride, G.w, G.h, c.b.rowBytes, 0), kvImageInvalidParameter);
    CHECK_EQ(p2c(pb, wch, 3, stride, G.w, G.h, c.b.rowBytes, 0), kvImageInvalidParameter);
    for (int i = 0; i < 3; i++) img_free(&p[i]);
    img_free(&before);
    img_free(&c);
  }
  /* Errors. */
  img_t c = img_new(4, 4, stride, 0), p[3], small = img_new(4, 3, e, 0);
  const vImage_Buffer *pb[3];
  const void *ch[3];
  void *wch[3];
  for (int i = 0; i < 3; i++) {
    p[i] = img_new(4, 4, e, 0);
    pb[i] = &p[i].b;
    ch[i] = (uint8_t *)c.b.data + i * e;
    wch[i] = (uint8_t *)c.b.data + i * e;
  }
  const size_t rb = c.b.rowBytes;
  CHECK_EQ(c2p(ch, pb, 0, stride, 4, 4, rb, 0), kvImageInvalidParameter);
  CHECK_EQ(p2c(pb, wch, 0, stride, 4, 4, rb, 0), kvImageInvalidParameter);
  CHECK_EQ(c2p(NULL, pb, 3, stride, 4, 4, rb, 0), kvImageNullPointerArgument);
  CHECK_EQ(c2p(ch, NULL, 3, stride, 4, 4, rb, 0), kvImageNullPointerArgument);
  CHECK_EQ(p2c(NULL, wch, 3, stride, 4, 4, rb, 0), kvImageNullPointerArgument);
  CHECK_EQ(p2c(pb, NULL, 3, stride, 4, 4, rb, 0), kvImageNullPointerArgument);
  ch[2] = NULL;
  CHECK_EQ(c2p(ch, pb, 3, stride, 4, 4, rb, 0), kvImageNullPointerArgument);
  ch[2] = (uint8_t *)c.b.data + stride; /* outside the first pixel */
  CHECK_EQ(c2p(ch, pb, 3, stride, 4, 4, rb, 0), kvImageInvalidParameter);
  wch[2] = (uint8_t *)c.b.data + stride - e + 1;
  CHECK_EQ(p2c(pb, wch, 3, stride, 4, 4, rb, 0), kvImageInvalidParameter);
  wch[2] = (uint8_t *)c.b.data + 2 * e;
  ch[2] = (uint8_t *)c.b.data + 2 * e;
  pb[2] = &small.b;
  CHECK_EQ(c2p(ch, pb, 3, stride, 4, 4, rb, 0), kvImageBufferSizeMismatch);
  CHECK_EQ(p2c(pb, wch, 3, stride, 4, 4, rb, 0), kvImageRoiLargerThanInputBuffer);
  pb[2] = &p[2].b;
  /* Two destination planes on the same memory. */
  pb[1] = &p[0].b;
  CHECK_EQ(c2p(ch, pb, 3, stride, 4, 4, rb, 0), kvImageInvalidParameter);
  pb[1] = &p[1].b;
  CHECK_EQ(c2p(ch, pb, 3, stride, 4, 4, 2, 0), kvImageInvalidParameter); /* rows overlap */
  CHECK_EQ(c2p(ch, pb, 3, stride, 4, 4, rb, UNKNOWN_FLAG), kvImageUnknownFlagsBit);
  CHECK_EQ(p2c(pb, wch, 3, stride, 4, 4, rb, kvImageGetTempBufferSize), 0);
  CHECK_EQ(c2p(ch, pb, 3, stride, 0, 4, rb, 0), kvImageNoError);
  for (int i = 0; i < 3; i++) {
    CHECK(img_guards_ok(&p[i]));
    img_free(&p[i]);
  }
  CHECK(img_guards_ok(&c) && img_guards_ok(&small));
  img_free(&small);
  img_free(&c);
}

/* ---- Apple's macros: each compiles and equals the function it names ------------------------- */

static void macros(void) {
  const size_t W = 7, H = 3;
  img_t s4 = img_new(W, H, 16, 0), s3 = img_new(W, H, 12, 0), a = img_new(W, H, 4, 0);
  img_t d1 = img_new(W, H, 16, 0), d2 = img_new(W, H, 16, 0);
  img_t p[8];
  for (int i = 0; i < 8; i++) p[i] = img_new(W, H, 4, 0);
  fill(&s4, 1);
  fill(&s3, 1);
  fill(&a, 1);
#define SAME(buf1, buf2, bytes)                                                                   \
  do {                                                                                            \
    for (size_t y = 0; y < H; y++) CHECK_MEM_EQ(img_px(&buf1, 0, y), img_px(&buf2, 0, y), bytes); \
  } while (0)
  /* 8-bit 4 -> 3 */
  vImage_Buffer s8 = s4.b, o3 = d1.b, o3b = d2.b;
  o3.rowBytes = o3b.rowBytes = d1.b.rowBytes;
  CHECK_EQ(vImageConvert_RGBA8888toBGR888(&s8, &o3, 0), 0);
  CHECK_EQ(vImageConvert_BGRA8888toRGB888(&s8, &o3b, 0), 0);
  SAME(d1, d2, W * 3);
  CHECK_EQ(vImageConvert_BGRA8888toBGR888(&s8, &o3, 0), 0);
  CHECK_EQ(vImageConvert_RGBA8888toRGB888(&s8, &o3b, 0), 0);
  SAME(d1, d2, W * 3);
  /* 3 -> 4 */
  CHECK_EQ(vImageConvert_BGR888toBGRA8888(&s3.b, &a.b, 0, &d1.b, true, 0), 0);
  CHECK_EQ(vImageConvert_RGB888toRGBA8888(&s3.b, &a.b, 0, &d2.b, true, 0), 0);
  SAME(d1, d2, W * 4);
  CHECK_EQ(vImageConvert_BGR888toRGBA8888(&s3.b, NULL, 9, &d1.b, false, 0), 0);
  CHECK_EQ(vImageConvert_RGB888toBGRA8888(&s3.b, NULL, 9, &d2.b, false, 0), 0);
  SAME(d1, d2, W * 4);
  fill(&s3, 4);
  fill(&a, 4);
  CHECK_EQ(vImageConvert_BGRFFFtoBGRAFFFF(&s3.b, &a.b, 0.f, &d1.b, true, 0), 0);
  CHECK_EQ(vImageConvert_RGBFFFtoRGBAFFFF(&s3.b, &a.b, 0.f, &d2.b, true, 0), 0);
  SAME(d1, d2, W * 16);
  CHECK_EQ(vImageConvert_BGRFFFtoRGBAFFFF(&s3.b, NULL, 0.5f, &d1.b, false, 0), 0);
  CHECK_EQ(vImageConvert_RGBFFFtoBGRAFFFF(&s3.b, NULL, 0.5f, &d2.b, false, 0), 0);
  SAME(d1, d2, W * 16);
  /* de-interleave 8-bit: RGBA order through the ARGB function */
  vImage_Buffer q8[8];
  for (int i = 0; i < 8; i++) {
    q8[i] = p[i].b;
    q8[i].rowBytes = p[i].b.rowBytes;
  }
  CHECK_EQ(vImageConvert_RGBA8888toPlanar8(&s8, &q8[0], &q8[1], &q8[2], &q8[3], 0), 0);
  CHECK_EQ(vImageConvert_ARGB8888toPlanar8(&s8, &q8[4], &q8[5], &q8[6], &q8[7], 0), 0);
  for (int i = 0; i < 4; i++) SAME(p[i], p[i + 4], W);
  CHECK_EQ(vImageConvert_BGRA8888toPlanar8(&s8, &q8[0], &q8[1], &q8[2], &q8[3], 0), 0);
  for (int i = 0; i < 4; i++) SAME(p[i], p[i + 4], W);
  CHECK_EQ(vImageConvert_RGBX8888ToPlanar8(&s8, &q8[0], &q8[1], &q8[2], 0), 0);
  CHECK_EQ(vImageConvert_BGRX8888ToPlanar8(&s8, &q8[4], &q8[5], &q8[6], 0), 0);
  for (int i = 0; i < 3; i++) SAME(p[i], p[i + 4], W);
  CHECK_EQ(vImageConvert_Planar8ToRGBX8888(&q8[0], &q8[1], &q8[2], 5, &o3, 0), 0);
  CHECK_EQ(vImageConvert_Planar8ToBGRX8888(&q8[0], &q8[1], &q8[2], 5, &o3b, 0), 0);
  SAME(d1, d2, W * 4);
  /* float */
  fill(&s4, 4);
  CHECK_EQ(vImageConvert_RGBAFFFFtoPlanarF(&s4.b, &p[0].b, &p[1].b, &p[2].b, &p[3].b, 0), 0);
  CHECK_EQ(vImageConvert_ARGBFFFFtoPlanarF(&s4.b, &p[4].b, &p[5].b, &p[6].b, &p[7].b, 0), 0);
  for (int i = 0; i < 4; i++) SAME(p[i], p[i + 4], W * 4);
  CHECK_EQ(vImageConvert_BGRAFFFFtoPlanarF(&s4.b, &p[0].b, &p[1].b, &p[2].b, &p[3].b, 0), 0);
  for (int i = 0; i < 4; i++) SAME(p[i], p[i + 4], W * 4);
  CHECK_EQ(vImageConvert_RGBXFFFFToPlanarF(&s4.b, &p[0].b, &p[1].b, &p[2].b, 0), 0);
  CHECK_EQ(vImageConvert_BGRXFFFFToPlanarF(&s4.b, &p[4].b, &p[5].b, &p[6].b, 0), 0);
  for (int i = 0; i < 3; i++) SAME(p[i], p[i + 4], W * 4);
  CHECK_EQ(vImageConvert_PlanarFToRGBXFFFF(&p[0].b, &p[1].b, &p[2].b, 1.f, &d1.b, 0), 0);
  CHECK_EQ(vImageConvert_PlanarFToBGRXFFFF(&p[0].b, &p[1].b, &p[2].b, 1.f, &d2.b, 0), 0);
  SAME(d1, d2, W * 16);
#undef SAME
  for (int i = 0; i < 8; i++) img_free(&p[i]);
  img_free(&s4);
  img_free(&s3);
  img_free(&a);
  img_free(&d1);
  img_free(&d2);
}

int main(void) {
  drops();
  adds();
  interleaves();
  deinterleaves();
  test_chunky(1);
  test_chunky(4);
  macros();
  return check_report();
}
