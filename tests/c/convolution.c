/*
 * Convolution.h from C: every exported function, against direct references written here
 * (Apple's pseudo-code, literally), on odd sizes, 1x1, 1xN, Nx1, padded rows, regions of
 * interest inside larger sources, every edge mode; guard bytes around destinations; the
 * errors; the temp-buffer query; and the UIImageEffects blur: three vImageBoxConvolve_ARGB8888
 * passes sharing one temp buffer sized by a kvImageGetTempBufferSize query, then
 * vImageCreateCGImageFromBuffer in no-copy mode, released.
 */
#include <CoreGraphics/CoreGraphics.h>
#include <math.h>

#include "ops_util.h"

static const vImage_Flags EDGES[4] = {kvImageCopyInPlace, kvImageBackgroundColorFill, kvImageEdgeExtend,
                                      kvImageTruncateKernel};

/* Destination w x h at (ox, oy) inside an sw x sh source. */
typedef struct {
  size_t w, h, sw, sh, ox, oy, pad;
} roi_t;

static const roi_t ROIS[] = {{1, 1, 1, 1, 0, 0, 0},  {7, 3, 7, 3, 0, 0, 5},  {1, 9, 1, 9, 0, 0, 3},
                             {9, 1, 9, 1, 0, 0, 0},  {5, 4, 11, 9, 3, 2, 1}, {4, 3, 9, 7, 5, 4, 64},
                             {17, 4, 20, 6, 1, 1, 2}};
#define NROIS (sizeof ROIS / sizeof ROIS[0])

static const uint32_t KS[][2] = {{1, 1}, {1, 3}, {3, 1}, {3, 3}, {5, 3}, {3, 7}, {7, 5}};
#define NKS (sizeof KS / sizeof KS[0])

/* The source pixel standing for (sx, sy), or NULL (background / truncated). */
static const uint8_t *fetch(const img_t *s, long sx, long sy, vImage_Flags edge) {
  long sw = (long)s->b.width, sh = (long)s->b.height;
  if (sx >= 0 && sy >= 0 && sx < sw && sy < sh) return img_px(s, (size_t)sx, (size_t)sy);
  if (edge == kvImageEdgeExtend || edge == kvImageCopyInPlace) {
    sx = sx < 0 ? 0 : sx >= sw ? sw - 1 : sx;
    sy = sy < 0 ? 0 : sy >= sh ? sh - 1 : sy;
    return img_px(s, (size_t)sx, (size_t)sy);
  }
  return NULL;
}

static int leaves(const roi_t *r, size_t x, size_t y, uint32_t kh, uint32_t kw) {
  long cx = (long)(x + r->ox), cy = (long)(y + r->oy);
  return cx < (long)(kw / 2) || cx + (long)(kw / 2) >= (long)r->sw || cy < (long)(kh / 2) ||
         cy + (long)(kh / 2) >= (long)r->sh;
}

/* Apple's 8-bit pseudo-code, literally, for channel c of output (x, y). kernels[c]. */
static uint8_t ref8(const img_t *s, const roi_t *r, size_t x, size_t y, int c, int ch, const int16_t *k, uint32_t kh,
                    uint32_t kw, int32_t divisor, int32_t bias, int half, vImage_Flags edge, const uint8_t *bg) {
  long cx = (long)(x + r->ox), cy = (long)(y + r->oy);
  if (edge == kvImageCopyInPlace && leaves(r, x, y, kh, kw)) return img_px(s, (size_t)cx, (size_t)cy)[c];
  int32_t sum = 0;
  long long used = 0, total = 0;
  for (uint32_t i = 0; i < kh; i++)
    for (uint32_t j = 0; j < kw; j++) {
      int32_t kv = k[i * kw + j];
      total += kv;
      const uint8_t *p = fetch(s, cx + (long)j - (long)(kw / 2), cy + (long)i - (long)(kh / 2), edge);
      int v;
      if (p)
        v = p[c];
      else if (edge == kvImageBackgroundColorFill)
        v = bg[ch == 1 ? 0 : c];
      else
        continue;
      used += kv;
      sum = (int32_t)((uint32_t)sum + (uint32_t)(kv * v));
    }
  long long d = divisor == 0 ? 1 : divisor, b = half ? d / 2 : bias, q;
  if (edge == kvImageTruncateKernel && leaves(r, x, y, kh, kw) && total != 0) {
    long long dd = d * used / total, bb = half ? dd / 2 : b * used / total;
    if (dd == 0) {
      dd = 1;
      if (half) bb = 0;
    }
    q = ((long long)sum + bb) / dd;
  } else {
    q = (long long)(int32_t)((uint32_t)sum + (uint32_t)b) / d;
  }
  return (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : q);
}

