/*
 * Colour spaces beyond device/named creation (apple-imageio-context.md §D, §E item 10):
 * shared immortal named / device spaces (borrowed from a released image), ICC data in and out
 * (every name round-trips: same GetName, CFEqual), calibrated RGB / gray (PDF CalRGB matrix
 * order), Lab ranges, indexed tables, pattern spaces, wide-gamut classification, extended /
 * linearized copies, PQ / HLG queries, and hostile ICC bytes (every truncation, flipped bytes).
 */
#include <Accelerate/Accelerate.h>
#include <CoreFoundation/CoreFoundation.h>
#include <CoreGraphics/CoreGraphics.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int under_valgrind(void) { return getenv("VIMAGE_TEST_UNDER_VALGRIND") != NULL; }

/* Every name, the name its profile reads back as (extended -> standard twin, deprecated ->
   successor), its model and component count. */
typedef struct {
  const CFStringRef *name;
  const CFStringRef *back;
  CGColorSpaceModel model;
  size_t components;
} Named;

#define RGB(n) {&n, &n, kCGColorSpaceModelRGB, 3}
#define RGB_AS(n, b) {&n, &b, kCGColorSpaceModelRGB, 3}
static const Named names[] = {
    RGB(kCGColorSpaceSRGB),
    RGB(kCGColorSpaceLinearSRGB),
    RGB_AS(kCGColorSpaceExtendedSRGB, kCGColorSpaceSRGB),
    RGB_AS(kCGColorSpaceExtendedLinearSRGB, kCGColorSpaceLinearSRGB),
    RGB(kCGColorSpaceDisplayP3),
    RGB(kCGColorSpaceLinearDisplayP3),
    RGB_AS(kCGColorSpaceExtendedDisplayP3, kCGColorSpaceDisplayP3),
    RGB_AS(kCGColorSpaceExtendedLinearDisplayP3, kCGColorSpaceLinearDisplayP3),
    RGB(kCGColorSpaceGenericRGB),
    RGB(kCGColorSpaceGenericRGBLinear),
    RGB(kCGColorSpaceAdobeRGB1998),
    RGB(kCGColorSpaceACESCGLinear),
    RGB(kCGColorSpaceITUR_709),
    RGB(kCGColorSpaceITUR_2020),
    RGB(kCGColorSpaceROMMRGB),
    RGB(kCGColorSpaceDCIP3),
    RGB(kCGColorSpaceITUR_709_PQ),
    RGB(kCGColorSpaceITUR_709_HLG),
    RGB(kCGColorSpaceITUR_2020_sRGBGamma),
    RGB(kCGColorSpaceLinearITUR_2020),
    RGB_AS(kCGColorSpaceExtendedITUR_2020, kCGColorSpaceITUR_2020),
    RGB_AS(kCGColorSpaceExtendedLinearITUR_2020, kCGColorSpaceLinearITUR_2020),
    RGB(kCGColorSpaceITUR_2100_PQ),
    RGB(kCGColorSpaceITUR_2100_HLG),
    RGB(kCGColorSpaceDisplayP3_PQ),
    RGB(kCGColorSpaceDisplayP3_HLG),
    RGB_AS(kCGColorSpaceITUR_2020_PQ, kCGColorSpaceITUR_2100_PQ),
    RGB_AS(kCGColorSpaceITUR_2020_HLG, kCGColorSpaceITUR_2100_HLG),
    RGB_AS(kCGColorSpaceDisplayP3_PQ_EOTF, kCGColorSpaceDisplayP3_PQ),
    RGB_AS(kCGColorSpaceITUR_2020_PQ_EOTF, kCGColorSpaceITUR_2100_PQ),
    {&kCGColorSpaceGenericGrayGamma2_2, &kCGColorSpaceGenericGrayGamma2_2, kCGColorSpaceModelMonochrome, 1},
    {&kCGColorSpaceLinearGray, &kCGColorSpaceLinearGray, kCGColorSpaceModelMonochrome, 1},
    {&kCGColorSpaceExtendedGray, &kCGColorSpaceGenericGrayGamma2_2, kCGColorSpaceModelMonochrome, 1},
    {&kCGColorSpaceExtendedLinearGray, &kCGColorSpaceLinearGray, kCGColorSpaceModelMonochrome, 1},
    {&kCGColorSpaceGenericGray, &kCGColorSpaceGenericGray, kCGColorSpaceModelMonochrome, 1},
    {&kCGColorSpaceGenericCMYK, &kCGColorSpaceGenericCMYK, kCGColorSpaceModelCMYK, 4},
    {&kCGColorSpaceGenericXYZ, &kCGColorSpaceGenericXYZ, kCGColorSpaceModelXYZ, 3},
    {&kCGColorSpaceGenericLab, &kCGColorSpaceGenericLab, kCGColorSpaceModelLab, 3},
};
enum { NAME_COUNT = sizeof names / sizeof names[0] };

