/*
 * Hostile inputs, table driven: one row per call, with the vImage_Error (or NULL / an image)
 * README.md's tables and apple-abi.md §4 / §7 promise for it. Rows cover sizes near SIZE_MAX,
 * rowBytes shorter than a row or absurdly large, bitsPerPixel 0 / 255 / not the channels'
 * size, alpha info 8..31, float with 8 or 5 bits, packed formats with the wrong byte order,
 * NULL for every pointer (declared nonnull or not), objects of the wrong type or no object at
 * all, and buffers whose end wraps around the address space, over
 * vImageCreateCGImageFromBuffer (each row in copy and in no-copy mode),
 * vImageBuffer_Init, vImageBuffer_InitWithCGImage, vImageConverter_CreateWithCGImageFormat,
 * vImageConvert_AnyToAny, CGImageCreate and CGImageCreateWithImageInRect.
 *
 * Every row also checks that no callback fired (the no-copy callback, the release callback of
 * the data provider handed to CGImageCreate, the one of the source image's provider), that a
 * failed vImageBuffer_InitWithCGImage leaves buf->data NULL, and that the providers are
 * released exactly once afterwards; valgrind (run by tests/c_programs.rs) and ASan
 * (tests/asan.sh) check that nothing leaks and no bad address is touched: the wrapping
 * pointers below are never mapped, so a library that read them would crash.
 *
 * A few rows are boundaries that must succeed (a single row with rowBytes SIZE_MAX, a rect
 * of infinite size); their images are then read back through the other functions.
 */
#include <Accelerate/Accelerate.h>
#include <CoreFoundation/CoreFoundation.h>
#include <CoreGraphics/CoreGraphics.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Rows override the defaults of their macros (designated initializers, later wins). */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Winitializer-overrides"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Woverride-init"
#endif

typedef enum {
  CREATE,           /* vImageCreateCGImageFromBuffer, copy and no-copy */
  CREATE_NOCOPY,    /* no-copy only */
  CREATE_COPY,      /* copy only */
  BUFFER_INIT,      /* vImageBuffer_Init(buf, height, width, bpp as pixelBits, flags) */
  INIT_WITH_IMAGE,  /* vImageBuffer_InitWithCGImage(buf, format, NULL, image, flags) */
  CONVERTER_CREATE, /* vImageConverter_CreateWithCGImageFormat(format, rgba8, ...) */
  ANY_TO_ANY,       /* vImageConvert_AnyToAny(converter, &src, &dst, NULL, flags) */
  CG_IMAGE_CREATE,  /* CGImageCreate(width, height, bpc, bpp, rowBytes, space, info, ...) */
  CG_IMAGE_IN_RECT  /* CGImageCreateWithImageInRect(image, rect) */
} Api;

/* Pixel pointers. */
typedef enum {
  D_GOOD = 0, /* a static array large enough for the row's good geometry */
  D_NULL,
  D_WRAP, /* UINTPTR_MAX - 31: 48 bytes from it wrap around the address space */
  D_END   /* UINTPTR_MAX - 47: 48 bytes from it end exactly at 2^64 */
} Data;

/* Object arguments (colour space, image, converter, data provider). */
typedef enum {
  O_DEFAULT = 0, /* the natural valid value: NULL (= sRGB) for a vImage format's colour space */
  O_NULL,
  O_CFDATA,     /* a live object of another type */
  O_SPACE,      /* a live CGColorSpaceRef */
  O_IMAGE,      /* a live CGImageRef */
  O_NOT_OBJECT, /* readable, aligned memory that holds no object */
  O_MISALIGNED, /* a pointer that no object can have */
  O_GRAY,
  O_CMYK,
  O_SHORT /* CGImageCreate: a provider one byte shorter than the image */
} Obj;

/* Struct pointers that are NULL. */
enum { N_BUF = 1, N_FORMAT = 2, N_SRCS = 4, N_DESTS = 8 };

/* Decode arrays. */
enum { DEC_NONE = 0, DEC_VALUES, DEC_Q12 };

/* Converters for ANY_TO_ANY (the row's `image` field can replace it with another object). */
enum { CONV_PLAIN = 0, CONV_16LITTLE, CONV_FLOAT };

/* Expected results of the CG functions, which have no error code. */
#define EXPECT_NULL ((vImage_Error)0x4e554c4c)
#define EXPECT_IMAGE ((vImage_Error)0x494d4147)

typedef struct {
  int line;
  const char *what;
  Api api;
  unsigned nulls;
  vImage_Flags flags;
  /* vImage_Buffer (the source for ANY_TO_ANY, CGImageCreate's geometry; for IN_RECT rows
     that succeed, the expected size) */
  Data data;
  size_t height, width, row_bytes;
  /* format, or CGImageCreate's arguments */
  size_t bpc, bpp;
  CGBitmapInfo info;
  Obj space;
  uint32_t version;
  int decode;
  CGColorRenderingIntent intent;
  /* ANY_TO_ANY destination */
  Data dst_data;
  size_t dst_height, dst_width, dst_row_bytes;
  /* image (INIT_WITH_IMAGE, IN_RECT), converter (ANY_TO_ANY), provider (CG_IMAGE_CREATE) */
  Obj object;
  int conv;
  int bad_dst; /* CONVERTER_CREATE: the row's format is the destination, not the source */
  int null_callback; /* CREATE: callback NULL, so a wrongly armed release would free() static
                        memory (valgrind and ASan report that) */
  CGRect rect;
  vImage_Error expected;
} Row;

#define BUF .data = D_GOOD, .height = 3, .width = 4, .row_bytes = 16
#define DST .dst_data = D_GOOD, .dst_height = 3, .dst_width = 4, .dst_row_bytes = 16
#define RGBA8 .bpc = 8, .bpp = 32, .info = kCGImageAlphaPremultipliedLast
#define ROW(api_, what_, ...) \
  { .line = __LINE__, .what = what_, .api = api_, BUF, DST, RGBA8, __VA_ARGS__ }
