/* <CoreFoundation/CoreFoundation.h> for vimage: the CoreFoundation subset the vImage bridge uses. */
#ifndef VIMAGE_COREFOUNDATION_H
#define VIMAGE_COREFOUNDATION_H

#include "CFBase.h"

#endif /* VIMAGE_COREFOUNDATION_H */