static const CGFloat D65[3] = {0.9505, 1.0, 1.0890};
static const CGFloat D50[3] = {0.9642, 1.0, 0.8249};
/* sRGB's D65 primaries in PDF CalRGB order: XYZ of red, then green, then blue. */
static const CGFloat SRGB_MATRIX[9] = {0.4124, 0.2126, 0.0193, 0.3576, 0.7152,
                                       0.1192, 0.1805, 0.0722, 0.9505};

/* A 2x2 image in `space` with `bpc` x `components` channels, no alpha. */
static CGImageRef make_image(CGColorSpaceRef space, size_t components) {
  static const unsigned char pixels[2 * 2 * 4] = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150};
  CFDataRef data = CFDataCreate(NULL, pixels, sizeof pixels);
  CGDataProviderRef provider = CGDataProviderCreateWithCFData(data);
  CFRelease(data);
  CGImageRef image = CGImageCreate(2, 2, 8, 8 * components, 2 * components, space, kCGImageAlphaNone, provider,
                                   NULL, false, kCGRenderingIntentDefault);
  CGDataProviderRelease(provider);
  return image;
}

/* Named and device spaces are shared and never freed: the count is huge and constant, and a
   space borrowed from an image outlives the image. */
static void immortal_spaces(void) {
  CGColorSpaceRef p3 = CGColorSpaceCreateWithName(kCGColorSpaceDisplayP3);
  REQUIRE(p3 != NULL);
  CFIndex count = CFGetRetainCount(p3);
  CHECK(count > 1000000);
  CHECK_PTR_EQ(CGColorSpaceCreateWithName(kCGColorSpaceDisplayP3), p3); /* the one instance */
  CGColorSpaceRelease(p3);
  CHECK_PTR_EQ(CGColorSpaceRetain(p3), p3);
  CHECK_EQ(CFGetRetainCount(p3), count);
  CGColorSpaceRelease(p3);
  CGColorSpaceRelease(p3);
  CHECK_EQ(CFGetRetainCount(p3), count);

  CGImageRef image = make_image(p3, 3);
  REQUIRE(image != NULL);
  CGColorSpaceRelease(p3); /* the caller's last reference: the image holds the space */
  CGColorSpaceRef borrowed = CGImageGetColorSpace(image);
  CGImageRelease(image);
  /* Real code keeps using the borrowed space after releasing the image. */
  CHECK_EQ(CGColorSpaceGetModel(borrowed), kCGColorSpaceModelRGB);
  CHECK_PTR_EQ(CGColorSpaceGetName(borrowed), kCGColorSpaceDisplayP3);
  unsigned char pixels[4 * 4] = {1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255};
  vImage_Buffer buf = {pixels, 2, 2, 8};
  vImage_CGImageFormat format = {8, 32, borrowed, kCGImageAlphaNoneSkipLast, 0, NULL, kCGRenderingIntentDefault};
  vImage_Error err = 1;
  CGImageRef again = vImageCreateCGImageFromBuffer(&buf, &format, NULL, NULL, kvImageNoFlags, &err);
  CHECK(again != NULL && err == kvImageNoError);
  if (again) CHECK_PTR_EQ(CGImageGetColorSpace(again), borrowed);
  CGImageRelease(again);

  /* Device spaces likewise, and device RGB is not the sRGB object (nor CFEqual: its name
     differs), though its profile is sRGB's. */
  CGColorSpaceRef rgb = CGColorSpaceCreateDeviceRGB();
  CHECK_PTR_EQ(CGColorSpaceCreateDeviceRGB(), rgb);
  CHECK(CFGetRetainCount(rgb) > 1000000);
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CHECK(!CFEqual(rgb, srgb));
  CFDataRef icc = CGColorSpaceCopyICCData(rgb);
  CHECK(icc != NULL);
  CGColorSpaceRef from_icc = CGColorSpaceCreateWithICCData(icc);
  CHECK(from_icc != NULL && CGColorSpaceGetName(from_icc) == kCGColorSpaceSRGB);
  CHECK(CFEqual(from_icc, srgb));
  CFRelease(icc);
  CGColorSpaceRelease(from_icc);
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray(), cmyk = CGColorSpaceCreateDeviceCMYK();
  icc = CGColorSpaceCopyICCData(gray);
  from_icc = CGColorSpaceCreateWithICCData(icc);
  CHECK(from_icc != NULL && CGColorSpaceGetName(from_icc) == kCGColorSpaceGenericGrayGamma2_2);
  CFRelease(icc);
  CGColorSpaceRelease(from_icc);
  icc = CGColorSpaceCopyICCData(cmyk);
  from_icc = CGColorSpaceCreateWithICCData(icc);
  CHECK(from_icc != NULL && CGColorSpaceGetName(from_icc) == kCGColorSpaceGenericCMYK);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(from_icc), 4);
  CFRelease(icc);
  CGColorSpaceRelease(from_icc);
  CGColorSpaceRelease(rgb);
  CGColorSpaceRelease(gray);
  CGColorSpaceRelease(cmyk);
  CGColorSpaceRelease(srgb);
}

