/* <vImage/Convolution.h> for vimage: the functions are declared by vimage.h; this file adds what
 * Apple's Convolution.h defines in the header itself (enums and macros). */
#ifndef VIMAGE_CONVOLUTION_H
#define VIMAGE_CONVOLUTION_H

#include "../vimage.h"

#endif /* VIMAGE_CONVOLUTION_H */
