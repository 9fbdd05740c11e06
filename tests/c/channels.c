/*
 * Conversion.h channel operations from C: permute, overwrite, select, extract, fill, copy,
 * table lookup, clip, byte swap; checked against direct formulas written here, on every
 * geometry of ops_util.h, out of place and in place, with guard bytes.
 */
#include "ops_util.h"

static void permute_8888(void) {
  static const uint8_t maps[][4] = {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 2, 3, 0}, {3, 0, 1, 2}, {2, 1, 0, 3}, {0, 0, 3, 3}};
  for (size_t g = 0; g < NGEOMS; g++)
    for (size_t m = 0; m < sizeof maps / sizeof maps[0]; m++) {
      const geom_t G = GEOMS[g];
      img_t s = img_new(G.w, G.h, 4, G.pad), d = img_new(G.w, G.h, 4, G.pad + 3);
      img_fill_random(&s);
      CHECK_EQ(vImagePermuteChannels_ARGB8888(&s.b, &d.b, maps[m], kvImageNoFlags), kvImageNoError);
      int ok = 1;
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++)
          for (int i = 0; i < 4; i++) ok &= img_px(&d, x, y)[i] == img_px(&s, x, y)[maps[m][i]];
      CHECK(ok);
      CHECK(img_guards_ok(&d));
      /* In place gives the same bytes. */
      CHECK_EQ(vImagePermuteChannels_ARGB8888(&s.b, &s.b, maps[m], kvImageDoNotTile), kvImageNoError);
      for (size_t y = 0; y < G.h; y++) CHECK_MEM_EQ(img_px(&s, 0, y), img_px(&d, 0, y), G.w * 4);
      CHECK(img_guards_ok(&s));
      img_free(&s);
      img_free(&d);
    }
  /* Errors: NULL buffers and map, entries > 3, a destination larger than the source, unknown flags. */
  img_t s = img_new(4, 4, 4, 0), d = img_new(5, 4, 4, 0);
  const uint8_t id[4] = {0, 1, 2, 3}, bad[4] = {0, 1, 2, 4};
  CHECK_EQ(vImagePermuteChannels_ARGB8888(NULL, &d.b, id, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePermuteChannels_ARGB8888(&s.b, NULL, id, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePermuteChannels_ARGB8888(&s.b, &s.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePermuteChannels_ARGB8888(&s.b, &s.b, bad, 0), kvImageInvalidParameter);
  CHECK_EQ(vImagePermuteChannels_ARGB8888(&s.b, &d.b, id, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImagePermuteChannels_ARGB8888(&s.b, &s.b, id, 1u << 20), kvImageUnknownFlagsBit);
  CHECK_EQ(vImagePermuteChannels_ARGB8888(&s.b, &s.b, id, kvImageGetTempBufferSize), 0);
  CHECK(img_guards_ok(&d));
  img_free(&s);
  img_free(&d);
}

/* ---- shared helpers ------------------------------------------------------------------------ */

/* A copy of an image: same geometry, same bytes (guards included). */
static img_t img_clone(const img_t *m) {
  img_t c = img_new(m->b.width, m->b.height, m->bpp, m->b.rowBytes - m->b.width * m->bpp);
  memcpy(c.base, m->base, m->size);
  return c;
}

/* Packed expected pixels (w * bpp bytes per row). */
static uint8_t *want_new(const geom_t G, size_t bpp) {
  uint8_t *w = (uint8_t *)malloc(G.w * G.h * bpp + 1);
  if (w == NULL) exit(3);
  return w;
}

/* 1 when every row of `d` holds the packed rows of `want`, and the guards are intact. */
static int rows_are(const img_t *d, const uint8_t *want) {
  int ok = 1;
  size_t row = d->b.width * d->bpp;
  for (size_t y = 0; y < d->b.height; y++) ok &= memcmp(img_px(d, 0, y), want + y * row, row) == 0;
  return ok && img_guards_ok(d);
}

static int sel(uint8_t mask, int i) { return (mask & (0x8 >> i)) != 0; }

static const uint8_t MAPS[][4] = {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 2, 3, 0}, {3, 0, 1, 2}, {2, 1, 0, 3}, {0, 0, 3, 3}, {2, 2, 2, 1}};
#define NMAPS (sizeof MAPS / sizeof MAPS[0])

/* ---- permutes of 16- and 32-bit elements, RGB888 ---------------------------------------------- */

typedef vImage_Error (*permute_fn)(const vImage_Buffer *, const vImage_Buffer *, const uint8_t *, vImage_Flags);

static void permute_wide(void) {
  const permute_fn fns[2] = {vImagePermuteChannels_ARGB16U, vImagePermuteChannels_ARGBFFFF};
  const size_t elems[2] = {2, 4};
  for (int k = 0; k < 2; k++) {
    size_t e = elems[k];
    for (size_t g = 0; g < NGEOMS; g++)
      for (size_t m = 0; m < NMAPS; m++) {
        const geom_t G = GEOMS[g];
        img_t s = img_new(G.w, G.h, 4 * e, G.pad), d = img_new(G.w, G.h, 4 * e, G.pad + 2);
        img_fill_random(&s);
        uint8_t *want = want_new(G, 4 * e);
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++)
            for (int i = 0; i < 4; i++) memcpy(want + (y * G.w + x) * 4 * e + i * e, img_px(&s, x, y) + MAPS[m][i] * e, e);
        CHECK_EQ(fns[k](&s.b, &d.b, MAPS[m], kvImageNoFlags), kvImageNoError);
        CHECK(rows_are(&d, want));
        CHECK_EQ(fns[k](&s.b, &s.b, MAPS[m], kvImageDoNotTile), kvImageNoError);
        CHECK(rows_are(&s, want));
        free(want);
        img_free(&s);
        img_free(&d);
      }
    img_t s = img_new(3, 3, 4 * e, 0), d = img_new(4, 3, 4 * e, 0);
    const uint8_t bad[4] = {0, 5, 1, 2};
    CHECK_EQ(fns[k](&s.b, &s.b, bad, 0), kvImageInvalidParameter);
    CHECK_EQ(fns[k](&s.b, &s.b, NULL, 0), kvImageNullPointerArgument);
    CHECK_EQ(fns[k](NULL, &s.b, MAPS[0], 0), kvImageNullPointerArgument);
    CHECK_EQ(fns[k](&s.b, &d.b, MAPS[0], 0), kvImageRoiLargerThanInputBuffer);
    CHECK_EQ(fns[k](&s.b, &s.b, MAPS[0], 1u << 22), kvImageUnknownFlagsBit);
    CHECK(img_guards_ok(&d));
    img_free(&s);
    img_free(&d);
  }
}

static void permute_rgb888(void) {
  static const uint8_t maps[][3] = {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}, {0, 0, 0}, {2, 0, 1}};
  for (size_t g = 0; g < NGEOMS; g++)
    for (size_t m = 0; m <= sizeof maps / sizeof maps[0]; m++) {
      const geom_t G = GEOMS[g];
      const uint8_t *map = m < sizeof maps / sizeof maps[0] ? maps[m] : NULL; /* NULL = identity */
      img_t s = img_new(G.w, G.h, 3, G.pad), d = img_new(G.w, G.h, 3, G.pad + 1);
      img_fill_random(&s);
      uint8_t *want = want_new(G, 3);
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++)
          for (int i = 0; i < 3; i++) want[(y * G.w + x) * 3 + i] = img_px(&s, x, y)[map ? map[i] : i];
      CHECK_EQ(vImagePermuteChannels_RGB888(&s.b, &d.b, map, kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&d, want));
      CHECK_EQ(vImagePermuteChannels_RGB888(&s.b, &s.b, map, kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&s, want));
      free(want);
      img_free(&s);
      img_free(&d);
    }
  img_t s = img_new(3, 3, 3, 0), d = img_new(3, 4, 3, 0);
  const uint8_t bad[3] = {0, 1, 3};
  CHECK_EQ(vImagePermuteChannels_RGB888(&s.b, &s.b, bad, 0), kvImageInvalidParameter);
  CHECK_EQ(vImagePermuteChannels_RGB888(&s.b, &d.b, NULL, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImagePermuteChannels_RGB888(&s.b, NULL, NULL, 0), kvImageNullPointerArgument);
  img_free(&s);
  img_free(&d);
}