/* Every name gives a profile; read back (from CFData and from a data provider) it is a space of
   that name (or its twin), CFEqual to it, with the original bytes. */
static void named_profiles_round_trip(void) {
  for (size_t i = 0; i < NAME_COUNT; i++) {
    const Named *n = &names[i];
    CGColorSpaceRef space = CGColorSpaceCreateWithName(*n->name);
    if (!CHECK(space != NULL)) continue;
    CHECK_EQ(CGColorSpaceGetModel(space), n->model);
    CHECK_EQ(CGColorSpaceGetNumberOfComponents(space), n->components);
    CFDataRef icc = CGColorSpaceCopyICCData(space);
    if (!CHECK(icc != NULL && CFDataGetLength(icc) >= 132)) {
      fprintf(stderr, "   no profile for name %zu\n", i);
      continue;
    }
    CHECK_EQ(CFGetRetainCount(icc), 1);
    CHECK(memcmp(CFDataGetBytePtr(icc) + 36, "acsp", 4) == 0);
    CGColorSpaceRef back = CGColorSpaceCreateWithICCData(icc);
    if (CHECK(back != NULL)) {
      CHECK_EQ(CFGetRetainCount(back), 1); /* a new object, not the shared one */
      CHECK_PTR_EQ(CGColorSpaceGetName(back), *n->back);
      CHECK_EQ(CGColorSpaceGetModel(back), n->model);
      CHECK_EQ(CGColorSpaceGetNumberOfComponents(back), n->components);
      CGColorSpaceRef twin = CGColorSpaceCreateWithName(*n->back);
      CHECK(CFEqual(back, twin));
      CGColorSpaceRelease(twin);
      CHECK_EQ(CGColorSpaceUsesExtendedRange(back), 0);
      CFDataRef again = CGColorSpaceCopyICCProfile(back); /* the original bytes */
      CHECK(again != NULL && CFEqual(again, icc));
      if (again) CFRelease(again);
      CGColorSpaceRelease(back);
    }
    /* Through a data provider, CreateWithICCProfile and CreateICCBased. */
    CGDataProviderRef provider = CGDataProviderCreateWithCFData(icc);
    back = CGColorSpaceCreateWithICCData(provider);
    CHECK(back != NULL && CGColorSpaceGetName(back) == *n->back);
    CGColorSpaceRelease(back);
    back = CGColorSpaceCreateWithICCProfile(icc);
    CHECK(back != NULL && CGColorSpaceGetName(back) == *n->back);
    CGColorSpaceRelease(back);
    if (n->model != kCGColorSpaceModelLab && n->model != kCGColorSpaceModelXYZ) {
      back = CGColorSpaceCreateICCBased(n->components, NULL, provider, NULL);
      CHECK(back != NULL && CGColorSpaceGetName(back) == *n->back);
      CGColorSpaceRelease(back);
    }
    CGDataProviderRelease(provider);
    CFRelease(icc);
    CGColorSpaceRelease(space);
  }
}

