/* <vImage/vImage.h> for vimage: vImage_Types.h and vImage_Utilities.h (the CoreGraphics bridge). */
#ifndef VIMAGE_VIMAGE_H
#define VIMAGE_VIMAGE_H

#include "../CoreGraphics/CoreGraphics.h"
#include "Alpha.h"
#include "Conversion.h"
#include "Convolution.h"
#include "Geometry.h"
#include "Histogram.h"
#include "Morphology.h"
#include "Transform.h"

#endif /* VIMAGE_VIMAGE_H */
