/* <Accelerate/Accelerate.h> for vimage: the vImage <-> CoreGraphics bridge part of Accelerate. */
#ifndef VIMAGE_ACCELERATE_H
#define VIMAGE_ACCELERATE_H

#include "../vImage/vImage.h"

#endif /* VIMAGE_ACCELERATE_H */