static void icc_based(void) {
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CGColorSpaceRef gray = CGColorSpaceCreateWithName(kCGColorSpaceLinearGray);
  CFDataRef icc = CGColorSpaceCopyICCData(srgb);
  CGDataProviderRef provider = CGDataProviderCreateWithCFData(icc);
  const CGFloat unit[6] = {0, 1, 0, 1, 0, 1}, half[6] = {0, 0.5, 0, 1, 0, 1};
  CGColorSpaceRef s = CGColorSpaceCreateICCBased(3, unit, provider, NULL);
  CHECK(s != NULL && CFEqual(s, srgb));
  CGColorSpaceRelease(s);
  CHECK_PTR_EQ(CGColorSpaceCreateICCBased(3, half, provider, NULL), NULL); /* ranges: [0,1] only */
  CHECK_PTR_EQ(CGColorSpaceCreateICCBased(2, NULL, provider, NULL), NULL);
  /* Component count differs from the profile's: the alternate, if it has n components. */
  s = CGColorSpaceCreateICCBased(1, NULL, provider, gray);
  CHECK_PTR_EQ(s, gray);
  CGColorSpaceRelease(s);
  CHECK_PTR_EQ(CGColorSpaceCreateICCBased(1, NULL, provider, srgb), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateICCBased(3, NULL, NULL, NULL), NULL);
  s = CGColorSpaceCreateICCBased(3, NULL, NULL, srgb); /* no profile: the alternate */
  CHECK_PTR_EQ(s, srgb);
  CGColorSpaceRelease(s);
  /* An ICC space made from a profile that is no named one keeps no name. */
  CGColorSpaceRef cal = CGColorSpaceCreateCalibratedRGB(D65, NULL, (const CGFloat[]){1.5, 1.6, 1.7}, SRGB_MATRIX);
  CFDataRef cal_icc = CGColorSpaceCopyICCData(cal);
  CGColorSpaceRef cal_back = CGColorSpaceCreateWithICCData(cal_icc);
  CHECK(cal_back != NULL && CGColorSpaceGetName(cal_back) == NULL);
  CHECK(CFEqual(cal_back, cal));
  CHECK(!CFEqual(cal_back, srgb));
  /* Borrowing an ICC space from an image: the image holds it. */
  CGImageRef image = make_image(cal_back, 3);
  CGColorSpaceRelease(cal_back);
  CHECK(CFEqual(CGImageGetColorSpace(image), cal));
  CGImageRelease(image);
  CFRelease(cal_icc);
  CGColorSpaceRelease(cal);
  CGDataProviderRelease(provider);
  CFRelease(icc);
  CGColorSpaceRelease(srgb);
  CGColorSpaceRelease(gray);
}

static void calibrated(void) {
  /* CalRGB of sRGB's primaries and white, gamma 2.2: an RGB space, not sRGB (other curve). */
  const CGFloat g22[3] = {2.2, 2.2, 2.2};
  CGColorSpaceRef cal = CGColorSpaceCreateCalibratedRGB(D65, NULL, g22, SRGB_MATRIX);
  REQUIRE(cal != NULL);
  CHECK_EQ(CFGetRetainCount(cal), 1);
  CHECK_EQ(CGColorSpaceGetModel(cal), kCGColorSpaceModelRGB);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(cal), 3);
  CHECK_PTR_EQ(CGColorSpaceGetName(cal), NULL);
  CHECK(!CGColorSpaceIsWideGamutRGB(cal));
  CHECK(CGColorSpaceSupportsOutput(cal));
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CHECK(!CFEqual(cal, srgb));
  /* Linearized, it is Linear sRGB: the matrix is sRGB's (PDF order read right). */
  CGColorSpaceRef lin = CGColorSpaceCreateLinearized(cal);
  CHECK(lin != NULL && CGColorSpaceGetName(lin) == NULL);
  CGColorSpaceRef linear_srgb = CGColorSpaceCreateWithName(kCGColorSpaceLinearSRGB);
  /* Its profile is recognised as Linear sRGB (the CalRGB numbers have 4 places). */
  CFDataRef icc = CGColorSpaceCopyICCData(lin);
  CGColorSpaceRef lin_back = CGColorSpaceCreateWithICCData(icc);
  CHECK(lin_back != NULL && CGColorSpaceGetName(lin_back) == kCGColorSpaceLinearSRGB);
  CGColorSpaceRelease(lin_back);
  CFRelease(icc);
  CGColorSpaceRelease(lin);
  /* The matrix transposed (the mistake PDF's order invites) is not sRGB. */
  const CGFloat transposed[9] = {0.4124, 0.3576, 0.1805, 0.2126, 0.7152, 0.0722, 0.0193, 0.1192, 0.9505};
  CGColorSpaceRef wrong = CGColorSpaceCreateCalibratedRGB(D65, NULL, NULL, transposed);
  CGColorSpaceRef wrong_lin = CGColorSpaceCreateLinearized(wrong);
  icc = CGColorSpaceCopyICCData(wrong_lin);
  lin_back = CGColorSpaceCreateWithICCData(icc);
  CHECK(lin_back != NULL && CGColorSpaceGetName(lin_back) == NULL);
  CGColorSpaceRelease(lin_back);
  CFRelease(icc);
  CGColorSpaceRelease(wrong_lin);
  CGColorSpaceRelease(wrong);
  /* NULL gamma and matrix: linear, identity (XYZ with a D50 white is the PCS). */
  CGColorSpaceRef ident = CGColorSpaceCreateCalibratedRGB(D50, NULL, NULL, NULL);
  CHECK(ident != NULL && CGColorSpaceGetModel(ident) == kCGColorSpaceModelRGB);
  CGColorSpaceRelease(ident);
  /* Refused: NULL or non-unit-Y white, negative black, bad gamma, singular matrix. */
  const CGFloat bad_white[3] = {0.95, 2.0, 1.09}, neg_black[3] = {-0.1, 0, 0}, zero_gamma[3] = {0, 1, 1};
  const CGFloat singular[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  CHECK_PTR_EQ(CGColorSpaceCreateCalibratedRGB(NULL, NULL, NULL, NULL), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateCalibratedRGB(bad_white, NULL, NULL, NULL), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateCalibratedRGB(D65, neg_black, NULL, NULL), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateCalibratedRGB(D65, NULL, zero_gamma, NULL), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateCalibratedRGB(D65, NULL, NULL, singular), NULL);

  /* CalGray gamma 2.2: the colorimetry of Generic Gray 2.2, so its profile reads back named. */
  CGColorSpaceRef cg = CGColorSpaceCreateCalibratedGray(D65, NULL, 2.2);
  REQUIRE(cg != NULL);
  CHECK_EQ(CGColorSpaceGetModel(cg), kCGColorSpaceModelMonochrome);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(cg), 1);
  icc = CGColorSpaceCopyICCData(cg);
  CGColorSpaceRef cg_back = CGColorSpaceCreateWithICCData(icc);
  CHECK(cg_back != NULL && CGColorSpaceGetName(cg_back) == kCGColorSpaceGenericGrayGamma2_2);
  CGColorSpaceRelease(cg_back);
  CFRelease(icc);
  CGColorSpaceRef cg18 = CGColorSpaceCreateCalibratedGray(D65, NULL, 1.8);
  CHECK(!CFEqual(cg, cg18));
  CGColorSpaceRelease(cg18);
  CHECK_PTR_EQ(CGColorSpaceCreateCalibratedGray(D65, NULL, 0), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateCalibratedGray(NULL, NULL, 1), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateCalibratedGray(D65, neg_black, 1), NULL);
  CGColorSpaceRelease(cg);
  CGColorSpaceRelease(linear_srgb);
  CGColorSpaceRelease(srgb);
  CGColorSpaceRelease(cal);
}

