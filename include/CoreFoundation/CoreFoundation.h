/* <CoreFoundation/CoreFoundation.h> for vimage: the CoreFoundation subset vimage implements. */
#ifndef VIMAGE_COREFOUNDATION_H
#define VIMAGE_COREFOUNDATION_H

#include "CFBase.h"
#include "CFArray.h"
#include "CFData.h"
#include "CFDictionary.h"
#include "CFNumber.h"
#include "CFString.h"
#include "CFURL.h"

#endif /* VIMAGE_COREFOUNDATION_H */
