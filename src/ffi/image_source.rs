//! CGImageSource.h, and the property / option key constants of CGImageProperties.h.
//!
//! Needs the CoreFoundation containers (feature `cf`): options and properties are
//! CFDictionaries. Where Apple crashes or asserts (a NULL or foreign source), these calls do
//! nothing and return 0 / NULL / `kCGImageStatusUnknownType`.

#![cfg(feature = "cf")]

use crate::cf::any::AnyCf;
use crate::cf::array::Array;
use crate::cf::dictionary::Dictionary;
use crate::cf::object::{Cf, type_ids};
use crate::cf::string::{CfString, StaticString, constant_string};
use crate::cf::{Data, url::Url};
use crate::cg::provider::DataProvider;
use crate::io::cfconv;
use crate::io::codec::Kind;
use crate::io::properties::Props;
use crate::io::source::{Bytes, ImageSource, SourceOptions};
use crate::types::*;

use super::cf_array::CFArrayRef;
use super::cf_dictionary::CFDictionaryRef;
use super::cf_url::CFURLRef;
use super::guard_value;

/// Opaque object behind `CGImageSourceRef`.
pub struct CGImageSource {
    _opaque: (),
}
pub type CGImageSourceRef = *mut CGImageSource;

/// `int32_t`.
pub type CGImageSourceStatus = i32;
pub const kCGImageStatusUnexpectedEOF: CGImageSourceStatus = -5;
pub const kCGImageStatusInvalidData: CGImageSourceStatus = -4;
pub const kCGImageStatusUnknownType: CGImageSourceStatus = -3;
pub const kCGImageStatusReadingHeader: CGImageSourceStatus = -2;
pub const kCGImageStatusIncomplete: CGImageSourceStatus = -1;
pub const kCGImageStatusComplete: CGImageSourceStatus = 0;

/// `uint32_t`: EXIF orientation 1..=8.
pub type CGImagePropertyOrientation = u32;
pub const kCGImagePropertyOrientationUp: CGImagePropertyOrientation = 1;
pub const kCGImagePropertyOrientationUpMirrored: CGImagePropertyOrientation = 2;
pub const kCGImagePropertyOrientationDown: CGImagePropertyOrientation = 3;
pub const kCGImagePropertyOrientationDownMirrored: CGImagePropertyOrientation = 4;
pub const kCGImagePropertyOrientationLeftMirrored: CGImagePropertyOrientation = 5;
pub const kCGImagePropertyOrientationRight: CGImagePropertyOrientation = 6;
pub const kCGImagePropertyOrientationRightMirrored: CGImagePropertyOrientation = 7;
pub const kCGImagePropertyOrientationLeft: CGImagePropertyOrientation = 8;