static void lab(void) {
  const CGFloat r100[4] = {-100, 100, -100, 100}, r128[4] = {-128, 128, -128, 128};
  CGColorSpaceRef def = CGColorSpaceCreateLab(D50, NULL, NULL);
  REQUIRE(def != NULL);
  CHECK_EQ(CGColorSpaceGetModel(def), kCGColorSpaceModelLab);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(def), 3);
  CGColorSpaceRef explicit100 = CGColorSpaceCreateLab(D50, NULL, r100);
  CGColorSpaceRef explicit128 = CGColorSpaceCreateLab(D50, NULL, r128);
  CGColorSpaceRef generic = CGColorSpaceCreateWithName(kCGColorSpaceGenericLab);
  CHECK(CFEqual(def, explicit100));   /* NULL range is ±100 */
  CHECK(!CFEqual(def, explicit128));
  CHECK(CFEqual(generic, explicit128)); /* Generic Lab is D50, ±128 */
  CHECK(!CGColorSpaceSupportsOutput(def));
  CHECK(!CGColorSpaceIsWideGamutRGB(def));
  CHECK_PTR_EQ(CGColorSpaceCreateLinearized(def), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateExtended(def), NULL);
  CFDataRef icc = CGColorSpaceCopyICCData(def); /* D50: the identity Lab profile */
  CHECK(icc != NULL);
  if (icc) CFRelease(icc);
  CGColorSpaceRef d65 = CGColorSpaceCreateLab(D65, NULL, NULL);
  CHECK(d65 != NULL && !CFEqual(d65, def));
  CHECK_PTR_EQ(CGColorSpaceCopyICCData(d65), NULL); /* would need an adaptation LUT */
  CGColorSpaceRelease(d65);
  const CGFloat empty[4] = {10, 10, -1, 1}, reversed[4] = {-1, 1, 5, -5};
  CHECK_PTR_EQ(CGColorSpaceCreateLab(D50, NULL, empty), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateLab(D50, NULL, reversed), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateLab(NULL, NULL, NULL), NULL);
  CGColorSpaceRelease(def);
  CGColorSpaceRelease(explicit100);
  CGColorSpaceRelease(explicit128);
  CGColorSpaceRelease(generic);

  CGColorSpaceRef xyz = CGColorSpaceCreateWithName(kCGColorSpaceGenericXYZ);
  CHECK_EQ(CGColorSpaceGetModel(xyz), kCGColorSpaceModelXYZ);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(xyz), 3);
  CHECK_PTR_EQ(CGColorSpaceCreateLinearized(xyz), NULL);
  CGColorSpaceRelease(xyz);
}

