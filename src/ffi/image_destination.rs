//! CGImageDestination.h.
//!
//! Needs the CoreFoundation containers (feature `cf`). Where Apple crashes or asserts (a NULL
//! or foreign destination), these calls do nothing and return NULL / false.

#![cfg(feature = "cf")]

use crate::cf::object::{Cf, type_ids};
use crate::cf::string::CfString;
use crate::cf::{Data, url::Url};
use crate::cg::image::Image;
use crate::io::codec::Kind;
use crate::io::consumer::DataConsumer;
use crate::io::destination::{ImageDestination, Target};
use crate::types::*;

use super::cf_array::CFArrayRef;
use super::cf_data::CFMutableDataRef;
use super::cf_dictionary::CFDictionaryRef;
use super::cf_url::CFURLRef;
use super::cg_data_consumer::CGDataConsumerRef;
use super::guard_value;
use super::image_source::{CGImageSourceRef, props, source};

/// Opaque object behind `CGImageDestinationRef`.
pub struct CGImageDestination {
    _opaque: (),
}
pub type CGImageDestinationRef = *mut CGImageDestination;

/// # Safety
/// `idst` is NULL or an object pointer the caller holds a reference to for `'a`.
unsafe fn destination<'a>(idst: CGImageDestinationRef) -> Option<&'a ImageDestination> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<ImageDestination>::borrow(idst.cast_const().cast()) }
}

/// The writable kind a UTI string names.
///
/// # Safety
/// `ty` is NULL or a string the caller holds a reference to.
unsafe fn kind_of(ty: CFStringRef) -> Option<Kind> {
    // SAFETY: forwarded caller contract.
    let s = unsafe { Cf::<CfString>::borrow(ty.0.cast()) }?;
    Kind::from_uti(s.as_str())
}

fn create(kind: Option<Kind>, count: usize, target: Option<Target>) -> CGImageDestinationRef {
    match (kind, target) {
        (Some(k), Some(t)) if count > 0 => ImageDestination::new(k, count, t).into_raw().cast(),
        _ => std::ptr::null_mut(),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn CGImageDestinationGetTypeID() -> CFTypeID {
    type_ids::IMAGE_DESTINATION
}

/// The writable type identifiers: "public.png", "public.jpeg", "com.compuserve.gif".
#[unsafe(no_mangle)]
pub extern "C" fn CGImageDestinationCopyTypeIdentifiers() -> CFArrayRef {
    guard_value(std::ptr::null(), super::image_source::uti_array)
}

/// A destination writing (replacing) the file of a `file://` URL at `Finalize`. NULL for an
/// unknown `type`, a `count` of 0, or a URL without a file path.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageDestinationCreateWithURL(
    url: CFURLRef,
    r#type: CFStringRef,
    count: usize,
    options: CFDictionaryRef,
) -> CGImageDestinationRef {
    let _ = options; // reserved (Apple: pass NULL)
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to url (or passes NULL).
        let path = unsafe { Cf::<Url>::borrow(url.cast()) }.and_then(Url::path);
        // SAFETY: the caller holds a reference to type (or passes NULL).
        create(unsafe { kind_of(r#type) }, count, path.map(Target::Path))
    })
}

/// A destination appending the encoded file to a CFMutableData at `Finalize`; NULL for NULL
/// or immutable data.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageDestinationCreateWithData(
    data: CFMutableDataRef,
    r#type: CFStringRef,
    count: usize,
    options: CFDictionaryRef,
) -> CGImageDestinationRef {
    let _ = options;
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to data (or passes NULL).
        let data =
            unsafe { Cf::<Data>::retain_raw(data.cast_const().cast()) }.filter(|d| d.is_mutable());
        // SAFETY: the caller holds a reference to type (or passes NULL).
        create(unsafe { kind_of(r#type) }, count, data.map(Target::Data))
    })
}

/// A destination handing the encoded file to a data consumer at `Finalize`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageDestinationCreateWithDataConsumer(
    consumer: CGDataConsumerRef,
    r#type: CFStringRef,
    count: usize,
    options: CFDictionaryRef,
) -> CGImageDestinationRef {
    let _ = options;
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to consumer (or passes NULL).
        let c = unsafe { Cf::<DataConsumer>::retain_raw(consumer.cast_const().cast()) };
        // SAFETY: the caller holds a reference to type (or passes NULL).
        create(unsafe { kind_of(r#type) }, count, c.map(Target::Consumer))
    })
}

/// File-wide properties (`{GIF}` LoopCount...), merged into earlier ones.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageDestinationSetProperties(
    idst: CGImageDestinationRef,
    properties: CFDictionaryRef,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to idst (or passes NULL).
        let d = unsafe { destination(idst) };
        // SAFETY: the caller holds a reference to properties (or passes NULL).
        let p = unsafe { props(properties) };
        if let Some(d) = d {
            d.set_properties(&p);
        }
    })
}

/// Adds an image (retained; its pixels are read at `Finalize`) with its properties
/// (`kCGImageDestinationLossyCompressionQuality`, `kCGImagePropertyOrientation`, DPI, `{GIF}`
/// DelayTime). Beyond `count` the image is dropped.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageDestinationAddImage(
    idst: CGImageDestinationRef,
    image: CGImageRef,
    properties: CFDictionaryRef,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to idst (or passes NULL).
        let d = unsafe { destination(idst) };
        // SAFETY: the caller holds a reference to image (or passes NULL).
        let i = unsafe { Cf::<Image>::retain_raw(image.cast_const().cast()) };
        // SAFETY: the caller holds a reference to properties (or passes NULL).
        let p = unsafe { props(properties) };
        if let (Some(d), Some(i)) = (d, i) {
            d.add_image(i, p);
        }
    })
}

/// Adds image `index` of a source with the source's properties, `properties` merged over them
/// (a `kCFNull` value deletes a key).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageDestinationAddImageFromSource(
    idst: CGImageDestinationRef,
    isrc: CGImageSourceRef,
    index: usize,
    properties: CFDictionaryRef,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to idst (or passes NULL).
        let d = unsafe { destination(idst) };
        // SAFETY: the caller holds a reference to isrc (or passes NULL).
        let s = unsafe { source(isrc) };
        // SAFETY: the caller holds a reference to properties (or passes NULL).
        let p = unsafe { props(properties) };
        if let (Some(d), Some(s)) = (d, s) {
            d.add_from_source(s, index, &p);
        }
    })
}

/// Encodes and writes; false without images, on an encoder or write failure, or when called
/// twice.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGImageDestinationFinalize(idst: CGImageDestinationRef) -> bool {
    guard_value(false, || {
        // SAFETY: the caller holds a reference to idst (or passes NULL).
        unsafe { destination(idst) }.is_some_and(ImageDestination::finalize)
    })
}
