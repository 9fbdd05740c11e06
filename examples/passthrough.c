/*
 * The passthrough of Apple's vImage documentation, in C:
 *
 *   CGImage --vImageBuffer_InitWithCGImage--> vImage_Buffer
 *           --vImageCreateCGImageFromBuffer(kvImageNoAllocate)--> CGImage (no copy)
 *           --vImageBuffer_InitWithCGImage--> read back and compare,
 *
 * and the same round trip in copy mode. Then the work programs do between the two bridge calls
 * (Alpha.h / Conversion.h): a radial alpha mask written into the alpha channel from a plane,
 * premultiply, the RGBA -> BGRA swap in place, and a flatten over a background to RGB888,
 * written out as a binary PPM picture (VIMAGE_DEMO_OUT, default passthrough.ppm). And the work
 * after that (Geometry.h, Convolution.h, Transform.h): a 2x Lanczos5 resize, Apple's
 * image-effects blur and saturation, a quarter turn, back through a no-copy CGImage, written
 * beside it as <name>-effects.ppm.
 * With no argument it runs on a built-in 64x48 RGBA test image; give a PNG, JPEG or GIF (read
 * through CGImageSource, ImageIO.h), or a binary PPM (P6) / PAM (P7, DEPTH 1, 3 or 4, MAXVAL
 * 255) path to use your own. Every picture is also written as a PNG through
 * CGImageDestination (<name>.png, <name>-effects.png, and for an ImageIO input
 * <name>-thumbnail.png, a 256-pixel thumbnail turned upright by its EXIF orientation).
 * Build and run: `make demo` or `make demo IMAGE=photo.jpg` (see README.md).
 */
#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>
#include <ImageIO/ImageIO.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t width, height, channels; /* channels: 1 gray, 3 RGB, 4 RGBA (straight alpha) */
    unsigned char *pixels;          /* tightly packed rows */
} Picture;

/* ---- input ------------------------------------------------------------------------------- */

static Picture builtin_picture(void) {
    Picture p = {64, 48, 4, NULL};
    p.pixels = malloc(p.width * p.height * 4);
    for (size_t y = 0; y < p.height; y++) {
        for (size_t x = 0; x < p.width; x++) {
            unsigned char *px = p.pixels + (y * p.width + x) * 4;
            px[0] = (unsigned char)(x * 255 / (p.width - 1));           /* red ramp  */
            px[1] = (unsigned char)(y * 255 / (p.height - 1));          /* green ramp */
            px[2] = (unsigned char)(((x / 8 + y / 8) % 2) ? 200 : 40);  /* checkers   */
            px[3] = 255;
        }
    }
    return p;
}

static int read_token(FILE *f, char *out, size_t cap) {
    int c;
    size_t n = 0;
    while ((c = fgetc(f)) != EOF) {
        if (c == '#') {
            while ((c = fgetc(f)) != EOF && c != '\n') {}
        } else if (c > ' ') {
            break;
        }
    }
    while (c != EOF && c > ' ' && n + 1 < cap) {
        out[n++] = (char)c;
        c = fgetc(f);
    }
    out[n] = 0;
    return n > 0;
}

static int load_picture(const char *path, Picture *p) {
    FILE *f = fopen(path, "rb");
    char tok[64];
    size_t maxval = 0;
    if (!f || !read_token(f, tok, sizeof tok)) {
        fprintf(stderr, "passthrough: cannot read %s\n", path);
        if (f) fclose(f);
        return 0;
    }
    if (strcmp(tok, "P6") == 0) {
        char w[32], h[32], m[32];
        if (!read_token(f, w, sizeof w) || !read_token(f, h, sizeof h) || !read_token(f, m, sizeof m)) goto bad;
        p->width = strtoul(w, NULL, 10), p->height = strtoul(h, NULL, 10), maxval = strtoul(m, NULL, 10);
        p->channels = 3;
    } else if (strcmp(tok, "P7") == 0) {
        while (read_token(f, tok, sizeof tok) && strcmp(tok, "ENDHDR") != 0) {
            char v[64];
            if (strcmp(tok, "TUPLTYPE") == 0) { read_token(f, v, sizeof v); continue; }
            if (!read_token(f, v, sizeof v)) goto bad;
            if (strcmp(tok, "WIDTH") == 0) p->width = strtoul(v, NULL, 10);
            else if (strcmp(tok, "HEIGHT") == 0) p->height = strtoul(v, NULL, 10);
            else if (strcmp(tok, "DEPTH") == 0) p->channels = strtoul(v, NULL, 10);
            else if (strcmp(tok, "MAXVAL") == 0) maxval = strtoul(v, NULL, 10);
        }
        if (p->channels != 1 && p->channels != 3 && p->channels != 4) goto bad;
    } else {
        goto bad;
    }
    if (maxval != 255 || p->width == 0 || p->height == 0 || p->width > 65536 || p->height > 65536) goto bad;
    size_t size = p->width * p->height * p->channels;
    p->pixels = malloc(size);
    if (!p->pixels || fread(p->pixels, 1, size, f) != size) goto bad;
    fclose(f);
    return 1;
bad:
    fprintf(stderr, "passthrough: %s is not a binary PPM/PAM with MAXVAL 255 and 1, 3 or 4 channels\n", path);
    free(p->pixels);
    p->pixels = NULL;
    fclose(f);
    return 0;
}