static void indexed(void) {
  /* A base that is not shared (an ICC space), released before the indexed space: it is held. */
  CGColorSpaceRef named_p3 = CGColorSpaceCreateWithName(kCGColorSpaceDisplayP3);
  CFDataRef icc = CGColorSpaceCopyICCData(named_p3);
  CGColorSpaceRef base = CGColorSpaceCreateWithICCData(icc);
  CFRelease(icc);
  unsigned char table[4 * 3];
  for (int i = 0; i < 12; i++) table[i] = (unsigned char)(i * 21 + 3);
  CGColorSpaceRef ix = CGColorSpaceCreateIndexed(base, 3, table);
  REQUIRE(ix != NULL);
  CGColorSpaceRelease(base);
  table[0] = 99; /* the table was copied */
  CHECK_EQ(CGColorSpaceGetModel(ix), kCGColorSpaceModelIndexed);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(ix), 1);
  CHECK(CFEqual(CGColorSpaceGetBaseColorSpace(ix), named_p3));
  CHECK_EQ(CGColorSpaceGetColorTableCount(ix), 4);
  unsigned char out[4 * 3 + 1];
  memset(out, 0xEE, sizeof out);
  CGColorSpaceGetColorTable(ix, out);
  CHECK_EQ(out[0], 3);
  for (int i = 1; i < 12; i++) CHECK_EQ(out[i], (unsigned char)(i * 21 + 3));
  CHECK_EQ(out[12], 0xEE); /* nothing past the table */
  CHECK(!CGColorSpaceSupportsOutput(ix));
  CHECK(!CGColorSpaceIsWideGamutRGB(ix));
  CHECK(!CGColorSpaceUsesExtendedRange(ix));
  CHECK_PTR_EQ(CGColorSpaceCopyICCData(ix), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateLinearized(ix), NULL);
  CHECK_PTR_EQ(CGColorSpaceGetName(ix), NULL);
  /* Equal tables and bases: CFEqual; another table: not. */
  table[0] = 3;
  CGColorSpaceRef ix2 = CGColorSpaceCreateIndexed(named_p3, 3, table);
  CHECK(CFEqual(ix, ix2));
  table[5] ^= 1;
  CGColorSpaceRef ix3 = CGColorSpaceCreateIndexed(named_p3, 3, table);
  CHECK(!CFEqual(ix, ix3));
  CGColorSpaceRelease(ix2);
  CGColorSpaceRelease(ix3);
  /* An 8-bit indexed image. */
  CGImageRef image = make_image(ix, 1);
  CHECK(image != NULL);
  if (image) {
    CHECK_PTR_EQ(CGImageGetColorSpace(image), ix);
    CHECK_EQ(CGImageGetBitsPerPixel(image), 8);
  }
  CGImageRelease(image);
  /* Refused: indexed base, NULL base, NULL table, lastIndex > 255. */
  CHECK_PTR_EQ(CGColorSpaceCreateIndexed(ix, 0, table), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateIndexed(NULL, 0, table), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateIndexed(named_p3, 0, NULL), NULL);
  static unsigned char big[257 * 3];
  CHECK_PTR_EQ(CGColorSpaceCreateIndexed(named_p3, 256, big), NULL);
  CGColorSpaceRef full = CGColorSpaceCreateIndexed(named_p3, 255, big);
  CHECK(full != NULL && CGColorSpaceGetColorTableCount(full) == 256);
  CGColorSpaceRelease(full);
  /* Other spaces have no table. */
  CHECK_EQ(CGColorSpaceGetColorTableCount(named_p3), 0);
  out[0] = 0xAB;
  CGColorSpaceGetColorTable(named_p3, out);
  CHECK_EQ(out[0], 0xAB);
  CGColorSpaceGetColorTable(NULL, out);
  CGColorSpaceGetColorTable(ix, NULL);
  CHECK_EQ(CGColorSpaceGetColorTableCount(NULL), 0);
  CGColorSpaceRelease(ix);
  CGColorSpaceRelease(named_p3);
}

static void pattern(void) {
  CGColorSpaceRef colored = CGColorSpaceCreatePattern(NULL);
  REQUIRE(colored != NULL);
  CHECK_EQ(CGColorSpaceGetModel(colored), kCGColorSpaceModelPattern);
  CHECK_PTR_EQ(CGColorSpaceGetBaseColorSpace(colored), NULL);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(colored), 0);
  CHECK(!CGColorSpaceSupportsOutput(colored));
  CHECK_PTR_EQ(CGColorSpaceCopyICCData(colored), NULL);
  CGColorSpaceRef gray = CGColorSpaceCreateDeviceGray();
  CGColorSpaceRef uncolored = CGColorSpaceCreatePattern(gray);
  CHECK(uncolored != NULL && CGColorSpaceGetBaseColorSpace(uncolored) == gray);
  CHECK_EQ(CGColorSpaceGetNumberOfComponents(uncolored), 1);
  CHECK(!CFEqual(colored, uncolored));
  CHECK_PTR_EQ(CGColorSpaceCreatePattern(colored), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateExtended(colored), NULL);
  CGColorSpaceRelease(uncolored);
  CGColorSpaceRelease(colored);
  CGColorSpaceRelease(gray);
}

