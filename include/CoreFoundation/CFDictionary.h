/* <CoreFoundation/CFDictionary.h> for vimage: the declarations live in ../vimage.h (generated). */
#ifndef VIMAGE_CF_DICTIONARY_H
#define VIMAGE_CF_DICTIONARY_H

#include "CFBase.h"

#endif /* VIMAGE_CF_DICTIONARY_H */
