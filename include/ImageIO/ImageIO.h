/* <ImageIO/ImageIO.h> for vimage: CGImageSource, CGImageDestination and the property keys.
 * The declarations live in ../vimage.h (generated); Apple's macros are in CGImageProperties.h. */
#ifndef VIMAGE_IMAGEIO_H
#define VIMAGE_IMAGEIO_H

#include "../CoreFoundation/CoreFoundation.h"
#include "../CoreGraphics/CoreGraphics.h"
#include "ImageIOBase.h"
#include "CGImageSource.h"
#include "CGImageDestination.h"
#include "CGImageProperties.h"

#endif /* VIMAGE_IMAGEIO_H */
