/* CoreFoundation subset of vimage: CFRetain/CFRelease/CFData/CFString as Apple declares them. */
#ifndef VIMAGE_CF_BASE_H
#define VIMAGE_CF_BASE_H

#include "../vimage.h"

/* CFSTR("...") makes a constant, never-freed CFString, as on Apple platforms. */
#ifndef CFSTR
#define CFSTR(cStr) __CFStringMakeConstantString("" cStr "")
#endif

#endif /* VIMAGE_CF_BASE_H */