/* ---- the no-copy release callback ---------------------------------------------------------- */

typedef struct {
    int calls;
    void *expected;
} ReleaseLog;

static void release_pixels(void *userData, void *buf_data) {
    ReleaseLog *log = userData;
    log->calls++;
    printf("    release callback: called with %s buf.data, freeing it\n", buf_data == log->expected ? "the original" : "an UNEXPECTED");
    free(buf_data);
}

static void release_source(void *info, const void *data, size_t size) {
    (void)info;
    (void)size;
    free((void *)data);
}

/* ---- helpers ------------------------------------------------------------------------------- */

static int same_pixels(const vImage_Buffer *a, const vImage_Buffer *b, size_t row_len) {
    if (a->width != b->width || a->height != b->height) return 0;
    for (size_t y = 0; y < a->height; y++) {
        if (memcmp((const char *)a->data + y * a->rowBytes, (const char *)b->data + y * b->rowBytes, row_len) != 0) return 0;
    }
    return 1;
}

static int read_back(CGImageRef image, vImage_CGImageFormat *format, const vImage_Buffer *expected, const char *what) {
    vImage_Buffer back;
    vImage_Error err = vImageBuffer_InitWithCGImage(&back, format, NULL, image, kvImagePrintDiagnosticsToConsole);
    if (err != kvImageNoError) {
        printf("    %s: read back failed with %ld\n", what, (long)err);
        return 0;
    }
    int ok = same_pixels(expected, &back, expected->width * format->bitsPerPixel / 8);
    printf("    %s: read back %lux%lu, pixels %s\n", what, (unsigned long)back.width, (unsigned long)back.height, ok ? "identical" : "DIFFERENT");
    free(back.data);
    return ok;
}

/* ---- ImageIO ----------------------------------------------------------------------------------- */

/* "<out_path without .ppm><suffix>" into `out`. */
static void sibling(char *out, size_t cap, const char *out_path, const char *suffix) {
    size_t stem = strlen(out_path);
    if (stem > 4 && strcmp(out_path + stem - 4, ".ppm") == 0) stem -= 4;
    snprintf(out, cap, "%.*s%s", (int)stem, out_path, suffix);
}

/* Writes `image` as a PNG file through CGImageDestination; prints the path. */
static int write_png(CGImageRef image, const char *path) {
    CFURLRef url = CFURLCreateFromFileSystemRepresentation(NULL, (const UInt8 *)path, (CFIndex)strlen(path), false);
    CGImageDestinationRef dst = url ? CGImageDestinationCreateWithURL(url, CFSTR("public.png"), 1, NULL) : NULL;
    int ok = dst != NULL;
    if (dst) {
        CGImageDestinationAddImage(dst, image, NULL);
        ok = CGImageDestinationFinalize(dst);
        CFRelease(dst);
    }
    if (url) CFRelease(url);
    printf("    %s %s (%zux%zu PNG)\n", ok ? "wrote" : "could NOT write", path, CGImageGetWidth(image), CGImageGetHeight(image));
    return ok;
}

/* Whether the file starts like a PPM / PAM. */
static int looks_like_pnm(const char *path) {
    FILE *f = fopen(path, "rb");
    char magic[2] = {0, 0};
    if (!f) return 0;
    size_t n = fread(magic, 1, 2, f);
    fclose(f);
    return n == 2 && magic[0] == 'P' && (magic[1] == '6' || magic[1] == '7');
}