/// The string objects behind the exported key constants (never freed).
#[allow(non_upper_case_globals)]
mod objects {
    use crate::cf::object::CfBox;
    use crate::cf::string::{CfString, StaticString};
    pub static kCGImageSourceTypeIdentifierHint: StaticString =
        CfBox::new_static(CfString::from_static("kCGImageSourceTypeIdentifierHint"));
    pub static kCGImageSourceShouldCache: StaticString =
        CfBox::new_static(CfString::from_static("kCGImageSourceShouldCache"));
    pub static kCGImageSourceShouldCacheImmediately: StaticString = CfBox::new_static(
        CfString::from_static("kCGImageSourceShouldCacheImmediately"),
    );
    pub static kCGImageSourceShouldAllowFloat: StaticString =
        CfBox::new_static(CfString::from_static("kCGImageSourceShouldAllowFloat"));
    pub static kCGImageSourceCreateThumbnailFromImageIfAbsent: StaticString = CfBox::new_static(
        CfString::from_static("kCGImageSourceCreateThumbnailFromImageIfAbsent"),
    );
    pub static kCGImageSourceCreateThumbnailFromImageAlways: StaticString = CfBox::new_static(
        CfString::from_static("kCGImageSourceCreateThumbnailFromImageAlways"),
    );
    pub static kCGImageSourceThumbnailMaxPixelSize: StaticString =
        CfBox::new_static(CfString::from_static("kCGImageSourceThumbnailMaxPixelSize"));
    pub static kCGImageSourceCreateThumbnailWithTransform: StaticString = CfBox::new_static(
        CfString::from_static("kCGImageSourceCreateThumbnailWithTransform"),
    );
    pub static kCGImageSourceSubsampleFactor: StaticString =
        CfBox::new_static(CfString::from_static("kCGImageSourceSubsampleFactor"));
    pub static kCGImagePropertyFileSize: StaticString =
        CfBox::new_static(CfString::from_static("FileSize"));
    pub static kCGImagePropertyPixelWidth: StaticString =
        CfBox::new_static(CfString::from_static("PixelWidth"));
    pub static kCGImagePropertyPixelHeight: StaticString =
        CfBox::new_static(CfString::from_static("PixelHeight"));
    pub static kCGImagePropertyDPIWidth: StaticString =
        CfBox::new_static(CfString::from_static("DPIWidth"));
    pub static kCGImagePropertyDPIHeight: StaticString =
        CfBox::new_static(CfString::from_static("DPIHeight"));
    pub static kCGImagePropertyDepth: StaticString =
        CfBox::new_static(CfString::from_static("Depth"));
    pub static kCGImagePropertyOrientation: StaticString =
        CfBox::new_static(CfString::from_static("Orientation"));
    pub static kCGImagePropertyIsFloat: StaticString =
        CfBox::new_static(CfString::from_static("IsFloat"));
    pub static kCGImagePropertyIsIndexed: StaticString =
        CfBox::new_static(CfString::from_static("IsIndexed"));
    pub static kCGImagePropertyHasAlpha: StaticString =
        CfBox::new_static(CfString::from_static("HasAlpha"));
    pub static kCGImagePropertyColorModel: StaticString =
        CfBox::new_static(CfString::from_static("ColorModel"));
    pub static kCGImagePropertyProfileName: StaticString =
        CfBox::new_static(CfString::from_static("ProfileName"));
    pub static kCGImagePropertyColorModelRGB: StaticString =
        CfBox::new_static(CfString::from_static("RGB"));
    pub static kCGImagePropertyColorModelGray: StaticString =
        CfBox::new_static(CfString::from_static("Gray"));
    pub static kCGImagePropertyColorModelCMYK: StaticString =
        CfBox::new_static(CfString::from_static("CMYK"));
    pub static kCGImagePropertyColorModelLab: StaticString =
        CfBox::new_static(CfString::from_static("Lab"));
    pub static kCGImagePropertyPNGDictionary: StaticString =
        CfBox::new_static(CfString::from_static("{PNG}"));
    pub static kCGImagePropertyJFIFDictionary: StaticString =
        CfBox::new_static(CfString::from_static("{JFIF}"));
    pub static kCGImagePropertyExifDictionary: StaticString =
        CfBox::new_static(CfString::from_static("{Exif}"));
    pub static kCGImagePropertyTIFFDictionary: StaticString =
        CfBox::new_static(CfString::from_static("{TIFF}"));
    pub static kCGImagePropertyGIFDictionary: StaticString =
        CfBox::new_static(CfString::from_static("{GIF}"));
    pub static kCGImagePropertyPNGGamma: StaticString =
        CfBox::new_static(CfString::from_static("Gamma"));
    pub static kCGImagePropertyPNGChromaticities: StaticString =
        CfBox::new_static(CfString::from_static("Chromaticities"));
    pub static kCGImagePropertyPNGsRGBIntent: StaticString =
        CfBox::new_static(CfString::from_static("sRGBIntent"));
    pub static kCGImagePropertyPNGInterlaceType: StaticString =
        CfBox::new_static(CfString::from_static("InterlaceType"));
    pub static kCGImagePropertyPNGXPixelsPerMeter: StaticString =
        CfBox::new_static(CfString::from_static("XPixelsPerMeter"));
    pub static kCGImagePropertyPNGYPixelsPerMeter: StaticString =
        CfBox::new_static(CfString::from_static("YPixelsPerMeter"));
    pub static kCGImagePropertyPNGTitle: StaticString =
        CfBox::new_static(CfString::from_static("Title"));
    pub static kCGImagePropertyPNGAuthor: StaticString =
        CfBox::new_static(CfString::from_static("Author"));
    pub static kCGImagePropertyPNGDescription: StaticString =
        CfBox::new_static(CfString::from_static("Description"));
    pub static kCGImagePropertyPNGCopyright: StaticString =
        CfBox::new_static(CfString::from_static("Copyright"));
    pub static kCGImagePropertyPNGCreationTime: StaticString =
        CfBox::new_static(CfString::from_static("CreationTime"));
    pub static kCGImagePropertyPNGSoftware: StaticString =
        CfBox::new_static(CfString::from_static("Software"));
    pub static kCGImagePropertyPNGComment: StaticString =
        CfBox::new_static(CfString::from_static("Comment"));
    pub static kCGImagePropertyPNGCompressionFilter: StaticString = CfBox::new_static(
        CfString::from_static("kCGImagePropertyPNGCompressionFilter"),
    );
    pub static kCGImagePropertyJFIFVersion: StaticString =
        CfBox::new_static(CfString::from_static("JFIFVersion"));
    pub static kCGImagePropertyJFIFXDensity: StaticString =
        CfBox::new_static(CfString::from_static("XDensity"));
    pub static kCGImagePropertyJFIFYDensity: StaticString =
        CfBox::new_static(CfString::from_static("YDensity"));
    pub static kCGImagePropertyJFIFDensityUnit: StaticString =
        CfBox::new_static(CfString::from_static("DensityUnit"));
    pub static kCGImagePropertyJFIFIsProgressive: StaticString =
        CfBox::new_static(CfString::from_static("IsProgressive"));
    pub static kCGImagePropertyTIFFOrientation: StaticString =
        CfBox::new_static(CfString::from_static("Orientation"));
    pub static kCGImagePropertyTIFFXResolution: StaticString =
        CfBox::new_static(CfString::from_static("XResolution"));
    pub static kCGImagePropertyTIFFYResolution: StaticString =
        CfBox::new_static(CfString::from_static("YResolution"));
    pub static kCGImagePropertyTIFFResolutionUnit: StaticString =
        CfBox::new_static(CfString::from_static("ResolutionUnit"));
    pub static kCGImagePropertyTIFFMake: StaticString =
        CfBox::new_static(CfString::from_static("Make"));
    pub static kCGImagePropertyTIFFModel: StaticString =
        CfBox::new_static(CfString::from_static("Model"));
    pub static kCGImagePropertyTIFFSoftware: StaticString =
        CfBox::new_static(CfString::from_static("Software"));
    pub static kCGImagePropertyTIFFDateTime: StaticString =
        CfBox::new_static(CfString::from_static("DateTime"));
    pub static kCGImagePropertyTIFFImageDescription: StaticString =
        CfBox::new_static(CfString::from_static("ImageDescription"));
    pub static kCGImagePropertyTIFFArtist: StaticString =
        CfBox::new_static(CfString::from_static("Artist"));
    pub static kCGImagePropertyTIFFCopyright: StaticString =
        CfBox::new_static(CfString::from_static("Copyright"));
    pub static kCGImagePropertyExifPixelXDimension: StaticString =
        CfBox::new_static(CfString::from_static("PixelXDimension"));
    pub static kCGImagePropertyExifPixelYDimension: StaticString =
        CfBox::new_static(CfString::from_static("PixelYDimension"));
    pub static kCGImagePropertyExifColorSpace: StaticString =
        CfBox::new_static(CfString::from_static("ColorSpace"));
    pub static kCGImagePropertyExifExposureTime: StaticString =
        CfBox::new_static(CfString::from_static("ExposureTime"));
    pub static kCGImagePropertyExifFNumber: StaticString =
        CfBox::new_static(CfString::from_static("FNumber"));
    pub static kCGImagePropertyExifISOSpeedRatings: StaticString =
        CfBox::new_static(CfString::from_static("ISOSpeedRatings"));
    pub static kCGImagePropertyExifDateTimeOriginal: StaticString =
        CfBox::new_static(CfString::from_static("DateTimeOriginal"));
    pub static kCGImagePropertyExifDateTimeDigitized: StaticString =
        CfBox::new_static(CfString::from_static("DateTimeDigitized"));
    pub static kCGImagePropertyExifFocalLength: StaticString =
        CfBox::new_static(CfString::from_static("FocalLength"));
    pub static kCGImagePropertyExifFlash: StaticString =
        CfBox::new_static(CfString::from_static("Flash"));
    pub static kCGImagePropertyExifLensModel: StaticString =
        CfBox::new_static(CfString::from_static("LensModel"));
    pub static kCGImagePropertyGIFLoopCount: StaticString =
        CfBox::new_static(CfString::from_static("LoopCount"));
    pub static kCGImagePropertyGIFDelayTime: StaticString =
        CfBox::new_static(CfString::from_static("DelayTime"));
    pub static kCGImagePropertyGIFUnclampedDelayTime: StaticString =
        CfBox::new_static(CfString::from_static("UnclampedDelayTime"));
    pub static kCGImagePropertyGIFHasGlobalColorMap: StaticString =
        CfBox::new_static(CfString::from_static("HasGlobalColorMap"));
    pub static kCGImagePropertyGIFCanvasPixelWidth: StaticString =
        CfBox::new_static(CfString::from_static("CanvasPixelWidth"));
    pub static kCGImagePropertyGIFCanvasPixelHeight: StaticString =
        CfBox::new_static(CfString::from_static("CanvasPixelHeight"));
    pub static kCGImageDestinationLossyCompressionQuality: StaticString = CfBox::new_static(
        CfString::from_static("kCGImageDestinationLossyCompressionQuality"),
    );
    pub static kCGImageDestinationBackgroundColor: StaticString =
        CfBox::new_static(CfString::from_static("kCGImageDestinationBackgroundColor"));
}

