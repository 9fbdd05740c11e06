/* <vImage/Morphology.h> for vimage: the functions are declared by vimage.h; this file adds what
 * Apple's Morphology.h defines in the header itself (enums and macros). */
#ifndef VIMAGE_MORPHOLOGY_H
#define VIMAGE_MORPHOLOGY_H

#include "../vimage.h"

#endif /* VIMAGE_MORPHOLOGY_H */
