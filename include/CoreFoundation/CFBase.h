/* CoreFoundation subset of vimage: CFBase, CFData, CFString, CFNumber, CFArray, CFDictionary and
 * CFURL as Apple declares them. */
#ifndef VIMAGE_CF_BASE_H
#define VIMAGE_CF_BASE_H

#include "../vimage.h"

/* CFSTR("...") makes a constant, never-freed CFString, as on Apple platforms. */
#ifndef CFSTR
#define CFSTR(cStr) __CFStringMakeConstantString("" cStr "")
#endif

#ifndef CF_INLINE
#define CF_INLINE static inline
#endif

/* CFRange CFRangeMake(CFIndex loc, CFIndex len): an inline function in Apple's CFBase.h. */
CF_INLINE CFRange CFRangeMake(CFIndex loc, CFIndex len) {
    CFRange range;
    range.location = loc;
    range.length = len;
    return range;
}

#endif /* VIMAGE_CF_BASE_H */
