/* CGBitmapContext.h for vimage: the functions are declared in vimage.h. */
#ifndef VIMAGE_CG_BITMAP_CONTEXT_H
#define VIMAGE_CG_BITMAP_CONTEXT_H

#include "CGContext.h"

#endif /* VIMAGE_CG_BITMAP_CONTEXT_H */
