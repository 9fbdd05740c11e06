//! The C ABI: Apple's type names, integer widths, struct layouts and constant values
//! (`apple-abi.md` §2, §3). cbindgen turns this file into the declarations of `include/vimage.h`.
//!
//! Apple declares its constants as enum members of fixed-width enums; they are `#define`s here,
//! which every C and C++ use site treats the same way.

#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case)]

use std::ffi::{c_long, c_ulong, c_void};

// ---- scalar typedefs (§2.1) -------------------------------------------------------------------

/// `unsigned long`: a pixel count.
pub type vImagePixelCount = c_ulong;
/// `ssize_t`: 0 or a positive size on success, a negative code on failure.
pub type vImage_Error = libc::ssize_t;
/// `uint32_t` option bits.
pub type vImage_Flags = u32;
/// `uint32_t`, for the converter's buffer-order queries.
pub type vImageBufferTypeCode = u32;
/// `double` on LP64, as on every 64-bit Apple platform.
pub type CGFloat = f64;
/// `unsigned char` (MacTypes.h), one byte, 0 or 1.
pub type Boolean = u8;
/// `unsigned char`.
pub type UInt8 = u8;
/// `uint32_t`.
pub type UInt32 = u32;
/// `signed long`.
pub type CFIndex = c_long;
/// `unsigned long`.
pub type CFTypeID = c_ulong;
/// `unsigned long`.
pub type CFOptionFlags = c_ulong;
/// `unsigned long`.
pub type CFHashCode = c_ulong;
/// `uint32_t`.
pub type CFStringEncoding = u32;
/// `uint32_t` bit set: alpha info | float | byte order | pixel format.
pub type CGBitmapInfo = u32;
/// `uint32_t`.
pub type CGImageAlphaInfo = u32;
/// `uint32_t`.
pub type CGImageByteOrderInfo = u32;
/// `uint32_t`.
pub type CGImagePixelFormatInfo = u32;
/// `int32_t`.
pub type CGColorRenderingIntent = i32;
/// `int32_t`.
pub type CGColorSpaceModel = i32;

// ---- object references ------------------------------------------------------------------------

/// `const void *`: any object this library hands out.
pub type CFTypeRef = *const c_void;

/// Opaque object behind `CGImageRef`.
pub struct CGImage {
    _opaque: (),
}
/// Opaque object behind `CGColorSpaceRef`.
pub struct CGColorSpace {
    _opaque: (),
}
/// Opaque object behind `CGDataProviderRef`.
pub struct CGDataProvider {
    _opaque: (),
}
/// Opaque object behind `vImageConverterRef`.
pub struct vImageConverter {
    _opaque: (),
}
/// Opaque object behind `CFDataRef`.
pub struct __CFData {
    _opaque: (),
}
/// Opaque object behind `CFStringRef`.
pub struct __CFString {
    _opaque: (),
}
/// Opaque object behind `CFAllocatorRef`.
pub struct __CFAllocator {
    _opaque: (),
}

pub type CGImageRef = *mut CGImage;
pub type CGColorSpaceRef = *mut CGColorSpace;
pub type CGDataProviderRef = *mut CGDataProvider;
pub type vImageConverterRef = *mut vImageConverter;
pub type CFDataRef = *const __CFData;

/// `const struct __CFString *`. A transparent wrapper so that the exported colour-space name
/// constants can be Rust statics with Apple's exact C type, `extern const CFStringRef`.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CFStringRef(pub *const __CFString);

// SAFETY: a CFStringRef points at an immutable string object whose reference count is atomic.
unsafe impl Sync for CFStringRef {}
// SAFETY: as above; the pointer may move between threads.
unsafe impl Send for CFStringRef {}

/// `const struct __CFAllocator *`; only the NULL default allocator exists here.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CFAllocatorRef(pub *const __CFAllocator);

// SAFETY: the only value ever stored is NULL.
unsafe impl Sync for CFAllocatorRef {}

/// `void (*)(void *userData, void *buf_data)`: the no-copy release callback.
pub type vImageReleaseCallback =
    Option<unsafe extern "C" fn(userData: *mut c_void, buf_data: *mut c_void)>;
