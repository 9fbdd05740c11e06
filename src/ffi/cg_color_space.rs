//! CGColorSpace.h.

use crate::cf::string::CfString;
use crate::cf::{Cf, Data};
use crate::cg::DataProvider;
use crate::cg::color_space::{ColorSpace, Known};
use crate::color::def::{Curve, Def};
use crate::types::*;

use super::guard_value;

/// # Safety
/// `space` is NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn space_ref<'a>(space: CGColorSpaceRef) -> Option<&'a ColorSpace> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<ColorSpace>::borrow(space.cast()) }
}

fn out(space: Option<Cf<ColorSpace>>) -> CGColorSpaceRef {
    space.map_or(std::ptr::null_mut(), |s| s.into_raw().cast())
}

/// Reads `N` CGFloats from a nullable pointer (`None` for NULL).
///
/// # Safety
/// `p` is NULL or valid for `N` reads.
unsafe fn read_floats<const N: usize>(p: *const CGFloat) -> Option<[f64; N]> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-null and readable for N values by the caller's contract.
    Some(unsafe { p.cast::<[f64; N]>().read_unaligned() })
}

/// The shared device gray space (gray gamma 2.2), never freed.
#[unsafe(no_mangle)]
pub extern "C" fn CGColorSpaceCreateDeviceGray() -> CGColorSpaceRef {
    ColorSpace::create(Known::DeviceGray).into_raw().cast()
}

/// The shared device RGB space (sRGB), never freed.
#[unsafe(no_mangle)]
pub extern "C" fn CGColorSpaceCreateDeviceRGB() -> CGColorSpaceRef {
    ColorSpace::create(Known::DeviceRgb).into_raw().cast()
}

/// The shared device CMYK space (Generic CMYK), never freed.
#[unsafe(no_mangle)]
pub extern "C" fn CGColorSpaceCreateDeviceCMYK() -> CGColorSpaceRef {
    ColorSpace::create(Known::DeviceCmyk).into_raw().cast()
}

/// The shared space of a system name; NULL for NULL, a device name or a name not known here.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateWithName(name: CFStringRef) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to the name (or passes NULL).
        let Some(name) = (unsafe { Cf::<CfString>::borrow(name.0.cast()) }) else {
            return std::ptr::null_mut();
        };
        out(ColorSpace::with_name(name.as_str()))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceRetain(space: CGColorSpaceRef) -> CGColorSpaceRef {
    // SAFETY: NULL-safe; otherwise the caller holds a reference.
    unsafe { super::retain_object(space.cast()) };
    space
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceRelease(space: CGColorSpaceRef) {
    // SAFETY: NULL-safe; otherwise the caller gives up a reference it holds.
    unsafe { super::release_object(space.cast()) }
}

/// The name string (+0): the exported constant for named spaces and ICC spaces whose profile
/// matches one, "kCGColorSpaceDeviceRGB" and the like for device spaces, NULL otherwise.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetName(space: CGColorSpaceRef) -> CFStringRef {
    // SAFETY: NULL or foreign gives NULL; else the caller holds a reference.
    let name = unsafe { space_ref(space) }
        .and_then(|s| s.name_object())
        .map_or(std::ptr::null(), |n| n.as_ptr().cast_const());
    CFStringRef(name.cast())
}

/// As `CGColorSpaceGetName`, +1 (the names are never freed, so the extra reference is free).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCopyName(space: CGColorSpaceRef) -> CFStringRef {
    // SAFETY: as for CGColorSpaceGetName.
    let name = unsafe { CGColorSpaceGetName(space) };
    // SAFETY: the name is NULL or a static string object.
    unsafe { super::retain_object(name.0.cast()) };
    name
}

#[unsafe(no_mangle)]
pub extern "C" fn CGColorSpaceGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::COLOR_SPACE
}

/// 1 for indexed spaces; a pattern space's base's count (0 without a base).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetNumberOfComponents(space: CGColorSpaceRef) -> usize {
    // SAFETY: NULL or foreign gives 0; else the caller holds a reference.
    unsafe { space_ref(space) }.map_or(0, ColorSpace::components)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetModel(space: CGColorSpaceRef) -> CGColorSpaceModel {
    // SAFETY: NULL or foreign gives Unknown; else the caller holds a reference.
    unsafe { space_ref(space) }.map_or(kCGColorSpaceModelUnknown, ColorSpace::cg_model)
}

