/* <vImage/Transform.h> for vimage: the functions are declared by vimage.h; this file adds what
 * Apple's Transform.h defines in the header itself (enums and macros). */
#ifndef VIMAGE_TRANSFORM_H
#define VIMAGE_TRANSFORM_H

#include "../vimage.h"

#endif /* VIMAGE_TRANSFORM_H */