const fn key(s: &'static StaticString) -> CFStringRef {
    CFStringRef((s as *const StaticString).cast::<__CFString>())
}

// Option keys: the string equals the symbol's name (§A.2). Property keys: short strings (§A.4).
#[unsafe(no_mangle)]
pub static kCGImageSourceTypeIdentifierHint: CFStringRef =
    key(&objects::kCGImageSourceTypeIdentifierHint);
#[unsafe(no_mangle)]
pub static kCGImageSourceShouldCache: CFStringRef = key(&objects::kCGImageSourceShouldCache);
#[unsafe(no_mangle)]
pub static kCGImageSourceShouldCacheImmediately: CFStringRef =
    key(&objects::kCGImageSourceShouldCacheImmediately);
#[unsafe(no_mangle)]
pub static kCGImageSourceShouldAllowFloat: CFStringRef =
    key(&objects::kCGImageSourceShouldAllowFloat);
#[unsafe(no_mangle)]
pub static kCGImageSourceCreateThumbnailFromImageIfAbsent: CFStringRef =
    key(&objects::kCGImageSourceCreateThumbnailFromImageIfAbsent);
#[unsafe(no_mangle)]
pub static kCGImageSourceCreateThumbnailFromImageAlways: CFStringRef =
    key(&objects::kCGImageSourceCreateThumbnailFromImageAlways);