#define RECT(x, y, w, h) .rect = {{(x), (y)}, {(w), (h)}}

#define RGB565 (kCGImageAlphaNone | kCGImagePixelFormatRGB565)
#define ARGB1555 (kCGImageAlphaFirst | kCGImagePixelFormatRGB555)
#define RGB101010 (kCGImageAlphaNoneSkipFirst | kCGImagePixelFormatRGB101010)
#define FLOAT_RGBA (kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents)

#define HALF (SIZE_MAX / 2 + 1) /* 2^63: more than isize::MAX */

static const Row rows[] = {
    /* ---- vImageCreateCGImageFromBuffer: NULL ----------------------------------------- */
    ROW(CREATE, "buf NULL", .nulls = N_BUF, .expected = kvImageNullPointerArgument),
    ROW(CREATE, "format NULL", .nulls = N_FORMAT, .expected = kvImageNullPointerArgument),
    ROW(CREATE, "buf and format NULL", .nulls = N_BUF | N_FORMAT,
        .expected = kvImageNullPointerArgument),
    ROW(CREATE, "buf->data NULL", .data = D_NULL, .expected = kvImageNullPointerArgument),
    /* ---- geometry ---------------------------------------------------------------------- */
    ROW(CREATE, "width 0", .width = 0, .expected = kvImageInvalidParameter),
    ROW(CREATE, "height 0", .height = 0, .expected = kvImageInvalidParameter),
    ROW(CREATE, "width SIZE_MAX: width * bpp overflows", .width = SIZE_MAX,
        .expected = kvImageInvalidParameter),
    ROW(CREATE, "width SIZE_MAX/32 + 1: width * 32 overflows", .width = SIZE_MAX / 32 + 1,
        .expected = kvImageInvalidParameter),
    ROW(CREATE, "width SIZE_MAX/32: a 2^61-byte row, rowBytes 16", .width = SIZE_MAX / 32,
        .expected = kvImageInvalidRowBytes),
    ROW(CREATE, "height SIZE_MAX: (height-1) * rowBytes overflows", .height = SIZE_MAX,
        .expected = kvImageInvalidParameter),
    ROW(CREATE, "rowBytes SIZE_MAX, 3 rows", .row_bytes = SIZE_MAX,
        .expected = kvImageInvalidParameter),
    ROW(CREATE, "rowBytes 2^63, 2 rows: span beyond isize::MAX", .height = 2,
        .row_bytes = HALF, .expected = kvImageInvalidParameter),
    ROW(CREATE, "rowBytes 15: shorter than a row", .row_bytes = 15,
        .expected = kvImageInvalidRowBytes),
    ROW(CREATE, "rowBytes 0", .row_bytes = 0, .expected = kvImageInvalidRowBytes),
    ROW(CREATE, "alpha-only 8-bit, width SIZE_MAX/8, rowBytes 1", .width = SIZE_MAX / 8, .row_bytes = 1,
        .bpc = 8, .bpp = 8, .info = kCGImageAlphaOnly, .expected = kvImageInvalidRowBytes),
    ROW(CREATE, "data wraps the address space", .data = D_WRAP,
        .expected = kvImageInvalidParameter),
    ROW(CREATE, "data ends exactly at 2^64", .data = D_END, .expected = kvImageInvalidParameter),
    ROW(CREATE, "one row, rowBytes SIZE_MAX (never used)", .height = 1, .row_bytes = SIZE_MAX,
        .expected = kvImageNoError),
    /* ---- bits per component / pixel ----------------------------------------------------- */
    ROW(CREATE, "bitsPerComponent 0", .bpc = 0, .expected = kvImageInvalidParameter),
    ROW(CREATE, "bitsPerComponent UINT32_MAX", .bpc = UINT32_MAX,
        .expected = kvImageInvalidParameter),
    ROW(CREATE, "bitsPerComponent 10 (not a CreateCGImage size)", .bpc = 10, .info = RGB101010,
        .expected = kvImageInvalidParameter),
    ROW(CREATE, "bitsPerPixel 0", .bpp = 0, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "bitsPerPixel 255", .bpp = 255, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "bitsPerPixel 20 for 8-bit RGBA", .bpp = 20, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "bitsPerPixel 40 for 16-bit RGBA", .bpc = 16, .bpp = 40,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "bitsPerPixel 36: not a multiple of 8-bit components", .bpp = 36,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "bitsPerPixel UINT32_MAX", .bpp = UINT32_MAX,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "CMYK space with 32-bit RGBA (needs 40)", .space = O_CMYK,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "alpha only with 16 bits per pixel", .bpp = 16, .info = kCGImageAlphaOnly,
        .expected = kvImageInvalidImageFormat),
    /* ---- bitmapInfo ---------------------------------------------------------------------- */
    ROW(CREATE, "alpha info 8", .info = 8, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "alpha info 15", .info = 15, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "alpha info 31", .info = 31, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "alpha info 31 | 32Little", .info = 31 | kCGBitmapByteOrder32Little,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "float with 8 bits", .info = FLOAT_RGBA, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "float with 5 bits (ARGB1555)", .bpc = 5, .bpp = 16,
        .info = ARGB1555 | kCGBitmapFloatComponents | kCGBitmapByteOrder16Little,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "32-bit integer components", .bpc = 32, .bpp = 128,
        .info = kCGImageAlphaPremultipliedLast, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "RGB565 with 32Little", .bpc = 5, .bpp = 16, .info = RGB565 | kCGBitmapByteOrder32Little,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "RGB565 with 32Big", .bpc = 5, .bpp = 16, .info = RGB565 | kCGBitmapByteOrder32Big,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "ARGB1555 with 32Little", .bpc = 5, .bpp = 16,
        .info = ARGB1555 | kCGBitmapByteOrder32Little, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "RGB565 with an alpha channel", .bpc = 5, .bpp = 16,
        .info = kCGImageAlphaPremultipliedFirst | kCGImagePixelFormatRGB565 |
                kCGBitmapByteOrder16Little,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "RGB565 in 32 bits per pixel", .bpc = 5, .bpp = 32,
        .info = RGB565 | kCGBitmapByteOrder16Little, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "RGB555 without its alpha or padding bit", .bpc = 5, .bpp = 16,
        .info = kCGImageAlphaNone | kCGImagePixelFormatRGB555 | kCGBitmapByteOrder16Little,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "RGB101010 pixel format with 5-bit components", .bpc = 5, .bpp = 16,
        .info = kCGImageAlphaNone | kCGImagePixelFormatRGB101010,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "RGB565 pixel format with 8-bit components",
        .info = kCGImageAlphaNone | kCGImagePixelFormatRGB565, .bpp = 24,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "16Little on 32-bit pixels of 8-bit components",
        .info = kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "32Big on 8-bit gray", .space = O_GRAY, .bpp = 8,
        .info = kCGImageAlphaNone | kCGBitmapByteOrder32Big, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "byte order 7", .info = kCGImageAlphaPremultipliedLast | (7u << 12),
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "pixel format 15", .info = kCGImageAlphaPremultipliedLast | (15u << 16),
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "unknown bitmapInfo bit 0x80000000",
        .info = kCGImageAlphaPremultipliedLast | 0x80000000u, .expected = kvImageInvalidParameter),
    ROW(CREATE, "every bitmapInfo bit", .info = 0xFFFFFFFFu, .expected = kvImageInvalidParameter),
    ROW(CREATE, "RGB565 16Little (valid)", .bpc = 5, .bpp = 16,
        .info = RGB565 | kCGBitmapByteOrder16Little, .expected = kvImageNoError),
    /* ---- other fields ----------------------------------------------------------------------- */
    ROW(CREATE, "version 1", .version = 1, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "version UINT32_MAX", .version = UINT32_MAX, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "renderingIntent -1", .intent = -1, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "renderingIntent INT32_MAX", .intent = INT32_MAX,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "colorSpace is a CFData", .space = O_CFDATA, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "colorSpace is a CGImage", .space = O_IMAGE, .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "colorSpace is not an object", .space = O_NOT_OBJECT,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "colorSpace misaligned", .space = O_MISALIGNED,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE, "flag kvImageLeaveAlphaUnchanged", .flags = kvImageLeaveAlphaUnchanged,
        .expected = kvImageUnknownFlagsBit),
    ROW(CREATE, "flag bit 31", .flags = 0x80000000u, .expected = kvImageUnknownFlagsBit),
    ROW(CREATE_NOCOPY, "16Q12 in no-copy mode", .bpc = 16, .bpp = 64, .decode = DEC_Q12,
        .info = kCGImageAlphaLast | kCGBitmapByteOrder16Little, .row_bytes = 32,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE_NOCOPY, "callback NULL (free), data wraps", .null_callback = 1, .data = D_WRAP,
        .expected = kvImageInvalidParameter),
    ROW(CREATE_NOCOPY, "callback NULL (free), alpha info 9", .null_callback = 1, .info = 9,
        .expected = kvImageInvalidImageFormat),
    ROW(CREATE_NOCOPY, "callback NULL (free), rowBytes 15", .null_callback = 1,
        .row_bytes = 15, .expected = kvImageInvalidRowBytes),
    ROW(CREATE_NOCOPY, "callback NULL (free), bad flag", .null_callback = 1,
        .flags = kvImageCopyInPlace, .expected = kvImageUnknownFlagsBit),
    ROW(CREATE_COPY, "16Q12 copy, width 2^57 + 1: the float row overflows (nothing read)",
        .bpc = 16, .bpp = 64, .decode = DEC_Q12,
        .info = kCGImageAlphaLast | kCGBitmapByteOrder16Little, .height = 1,
        .width = ((size_t)1 << 57) + 1, .row_bytes = (((size_t)1 << 57) + 1) * 8,
        .expected = kvImageInvalidParameter),
    ROW(CREATE_COPY, "16Q12 in copy mode (valid: stored as float)", .bpc = 16, .bpp = 64,
        .decode = DEC_Q12, .info = kCGImageAlphaLast | kCGBitmapByteOrder16Little,
        .row_bytes = 32, .expected = kvImageNoError),

    /* ---- vImageBuffer_Init (bpp = pixelBits) ----------------------------------------------- */
    ROW(BUFFER_INIT, "buf NULL", .nulls = N_BUF, .expected = kvImageNullPointerArgument),
    ROW(BUFFER_INIT, "height 0", .height = 0, .expected = kvImageInvalidParameter),
    ROW(BUFFER_INIT, "width 0", .width = 0, .expected = kvImageInvalidParameter),
    ROW(BUFFER_INIT, "pixelBits 0", .bpp = 0, .expected = kvImageInvalidParameter),
    ROW(BUFFER_INIT, "width SIZE_MAX", .width = SIZE_MAX, .expected = kvImageMemoryAllocationError),
    ROW(BUFFER_INIT, "height SIZE_MAX", .height = SIZE_MAX, .expected = kvImageMemoryAllocationError),
    ROW(BUFFER_INIT, "width SIZE_MAX/8, pixelBits UINT32_MAX", .width = SIZE_MAX / 8,
        .bpp = UINT32_MAX, .expected = kvImageMemoryAllocationError),
    ROW(BUFFER_INIT, "2^30 x 2^30 x 32 bits (§7.7)", .height = (size_t)1 << 30,
        .width = (size_t)1 << 30, .expected = kvImageMemoryAllocationError),
    ROW(BUFFER_INIT, "height 2^62, no allocation", .height = (size_t)1 << 62,
        .flags = kvImageNoAllocate, .expected = kvImageMemoryAllocationError),
    ROW(BUFFER_INIT, "flag kvImageLeaveAlphaUnchanged", .flags = kvImageLeaveAlphaUnchanged,
        .expected = kvImageUnknownFlagsBit),
    ROW(BUFFER_INIT, "flag kvImageDoNotTile", .flags = kvImageDoNotTile,
        .expected = kvImageUnknownFlagsBit),
    ROW(BUFFER_INIT, "pixelBits 255, no allocation (valid)", .bpp = 255,
        .flags = kvImageNoAllocate, .expected = 64),
    ROW(BUFFER_INIT, "pixelBits UINT32_MAX, no allocation (valid)", .bpp = UINT32_MAX,
        .width = 1, .height = 1, .flags = kvImageNoAllocate, .expected = 64),

    /* ---- vImageBuffer_InitWithCGImage (image 4x3 RGBA8) --------------------------------- */
    ROW(INIT_WITH_IMAGE, "buf NULL", .nulls = N_BUF, .expected = kvImageNullPointerArgument),
    ROW(INIT_WITH_IMAGE, "format NULL", .nulls = N_FORMAT, .expected = kvImageNullPointerArgument),
    ROW(INIT_WITH_IMAGE, "image NULL", .object = O_NULL, .expected = kvImageNullPointerArgument),
    ROW(INIT_WITH_IMAGE, "image is a CFData", .object = O_CFDATA,
        .expected = kvImageInvalidImageObject),
    ROW(INIT_WITH_IMAGE, "image is a colour space", .object = O_SPACE,
        .expected = kvImageInvalidImageObject),
    ROW(INIT_WITH_IMAGE, "image is not an object", .object = O_NOT_OBJECT,
        .expected = kvImageInvalidImageObject),
    ROW(INIT_WITH_IMAGE, "image misaligned", .object = O_MISALIGNED,
        .expected = kvImageInvalidImageObject),
    ROW(INIT_WITH_IMAGE, "flag kvImageDoNotTile (§7.6)", .flags = kvImageDoNotTile,
        .expected = kvImageUnknownFlagsBit),
    ROW(INIT_WITH_IMAGE, "version 2 (§7.5)", .version = 2, .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "decode array", .decode = DEC_VALUES, .expected = kvImageInvalidParameter),
    ROW(INIT_WITH_IMAGE, "bitsPerComponent 3 (§7.5)", .bpc = 3, .bpp = 12,
        .expected = kvImageInvalidParameter),
    ROW(INIT_WITH_IMAGE, "bitsPerComponent UINT32_MAX", .bpc = UINT32_MAX,
        .expected = kvImageInvalidParameter),
    ROW(INIT_WITH_IMAGE, "bitsPerPixel 20 (§7.5)", .bpp = 20, .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "bitsPerPixel 255", .bpp = 255, .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "alpha info 9", .info = 9, .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "unknown bitmapInfo bit (§7.5)",
        .info = kCGImageAlphaPremultipliedLast | 0x40000000u, .expected = kvImageInvalidParameter),
    ROW(INIT_WITH_IMAGE, "float with 8 bits", .info = FLOAT_RGBA,
        .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "RGB565 with 32Little", .bpc = 5, .bpp = 16,
        .info = RGB565 | kCGBitmapByteOrder32Little, .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "RGB101010 with 16Big", .bpc = 10, .bpp = 32,
        .info = RGB101010 | kCGBitmapByteOrder16Big, .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "renderingIntent 77", .intent = 77, .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "colorSpace is a CFData", .space = O_CFDATA,
        .expected = kvImageInvalidImageFormat),
    ROW(INIT_WITH_IMAGE, "no-copy: buf->data NULL", .flags = kvImageNoAllocate, .data = D_NULL,
        .expected = kvImageNullPointerArgument),
    ROW(INIT_WITH_IMAGE, "no-copy: rowBytes 15", .flags = kvImageNoAllocate, .row_bytes = 15,
        .expected = kvImageInvalidRowBytes),
    ROW(INIT_WITH_IMAGE, "no-copy: buf narrower than the image", .flags = kvImageNoAllocate,
        .width = 3, .expected = kvImageBufferSizeMismatch),
    ROW(INIT_WITH_IMAGE, "no-copy: buf shorter than the image", .flags = kvImageNoAllocate,
        .height = 2, .expected = kvImageBufferSizeMismatch),
    ROW(INIT_WITH_IMAGE, "no-copy: data wraps the address space", .flags = kvImageNoAllocate,
        .data = D_WRAP, .expected = kvImageInvalidParameter),
    ROW(INIT_WITH_IMAGE, "no-copy: data ends at 2^64", .flags = kvImageNoAllocate,
        .data = D_END, .expected = kvImageInvalidParameter),
    ROW(INIT_WITH_IMAGE, "no-copy: rowBytes SIZE_MAX", .flags = kvImageNoAllocate,
        .row_bytes = SIZE_MAX, .expected = kvImageInvalidParameter),
    ROW(INIT_WITH_IMAGE, "no-copy: rowBytes 2^63", .flags = kvImageNoAllocate,
        .row_bytes = HALF, .expected = kvImageInvalidParameter),
    ROW(INIT_WITH_IMAGE, "no-copy: buf claims SIZE_MAX x SIZE_MAX (valid: 4x3 written)",
        .flags = kvImageNoAllocate, .width = SIZE_MAX, .height = SIZE_MAX,
        .expected = kvImageNoError),

    /* ---- vImageConverter_CreateWithCGImageFormat (other side: RGBA8) ------------------- */
    ROW(CONVERTER_CREATE, "source format NULL", .nulls = N_FORMAT,
        .expected = kvImageNullPointerArgument),
    ROW(CONVERTER_CREATE, "destination format NULL", .nulls = N_FORMAT, .bad_dst = 1,
        .expected = kvImageNullPointerArgument),
    ROW(CONVERTER_CREATE, "flag kvImageNoAllocate", .flags = kvImageNoAllocate,
        .expected = kvImageUnknownFlagsBit),
    ROW(CONVERTER_CREATE, "version 1", .version = 1, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "bitsPerComponent 3", .bpc = 3, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "bitsPerComponent 0", .bpc = 0, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "bitsPerPixel 0", .bpp = 0, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "bitsPerPixel 255", .bpp = 255, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "alpha info 8", .info = 8, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "destination alpha info 20", .info = 20, .bad_dst = 1,
        .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "float with 8 bits", .info = FLOAT_RGBA,
        .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "float with 5 bits", .bpc = 5, .bpp = 16,
        .info = ARGB1555 | kCGBitmapFloatComponents, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "RGB565 with 32Little", .bpc = 5, .bpp = 16,
        .info = RGB565 | kCGBitmapByteOrder32Little, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "destination RGB101010 with 16Little", .bpc = 10, .bpp = 32,
        .info = RGB101010 | kCGBitmapByteOrder16Little, .bad_dst = 1,
        .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "float with 10 bits", .bpc = 10, .bpp = 32,
        .info = RGB101010 | kCGBitmapFloatComponents, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "10-bit components without a packed format", .bpc = 10, .bpp = 32,
        .info = kCGImageAlphaNoneSkipFirst, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "RGB101010 in 30 bits", .bpc = 10, .bpp = 30, .info = RGB101010,
        .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "RGB101010 in a gray space", .bpc = 10, .bpp = 32, .info = RGB101010,
        .space = O_GRAY, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "unknown bitmapInfo bit",
        .info = kCGImageAlphaPremultipliedLast | 0x100000u, .expected = kvImageInvalidParameter),
    ROW(CONVERTER_CREATE, "renderingIntent 9", .intent = 9, .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "colorSpace is a CGImage", .space = O_IMAGE,
        .expected = kvImageInvalidImageFormat),
    ROW(CONVERTER_CREATE, "decode array other than 16Q12", .decode = DEC_VALUES,
        .expected = kvImageInvalidImageFormat),

    /* ---- vImageConvert_AnyToAny (RGBA8 premultiplied -> straight, 4x3, rowBytes 16) ---- */
    ROW(ANY_TO_ANY, "converter NULL", .object = O_NULL, .expected = kvImageNullPointerArgument),
    ROW(ANY_TO_ANY, "converter is a CGImage", .object = O_IMAGE,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "converter is not an object", .object = O_NOT_OBJECT,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "srcs NULL", .nulls = N_SRCS, .expected = kvImageNullPointerArgument),
    ROW(ANY_TO_ANY, "dests NULL", .nulls = N_DESTS, .expected = kvImageNullPointerArgument),
    ROW(ANY_TO_ANY, "source data NULL (§4.6 rule 27)", .data = D_NULL,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "destination data NULL", .dst_data = D_NULL,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "zero width, data NULL", .width = 0, .dst_width = 0, .data = D_NULL,
        .dst_data = D_NULL, .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "zero height, destination data NULL", .dst_height = 0, .dst_data = D_NULL,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "zero width (valid: nothing to do)", .dst_width = 0,
        .expected = kvImageNoError),
    ROW(ANY_TO_ANY, "source narrower than the destination", .width = 3,
        .expected = kvImageBufferSizeMismatch),
    ROW(ANY_TO_ANY, "source shorter than the destination", .height = 2,
        .expected = kvImageBufferSizeMismatch),
    ROW(ANY_TO_ANY, "source rowBytes 15", .row_bytes = 15, .expected = kvImageInvalidRowBytes),
    ROW(ANY_TO_ANY, "destination rowBytes 0", .dst_row_bytes = 0,
        .expected = kvImageInvalidRowBytes),
    ROW(ANY_TO_ANY, "height SIZE_MAX", .height = SIZE_MAX, .dst_height = SIZE_MAX,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "width SIZE_MAX", .width = SIZE_MAX, .dst_width = SIZE_MAX,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "destination rowBytes SIZE_MAX", .dst_row_bytes = SIZE_MAX,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "source rowBytes 2^63", .row_bytes = HALF, .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "destination wraps the address space", .dst_data = D_WRAP,
        .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "source ends at 2^64", .data = D_END, .expected = kvImageInvalidParameter),
    ROW(ANY_TO_ANY, "flag kvImageNoAllocate", .flags = kvImageNoAllocate,
        .expected = kvImageUnknownFlagsBit),
    ROW(ANY_TO_ANY, "16Little destination with odd rowBytes", .conv = CONV_16LITTLE,
        .dst_row_bytes = 33, .expected = kvImageInvalidImageFormat),
    ROW(ANY_TO_ANY, "32Little float destination, rowBytes 66", .conv = CONV_FLOAT,
        .dst_row_bytes = 66, .expected = kvImageInvalidImageFormat),
    ROW(ANY_TO_ANY, "kvImageGetTempBufferSize with NULL buffers (valid: 0)",
        .flags = kvImageGetTempBufferSize, .nulls = N_SRCS | N_DESTS, .expected = 0),

    /* ---- CGImageCreate (4x3 RGBA8, rowBytes 16, device RGB, a 48-byte provider) -------- */
    ROW(CG_IMAGE_CREATE, "width 0", .width = 0, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "height 0", .height = 0, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "width SIZE_MAX", .width = SIZE_MAX, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "height SIZE_MAX", .height = SIZE_MAX, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bytesPerRow 15", .row_bytes = 15, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bytesPerRow SIZE_MAX", .row_bytes = SIZE_MAX, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bytesPerRow 2^63", .row_bytes = HALF, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bitsPerComponent 3", .bpc = 3, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bitsPerComponent SIZE_MAX", .bpc = SIZE_MAX, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bitsPerPixel 0", .bpp = 0, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bitsPerPixel 255", .bpp = 255, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bitsPerPixel 24 for RGBA8", .bpp = 24, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bitsPerPixel 40: more than needed, rows too short", .bpp = 40,
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "bitsPerPixel SIZE_MAX", .bpp = SIZE_MAX, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "alpha info 8", .info = 8, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "float with 8 bits", .info = FLOAT_RGBA, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "RGB565 with 32Little", .bpc = 5, .bpp = 16,
        .info = RGB565 | kCGBitmapByteOrder32Little, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "byte order 7", .info = kCGImageAlphaPremultipliedLast | (7u << 12),
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "unknown bitmapInfo bit",
        .info = kCGImageAlphaPremultipliedLast | 0x80000000u, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "renderingIntent 99", .intent = 99, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "space NULL", .space = O_NULL, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "space is a CFData", .space = O_CFDATA, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "space is not an object", .space = O_NOT_OBJECT, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "provider NULL", .object = O_NULL, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "provider is a CFData", .object = O_CFDATA, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "provider one byte short", .object = O_SHORT, .expected = EXPECT_NULL),
    ROW(CG_IMAGE_CREATE, "one row, bytesPerRow SIZE_MAX (valid)", .height = 1,
        .row_bytes = SIZE_MAX, .expected = EXPECT_IMAGE),

    /* ---- CGImageCreateWithImageInRect (image 4x3) -------------------------------------- */
    ROW(CG_IMAGE_IN_RECT, "image NULL", .object = O_NULL, RECT(0, 0, 1, 1),
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "image is a colour space", .object = O_SPACE, RECT(0, 0, 1, 1),
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "image is not an object", .object = O_NOT_OBJECT, RECT(0, 0, 1, 1),
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "zero width", RECT(1, 1, 0, 1), .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "zero height at a fractional origin", RECT(0.5, 0.5, 2, 0),
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "NaN origin", RECT(NAN, 0, 2, 2), .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "NaN size", RECT(0, 0, 2, NAN), .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "origin -inf, width +inf", RECT(-INFINITY, 0, INFINITY, 1),
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "right of the image", RECT(4, 0, 1, 1), .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "left of the image", RECT(-10, 0, 5, 3), .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "x = 1e300", RECT(1e300, 0, 1, 1), .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "x = 2^63", RECT(9223372036854775808.0, 0, 1, 1),
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "origin -DBL_MAX, size DBL_MAX (ends at 0)",
        RECT(-DBL_MAX, -DBL_MAX, DBL_MAX, DBL_MAX), .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "negative size reaching back to 0", RECT(0, 0, -1, -1),
        .expected = EXPECT_NULL),
    ROW(CG_IMAGE_IN_RECT, "infinite size (valid: the whole image)", RECT(0, 0, INFINITY, INFINITY),
        .width = 4, .height = 3, .expected = EXPECT_IMAGE),
    ROW(CG_IMAGE_IN_RECT, "huge size from a fractional origin (valid: 1x1)",
        RECT(3.5, 2.5, 1e300, 1e300), .width = 1, .height = 1, .expected = EXPECT_IMAGE),
    ROW(CG_IMAGE_IN_RECT, "-DBL_MAX origin, infinite size (valid: whole image)",
        RECT(-DBL_MAX, -DBL_MAX, INFINITY, INFINITY), .width = 4, .height = 3,
        .expected = EXPECT_IMAGE),
};

