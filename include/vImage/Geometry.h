/* <vImage/Geometry.h> for vimage: the functions are declared by vimage.h; this file adds what
 * Apple's Geometry.h defines in the header itself (enums and macros). */
#ifndef VIMAGE_GEOMETRY_H
#define VIMAGE_GEOMETRY_H

#include "../vimage.h"

#endif /* VIMAGE_GEOMETRY_H */