#[unsafe(no_mangle)]
pub static kCGImageSourceThumbnailMaxPixelSize: CFStringRef =
    key(&objects::kCGImageSourceThumbnailMaxPixelSize);
#[unsafe(no_mangle)]
pub static kCGImageSourceCreateThumbnailWithTransform: CFStringRef =
    key(&objects::kCGImageSourceCreateThumbnailWithTransform);
#[unsafe(no_mangle)]
pub static kCGImageSourceSubsampleFactor: CFStringRef =
    key(&objects::kCGImageSourceSubsampleFactor);
#[unsafe(no_mangle)]
pub static kCGImagePropertyFileSize: CFStringRef = key(&objects::kCGImagePropertyFileSize);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPixelWidth: CFStringRef = key(&objects::kCGImagePropertyPixelWidth);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPixelHeight: CFStringRef = key(&objects::kCGImagePropertyPixelHeight);
#[unsafe(no_mangle)]
pub static kCGImagePropertyDPIWidth: CFStringRef = key(&objects::kCGImagePropertyDPIWidth);
#[unsafe(no_mangle)]
pub static kCGImagePropertyDPIHeight: CFStringRef = key(&objects::kCGImagePropertyDPIHeight);
#[unsafe(no_mangle)]
pub static kCGImagePropertyDepth: CFStringRef = key(&objects::kCGImagePropertyDepth);
#[unsafe(no_mangle)]
pub static kCGImagePropertyOrientation: CFStringRef = key(&objects::kCGImagePropertyOrientation);
#[unsafe(no_mangle)]
pub static kCGImagePropertyIsFloat: CFStringRef = key(&objects::kCGImagePropertyIsFloat);
#[unsafe(no_mangle)]
pub static kCGImagePropertyIsIndexed: CFStringRef = key(&objects::kCGImagePropertyIsIndexed);
#[unsafe(no_mangle)]
pub static kCGImagePropertyHasAlpha: CFStringRef = key(&objects::kCGImagePropertyHasAlpha);
#[unsafe(no_mangle)]
pub static kCGImagePropertyColorModel: CFStringRef = key(&objects::kCGImagePropertyColorModel);
#[unsafe(no_mangle)]
pub static kCGImagePropertyProfileName: CFStringRef = key(&objects::kCGImagePropertyProfileName);
#[unsafe(no_mangle)]
pub static kCGImagePropertyColorModelRGB: CFStringRef =
    key(&objects::kCGImagePropertyColorModelRGB);
