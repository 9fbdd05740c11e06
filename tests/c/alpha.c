/*
 * The alpha family from C: every function of Alpha.h (premultiply, unpremultiply, blends, clip
 * to alpha, with the BGRA / RGBA spellings) and every vImageFlatten_* function of Conversion.h
 * (and its BGR macros), on every geometry of ops_util.h, checked pixel by pixel against the
 * formulas written below, out of place and in place where the function allows it, with guard
 * bytes; then the error cases every function shares and the ones particular to some.
 */
#include "ops_util.h"

enum { K8, K16U, KQ12, KF };

typedef struct ctx ctx_t;
typedef vImage_Error (*call_t)(const vImage_Buffer *const *src, const vImage_Buffer *dest,
                               vImage_Flags flags, const ctx_t *c);
typedef void (*expect_t)(const uint8_t *const *px, uint8_t *out, const ctx_t *c);

typedef vImage_Error (*f1_t)(const vImage_Buffer *, const vImage_Buffer *, vImage_Flags);
typedef vImage_Error (*f2_t)(const vImage_Buffer *, const vImage_Buffer *, const vImage_Buffer *,
                             vImage_Flags);
typedef vImage_Error (*f3_t)(const vImage_Buffer *, const vImage_Buffer *, const vImage_Buffer *,
                             const vImage_Buffer *, vImage_Flags);
typedef vImage_Error (*f8bg_t)(const vImage_Buffer *, const vImage_Buffer *, const uint8_t *,
                               bool, vImage_Flags);
typedef vImage_Error (*ffbg_t)(const vImage_Buffer *, const vImage_Buffer *, const float *, bool,
                               vImage_Flags);

struct ctx {
  f1_t f1;
  f2_t f2;
  f3_t f3;
  f8bg_t f8bg;
  ffbg_t ffbg;
  int alpha; /* alpha channel of four-channel pixels */
  int mode;  /* which formula variant */
  int sel;   /* which function a shared call wrapper calls */
  uint8_t k8;
  float kf;
  uint8_t map[4];
  bool opaque;
  bool pm;
  uint8_t bg8[4];
  uint16_t bg16[4];
  int16_t bgq[4];
  float bgf[4];
};

typedef struct {
  const char *name;
  int nsrc;
  int kind;
  size_t sbpp, dbpp;
  int in_place; /* source that may be the destination, or -1 */
  call_t call;
  expect_t expect;
  ctx_t c;
} case_t;

/* ---- sample access ------------------------------------------------------------------------ */

static float getf(const uint8_t *p, int i) {
  float v;
  memcpy(&v, p + 4 * i, 4);
  return v;
}
static void putf(uint8_t *p, int i, float v) { memcpy(p + 4 * i, &v, 4); }
static uint16_t get16(const uint8_t *p, int i) {
  uint16_t v;
  memcpy(&v, p + 2 * i, 2);
  return v;
}
static void put16(uint8_t *p, int i, uint16_t v) { memcpy(p + 2 * i, &v, 2); }
static int16_t getq(const uint8_t *p, int i) {
  int16_t v;
  memcpy(&v, p + 2 * i, 2);
  return v;
}
static void putq(uint8_t *p, int i, int16_t v) { memcpy(p + 2 * i, &v, 2); }

static long long clampll(long long v, long long lo, long long hi) { return v < lo ? lo : v > hi ? hi : v; }

/* ---- the documented formulas --------------------------------------------------------------- */

static uint8_t premul8(unsigned c, unsigned a) { return (uint8_t)((c * a + 127) / 255); }
static uint8_t unpremul8(unsigned c, unsigned a) {
  return a == 0 ? 0 : (uint8_t)(((c < a ? c : a) * 255 + a / 2) / a);
}
/* premultiplied over: (t*255 + (255 - ta)*b + 127) / 255, saturated */
static uint8_t over8(unsigned t, unsigned b, unsigned ta) {
  unsigned v = (t * 255 + (255 - ta) * b + 127) / 255;
  return (uint8_t)(v > 255 ? 255 : v);
}
static uint8_t const8(unsigned t, unsigned b, unsigned ta, unsigned k) {
  unsigned v = (t * k * 255 + (255 * 255 - ta * k) * b + 127 * 255) / (255 * 255);
  return (uint8_t)(v > 255 ? 255 : v);
}
static uint8_t nonpremul8(unsigned ct, unsigned cb, unsigned at) {
  return (uint8_t)((ct * at + (255 - at) * cb + 127) / 255);
}
/* non-premultiplied colour over result alpha a: (255*ct*at + (255-at)*ab*cb + 255a/2) / (255a) */
static uint8_t ablend8(unsigned ct, unsigned at, unsigned cb, unsigned ab, unsigned a) {
  if (a == 0) return 0;
  unsigned long v = (255ul * ct * at + (255ul - at) * ab * cb + 255ul * a / 2) / (255ul * a);
  return (uint8_t)(v > 255 ? 255 : v);
}
static float overf(float t, float b, float ta) { return t + (1.0f - ta) * b; }
static float ablendf(float ct, float at, float cb, float ab, float a) {
  return a == 0.0f ? 0.0f : (ct * at + ((1.0f - at) * ab) * cb) / a;
}
static float minf(float c, float a) { return c < a ? c : a; }

/* ---- expected pixels ------------------------------------------------------------------------ */