/// The base (+0) of an indexed or pattern space; NULL for every other space.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetBaseColorSpace(space: CGColorSpaceRef) -> CGColorSpaceRef {
    // SAFETY: NULL or foreign gives NULL; else the caller holds a reference.
    unsafe { space_ref(space) }
        .and_then(ColorSpace::base)
        .map_or(std::ptr::null_mut(), |b| b.as_ptr().cast())
}

// ---- ICC ---------------------------------------------------------------------------------------

/// The bytes of a CFData or a CGDataProvider (told apart by their type ids).
///
/// # Safety
/// `object` is NULL or an object pointer the caller holds a reference to.
unsafe fn icc_bytes<'a>(object: CFTypeRef) -> Option<&'a [u8]> {
    // SAFETY: forwarded caller contract; the type id check picks the right type.
    if let Some(data) = unsafe { Cf::<Data>::borrow(object) } {
        return Some(data.bytes());
    }
    // SAFETY: as above.
    unsafe { Cf::<DataProvider>::borrow(object) }.map(DataProvider::bytes)
}

/// A space from ICC profile bytes in a CFData or a CGDataProvider; NULL for NULL, another
/// object, or a damaged / unsupported profile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateWithICCData(data: CFTypeRef) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to data (or passes NULL).
        let Some(bytes) = (unsafe { icc_bytes(data) }) else {
            return std::ptr::null_mut();
        };
        out(ColorSpace::from_icc(bytes))
    })
}

/// As `CGColorSpaceCreateWithICCData`, CFData only.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateWithICCProfile(data: CFDataRef) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to data (or passes NULL).
        let Some(data) = (unsafe { Cf::<Data>::borrow(data.cast()) }) else {
            return std::ptr::null_mut();
        };
        out(ColorSpace::from_icc(data.bytes()))
    })
}

/// A space from an ICC profile in a data provider. `nComponents` must be 1, 3 or 4 and equal
/// the profile's; `range` (2n values, min < max each) must be [0, 1] per component when given
/// (other decode ranges are not supported: NULL). An unusable profile gives `alternate`
/// (retained) when it has n components, else NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateICCBased(
    nComponents: usize,
    range: *const CGFloat,
    profile: CGDataProviderRef,
    alternate: CGColorSpaceRef,
) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        if !matches!(nComponents, 1 | 3 | 4) {
            return std::ptr::null_mut();
        }
        if !range.is_null() {
            // SAFETY: the caller supplies 2n values.
            let r = unsafe { std::slice::from_raw_parts(range, 2 * nComponents) };
            if r.chunks(2).any(|p| p[0] != 0.0 || p[1] != 1.0) {
                return std::ptr::null_mut();
            }
        }
        // SAFETY: the caller holds references to both (or passes NULL).
        let (provider, alternate) = unsafe {
            (
                Cf::<DataProvider>::borrow(profile.cast()),
                Cf::<ColorSpace>::retain_raw(alternate.cast()),
            )
        };
        let space = provider
            .and_then(|p| ColorSpace::from_icc(p.bytes()))
            .filter(|s| s.components() == nComponents);
        out(space.or_else(|| alternate.filter(|a| a.components() == nComponents)))
    })
}

/// The ICC profile (+1 CFData): the original bytes of an ICC-based space, a profile written
/// from the definition of named, device and calibrated spaces; NULL for indexed and pattern
/// spaces.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCopyICCData(space: CGColorSpaceRef) -> CFDataRef {
    guard_value(std::ptr::null(), || {
        // SAFETY: NULL or foreign gives NULL; else the caller holds a reference.
        let Some(space) = (unsafe { space_ref(space) }) else {
            return std::ptr::null();
        };
        space
            .icc_data()
            .and_then(|b| Data::copy_from(&b))
            .map_or(std::ptr::null(), |d| d.into_raw().cast_const().cast())
    })
}

/// As `CGColorSpaceCopyICCData`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCopyICCProfile(space: CGColorSpaceRef) -> CFDataRef {
    // SAFETY: forwarded caller contract.
    unsafe { CGColorSpaceCopyICCData(space) }
}

// ---- calibrated, Lab, indexed, pattern ---------------------------------------------------------