static long number_of(CFDictionaryRef d, CFStringRef key, long fallback) {
    CFNumberRef v = d ? (CFNumberRef)CFDictionaryGetValue(d, key) : NULL;
    long out = fallback;
    if (v) CFNumberGetValue(v, kCFNumberLongType, &out);
    return out;
}

/* Opens a PNG / JPEG / GIF through CGImageSource: the image as stored, and a thumbnail of at
 * most 256 pixels turned upright (kCGImageSourceCreateThumbnailWithTransform). */
static CGImageRef open_with_imageio(const char *path, CGImageRef *thumbnail) {
    CFURLRef url = CFURLCreateFromFileSystemRepresentation(NULL, (const UInt8 *)path, (CFIndex)strlen(path), false);
    CGImageSourceRef src = url ? CGImageSourceCreateWithURL(url, NULL) : NULL;
    if (url) CFRelease(url);
    if (!src) {
        fprintf(stderr, "passthrough: cannot read %s\n", path);
        return NULL;
    }
    CFStringRef type = CGImageSourceGetType(src);
    char type_name[64] = "unknown";
    if (type) CFStringGetCString(type, type_name, sizeof type_name, kCFStringEncodingUTF8);
    CFDictionaryRef props = CGImageSourceCopyPropertiesAtIndex(src, 0, NULL);
    printf("source: %s, %s, %ldx%ld, orientation %ld, %zu image(s), status %d\n", path, type_name,
           number_of(props, kCGImagePropertyPixelWidth, 0), number_of(props, kCGImagePropertyPixelHeight, 0),
           number_of(props, kCGImagePropertyOrientation, 1), CGImageSourceGetCount(src), (int)CGImageSourceGetStatus(src));
    if (props) CFRelease(props);
    CGImageRef image = CGImageSourceCreateImageAtIndex(src, 0, NULL);
    int max = 256;
    CFNumberRef max_number = CFNumberCreate(NULL, kCFNumberIntType, &max);
    const void *keys[3] = {kCGImageSourceCreateThumbnailFromImageAlways, kCGImageSourceThumbnailMaxPixelSize,
                           kCGImageSourceCreateThumbnailWithTransform};
    const void *values[3] = {kCFBooleanTrue, max_number, kCFBooleanTrue};
    CFDictionaryRef options = CFDictionaryCreate(NULL, keys, values, 3, &kCFTypeDictionaryKeyCallBacks,
                                                 &kCFTypeDictionaryValueCallBacks);
    *thumbnail = CGImageSourceCreateThumbnailAtIndex(src, 0, options);
    CFRelease(options);
    CFRelease(max_number);
    CFRelease(src);
    if (!image) fprintf(stderr, "passthrough: %s is not a PNG, JPEG or GIF this library can decode\n", path);
    return image;
}

/* ---- pixel operations between the bridge calls --------------------------------------------- */

/* Reads `image` as straight RGBA8888, fades it out towards the corners through a radial alpha
 * plane, premultiplies, swaps to BGRA in place (as WebKit does for canvas pixels), flattens
 * over a light background to RGB888 and writes it as a PPM. Checks one pixel by formula. */