/* ---- masked insert, overwrite with scalar / pixel (one source, copyMask) ----------------------- */

/* Calls function `fn` (0..2: masked insert 8888/16U/FFFF; 3..6: with scalar 8888/16U/16S/FFFF;
 * 7..9: with pixel 8888/16U/FFFF) with the colour bytes `c` (4 elements, or 1 for scalars). */
static vImage_Error one_source(int fn, const vImage_Buffer *s, const vImage_Buffer *d, const uint8_t map[4], uint8_t mask,
                               const uint8_t *c, vImage_Flags flags) {
  Pixel_ARGB_16U c16;
  Pixel_ARGB_16S c16s;
  Pixel_FFFF cf;
  memcpy(c16, c, sizeof c16);
  memcpy(c16s, c, sizeof c16s);
  memcpy(cf, c, sizeof cf);
  switch (fn) {
    case 0: return vImagePermuteChannelsWithMaskedInsert_ARGB8888(s, d, map, mask, c, flags);
    case 1: return vImagePermuteChannelsWithMaskedInsert_ARGB16U(s, d, map, mask, c16, flags);
    case 2: return vImagePermuteChannelsWithMaskedInsert_ARGBFFFF(s, d, map, mask, cf, flags);
    case 3: return vImageOverwriteChannelsWithScalar_ARGB8888(c[0], s, d, mask, flags);
    case 4: return vImageOverwriteChannelsWithScalar_ARGB16U(c16[0], s, d, mask, flags);
    case 5: return vImageOverwriteChannelsWithScalar_ARGB16S(c16s[0], s, d, mask, flags);
    case 6: return vImageOverwriteChannelsWithScalar_ARGBFFFF(cf[0], s, d, mask, flags);
    case 7: return vImageOverwriteChannelsWithPixel_ARGB8888(c, s, d, mask, flags);
    case 8: return vImageOverwriteChannelsWithPixel_ARGB16U(c16, s, d, mask, flags);
    default: return vImageOverwriteChannelsWithPixel_ARGBFFFF(cf, s, d, mask, flags);
  }
}