static void exp_pm8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  const uint8_t *s = px[0];
  for (int j = 0; j < 4; j++)
    o[j] = j == c->alpha ? s[j]
           : c->mode == 0 ? premul8(s[j], s[c->alpha])
           : c->mode == 1 ? unpremul8(s[j], s[c->alpha])
                          : (s[j] < s[c->alpha] ? s[j] : s[c->alpha]);
}
static void exp_pm16(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  unsigned long a = get16(px[0], c->alpha);
  for (int j = 0; j < 4; j++) {
    unsigned long v = get16(px[0], j), r;
    if (j == c->alpha) r = a;
    else if (c->mode == 0) r = (v * a + 32767) / 65535;
    else r = a == 0 ? 0 : ((v < a ? v : a) * 65535 + a / 2) / a;
    put16(o, j, (uint16_t)r);
  }
}
static void exp_pmq(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  long long a = getq(px[0], c->alpha);
  for (int j = 0; j < 4; j++) {
    long long v = getq(px[0], j), r; /* C division truncates toward zero */
    if (j == c->alpha) r = a;
    else if (c->mode == 0) r = (v * a + 2048) / 4096;
    else r = a == 0 ? 0 : ((v < a ? v : a) * 4096 + a / 2) / a;
    putq(o, j, (int16_t)clampll(r, -32768, 32767));
  }
}
static void exp_pmf(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  float a = getf(px[0], c->alpha);
  for (int j = 0; j < 4; j++) {
    float v = getf(px[0], j);
    putf(o, j, j == c->alpha ? a : c->mode == 0 ? v * a : c->mode == 1 ? (a == 0.0f ? 0.0f : v / a) : minf(v, a));
  }
}
static void exp_planar8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  unsigned v = px[0][0], a = px[1][0];
  o[0] = c->mode == 0 ? premul8(v, a) : c->mode == 1 ? unpremul8(v, a) : (uint8_t)(v < a ? v : a);
}
static void exp_planarf(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  float v = getf(px[0], 0), a = getf(px[1], 0);
  putf(o, 0, c->mode == 0 ? v * a : c->mode == 1 ? (a == 0.0f ? 0.0f : v / a) : minf(v, a));
}
static void exp_over8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  for (int j = 0; j < 4; j++) o[j] = over8(px[0][j], px[1][j], px[0][c->alpha]);
}
static void exp_overf(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  for (int j = 0; j < 4; j++) putf(o, j, overf(getf(px[0], j), getf(px[1], j), getf(px[0], c->alpha)));
}
static void exp_ablend8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  const uint8_t *t = px[0], *b = px[1];
  (void)c;
  o[0] = over8(t[0], b[0], t[0]);
  for (int j = 1; j < 4; j++) o[j] = ablend8(t[j], t[0], b[j], b[0], o[0]);
}
static void exp_ablendf(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  float at = getf(px[0], 0), ab = getf(px[1], 0), a = at + (1.0f - at) * ab;
  (void)c;
  putf(o, 0, a);
  for (int j = 1; j < 4; j++) putf(o, j, ablendf(getf(px[0], j), at, getf(px[1], j), ab, a));
}
static void exp_const8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  for (int j = 0; j < 4; j++) o[j] = const8(px[0][j], px[1][j], px[0][0], c->k8);
}
static void exp_constf(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  float at = getf(px[0], 0);
  for (int j = 0; j < 4; j++) putf(o, j, getf(px[0], j) * c->kf + (1.0f - at * c->kf) * getf(px[1], j));
}
static void exp_np8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  (void)c;
  o[0] = over8(px[0][0], px[1][0], px[0][0]);
  for (int j = 1; j < 4; j++) o[j] = nonpremul8(px[0][j], px[1][j], px[0][0]);
}
static void exp_npf(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  float at = getf(px[0], 0);
  (void)c;
  putf(o, 0, at + (1.0f - at) * getf(px[1], 0));
  for (int j = 1; j < 4; j++) putf(o, j, getf(px[0], j) * at + (1.0f - at) * getf(px[1], j));
}
static void exp_perm8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  uint8_t t[4];
  for (int j = 0; j < 4; j++) t[j] = px[0][c->map[j]];
  for (int j = 0; j < 4; j++)
    o[j] = (j == c->alpha && c->opaque) ? 255 : over8(t[j], px[1][j], t[c->alpha]);
}
static void exp_mode8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  const uint8_t *t = px[0], *b = px[1];
  unsigned at = t[3], ab = b[3];
  for (int j = 0; j < 3; j++) {
    unsigned ct = t[j], cb = b[j], v;
    unsigned x = ct + ((255 - at) * cb + 127) / 255, y = cb + ((255 - ab) * ct + 127) / 255;
    switch (c->mode) {
      case 0: v = ((255 - at) * cb + (255 - ab) * ct + ct * cb + 127) / 255; break;
      case 1: {
        int s = (int)ct + (int)cb - (int)((ct * cb + 127) / 255);
        v = (unsigned)(s < 0 ? 0 : s);
        break;
      }
      case 2: v = x < y ? x : y; break;
      default: v = x > y ? x : y; break;
    }
    o[j] = (uint8_t)(v > 255 ? 255 : v);
  }
  o[3] = over8(at, ab, at);
}
/* planar blends: sources (top, topAlpha, bottom[, bottomAlpha, alpha]) */
static void exp_pblend8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  unsigned t = px[0][0], ta = px[1][0], b = px[2][0];
  switch (c->mode) {
    case 0: o[0] = over8(t, b, ta); break;
    case 1: o[0] = nonpremul8(t, b, ta); break;
    case 2: o[0] = const8(t, b, ta, c->k8); break;
    default: o[0] = ablend8(t, ta, b, px[3][0], px[4][0]); break;
  }
}
static void exp_pblendf(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  float t = getf(px[0], 0), ta = getf(px[1], 0), b = getf(px[2], 0), v;
  switch (c->mode) {
    case 0: v = overf(t, b, ta); break;
    case 1: v = t * ta + (1.0f - ta) * b; break;
    case 2: v = t * c->kf + (1.0f - ta * c->kf) * b; break;
    default: v = ablendf(t, ta, b, getf(px[3], 0), getf(px[4], 0)); break;
  }
  putf(o, 0, v);
}
/* flatten: straight (c*a + (255-a)*bg + 127)/255, premultiplied (c*255 + ...)/255 saturated */
static uint8_t flat8(unsigned c, unsigned a, unsigned bg, bool pm) {
  unsigned v = (c * (pm ? 255 : a) + (255 - a) * bg + 127) / 255;
  return (uint8_t)(v > 255 ? 255 : v);
}
static float flatf(float c, float a, float bg, bool pm) { return (pm ? c : c * a) + (1.0f - a) * bg; }
/* mode: 3 = to three channels through map (R, G, B source channels); 4 = four channels */
static void exp_flat8(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  const uint8_t *s = px[0];
  if (c->mode == 3)
    for (int j = 0; j < 3; j++) o[j] = flat8(s[c->map[j]], s[c->alpha], c->bg8[c->map[j]], c->pm);
  else
    for (int j = 0; j < 4; j++) o[j] = flat8(s[j], s[c->alpha], c->bg8[j], c->pm || j == c->alpha);
}
static void exp_flatf(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  float a = getf(px[0], c->alpha);
  if (c->mode == 3)
    for (int j = 0; j < 3; j++) putf(o, j, flatf(getf(px[0], c->map[j]), a, c->bgf[c->map[j]], c->pm));
  else
    for (int j = 0; j < 4; j++) putf(o, j, flatf(getf(px[0], j), a, c->bgf[j], c->pm || j == c->alpha));
}
static void exp_flat16(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  unsigned long long a = get16(px[0], c->alpha);
  for (int j = 0; j < 4; j++) {
    unsigned long long w = (c->pm || j == c->alpha) ? 65535 : a;
    unsigned long long v = (get16(px[0], j) * w + (65535 - a) * c->bg16[j] + 32767) / 65535;
    put16(o, j, (uint16_t)(v > 65535 ? 65535 : v));
  }
}
static void exp_flatq(const uint8_t *const *px, uint8_t *o, const ctx_t *c) {
  long long a = clampll(getq(px[0], c->alpha), 0, 4096); /* Apple: CLAMP(0, pixelAlpha, 4096) */
  for (int j = 0; j < 4; j++) {
    long long x = j == c->alpha ? a : getq(px[0], j);
    long long w = (c->pm || j == c->alpha) ? 4096 : a;
    long long v = x * w + (4096 - a) * c->bgq[j] + 2048;
    v = v >= 0 ? v >> 12 : -((-v + 4095) >> 12); /* arithmetic shift (floor), portably */
    putq(o, j, (int16_t)clampll(v, -32768, 32767));
  }
}