static int pixel_operations(CGImageRef image, const char *out_path) {
    vImage_CGImageFormat rgba;
    memset(&rgba, 0, sizeof rgba);
    rgba.bitsPerComponent = 8;
    rgba.bitsPerPixel = 32;
    rgba.bitmapInfo = kCGImageAlphaLast;
    vImage_Buffer buf, mask, rgb;
    const vImage_Flags f = kvImagePrintDiagnosticsToConsole;
    if (vImageBuffer_InitWithCGImage(&buf, &rgba, NULL, image, f) != kvImageNoError) return 0;
    size_t w = buf.width, h = buf.height;
    if (vImageBuffer_Init(&mask, h, w, 8, f) != kvImageNoError) return 0;
    if (vImageBuffer_Init(&rgb, h, w, 24, f) != kvImageNoError) return 0;
    double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0, r2 = cx * cx + cy * cy;
    for (size_t y = 0; y < h; y++) {
        unsigned char *m = (unsigned char *)mask.data + y * mask.rowBytes;
        for (size_t x = 0; x < w; x++) {
            double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / r2;
            m[x] = (unsigned char)(255.0 * (1.0 - d2) + 0.5);
        }
    }
    unsigned char before[4];
    memcpy(before, (unsigned char *)buf.data + (h / 3) * buf.rowBytes + (w / 3) * 4, 4);
    unsigned char a = ((unsigned char *)mask.data)[(h / 3) * mask.rowBytes + w / 3];

    const uint8_t to_bgra[4] = {2, 1, 0, 3};
    const Pixel_8888 background = {250, 240, 230, 255}; /* B, G, R, A: the source's order */
    int ok = vImageOverwriteChannels_ARGB8888(&mask, &buf, &buf, 0x1, f) == kvImageNoError /* alpha is channel 3 */
          && vImagePremultiplyData_RGBA8888(&buf, &buf, f) == kvImageNoError
          && vImagePermuteChannels_ARGB8888(&buf, &buf, to_bgra, f) == kvImageNoError
          && vImageFlatten_BGRA8888ToRGB888(&buf, &rgb, background, true, f) == kvImageNoError;
    printf("pixel operations: alpha mask, premultiply, RGBA -> BGRA in place, flatten to RGB888: %s\n", ok ? "done" : "FAILED");

    /* The same pixel by Apple's formulas: premultiply (c*a + 127)/255, then over the background. */
    const unsigned char *got = (const unsigned char *)rgb.data + (h / 3) * rgb.rowBytes + (w / 3) * 3;
    for (int c = 0; c < 3 && ok; c++) {
        unsigned p = (before[c] * a + 127) / 255;
        unsigned want = p + ((255 - a) * background[2 - c] + 127) / 255;
        if (want > 255) want = 255;
        ok &= got[c] == want;
    }
    printf("    pixel (%zu, %zu) matches the documented arithmetic: %s\n", w / 3, h / 3, ok ? "yes" : "NO");

    FILE *out = fopen(out_path, "wb");
    if (out) {
        fprintf(out, "P6\n%zu %zu\n255\n", w, h);
        for (size_t y = 0; y < h; y++) fwrite((unsigned char *)rgb.data + y * rgb.rowBytes, 1, w * 3, out);
        ok &= fclose(out) == 0;
        printf("    wrote %s (%zux%zu PPM)\n", out_path, w, h);
    } else {
        printf("    cannot write %s\n", out_path);
        ok = 0;
    }
    vImage_CGImageFormat rgb_format;
    memset(&rgb_format, 0, sizeof rgb_format);
    rgb_format.bitsPerComponent = 8;
    rgb_format.bitsPerPixel = 24;
    rgb_format.bitmapInfo = kCGImageAlphaNone;
    vImage_Error err = kvImageNoError;
    CGImageRef picture = vImageCreateCGImageFromBuffer(&rgb, &rgb_format, NULL, NULL, kvImageNoFlags, &err);
    char png_path[4096];
    sibling(png_path, sizeof png_path, out_path, ".png");
    ok &= picture != NULL && write_png(picture, png_path);
    CGImageRelease(picture);
    free(buf.data);
    free(mask.data);
    free(rgb.data);
    return ok;
}

/* The commonest work between the bridge calls after pixel operations (Geometry.h,
 * Convolution.h, Transform.h): the resize recipe (vImageScale_ARGB8888 with
 * kvImageHighQualityResampling, 2x), Apple's image-effects blur (three vImageBoxConvolve passes
 * sharing one temp buffer sized by a kvImageGetTempBufferSize query) and its saturation matrix,
 * then an EXIF-style quarter turn. The result goes back into a CGImage in no-copy mode with a
 * freeing callback and is read out as RGB888 to a second PPM. Checks the quarter turn pixel by
 * pixel and that a saturation of 1 with no blur leaves pixels unchanged. */
static void free_pixels(void *info, void *data) {
    (void)info;
    free(data);
}