/// PDF CalGray: white (required, Y = 1), black (NULL = 0), gamma > 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateCalibratedGray(
    whitePoint: *const CGFloat,
    blackPoint: *const CGFloat,
    gamma: CGFloat,
) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: each is NULL or three readable values.
        let (white, black) = unsafe { (read_floats(whitePoint), read_floats(blackPoint)) };
        let Some(white) = white else {
            return std::ptr::null_mut();
        };
        out(ColorSpace::calibrated_gray(
            white,
            black.unwrap_or([0.0; 3]),
            gamma,
        ))
    })
}

/// PDF CalRGB: white (required), black (NULL = 0), gamma (NULL = 1), matrix in PDF order
/// [XA YA ZA XB YB ZB XC YC ZC] (NULL = identity).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateCalibratedRGB(
    whitePoint: *const CGFloat,
    blackPoint: *const CGFloat,
    gamma: *const CGFloat,
    matrix: *const CGFloat,
) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: each is NULL or its documented count of readable values.
        let (white, black, g, m) = unsafe {
            (
                read_floats::<3>(whitePoint),
                read_floats::<3>(blackPoint),
                read_floats::<3>(gamma),
                read_floats::<9>(matrix),
            )
        };
        let Some(white) = white else {
            return std::ptr::null_mut();
        };
        out(ColorSpace::calibrated_rgb(
            white,
            black.unwrap_or([0.0; 3]),
            g.unwrap_or([1.0; 3]),
            m.unwrap_or([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]),
        ))
    })
}

/// L*a*b*: white required, black NULL = 0, range [amin amax bmin bmax] NULL = ±100.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateLab(
    whitePoint: *const CGFloat,
    blackPoint: *const CGFloat,
    range: *const CGFloat,
) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: each is NULL or its documented count of readable values.
        let (white, black, range) = unsafe {
            (
                read_floats::<3>(whitePoint),
                read_floats::<3>(blackPoint),
                read_floats::<4>(range),
            )
        };
        let Some(white) = white else {
            return std::ptr::null_mut();
        };
        out(ColorSpace::lab(white, black.unwrap_or([0.0; 3]), range))
    })
}

/// An indexed space over `baseSpace` with `lastIndex + 1` entries copied from `colorTable`;
/// NULL for a NULL / indexed / pattern base, `lastIndex` > 255 or a NULL table.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateIndexed(
    baseSpace: CGColorSpaceRef,
    lastIndex: usize,
    colorTable: *const u8,
) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to the base (or passes NULL).
        let Some(base) = (unsafe { Cf::<ColorSpace>::retain_raw(baseSpace.cast()) }) else {
            return std::ptr::null_mut();
        };
        if colorTable.is_null() || lastIndex > 255 || base.components() == 0 {
            return std::ptr::null_mut();
        }
        let len = (lastIndex + 1) * base.components();
        // SAFETY: the caller supplies (lastIndex + 1) * components bytes.
        let table = unsafe { std::slice::from_raw_parts(colorTable, len) };
        out(ColorSpace::indexed(&base, lastIndex, table))
    })
}

/// A pattern space; `baseSpace` NULL for coloured patterns. NULL for an indexed / pattern base
/// or a pointer that is not a colour space.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreatePattern(baseSpace: CGColorSpaceRef) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to the base (or passes NULL).
        let base = unsafe { Cf::<ColorSpace>::retain_raw(baseSpace.cast()) };
        if base.is_none() && !baseSpace.is_null() {
            return std::ptr::null_mut();
        }
        out(ColorSpace::pattern(base.as_ref()))
    })
}

/// Entries in an indexed space's table; 0 for other spaces.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetColorTableCount(space: CGColorSpaceRef) -> usize {
    // SAFETY: NULL or foreign gives 0; else the caller holds a reference.
    unsafe { space_ref(space) }
        .and_then(ColorSpace::indexed_base)
        .map_or(0, |(base, table)| table.len() / base.components().max(1))
}

/// Copies an indexed space's table into `table` (count x components bytes); does nothing for
/// other spaces or a NULL table.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetColorTable(space: CGColorSpaceRef, table: *mut u8) {
    guard_value((), || {
        // SAFETY: NULL or foreign does nothing; else the caller holds a reference.
        let Some((_, entries)) = (unsafe { space_ref(space) }).and_then(ColorSpace::indexed_base)
        else {
            return;
        };
        if table.is_null() {
            return;
        }
        // SAFETY: the caller supplies room for the whole table; the source is our own copy.
        unsafe { std::ptr::copy_nonoverlapping(entries.as_ptr(), table, entries.len()) }
    })
}