/* ---- fixtures ---------------------------------------------------------------------------- */

static _Alignas(64) unsigned char src_px[4096];
static _Alignas(64) unsigned char dst_px[4096];
/* Readable, aligned memory that is not an object of the library. */
static _Alignas(64) unsigned char not_an_object[256];
static const CGFloat decode_values[10] = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};

static CFDataRef cfdata;
static CGColorSpaceRef rgb, gray, cmyk;
static CGImageRef image; /* 4x3 RGBA8 over `image_provider` */
static vImageConverterRef conv_plain, conv_16little, conv_float;

static int nocopy_callbacks;    /* vImageCreateCGImageFromBuffer's callback */
static int row_provider_calls;  /* the provider made for each CGImageCreate row */
static int image_provider_calls; /* the provider of `image` */

static void nocopy_callback(void *userData, void *buf_data) {
  (void)userData;
  (void)buf_data; /* static memory: nothing to free */
  nocopy_callbacks++;
}

static void count_release(void *info, const void *data, size_t size) {
  (void)data;
  (void)size;
  ++*(int *)info;
}

static void *pixels(Data d, unsigned char *good) {
  switch (d) {
    case D_GOOD: return good;
    case D_NULL: return NULL;
    case D_WRAP: return (void *)(UINTPTR_MAX - 31);
    case D_END: return (void *)(UINTPTR_MAX - 47);
  }
  return NULL;
}

