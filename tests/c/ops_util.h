/*
 * Shared helpers for the pixel-operation C tests: images with padded rows between guard
 * bytes, a deterministic random fill, and the geometry list every function is run on.
 *
 * An img_t's rows are `width * bpp + pad` bytes apart; the padding after each row and 64
 * guard bytes before and after the pixels hold GUARD, and img_guards_ok() checks that no
 * function wrote outside the rows it was given.
 */
#ifndef VIMAGE_TEST_OPS_UTIL_H
#define VIMAGE_TEST_OPS_UTIL_H

#include <Accelerate/Accelerate.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define GUARD 0xA5
#define GUARD_BYTES 64

typedef struct {
  vImage_Buffer b;
  uint8_t *base; /* allocation: guard, rows, guard */
  size_t bpp;    /* bytes per pixel */
  size_t size;
} img_t;

static uint32_t rng_state_ = 0x12345678u;
static inline void rng_seed(uint32_t s) { rng_state_ = s ? s : 1u; }
static inline uint32_t rng(void) {
  uint32_t x = rng_state_;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return rng_state_ = x;
}

static inline img_t img_new(size_t w, size_t h, size_t bpp, size_t pad) {
  img_t m;
  size_t rb = w * bpp + pad;
  m.bpp = bpp;
  m.size = rb * h + 2 * GUARD_BYTES;
  m.base = (uint8_t *)malloc(m.size);
  if (m.base == NULL) exit(3);
  memset(m.base, GUARD, m.size);
  m.b.data = m.base + GUARD_BYTES;
  m.b.width = w;
  m.b.height = h;
  m.b.rowBytes = rb;
  return m;
}

static inline uint8_t *img_px(const img_t *m, size_t x, size_t y) {
  return (uint8_t *)m->b.data + y * m->b.rowBytes + x * m->bpp;
}

/* Random bytes in every pixel (not the padding). */
static inline void img_fill_random(img_t *m) {
  for (size_t y = 0; y < m->b.height; y++)
    for (size_t i = 0; i < m->b.width * m->bpp; i++) img_px(m, 0, y)[i] = (uint8_t)rng();
}

/* Random floats in [lo, hi) in every sample of a float image. */
static inline void img_fill_random_f(img_t *m, float lo, float hi) {
  for (size_t y = 0; y < m->b.height; y++) {
    float *row = (float *)(void *)img_px(m, 0, y);
    for (size_t i = 0; i < m->b.width * m->bpp / 4; i++)
      row[i] = lo + (hi - lo) * (float)(rng() >> 8) / 16777216.0f;
  }
}

/* 1 when the guards and every row's padding still hold GUARD. */
static inline int img_guards_ok(const img_t *m) {
  size_t rb = m->b.rowBytes, row = m->b.width * m->bpp;
  for (size_t i = 0; i < GUARD_BYTES; i++)
    if (m->base[i] != GUARD || m->base[m->size - 1 - i] != GUARD) return 0;
  for (size_t y = 0; y < m->b.height; y++)
    for (size_t i = row; i < rb; i++)
      if (img_px(m, 0, y)[i] != GUARD) return 0;
  return 1;
}

static inline void img_free(img_t *m) {
  free(m->base);
  m->base = NULL;
}

/* The geometries every function runs on: 1x1, odd widths, 1xN, Nx1, and a size over the
 * tiling threshold (so the band queue runs) unless running under valgrind. */
typedef struct {
  size_t w, h, pad;
} geom_t;

static const geom_t GEOMS[] = {{1, 1, 0}, {7, 3, 5}, {33, 5, 0}, {1, 9, 3}, {9, 1, 0}, {17, 4, 64}};
#define NGEOMS (sizeof GEOMS / sizeof GEOMS[0])

/* A geometry large enough to be tiled across threads (2 x 2^16 pixels). */
static inline geom_t big_geom(void) {
  geom_t g = {521, 257, 7};
  return g;
}

#endif /* VIMAGE_TEST_OPS_UTIL_H */
