//! CGColorSpace.h.

use crate::cf::Cf;
use crate::cf::string::CfString;
use crate::cg::color_space::{ColorSpace, Known};
use crate::format::ColorModel;
use crate::types::*;

use super::guard_value;

/// # Safety
/// `space` is NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn space_ref<'a>(space: CGColorSpaceRef) -> Option<&'a ColorSpace> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<ColorSpace>::borrow(space.cast()) }
}

#[unsafe(no_mangle)]
pub extern "C" fn CGColorSpaceCreateDeviceGray() -> CGColorSpaceRef {
    ColorSpace::create(Known::DeviceGray).into_raw().cast()
}

#[unsafe(no_mangle)]
pub extern "C" fn CGColorSpaceCreateDeviceRGB() -> CGColorSpaceRef {
    ColorSpace::create(Known::DeviceRgb).into_raw().cast()
}

#[unsafe(no_mangle)]
pub extern "C" fn CGColorSpaceCreateDeviceCMYK() -> CGColorSpaceRef {
    ColorSpace::create(Known::DeviceCmyk).into_raw().cast()
}

/// NULL for a NULL name, a name this library does not know, or a model it cannot hold (XYZ, Lab).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceCreateWithName(name: CFStringRef) -> CGColorSpaceRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to the name (or passes NULL).
        let Some(name) = (unsafe { Cf::<CfString>::borrow(name.0.cast()) }) else {
            return std::ptr::null_mut();
        };
        ColorSpace::with_name(name.as_str()).map_or(std::ptr::null_mut(), |s| s.into_raw().cast())
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

/// The name string (+0): the exported constant for named spaces, "kCGColorSpaceDeviceRGB" and
/// the like for device spaces.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetName(space: CGColorSpaceRef) -> CFStringRef {
    // SAFETY: NULL or foreign gives NULL; else the caller holds a reference.
    let name = unsafe { space_ref(space) }
        .map_or(std::ptr::null(), |s| s.info().name.as_ptr().cast_const());
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

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetNumberOfComponents(space: CGColorSpaceRef) -> usize {
    // SAFETY: NULL or foreign gives 0; else the caller holds a reference.
    unsafe { space_ref(space) }.map_or(0, |s| s.model().components() as usize)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGColorSpaceGetModel(space: CGColorSpaceRef) -> CGColorSpaceModel {
    // SAFETY: NULL or foreign gives Unknown; else the caller holds a reference.
    unsafe { space_ref(space) }.map_or(kCGColorSpaceModelUnknown, |s| match s.model() {
        ColorModel::Gray => kCGColorSpaceModelMonochrome,
        ColorModel::Rgb => kCGColorSpaceModelRGB,
        ColorModel::Cmyk => kCGColorSpaceModelCMYK,
        ColorModel::Lab => kCGColorSpaceModelLab,
        ColorModel::Xyz => kCGColorSpaceModelXYZ,
    })
}

/// Only indexed and pattern spaces have a base; none of the spaces here do.
#[unsafe(no_mangle)]
pub extern "C" fn CGColorSpaceGetBaseColorSpace(space: CGColorSpaceRef) -> CGColorSpaceRef {
    let _ = space;
    std::ptr::null_mut()
}