/* Float64 reference of the float forms; *mag gets the magnitude for the tolerance. */
static double reff(const img_t *s, const roi_t *r, size_t x, size_t y, int c, int ch, const float *k, uint32_t kh,
                   uint32_t kw, float bias, vImage_Flags edge, const float *bg, double *mag) {
  long cx = (long)(x + r->ox), cy = (long)(y + r->oy);
  *mag = 0;
  if (edge == kvImageCopyInPlace && leaves(r, x, y, kh, kw)) return ((const float *)(const void *)img_px(s, (size_t)cx, (size_t)cy))[c];
  double sum = 0, used = 0, total = 0;
  for (uint32_t i = 0; i < kh; i++)
    for (uint32_t j = 0; j < kw; j++) {
      double kv = k[i * kw + j];
      total += kv;
      const uint8_t *p = fetch(s, cx + (long)j - (long)(kw / 2), cy + (long)i - (long)(kh / 2), edge);
      double v;
      if (p)
        v = ((const float *)(const void *)p)[c];
      else if (edge == kvImageBackgroundColorFill)
        v = bg[ch == 1 ? 0 : c];
      else
        continue;
      used += kv;
      sum += kv * v;
      *mag += fabs(kv * v);
    }
  double scale = (edge == kvImageTruncateKernel && leaves(r, x, y, kh, kw) && used != 0 && total != 0) ? total / used : 1;
  *mag = *mag * fabs(scale) + fabs(bias);
  return sum * scale + bias;
}

static float fpx(const img_t *m, size_t x, size_t y, int c) { return ((const float *)(const void *)img_px(m, x, y))[c]; }

/* ---- general convolution, 8-bit ------------------------------------------------------------ */

static void general8(void) {
  for (size_t g = 0; g < NROIS; g++)
    for (size_t kk = 0; kk < NKS; kk++)
      for (int e = 0; e < 4; e++)
        for (int form = 0; form < 5; form++) {
          const roi_t *r = &ROIS[g];
          uint32_t kh = KS[kk][0], kw = KS[kk][1];
          int ch = form == 0 || form == 2 ? 1 : 4;
          img_t s = img_new(r->sw, r->sh, (size_t)ch, r->pad), d = img_new(r->w, r->h, (size_t)ch, r->pad + 3);
          img_fill_random(&s);
          int16_t k[4][49];
          const int16_t *kp[4];
          for (int c = 0; c < 4; c++) {
            for (uint32_t i = 0; i < kh * kw; i++) k[c][i] = (int16_t)((int)(rng() % 120) - 30);
            kp[c] = k[c];
          }
          int32_t sum = 0;
          for (uint32_t i = 0; i < kh * kw; i++) sum += k[0][i];
          int32_t div = form == 4 ? 0 : sum, bias = (int32_t)(rng() % 3000) - 1000;
          int32_t divs[4] = {sum, 0, -7, 33}, biases[4] = {bias, 0, 500, -20};
          uint8_t bg[4] = {(uint8_t)rng(), (uint8_t)rng(), (uint8_t)rng(), (uint8_t)rng()};
          vImage_Flags fl = EDGES[e];
          vImage_Error err;
          switch (form) {
            case 0: err = vImageConvolve_Planar8(&s.b, &d.b, NULL, r->ox, r->oy, k[0], kh, kw, div, bg[0], fl); break;
            case 1: err = vImageConvolve_ARGB8888(&s.b, &d.b, NULL, r->ox, r->oy, k[0], kh, kw, div, bg, fl); break;
            case 2: err = vImageConvolveWithBias_Planar8(&s.b, &d.b, NULL, r->ox, r->oy, k[0], kh, kw, div, bias, bg[0], fl); break;
            case 3: err = vImageConvolveWithBias_ARGB8888(&s.b, &d.b, NULL, r->ox, r->oy, k[0], kh, kw, div, bias, bg, fl); break;
            default: err = vImageConvolveMultiKernel_ARGB8888(&s.b, &d.b, NULL, r->ox, r->oy, kp, kh, kw, divs, biases, bg, fl); break;
          }
          CHECK_EQ(err, kvImageNoError);
          int ok = 1;
          for (size_t y = 0; y < r->h; y++)
            for (size_t x = 0; x < r->w; x++)
              for (int c = 0; c < ch; c++) {
                uint8_t want;
                if (form == 4)
                  want = ref8(&s, r, x, y, c, ch, k[c], kh, kw, divs[c], biases[c], 0, fl, bg);
                else
                  want = ref8(&s, r, x, y, c, ch, k[0], kh, kw, div, bias, form < 2, fl, bg);
                ok &= img_px(&d, x, y)[c] == want;
              }
          if (!CHECK(ok)) fprintf(stderr, "  form %d roi %zu kernel %ux%u edge %u\n", form, g, kh, kw, fl);
          CHECK(img_guards_ok(&d));
          img_free(&s);
          img_free(&d);
        }
}