static void one_source_ops(void) {
  static const size_t elem[10] = {1, 2, 4, 1, 2, 2, 4, 1, 2, 4};
  static const uint8_t masks[] = {0x0, 0x1, 0x2, 0x4, 0x8, 0x5, 0xa, 0x9, 0xf};
  uint8_t color[16];
  for (int i = 0; i < 16; i++) color[i] = (uint8_t)(0x31 + 17 * i);
  for (int fn = 0; fn < 10; fn++) {
    size_t e = elem[fn];
    int scalar = fn >= 3 && fn <= 6, masked = fn <= 2;
    for (size_t g = 0; g < NGEOMS; g++)
      for (size_t k = 0; k < sizeof masks; k++)
        for (size_t m = 0; m < (masked ? NMAPS : 1); m++) {
          const geom_t G = GEOMS[g];
          const uint8_t *map = MAPS[masked ? m : 0];
          img_t s = img_new(G.w, G.h, 4 * e, G.pad), d = img_new(G.w, G.h, 4 * e, G.pad + 5);
          img_fill_random(&s);
          uint8_t *want = want_new(G, 4 * e);
          for (size_t y = 0; y < G.h; y++)
            for (size_t x = 0; x < G.w; x++)
              for (int i = 0; i < 4; i++) {
                uint8_t *o = want + (y * G.w + x) * 4 * e + i * e;
                if (sel(masks[k], i))
                  memcpy(o, color + (scalar ? 0 : i * e), e);
                else
                  memcpy(o, img_px(&s, x, y) + map[i] * e, e);
              }
          CHECK_EQ(one_source(fn, &s.b, &d.b, map, masks[k], color, kvImageNoFlags), kvImageNoError);
          CHECK(rows_are(&d, want));
          CHECK_EQ(one_source(fn, &s.b, &s.b, map, masks[k], color, kvImageDoNotTile), kvImageNoError);
          CHECK(rows_are(&s, want));
          free(want);
          img_free(&s);
          img_free(&d);
        }
    img_t s = img_new(3, 3, 4 * e, 0), d = img_new(3, 4, 4 * e, 0);
    CHECK_EQ(one_source(fn, &s.b, &s.b, MAPS[0], 16, color, 0), kvImageInvalidParameter);
    CHECK_EQ(one_source(fn, &s.b, &d.b, MAPS[0], 1, color, 0), kvImageRoiLargerThanInputBuffer);
    CHECK_EQ(one_source(fn, NULL, &s.b, MAPS[0], 1, color, 0), kvImageNullPointerArgument);
    CHECK_EQ(one_source(fn, &s.b, &s.b, MAPS[0], 1, color, 1u << 21), kvImageUnknownFlagsBit);
    CHECK_EQ(one_source(fn, &s.b, &d.b, MAPS[0], 1, color, 0) < 0, 1);
    CHECK(img_guards_ok(&d));
    img_free(&s);
    img_free(&d);
  }
  /* NULL colours and maps. */
  img_t s = img_new(2, 2, 16, 0);
  CHECK_EQ(vImagePermuteChannelsWithMaskedInsert_ARGB8888(&s.b, &s.b, MAPS[0], 1, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImagePermuteChannelsWithMaskedInsert_ARGB16U(&s.b, &s.b, NULL, 1, (const uint16_t *)(const void *)color, 0),
           kvImageNullPointerArgument);
  CHECK_EQ(vImageOverwriteChannelsWithPixel_ARGBFFFF(NULL, &s.b, &s.b, 1, 0), kvImageNullPointerArgument);
  const uint8_t bad[4] = {0, 1, 2, 9};
  CHECK_EQ(vImagePermuteChannelsWithMaskedInsert_ARGB8888(&s.b, &s.b, bad, 1, color, 0), kvImageInvalidParameter);
  img_free(&s);
}

/* ---- overwrite from planar, select from interleaved (two sources) ------------------------------ */

/* fn 0..2: OverwriteChannels 8888/16U/FFFF (planar newSrc); 3, 4: SelectChannels 8888/FFFF. */
static vImage_Error two_source(int fn, const vImage_Buffer *n, const vImage_Buffer *o, const vImage_Buffer *d, uint8_t mask,
                               vImage_Flags flags) {
  switch (fn) {
    case 0: return vImageOverwriteChannels_ARGB8888(n, o, d, mask, flags);
    case 1: return vImageOverwriteChannels_ARGB16U(n, o, d, mask, flags);
    case 2: return vImageOverwriteChannels_ARGBFFFF(n, o, d, mask, flags);
    case 3: return vImageSelectChannels_ARGB8888(n, o, d, mask, flags);
    default: return vImageSelectChannels_ARGBFFFF(n, o, d, mask, flags);
  }
}

static void two_source_ops(void) {
  static const size_t elem[5] = {1, 2, 4, 1, 4};
  for (int fn = 0; fn < 5; fn++) {
    size_t e = elem[fn];
    int planar = fn <= 2;
    for (size_t g = 0; g < NGEOMS; g++)
      for (uint8_t mask = 0; mask < 16; mask++) {
        const geom_t G = GEOMS[g];
        img_t n = img_new(G.w, G.h, planar ? e : 4 * e, G.pad + 1), o = img_new(G.w, G.h, 4 * e, G.pad),
              d = img_new(G.w, G.h, 4 * e, G.pad + 3);
        img_fill_random(&n);
        img_fill_random(&o);
        uint8_t *want = want_new(G, 4 * e);
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++)
            for (int i = 0; i < 4; i++)
              memcpy(want + (y * G.w + x) * 4 * e + i * e,
                     sel(mask, i) ? img_px(&n, x, y) + (planar ? 0 : i * e) : img_px(&o, x, y) + i * e, e);
        CHECK_EQ(two_source(fn, &n.b, &o.b, &d.b, mask, kvImageNoFlags), kvImageNoError);
        CHECK(rows_are(&d, want));
        CHECK_EQ(two_source(fn, &n.b, &o.b, &o.b, mask, kvImageNoFlags), kvImageNoError);
        CHECK(rows_are(&o, want));
        CHECK(img_guards_ok(&n));
        free(want);
        img_free(&n);
        img_free(&o);
        img_free(&d);
      }
    img_t n = img_new(3, 3, planar ? e : 4 * e, 0), o = img_new(3, 3, 4 * e, 0), d = img_new(3, 4, 4 * e, 0);
    CHECK_EQ(two_source(fn, &n.b, &o.b, &o.b, 16, 0), kvImageInvalidParameter);
    CHECK_EQ(two_source(fn, &n.b, &o.b, &d.b, 1, 0), kvImageRoiLargerThanInputBuffer);
    CHECK_EQ(two_source(fn, NULL, &o.b, &o.b, 1, 0), kvImageNullPointerArgument);
    CHECK_EQ(two_source(fn, &n.b, NULL, &o.b, 1, 0), kvImageNullPointerArgument);
    CHECK_EQ(two_source(fn, &n.b, &o.b, NULL, 1, 0), kvImageNullPointerArgument);
    CHECK_EQ(two_source(fn, &n.b, &o.b, &o.b, 1, 1u << 23), kvImageUnknownFlagsBit);
    CHECK(img_guards_ok(&d));
    img_free(&n);
    img_free(&o);
    img_free(&d);
  }
}

