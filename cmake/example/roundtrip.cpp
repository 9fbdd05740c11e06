// C++17 with the installed headers: wrap pixels in a CGImage without a copy, read them back in
// another channel order, check them. Built by cmake/example/CMakeLists.txt (tests/install.sh).
#include <Accelerate/Accelerate.h>
#include <CoreGraphics/CoreGraphics.h>

#include <array>
#include <cstdio>
#include <memory>
#include <vector>

namespace {
struct ImageRelease {
    void operator()(CGImageRef image) const { CGImageRelease(image); }
};
using Image = std::unique_ptr<std::remove_pointer_t<CGImageRef>, ImageRelease>;

int released = 0;
void on_release(void *user_data, void *) { ++*static_cast<int *>(user_data); }
}  // namespace

int main() {
    constexpr size_t width = 4, height = 3;
    std::vector<uint8_t> rgba(width * height * 4);
    for (size_t i = 0; i < rgba.size(); ++i) rgba[i] = static_cast<uint8_t>(i * 7);

    vImage_CGImageFormat rgba_format{};
    rgba_format.bitsPerComponent = 8;
    rgba_format.bitsPerPixel = 32;
    rgba_format.bitmapInfo = kCGImageAlphaLast;
    vImage_Buffer source{rgba.data(), height, width, width * 4};
    vImage_Error error = kvImageNoError;
    Image image(vImageCreateCGImageFromBuffer(&source, &rgba_format, on_release, &released,
                                              kvImageNoAllocate, &error));
    if (!image || error != kvImageNoError) {
        std::fprintf(stderr, "vImageCreateCGImageFromBuffer: %ld\n", static_cast<long>(error));
        return 1;
    }

    vImage_CGImageFormat argb_format = rgba_format;
    argb_format.bitmapInfo = kCGImageAlphaFirst;
    std::array<uint8_t, width * height * 4> argb{};
    vImage_Buffer dest{argb.data(), height, width, width * 4};
    error = vImageBuffer_InitWithCGImage(&dest, &argb_format, nullptr, image.get(), kvImageNoAllocate);
    if (error != kvImageNoError) {
        std::fprintf(stderr, "vImageBuffer_InitWithCGImage: %ld\n", static_cast<long>(error));
        return 1;
    }
    for (size_t p = 0; p < width * height; ++p) {
        const uint8_t *s = &rgba[p * 4], *d = &argb[p * 4];
        if (d[0] != s[3] || d[1] != s[0] || d[2] != s[1] || d[3] != s[2]) {
            std::fprintf(stderr, "pixel %zu differs\n", p);
            return 1;
        }
    }
    image.reset();
    if (released != 1) {
        std::fprintf(stderr, "release callback ran %d times\n", released);
        return 1;
    }
    std::printf("roundtrip_cpp: %zux%zu RGBA -> CGImage (no copy) -> ARGB ok\n", width, height);
    return 0;
}
