/* CGContext.h for vimage: CGContextRef, CGInterpolationQuality, CGBlendMode and the drawing
 * functions are declared in vimage.h. Bitmap contexts only; no paths or text. */
#ifndef VIMAGE_CG_CONTEXT_H
#define VIMAGE_CG_CONTEXT_H

#include "CGAffineTransform.h"
#include "CGImage.h"

#endif /* VIMAGE_CG_CONTEXT_H */