/* The object a selector names; `fallback` is the O_DEFAULT value. */
static void *object(Obj o, void *fallback) {
  switch (o) {
    case O_DEFAULT: return fallback;
    case O_NULL: return NULL;
    case O_CFDATA: return (void *)cfdata;
    case O_SPACE: return rgb;
    case O_IMAGE: return image;
    case O_NOT_OBJECT: return not_an_object;
    case O_MISALIGNED: return not_an_object + 1;
    case O_GRAY: return gray;
    case O_CMYK: return cmyk;
    case O_SHORT: return fallback;
  }
  return NULL;
}

static vImage_CGImageFormat format_of(const Row *r) {
  vImage_CGImageFormat f = {(uint32_t)r->bpc, (uint32_t)r->bpp,
                            (CGColorSpaceRef)object(r->space, NULL), r->info, r->version,
                            NULL, r->intent};
  if (r->decode == DEC_VALUES) f.decode = decode_values;
  if (r->decode == DEC_Q12) f.decode = kvImageDecodeArray_16Q12Format;
  return f;
}

static int bad_calls, valid_calls;

static void tally(const Row *r, int is_bad, int ok) {
  if (is_bad)
    bad_calls++;
  else
    valid_calls++;
  if (!ok) fprintf(stderr, "   ^ row at line %d: %s\n", r->line, r->what);
}