#[unsafe(no_mangle)]
pub static kCGImagePropertyColorModelGray: CFStringRef =
    key(&objects::kCGImagePropertyColorModelGray);
#[unsafe(no_mangle)]
pub static kCGImagePropertyColorModelCMYK: CFStringRef =
    key(&objects::kCGImagePropertyColorModelCMYK);
#[unsafe(no_mangle)]
pub static kCGImagePropertyColorModelLab: CFStringRef =
    key(&objects::kCGImagePropertyColorModelLab);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGDictionary: CFStringRef =
    key(&objects::kCGImagePropertyPNGDictionary);
#[unsafe(no_mangle)]
pub static kCGImagePropertyJFIFDictionary: CFStringRef =
    key(&objects::kCGImagePropertyJFIFDictionary);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifDictionary: CFStringRef =
    key(&objects::kCGImagePropertyExifDictionary);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFDictionary: CFStringRef =
    key(&objects::kCGImagePropertyTIFFDictionary);
#[unsafe(no_mangle)]
pub static kCGImagePropertyGIFDictionary: CFStringRef =
    key(&objects::kCGImagePropertyGIFDictionary);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGGamma: CFStringRef = key(&objects::kCGImagePropertyPNGGamma);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGChromaticities: CFStringRef =
    key(&objects::kCGImagePropertyPNGChromaticities);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGsRGBIntent: CFStringRef =
    key(&objects::kCGImagePropertyPNGsRGBIntent);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGInterlaceType: CFStringRef =
    key(&objects::kCGImagePropertyPNGInterlaceType);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGXPixelsPerMeter: CFStringRef =
    key(&objects::kCGImagePropertyPNGXPixelsPerMeter);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGYPixelsPerMeter: CFStringRef =
    key(&objects::kCGImagePropertyPNGYPixelsPerMeter);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGTitle: CFStringRef = key(&objects::kCGImagePropertyPNGTitle);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGAuthor: CFStringRef = key(&objects::kCGImagePropertyPNGAuthor);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGDescription: CFStringRef =
    key(&objects::kCGImagePropertyPNGDescription);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGCopyright: CFStringRef = key(&objects::kCGImagePropertyPNGCopyright);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGCreationTime: CFStringRef =
    key(&objects::kCGImagePropertyPNGCreationTime);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGSoftware: CFStringRef = key(&objects::kCGImagePropertyPNGSoftware);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGComment: CFStringRef = key(&objects::kCGImagePropertyPNGComment);
#[unsafe(no_mangle)]
pub static kCGImagePropertyPNGCompressionFilter: CFStringRef =
    key(&objects::kCGImagePropertyPNGCompressionFilter);
#[unsafe(no_mangle)]
pub static kCGImagePropertyJFIFVersion: CFStringRef = key(&objects::kCGImagePropertyJFIFVersion);
#[unsafe(no_mangle)]
pub static kCGImagePropertyJFIFXDensity: CFStringRef = key(&objects::kCGImagePropertyJFIFXDensity);
#[unsafe(no_mangle)]
pub static kCGImagePropertyJFIFYDensity: CFStringRef = key(&objects::kCGImagePropertyJFIFYDensity);
#[unsafe(no_mangle)]
pub static kCGImagePropertyJFIFDensityUnit: CFStringRef =
    key(&objects::kCGImagePropertyJFIFDensityUnit);
