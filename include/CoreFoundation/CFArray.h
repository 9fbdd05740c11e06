/* <CoreFoundation/CFArray.h> for vimage: the declarations live in ../vimage.h (generated). */
#ifndef VIMAGE_CF_ARRAY_H
#define VIMAGE_CF_ARRAY_H

#include "CFBase.h"

#endif /* VIMAGE_CF_ARRAY_H */