/* Reads an image made by a valid row back through the other functions. */
static void exercise(CGImageRef img) {
  vImage_Buffer b;
  vImage_CGImageFormat empty;
  memset(&empty, 0, sizeof empty);
  CHECK_EQ(vImageBuffer_InitWithCGImage(&b, &empty, NULL, img, kvImageNoFlags), kvImageNoError);
  free(b.data);
  vImage_CGImageFormat rgba16 = {16, 64, NULL, kCGImageAlphaLast | kCGBitmapByteOrder16Little, 0,
                                 NULL, kCGRenderingIntentDefault};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&b, &rgba16, NULL, img, kvImageNoFlags), kvImageNoError);
  free(b.data);
  size_t w = CGImageGetWidth(img), h = CGImageGetHeight(img);
  CGImageRef corner = CGImageCreateWithImageInRect(img, CGRectMake(w - 1, h - 1, 1, 1));
  CHECK(corner != NULL);
  CGImageRelease(corner);
  CFDataRef copy = CGDataProviderCopyData(CGImageGetDataProvider(img));
  CHECK(copy != NULL);
  CFRelease(copy);
}

static void run_create(const Row *r, int nocopy) {
  vImage_Buffer b = {pixels(r->data, src_px), r->height, r->width, r->row_bytes};
  vImage_CGImageFormat f = format_of(r);
  const vImage_Buffer *bp = (r->nulls & N_BUF) ? NULL : &b;
  const vImage_CGImageFormat *fp = (r->nulls & N_FORMAT) ? NULL : &f;
  vImage_Flags flags = r->flags | (nocopy ? kvImageNoAllocate : 0);
  vImage_Error err = 777;
  nocopy_callbacks = 0;
  /* A NULL callback means free(buf->data): only for rows that must fail (static memory). */
  REQUIRE(!(r->null_callback && r->expected == kvImageNoError));
  void (*callback)(void *, void *) = r->null_callback ? NULL : nocopy_callback;
  CGImageRef img = vImageCreateCGImageFromBuffer(bp, fp, callback, NULL, flags, &err);
  int ok = CHECK_EQ(err, r->expected);
  if (r->expected == kvImageNoError) {
    ok &= CHECK(img != NULL) && CHECK_EQ(nocopy_callbacks, 0);
    if (img) exercise(img);
    CGImageRelease(img);
    ok &= CHECK_EQ(nocopy_callbacks, nocopy ? 1 : 0);
  } else {
    ok &= CHECK(img == NULL);
    CGImageRelease(img);
    img = vImageCreateCGImageFromBuffer(bp, fp, callback, NULL, flags, NULL);
    ok &= CHECK(img == NULL);
    CGImageRelease(img);
    ok &= CHECK_EQ(nocopy_callbacks, 0);
  }
  tally(r, r->expected != kvImageNoError, ok);
}

