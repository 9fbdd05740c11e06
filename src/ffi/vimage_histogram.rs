//! Histogram.h entry points: thin wrappers that check the arguments, read the C arrays and call
//! [`crate::histogram`].
//!
//! Rules (Apple's, plus the choices the README records): the transforms need `src` and `dest`
//! of the same size (`kvImageBufferSizeMismatch`) and work in place IP-B; float forms refuse 0
//! bins and `maxVal < minVal` (and NaN limits) with `kvImageInvalidParameter`; the ends-in
//! forms refuse `percent_low + percent_high > 100`. With `kvImageLeaveAlphaUnchanged` the
//! four-channel forms copy channel 0 and neither read nor write its histogram pointer (it may
//! be NULL). The float forms' `tempBuffer` may be NULL; scratch is always allocated
//! internally, and `kvImageGetTempBufferSize` reports its size.

use std::ffi::{c_uint, c_void};

use crate::error::{Error, Result};
use crate::ffi::buffers::{buffer, call, call_size, matching, plane, row_bytes, size_of};
use crate::flags::Flags;
use crate::histogram::{self as h, Bins, Curve8, CurveF, Source};
use crate::kernels::rows::Plane;
use crate::types::*;

/// A read view of `buf`'s top-left `w x h` pixels of `bits` bits (checked like [`plane`]).
///
/// # Safety
/// `buf` describes readable caller memory (the C contract).
unsafe fn view(
    buf: &vImage_Buffer,
    w: usize,
    h: usize,
    bits: usize,
    name: &'static str,
) -> Result<Source> {
    // SAFETY: forwarded; `plane` checks NULL, rowBytes and overflow.
    unsafe { plane(buf, w, h, bits, name)? };
    // SAFETY: checked above; the memory is the caller's, read only during the call.
    Ok(unsafe { Source::new(buf.data as *const u8, buf.rowBytes, row_bytes(w, bits)?, h) })
}

/// The source of a histogram calculation: its own size.
///
/// # Safety
/// `src` is NULL or a valid buffer description.
unsafe fn whole(src: *const vImage_Buffer, bits: usize) -> Result<(Source, usize)> {
    // SAFETY: forwarded.
    let s = unsafe { buffer(src, "src")? };
    let (w, hh) = size_of(s);
    // SAFETY: forwarded.
    Ok((unsafe { view(s, w, hh, bits, "src")? }, w))
}

/// `src` and `dest` of a transform: equal sizes.
///
/// # Safety
/// `src`, `dest`: NULL or valid buffer descriptions.
unsafe fn pair(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    bits: usize,
) -> Result<(Source, Plane, Plane, usize, usize)> {
    // SAFETY: forwarded.
    let (s, d) = unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
    if s.data.is_null() {
        return Err(Error::NullPointer("src"));
    }
    let (w, hh) = size_of(d);
    // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
    unsafe {
        let dp = plane(d, w, hh, bits, "dest")?;
        let sp = matching(s, w, hh, bits, "src")?;
        Ok((view(s, w, hh, bits, "src")?, sp, dp, w, hh))
    }
}

/// The four pointers of a `T *array[4]` parameter; slot 0 is skipped when `skip_alpha`.
///
/// # Safety
/// `p` is NULL or points to 4 readable pointers.
unsafe fn four<T>(p: *const *mut T, name: &'static str, skip_alpha: bool) -> Result<[*mut T; 4]> {
    if p.is_null() {
        return Err(Error::NullPointer(name));
    }
    // SAFETY: 4 readable pointers (the C contract).
    let a: [*mut T; 4] = std::array::from_fn(|i| unsafe { p.add(i).read_unaligned() });
    for (i, q) in a.iter().enumerate() {
        if q.is_null() && !(i == 0 && skip_alpha) {
            return Err(Error::NullPointer(name));
        }
    }
    Ok(a)
}

fn leave_alpha(flags: vImage_Flags) -> bool {
    flags & kvImageLeaveAlphaUnchanged != 0
}