/* ---- general convolution, float ------------------------------------------------------------- */

static void generalF(void) {
  for (size_t g = 0; g < NROIS; g++)
    for (size_t kk = 0; kk < NKS; kk++)
      for (int e = 0; e < 4; e++)
        for (int form = 0; form < 5; form++) {
          const roi_t *r = &ROIS[g];
          uint32_t kh = KS[kk][0], kw = KS[kk][1];
          int ch = form == 0 || form == 2 ? 1 : 4;
          img_t s = img_new(r->sw, r->sh, 4 * (size_t)ch, r->pad), d = img_new(r->w, r->h, 4 * (size_t)ch, r->pad + 4);
          img_fill_random_f(&s, -1.0f, 2.0f);
          float k[4][49];
          const float *kp[4];
          for (int c = 0; c < 4; c++) {
            for (uint32_t i = 0; i < kh * kw; i++) k[c][i] = (float)((int)(rng() % 200) - 50) / 100.0f;
            kp[c] = k[c];
          }
          float bias = 0.375f, biases[4] = {0.5f, -0.25f, 0, 1.5f}, bg[4] = {0.5f, -1, 2, 0.125f};
          vImage_Flags fl = EDGES[e];
          vImage_Error err;
          switch (form) {
            case 0: err = vImageConvolve_PlanarF(&s.b, &d.b, NULL, r->ox, r->oy, k[0], kh, kw, bg[0], fl); break;
            case 1: err = vImageConvolve_ARGBFFFF(&s.b, &d.b, NULL, r->ox, r->oy, k[0], kh, kw, bg, fl); break;
            case 2: err = vImageConvolveWithBias_PlanarF(&s.b, &d.b, NULL, r->ox, r->oy, k[0], kh, kw, bias, bg[0], fl); break;
            case 3: err = vImageConvolveWithBias_ARGBFFFF(&s.b, &d.b, NULL, r->ox, r->oy, k[0], kh, kw, bias, bg, fl); break;
            default: err = vImageConvolveMultiKernel_ARGBFFFF(&s.b, &d.b, NULL, r->ox, r->oy, kp, kh, kw, biases, bg, fl); break;
          }
          CHECK_EQ(err, kvImageNoError);
          int ok = 1;
          for (size_t y = 0; y < r->h; y++)
            for (size_t x = 0; x < r->w; x++)
              for (int c = 0; c < ch; c++) {
                double mag, want;
                if (form == 4)
                  want = reff(&s, r, x, y, c, ch, k[c], kh, kw, biases[c], fl, bg, &mag);
                else
                  want = reff(&s, r, x, y, c, ch, k[0], kh, kw, form >= 2 ? bias : 0, fl, bg, &mag);
                ok &= fabs((double)fpx(&d, x, y, c) - want) <= 2e-6 * mag + 1e-6;
              }
          if (!CHECK(ok)) fprintf(stderr, "  float form %d roi %zu kernel %ux%u edge %u\n", form, g, kh, kw, fl);
          CHECK(img_guards_ok(&d));
          img_free(&s);
          img_free(&d);
        }
}

/* ---- box and tent: bit for bit the general convolution with their kernels -------------------- */