/* ---- extract -------------------------------------------------------------------------------- */

typedef vImage_Error (*extract_fn)(const vImage_Buffer *, const vImage_Buffer *, long, vImage_Flags);

static void extract(void) {
  const extract_fn fns[3] = {vImageExtractChannel_ARGB8888, vImageExtractChannel_ARGB16U, vImageExtractChannel_ARGBFFFF};
  const size_t elems[3] = {1, 2, 4};
  for (int k = 0; k < 3; k++) {
    size_t e = elems[k];
    for (size_t g = 0; g < NGEOMS; g++)
      for (long ch = 0; ch < 4; ch++) {
        const geom_t G = GEOMS[g];
        img_t s = img_new(G.w, G.h, 4 * e, G.pad), d = img_new(G.w, G.h, e, G.pad + 1);
        img_fill_random(&s);
        uint8_t *want = want_new(G, e);
        for (size_t y = 0; y < G.h; y++)
          for (size_t x = 0; x < G.w; x++) memcpy(want + (y * G.w + x) * e, img_px(&s, x, y) + ch * e, e);
        CHECK_EQ(fns[k](&s.b, &d.b, ch, kvImageNoFlags), kvImageNoError);
        CHECK(rows_are(&d, want));
        /* In place: same data and rowBytes (the planar rows land at the start of each row). */
        vImage_Buffer ip = s.b;
        CHECK_EQ(fns[k](&s.b, &ip, ch, kvImageNoFlags), kvImageNoError);
        int ok = 1;
        for (size_t y = 0; y < G.h; y++) ok &= memcmp(img_px(&s, 0, y), want + y * G.w * e, G.w * e) == 0;
        CHECK(ok);
        CHECK(img_guards_ok(&s));
        free(want);
        img_free(&s);
        img_free(&d);
      }
    img_t s = img_new(3, 3, 4 * e, 0), d = img_new(3, 3, e, 0), big = img_new(4, 3, e, 0);
    CHECK_EQ(fns[k](&s.b, &d.b, 4, 0), kvImageInvalidParameter);
    CHECK_EQ(fns[k](&s.b, &d.b, -1, 0), kvImageInvalidParameter);
    CHECK_EQ(fns[k](&s.b, &big.b, 0, 0), kvImageRoiLargerThanInputBuffer);
    CHECK_EQ(fns[k](&s.b, NULL, 0, 0), kvImageNullPointerArgument);
    CHECK_EQ(fns[k](&s.b, &d.b, 0, 1u << 24), kvImageUnknownFlagsBit);
    CHECK_EQ(fns[k](&s.b, &d.b, 0, kvImageGetTempBufferSize | kvImagePrintDiagnosticsToConsole), 0);
    vImage_Buffer other = s.b;
    other.rowBytes -= 1; /* same start, other rowBytes: not IP-A */
    CHECK_EQ(fns[k](&s.b, &other, 0, 0), kvImageInvalidParameter);
    CHECK(img_guards_ok(&d) && img_guards_ok(&big));
    img_free(&s);
    img_free(&d);
    img_free(&big);
  }
}