static void wide_gamut_and_queries(void) {
  struct {
    const CFStringRef *name;
    bool wide, extended, pq, hlg;
  } cases[] = {
      {&kCGColorSpaceSRGB, false, false, false, false},
      {&kCGColorSpaceExtendedSRGB, false, true, false, false},
      {&kCGColorSpaceITUR_709, false, false, false, false},
      {&kCGColorSpaceGenericRGB, false, false, false, false},
      {&kCGColorSpaceDisplayP3, true, false, false, false},
      {&kCGColorSpaceExtendedLinearDisplayP3, true, true, false, false},
      {&kCGColorSpaceAdobeRGB1998, true, false, false, false},
      {&kCGColorSpaceITUR_2020, true, false, false, false},
      {&kCGColorSpaceROMMRGB, true, false, false, false},
      {&kCGColorSpaceDCIP3, true, false, false, false},
      {&kCGColorSpaceITUR_2100_PQ, true, false, true, false},
      {&kCGColorSpaceITUR_2100_HLG, true, false, false, true},
      {&kCGColorSpaceITUR_709_PQ, false, false, true, false},
      {&kCGColorSpaceDisplayP3_HLG, true, false, false, true},
      {&kCGColorSpaceGenericGrayGamma2_2, false, false, false, false},
      {&kCGColorSpaceExtendedGray, false, true, false, false},
      {&kCGColorSpaceGenericCMYK, false, false, false, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CGColorSpaceRef s = CGColorSpaceCreateWithName(*cases[i].name);
    bool ok = CHECK_EQ(CGColorSpaceIsWideGamutRGB(s), cases[i].wide);
    ok &= CHECK_EQ(CGColorSpaceUsesExtendedRange(s), cases[i].extended);
    ok &= CHECK_EQ(CGColorSpaceIsPQBased(s), cases[i].pq);
    ok &= CHECK_EQ(CGColorSpaceIsHLGBased(s), cases[i].hlg);
    ok &= CHECK_EQ(CGColorSpaceUsesITUR_2100TF(s), cases[i].pq || cases[i].hlg);
    ok &= CHECK(CGColorSpaceSupportsOutput(s));
    if (!ok) fprintf(stderr, "   case %zu\n", i);
    CGColorSpaceRelease(s);
  }
  CHECK(!CGColorSpaceIsWideGamutRGB(NULL));
  CHECK(!CGColorSpaceSupportsOutput(NULL));
  CHECK(!CGColorSpaceUsesExtendedRange(NULL));
  CHECK(!CGColorSpaceIsPQBased(NULL) && !CGColorSpaceIsHLGBased(NULL) && !CGColorSpaceUsesITUR_2100TF(NULL));
}

static void derived(void) {
  CGColorSpaceRef srgb = CGColorSpaceCreateWithName(kCGColorSpaceSRGB);
  CGColorSpaceRef s = CGColorSpaceCreateLinearized(srgb);
  CHECK_PTR_EQ(CGColorSpaceGetName(s), kCGColorSpaceLinearSRGB);
  CGColorSpaceRelease(s);
  s = CGColorSpaceCreateExtended(srgb);
  CHECK_PTR_EQ(CGColorSpaceGetName(s), kCGColorSpaceExtendedSRGB);
  CHECK(CGColorSpaceUsesExtendedRange(s));
  CGColorSpaceRef std = CGColorSpaceCreateCopyWithStandardRange(s);
  CHECK_PTR_EQ(CGColorSpaceGetName(std), kCGColorSpaceSRGB);
  CHECK(!CGColorSpaceUsesExtendedRange(std));
  CHECK(!CFEqual(s, std)); /* range differs */
  CGColorSpaceRelease(std);
  CGColorSpaceRelease(s);
  s = CGColorSpaceCreateExtendedLinearized(srgb);
  CHECK_PTR_EQ(CGColorSpaceGetName(s), kCGColorSpaceExtendedLinearSRGB);
  CGColorSpaceRelease(s);
  CGColorSpaceRef gray = CGColorSpaceCreateWithName(kCGColorSpaceGenericGrayGamma2_2);
  s = CGColorSpaceCreateExtendedLinearized(gray);
  CHECK_PTR_EQ(CGColorSpaceGetName(s), kCGColorSpaceExtendedLinearGray);
  CGColorSpaceRelease(s);
  /* Adobe RGB has no linear twin: a new, unnamed, extended space. */
  CGColorSpaceRef adobe = CGColorSpaceCreateWithName(kCGColorSpaceAdobeRGB1998);
  s = CGColorSpaceCreateExtended(adobe);
  CHECK(s != NULL && CGColorSpaceGetName(s) == NULL && CGColorSpaceUsesExtendedRange(s));
  CHECK(CGColorSpaceIsWideGamutRGB(s));
  std = CGColorSpaceCreateCopyWithStandardRange(s);
  CHECK(std != NULL && CFEqual(std, adobe));
  CGColorSpaceRelease(std);
  CGColorSpaceRelease(s);
  CGColorSpaceRef cmyk = CGColorSpaceCreateWithName(kCGColorSpaceGenericCMYK);
  CHECK_PTR_EQ(CGColorSpaceCreateLinearized(cmyk), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateExtended(cmyk), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateExtendedLinearized(cmyk), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateCopyWithStandardRange(cmyk), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateLinearized(NULL), NULL);
  CGColorSpaceRelease(cmyk);
  CGColorSpaceRelease(adobe);
  CGColorSpaceRelease(gray);
  CGColorSpaceRelease(srgb);
}

/* Damaged profiles: every truncation gives NULL; single flipped bytes never crash and any space
   they give answers every query. */
static void hostile_icc(void) {
  CGColorSpaceRef p3 = CGColorSpaceCreateWithName(kCGColorSpaceDisplayP3);
  CFDataRef icc = CGColorSpaceCopyICCData(p3);
  REQUIRE(icc != NULL);
  CFIndex len = CFDataGetLength(icc);
  const UInt8 *bytes = CFDataGetBytePtr(icc);
  UInt8 *copy = malloc((size_t)len);
  REQUIRE(copy != NULL);
  int step = under_valgrind() ? 7 : 1;
  int truncated_ok = 1;
  for (CFIndex n = 0; n < len; n += step) {
    CFDataRef part = CFDataCreate(NULL, bytes, n);
    CGColorSpaceRef s = CGColorSpaceCreateWithICCData(part);
    if (s != NULL) {
      truncated_ok = 0;
      fprintf(stderr, "   truncated at %ld accepted\n", (long)n);
      CGColorSpaceRelease(s);
    }
    CFRelease(part);
  }
  CHECK(truncated_ok);
  int accepted = 0;
  for (CFIndex i = 0; i < len; i += step) {
    for (int f = 0; f < 2; f++) {
      memcpy(copy, bytes, (size_t)len);
      copy[i] ^= f ? 0xFF : 0x01;
      CFDataRef d = CFDataCreate(NULL, copy, len);
      CGColorSpaceRef s = CGColorSpaceCreateWithICCData(d);
      if (s) {
        accepted++;
        (void)CGColorSpaceGetName(s);
        (void)CGColorSpaceGetModel(s);
        (void)CGColorSpaceIsWideGamutRGB(s);
        CFDataRef out = CGColorSpaceCopyICCData(s);
        CHECK(out != NULL && CFEqual(out, d)); /* its own bytes back */
        if (out) CFRelease(out);
        CGColorSpaceRef lin = CGColorSpaceCreateLinearized(s);
        CGColorSpaceRelease(lin);
        CGColorSpaceRelease(s);
      }
      CFRelease(d);
    }
  }
  fprintf(stderr, "flipped-byte profiles accepted: %d\n", accepted);
  /* Junk, a string, NULL. */
  memset(copy, 0x41, (size_t)len);
  CFDataRef junk = CFDataCreate(NULL, copy, len);
  CHECK_PTR_EQ(CGColorSpaceCreateWithICCData(junk), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateWithICCProfile(junk), NULL);
  CFRelease(junk);
  CHECK_PTR_EQ(CGColorSpaceCreateWithICCData(CFSTR("kCGColorSpaceSRGB")), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateWithICCData(NULL), NULL);
  CHECK_PTR_EQ(CGColorSpaceCreateWithICCProfile(NULL), NULL);
  CHECK_PTR_EQ(CGColorSpaceCopyICCData(NULL), NULL);
  CHECK_PTR_EQ(CGColorSpaceCopyICCProfile(NULL), NULL);
  /* A device link (class 'link') is no colour space. */
  memcpy(copy, bytes, (size_t)len);
  memcpy(copy + 12, "link", 4);
  CFDataRef link = CFDataCreate(NULL, copy, len);
  CHECK_PTR_EQ(CGColorSpaceCreateWithICCData(link), NULL);
  CFRelease(link);
  free(copy);
  CFRelease(icc);
  CGColorSpaceRelease(p3);
}

int main(void) {
  immortal_spaces();
  named_profiles_round_trip();
  icc_based();
  calibrated();
  lab();
  indexed();
  pattern();
  wide_gamut_and_queries();
  derived();
  hostile_icc();
  return check_report();
}