static void box_tent(void) {
  static const uint32_t sizes[][2] = {{1, 1}, {3, 3}, {1, 5}, {5, 1}, {7, 3}, {9, 9}, {21, 5}};
  for (size_t g = 0; g < NROIS; g++)
    for (size_t kk = 0; kk < sizeof sizes / sizeof sizes[0]; kk++)
      for (int e = 0; e < 4; e++)
        for (int form = 0; form < 4; form++) {
          const roi_t *r = &ROIS[g];
          uint32_t kh = sizes[kk][0], kw = sizes[kk][1];
          int tent = form >= 2, ch = form % 2 ? 4 : 1;
          img_t s = img_new(r->sw, r->sh, (size_t)ch, r->pad), d = img_new(r->w, r->h, (size_t)ch, r->pad + 1),
                x = img_new(r->w, r->h, (size_t)ch, 0);
          img_fill_random(&s);
          int16_t k[21 * 5];
          int32_t div = 0;
          for (uint32_t i = 0; i < kh; i++)
            for (uint32_t j = 0; j < kw; j++) {
              int wy = tent ? (int)(i + 1 < kh - i ? i + 1 : kh - i) : 1, wx = tent ? (int)(j + 1 < kw - j ? j + 1 : kw - j) : 1;
              k[i * kw + j] = (int16_t)(wy * wx);
              div += wy * wx;
            }
          uint8_t bg[4] = {(uint8_t)rng(), (uint8_t)rng(), (uint8_t)rng(), (uint8_t)rng()};
          vImage_Flags fl = EDGES[e];
          vImage_Error e1, e2;
          if (ch == 1) {
            e1 = tent ? vImageTentConvolve_Planar8(&s.b, &d.b, NULL, r->ox, r->oy, kh, kw, bg[0], fl)
                      : vImageBoxConvolve_Planar8(&s.b, &d.b, NULL, r->ox, r->oy, kh, kw, bg[0], fl);
            e2 = vImageConvolve_Planar8(&s.b, &x.b, NULL, r->ox, r->oy, k, kh, kw, div, bg[0], fl);
          } else {
            e1 = tent ? vImageTentConvolve_ARGB8888(&s.b, &d.b, NULL, r->ox, r->oy, kh, kw, bg, fl)
                      : vImageBoxConvolve_ARGB8888(&s.b, &d.b, NULL, r->ox, r->oy, kh, kw, bg, fl);
            e2 = vImageConvolve_ARGB8888(&s.b, &x.b, NULL, r->ox, r->oy, k, kh, kw, div, bg, fl);
          }
          CHECK_EQ(e1, kvImageNoError);
          CHECK_EQ(e2, kvImageNoError);
          int ok = 1;
          for (size_t y = 0; y < r->h; y++) {
            ok &= memcmp(img_px(&d, 0, y), img_px(&x, 0, y), r->w * (size_t)ch) == 0;
            for (size_t xx = 0; xx < r->w; xx++)
              for (int c = 0; c < ch; c++)
                ok &= img_px(&d, xx, y)[c] == ref8(&s, r, xx, y, c, ch, k, kh, kw, div, 0, 1, fl, bg);
          }
          if (!CHECK(ok)) fprintf(stderr, "  %s ch %d roi %zu %ux%u edge %u\n", tent ? "tent" : "box", ch, g, kh, kw, fl);
          CHECK(img_guards_ok(&d));
          /* kvImageLeaveAlphaUnchanged (ARGB): channel 0 is the source's, the others unchanged. */
          if (ch == 4) {
            img_t a = img_new(r->w, r->h, 4, 2);
            e1 = tent ? vImageTentConvolve_ARGB8888(&s.b, &a.b, NULL, r->ox, r->oy, kh, kw, bg, fl | kvImageLeaveAlphaUnchanged)
                      : vImageBoxConvolve_ARGB8888(&s.b, &a.b, NULL, r->ox, r->oy, kh, kw, bg, fl | kvImageLeaveAlphaUnchanged);
            CHECK_EQ(e1, kvImageNoError);
            ok = 1;
            for (size_t y = 0; y < r->h; y++)
              for (size_t xx = 0; xx < r->w; xx++) {
                ok &= img_px(&a, xx, y)[0] == img_px(&s, xx + r->ox, y + r->oy)[0];
                ok &= memcmp(img_px(&a, xx, y) + 1, img_px(&d, xx, y) + 1, 3) == 0;
              }
            CHECK(ok);
            CHECK(img_guards_ok(&a));
            img_free(&a);
          }
          img_free(&s);
          img_free(&d);
          img_free(&x);
        }
}

/* ---- separable ------------------------------------------------------------------------------- */

static double sep_ref(const img_t *s, int kind, const roi_t *r, size_t x, size_t y, const float *kx, uint32_t kw,
                      const float *ky, uint32_t kh, vImage_Flags edge, double bg, int *copy) {
  long cx = (long)(x + r->ox), cy = (long)(y + r->oy);
  *copy = edge == kvImageCopyInPlace && leaves(r, x, y, kh, kw);
  double sum = 0, ux = 0, tx = 0, uy = 0, ty = 0;
  for (uint32_t i = 0; i < kh; i++)
    for (uint32_t j = 0; j < kw; j++) {
      long sx = cx + (long)j - (long)(kw / 2), sy = cy + (long)i - (long)(kh / 2);
      if (i == 0) {
        tx += kx[j];
        if (sx >= 0 && sx < (long)r->sw) ux += kx[j];
      }
      if (j == 0) {
        ty += ky[i];
        if (sy >= 0 && sy < (long)r->sh) uy += ky[i];
      }
      const uint8_t *p = fetch(s, *copy ? cx : sx, *copy ? cy : sy, edge);
      double v;
      if (p)
        v = kind == 0 ? p[0] : kind == 1 ? *(const uint16_t *)(const void *)p : *(const float *)(const void *)p;
      else if (edge == kvImageBackgroundColorFill)
        v = bg;
      else
        continue;
      if (*copy) return v;
      sum += (double)ky[i] * kx[j] * v;
    }
  if (edge == kvImageTruncateKernel && leaves(r, x, y, kh, kw)) {
    if (ux != 0 && tx != 0) sum *= tx / ux;
    if (uy != 0 && ty != 0) sum *= ty / uy;
  }
  return sum;
}

