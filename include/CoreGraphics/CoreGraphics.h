/* <CoreGraphics/CoreGraphics.h> for vimage: CGImage, CGDataProvider, CGColorSpace, CGGeometry. */
#ifndef VIMAGE_COREGRAPHICS_H
#define VIMAGE_COREGRAPHICS_H

#include "../CoreFoundation/CoreFoundation.h"
#include "CGGeometry.h"
#include "CGImage.h"
#include "CGBitmapContext.h"

#endif /* VIMAGE_COREGRAPHICS_H */
