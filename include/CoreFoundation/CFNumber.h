/* <CoreFoundation/CFNumber.h> for vimage: the declarations live in ../vimage.h (generated). */
#ifndef VIMAGE_CF_NUMBER_H
#define VIMAGE_CF_NUMBER_H

#include "CFBase.h"

#endif /* VIMAGE_CF_NUMBER_H */
