//! The published definitions behind Apple's colour-space names (apple-imageio-context.md §D.4).
//!
//! Each name's primaries, white and transfer function are the public standard the name refers
//! to; where Apple's own data is unknown (the legacy "Generic" spaces, Generic CMYK) the choice
//! is stated at the entry.

use std::sync::{Arc, OnceLock};

use super::def::{Curve, D50, D50_XY, D65_XY, Def, Gray, Lab, Rgb, primaries};

fn rgb(p: [[f64; 2]; 3], white: [f64; 2], curve: Curve, extended: bool) -> Def {
    let mut rgb = Rgb::from_primaries(p, white, curve);
    rgb.extended = extended;
    Def::Rgb(rgb)
}

fn gray(curve: Curve, extended: bool) -> Def {
    Def::Gray(Gray {
        curve,
        white: D65_XY,
        extended,
    })
}

/// Apple's legacy "Generic RGB" primaries. Apple's exact profile is not public; these are the
/// "Apple RGB" (Trinitron P22) primaries its Generic RGB profile was built on, D65, gamma 1.8.
pub const GENERIC_RGB: [[f64; 2]; 3] = [[0.625, 0.340], [0.280, 0.595], [0.155, 0.070]];

/// Generic L*a*b*: D50, black 0, a* and b* in [-128, 127] as ICC encodes them (±128, §D.2).
pub fn generic_lab() -> Lab {
    Lab {
        white: D50,
        black: [0.0; 3],
        range: [-128.0, 128.0, -128.0, 128.0],
    }
}

/// The definition of a system name (the text of its `kCGColorSpace*` constant), `None` for a
/// name this library does not define. The device spaces map as vImage_Utilities.h says:
/// DeviceRGB = sRGB, DeviceGray = gray gamma 2.2, DeviceCMYK = Generic CMYK.
pub fn def(name: &str) -> Option<Def> {
    use primaries::*;
    let name = name.strip_prefix("kCGColorSpace")?;
    let bt709 = primaries::BT709;
    let (p3, bt2020) = (P3, BT2020);
    Some(match name {
        "DeviceRGB" | "SRGB" => rgb(bt709, D65_XY, Curve::srgb(), false),
        "LinearSRGB" => rgb(bt709, D65_XY, Curve::Linear, false),
        "ExtendedSRGB" => rgb(bt709, D65_XY, Curve::srgb(), true),
        "ExtendedLinearSRGB" => rgb(bt709, D65_XY, Curve::Linear, true),
        "DisplayP3" => rgb(p3, D65_XY, Curve::srgb(), false),
        "LinearDisplayP3" => rgb(p3, D65_XY, Curve::Linear, false),
        "ExtendedDisplayP3" => rgb(p3, D65_XY, Curve::srgb(), true),
        "ExtendedLinearDisplayP3" => rgb(p3, D65_XY, Curve::Linear, true),
        "DisplayP3_PQ" | "DisplayP3_PQ_EOTF" => rgb(p3, D65_XY, Curve::Pq, false),
        "DisplayP3_HLG" => rgb(p3, D65_XY, Curve::Hlg, false),
        "DCIP3" => rgb(p3, DCI_WHITE, Curve::Gamma(2.6), false),
        "AdobeRGB1998" => rgb(ADOBE_RGB, D65_XY, Curve::Gamma(563.0 / 256.0), false),
        "GenericRGB" => rgb(GENERIC_RGB, D65_XY, Curve::Gamma(1.8), false),
        "GenericRGBLinear" => rgb(GENERIC_RGB, D65_XY, Curve::Linear, false),
        "ITUR_709" => rgb(bt709, D65_XY, Curve::bt709(), false),
        "ITUR_709_PQ" => rgb(bt709, D65_XY, Curve::Pq, false),
        "ITUR_709_HLG" => rgb(bt709, D65_XY, Curve::Hlg, false),
        "ITUR_2020" => rgb(bt2020, D65_XY, Curve::bt2020(), false),
        "LinearITUR_2020" => rgb(bt2020, D65_XY, Curve::Linear, false),
        "ExtendedITUR_2020" => rgb(bt2020, D65_XY, Curve::bt2020(), true),
        "ExtendedLinearITUR_2020" => rgb(bt2020, D65_XY, Curve::Linear, true),
        "ITUR_2020_sRGBGamma" => rgb(bt2020, D65_XY, Curve::srgb(), false),
        "ITUR_2100_PQ" | "ITUR_2020_PQ" | "ITUR_2020_PQ_EOTF" => {
            rgb(bt2020, D65_XY, Curve::Pq, false)
        }
        "ITUR_2100_HLG" | "ITUR_2020_HLG" => rgb(bt2020, D65_XY, Curve::Hlg, false),
        "ROMMRGB" => rgb(ROMM, D50_XY, Curve::romm(), false),
        "ACESCGLinear" => rgb(ACES_AP1, ACES_WHITE, Curve::Linear, false),
        "DeviceGray" | "GenericGrayGamma2_2" => gray(Curve::Gamma(2.2), false),
        "LinearGray" => gray(Curve::Linear, false),
        "ExtendedGray" => gray(Curve::Gamma(2.2), true),
        "ExtendedLinearGray" => gray(Curve::Linear, true),
        // Apple's legacy Generic Gray: gamma 1.8 (the pre-10.6 Mac display gamma).
        "GenericGray" => gray(Curve::Gamma(1.8), false),
        "GenericXYZ" => Def::Xyz,
        "GenericLab" => Def::Lab(generic_lab()),
        "DeviceCMYK" | "GenericCMYK" => Def::Lut(generic_cmyk()),
        _ => return None,
    })
}

/// The Generic CMYK profile: synthesised once (no CMYK profile with a clearly free licence is
/// packaged in Debian's icc-profiles-free / colord-data; see [`super::icc::synthetic_cmyk`]).
pub fn generic_cmyk() -> Arc<moxcms::ColorProfile> {
    static PROFILE: OnceLock<Arc<moxcms::ColorProfile>> = OnceLock::new();
    PROFILE
        .get_or_init(|| Arc::new(super::icc::synthetic_cmyk()))
        .clone()
}

/// The ICC bytes of [`generic_cmyk`] (made once; compared byte for byte to recognise the
/// profile when it comes back through `CGColorSpaceCreateWithICCData`).
pub fn generic_cmyk_icc() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| generic_cmyk().encode().unwrap_or_default())
}