/* ---- fills ----------------------------------------------------------------------------------- */

/* fn 0..5: BufferFill 8888/16U/16S/FFFF/CbCr8/CbCr16U; 6..9: WithScalar Planar8/F/16S/16U. */
static vImage_Error fill(int fn, const vImage_Buffer *d, const uint8_t *c, vImage_Flags flags) {
  Pixel_ARGB_16U c16;
  Pixel_ARGB_16S c16s;
  Pixel_FFFF cf;
  Pixel_16U16U cc;
  memcpy(c16, c, sizeof c16);
  memcpy(c16s, c, sizeof c16s);
  memcpy(cf, c, sizeof cf);
  memcpy(cc, c, sizeof cc);
  switch (fn) {
    case 0: return vImageBufferFill_ARGB8888(d, c, flags);
    case 1: return vImageBufferFill_ARGB16U(d, c16, flags);
    case 2: return vImageBufferFill_ARGB16S(d, c16s, flags);
    case 3: return vImageBufferFill_ARGBFFFF(d, cf, flags);
    case 4: return vImageBufferFill_CbCr8(d, c, flags);
    case 5: return vImageBufferFill_CbCr16U(d, cc, flags);
    case 6: return vImageOverwriteChannelsWithScalar_Planar8(c[0], d, flags);
    case 7: return vImageOverwriteChannelsWithScalar_PlanarF(cf[0], d, flags);
    case 8: return vImageOverwriteChannelsWithScalar_Planar16S(c16s[0], d, flags);
    default: return vImageOverwriteChannelsWithScalar_Planar16U(c16[0], d, flags);
  }
}

