/* <ImageIO/ImageIOBase.h> for vimage: the declarations live in ../vimage.h (generated). */
#ifndef VIMAGE_IMAGEIO_IMAGEIOBASE_H
#define VIMAGE_IMAGEIO_IMAGEIOBASE_H

#include "../vimage.h"

#endif /* VIMAGE_IMAGEIO_IMAGEIOBASE_H */