/* ---- call wrappers -------------------------------------------------------------------------- */

static vImage_Error call1(const vImage_Buffer *const *s, const vImage_Buffer *d, vImage_Flags f,
                          const ctx_t *c) {
  return c->f1(s[0], d, f);
}
static vImage_Error call2(const vImage_Buffer *const *s, const vImage_Buffer *d, vImage_Flags f,
                          const ctx_t *c) {
  return c->f2(s[0], s[1], d, f);
}
static vImage_Error call3(const vImage_Buffer *const *s, const vImage_Buffer *d, vImage_Flags f,
                          const ctx_t *c) {
  return c->f3(s[0], s[1], s[2], d, f);
}
static vImage_Error call_ablend_p(const vImage_Buffer *const *s, const vImage_Buffer *d,
                                  vImage_Flags f, const ctx_t *c) {
  return c->sel == 0 ? vImageAlphaBlend_Planar8(s[0], s[1], s[2], s[3], s[4], d, f)
                                       : vImageAlphaBlend_PlanarF(s[0], s[1], s[2], s[3], s[4], d, f);
}
static vImage_Error call_const(const vImage_Buffer *const *s, const vImage_Buffer *d,
                               vImage_Flags f, const ctx_t *c) {
  switch (c->sel) {
    case 0: return vImagePremultipliedConstAlphaBlend_ARGB8888(s[0], c->k8, s[1], d, f);
    case 1: return vImagePremultipliedConstAlphaBlend_ARGBFFFF(s[0], c->kf, s[1], d, f);
    case 2: return vImagePremultipliedConstAlphaBlend_Planar8(s[0], c->k8, s[1], s[2], d, f);
    default: return vImagePremultipliedConstAlphaBlend_PlanarF(s[0], c->kf, s[1], s[2], d, f);
  }
}
static vImage_Error call_perm(const vImage_Buffer *const *s, const vImage_Buffer *d,
                              vImage_Flags f, const ctx_t *c) {
  return c->alpha == 0 ? vImagePremultipliedAlphaBlendWithPermute_ARGB8888(s[0], s[1], d, c->map, c->opaque, f)
                       : vImagePremultipliedAlphaBlendWithPermute_RGBA8888(s[0], s[1], d, c->map, c->opaque, f);
}
static vImage_Error call_f8bg(const vImage_Buffer *const *s, const vImage_Buffer *d,
                              vImage_Flags f, const ctx_t *c) {
  return c->f8bg(s[0], d, c->bg8, c->pm, f);
}
static vImage_Error call_ffbg(const vImage_Buffer *const *s, const vImage_Buffer *d,
                              vImage_Flags f, const ctx_t *c) {
  return c->ffbg(s[0], d, c->bgf, c->pm, f);
}
static vImage_Error call_flat16(const vImage_Buffer *const *s, const vImage_Buffer *d,
                                vImage_Flags f, const ctx_t *c) {
  return c->alpha == 0 ? vImageFlatten_ARGB16U(s[0], d, c->bg16, c->pm, f)
                       : vImageFlatten_RGBA16U(s[0], d, c->bg16, c->pm, f);
}
static vImage_Error call_flatq(const vImage_Buffer *const *s, const vImage_Buffer *d,
                               vImage_Flags f, const ctx_t *c) {
  return c->alpha == 0 ? vImageFlatten_ARGB16Q12(s[0], d, c->bgq, c->pm, f)
                       : vImageFlatten_RGBA16Q12(s[0], d, c->bgq, c->pm, f);
}
/* The Conversion.h macros (BGR888 outputs) expand to exported functions. */
static vImage_Error call_bgr_macro(const vImage_Buffer *const *s, const vImage_Buffer *d,
                                   vImage_Flags f, const ctx_t *c) {
  switch (c->sel) {
    case 0: return vImageFlatten_BGRA8888ToBGR888(s[0], d, c->bg8, c->pm, f);
    case 1: return vImageFlatten_RGBA8888ToBGR888(s[0], d, c->bg8, c->pm, f);
    case 2: return vImageFlatten_BGRAFFFFToBGRFFF(s[0], d, c->bgf, c->pm, f);
    default: return vImageFlatten_RGBAFFFFToBGRFFF(s[0], d, c->bgf, c->pm, f);
  }
}

