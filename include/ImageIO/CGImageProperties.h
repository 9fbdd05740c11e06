/* <ImageIO/CGImageProperties.h> for vimage: the key constants are declared in ../vimage.h
 * (generated); the PNG filter bits below are macros in Apple's header too. */
#ifndef VIMAGE_IMAGEIO_CGIMAGEPROPERTIES_H
#define VIMAGE_IMAGEIO_CGIMAGEPROPERTIES_H

#include "../vimage.h"

/* Values of kCGImagePropertyPNGCompressionFilter (an OR of these). */
#define IMAGEIO_PNG_NO_FILTERS 0x00
#define IMAGEIO_PNG_FILTER_NONE 0x08
#define IMAGEIO_PNG_FILTER_SUB 0x10
#define IMAGEIO_PNG_FILTER_UP 0x20
#define IMAGEIO_PNG_FILTER_AVG 0x40
#define IMAGEIO_PNG_FILTER_PAETH 0x80
#define IMAGEIO_PNG_ALL_FILTERS \
  (IMAGEIO_PNG_FILTER_NONE | IMAGEIO_PNG_FILTER_SUB | IMAGEIO_PNG_FILTER_UP | \
   IMAGEIO_PNG_FILTER_AVG | IMAGEIO_PNG_FILTER_PAETH)

#endif /* VIMAGE_IMAGEIO_CGIMAGEPROPERTIES_H */
