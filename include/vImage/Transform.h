/* <vImage/Transform.h> for vimage: the functions are declared by vimage.h; this file adds what
 * Apple's Transform.h defines in the header itself (enums and macros). */
#ifndef VIMAGE_TRANSFORM_H
#define VIMAGE_TRANSFORM_H

#include "../vimage.h"

/* gamma_type of vImageCreateGammaFunction (Apple's values). */
enum {
  kvImageGamma_UseGammaValue = 0,
  kvImageGamma_UseGammaValue_half_precision = 1,
  kvImageGamma_5_over_9_half_precision = 2,
  kvImageGamma_9_over_5_half_precision = 3,
  kvImageGamma_5_over_11_half_precision = 4,
  kvImageGamma_11_over_5_half_precision = 5,
  kvImageGamma_sRGB_forward_half_precision = 6,
  kvImageGamma_sRGB_reverse_half_precision = 7,
  kvImageGamma_11_over_9_half_precision = 8,
  kvImageGamma_9_over_11_half_precision = 9,
  kvImageGamma_BT709_forward_half_precision = 10,
  kvImageGamma_BT709_reverse_half_precision = 11
};

#endif /* VIMAGE_TRANSFORM_H */
