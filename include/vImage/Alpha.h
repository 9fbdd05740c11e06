/* <vImage/Alpha.h> for vimage: the functions are declared by vimage.h; this file adds the
 * names Apple defines as macros (BGRA / RGBA spellings of exported functions).
 *
 * vimage exports every such spelling as a real function (vImagePremultiplyData_BGRA8888,
 * vImageUnpremultiplyData_BGRA16U, vImagePremultipliedAlphaBlend_RGBA8888,
 * vImageClipToAlpha_BGRAFFFF, ...), declared by vimage.h, so Alpha.h needs no macro: a C
 * caller and a dlsym / ctypes lookup reach the same symbol. */
#ifndef VIMAGE_ALPHA_H
#define VIMAGE_ALPHA_H

#include "../vimage.h"

#endif /* VIMAGE_ALPHA_H */