/// `void (*)(void *info, const void *data, size_t size)`.
pub type CGDataProviderReleaseDataCallback =
    Option<unsafe extern "C" fn(info: *mut c_void, data: *const c_void, size: usize)>;

// ---- pixel typedefs (apple-vimage-ops.md §0.1) --------------------------------------------------

/// One 8-bit sample.
pub type Pixel_8 = u8;
/// One float sample.
pub type Pixel_F = f32;
/// Four 8-bit samples in memory order (a C array: passed as a pointer).
pub type Pixel_8888 = [u8; 4];
/// Four float samples in memory order.
pub type Pixel_FFFF = [f32; 4];
/// One unsigned 16-bit sample.
pub type Pixel_16U = u16;
/// One signed 16-bit sample.
pub type Pixel_16S = i16;
/// One IEEE binary16 sample, as its bits.
pub type Pixel_16F = u16;
/// Four unsigned 16-bit samples.
pub type Pixel_ARGB_16U = [u16; 4];
/// Four signed 16-bit samples.
pub type Pixel_ARGB_16S = [i16; 4];
/// Signed 16-bit fixed point, 4096 = 1.0.
pub type Pixel_16Q12 = i16;
/// Two unsigned 16-bit samples (CbCr).
pub type Pixel_16U16U = [u16; 2];
/// Two 8-bit samples (CbCr).
pub type Pixel_88 = [u8; 2];
/// A packed 32-bit pixel (XRGB2101010).
pub type Pixel_32U = u32;

// ---- structs (§2.2, layout §3) ----------------------------------------------------------------

/// A block of pixels: `data` is the top-left pixel, rows are `rowBytes` apart.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct vImage_Buffer {
    pub data: *mut c_void,
    pub height: vImagePixelCount,
    pub width: vImagePixelCount,
    pub rowBytes: usize,
}

/// Describes a CoreGraphics pixel format. Not an owner: it neither retains `colorSpace` nor
/// frees `decode`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct vImage_CGImageFormat {
    pub bitsPerComponent: u32,
    pub bitsPerPixel: u32,
    pub colorSpace: CGColorSpaceRef,
    pub bitmapInfo: CGBitmapInfo,
    pub version: u32,
    pub decode: *const CGFloat,
    pub renderingIntent: CGColorRenderingIntent,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CGPoint {
    pub x: CGFloat,
    pub y: CGFloat,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CGSize {
    pub width: CGFloat,
    pub height: CGFloat,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CGRect {
    pub origin: CGPoint,
    pub size: CGSize,
}

/// CoreGraphics' affine transform: `x' = a*x + c*y + tx`, `y' = b*x + d*y + ty` (row vectors).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CGAffineTransform {
    pub a: CGFloat,
    pub b: CGFloat,
    pub c: CGFloat,
    pub d: CGFloat,
    pub tx: CGFloat,
    pub ty: CGFloat,
}

/// vImage's single-precision affine transform (Geometry.h), same convention as CG's.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct vImage_AffineTransform {
    pub a: f32,
    pub b: f32,
    pub c: f32,
    pub d: f32,
    pub tx: f32,
    pub ty: f32,
}

/// vImage's double-precision affine transform (Geometry.h).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct vImage_AffineTransform_Double {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
    pub tx: f64,
    pub ty: f64,
}

/// Geometry.h: `typedef CGAffineTransform vImage_CGAffineTransform` where CoreGraphics exists.
pub type vImage_CGAffineTransform = CGAffineTransform;

/// An opaque resampling filter made by `vImageNewResamplingFilter*` (Geometry.h).
pub type ResamplingFilter = *mut c_void;

/// An opaque gamma function made by `vImageCreateGammaFunction` (Transform.h).
pub type GammaFunction = *mut c_void;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CFRange {
    pub location: CFIndex,
    pub length: CFIndex,
}

// ---- vImage_Flags (§2.3) ----------------------------------------------------------------------