static int int_close(long got, double v, double max) {
  double lo = floor(v + 0.5 - 1e-3), hi = floor(v + 0.5 + 1e-3);
  lo = lo < 0 ? 0 : lo > max ? max : lo;
  hi = hi < 0 ? 0 : hi > max ? max : hi;
  return got >= (long)lo && got <= (long)hi;
}

static void separable(void) {
  for (size_t g = 0; g < NROIS; g++)
    for (size_t kk = 0; kk < NKS; kk++)
      for (int e = 0; e < 4; e++)
        for (int form = 0; form < 4; form++) {
          const roi_t *r = &ROIS[g];
          uint32_t kh = KS[kk][0], kw = KS[kk][1];
          static const size_t sb[4] = {1, 1, 2, 4}, db[4] = {1, 2, 2, 4};
          int kind = form <= 1 ? 0 : form == 2 ? 1 : 2;
          img_t s = img_new(r->sw, r->sh, sb[form], r->pad), d = img_new(r->w, r->h, db[form], r->pad + 2);
          if (form == 3)
            img_fill_random_f(&s, -1, 3);
          else
            img_fill_random(&s);
          float kx[7], ky[7];
          for (uint32_t j = 0; j < kw; j++) kx[j] = (float)((int)(rng() % 130) - 30) / 100.0f;
          for (uint32_t i = 0; i < kh; i++) ky[i] = (float)((int)(rng() % 130) - 30) / 100.0f;
          float bias = 12.5f, scale = 257.0f;
          vImage_Flags fl = EDGES[e];
          vImage_Error err;
          switch (form) {
            case 0: err = vImageSepConvolve_Planar8(&s.b, &d.b, NULL, r->ox, r->oy, kx, kw, ky, kh, bias, 40, fl); break;
            case 1: err = vImageSepConvolve_Planar8to16U(&s.b, &d.b, NULL, r->ox, r->oy, kx, kw, ky, kh, scale, bias, 40, fl); break;
            case 2: err = vImageSepConvolve_Planar16U(&s.b, &d.b, NULL, r->ox, r->oy, kx, kw, ky, kh, bias, 40, fl); break;
            default: err = vImageSepConvolve_PlanarF(&s.b, &d.b, NULL, r->ox, r->oy, kx, kw, ky, kh, bias, 40, fl); break;
          }
          CHECK_EQ(err, kvImageNoError);
          int ok = 1;
          for (size_t y = 0; y < r->h; y++)
            for (size_t x = 0; x < r->w; x++) {
              int copy;
              double v = sep_ref(&s, kind, r, x, y, kx, kw, ky, kh, fl, 40, &copy);
              const uint8_t *o = img_px(&d, x, y);
              switch (form) {
                case 0: ok &= copy ? o[0] == v : int_close(o[0], v + bias, 255); break;
                case 1: ok &= copy ? *(const uint16_t *)(const void *)o == v : int_close(*(const uint16_t *)(const void *)o, scale * v + bias, 65535); break;
                case 2: ok &= copy ? *(const uint16_t *)(const void *)o == v : int_close(*(const uint16_t *)(const void *)o, v + bias, 65535); break;
                default: ok &= copy ? *(const float *)(const void *)o == (float)v : fabs(*(const float *)(const void *)o - (v + bias)) <= 1e-4 * (fabs(v) + 20); break;
              }
            }
          if (!CHECK(ok)) fprintf(stderr, "  sep form %d roi %zu %ux%u edge %u\n", form, g, kh, kw, fl);
          CHECK(img_guards_ok(&d));
          img_free(&s);
          img_free(&d);
        }
}

/* ---- Richardson-Lucy: 0 iterations copy; an identity kernel keeps the image ------------------ */

