/* <ImageIO/CGImageSource.h> for vimage: the declarations live in ../vimage.h (generated). */
#ifndef VIMAGE_IMAGEIO_CGIMAGESOURCE_H
#define VIMAGE_IMAGEIO_CGIMAGESOURCE_H

#include "../vimage.h"

#endif /* VIMAGE_IMAGEIO_CGIMAGESOURCE_H */
