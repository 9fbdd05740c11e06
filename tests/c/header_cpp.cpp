// The headers from C++17: every Apple-named umbrella header (twice, for the include guards),
// the generated one, C linkage of the functions, and a round trip through the bridge.
#include <Accelerate/Accelerate.h>
#include <CoreFoundation/CoreFoundation.h>
#include <CoreGraphics/CoreGraphics.h>
#include <vImage/vImage.h>
#include <vImage/vImage_Types.h>
#include <vImage/vImage_Utilities.h>
#include <vimage.h>

#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

#include "check.h"

static_assert(sizeof(vImage_Buffer) == 32 && offsetof(vImage_Buffer, rowBytes) == 24, "vImage_Buffer");
static_assert(sizeof(vImage_CGImageFormat) == 40 && offsetof(vImage_CGImageFormat, renderingIntent) == 32,
              "vImage_CGImageFormat");
static_assert(std::is_same<CGFloat, double>::value, "CGFloat");
static_assert(std::is_same<Boolean, unsigned char>::value, "Boolean");
static_assert(std::is_signed<vImage_Error>::value && sizeof(vImage_Error) == 8, "vImage_Error");
static_assert(std::is_same<vImage_Flags, uint32_t>::value, "vImage_Flags");
static_assert(std::is_same<decltype(&vImageCreateCGImageFromBuffer),
                           CGImageRef (*)(const vImage_Buffer *, const vImage_CGImageFormat *,
                                          void (*)(void *, void *), void *, vImage_Flags,
                                          vImage_Error *)>::value,
              "vImageCreateCGImageFromBuffer signature");
static_assert(std::is_same<decltype(&vImageBuffer_GetSize), CGSize (*)(const vImage_Buffer *)>::value,
              "vImageBuffer_GetSize signature");
static_assert(std::is_same<decltype(&CGImageCreateWithImageInRect), CGImageRef (*)(CGImageRef, CGRect)>::value,
              "CGImageCreateWithImageInRect signature");
static_assert(kvImageNoAllocate == 512 && kvImageNullPointerArgument == -21772, "constants");
static_assert(kCGBitmapByteOrder32Host == kCGBitmapByteOrder32Little, "x86-64 and arm64 are little-endian");

namespace {

int released = 0;

// C++ code passes a function with C linkage, as Apple's callback type has.
extern "C" void release_vector(void *userData, void *buf_data) {
  auto *owner = static_cast<std::vector<unsigned char> *>(userData);
  if (owner->data() == buf_data) released++;
  delete owner;
}

void round_trip() {
  vImage_Buffer buf{};
  CHECK_EQ(vImageBuffer_Init(&buf, 3, 5, 32, kvImageNoFlags), kvImageNoError);
  REQUIRE(buf.data != nullptr);
  for (size_t i = 0; i < buf.rowBytes * buf.height; i++) static_cast<unsigned char *>(buf.data)[i] = static_cast<unsigned char>(i);

  vImage_CGImageFormat format{8, 32, nullptr, kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Host, 0,
                              nullptr, kCGRenderingIntentDefault};
  CHECK_EQ(vImageCGImageFormat_GetComponentCount(&format), 4);
  vImage_Error error = 1;
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &format, nullptr, nullptr, kvImageNoFlags, &error);
  CHECK(image != nullptr);
  CHECK_EQ(error, kvImageNoError);
  CHECK_EQ(CGImageGetWidth(image), 5);
  CHECK_EQ(CGImageGetByteOrderInfo(image), kCGImageByteOrder32Little);

  CGImageRef sub = CGImageCreateWithImageInRect(image, CGRectMake(1, 1, 2, 2));
  CHECK(sub != nullptr);
  CHECK_EQ(CGImageGetWidth(sub), 2);

  vImage_CGImageFormat empty{};
  vImage_Buffer back{};
  CHECK_EQ(vImageBuffer_InitWithCGImage(&back, &empty, nullptr, sub, kvImageNoFlags), kvImageNoError);
  CHECK(vImageCGImageFormat_IsEqual(&empty, &format));
  if (CHECK(back.data != nullptr))
    CHECK_MEM_EQ(back.data, static_cast<unsigned char *>(buf.data) + buf.rowBytes + 4, 8);
  std::free(back.data);
  CGSize size = vImageBuffer_GetSize(&back);
  CHECK_DBL_EQ(size.width, 2.0);

  CGImageRelease(sub);
  CGImageRelease(image);
  std::free(buf.data);
}

void no_copy_from_a_vector() {
  auto *pixels = new std::vector<unsigned char>(2 * 2 * 4, 0x7F);
  vImage_Buffer buf{pixels->data(), 2, 2, 8};
  vImage_CGImageFormat format{8, 32, nullptr, kCGImageAlphaNoneSkipLast, 0, nullptr, kCGRenderingIntentDefault};
  CGImageRef image = vImageCreateCGImageFromBuffer(&buf, &format, release_vector, pixels, kvImageNoAllocate, nullptr);
  CHECK(image != nullptr);
  CHECK_EQ(released, 0);
  CGImageRelease(image);
  CHECK_EQ(released, 1);
}

void names() {
  CGColorSpaceRef space = CGColorSpaceCreateWithName(CFSTR("kCGColorSpaceDisplayP3"));
  CHECK(space != nullptr);
  CHECK(CGColorSpaceGetName(space) == kCGColorSpaceDisplayP3);
  CHECK_EQ(CGColorSpaceGetModel(space), kCGColorSpaceModelRGB);
  CHECK(CFEqual(CFSTR("kCGColorSpaceDisplayP3"), kCGColorSpaceDisplayP3));
  CGColorSpaceRelease(space);
  CHECK(kCFAllocatorDefault == nullptr);
}

}  // namespace

int main() {
  round_trip();
  no_copy_from_a_vector();
  names();
  return check_report();
}