static void richardson_lucy(void) {
  const roi_t *r = &ROIS[4];
  const int16_t one = 1;
  const float onef = 1.0f;
  for (int e = 0; e < 4; e++)
    for (int form = 0; form < 4; form++)
      for (uint32_t iters = 0; iters < 3; iters++) {
        static const size_t bpp[4] = {1, 4, 16, 4};
        img_t s = img_new(r->sw, r->sh, bpp[form], r->pad), d = img_new(r->w, r->h, bpp[form], 3);
        if (form >= 2)
          img_fill_random_f(&s, 0.25f, 2.0f);
        else
          img_fill_random(&s);
        uint8_t bg[4] = {1, 2, 3, 4};
        float bgf[4] = {1, 2, 3, 4};
        vImage_Flags fl = EDGES[e];
        vImage_Error err;
        switch (form) {
          case 0: err = vImageRichardsonLucyDeConvolve_Planar8(&s.b, &d.b, NULL, r->ox, r->oy, &one, NULL, 1, 1, 0, 0, 1, 0, 9, iters, fl); break;
          case 1: err = vImageRichardsonLucyDeConvolve_ARGB8888(&s.b, &d.b, NULL, r->ox, r->oy, &one, &one, 1, 1, 1, 1, 0, 1, bg, iters, fl); break;
          case 2: err = vImageRichardsonLucyDeConvolve_ARGBFFFF(&s.b, &d.b, NULL, r->ox, r->oy, &onef, &onef, 1, 1, 1, 1, bgf, iters, fl); break;
          default: err = vImageRichardsonLucyDeConvolve_PlanarF(&s.b, &d.b, NULL, r->ox, r->oy, &onef, NULL, 1, 1, 0, 0, bgf[0], iters, fl); break;
        }
        CHECK_EQ(err, kvImageNoError);
        int ok = 1;
        for (size_t y = 0; y < r->h; y++) ok &= memcmp(img_px(&d, 0, y), img_px(&s, r->ox, y + r->oy), r->w * bpp[form]) == 0;
        if (!CHECK(ok)) fprintf(stderr, "  RL form %d iterations %u edge %u\n", form, iters, fl);
        CHECK(img_guards_ok(&d));
        img_free(&s);
        img_free(&d);
      }
  /* A 3x3 blur kernel on 8-bit data runs and stays inside the rows. */
  img_t s = img_new(13, 9, 4, 3), d = img_new(13, 9, 4, 3);
  img_fill_random(&s);
  const int16_t k[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
  CHECK_EQ(vImageRichardsonLucyDeConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, k, 3, 3, 3, 3, 16, 16, NULL, 2,
                                                   kvImageEdgeExtend | kvImageLeaveAlphaUnchanged),
           kvImageNoError);
  int ok = 1;
  for (size_t y = 0; y < 9; y++)
    for (size_t x = 0; x < 13; x++) ok &= img_px(&d, x, y)[0] == img_px(&s, x, y)[0];
  CHECK(ok);
  CHECK(img_guards_ok(&d));
  img_free(&s);
  img_free(&d);
}

/* ---- errors and the temp-buffer query -------------------------------------------------------- */