#[unsafe(no_mangle)]
pub static kCGImagePropertyJFIFIsProgressive: CFStringRef =
    key(&objects::kCGImagePropertyJFIFIsProgressive);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFOrientation: CFStringRef =
    key(&objects::kCGImagePropertyTIFFOrientation);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFXResolution: CFStringRef =
    key(&objects::kCGImagePropertyTIFFXResolution);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFYResolution: CFStringRef =
    key(&objects::kCGImagePropertyTIFFYResolution);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFResolutionUnit: CFStringRef =
    key(&objects::kCGImagePropertyTIFFResolutionUnit);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFMake: CFStringRef = key(&objects::kCGImagePropertyTIFFMake);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFModel: CFStringRef = key(&objects::kCGImagePropertyTIFFModel);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFSoftware: CFStringRef = key(&objects::kCGImagePropertyTIFFSoftware);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFDateTime: CFStringRef = key(&objects::kCGImagePropertyTIFFDateTime);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFImageDescription: CFStringRef =
    key(&objects::kCGImagePropertyTIFFImageDescription);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFArtist: CFStringRef = key(&objects::kCGImagePropertyTIFFArtist);
#[unsafe(no_mangle)]
pub static kCGImagePropertyTIFFCopyright: CFStringRef =
    key(&objects::kCGImagePropertyTIFFCopyright);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifPixelXDimension: CFStringRef =
    key(&objects::kCGImagePropertyExifPixelXDimension);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifPixelYDimension: CFStringRef =
    key(&objects::kCGImagePropertyExifPixelYDimension);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifColorSpace: CFStringRef =
    key(&objects::kCGImagePropertyExifColorSpace);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifExposureTime: CFStringRef =
    key(&objects::kCGImagePropertyExifExposureTime);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifFNumber: CFStringRef = key(&objects::kCGImagePropertyExifFNumber);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifISOSpeedRatings: CFStringRef =
    key(&objects::kCGImagePropertyExifISOSpeedRatings);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifDateTimeOriginal: CFStringRef =
    key(&objects::kCGImagePropertyExifDateTimeOriginal);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifDateTimeDigitized: CFStringRef =
    key(&objects::kCGImagePropertyExifDateTimeDigitized);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifFocalLength: CFStringRef =
    key(&objects::kCGImagePropertyExifFocalLength);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifFlash: CFStringRef = key(&objects::kCGImagePropertyExifFlash);
#[unsafe(no_mangle)]
pub static kCGImagePropertyExifLensModel: CFStringRef =
    key(&objects::kCGImagePropertyExifLensModel);
#[unsafe(no_mangle)]
pub static kCGImagePropertyGIFLoopCount: CFStringRef = key(&objects::kCGImagePropertyGIFLoopCount);
#[unsafe(no_mangle)]
pub static kCGImagePropertyGIFDelayTime: CFStringRef = key(&objects::kCGImagePropertyGIFDelayTime);
#[unsafe(no_mangle)]
pub static kCGImagePropertyGIFUnclampedDelayTime: CFStringRef =
    key(&objects::kCGImagePropertyGIFUnclampedDelayTime);
#[unsafe(no_mangle)]
pub static kCGImagePropertyGIFHasGlobalColorMap: CFStringRef =
    key(&objects::kCGImagePropertyGIFHasGlobalColorMap);
#[unsafe(no_mangle)]
pub static kCGImagePropertyGIFCanvasPixelWidth: CFStringRef =
    key(&objects::kCGImagePropertyGIFCanvasPixelWidth);
#[unsafe(no_mangle)]
pub static kCGImagePropertyGIFCanvasPixelHeight: CFStringRef =
    key(&objects::kCGImagePropertyGIFCanvasPixelHeight);
#[unsafe(no_mangle)]
pub static kCGImageDestinationLossyCompressionQuality: CFStringRef =
    key(&objects::kCGImageDestinationLossyCompressionQuality);
#[unsafe(no_mangle)]
pub static kCGImageDestinationBackgroundColor: CFStringRef =
    key(&objects::kCGImageDestinationBackgroundColor);