fn check_percent(low: c_uint, high: c_uint) -> Result<()> {
    if low as u64 + high as u64 > 100 {
        return Err(Error::InvalidParameter(
            "percent_low + percent_high is greater than 100",
        ));
    }
    Ok(())
}

// ---- histograms ---------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHistogramCalculation_Planar8(
    src: *const vImage_Buffer,
    histogram: *mut vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHistogramCalculation_Planar8", flags, |f| {
        // SAFETY: NULL or a valid buffer description (the C contract).
        let (s, w) = unsafe { whole(src, 8)? };
        if histogram.is_null() {
            return Err(Error::NullPointer("histogram"));
        }
        let mut out = [0u64; 256];
        h::histogram8::<1>(s, w, [Some(&mut out)], f);
        if !f.contains(Flags::GET_TEMP_BUFFER_SIZE) {
            for (i, v) in out.iter().enumerate() {
                // SAFETY: the caller's 256-entry array.
                unsafe { histogram.add(i).write_unaligned(*v as vImagePixelCount) };
            }
        }
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHistogramCalculation_ARGB8888(
    src: *const vImage_Buffer,
    histogram: *mut *mut vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHistogramCalculation_ARGB8888", flags, |f| {
        let skip = leave_alpha(flags);
        // SAFETY: NULL or a valid buffer description and a 4-pointer array (the C contract).
        let ((s, w), ptrs) = unsafe { (whole(src, 32)?, four(histogram, "histogram", skip)?) };
        let mut out = [[0u64; 256]; 4];
        {
            let [a, r, g, b] = &mut out;
            h::histogram8::<4>(s, w, [(!skip).then_some(a), Some(r), Some(g), Some(b)], f);
        }
        if !f.contains(Flags::GET_TEMP_BUFFER_SIZE) {
            for (c, p) in ptrs.iter().enumerate() {
                if c == 0 && skip {
                    continue;
                }
                for (i, v) in out[c].iter().enumerate() {
                    // SAFETY: the caller's 256-entry arrays.
                    unsafe { p.add(i).write_unaligned(*v as vImagePixelCount) };
                }
            }
        }
        Ok(())
    })
}

/// The float histograms into the caller's arrays (`ptrs` non-NULL unless skipped).
///
/// # Safety
/// Each non-skipped pointer holds `bins.entries` writable counts.
unsafe fn histogram_f_into(
    s: Source,
    w: usize,
    bins: Bins,
    ptrs: &[*mut vImagePixelCount],
    skip_alpha: bool,
    f: Flags,
) -> Result<()> {
    let mut bufs: Vec<Option<Vec<u64>>> = Vec::new();
    for c in 0..ptrs.len() {
        bufs.push(if c == 0 && skip_alpha {
            None
        } else {
            let mut v = Vec::new();
            v.try_reserve_exact(bins.entries)
                .map_err(|_| Error::Allocation(bins.entries * 8))?;
            v.resize(bins.entries, 0);
            Some(v)
        });
    }
    let out = bufs
        .iter_mut()
        .map(|b| b.as_mut().map(|v| &mut v[..]))
        .collect();
    h::histogram_f(s, w, bins, out, f)?;
    if f.contains(Flags::GET_TEMP_BUFFER_SIZE) {
        return Ok(());
    }
    for (b, p) in bufs.iter().zip(ptrs) {
        if let Some(b) = b {
            for (i, v) in b.iter().enumerate() {
                // SAFETY: the caller's arrays of `entries` counts.
                unsafe { p.add(i).write_unaligned(*v as vImagePixelCount) };
            }
        }
    }
    Ok(())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHistogramCalculation_PlanarF(
    src: *const vImage_Buffer,
    histogram: *mut vImagePixelCount,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHistogramCalculation_PlanarF", flags, |f| {
        // SAFETY: NULL or a valid buffer description (the C contract).
        let (s, w) = unsafe { whole(src, 32)? };
        if histogram.is_null() {
            return Err(Error::NullPointer("histogram"));
        }
        let bins = Bins::new(histogram_entries, minVal, maxVal)?;
        // SAFETY: the caller's array of histogram_entries counts.
        unsafe { histogram_f_into(s, w, bins, &[histogram], false, f) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHistogramCalculation_ARGBFFFF(
    src: *const vImage_Buffer,
    histogram: *mut *mut vImagePixelCount,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHistogramCalculation_ARGBFFFF", flags, |f| {
        let skip = leave_alpha(flags);
        // SAFETY: NULL or a valid buffer description and a 4-pointer array (the C contract).
        let ((s, w), ptrs) = unsafe { (whole(src, 128)?, four(histogram, "histogram", skip)?) };
        let bins = Bins::new(histogram_entries, minVal, maxVal)?;
        // SAFETY: the caller's arrays of histogram_entries counts.
        unsafe { histogram_f_into(s, w, bins, &ptrs, skip, f) }
    })
}

// ---- 8-bit transforms ---------------------------------------------------------------------

/// Runs an 8-bit planar transform.
///
/// # Safety
/// As the exported functions.
unsafe fn planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    curve: Curve8,
    f: Flags,
) -> Result<()> {
    // SAFETY: forwarded.
    let (s, sp, dp, w, hh) = unsafe { pair(src, dest, 8)? };
    h::transform8::<1>(s, sp, dp, w, hh, [Some(curve)], f)
}