pub const kvImageNoFlags: vImage_Flags = 0;
pub const kvImageLeaveAlphaUnchanged: vImage_Flags = 1;
pub const kvImageCopyInPlace: vImage_Flags = 2;
pub const kvImageBackgroundColorFill: vImage_Flags = 4;
pub const kvImageEdgeExtend: vImage_Flags = 8;
pub const kvImageDoNotTile: vImage_Flags = 16;
pub const kvImageHighQualityResampling: vImage_Flags = 32;
pub const kvImageTruncateKernel: vImage_Flags = 64;
pub const kvImageGetTempBufferSize: vImage_Flags = 128;
pub const kvImagePrintDiagnosticsToConsole: vImage_Flags = 256;
pub const kvImageNoAllocate: vImage_Flags = 512;
pub const kvImageHDRContent: vImage_Flags = 1024;
pub const kvImageDoNotClamp: vImage_Flags = 2048;
pub const kvImageUseFP16Accumulator: vImage_Flags = 4096;

// ---- vImage_Error (§2.4) ----------------------------------------------------------------------

pub const kvImageNoError: vImage_Error = 0;
pub const kvImageRoiLargerThanInputBuffer: vImage_Error = -21766;
pub const kvImageInvalidKernelSize: vImage_Error = -21767;
pub const kvImageInvalidEdgeStyle: vImage_Error = -21768;
pub const kvImageInvalidOffset_X: vImage_Error = -21769;
pub const kvImageInvalidOffset_Y: vImage_Error = -21770;
pub const kvImageMemoryAllocationError: vImage_Error = -21771;
pub const kvImageNullPointerArgument: vImage_Error = -21772;
pub const kvImageInvalidParameter: vImage_Error = -21773;
pub const kvImageBufferSizeMismatch: vImage_Error = -21774;
pub const kvImageUnknownFlagsBit: vImage_Error = -21775;
pub const kvImageInternalError: vImage_Error = -21776;
pub const kvImageInvalidRowBytes: vImage_Error = -21777;
pub const kvImageInvalidImageFormat: vImage_Error = -21778;
pub const kvImageColorSyncIsAbsent: vImage_Error = -21779;
pub const kvImageOutOfPlaceOperationRequired: vImage_Error = -21780;
pub const kvImageInvalidImageObject: vImage_Error = -21781;
pub const kvImageInvalidCVImageFormat: vImage_Error = -21782;
pub const kvImageUnsupportedConversion: vImage_Error = -21783;
pub const kvImageCoreVideoIsAbsent: vImage_Error = -21784;

// ---- vImageBufferTypeCode (§2.5) --------------------------------------------------------------