/// The source behind a C pointer, if it is one.
///
/// # Safety
/// `isrc` is NULL or an object pointer the caller holds a reference to for `'a`.
pub(crate) unsafe fn source<'a>(isrc: CGImageSourceRef) -> Option<&'a ImageSource> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<ImageSource>::borrow(isrc.cast_const().cast()) }
}

/// The entries of an options / properties dictionary (empty for NULL or a non-dictionary).
///
/// # Safety
/// `d` is NULL or an object pointer the caller holds a reference to.
pub(crate) unsafe fn props(d: CFDictionaryRef) -> Props {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<Dictionary>::borrow(d.cast()) }.map_or_else(Props::new, cfconv::from_dictionary)
}

fn dictionary_out(p: Option<Props>) -> CFDictionaryRef {
    p.map_or(std::ptr::null(), |p| {
        cfconv::to_dictionary(&p).into_raw().cast_const().cast()
    })
}

fn source_out(s: Cf<ImageSource>) -> CGImageSourceRef {
    s.into_raw().cast()
}

/// A new array (+1) of the type identifiers `kinds` name.
pub(crate) fn uti_array() -> CFArrayRef {
    let items = Kind::ALL
        .iter()
        .map(|k| AnyCf::new(CfString::new(k.uti())))
        .collect();
    Array::from_vec(items).into_raw().cast_const().cast()
}

#[unsafe(no_mangle)]
pub extern "C" fn CGImageSourceGetTypeID() -> CFTypeID {
    type_ids::IMAGE_SOURCE
}

/// The readable type identifiers: "public.png", "public.jpeg", "com.compuserve.gif".
#[unsafe(no_mangle)]
pub extern "C" fn CGImageSourceCopyTypeIdentifiers() -> CFArrayRef {
    guard_value(std::ptr::null(), uti_array)
}

/// A source over `data` (an immutable snapshot of mutable data); NULL for NULL data. Any
/// bytes give a source: junk has count 0 and status `kCGImageStatusUnknownType`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceCreateWithData(
    data: CFDataRef,
    options: CFDictionaryRef,
) -> CGImageSourceRef {
    let _ = options; // the type hint never overrides sniffing; nothing else applies here
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to data (or passes NULL).
        let Some(data) = (unsafe { Cf::<Data>::retain_raw(data.cast()) }) else {
            return std::ptr::null_mut();
        };
        source_out(ImageSource::new(Bytes::Data(Data::frozen(&data))))
    })
}

/// A source over the bytes of `provider` (shared, not copied); NULL for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceCreateWithDataProvider(
    provider: CGDataProviderRef,
    options: CFDictionaryRef,
) -> CGImageSourceRef {
    let _ = options;
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to provider (or passes NULL).
        let Some(p) = (unsafe { Cf::<DataProvider>::retain_raw(provider.cast()) }) else {
            return std::ptr::null_mut();
        };
        source_out(ImageSource::new(Bytes::Provider(p)))
    })
}

/// A source over the file a `file://` URL names (read now); NULL when it cannot be read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceCreateWithURL(
    url: CFURLRef,
    options: CFDictionaryRef,
) -> CGImageSourceRef {
    let _ = options;
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to url (or passes NULL).
        let Some(path) = (unsafe { Cf::<Url>::borrow(url.cast()) }).and_then(Url::path) else {
            return std::ptr::null_mut();
        };
        match std::fs::read(path) {
            Ok(bytes) => source_out(ImageSource::new(Bytes::Owned(bytes.into()))),
            Err(_) => std::ptr::null_mut(),
        }
    })
}

/// An empty incremental source; feed it with `CGImageSourceUpdateData`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceCreateIncremental(
    options: CFDictionaryRef,
) -> CGImageSourceRef {
    let _ = options;
    guard_value(std::ptr::null_mut(), || {
        source_out(ImageSource::incremental())
    })
}

/// Gives an incremental source all the bytes so far; `final` when no more will come.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceUpdateData(
    isrc: CGImageSourceRef,
    data: CFDataRef,
    r#final: bool,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        let s = unsafe { source(isrc) };
        // SAFETY: the caller holds a reference to data (or passes NULL).
        let d = unsafe { Cf::<Data>::retain_raw(data.cast()) };
        let (Some(s), Some(d)) = (s, d) else {
            return;
        };
        s.update(Bytes::Data(Data::frozen(&d)), r#final);
    })
}

