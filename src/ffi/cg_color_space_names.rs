//! The `kCGColorSpace*` name constants: exported data symbols of type `CFStringRef`.
//! Each is a never-freed CFString whose text is the symbol's own name, as on Apple platforms.

use crate::cf::string::StaticString;
use crate::cg::color_space::names;
use crate::types::{__CFString, CFStringRef};

const fn name(s: &'static StaticString) -> CFStringRef {
    CFStringRef((s as *const StaticString).cast::<__CFString>())
}

#[unsafe(no_mangle)]
pub static kCGColorSpaceSRGB: CFStringRef = name(&names::kCGColorSpaceSRGB);
#[unsafe(no_mangle)]
pub static kCGColorSpaceLinearSRGB: CFStringRef = name(&names::kCGColorSpaceLinearSRGB);
#[unsafe(no_mangle)]
pub static kCGColorSpaceExtendedSRGB: CFStringRef = name(&names::kCGColorSpaceExtendedSRGB);
#[unsafe(no_mangle)]
pub static kCGColorSpaceExtendedLinearSRGB: CFStringRef =
    name(&names::kCGColorSpaceExtendedLinearSRGB);
#[unsafe(no_mangle)]
pub static kCGColorSpaceDisplayP3: CFStringRef = name(&names::kCGColorSpaceDisplayP3);
#[unsafe(no_mangle)]
pub static kCGColorSpaceLinearDisplayP3: CFStringRef = name(&names::kCGColorSpaceLinearDisplayP3);
#[unsafe(no_mangle)]
pub static kCGColorSpaceExtendedDisplayP3: CFStringRef =
    name(&names::kCGColorSpaceExtendedDisplayP3);
#[unsafe(no_mangle)]
pub static kCGColorSpaceExtendedLinearDisplayP3: CFStringRef =
    name(&names::kCGColorSpaceExtendedLinearDisplayP3);
#[unsafe(no_mangle)]
pub static kCGColorSpaceGenericRGB: CFStringRef = name(&names::kCGColorSpaceGenericRGB);
#[unsafe(no_mangle)]
pub static kCGColorSpaceGenericRGBLinear: CFStringRef = name(&names::kCGColorSpaceGenericRGBLinear);
#[unsafe(no_mangle)]
pub static kCGColorSpaceAdobeRGB1998: CFStringRef = name(&names::kCGColorSpaceAdobeRGB1998);
#[unsafe(no_mangle)]
pub static kCGColorSpaceACESCGLinear: CFStringRef = name(&names::kCGColorSpaceACESCGLinear);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_709: CFStringRef = name(&names::kCGColorSpaceITUR_709);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_2020: CFStringRef = name(&names::kCGColorSpaceITUR_2020);
#[unsafe(no_mangle)]
pub static kCGColorSpaceROMMRGB: CFStringRef = name(&names::kCGColorSpaceROMMRGB);
#[unsafe(no_mangle)]
pub static kCGColorSpaceDCIP3: CFStringRef = name(&names::kCGColorSpaceDCIP3);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_709_PQ: CFStringRef = name(&names::kCGColorSpaceITUR_709_PQ);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_709_HLG: CFStringRef = name(&names::kCGColorSpaceITUR_709_HLG);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_2020_sRGBGamma: CFStringRef =
    name(&names::kCGColorSpaceITUR_2020_sRGBGamma);
#[unsafe(no_mangle)]
pub static kCGColorSpaceLinearITUR_2020: CFStringRef = name(&names::kCGColorSpaceLinearITUR_2020);
#[unsafe(no_mangle)]
pub static kCGColorSpaceExtendedITUR_2020: CFStringRef =
    name(&names::kCGColorSpaceExtendedITUR_2020);
#[unsafe(no_mangle)]
pub static kCGColorSpaceExtendedLinearITUR_2020: CFStringRef =
    name(&names::kCGColorSpaceExtendedLinearITUR_2020);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_2100_PQ: CFStringRef = name(&names::kCGColorSpaceITUR_2100_PQ);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_2100_HLG: CFStringRef = name(&names::kCGColorSpaceITUR_2100_HLG);
#[unsafe(no_mangle)]
pub static kCGColorSpaceDisplayP3_PQ: CFStringRef = name(&names::kCGColorSpaceDisplayP3_PQ);
#[unsafe(no_mangle)]
pub static kCGColorSpaceDisplayP3_HLG: CFStringRef = name(&names::kCGColorSpaceDisplayP3_HLG);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_2020_PQ: CFStringRef = name(&names::kCGColorSpaceITUR_2020_PQ);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_2020_HLG: CFStringRef = name(&names::kCGColorSpaceITUR_2020_HLG);
#[unsafe(no_mangle)]
pub static kCGColorSpaceDisplayP3_PQ_EOTF: CFStringRef =
    name(&names::kCGColorSpaceDisplayP3_PQ_EOTF);
#[unsafe(no_mangle)]
pub static kCGColorSpaceITUR_2020_PQ_EOTF: CFStringRef =
    name(&names::kCGColorSpaceITUR_2020_PQ_EOTF);
#[unsafe(no_mangle)]
pub static kCGColorSpaceGenericGrayGamma2_2: CFStringRef =
    name(&names::kCGColorSpaceGenericGrayGamma2_2);
#[unsafe(no_mangle)]
pub static kCGColorSpaceLinearGray: CFStringRef = name(&names::kCGColorSpaceLinearGray);
#[unsafe(no_mangle)]
pub static kCGColorSpaceExtendedGray: CFStringRef = name(&names::kCGColorSpaceExtendedGray);
#[unsafe(no_mangle)]
pub static kCGColorSpaceExtendedLinearGray: CFStringRef =
    name(&names::kCGColorSpaceExtendedLinearGray);
#[unsafe(no_mangle)]
pub static kCGColorSpaceGenericGray: CFStringRef = name(&names::kCGColorSpaceGenericGray);
#[unsafe(no_mangle)]
pub static kCGColorSpaceGenericCMYK: CFStringRef = name(&names::kCGColorSpaceGenericCMYK);
#[unsafe(no_mangle)]
pub static kCGColorSpaceGenericXYZ: CFStringRef = name(&names::kCGColorSpaceGenericXYZ);
#[unsafe(no_mangle)]
pub static kCGColorSpaceGenericLab: CFStringRef = name(&names::kCGColorSpaceGenericLab);