pub const kvImageBufferTypeCode_EndOfList: vImageBufferTypeCode = 0;
pub const kvImageBufferTypeCode_ColorSpaceChannel1: vImageBufferTypeCode = 1;
pub const kvImageBufferTypeCode_ColorSpaceChannel2: vImageBufferTypeCode = 2;
pub const kvImageBufferTypeCode_ColorSpaceChannel3: vImageBufferTypeCode = 3;
pub const kvImageBufferTypeCode_ColorSpaceChannel4: vImageBufferTypeCode = 4;
pub const kvImageBufferTypeCode_ColorSpaceChannel5: vImageBufferTypeCode = 5;
pub const kvImageBufferTypeCode_ColorSpaceChannel6: vImageBufferTypeCode = 6;
pub const kvImageBufferTypeCode_ColorSpaceChannel7: vImageBufferTypeCode = 7;
pub const kvImageBufferTypeCode_ColorSpaceChannel8: vImageBufferTypeCode = 8;
pub const kvImageBufferTypeCode_ColorSpaceChannel9: vImageBufferTypeCode = 9;
pub const kvImageBufferTypeCode_ColorSpaceChannel10: vImageBufferTypeCode = 10;
pub const kvImageBufferTypeCode_ColorSpaceChannel11: vImageBufferTypeCode = 11;
pub const kvImageBufferTypeCode_ColorSpaceChannel12: vImageBufferTypeCode = 12;
pub const kvImageBufferTypeCode_ColorSpaceChannel13: vImageBufferTypeCode = 13;
pub const kvImageBufferTypeCode_ColorSpaceChannel14: vImageBufferTypeCode = 14;
pub const kvImageBufferTypeCode_ColorSpaceChannel15: vImageBufferTypeCode = 15;
pub const kvImageBufferTypeCode_ColorSpaceChannel16: vImageBufferTypeCode = 16;
pub const kvImageBufferTypeCode_Alpha: vImageBufferTypeCode = 17;
pub const kvImageBufferTypeCode_Indexed: vImageBufferTypeCode = 18;
pub const kvImageBufferTypeCode_CVPixelBuffer_YCbCr: vImageBufferTypeCode = 19;
pub const kvImageBufferTypeCode_Luminance: vImageBufferTypeCode = 20;
pub const kvImageBufferTypeCode_Chroma: vImageBufferTypeCode = 21;
pub const kvImageBufferTypeCode_Cb: vImageBufferTypeCode = 22;
pub const kvImageBufferTypeCode_Cr: vImageBufferTypeCode = 23;
pub const kvImageBufferTypeCode_CGFormat: vImageBufferTypeCode = 24;
pub const kvImageBufferTypeCode_Chunky: vImageBufferTypeCode = 25;
pub const kvImageBufferTypeCode_UniqueFormatCount: vImageBufferTypeCode = 26;
pub const kvImageBufferTypeCode_Monochrome: vImageBufferTypeCode = 1;
pub const kvImageBufferTypeCode_RGB_Red: vImageBufferTypeCode = 1;
pub const kvImageBufferTypeCode_RGB_Green: vImageBufferTypeCode = 2;
pub const kvImageBufferTypeCode_RGB_Blue: vImageBufferTypeCode = 3;
pub const kvImageBufferTypeCode_CMYK_Cyan: vImageBufferTypeCode = 1;
pub const kvImageBufferTypeCode_CMYK_Magenta: vImageBufferTypeCode = 2;
pub const kvImageBufferTypeCode_CMYK_Yellow: vImageBufferTypeCode = 3;
pub const kvImageBufferTypeCode_CMYK_Black: vImageBufferTypeCode = 4;
pub const kvImageBufferTypeCode_XYZ_X: vImageBufferTypeCode = 1;
pub const kvImageBufferTypeCode_XYZ_Y: vImageBufferTypeCode = 2;
pub const kvImageBufferTypeCode_XYZ_Z: vImageBufferTypeCode = 3;
pub const kvImageBufferTypeCode_LAB_L: vImageBufferTypeCode = 1;
pub const kvImageBufferTypeCode_LAB_A: vImageBufferTypeCode = 2;
pub const kvImageBufferTypeCode_LAB_B: vImageBufferTypeCode = 3;

// ---- CGImageAlphaInfo (§2.6) ------------------------------------------------------------------

pub const kCGImageAlphaNone: CGImageAlphaInfo = 0;
pub const kCGImageAlphaPremultipliedLast: CGImageAlphaInfo = 1;
pub const kCGImageAlphaPremultipliedFirst: CGImageAlphaInfo = 2;
pub const kCGImageAlphaLast: CGImageAlphaInfo = 3;
pub const kCGImageAlphaFirst: CGImageAlphaInfo = 4;
pub const kCGImageAlphaNoneSkipLast: CGImageAlphaInfo = 5;
pub const kCGImageAlphaNoneSkipFirst: CGImageAlphaInfo = 6;
pub const kCGImageAlphaOnly: CGImageAlphaInfo = 7;

// ---- CGBitmapInfo (§2.7) ----------------------------------------------------------------------

pub const kCGBitmapAlphaInfoMask: CGBitmapInfo = 0x1F;
pub const kCGBitmapFloatInfoMask: CGBitmapInfo = 0xF00;
pub const kCGBitmapFloatComponents: CGBitmapInfo = 1 << 8;
pub const kCGBitmapByteOrderMask: CGBitmapInfo = 0x7000;
pub const kCGBitmapByteOrderDefault: CGBitmapInfo = 0;
pub const kCGBitmapByteOrder16Little: CGBitmapInfo = 1 << 12;
pub const kCGBitmapByteOrder32Little: CGBitmapInfo = 2 << 12;
pub const kCGBitmapByteOrder16Big: CGBitmapInfo = 3 << 12;
pub const kCGBitmapByteOrder32Big: CGBitmapInfo = 4 << 12;
pub const kCGBitmapComponentInfoMask: CGBitmapInfo = 0xF00;
pub const kCGBitmapByteOrderInfoMask: CGBitmapInfo = 0x7000;
pub const kCGBitmapPixelFormatInfoMask: CGBitmapInfo = 0xF0000;