/// Runs an ARGB8888 transform with per-channel curves (channel 0 copied under
/// kvImageLeaveAlphaUnchanged).
///
/// # Safety
/// As the exported functions.
unsafe fn argb8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    curves: [Curve8; 4],
    f: Flags,
) -> Result<()> {
    // SAFETY: forwarded.
    let (s, sp, dp, w, hh) = unsafe { pair(src, dest, 32)? };
    let skip = f.contains(Flags::LEAVE_ALPHA_UNCHANGED);
    let c: [Option<Curve8>; 4] = std::array::from_fn(|i| (!(i == 0 && skip)).then_some(curves[i]));
    h::transform8::<4>(s, sp, dp, w, hh, c, f)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageEqualization_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    call("vImageEqualization_Planar8", flags, |f| unsafe {
        planar8(src, dest, Curve8::Equalize, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageEqualization_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    call("vImageEqualization_ARGB8888", flags, |f| unsafe {
        argb8888(src, dest, [Curve8::Equalize; 4], f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageContrastStretch_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    call("vImageContrastStretch_Planar8", flags, |f| unsafe {
        planar8(src, dest, Curve8::EndsIn(0, 0), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageContrastStretch_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    call("vImageContrastStretch_ARGB8888", flags, |f| unsafe {
        argb8888(src, dest, [Curve8::EndsIn(0, 0); 4], f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageEndsInContrastStretch_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    percent_low: c_uint,
    percent_high: c_uint,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageEndsInContrastStretch_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let p = unsafe { pair(src, dest, 8)? };
        check_percent(percent_low, percent_high)?;
        let (s, sp, dp, w, hh) = p;
        h::transform8::<1>(
            s,
            sp,
            dp,
            w,
            hh,
            [Some(Curve8::EndsIn(percent_low, percent_high))],
            f,
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageEndsInContrastStretch_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    percent_low: *const c_uint,
    percent_high: *const c_uint,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageEndsInContrastStretch_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and 4-entry arrays (the C contract).
        let (lo, hi) = unsafe {
            buffer(src, "src")?;
            buffer(dest, "dest")?;
            (
                crate::ffi::buffers::array::<c_uint, 4>(percent_low, "percent_low")?,
                crate::ffi::buffers::array::<c_uint, 4>(percent_high, "percent_high")?,
            )
        };
        for c in 0..4 {
            if !(c == 0 && f.contains(Flags::LEAVE_ALPHA_UNCHANGED)) {
                check_percent(lo[c], hi[c])?;
            }
        }
        let curves = std::array::from_fn(|c| Curve8::EndsIn(lo[c], hi[c]));
        // SAFETY: as above.
        unsafe { argb8888(src, dest, curves, f) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHistogramSpecification_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    desired_histogram: *const vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHistogramSpecification_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and a 256-entry array (the C contract).
        let (p, d) = unsafe {
            (
                pair(src, dest, 8)?,
                crate::ffi::buffers::array::<vImagePixelCount, 256>(
                    desired_histogram,
                    "desired_histogram",
                )?,
            )
        };
        let d = d.map(u64::from);
        let (s, sp, dp, w, hh) = p;
        h::transform8::<1>(s, sp, dp, w, hh, [Some(Curve8::Specify(&d))], f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHistogramSpecification_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    desired_histogram: *mut *const vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageHistogramSpecification_ARGB8888", flags, |f| {
        let skip = f.contains(Flags::LEAVE_ALPHA_UNCHANGED);
        // SAFETY: NULL or valid buffer descriptions and a 4-pointer array (the C contract).
        let (p, ptrs) = unsafe {
            (
                pair(src, dest, 32)?,
                four(
                    desired_histogram as *const *mut vImagePixelCount,
                    "desired_histogram",
                    skip,
                )?,
            )
        };
        let mut d = [[0u64; 256]; 4];
        for (c, q) in ptrs.iter().enumerate() {
            if !q.is_null() {
                // SAFETY: a 256-entry array (the C contract).
                let a = unsafe {
                    crate::ffi::buffers::array::<vImagePixelCount, 256>(*q, "desired_histogram")?
                };
                d[c] = a.map(u64::from);
            }
        }
        let (s, sp, dp, w, hh) = p;
        let c: [Option<Curve8>; 4] =
            std::array::from_fn(|i| (!(i == 0 && skip)).then_some(Curve8::Specify(&d[i])));
        h::transform8::<4>(s, sp, dp, w, hh, c, f)
    })
}

// ---- float transforms ---------------------------------------------------------------------

/// Runs a float transform of 1 or 4 channels.
///
/// # Safety
/// As the exported functions.
#[allow(clippy::too_many_arguments)]
unsafe fn float_transform(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    channels: usize,
    entries: c_uint,
    min: f32,
    max: f32,
    curves: &[CurveF],
    f: Flags,
) -> Result<usize> {
    // SAFETY: forwarded.
    let (s, sp, dp, w, hh) = unsafe { pair(src, dest, 32 * channels)? };
    let bins = Bins::new(entries, min, max)?;
    let skip = channels == 4 && f.contains(Flags::LEAVE_ALPHA_UNCHANGED);
    let c: Vec<Option<CurveF>> = curves
        .iter()
        .enumerate()
        .map(|(i, c)| (!(i == 0 && skip)).then_some(*c))
        .collect();
    h::transform_f(s, sp, dp, w, hh, bins, &c, f)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageEqualization_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    call_size("vImageEqualization_PlanarF", flags, |f| unsafe {
        float_transform(
            src,
            dest,
            1,
            histogram_entries,
            minVal,
            maxVal,
            &[CurveF::Equalize],
            f,
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageEqualization_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    call_size("vImageEqualization_ARGBFFFF", flags, |f| unsafe {
        float_transform(
            src,
            dest,
            4,
            histogram_entries,
            minVal,
            maxVal,
            &[CurveF::Equalize; 4],
            f,
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageContrastStretch_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    call_size("vImageContrastStretch_PlanarF", flags, |f| unsafe {
        float_transform(
            src,
            dest,
            1,
            histogram_entries,
            minVal,
            maxVal,
            &[CurveF::Stretch],
            f,
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageContrastStretch_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    call_size("vImageContrastStretch_ARGBFFFF", flags, |f| unsafe {
        float_transform(
            src,
            dest,
            4,
            histogram_entries,
            minVal,
            maxVal,
            &[CurveF::Stretch; 4],
            f,
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageEndsInContrastStretch_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    percent_low: c_uint,
    percent_high: c_uint,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call_size("vImageEndsInContrastStretch_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        unsafe {
            buffer(src, "src")?;
            buffer(dest, "dest")?;
        }
        check_percent(percent_low, percent_high)?;
        // SAFETY: as above.
        unsafe {
            float_transform(
                src,
                dest,
                1,
                histogram_entries,
                minVal,
                maxVal,
                &[CurveF::EndsIn(percent_low, percent_high)],
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageEndsInContrastStretch_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    percent_low: *const c_uint,
    percent_high: *const c_uint,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call_size("vImageEndsInContrastStretch_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and 4-entry arrays (the C contract).
        let (lo, hi) = unsafe {
            buffer(src, "src")?;
            buffer(dest, "dest")?;
            (
                crate::ffi::buffers::array::<c_uint, 4>(percent_low, "percent_low")?,
                crate::ffi::buffers::array::<c_uint, 4>(percent_high, "percent_high")?,
            )
        };
        for c in 0..4 {
            if !(c == 0 && f.contains(Flags::LEAVE_ALPHA_UNCHANGED)) {
                check_percent(lo[c], hi[c])?;
            }
        }
        let curves: [CurveF; 4] = std::array::from_fn(|c| CurveF::EndsIn(lo[c], hi[c]));
        // SAFETY: as above.
        unsafe { float_transform(src, dest, 4, histogram_entries, minVal, maxVal, &curves, f) }
    })
}

/// Reads `entries` counts of a desired histogram.
///
/// # Safety
/// `p` is NULL or points to `entries` readable counts.
unsafe fn desired(p: *const vImagePixelCount, entries: usize) -> Result<Vec<u64>> {
    if p.is_null() {
        return Err(Error::NullPointer("desired_histogram"));
    }
    let mut v = Vec::new();
    v.try_reserve_exact(entries)
        .map_err(|_| Error::Allocation(entries * 8))?;
    // SAFETY: `entries` readable counts (the C contract).
    v.extend((0..entries).map(|i| unsafe { p.add(i).read_unaligned() }));
    Ok(v)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHistogramSpecification_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    desired_histogram: *const vImagePixelCount,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call_size("vImageHistogramSpecification_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        unsafe {
            buffer(src, "src")?;
            buffer(dest, "dest")?;
        }
        if desired_histogram.is_null() {
            return Err(Error::NullPointer("desired_histogram"));
        }
        Bins::new(histogram_entries, minVal, maxVal)?;
        let d = if f.contains(Flags::GET_TEMP_BUFFER_SIZE) {
            Vec::new()
        } else {
            // SAFETY: histogram_entries readable counts (the C contract).
            unsafe { desired(desired_histogram, histogram_entries as usize)? }
        };
        // SAFETY: as above.
        unsafe {
            float_transform(
                src,
                dest,
                1,
                histogram_entries,
                minVal,
                maxVal,
                &[CurveF::Specify(&d)],
                f,
            )
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageHistogramSpecification_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    desired_histogram: *mut *const vImagePixelCount,
    histogram_entries: c_uint,
    minVal: Pixel_F,
    maxVal: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    call_size("vImageHistogramSpecification_ARGBFFFF", flags, |f| {
        let skip = f.contains(Flags::LEAVE_ALPHA_UNCHANGED);
        // SAFETY: NULL or valid buffer descriptions and a 4-pointer array (the C contract).
        let ptrs = unsafe {
            buffer(src, "src")?;
            buffer(dest, "dest")?;
            four(
                desired_histogram as *const *mut vImagePixelCount,
                "desired_histogram",
                skip,
            )?
        };
        Bins::new(histogram_entries, minVal, maxVal)?;
        let mut d: Vec<Vec<u64>> = vec![Vec::new(); 4];
        if !f.contains(Flags::GET_TEMP_BUFFER_SIZE) {
            for (c, q) in ptrs.iter().enumerate() {
                if !q.is_null() {
                    // SAFETY: histogram_entries readable counts (the C contract).
                    d[c] = unsafe { desired(*q, histogram_entries as usize)? };
                }
            }
        }
        let curves: Vec<CurveF> = d.iter().map(|v| CurveF::Specify(v)).collect();
        // SAFETY: as above.
        unsafe { float_transform(src, dest, 4, histogram_entries, minVal, maxVal, &curves, f) }
    })
}
