/* The Apple-named headers as Objective-C (Debian's gobjc), after the Objective-C runtime's own
 * header (id, SEL, BOOL, YES / NO), with #import as Objective-C code writes it. */
#include <objc/objc.h>
#import <Accelerate/Accelerate.h>
#import <CoreGraphics/CoreGraphics.h>
#import <CoreFoundation/CoreFoundation.h>

#include <stdio.h>
#include <string.h>

int main(void) {
    /* @encode is an Objective-C construct: the structs must be complete C types to it. */
    const char *encoding = @encode(vImage_Buffer);
    BOOL ok = strlen(encoding) > 0 && strchr(encoding, '{') != NULL;

    unsigned char pixels[3 * 2 * 4];
    for (size_t i = 0; i < sizeof pixels; i++) pixels[i] = (unsigned char)i;
    vImage_Buffer buf = {pixels, 2, 3, 3 * 4};
    vImage_CGImageFormat fmt = {8, 32, NULL, kCGImageAlphaLast, 0, NULL, kCGRenderingIntentDefault};
    vImage_Error err = 1;
    CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &fmt, NULL, NULL, kvImageNoFlags, &err);
    ok = ok && image != NULL && err == kvImageNoError && CGImageGetWidth(image) == 3;
    const uint8_t map[4] = {2, 1, 0, 3};
    ok = ok && vImagePermuteChannels_ARGB8888(&buf, &buf, map, kvImageNoFlags) == kvImageNoError;
    ok = ok && pixels[0] == 2 && pixels[2] == 0;
    CGImageRelease(image);
    if (ok != YES) {
        fprintf(stderr, "header_objc: wrong result\n");
        return 1;
    }
    return 0;
}