static int geometry_and_effects(CGImageRef image, const char *out_path) {
    const vImage_Flags f = kvImagePrintDiagnosticsToConsole;
    vImage_CGImageFormat bgra; /* premultiplied BGRA, as UIImageEffects works */
    memset(&bgra, 0, sizeof bgra);
    bgra.bitsPerComponent = 8;
    bgra.bitsPerPixel = 32;
    bgra.bitmapInfo = kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little;
    vImage_Buffer src, big, tmp, turned;
    if (vImageBuffer_InitWithCGImage(&src, &bgra, NULL, image, f) != kvImageNoError) return 0;
    size_t w = src.width * 2, h = src.height * 2;
    if (vImageBuffer_Init(&big, h, w, 32, f) != kvImageNoError) return 0;
    if (vImageBuffer_Init(&tmp, h, w, 32, f) != kvImageNoError) return 0;
    if (vImageBuffer_Init(&turned, w, h, 32, f) != kvImageNoError) return 0;
    int ok = vImageScale_ARGB8888(&src, &big, NULL, kvImageHighQualityResampling | f) == kvImageNoError;

    /* Saturation 1 (identity) first: the matrix must leave every pixel as it is. */
    const float s = 1.0f;
    const float sat[16] = {0.0722f + 0.9278f * s, 0.0722f - 0.0722f * s, 0.0722f - 0.0722f * s, 0,
                           0.7152f - 0.7152f * s, 0.7152f + 0.2848f * s, 0.7152f - 0.7152f * s, 0,
                           0.2126f - 0.2126f * s, 0.2126f - 0.2126f * s, 0.2126f + 0.7873f * s, 0,
                           0, 0, 0, 1};
    int16_t m[16];
    for (int i = 0; i < 16; i++) m[i] = (int16_t)(sat[i] * 256 + (sat[i] < 0 ? -0.5f : 0.5f));
    ok = ok && vImageMatrixMultiply_ARGB8888(&big, &tmp, m, 256, NULL, NULL, f) == kvImageNoError;
    size_t same = 0;
    for (size_t y = 0; y < h && ok; y++)
        same += memcmp((char *)big.data + y * big.rowBytes, (char *)tmp.data + y * tmp.rowBytes, w * 4) == 0;
    printf("geometry and effects: scale %zux%zu -> %zux%zu (Lanczos5): %s; saturation 1 keeps %zu of %zu rows\n",
           (size_t)src.width, (size_t)src.height, w, h, ok ? "done" : "FAILED", same, h);
    ok &= same == h;

    /* Blur: three box passes, one temp buffer (UIImageEffects). */
    uint32_t radius = 7;
    vImage_Error size = vImageBoxConvolve_ARGB8888(&big, &tmp, NULL, 0, 0, radius, radius, NULL,
                                                   kvImageEdgeExtend | kvImageGetTempBufferSize);
    void *temp = size > 0 ? malloc((size_t)size) : NULL;
    ok = ok && size >= 0
         && vImageBoxConvolve_ARGB8888(&big, &tmp, temp, 0, 0, radius, radius, NULL, kvImageEdgeExtend | f) == kvImageNoError
         && vImageBoxConvolve_ARGB8888(&tmp, &big, temp, 0, 0, radius, radius, NULL, kvImageEdgeExtend | f) == kvImageNoError
         && vImageBoxConvolve_ARGB8888(&big, &tmp, temp, 0, 0, radius, radius, NULL, kvImageEdgeExtend | f) == kvImageNoError;
    free(temp);
    /* Saturation 1.8 on the blurred pixels, then a quarter turn clockwise. */
    const float s2 = 1.8f;
    const float sat2[16] = {0.0722f + 0.9278f * s2, 0.0722f - 0.0722f * s2, 0.0722f - 0.0722f * s2, 0,
                            0.7152f - 0.7152f * s2, 0.7152f + 0.2848f * s2, 0.7152f - 0.7152f * s2, 0,
                            0.2126f - 0.2126f * s2, 0.2126f - 0.2126f * s2, 0.2126f + 0.7873f * s2, 0,
                            0, 0, 0, 1};
    for (int i = 0; i < 16; i++) m[i] = (int16_t)(sat2[i] * 256 + (sat2[i] < 0 ? -0.5f : 0.5f));
    const Pixel_8888 black = {0, 0, 0, 255};
    ok = ok && vImageMatrixMultiply_ARGB8888(&tmp, &big, m, 256, NULL, NULL, f) == kvImageNoError
         && vImageRotate90_ARGB8888(&big, &turned, kRotate90DegreesClockwise, black, f) == kvImageNoError;
    /* Clockwise: destination (x, y) is source (y, H - 1 - x). */
    size_t wrong = 0;
    for (size_t y = 0; y < turned.height && ok; y++)
        for (size_t x = 0; x < turned.width; x++)
            wrong += memcmp((char *)turned.data + y * turned.rowBytes + x * 4,
                            (char *)big.data + (h - 1 - x) * big.rowBytes + y * 4, 4) != 0;
    printf("    box blur x3 (%ux%u, one temp buffer), saturation 1.8, rotate 90 clockwise: %s; %zu pixels misplaced\n",
           radius, radius, ok ? "done" : "FAILED", wrong);
    ok &= wrong == 0;

    /* Back to a CGImage without a copy; the callback frees the pixels. */
    vImage_Error err = kvImageNoError;
    CGImageRef result = ok ? vImageCreateCGImageFromBuffer(&turned, &bgra, free_pixels, NULL, kvImageNoAllocate, &err) : NULL;
    if (!result) {
        ok = 0;
        free(turned.data);
    }
    vImage_CGImageFormat rgb888;
    memset(&rgb888, 0, sizeof rgb888);
    rgb888.bitsPerComponent = 8;
    rgb888.bitsPerPixel = 24;
    rgb888.bitmapInfo = kCGImageAlphaNone;
    vImage_Buffer out_buf;
    if (ok && vImageBuffer_InitWithCGImage(&out_buf, &rgb888, NULL, result, f) == kvImageNoError) {
        FILE *out = fopen(out_path, "wb");
        if (out) {
            fprintf(out, "P6\n%zu %zu\n255\n", (size_t)out_buf.width, (size_t)out_buf.height);
            for (size_t y = 0; y < out_buf.height; y++)
                fwrite((unsigned char *)out_buf.data + y * out_buf.rowBytes, 1, out_buf.width * 3, out);
            ok &= fclose(out) == 0;
            printf("    wrote %s (%zux%zu PPM)\n", out_path, (size_t)out_buf.width, (size_t)out_buf.height);
        } else {
            ok = 0;
        }
        char png_path[4096];
        sibling(png_path, sizeof png_path, out_path, ".png");
        ok &= write_png(result, png_path);
        free(out_buf.data);
    } else {
        ok = 0;
    }
    CGImageRelease(result);
    free(src.data);
    free(big.data);
    free(tmp.data);
    return ok;
}