/* ---- the runner ----------------------------------------------------------------------------- */

static void fill(img_t *m, int kind) {
  img_fill_random(m);
  if (kind != KF) return;
  for (size_t y = 0; y < m->b.height; y++)
    for (size_t i = 0; i < m->b.width * m->bpp / 4; i++) {
      uint32_t r = rng();
      float v = (r & 7) == 0 ? 0.0f : (r & 7) == 1 ? 1.0f : (float)(r >> 8) / 16777216.0f;
      putf(img_px(m, 0, y), (int)i, v);
    }
}

static void run_on(const case_t *k, geom_t G) {
  img_t s[5], d = img_new(G.w, G.h, k->dbpp, G.pad + 3);
  const vImage_Buffer *sb[5];
  uint8_t want[16];
  for (int i = 0; i < k->nsrc; i++) {
    s[i] = img_new(G.w, G.h, k->sbpp, G.pad);
    fill(&s[i], k->kind);
    sb[i] = &s[i].b;
  }
  if (!CHECK_EQ(k->call(sb, &d.b, kvImageNoFlags, &k->c), kvImageNoError))
    fprintf(stderr, "  %s on %zux%zu\n", k->name, G.w, G.h);
  int bad = 0;
  for (size_t y = 0; y < G.h; y++)
    for (size_t x = 0; x < G.w; x++) {
      const uint8_t *px[5];
      for (int i = 0; i < k->nsrc; i++) px[i] = img_px(&s[i], x, y);
      k->expect(px, want, &k->c);
      bad += memcmp(want, img_px(&d, x, y), k->dbpp) != 0;
    }
  if (!CHECK_EQ(bad, 0)) fprintf(stderr, "  %s on %zux%zu: %d pixels differ\n", k->name, G.w, G.h, bad);
  CHECK(img_guards_ok(&d));
  if (k->in_place >= 0) {
    for (int t = 0; t < 2; t++) {
      int i = k->in_place;
      img_t ip = img_new(G.w, G.h, k->sbpp, G.pad);
      for (size_t y = 0; y < G.h; y++) memcpy(img_px(&ip, 0, y), img_px(&s[i], 0, y), G.w * k->sbpp);
      sb[i] = &ip.b;
      if (!CHECK_EQ(k->call(sb, &ip.b, t ? kvImageDoNotTile : kvImageNoFlags, &k->c), kvImageNoError))
        fprintf(stderr, "  %s in place\n", k->name);
      for (size_t y = 0; y < G.h; y++)
        if (!CHECK_MEM_EQ(img_px(&ip, 0, y), img_px(&d, 0, y), G.w * k->dbpp)) {
          fprintf(stderr, "  %s in place, row %zu\n", k->name, y);
          break;
        }
      CHECK(img_guards_ok(&ip));
      sb[i] = &s[i].b;
      img_free(&ip);
    }
  }
  for (int i = 0; i < k->nsrc; i++) img_free(&s[i]);
  img_free(&d);
}

/* The errors every function shares: NULL buffers, a destination larger than a source, an
 * undefined flag bit. */
