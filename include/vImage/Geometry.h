/* <vImage/Geometry.h> for vimage: the functions are declared by vimage.h; this file adds what
 * Apple's Geometry.h defines in the header itself (enums and macros). */
#ifndef VIMAGE_GEOMETRY_H
#define VIMAGE_GEOMETRY_H

#include "../vimage.h"

/* Rotation constants for vImageRotate90_*: the value counts counter-clockwise quarter turns. */
enum
{
    kRotate0DegreesClockwise          = 0,
    kRotate90DegreesClockwise         = 3,
    kRotate180DegreesClockwise        = 2,
    kRotate270DegreesClockwise        = 1,

    kRotate0DegreesCounterClockwise   = 0,
    kRotate90DegreesCounterClockwise  = 1,
    kRotate180DegreesCounterClockwise = 2,
    kRotate270DegreesCounterClockwise = 3
};

#endif /* VIMAGE_GEOMETRY_H */
