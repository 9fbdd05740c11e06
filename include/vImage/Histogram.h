/* <vImage/Histogram.h> for vimage: the functions are declared by vimage.h; this file adds what
 * Apple's Histogram.h defines in the header itself (enums and macros). */
#ifndef VIMAGE_HISTOGRAM_H
#define VIMAGE_HISTOGRAM_H

#include "../vimage.h"

#endif /* VIMAGE_HISTOGRAM_H */