static void shared_errors(const case_t *k) {
  img_t s[5], d = img_new(4, 4, k->dbpp, 0), big = img_new(5, 4, k->dbpp, 0);
  const vImage_Buffer *sb[5];
  for (int i = 0; i < k->nsrc; i++) {
    s[i] = img_new(4, 4, k->sbpp, 0);
    fill(&s[i], k->kind);
    sb[i] = &s[i].b;
  }
  for (int i = 0; i < k->nsrc; i++) {
    sb[i] = NULL;
    if (!CHECK_EQ(k->call(sb, &d.b, 0, &k->c), kvImageNullPointerArgument)) fprintf(stderr, "  %s\n", k->name);
    sb[i] = &s[i].b;
  }
  if (!CHECK_EQ(k->call(sb, NULL, 0, &k->c), kvImageNullPointerArgument)) fprintf(stderr, "  %s\n", k->name);
  if (!CHECK_EQ(k->call(sb, &big.b, 0, &k->c), kvImageRoiLargerThanInputBuffer)) fprintf(stderr, "  %s\n", k->name);
  if (!CHECK_EQ(k->call(sb, &d.b, 1u << 20, &k->c), kvImageUnknownFlagsBit)) fprintf(stderr, "  %s\n", k->name);
  CHECK(img_guards_ok(&d));
  CHECK(img_guards_ok(&big));
  for (int i = 0; i < k->nsrc; i++) img_free(&s[i]);
  img_free(&d);
  img_free(&big);
}

static int under_valgrind;

static void run_case(const case_t *k) {
  for (size_t g = 0; g < NGEOMS; g++) run_on(k, GEOMS[g]);
  if (!under_valgrind) run_on(k, big_geom());
  shared_errors(k);
}

/* ---- the cases ------------------------------------------------------------------------------ */

static case_t mk(const char *name, int nsrc, int kind, size_t sbpp, size_t dbpp, int in_place,
                 call_t call, expect_t expect) {
  case_t k;
  memset(&k, 0, sizeof k);
  k.name = name;
  k.nsrc = nsrc;
  k.kind = kind;
  k.sbpp = sbpp;
  k.dbpp = dbpp;
  k.in_place = in_place;
  k.call = call;
  k.expect = expect;
  return k;
}