/* ---- main ---------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    Picture pic = {0, 0, 0, NULL};
    CGImageRef source = NULL, thumbnail = NULL;
    if (argc > 1 && !looks_like_pnm(argv[1])) {
        /* 1. A PNG / JPEG / GIF decoded by CGImageSource (ImageIO.h). */
        source = open_with_imageio(argv[1], &thumbnail);
        if (!source) return 2;
    } else {
        if (argc > 1) {
            if (!load_picture(argv[1], &pic)) return 2;
            printf("source: %s, %zux%zu, %zu channel(s)\n", argv[1], pic.width, pic.height, pic.channels);
        } else {
            pic = builtin_picture();
            printf("source: built-in test image, %zux%zu RGBA\n", pic.width, pic.height);
        }
        /* 1. A CGImage over the decoded pixels, as an image decoder would hand it out. */
        CGColorSpaceRef space = pic.channels == 1 ? CGColorSpaceCreateDeviceGray() : CGColorSpaceCreateDeviceRGB();
        CGBitmapInfo info = pic.channels == 4 ? kCGImageAlphaLast : kCGImageAlphaNone;
        size_t row = pic.width * pic.channels;
        CGDataProviderRef provider = CGDataProviderCreateWithData(NULL, pic.pixels, row * pic.height, release_source);
        source = CGImageCreate(pic.width, pic.height, 8, 8 * pic.channels, row, space, info, provider, NULL, false, kCGRenderingIntentDefault);
        CGDataProviderRelease(provider);
        CGColorSpaceRelease(space);
        if (!source) {
            printf("CGImageCreate failed\n");
            return 1;
        }
    }
    printf("CGImage: %zux%zu, %zu bits/component, %zu bits/pixel, bitmapInfo 0x%x\n", CGImageGetWidth(source),
           CGImageGetHeight(source), CGImageGetBitsPerComponent(source), CGImageGetBitsPerPixel(source),
           (unsigned)CGImageGetBitmapInfo(source));

    /* 2. vImageBuffer_InitWithCGImage with an empty format: the buffer gets the image's format. */
    vImage_CGImageFormat format;
    memset(&format, 0, sizeof format);
    vImage_Buffer buf;
    vImage_Error err = vImageBuffer_InitWithCGImage(&buf, &format, NULL, source, kvImagePrintDiagnosticsToConsole);
    if (err != kvImageNoError) {
        printf("vImageBuffer_InitWithCGImage failed: %ld\n", (long)err);
        return 1;
    }
    printf("vImageBuffer_InitWithCGImage: %lux%lu, rowBytes %zu, %u bits/component, %u bits/pixel, bitmapInfo 0x%x, %u components\n",
           (unsigned long)buf.width, (unsigned long)buf.height, buf.rowBytes, format.bitsPerComponent, format.bitsPerPixel,
           format.bitmapInfo, vImageCGImageFormat_GetComponentCount(&format));
    int ok = 1;
    const char *out_path = getenv("VIMAGE_DEMO_OUT");
    out_path = out_path && *out_path ? out_path : "passthrough.ppm";
    ok &= pixel_operations(source, out_path);
    /* The second picture goes beside the first: "<name>-effects.ppm". */
    char effects_path[4096];
    size_t stem = strlen(out_path);
    if (stem > 4 && strcmp(out_path + stem - 4, ".ppm") == 0) stem -= 4;
    snprintf(effects_path, sizeof effects_path, "%.*s-effects.ppm", (int)stem, out_path);
    ok &= geometry_and_effects(source, effects_path);
    if (thumbnail) {
        char thumb_path[4096];
        sibling(thumb_path, sizeof thumb_path, out_path, "-thumbnail.png");
        printf("thumbnail (CGImageSourceCreateThumbnailAtIndex, 256 px, upright):\n");
        ok &= write_png(thumbnail, thumb_path);
        CGImageRelease(thumbnail);
    }
    CGImageRelease(source); /* the buffers own their own copies now */

    /* 3. Copy mode: the image copies the rows; buf stays ours. */
    printf("copy mode (kvImageNoFlags):\n");
    CGImageRef copied = vImageCreateCGImageFromBuffer(&buf, &format, NULL, NULL, kvImageNoFlags, &err);
    if (!copied) {
        printf("    vImageCreateCGImageFromBuffer failed: %ld\n", (long)err);
        return 1;
    }
    printf("    image %zux%zu, bytesPerRow %zu (chosen by the image; the buffer's is %zu), retain count %ld\n",
           CGImageGetWidth(copied), CGImageGetHeight(copied), CGImageGetBytesPerRow(copied), buf.rowBytes, (long)CFGetRetainCount(copied));
    ok &= read_back(copied, &format, &buf, "copy");
    CGImageRelease(copied);

    /* 4. No-copy mode: the image takes over buf.data and calls us back when it is done. */
    printf("no-copy mode (kvImageNoAllocate):\n");
    ReleaseLog log = {0, buf.data};
    CGImageRef shared = vImageCreateCGImageFromBuffer(&buf, &format, release_pixels, &log, kvImageNoAllocate, &err);
    if (!shared) {
        printf("    vImageCreateCGImageFromBuffer failed: %ld\n", (long)err);
        return 1;
    }
    printf("    image %zux%zu, bytesPerRow %zu (the buffer's own), callback calls so far: %d\n",
           CGImageGetWidth(shared), CGImageGetHeight(shared), CGImageGetBytesPerRow(shared), log.calls);
    ok &= read_back(shared, &format, &buf, "no-copy");
    ok &= CGImageGetBytesPerRow(shared) == buf.rowBytes;

    CGRect rect = CGRectMake(0, 0, (CGFloat)(buf.width / 2), (CGFloat)(buf.height / 2));
    CGImageRef quarter = CGImageCreateWithImageInRect(shared, rect);
    printf("    sub-image %zux%zu shares the pixels; releasing the full image...\n", CGImageGetWidth(quarter), CGImageGetHeight(quarter));
    CGImageRelease(shared);
    printf("    callback calls after releasing the image: %d (the sub-image still holds the pixels)\n", log.calls);
    ok &= log.calls == 0;
    CGImageRelease(quarter);
    printf("    callback calls after releasing the sub-image: %d\n", log.calls);
    ok &= log.calls == 1;

    printf("%s\n", ok ? "passthrough OK: copy and no-copy round trips give back the same pixels" : "passthrough FAILED");
    return ok ? 0 : 1;
}
