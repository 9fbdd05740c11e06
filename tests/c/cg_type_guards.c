/*
 * Our headers after another framework's that already defines CGFloat and the CG geometry types
 * the way GNUstep base (>= 1.31) and Apple's newer SDKs (CFCGTypes.h) do: behind
 * CGFLOAT_DEFINED / CGFLOAT_IS_DOUBLE / CF_DEFINES_CG_TYPES / CF_DEFINES_CGAFFINETRANSFORM.
 * Without the guards in vimage.h this fails with "redefinition of struct CGPoint".
 */
#define CGFLOAT_TYPE double
#define CGFLOAT_IS_DOUBLE 1
typedef CGFLOAT_TYPE CGFloat;
#define CGFLOAT_DEFINED 1
#define CF_DEFINES_CG_TYPES
struct CGPoint { CGFloat x; CGFloat y; };
typedef struct CGPoint CGPoint;
struct CGSize { CGFloat width; CGFloat height; };
typedef struct CGSize CGSize;
struct CGRect { CGPoint origin; CGSize size; };
typedef struct CGRect CGRect;
#define CF_DEFINES_CGAFFINETRANSFORM
struct CGAffineTransform { CGFloat a, b, c, d; CGFloat tx, ty; };
typedef struct CGAffineTransform CGAffineTransform;

#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <stdio.h>

int main(void) {
    unsigned char pixels[4 * 4 * 4] = {0};
    vImage_Buffer buf = {pixels, 4, 4, 16};
    vImage_CGImageFormat fmt = {8, 32, NULL, kCGImageAlphaLast, 0, NULL, 0};
    vImage_Error err = kvImageNoError;
    CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &fmt, NULL, NULL, kvImageNoFlags, &err);
    if (!image || err != kvImageNoError) return 1;
    CGImageRef part = CGImageCreateWithImageInRect(image, CGRectMake(1, 1, 2, 3));
    int ok = part && CGImageGetWidth(part) == 2 && CGImageGetHeight(part) == 3;
    CGAffineTransform t = {1, 0, 0, 1, 0, 0};
    ok = ok && sizeof t == 6 * sizeof(CGFloat) && CGFLOAT_IS_DOUBLE;
    CGImageRelease(part);
    CGImageRelease(image);
    if (!ok) {
        fprintf(stderr, "cg_type_guards: wrong result\n");
        return 1;
    }
    return 0;
}
