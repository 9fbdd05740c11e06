/* vimage beside another CoreFoundation (tests/c/lib/foreign_cf.c, a stand-in for GNUstep
 * corebase or swift-corelibs-foundation) that exports CFRetain / CFRelease / CFGetRetainCount /
 * CFGetTypeID too. tests/c_programs.rs links this program twice:
 *   foreign-first: -lforeigncf -lvimage, so the program's CF calls bind to the other library;
 *   ours-first:    -lvimage -lforeigncf, so they bind to ours.
 * Either way our library must keep working: its own retains and releases never go through the
 * other library's exports (the foreign library sees no call at all while we create, crop, copy
 * and release images), and with ours first, CF calls on the other library's objects are
 * forwarded to it, so its objects live and die correctly. */
#include <Accelerate/Accelerate.h>
#include <CoreFoundation/CoreFoundation.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *ForeignCreate(void);
long ForeignLiveObjects(void);
long ForeignCalls(void);
long ForeignMisroutedCalls(void);

static int failures;
#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                      \
        }                                                                    \
    } while (0)

static int released;
static void release_pixels(void *info, void *data) {
    (void)data;
    released += info == (void *)&released;
}

/* Creates, crops, copies and releases images through vimage's typed API only: none of it may
 * reach the other library's CFRetain / CFRelease. */
static void our_lifecycle(void) {
    int before = released;
    static unsigned char pixels[6 * 5 * 4];
    for (size_t i = 0; i < sizeof pixels; i++) pixels[i] = (unsigned char)(i * 7);
    vImage_Buffer buf = {pixels, 5, 6, 6 * 4};
    vImage_CGImageFormat fmt = {8, 32, NULL, kCGImageAlphaFirst | kCGBitmapByteOrder32Little, 0, NULL,
                                kCGRenderingIntentDefault};
    vImage_Error err = 1;
    CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &fmt, release_pixels, &released,
                                                     kvImageNoAllocate, &err);
    CHECK(image && err == kvImageNoError);
    CGImageRef part = CGImageCreateWithImageInRect(image, CGRectMake(1, 1, 3, 2));
    CGImageRef copy = CGImageCreateCopy(image);
    CHECK(part && copy && CGImageGetWidth(part) == 3);
    CGColorSpaceRef space = CGImageGetColorSpace(image);
    CGColorSpaceRetain(space);
    vImage_Buffer back;
    CHECK(vImageBuffer_InitWithCGImage(&back, &fmt, NULL, part, kvImageNoFlags) == kvImageNoError);
    CHECK(back.width == 3 && memcmp(back.data, pixels + (6 * 4 + 4), 3 * 4) == 0);
    free(back.data);
    CGImageRelease(image);
    CGImageRelease(copy);
    CHECK(released == before);
    CGImageRelease(part);
    CHECK(released == before + 1);
    CGColorSpaceRelease(space);
}

int main(int argc, char **argv) {
    int ours_first = argc > 1 && strcmp(argv[1], "ours-first") == 0;

    our_lifecycle();
    CHECK(ForeignCalls() == 0);

    /* CF calls on the other library's object reach it, whichever definition the program bound. */
    void *foreign = ForeignCreate();
    CHECK(CFRetain(foreign) == foreign);
    CHECK(CFGetRetainCount(foreign) == 2);
    CHECK(CFGetTypeID(foreign) == 4242);
    CFRelease(foreign);
    CFRelease(foreign);
    CHECK(ForeignLiveObjects() == 0);
    CHECK(ForeignMisroutedCalls() == 0);
    CHECK(ForeignCalls() == 5);

    if (ours_first) {
        /* The program's CF calls are ours: they work on our objects and never bother the
         * other library. */
        CFStringRef name = CFStringCreateWithCString(NULL, "kCGColorSpaceSRGB", kCFStringEncodingUTF8);
        CHECK(name && CFGetRetainCount(name) == 1);
        CHECK(CFRetain(name) == name && CFGetRetainCount(name) == 2);
        CFRelease(name);
        CFRelease(name);
        CHECK(ForeignCalls() == 5 && ForeignMisroutedCalls() == 0);
    }
    our_lifecycle();
    CHECK(released == 2);

    if (failures) {
        fprintf(stderr, "interpose (%s): %d checks failed\n", ours_first ? "ours-first" : "foreign-first",
                failures);
        return 1;
    }
    return 0;
}