static void run_buffer_init(const Row *r) {
  vImage_Buffer b = {NULL, 0, 0, 0};
  vImage_Error code = vImageBuffer_Init((r->nulls & N_BUF) ? NULL : &b, r->height, r->width,
                                        (uint32_t)r->bpp, r->flags);
  int ok = CHECK_EQ(code, r->expected);
  if (code >= 0 && !(r->flags & kvImageNoAllocate)) free(b.data);
  if (code > 0) ok &= CHECK(b.data == NULL);
  tally(r, r->expected < 0, ok);
}

static void run_init_with_image(const Row *r) {
  vImage_Buffer b = {pixels(r->data, dst_px), r->height, r->width, r->row_bytes};
  vImage_CGImageFormat f = format_of(r);
  int before = image_provider_calls;
  vImage_Error code = vImageBuffer_InitWithCGImage(
      (r->nulls & N_BUF) ? NULL : &b, (r->nulls & N_FORMAT) ? NULL : &f, NULL,
      (CGImageRef)object(r->object, image), r->flags);
  int ok = CHECK_EQ(code, r->expected);
  if (code == kvImageNoError) {
    ok &= CHECK_EQ(b.width, 4) && CHECK_EQ(b.height, 3); /* the image's size */
    if (!(r->flags & kvImageNoAllocate)) free(b.data);
  }
  if (code != kvImageNoError && !(r->nulls & N_BUF)) ok &= CHECK(b.data == NULL); /* §4.4 rule 9 */
  ok &= CHECK_EQ(image_provider_calls, before);
  tally(r, r->expected != kvImageNoError, ok);
}