// ---- queries -----------------------------------------------------------------------------------

/// More than 85% of NTSC 1953's xy gamut area (RGB matrix spaces only).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceIsWideGamutRGB(space: CGColorSpaceRef) -> bool {
    guard_value(false, || {
        // SAFETY: NULL or foreign gives false; else the caller holds a reference.
        unsafe { space_ref(space) }.is_some_and(ColorSpace::is_wide_gamut_rgb)
    })
}

/// False for indexed, pattern and Lab spaces.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceSupportsOutput(space: CGColorSpaceRef) -> bool {
    // SAFETY: NULL or foreign gives false; else the caller holds a reference.
    unsafe { space_ref(space) }.is_some_and(ColorSpace::supports_output)
}

/// True for the `Extended…` names and `CreateExtended*` results.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceUsesExtendedRange(space: CGColorSpaceRef) -> bool {
    // SAFETY: NULL or foreign gives false; else the caller holds a reference.
    unsafe { space_ref(space) }.is_some_and(ColorSpace::uses_extended_range)
}

fn all_curves(space: &ColorSpace, test: impl Fn(&Curve) -> bool) -> bool {
    match space.def() {
        Def::Rgb(r) => r.curves.iter().all(test),
        Def::Gray(g) => test(&g.curve),
        _ => false,
    }
}

/// True for PQ- or HLG-based spaces (the ITU-R BT.2100 transfer functions).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceUsesITUR_2100TF(space: CGColorSpaceRef) -> bool {
    guard_value(false, || {
        // SAFETY: NULL or foreign gives false; else the caller holds a reference.
        unsafe { space_ref(space) }
            .is_some_and(|s| all_curves(s, |c| matches!(c, Curve::Pq | Curve::Hlg)))
    })
}

/// True for spaces with the PQ (SMPTE ST 2084) transfer function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceIsPQBased(s: CGColorSpaceRef) -> bool {
    guard_value(false, || {
        // SAFETY: NULL or foreign gives false; else the caller holds a reference.
        unsafe { space_ref(s) }.is_some_and(|s| all_curves(s, |c| matches!(c, Curve::Pq)))
    })
}

/// True for spaces with the HLG (ARIB STD-B67) transfer function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceIsHLGBased(s: CGColorSpaceRef) -> bool {
    guard_value(false, || {
        // SAFETY: NULL or foreign gives false; else the caller holds a reference.
        unsafe { space_ref(s) }.is_some_and(|s| all_curves(s, |c| matches!(c, Curve::Hlg)))
    })
}

// ---- derived spaces ------------------------------------------------------------------------------

/// # Safety
/// `space` is NULL or an object pointer the caller holds a reference to.
unsafe fn derive(space: CGColorSpaceRef, linear: bool, extended: Option<bool>) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: forwarded caller contract.
        let Some(space) = (unsafe { space_ref(space) }) else {
            return std::ptr::null_mut();
        };
        out(space.derived(linear, extended))
    })
}

/// The space with linear curves (a named space when one has that colorimetry); NULL for
/// non-matrix spaces (LUT profiles, CMYK, Lab, XYZ, indexed, pattern).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateLinearized(space: CGColorSpaceRef) -> CGColorSpaceRef {
    // SAFETY: forwarded caller contract.
    unsafe { derive(space, true, None) }
}

/// The space with an unclamped (mirrored-curve) range; NULL for non-matrix spaces.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateExtended(space: CGColorSpaceRef) -> CGColorSpaceRef {
    // SAFETY: forwarded caller contract.
    unsafe { derive(space, false, Some(true)) }
}

/// Linear and extended; NULL for non-matrix spaces.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateExtendedLinearized(
    space: CGColorSpaceRef,
) -> CGColorSpaceRef {
    // SAFETY: forwarded caller contract.
    unsafe { derive(space, true, Some(true)) }
}

/// The space with the standard [0, 1] range (undoes `CreateExtended`); NULL for non-matrix
/// spaces.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateCopyWithStandardRange(
    s: CGColorSpaceRef,
) -> CGColorSpaceRef {
    // SAFETY: forwarded caller contract.
    unsafe { derive(s, false, Some(false)) }
}