static void errors(void) {
  img_t s = img_new(8, 6, 4, 0), d = img_new(8, 6, 4, 0), big = img_new(9, 6, 4, 0);
  img_fill_random(&s);
  const int16_t k[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  const float kf[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  const vImage_Flags E = kvImageEdgeExtend;
  CHECK_EQ(vImageConvolve_ARGB8888(NULL, &d.b, NULL, 0, 0, k, 3, 3, 9, NULL, E), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, NULL, NULL, 0, 0, k, 3, 3, 9, NULL, E), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, NULL, 3, 3, 9, NULL, E), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvolve_PlanarF(&s.b, &d.b, NULL, 0, 0, NULL, 3, 3, 0, E), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, 2, 3, 9, NULL, E), kvImageInvalidKernelSize);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, 3, 4, 9, NULL, E), kvImageInvalidKernelSize);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, 3, 3, 9, NULL, kvImageNoFlags), kvImageInvalidEdgeStyle);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, 3, 3, 9, NULL, E | kvImageTruncateKernel), kvImageInvalidEdgeStyle);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, 3, 3, 9, NULL, kvImageBackgroundColorFill), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &big.b, NULL, 0, 0, k, 3, 3, 9, NULL, E), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 1, 0, k, 3, 3, 9, NULL, E), kvImageInvalidOffset_X);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 1, k, 3, 3, 9, NULL, E), kvImageInvalidOffset_Y);
  CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, 3, 3, 9, NULL, E | (1u << 29)), kvImageUnknownFlagsBit);
  CHECK_EQ(vImageBoxConvolve_Planar8(&s.b, &d.b, NULL, 0, 0, 3, 2, 0, E), kvImageInvalidKernelSize);
  CHECK_EQ(vImageTentConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, 3, 3, NULL, 0), kvImageInvalidEdgeStyle);
  CHECK_EQ(vImageConvolveWithBias_Planar8(&s.b, &d.b, NULL, 0, 0, k, 1, 1, 1, 0, 0, kvImageCopyInPlace | kvImageEdgeExtend), kvImageInvalidEdgeStyle);
  CHECK_EQ(vImageConvolveWithBias_PlanarF(&s.b, &d.b, NULL, 0, 0, kf, 3, 3, 0, 0, 0), kvImageInvalidEdgeStyle);
  CHECK_EQ(vImageConvolveWithBias_ARGBFFFF(&s.b, &d.b, NULL, 0, 0, kf, 3, 3, 0, NULL, kvImageBackgroundColorFill), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvolveMultiKernel_ARGB8888(&s.b, &d.b, NULL, 0, 0, NULL, 3, 3, NULL, NULL, NULL, E), kvImageNullPointerArgument);
  CHECK_EQ(vImageConvolveMultiKernel_ARGBFFFF(&s.b, &d.b, NULL, 0, 0, NULL, 3, 3, NULL, NULL, E), kvImageNullPointerArgument);
  CHECK_EQ(vImageSepConvolve_PlanarF(&s.b, &d.b, NULL, 0, 0, NULL, 3, kf, 3, 0, 0, E), kvImageNullPointerArgument);
  CHECK_EQ(vImageSepConvolve_Planar16U(&s.b, &d.b, NULL, 0, 0, kf, 2, kf, 3, 0, 0, E), kvImageInvalidKernelSize);
  CHECK_EQ(vImageSepConvolve_Planar8to16U(&s.b, &d.b, NULL, 0, 0, kf, 3, kf, 3, 1, 0, 0, 0), kvImageInvalidEdgeStyle);
  CHECK_EQ(vImageRichardsonLucyDeConvolve_PlanarF(&s.b, &d.b, NULL, 0, 0, NULL, NULL, 3, 3, 3, 3, 0, 1, E), kvImageNullPointerArgument);
  CHECK_EQ(vImageRichardsonLucyDeConvolve_ARGBFFFF(&s.b, &d.b, NULL, 0, 0, kf, kf, 3, 3, 2, 3, NULL, 1, E), kvImageInvalidKernelSize);
  /* Queries: non-negative, no pixel touched, NULL background accepted. */
  uint8_t before[8 * 6 * 4];
  memcpy(before, d.b.data, sizeof before);
  CHECK(vImageConvolve_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, 3, 3, 9, NULL, kvImageGetTempBufferSize | kvImageBackgroundColorFill) >= 0);
  CHECK(vImageConvolveWithBias_ARGB8888(&s.b, &d.b, NULL, 0, 0, k, 3, 3, 9, 0, NULL, kvImageGetTempBufferSize | E) >= 0);
  CHECK(vImageTentConvolve_Planar8(&s.b, &d.b, NULL, 0, 0, 5, 5, 0, kvImageGetTempBufferSize | E) >= 0);
  CHECK(vImageRichardsonLucyDeConvolve_Planar8(&s.b, &d.b, NULL, 0, 0, k, NULL, 3, 3, 0, 0, 9, 0, 0, 5, kvImageGetTempBufferSize | E) >= 0);
  CHECK_MEM_EQ(before, d.b.data, sizeof before);
  CHECK(vImageGetMinimumTempBufferSizeForConvolution(&s.b, &d.b, 3, 3, E, 4) > 0);
  CHECK_EQ(vImageGetMinimumTempBufferSizeForConvolution(NULL, &d.b, 3, 3, E, 4), 0);
  img_free(&s);
  img_free(&d);
  img_free(&big);
}

/* ---- UIImageEffects: three box passes sharing a temp buffer, then a no-copy CGImage ---------- */

static int released;
static void release_cb(void *userData, void *data) {
  (void)userData;
  released++;
  free(data);
}