static const vImage_CGImageFormat rgba8 = {8, 32, NULL, kCGImageAlphaPremultipliedLast, 0, NULL,
                                           kCGRenderingIntentDefault};

static void run_converter_create(const Row *r) {
  vImage_CGImageFormat f = format_of(r);
  const vImage_CGImageFormat *bad = (r->nulls & N_FORMAT) ? NULL : &f;
  const vImage_CGImageFormat *src = r->bad_dst ? &rgba8 : bad;
  const vImage_CGImageFormat *dst = r->bad_dst ? bad : &rgba8;
  vImage_Error err = 777;
  vImageConverterRef c = vImageConverter_CreateWithCGImageFormat(src, dst, NULL, r->flags, &err);
  int ok = CHECK_EQ(err, r->expected);
  ok &= (r->expected == kvImageNoError) ? CHECK(c != NULL) : CHECK(c == NULL);
  vImageConverter_Release(c);
  if (r->expected != kvImageNoError) {
    c = vImageConverter_CreateWithCGImageFormat(src, dst, NULL, r->flags, NULL);
    ok &= CHECK(c == NULL);
    vImageConverter_Release(c);
  }
  tally(r, r->expected != kvImageNoError, ok);
}

static void run_any_to_any(const Row *r) {
  vImageConverterRef conv = r->conv == CONV_16LITTLE ? conv_16little
                            : r->conv == CONV_FLOAT  ? conv_float
                                                     : conv_plain;
  conv = (vImageConverterRef)object(r->object, conv);
  vImage_Buffer src = {pixels(r->data, src_px), r->height, r->width, r->row_bytes};
  vImage_Buffer dst = {pixels(r->dst_data, dst_px), r->dst_height, r->dst_width,
                       r->dst_row_bytes};
  vImage_Error code = vImageConvert_AnyToAny(conv, (r->nulls & N_SRCS) ? NULL : &src,
                                             (r->nulls & N_DESTS) ? NULL : &dst, NULL, r->flags);
  tally(r, r->expected < 0, CHECK_EQ(code, r->expected));
}