static void fills(void) {
  static const size_t bpp[10] = {4, 8, 8, 16, 2, 4, 1, 4, 2, 2};
  uint8_t color[16];
  for (int i = 0; i < 16; i++) color[i] = (uint8_t)(0xc3 ^ (29 * i));
  for (int fn = 0; fn < 10; fn++) {
    for (size_t g = 0; g < NGEOMS; g++) {
      const geom_t G = GEOMS[g];
      img_t d = img_new(G.w, G.h, bpp[fn], G.pad);
      uint8_t *want = want_new(G, bpp[fn]);
      for (size_t i = 0; i < G.w * G.h; i++) memcpy(want + i * bpp[fn], color, bpp[fn]);
      CHECK_EQ(fill(fn, &d.b, color, kvImageGetTempBufferSize), 0);
      CHECK(img_px(&d, 0, 0)[0] == GUARD); /* the query touches nothing */
      CHECK_EQ(fill(fn, &d.b, color, kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&d, want));
      free(want);
      img_free(&d);
    }
    CHECK_EQ(fill(fn, NULL, color, 0), kvImageNullPointerArgument);
    img_t d = img_new(2, 2, bpp[fn], 0);
    CHECK_EQ(fill(fn, &d.b, color, 1u << 25), kvImageUnknownFlagsBit);
    img_free(&d);
  }
  img_t d = img_new(2, 2, 16, 0);
  CHECK_EQ(vImageBufferFill_ARGB8888(&d.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageBufferFill_ARGBFFFF(&d.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageBufferFill_CbCr16U(&d.b, NULL, 0), kvImageNullPointerArgument);
  img_free(&d);
}

/* ---- copy, lookup, clip, byte swap ------------------------------------------------------------- */

static void copy_buffer(void) {
  static const size_t sizes[] = {1, 2, 3, 4, 8, 16, 5};
  for (size_t g = 0; g < NGEOMS; g++)
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
      const geom_t G = GEOMS[g];
      size_t ps = sizes[k];
      img_t s = img_new(G.w, G.h, ps, G.pad), d = img_new(G.w, G.h, ps, G.pad + 7);
      img_fill_random(&s);
      uint8_t *want = want_new(G, ps);
      for (size_t y = 0; y < G.h; y++) memcpy(want + y * G.w * ps, img_px(&s, 0, y), G.w * ps);
      CHECK_EQ(vImageCopyBuffer(&s.b, &d.b, ps, kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&d, want));
      CHECK_EQ(vImageCopyBuffer(&s.b, &s.b, ps, kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&s, want));
      free(want);
      img_free(&s);
      img_free(&d);
    }
  /* Overlap one row down: the destination gets the source as it was (memmove). */
  img_t m = img_new(5, 4, 4, 3);
  img_fill_random(&m);
  img_t before = img_clone(&m);
  vImage_Buffer s = m.b, d = m.b;
  s.height = d.height = 3;
  d.data = img_px(&m, 0, 1);
  CHECK_EQ(vImageCopyBuffer(&s, &d, 4, kvImageNoFlags), kvImageNoError);
  int ok = 1;
  for (size_t y = 1; y < 4; y++) ok &= memcmp(img_px(&m, 0, y), img_px(&before, 0, y - 1), 20) == 0;
  CHECK(ok);
  CHECK_MEM_EQ(img_px(&m, 0, 0), img_px(&before, 0, 0), 20);
  CHECK(img_guards_ok(&m));
  img_t big = img_new(6, 4, 4, 0);
  CHECK_EQ(vImageCopyBuffer(&m.b, &m.b, 0, 0), kvImageInvalidParameter);
  CHECK_EQ(vImageCopyBuffer(&m.b, &big.b, 4, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageCopyBuffer(NULL, &big.b, 4, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageCopyBuffer(&m.b, &m.b, 4, kvImageGetTempBufferSize), 0);
  CHECK_EQ(vImageCopyBuffer(&m.b, &m.b, 4, 1u << 26), kvImageUnknownFlagsBit);
  img_free(&m);
  img_free(&before);
  img_free(&big);
}

static void lookups(void) {
  Pixel_8 t[4][256];
  for (int c = 0; c < 4; c++)
    for (int v = 0; v < 256; v++) t[c][v] = (Pixel_8)rng();
  for (size_t g = 0; g < NGEOMS; g++)
    for (int nulls = 0; nulls < 16; nulls += 5) { /* 0, 5, 10, 15: which tables are NULL */
      const geom_t G = GEOMS[g];
      const Pixel_8 *tp[4];
      for (int c = 0; c < 4; c++) tp[c] = (nulls & (1 << c)) ? NULL : t[c];
      img_t s = img_new(G.w, G.h, 4, G.pad), d = img_new(G.w, G.h, 4, G.pad + 2);
      img_fill_random(&s);
      uint8_t *want = want_new(G, 4);
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++)
          for (int c = 0; c < 4; c++) {
            uint8_t v = img_px(&s, x, y)[c];
            want[(y * G.w + x) * 4 + c] = tp[c] ? tp[c][v] : v;
          }
      CHECK_EQ(vImageTableLookUp_ARGB8888(&s.b, &d.b, tp[0], tp[1], tp[2], tp[3], kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&d, want));
      CHECK_EQ(vImageTableLookUp_ARGB8888(&s.b, &s.b, tp[0], tp[1], tp[2], tp[3], kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&s, want));
      free(want);
      img_free(&s);
      img_free(&d);
    }
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    img_t s = img_new(G.w, G.h, 1, G.pad), d = img_new(G.w, G.h, 1, G.pad + 2);
    img_fill_random(&s);
    uint8_t *want = want_new(G, 1);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) want[y * G.w + x] = t[1][img_px(&s, x, y)[0]];
    CHECK_EQ(vImageTableLookUp_Planar8(&s.b, &d.b, t[1], kvImageNoFlags), kvImageNoError);
    CHECK(rows_are(&d, want));
    CHECK_EQ(vImageTableLookUp_Planar8(&s.b, &s.b, t[1], kvImageNoFlags), kvImageNoError);
    CHECK(rows_are(&s, want));
    free(want);
    img_free(&s);
    img_free(&d);
  }
  img_t s = img_new(3, 3, 4, 0), d = img_new(3, 4, 4, 0);
  CHECK_EQ(vImageTableLookUp_Planar8(&s.b, &s.b, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageTableLookUp_ARGB8888(NULL, &s.b, NULL, NULL, NULL, NULL, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageTableLookUp_ARGB8888(&s.b, &d.b, NULL, NULL, NULL, NULL, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageTableLookUp_Planar8(&s.b, &s.b, t[0], 1u << 27), kvImageUnknownFlagsBit);
  img_free(&s);
  img_free(&d);
}

static uint32_t f2u(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}
static float u2f(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

static void clip(void) {
  /* Apple's formula: if (p > max) p = max; if (p < min) p = min. NaN passes through. */
  const float maxs[] = {1.0f, 0.25f, -2.0f, u2f(0x7fc00000u)}, mins[] = {0.0f, 0.5f, -3.0f, u2f(0x80000000u)};
  const uint32_t specials[] = {0x7fc01234u, 0xffc00000u, 0x7f800001u, 0x7f800000u, 0xff800000u, 0x80000000u, 0x00000001u};
  for (size_t g = 0; g < NGEOMS; g++)
    for (size_t k = 0; k < 4; k++) {
      const geom_t G = GEOMS[g];
      img_t s = img_new(G.w, G.h, 4, G.pad), d = img_new(G.w, G.h, 4, G.pad + 4);
      img_fill_random_f(&s, -4.0f, 4.0f);
      for (size_t i = 0; i < sizeof specials / sizeof specials[0] && i < G.w * G.h; i++)
        memcpy(img_px(&s, i % G.w, i / G.w), &specials[i], 4);
      uint8_t *want = want_new(G, 4);
      for (size_t y = 0; y < G.h; y++)
        for (size_t x = 0; x < G.w; x++) {
          float p;
          memcpy(&p, img_px(&s, x, y), 4);
          if (p > maxs[k]) p = maxs[k];
          if (p < mins[k]) p = mins[k];
          uint32_t u = f2u(p);
          memcpy(want + (y * G.w + x) * 4, &u, 4);
        }
      CHECK_EQ(vImageClip_PlanarF(&s.b, &d.b, maxs[k], mins[k], kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&d, want));
      CHECK_EQ(vImageClip_PlanarF(&s.b, &s.b, maxs[k], mins[k], kvImageNoFlags), kvImageNoError);
      CHECK(rows_are(&s, want));
      free(want);
      img_free(&s);
      img_free(&d);
    }
  img_t s = img_new(3, 3, 4, 0), d = img_new(3, 4, 4, 0);
  CHECK_EQ(vImageClip_PlanarF(&s.b, &d.b, 1.0f, 0.0f, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageClip_PlanarF(&s.b, NULL, 1.0f, 0.0f, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageClip_PlanarF(&s.b, &s.b, 1.0f, 0.0f, 1u << 28), kvImageUnknownFlagsBit);
  img_free(&s);
  img_free(&d);
}

static void byte_swap(void) {
  for (size_t g = 0; g < NGEOMS; g++) {
    const geom_t G = GEOMS[g];
    img_t s = img_new(G.w, G.h, 2, G.pad), d = img_new(G.w, G.h, 2, G.pad + 2);
    img_fill_random(&s);
    uint8_t *want = want_new(G, 2);
    for (size_t y = 0; y < G.h; y++)
      for (size_t x = 0; x < G.w; x++) {
        uint16_t v;
        memcpy(&v, img_px(&s, x, y), 2);
        v = (uint16_t)((v >> 8) | (v << 8));
        memcpy(want + (y * G.w + x) * 2, &v, 2);
      }
    CHECK_EQ(vImageByteSwap_Planar16U(&s.b, &d.b, kvImageNoFlags), kvImageNoError);
    CHECK(rows_are(&d, want));
    CHECK_EQ(vImageByteSwap_Planar16U(&s.b, &s.b, kvImageNoFlags), kvImageNoError);
    CHECK(rows_are(&s, want));
    free(want);
    img_free(&s);
    img_free(&d);
  }
  img_t s = img_new(3, 3, 2, 0), d = img_new(3, 4, 2, 0);
  CHECK_EQ(vImageByteSwap_Planar16U(&s.b, &d.b, 0), kvImageRoiLargerThanInputBuffer);
  CHECK_EQ(vImageByteSwap_Planar16U(NULL, &s.b, 0), kvImageNullPointerArgument);
  CHECK_EQ(vImageByteSwap_Planar16U(&s.b, &s.b, kvImageGetTempBufferSize), 0);
  CHECK_EQ(vImageByteSwap_Planar16U(&s.b, &s.b, 1u << 29), kvImageUnknownFlagsBit);
  img_free(&s);
  img_free(&d);
}

/* ---- a tiled image: threads give the bytes of one thread ----------------------------------------- */

static void tiled(void) {
  const geom_t G = big_geom();
  img_t s = img_new(G.w, G.h, 16, G.pad), a = img_new(G.w, G.h, 16, G.pad), b = img_new(G.w, G.h, 16, 0);
  img_fill_random(&s);
  const uint8_t map[4] = {2, 3, 0, 1};
  const Pixel_FFFF bg = {1.0f, -2.0f, 0.5f, 0.0f};
  CHECK_EQ(vImagePermuteChannelsWithMaskedInsert_ARGBFFFF(&s.b, &a.b, map, 0x6, bg, 0), kvImageNoError);
  CHECK_EQ(vImagePermuteChannelsWithMaskedInsert_ARGBFFFF(&s.b, &b.b, map, 0x6, bg, kvImageDoNotTile), kvImageNoError);
  int ok = 1;
  for (size_t y = 0; y < G.h; y++) ok &= memcmp(img_px(&a, 0, y), img_px(&b, 0, y), G.w * 16) == 0;
  CHECK(ok);
  CHECK_EQ(vImageSelectChannels_ARGB8888(&s.b, &a.b, &a.b, 0x9, 0), kvImageNoError);
  CHECK_EQ(vImageCopyBuffer(&s.b, &b.b, 16, 0), kvImageNoError);
  ok = 1;
  for (size_t y = 0; y < G.h; y++) ok &= memcmp(img_px(&s, 0, y), img_px(&b, 0, y), G.w * 16) == 0;
  CHECK(ok);
  CHECK(img_guards_ok(&a) && img_guards_ok(&b) && img_guards_ok(&s));
  img_free(&s);
  img_free(&a);
  img_free(&b);
}

int main(void) {
  permute_8888();
  permute_wide();
  permute_rgb888();
  one_source_ops();
  two_source_ops();
  extract();
  fills();
  copy_buffer();
  lookups();
  clip();
  byte_swap();
  if (getenv("VIMAGE_TEST_UNDER_VALGRIND") == NULL) tiled();
  return check_report();
}