static void effects_blur(void) {
  const size_t W = 61, H = 37;
  uint32_t r = 7; /* odd radius, as the sample forces */
  vImage_Buffer in = {malloc(W * H * 4), H, W, W * 4}, out = {malloc(W * H * 4), H, W, W * 4};
  REQUIRE(in.data != NULL && out.data != NULL);
  for (size_t i = 0; i < W * H * 4; i++) ((uint8_t *)in.data)[i] = (uint8_t)rng();
  /* Reference: the same three passes with a NULL temp buffer. */
  img_t a = img_new(W, H, 4, 0), b = img_new(W, H, 4, 0);
  memcpy(a.b.data, in.data, W * H * 4);
  vImage_Error n = vImageBoxConvolve_ARGB8888(&in, &out, NULL, 0, 0, r, r, NULL, kvImageGetTempBufferSize | kvImageEdgeExtend);
  CHECK(n >= 0);
  void *tmp = malloc((size_t)n + 1);
  REQUIRE(tmp != NULL);
  CHECK_EQ(vImageBoxConvolve_ARGB8888(&in, &out, tmp, 0, 0, r, r, NULL, kvImageEdgeExtend), kvImageNoError);
  CHECK_EQ(vImageBoxConvolve_ARGB8888(&out, &in, tmp, 0, 0, r, r, NULL, kvImageEdgeExtend), kvImageNoError);
  CHECK_EQ(vImageBoxConvolve_ARGB8888(&in, &out, tmp, 0, 0, r, r, NULL, kvImageEdgeExtend), kvImageNoError);
  free(tmp);
  CHECK_EQ(vImageBoxConvolve_ARGB8888(&a.b, &b.b, NULL, 0, 0, r, r, NULL, kvImageEdgeExtend), kvImageNoError);
  CHECK_EQ(vImageBoxConvolve_ARGB8888(&b.b, &a.b, NULL, 0, 0, r, r, NULL, kvImageEdgeExtend), kvImageNoError);
  CHECK_EQ(vImageBoxConvolve_ARGB8888(&a.b, &b.b, NULL, 0, 0, r, r, NULL, kvImageEdgeExtend), kvImageNoError);
  CHECK_MEM_EQ(out.data, b.b.data, W * H * 4);
  img_free(&a);
  img_free(&b);
  free(in.data);
  /* The blurred buffer becomes a CGImage without a copy; releasing it frees the pixels. */
  vImage_CGImageFormat fmt = {8, 32, NULL, kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little, 0, NULL,
                              kCGRenderingIntentDefault};
  vImage_Error err = 1;
  released = 0;
  CGImageRef image = vImageCreateCGImageFromBuffer(&out, &fmt, release_cb, NULL, kvImageNoAllocate, &err);
  CHECK(image != NULL);
  CHECK_EQ(err, kvImageNoError);
  if (image) {
    CHECK_EQ(CGImageGetWidth(image), W);
    CHECK_EQ(released, 0);
    CGImageRelease(image);
    CHECK_EQ(released, 1);
  } else {
    free(out.data);
  }
}

/* ---- a size that tiles: tiled == kvImageDoNotTile ------------------------------------------- */

static void tiled(void) {
  geom_t g = big_geom();
  img_t s = img_new(g.w, g.h, 4, g.pad), a = img_new(g.w, g.h, 4, 0), b = img_new(g.w, g.h, 4, 0);
  img_fill_random(&s);
  const int16_t k[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
  for (int e = 0; e < 4; e++) {
    CHECK_EQ(vImageBoxConvolve_ARGB8888(&s.b, &a.b, NULL, 0, 0, 31, 9, NULL, EDGES[e] == kvImageBackgroundColorFill ? kvImageEdgeExtend : EDGES[e]), 0);
    CHECK_EQ(vImageBoxConvolve_ARGB8888(&s.b, &b.b, NULL, 0, 0, 31, 9, NULL, (EDGES[e] == kvImageBackgroundColorFill ? kvImageEdgeExtend : EDGES[e]) | kvImageDoNotTile), 0);
    CHECK_MEM_EQ(a.b.data, b.b.data, g.w * g.h * 4);
    CHECK_EQ(vImageConvolve_ARGB8888(&s.b, &a.b, NULL, 0, 0, k, 3, 3, 16, NULL, EDGES[e] == kvImageBackgroundColorFill ? kvImageEdgeExtend : EDGES[e]), 0);
    CHECK_EQ(vImageTentConvolve_ARGB8888(&s.b, &b.b, NULL, 0, 0, 3, 3, NULL, (EDGES[e] == kvImageBackgroundColorFill ? kvImageEdgeExtend : EDGES[e]) | kvImageDoNotTile), 0);
    CHECK_MEM_EQ(a.b.data, b.b.data, g.w * g.h * 4);
  }
  img_free(&s);
  img_free(&a);
  img_free(&b);
}

int main(void) {
  general8();
  generalF();
  box_tent();
  separable();
  richardson_lucy();
  errors();
  effects_blur();
  if (getenv("VIMAGE_TEST_UNDER_VALGRIND") == NULL) tiled();
  return check_report();
}