static void run_cg_image_create(const Row *r) {
  row_provider_calls = 0;
  CGDataProviderRef fresh = NULL;
  if (r->object == O_DEFAULT || r->object == O_SHORT)
    fresh = CGDataProviderCreateWithData(&row_provider_calls, src_px,
                                         r->object == O_SHORT ? 47 : 48, count_release);
  CGDataProviderRef provider = (CGDataProviderRef)object(r->object, fresh);
  CGColorSpaceRef space = (CGColorSpaceRef)object(r->space, rgb);
  CGImageRef img = CGImageCreate(r->width, r->height, r->bpc, r->bpp, r->row_bytes, space,
                                 r->info, provider, NULL, true, r->intent);
  int ok = (r->expected == EXPECT_IMAGE) ? CHECK(img != NULL) : CHECK(img == NULL);
  ok &= CHECK_EQ(row_provider_calls, 0);
  if (img) exercise(img);
  CGImageRelease(img);
  ok &= CHECK_EQ(row_provider_calls, 0); /* still ours */
  if (fresh) {
    CGDataProviderRelease(fresh);
    ok &= CHECK_EQ(row_provider_calls, 1); /* not leaked by the image, not released twice */
  }
  tally(r, r->expected == EXPECT_NULL, ok);
}

static void run_in_rect(const Row *r) {
  int before = image_provider_calls;
  CGImageRef img = CGImageCreateWithImageInRect((CGImageRef)object(r->object, image), r->rect);
  int ok;
  if (r->expected == EXPECT_IMAGE) {
    ok = CHECK(img != NULL) && CHECK_EQ(CGImageGetWidth(img), r->width) &&
         CHECK_EQ(CGImageGetHeight(img), r->height);
    if (img) exercise(img);
  } else {
    ok = CHECK(img == NULL);
  }
  CGImageRelease(img);
  ok &= CHECK_EQ(image_provider_calls, before);
  tally(r, r->expected == EXPECT_NULL, ok);
}

int main(void) {
  for (size_t i = 0; i < sizeof src_px; i++) src_px[i] = (unsigned char)(i * 7 + 1);
  cfdata = CFDataCreate(kCFAllocatorDefault, src_px, 16);
  rgb = CGColorSpaceCreateDeviceRGB();
  gray = CGColorSpaceCreateDeviceGray();
  cmyk = CGColorSpaceCreateDeviceCMYK();
  CGDataProviderRef p =
      CGDataProviderCreateWithData(&image_provider_calls, src_px, 48, count_release);
  image = CGImageCreate(4, 3, 8, 32, 16, rgb, kCGImageAlphaPremultipliedLast, p, NULL, true,
                        kCGRenderingIntentDefault);
  CGDataProviderRelease(p);
  REQUIRE(cfdata && rgb && gray && cmyk && image);

  vImage_CGImageFormat straight = rgba8, rgba16 = rgba8, rgbaf = rgba8;
  straight.bitmapInfo = kCGImageAlphaLast;
  rgba16.bitsPerComponent = 16;
  rgba16.bitsPerPixel = 64;
  rgba16.bitmapInfo = kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little;
  rgbaf.bitsPerComponent = 32;
  rgbaf.bitsPerPixel = 128;
  rgbaf.bitmapInfo = FLOAT_RGBA | kCGBitmapByteOrder32Little;
  conv_plain = vImageConverter_CreateWithCGImageFormat(&rgba8, &straight, NULL, 0, NULL);
  conv_16little = vImageConverter_CreateWithCGImageFormat(&rgba8, &rgba16, NULL, 0, NULL);
  conv_float = vImageConverter_CreateWithCGImageFormat(&rgba8, &rgbaf, NULL, 0, NULL);
  REQUIRE(conv_plain && conv_16little && conv_float);

  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const Row *r = &rows[i];
    switch (r->api) {
      case CREATE:
        run_create(r, 0);
        run_create(r, 1);
        break;
      case CREATE_COPY: run_create(r, 0); break;
      case CREATE_NOCOPY: run_create(r, 1); break;
      case BUFFER_INIT: run_buffer_init(r); break;
      case INIT_WITH_IMAGE: run_init_with_image(r); break;
      case CONVERTER_CREATE: run_converter_create(r); break;
      case ANY_TO_ANY: run_any_to_any(r); break;
      case CG_IMAGE_CREATE: run_cg_image_create(r); break;
      case CG_IMAGE_IN_RECT: run_in_rect(r); break;
    }
  }

  /* Nothing above released the fixture image's pixels; its last release does, once. */
  CHECK_EQ(image_provider_calls, 0);
  CGImageRelease(image);
  CHECK_EQ(image_provider_calls, 1);
  vImageConverter_Release(conv_plain);
  vImageConverter_Release(conv_16little);
  vImageConverter_Release(conv_float);
  CGColorSpaceRelease(rgb);
  CGColorSpaceRelease(gray);
  CGColorSpaceRelease(cmyk);
  CFRelease(cfdata);

  printf("%zu rows: %d bad calls, %d valid boundary calls\n", sizeof rows / sizeof rows[0],
         bad_calls, valid_calls);
  CHECK(bad_calls >= 40);
  return check_report();
}