#define UNARY(fn, kind, bpp, alpha_, mode_, ex)              \
  do {                                                       \
    case_t k = mk(#fn, 1, kind, bpp, bpp, 0, call1, ex);     \
    k.c.f1 = fn;                                             \
    k.c.alpha = alpha_;                                      \
    k.c.mode = mode_;                                        \
    run_case(&k);                                            \
  } while (0)

#define PLANAR2(fn, kind, bpp, mode_, ex)                    \
  do {                                                       \
    case_t k = mk(#fn, 2, kind, bpp, bpp, 0, call2, ex);     \
    k.c.f2 = fn;                                             \
    k.c.mode = mode_;                                        \
    run_case(&k);                                            \
  } while (0)

#define BINARY(fn, kind, bpp, alpha_, mode_, ex, ip)         \
  do {                                                       \
    case_t k = mk(#fn, 2, kind, bpp, bpp, ip, call2, ex);    \
    k.c.f2 = fn;                                             \
    k.c.alpha = alpha_;                                      \
    k.c.mode = mode_;                                        \
    run_case(&k);                                            \
  } while (0)

#define PLANAR3(fn, kind, bpp, mode_, ex, ip)                \
  do {                                                       \
    case_t k = mk(#fn, 3, kind, bpp, bpp, ip, call3, ex);    \
    k.c.f3 = fn;                                             \
    k.c.mode = mode_;                                        \
    run_case(&k);                                            \
  } while (0)

static void premultiply_unpremultiply_clip(void) {
  UNARY(vImagePremultiplyData_ARGB8888, K8, 4, 0, 0, exp_pm8);
  UNARY(vImagePremultiplyData_RGBA8888, K8, 4, 3, 0, exp_pm8);
  UNARY(vImagePremultiplyData_BGRA8888, K8, 4, 3, 0, exp_pm8);
  UNARY(vImageUnpremultiplyData_ARGB8888, K8, 4, 0, 1, exp_pm8);
  UNARY(vImageUnpremultiplyData_RGBA8888, K8, 4, 3, 1, exp_pm8);
  UNARY(vImageUnpremultiplyData_BGRA8888, K8, 4, 3, 1, exp_pm8);
  UNARY(vImageClipToAlpha_ARGB8888, K8, 4, 0, 2, exp_pm8);
  UNARY(vImageClipToAlpha_RGBA8888, K8, 4, 3, 2, exp_pm8);
  UNARY(vImageClipToAlpha_BGRA8888, K8, 4, 3, 2, exp_pm8);
  UNARY(vImagePremultiplyData_ARGB16U, K16U, 8, 0, 0, exp_pm16);
  UNARY(vImagePremultiplyData_RGBA16U, K16U, 8, 3, 0, exp_pm16);
  UNARY(vImagePremultiplyData_BGRA16U, K16U, 8, 3, 0, exp_pm16);
  UNARY(vImageUnpremultiplyData_ARGB16U, K16U, 8, 0, 1, exp_pm16);
  UNARY(vImageUnpremultiplyData_RGBA16U, K16U, 8, 3, 1, exp_pm16);
  UNARY(vImageUnpremultiplyData_BGRA16U, K16U, 8, 3, 1, exp_pm16);
  UNARY(vImagePremultiplyData_ARGB16Q12, KQ12, 8, 0, 0, exp_pmq);
  UNARY(vImagePremultiplyData_RGBA16Q12, KQ12, 8, 3, 0, exp_pmq);
  UNARY(vImageUnpremultiplyData_ARGB16Q12, KQ12, 8, 0, 1, exp_pmq);
  UNARY(vImageUnpremultiplyData_RGBA16Q12, KQ12, 8, 3, 1, exp_pmq);
  UNARY(vImagePremultiplyData_ARGBFFFF, KF, 16, 0, 0, exp_pmf);
  UNARY(vImagePremultiplyData_RGBAFFFF, KF, 16, 3, 0, exp_pmf);
  UNARY(vImagePremultiplyData_BGRAFFFF, KF, 16, 3, 0, exp_pmf);
  UNARY(vImageUnpremultiplyData_ARGBFFFF, KF, 16, 0, 1, exp_pmf);
  UNARY(vImageUnpremultiplyData_RGBAFFFF, KF, 16, 3, 1, exp_pmf);
  UNARY(vImageUnpremultiplyData_BGRAFFFF, KF, 16, 3, 1, exp_pmf);
  UNARY(vImageClipToAlpha_ARGBFFFF, KF, 16, 0, 2, exp_pmf);
  UNARY(vImageClipToAlpha_RGBAFFFF, KF, 16, 3, 2, exp_pmf);
  UNARY(vImageClipToAlpha_BGRAFFFF, KF, 16, 3, 2, exp_pmf);
  PLANAR2(vImagePremultiplyData_Planar8, K8, 1, 0, exp_planar8);
  PLANAR2(vImageUnpremultiplyData_Planar8, K8, 1, 1, exp_planar8);
  PLANAR2(vImageClipToAlpha_Planar8, K8, 1, 2, exp_planar8);
  PLANAR2(vImagePremultiplyData_PlanarF, KF, 4, 0, exp_planarf);
  PLANAR2(vImageUnpremultiplyData_PlanarF, KF, 4, 1, exp_planarf);
  PLANAR2(vImageClipToAlpha_PlanarF, KF, 4, 2, exp_planarf);
}

static void blends(void) {
  BINARY(vImagePremultipliedAlphaBlend_ARGB8888, K8, 4, 0, 0, exp_over8, 0);
  BINARY(vImagePremultipliedAlphaBlend_BGRA8888, K8, 4, 3, 0, exp_over8, 1);
  BINARY(vImagePremultipliedAlphaBlend_RGBA8888, K8, 4, 3, 0, exp_over8, 0);
  BINARY(vImagePremultipliedAlphaBlend_ARGBFFFF, KF, 16, 0, 0, exp_overf, 1);
  BINARY(vImagePremultipliedAlphaBlend_BGRAFFFF, KF, 16, 3, 0, exp_overf, 0);
  BINARY(vImagePremultipliedAlphaBlend_RGBAFFFF, KF, 16, 3, 0, exp_overf, 1);
  BINARY(vImageAlphaBlend_ARGB8888, K8, 4, 0, 0, exp_ablend8, 0);
  BINARY(vImageAlphaBlend_ARGBFFFF, KF, 16, 0, 0, exp_ablendf, 1);
  BINARY(vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGB8888, K8, 4, 0, 0, exp_np8, 1);
  BINARY(vImageAlphaBlend_NonpremultipliedToPremultiplied_ARGBFFFF, KF, 16, 0, 0, exp_npf, 0);
  BINARY(vImagePremultipliedAlphaBlendMultiply_RGBA8888, K8, 4, 3, 0, exp_mode8, 0);
  BINARY(vImagePremultipliedAlphaBlendScreen_RGBA8888, K8, 4, 3, 1, exp_mode8, 1);
  BINARY(vImagePremultipliedAlphaBlendDarken_RGBA8888, K8, 4, 3, 2, exp_mode8, 0);
  BINARY(vImagePremultipliedAlphaBlendLighten_RGBA8888, K8, 4, 3, 3, exp_mode8, 1);
  PLANAR3(vImagePremultipliedAlphaBlend_Planar8, K8, 1, 0, exp_pblend8, 0);
  PLANAR3(vImagePremultipliedAlphaBlend_PlanarF, KF, 4, 0, exp_pblendf, 2);
  PLANAR3(vImageAlphaBlend_NonpremultipliedToPremultiplied_Planar8, K8, 1, 1, exp_pblend8, 2);
  PLANAR3(vImageAlphaBlend_NonpremultipliedToPremultiplied_PlanarF, KF, 4, 1, exp_pblendf, 0);
  {
    case_t k = mk("vImageAlphaBlend_Planar8", 5, K8, 1, 1, 4, call_ablend_p, exp_pblend8);
    k.c.mode = 3;
    run_case(&k);
    k = mk("vImageAlphaBlend_PlanarF", 5, KF, 4, 4, 0, call_ablend_p, exp_pblendf);
    k.c.mode = 3;
    k.c.sel = 1;
    run_case(&k);
  }
  static const uint8_t k8s[] = {0, 77, 255};
  static const float kfs[] = {0.0f, 0.3f, 1.0f};
  for (int i = 0; i < 3; i++) {
    case_t k = mk("vImagePremultipliedConstAlphaBlend_ARGB8888", 2, K8, 4, 4, 0, call_const, exp_const8);
    k.c.sel = 0;
    k.c.k8 = k8s[i];
    run_case(&k);
    k = mk("vImagePremultipliedConstAlphaBlend_ARGBFFFF", 2, KF, 16, 16, 1, call_const, exp_constf);
    k.c.sel = 1;
    k.c.kf = kfs[i];
    run_case(&k);
    k = mk("vImagePremultipliedConstAlphaBlend_Planar8", 3, K8, 1, 1, 0, call_const, exp_pblend8);
    k.c.sel = 2;
    k.c.mode = 2;
    k.c.k8 = k8s[i];
    run_case(&k);
    k = mk("vImagePremultipliedConstAlphaBlend_PlanarF", 3, KF, 4, 4, 2, call_const, exp_pblendf);
    k.c.sel = 3;
    k.c.mode = 2;
    k.c.kf = kfs[i];
    run_case(&k);
  }
  static const uint8_t maps[][4] = {{0, 1, 2, 3}, {3, 0, 1, 2}, {3, 2, 1, 0}, {1, 1, 3, 0}};
  for (int a = 0; a < 2; a++)
    for (int m = 0; m < 4; m++)
      for (int o = 0; o < 2; o++) {
        case_t k = mk(a ? "vImagePremultipliedAlphaBlendWithPermute_RGBA8888"
                        : "vImagePremultipliedAlphaBlendWithPermute_ARGB8888",
                      2, K8, 4, 4, 1, call_perm, exp_perm8);
        k.c.alpha = a ? 3 : 0;
        memcpy(k.c.map, maps[m], 4);
        k.c.opaque = o;
        run_case(&k);
      }
}

static void flatten(void) {
  static const uint8_t bg8s[][4] = {{0, 0, 0, 0}, {255, 255, 255, 255}, {10, 128, 200, 77}};
  static const float bgfs[][4] = {{0, 0, 0, 0}, {1, 1, 1, 1}, {0.25f, 0.5f, 0.75f, 0.125f}};
  static const uint16_t bg16s[][4] = {{0, 0, 0, 0}, {65535, 65535, 65535, 65535}, {1000, 40000, 65535, 7}};
  static const int16_t bgqs[][4] = {{0, 0, 0, 0}, {4096, 4096, 4096, 4096}, {-3000, 2000, 32767, -32768}};
  static const struct {
    const char *name;
    f8bg_t f8;
    ffbg_t ff;
    int alpha;
    uint8_t rgb[3];
  } to3[] = {
      {"vImageFlatten_ARGB8888ToRGB888", vImageFlatten_ARGB8888ToRGB888, vImageFlatten_ARGBFFFFToRGBFFF, 0, {1, 2, 3}},
      {"vImageFlatten_RGBA8888ToRGB888", vImageFlatten_RGBA8888ToRGB888, vImageFlatten_RGBAFFFFToRGBFFF, 3, {0, 1, 2}},
      {"vImageFlatten_BGRA8888ToRGB888", vImageFlatten_BGRA8888ToRGB888, vImageFlatten_BGRAFFFFToRGBFFF, 3, {2, 1, 0}},
  };
  for (int b = 0; b < 3; b++)
    for (int pm = 0; pm < 2; pm++) {
      for (int i = 0; i < 3; i++) {
        /* ToRGB888 works in place with identical data and rowBytes (IP-A). */
        case_t k = mk(to3[i].name, 1, K8, 4, 3, 0, call_f8bg, exp_flat8);
        k.c.f8bg = to3[i].f8;
        k.c.alpha = to3[i].alpha;
        k.c.mode = 3;
        memcpy(k.c.map, to3[i].rgb, 3);
        memcpy(k.c.bg8, bg8s[b], 4);
        k.c.pm = pm;
        run_case(&k);
        k = mk("vImageFlatten_*FFFFToRGBFFF", 1, KF, 16, 12, 0, call_ffbg, exp_flatf);
        k.c.ffbg = to3[i].ff;
        k.c.alpha = to3[i].alpha;
        k.c.mode = 3;
        memcpy(k.c.map, to3[i].rgb, 3);
        memcpy(k.c.bgf, bgfs[b], sizeof bgfs[b]);
        k.c.pm = pm;
        run_case(&k);
      }
      /* The BGR macros: BGRA8888ToBGR888 = RGBA8888ToRGB888, RGBA8888ToBGR888 =
       * BGRA8888ToRGB888 (FFFF likewise); the background stays in the source's order. */
      static const uint8_t macro_rgb[4][3] = {{0, 1, 2}, {2, 1, 0}, {0, 1, 2}, {2, 1, 0}};
      for (int m = 0; m < 4; m++) {
        case_t k = mk("vImageFlatten_*ToBGR* macro", 1, m < 2 ? K8 : KF, m < 2 ? 4 : 16, m < 2 ? 3 : 12, 0,
                      call_bgr_macro, m < 2 ? exp_flat8 : exp_flatf);
        k.c.sel = m;
        k.c.alpha = 3;
        k.c.mode = 3;
        memcpy(k.c.map, macro_rgb[m], 3);
        memcpy(k.c.bg8, bg8s[b], 4);
        memcpy(k.c.bgf, bgfs[b], sizeof bgfs[b]);
        k.c.pm = pm;
        run_case(&k);
      }
      static const struct {
        const char *name;
        f8bg_t f8;
        int alpha;
      } four8[] = {{"vImageFlatten_ARGB8888", vImageFlatten_ARGB8888, 0},
                   {"vImageFlatten_RGBA8888", vImageFlatten_RGBA8888, 3},
                   {"vImageFlatten_BGRA8888", vImageFlatten_BGRA8888, 3}};
      for (int i = 0; i < 3; i++) {
        case_t k = mk(four8[i].name, 1, K8, 4, 4, 0, call_f8bg, exp_flat8);
        k.c.f8bg = four8[i].f8;
        k.c.alpha = four8[i].alpha;
        k.c.mode = 4;
        memcpy(k.c.bg8, bg8s[b], 4);
        k.c.pm = pm;
        run_case(&k);
      }
      for (int a = 0; a < 2; a++) {
        case_t k = mk(a ? "vImageFlatten_RGBAFFFF" : "vImageFlatten_ARGBFFFF", 1, KF, 16, 16, 0, call_ffbg, exp_flatf);
        k.c.ffbg = a ? vImageFlatten_RGBAFFFF : vImageFlatten_ARGBFFFF;
        k.c.alpha = a ? 3 : 0;
        k.c.mode = 4;
        memcpy(k.c.bgf, bgfs[b], sizeof bgfs[b]);
        k.c.pm = pm;
        run_case(&k);
        k = mk(a ? "vImageFlatten_RGBA16U" : "vImageFlatten_ARGB16U", 1, K16U, 8, 8, 0, call_flat16, exp_flat16);
        k.c.alpha = a ? 3 : 0;
        memcpy(k.c.bg16, bg16s[b], sizeof bg16s[b]);
        k.c.pm = pm;
        run_case(&k);
        k = mk(a ? "vImageFlatten_RGBA16Q12" : "vImageFlatten_ARGB16Q12", 1, KQ12, 8, 8, 0, call_flatq, exp_flatq);
        k.c.alpha = a ? 3 : 0;
        memcpy(k.c.bgq, bgqs[b], sizeof bgqs[b]);
        k.c.pm = pm;
        run_case(&k);
      }
    }
}

/* Errors particular to some functions. */
static void particular_errors(void) {
  img_t s = img_new(4, 4, 4, 0), b = img_new(5, 5, 4, 0), d3 = img_new(4, 4, 3, 0);
  img_t sf = img_new(4, 4, 16, 0), df = img_new(4, 4, 12, 0), s16 = img_new(4, 4, 8, 0);
  img_fill_random(&s);
  img_fill_random(&b);
  fill(&sf, KF);
  const uint8_t id[4] = {0, 1, 2, 3}, bad[4] = {0, 1, 2, 4}, bg[4] = {1, 2, 3, 4};
  /* WithPermute: NULL map, entries > 3, srcTop / srcBottom of different sizes. */
  CHECK_EQ(vImagePremultipliedAlphaBlendWithPermute_ARGB8888(&s.b, &s.b, &s.b, NULL, false, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePremultipliedAlphaBlendWithPermute_RGBA8888(&s.b, &s.b, &s.b, bad, false, 0), kvImageInvalidParameter);
  CHECK_EQ(vImagePremultipliedAlphaBlendWithPermute_ARGB8888(&s.b, &b.b, &s.b, id, true, 0), kvImageBufferSizeMismatch);
  CHECK_EQ(vImagePremultipliedAlphaBlendWithPermute_ARGB8888(&s.b, &s.b, &s.b, id, true, kvImageGetTempBufferSize), 0);
  /* Flatten: NULL background; ToRGB888 takes kvImageDoNotTile only, the 4 -> 4 forms also the
   * temp-buffer query (which returns 0 and touches nothing). */
  CHECK_EQ(vImageFlatten_ARGB8888ToRGB888(&s.b, &d3.b, NULL, true, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageFlatten_ARGBFFFFToRGBFFF(&sf.b, &df.b, NULL, true, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageFlatten_RGBA8888(&s.b, &s.b, NULL, false, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageFlatten_ARGB16U(&s16.b, &s16.b, NULL, false, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageFlatten_ARGB8888ToRGB888(&s.b, &d3.b, bg, true, kvImageGetTempBufferSize), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageFlatten_ARGB8888ToRGB888(&s.b, &d3.b, bg, true, kvImageDoNotTile), kvImageNoError);
  uint8_t before[16];
  memcpy(before, img_px(&s, 0, 0), 16);
  CHECK_EQ(vImageFlatten_ARGB8888(&s.b, &s.b, bg, true, kvImageGetTempBufferSize), 0);
  CHECK_MEM_EQ(before, img_px(&s, 0, 0), 16);
  /* Interleaved unpremultiply in place needs the same rowBytes (IP-A); premultiply accepts a
   * source rowBytes larger than the destination's (IP-B) with kvImageDoNotTile. */
  vImage_Buffer narrow = s.b;
  narrow.width = 3;
  narrow.rowBytes = 12;
  CHECK_EQ(vImageUnpremultiplyData_ARGB8888(&s.b, &narrow, kvImageDoNotTile), kvImageInvalidParameter);
  vImage_Buffer narrowf = sf.b;
  narrowf.width = 3;
  narrowf.rowBytes = 48;
  CHECK_EQ(vImageUnpremultiplyData_ARGBFFFF(&sf.b, &narrowf, kvImageDoNotTile), kvImageInvalidParameter);
  CHECK_EQ(vImagePremultiplyData_ARGB8888(&s.b, &narrow, kvImageDoNotTile), kvImageNoError);
  /* Overlap that is not in place at all is refused. */
  vImage_Buffer shifted = s.b;
  shifted.data = (uint8_t *)s.b.data + 4;
  shifted.width = 3;
  CHECK_EQ(vImagePremultiplyData_ARGB8888(&s.b, &shifted, 0), kvImageInvalidParameter);
  CHECK(img_guards_ok(&s));
  CHECK(img_guards_ok(&d3));
  img_free(&s);
  img_free(&b);
  img_free(&d3);
  img_free(&sf);
  img_free(&df);
  img_free(&s16);
}

int main(void) {
  under_valgrind = getenv("VIMAGE_TEST_UNDER_VALGRIND") != NULL;
  premultiply_unpremultiply_clip();
  blends();
  flatten();
  particular_errors();
  return check_report();
}