/// As `CGImageSourceUpdateData`, with the bytes of a provider.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceUpdateDataProvider(
    isrc: CGImageSourceRef,
    provider: CGDataProviderRef,
    r#final: bool,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        let s = unsafe { source(isrc) };
        // SAFETY: the caller holds a reference to provider (or passes NULL).
        let p = unsafe { Cf::<DataProvider>::retain_raw(provider.cast()) };
        let (Some(s), Some(p)) = (s, p) else {
            return;
        };
        s.update(Bytes::Provider(p), r#final);
    })
}

/// The container's type identifier (+0, never freed), or NULL when unrecognised.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceGetType(isrc: CGImageSourceRef) -> CFStringRef {
    guard_value(CFStringRef(std::ptr::null()), || {
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        let kind = unsafe { source(isrc) }.and_then(ImageSource::kind);
        CFStringRef(kind.map_or(std::ptr::null(), |k| {
            (constant_string(k.uti()) as *const StaticString).cast()
        }))
    })
}

/// Images in the file (GIF frames); 0 for junk or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceGetCount(isrc: CGImageSourceRef) -> usize {
    // SAFETY: the caller holds a reference to isrc (or passes NULL).
    guard_value(0, || unsafe { source(isrc) }.map_or(0, ImageSource::count))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceGetStatus(isrc: CGImageSourceRef) -> CGImageSourceStatus {
    guard_value(kCGImageStatusUnknownType, || {
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        unsafe { source(isrc) }.map_or(kCGImageStatusUnknownType, |s| s.status() as i32)
    })
}

/// The status of one image; `kCGImageStatusInvalidData` for an index past the count of a
/// recognised file.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceGetStatusAtIndex(
    isrc: CGImageSourceRef,
    index: usize,
) -> CGImageSourceStatus {
    guard_value(kCGImageStatusUnknownType, || {
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        unsafe { source(isrc) }.map_or(kCGImageStatusUnknownType, |s| s.status_at(index) as i32)
    })
}

/// 0: only HEIF files name another primary image.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceGetPrimaryImageIndex(isrc: CGImageSourceRef) -> usize {
    let _ = isrc;
    0
}

/// Nothing is cached between calls (every image owns its pixels), so there is nothing to drop.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceRemoveCacheAtIndex(isrc: CGImageSourceRef, index: usize) {
    let _ = (isrc, index);
}

/// The container's properties (+1): FileSize and the `{GIF}` loop count; NULL for junk.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceCopyProperties(
    isrc: CGImageSourceRef,
    options: CFDictionaryRef,
) -> CFDictionaryRef {
    let _ = options;
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        dictionary_out(unsafe { source(isrc) }.and_then(ImageSource::properties))
    })
}

/// One image's properties (+1, from the headers: no pixels are decoded); NULL for a bad index.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceCopyPropertiesAtIndex(
    isrc: CGImageSourceRef,
    index: usize,
    options: CFDictionaryRef,
) -> CFDictionaryRef {
    let _ = options;
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        dictionary_out(unsafe { source(isrc) }.and_then(|s| s.properties_at(index)))
    })
}

/// The image as stored (+1; EXIF orientation is never applied); NULL for a bad index, a
/// damaged, truncated or too large image.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceCreateImageAtIndex(
    isrc: CGImageSourceRef,
    index: usize,
    options: CFDictionaryRef,
) -> CGImageRef {
    let _ = options;
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        unsafe { source(isrc) }
            .and_then(|s| s.create_image(index))
            .map_or(std::ptr::null_mut(), |i| i.into_raw().cast())
    })
}

/// A thumbnail (+1) by the rules of apple-imageio-context.md §A.3.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageSourceCreateThumbnailAtIndex(
    isrc: CGImageSourceRef,
    index: usize,
    options: CFDictionaryRef,
) -> CGImageRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds references to isrc and options (or passes NULL).
        let (s, o) = unsafe { (source(isrc), props(options)) };
        s.and_then(|s| s.create_thumbnail(index, &SourceOptions::from_props(&o)))
            .map_or(std::ptr::null_mut(), |i| i.into_raw().cast())
    })
}