// ---- CGImageByteOrderInfo (§2.8) --------------------------------------------------------------

pub const kCGImageByteOrderMask: CGImageByteOrderInfo = 0x7000;
pub const kCGImageByteOrderDefault: CGImageByteOrderInfo = 0;
pub const kCGImageByteOrder16Little: CGImageByteOrderInfo = 1 << 12;
pub const kCGImageByteOrder32Little: CGImageByteOrderInfo = 2 << 12;
pub const kCGImageByteOrder16Big: CGImageByteOrderInfo = 3 << 12;
pub const kCGImageByteOrder32Big: CGImageByteOrderInfo = 4 << 12;

// ---- CGImagePixelFormatInfo (§2.9) ------------------------------------------------------------

pub const kCGImagePixelFormatMask: CGImagePixelFormatInfo = 0xF0000;
pub const kCGImagePixelFormatPacked: CGImagePixelFormatInfo = 0;
pub const kCGImagePixelFormatRGB555: CGImagePixelFormatInfo = 1 << 16;
pub const kCGImagePixelFormatRGB565: CGImagePixelFormatInfo = 2 << 16;
pub const kCGImagePixelFormatRGB101010: CGImagePixelFormatInfo = 3 << 16;
pub const kCGImagePixelFormatRGBCIF10: CGImagePixelFormatInfo = 4 << 16;

// ---- CGImageComponentInfo (§2.10, 26 SDK) ------------------------------------------------------

pub const kCGImageComponentInteger: u32 = 0;
pub const kCGImageComponentFloat: u32 = 0x100;

// ---- CGColorRenderingIntent (§2.11) -----------------------------------------------------------

pub const kCGRenderingIntentDefault: CGColorRenderingIntent = 0;
pub const kCGRenderingIntentAbsoluteColorimetric: CGColorRenderingIntent = 1;
pub const kCGRenderingIntentRelativeColorimetric: CGColorRenderingIntent = 2;
pub const kCGRenderingIntentPerceptual: CGColorRenderingIntent = 3;
pub const kCGRenderingIntentSaturation: CGColorRenderingIntent = 4;

// ---- CGColorSpaceModel (§2.12) ----------------------------------------------------------------

pub const kCGColorSpaceModelUnknown: CGColorSpaceModel = -1;
pub const kCGColorSpaceModelMonochrome: CGColorSpaceModel = 0;
pub const kCGColorSpaceModelRGB: CGColorSpaceModel = 1;
pub const kCGColorSpaceModelCMYK: CGColorSpaceModel = 2;
pub const kCGColorSpaceModelLab: CGColorSpaceModel = 3;
pub const kCGColorSpaceModelDeviceN: CGColorSpaceModel = 4;
pub const kCGColorSpaceModelIndexed: CGColorSpaceModel = 5;
pub const kCGColorSpaceModelPattern: CGColorSpaceModel = 6;
pub const kCGColorSpaceModelXYZ: CGColorSpaceModel = 7;

// ---- CFString encodings (CFString.h) ----------------------------------------------------------

pub const kCFStringEncodingMacRoman: CFStringEncoding = 0;
pub const kCFStringEncodingWindowsLatin1: CFStringEncoding = 0x0500;
pub const kCFStringEncodingISOLatin1: CFStringEncoding = 0x0201;
pub const kCFStringEncodingNextStepLatin: CFStringEncoding = 0x0B01;
pub const kCFStringEncodingASCII: CFStringEncoding = 0x0600;
pub const kCFStringEncodingUTF8: CFStringEncoding = 0x0800_0100;

/// `kCFNotFound`.
pub const kCFNotFound: CFIndex = -1;
