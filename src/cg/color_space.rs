//! Colour spaces: the device and named spaces (one shared, never-freed instance each), and the
//! spaces made at run time from ICC data, calibrated parameters, Lab parameters, a colour table
//! (indexed) or for patterns.
//!
//! Every space carries its colorimetry as a [`Def`] (`src/color/def.rs`): the transforms work
//! from that alone. Two spaces are `CFEqual` when their colorimetry, range and kind agree
//! ([`ColorSpace::same_colorimetry`] plus the extended flag and device-ness).

use std::sync::{Arc, Mutex, OnceLock};

use crate::cf::object::{Cf, CfBox, CfType, Class, class_for, type_ids};
use crate::cf::string::{CfString, StaticString};
use crate::color::def::{Curve, Def, Mat3, bradford, invert, mul, xy_to_xyz};
use crate::color::{icc, named};
use crate::format::ColorModel;
use crate::types::{
    CGColorSpaceModel, kCGColorSpaceModelCMYK, kCGColorSpaceModelIndexed, kCGColorSpaceModelLab,
    kCGColorSpaceModelMonochrome, kCGColorSpaceModelPattern, kCGColorSpaceModelRGB,
    kCGColorSpaceModelXYZ,
};

/// A colour space.
#[derive(Debug, Clone)]
pub struct ColorSpace {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// One of the static device / named spaces (index into `SPACES`).
    Named(usize),
    /// Made at run time.
    Made(Box<Made>),
}

#[derive(Debug, Clone)]
struct Made {
    def: Def,
    model: ColorModel,
    form: Form,
    /// The system name whose colorimetry this space has (an ICC profile that matches a named
    /// space; a linearized / extended copy that is itself a named space).
    name: Option<usize>,
    /// The profile bytes an ICC-based space was made from (returned by `CopyICCData`).
    icc: Option<Arc<[u8]>>,
}

#[derive(Debug, Clone)]
enum Form {
    Plain,
    /// `CGColorSpaceCreateIndexed`: one index per pixel into `table` (entries of the base's
    /// component count, each byte 0..255 over the base component's range).
    Indexed {
        base: Cf<ColorSpace>,
        table: Box<[u8]>,
    },
    /// `CGColorSpaceCreatePattern`.
    Pattern {
        base: Option<Cf<ColorSpace>>,
    },
}

/// What a static space is: its name and model.
#[derive(Debug)]
pub struct SpaceInfo {
    /// The CFString `CGColorSpaceGetName` returns ("kCGColorSpaceSRGB", "kCGColorSpaceDeviceRGB").
    pub name: &'static StaticString,
    pub model: ColorModel,
    /// Device spaces are not made by name.
    pub named: bool,
    /// An ICC profile matching this space's colorimetry reports this name (false for device,
    /// extended and deprecated names, whose twins come first).
    pub matchable: bool,
}

macro_rules! spaces {
    ($($ident:ident $model:ident $named:literal $matchable:literal;)*) => {
        /// The string objects behind the exported `kCGColorSpace*` constants.
        #[allow(non_upper_case_globals)]
        pub mod names {
            use super::*;
            $(pub static $ident: StaticString =
                CfBox::new_static(CfString::from_static(stringify!($ident)));)*
        }
        static SPACES: &[SpaceInfo] = &[
            $(SpaceInfo {
                name: &names::$ident,
                model: ColorModel::$model,
                named: $named,
                matchable: $matchable,
            },)*
        ];
        #[allow(non_camel_case_types, clippy::enum_variant_names)]
        #[repr(usize)]
        enum Index {
            $($ident,)*
        }
        static OBJECTS: [CfBox<ColorSpace>; SPACES_COUNT] = [
            $(CfBox::new_static(ColorSpace { kind: Kind::Named(Index::$ident as usize) }),)*
        ];
        const SPACES_COUNT: usize = [$(stringify!($ident)),*].len();
    };
}

// Order matters for name matching: the first matchable space with a profile's colorimetry wins.
spaces! {
    kCGColorSpaceDeviceRGB Rgb false false;
    kCGColorSpaceDeviceGray Gray false false;
    kCGColorSpaceDeviceCMYK Cmyk false false;
    kCGColorSpaceSRGB Rgb true true;
    kCGColorSpaceLinearSRGB Rgb true true;
    kCGColorSpaceExtendedSRGB Rgb true false;
    kCGColorSpaceExtendedLinearSRGB Rgb true false;
    kCGColorSpaceDisplayP3 Rgb true true;
    kCGColorSpaceLinearDisplayP3 Rgb true true;
    kCGColorSpaceExtendedDisplayP3 Rgb true false;
    kCGColorSpaceExtendedLinearDisplayP3 Rgb true false;
    kCGColorSpaceGenericRGB Rgb true true;
    kCGColorSpaceGenericRGBLinear Rgb true true;
    kCGColorSpaceAdobeRGB1998 Rgb true true;
    kCGColorSpaceACESCGLinear Rgb true true;
    kCGColorSpaceITUR_709 Rgb true true;
    kCGColorSpaceITUR_2020 Rgb true true;
    kCGColorSpaceROMMRGB Rgb true true;
    kCGColorSpaceDCIP3 Rgb true true;
    kCGColorSpaceITUR_709_PQ Rgb true true;
    kCGColorSpaceITUR_709_HLG Rgb true true;
    kCGColorSpaceITUR_2020_sRGBGamma Rgb true true;
    kCGColorSpaceLinearITUR_2020 Rgb true true;
    kCGColorSpaceExtendedITUR_2020 Rgb true false;
    kCGColorSpaceExtendedLinearITUR_2020 Rgb true false;
    kCGColorSpaceITUR_2100_PQ Rgb true true;
    kCGColorSpaceITUR_2100_HLG Rgb true true;
    kCGColorSpaceDisplayP3_PQ Rgb true true;
    kCGColorSpaceDisplayP3_HLG Rgb true true;
    kCGColorSpaceITUR_2020_PQ Rgb true false;
    kCGColorSpaceITUR_2020_HLG Rgb true false;
    kCGColorSpaceDisplayP3_PQ_EOTF Rgb true false;
    kCGColorSpaceITUR_2020_PQ_EOTF Rgb true false;
    kCGColorSpaceGenericGrayGamma2_2 Gray true true;
    kCGColorSpaceLinearGray Gray true true;
    kCGColorSpaceExtendedGray Gray true false;
    kCGColorSpaceExtendedLinearGray Gray true false;
    kCGColorSpaceGenericGray Gray true true;
    kCGColorSpaceGenericCMYK Cmyk true true;
    kCGColorSpaceGenericXYZ Xyz true true;
    kCGColorSpaceGenericLab Lab true true;
}

/// Which space a well-known one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    DeviceRgb = 0,
    DeviceGray = 1,
    DeviceCmyk = 2,
    Srgb = 3,
}

/// Matrix entries and curve samples (linear light) within this of a named space's are that
/// space: real profiles of sRGB & co. round their colorants to 4 places and sample their curves.
const NAME_TOLERANCE: f64 = 2e-3;
/// Two spaces that are not named are the same within this (a few s15Fixed16 steps after the
/// Bradford adaptation): a profile written and read back is equal to its source.
const EQUAL_TOLERANCE: f64 = 1e-4;

fn static_defs() -> &'static [Def] {
    static DEFS: OnceLock<Vec<Def>> = OnceLock::new();
    DEFS.get_or_init(|| {
        SPACES
            .iter()
            .map(|s| {
                named::def(s.name.value().as_str())
                    .unwrap_or_else(crate::color::def::standard::srgb)
            })
            .collect()
    })
}

impl ColorSpace {
    /// A new reference to one of the well-known spaces (the shared static instance).
    pub fn known(which: Known) -> Cf<ColorSpace> {
        Cf::from_static(&OBJECTS[which as usize])
    }

    /// `CGColorSpaceCreateDevice*`: the shared static instance, as on Apple.
    pub fn create(which: Known) -> Cf<ColorSpace> {
        Self::known(which)
    }

    /// A static instance equal to this space (never freed; safe to hand out at +0). Named and
    /// device spaces are their own; a space made at run time is interned once per distinct
    /// space (kept for the life of the process).
    pub fn canonical(&self) -> &'static CfBox<ColorSpace> {
        match &self.kind {
            Kind::Named(i) => &OBJECTS[*i],
            Kind::Made(_) => {
                static INTERNED: Mutex<Vec<&'static CfBox<ColorSpace>>> = Mutex::new(Vec::new());
                let mut table = INTERNED.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(found) = table.iter().find(|s| s.value().cf_equal(self)) {
                    return found;
                }
                let object: &'static CfBox<ColorSpace> =
                    Box::leak(Box::new(CfBox::new_static(self.clone())));
                table.push(object);
                object
            }
        }
    }

    /// `CGColorSpaceCreateWithName`: the shared static space of a system name (compared by text),
    /// `None` for unknown and device names.
    pub fn with_name(name: &str) -> Option<Cf<ColorSpace>> {
        let index = SPACES
            .iter()
            .position(|s| s.named && s.name.value().as_str() == name)?;
        Some(Cf::from_static(&OBJECTS[index]))
    }

    fn made(def: Def, model: ColorModel) -> ColorSpace {
        ColorSpace {
            kind: Kind::Made(Box::new(Made {
                def,
                model,
                form: Form::Plain,
                name: None,
                icc: None,
            })),
        }
    }

    fn made_ref(&self) -> Option<&Made> {
        match &self.kind {
            Kind::Made(m) => Some(m),
            Kind::Named(_) => None,
        }
    }

    /// The static space's entry, if this is one.
    pub fn info(&self) -> Option<&'static SpaceInfo> {
        match self.kind {
            Kind::Named(i) => Some(&SPACES[i]),
            Kind::Made(_) => None,
        }
    }

    /// The colour model of the samples: an indexed space's samples are one index each (Gray:
    /// one component; see [`ColorSpace::indexed_base`]); a pattern space reports its base's
    /// model (RGB without one).
    pub fn model(&self) -> ColorModel {
        match &self.kind {
            Kind::Named(i) => SPACES[*i].model,
            Kind::Made(m) => match &m.form {
                Form::Plain => m.model,
                Form::Indexed { .. } => ColorModel::Gray,
                Form::Pattern { base } => base.as_ref().map_or(ColorModel::Rgb, |b| b.model()),
            },
        }
    }

    /// `CGColorSpaceGetModel`.
    pub fn cg_model(&self) -> CGColorSpaceModel {
        match self.made_ref().map(|m| &m.form) {
            Some(Form::Indexed { .. }) => kCGColorSpaceModelIndexed,
            Some(Form::Pattern { .. }) => kCGColorSpaceModelPattern,
            _ => match self.model() {
                ColorModel::Gray => kCGColorSpaceModelMonochrome,
                ColorModel::Rgb => kCGColorSpaceModelRGB,
                ColorModel::Cmyk => kCGColorSpaceModelCMYK,
                ColorModel::Lab => kCGColorSpaceModelLab,
                ColorModel::Xyz => kCGColorSpaceModelXYZ,
            },
        }
    }

    /// `CGColorSpaceGetNumberOfComponents`: 1 for indexed; the base's (0 without one) for
    /// pattern spaces.
    pub fn components(&self) -> usize {
        match self.made_ref().map(|m| &m.form) {
            Some(Form::Indexed { .. }) => 1,
            Some(Form::Pattern { base }) => base.as_ref().map_or(0, |b| b.components()),
            _ => self.model().components() as usize,
        }
    }

    /// The name string `CGColorSpaceGetName` returns: the constant of a named space, the
    /// device name of a device space, the matched system name of an ICC-based space.
    pub fn name_object(&self) -> Option<&'static StaticString> {
        match &self.kind {
            Kind::Named(i) => Some(SPACES[*i].name),
            Kind::Made(m) => m.name.map(|i| SPACES[i].name),
        }
    }

    /// The text of [`ColorSpace::name_object`], "" for a space without a name.
    pub fn name(&self) -> &'static str {
        self.name_object().map_or("", |n| n.value().as_str())
    }

    /// The colorimetry of this space. Indexed spaces give their base's, pattern spaces their
    /// base's (sRGB's without one).
    pub fn def(&self) -> &Def {
        match &self.kind {
            Kind::Named(i) => &static_defs()[*i],
            Kind::Made(m) => &m.def,
        }
    }

    fn is_device(&self) -> bool {
        matches!(self.kind, Kind::Named(i) if !SPACES[i].named)
    }

    /// `CGColorSpaceUsesExtendedRange`: float samples outside [0, 1] are kept (through the
    /// mirrored curve).
    pub fn uses_extended_range(&self) -> bool {
        if matches!(
            self.made_ref().map(|m| &m.form),
            Some(Form::Indexed { .. } | Form::Pattern { .. })
        ) {
            return false;
        }
        match self.def() {
            Def::Rgb(r) => r.extended,
            Def::Gray(g) => g.extended,
            _ => false,
        }
    }

    /// Same colorimetry (the converter's identity fast path): a named space and its ICC twin,
    /// a device space and the space it maps to, a space and its extended copy (range is not
    /// colorimetry: check [`ColorSpace::uses_extended_range`] too where it matters).
    pub fn same_colorimetry(&self, other: &ColorSpace) -> bool {
        if let (Kind::Named(a), Kind::Named(b)) = (&self.kind, &other.kind)
            && a == b
        {
            return true;
        }
        let (fa, fb) = (
            self.made_ref().map(|m| &m.form),
            other.made_ref().map(|m| &m.form),
        );
        match (fa, fb) {
            (
                Some(Form::Indexed { base: a, table: ta }),
                Some(Form::Indexed { base: b, table: tb }),
            ) => ta == tb && a.same_colorimetry(b),
            (Some(Form::Pattern { base: a }), Some(Form::Pattern { base: b })) => match (a, b) {
                (Some(a), Some(b)) => a.same_colorimetry(b),
                (None, None) => true,
                _ => false,
            },
            (Some(Form::Indexed { .. } | Form::Pattern { .. }), _)
            | (_, Some(Form::Indexed { .. } | Form::Pattern { .. })) => false,
            _ => {
                if self.model() != other.model() {
                    return false;
                }
                // Both ICC-based from the same bytes, or both LUT profiles of the same object.
                if let (Some(a), Some(b)) = (
                    self.made_ref().and_then(|m| m.icc.as_ref()),
                    other.made_ref().and_then(|m| m.icc.as_ref()),
                ) && a == b
                {
                    return true;
                }
                defs_close(self.def(), other.def(), EQUAL_TOLERANCE)
            }
        }
    }

    /// `CGColorSpaceCreateWithICCData`: `None` for damaged, hostile or unsupported profiles.
    /// The space keeps the bytes (`CopyICCData` returns them) and reports a system name when its
    /// colorimetry is a named space's (then its definition is that space's exact one).
    pub fn from_icc(bytes: &[u8]) -> Option<Cf<ColorSpace>> {
        let parsed = icc::parse(bytes)?;
        let mut space = Self::made(parsed.def, parsed.model);
        let name = match_name(&space, bytes);
        if let Kind::Made(m) = &mut space.kind {
            if let Some(i) = name {
                m.def = static_defs()[i].clone();
            }
            m.name = name;
            m.icc = Some(Arc::from(bytes));
        }
        Some(Cf::new(space))
    }

    /// `CGColorSpaceCopyICCData`: the original bytes of an ICC-based space, else a profile
    /// written from the definition (extended spaces give their standard twin's profile, device
    /// spaces the one of the space they map to); `None` for indexed and pattern spaces and for
    /// a Lab space whose white is not D50.
    pub fn icc_data(&self) -> Option<Vec<u8>> {
        if let Some(m) = self.made_ref() {
            if let Some(bytes) = &m.icc {
                return Some(bytes.to_vec());
            }
            if !matches!(m.form, Form::Plain) {
                return None;
            }
        }
        if let Def::Lut(p) = self.def()
            && Arc::ptr_eq(p, &named::generic_cmyk())
        {
            return Some(named::generic_cmyk_icc().to_vec());
        }
        let description = match self.name() {
            "" => match self.model() {
                ColorModel::Rgb => "vimage calibrated RGB",
                ColorModel::Gray => "vimage calibrated gray",
                ColorModel::Lab => "vimage L*a*b*",
                ColorModel::Xyz => "vimage XYZ",
                ColorModel::Cmyk => "vimage CMYK",
            },
            name => name.strip_prefix("kCGColorSpace").unwrap_or(name),
        };
        let mut def = self.def().clone();
        match &mut def {
            Def::Rgb(r) => r.extended = false,
            Def::Gray(g) => g.extended = false,
            _ => {}
        }
        icc::write(&def, description)
    }

    /// `CGColorSpaceCreateCalibratedRGB`, PDF CalRGB conventions: `white` / `black` are CIE XYZ
    /// (white Y = 1, X and Z > 0), `matrix` is [XA YA ZA XB YB ZB XC YC ZC] (the first triple
    /// is the XYZ of full red), linear RGB = encoded^gamma. `None` for a white that is not
    /// positive with Y = 1 (within 1e-3), a negative or non-finite black, a gamma that is not
    /// positive and finite, or a singular / non-finite matrix. The black point is checked and
    /// not used (it has no effect on a matrix/TRC transform).
    pub fn calibrated_rgb(
        white: [f64; 3],
        black: [f64; 3],
        gamma: [f64; 3],
        matrix: [f64; 9],
    ) -> Option<Cf<ColorSpace>> {
        check_white_black(white, black)?;
        if gamma.iter().any(|g| !(g.is_finite() && *g > 0.0)) {
            return None;
        }
        if matrix.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let m = icc::pdf_matrix(matrix);
        if invert(&m) == [[0.0; 3]; 3] {
            return None;
        }
        let curves = gamma.map(gamma_curve);
        let def = Def::Rgb(crate::color::def::Rgb {
            to_pcs: mul(&bradford(white, crate::color::def::D50), &m),
            curves,
            white: xyz_to_xy(white),
            extended: false,
        });
        Some(Cf::new(Self::made(def, ColorModel::Rgb)))
    }

    /// `CGColorSpaceCreateCalibratedGray` (PDF CalGray): same checks as
    /// [`ColorSpace::calibrated_rgb`].
    pub fn calibrated_gray(white: [f64; 3], black: [f64; 3], gamma: f64) -> Option<Cf<ColorSpace>> {
        check_white_black(white, black)?;
        if !(gamma.is_finite() && gamma > 0.0) {
            return None;
        }
        let def = Def::Gray(crate::color::def::Gray {
            curve: gamma_curve(gamma),
            white: xyz_to_xy(white),
            extended: false,
        });
        Some(Cf::new(Self::made(def, ColorModel::Gray)))
    }

    /// `CGColorSpaceCreateLab`: `range` is [a min, a max, b min, b max] (±100 when `None`);
    /// `None` for a bad white / black (as calibrated spaces) or a range with min >= max or
    /// non-finite values.
    pub fn lab(
        white: [f64; 3],
        black: [f64; 3],
        range: Option<[f64; 4]>,
    ) -> Option<Cf<ColorSpace>> {
        check_white_black(white, black)?;
        let range = range.unwrap_or([-100.0, 100.0, -100.0, 100.0]);
        if range.iter().any(|v| !v.is_finite()) || range[0] >= range[1] || range[2] >= range[3] {
            return None;
        }
        let def = Def::Lab(crate::color::def::Lab {
            white,
            black,
            range,
        });
        Some(Cf::new(Self::made(def, ColorModel::Lab)))
    }

    /// `CGColorSpaceCreateIndexed`: `table` holds (last_index + 1) entries of the base's
    /// component count. `None` for an indexed or pattern base, `last_index` > 255 or a table
    /// of another length.
    pub fn indexed(
        base: &Cf<ColorSpace>,
        last_index: usize,
        table: &[u8],
    ) -> Option<Cf<ColorSpace>> {
        if last_index > 255 || base.is_indexed_or_pattern() {
            return None;
        }
        if table.len() != (last_index + 1) * base.components() {
            return None;
        }
        let mut space = Self::made(base.def().clone(), base.model());
        if let Kind::Made(m) = &mut space.kind {
            m.form = Form::Indexed {
                base: base.clone(),
                table: table.into(),
            };
        }
        Some(Cf::new(space))
    }

    /// `CGColorSpaceCreatePattern`: `None` for an indexed or pattern base.
    pub fn pattern(base: Option<&Cf<ColorSpace>>) -> Option<Cf<ColorSpace>> {
        if base.is_some_and(|b| b.is_indexed_or_pattern()) {
            return None;
        }
        let def = base.map_or_else(crate::color::def::standard::srgb, |b| b.def().clone());
        let model = base.map_or(ColorModel::Rgb, |b| b.model());
        let mut space = Self::made(def, model);
        if let Kind::Made(m) = &mut space.kind {
            m.form = Form::Pattern {
                base: base.cloned(),
            };
        }
        Some(Cf::new(space))
    }

    fn is_indexed_or_pattern(&self) -> bool {
        matches!(
            self.made_ref().map(|m| &m.form),
            Some(Form::Indexed { .. } | Form::Pattern { .. })
        )
    }

    /// Base space and colour table of an indexed space (table: `(last_index + 1) *
    /// base.components()` bytes, entry-major).
    pub fn indexed_base(&self) -> Option<(&ColorSpace, &[u8])> {
        match self.made_ref().map(|m| &m.form) {
            Some(Form::Indexed { base, table }) => Some((base, table)),
            _ => None,
        }
    }

    /// `CGColorSpaceGetBaseColorSpace`: the base of an indexed or pattern space.
    pub fn base(&self) -> Option<&Cf<ColorSpace>> {
        match self.made_ref().map(|m| &m.form) {
            Some(Form::Indexed { base, .. }) => Some(base),
            Some(Form::Pattern { base }) => base.as_ref(),
            _ => None,
        }
    }

    /// `CGColorSpaceIsWideGamutRGB`: an RGB matrix space whose primaries' xy triangle is more
    /// than 85% of NTSC 1953's. False for everything else (LUT-based RGB profiles included).
    pub fn is_wide_gamut_rgb(&self) -> bool {
        if self.is_indexed_or_pattern() {
            return false;
        }
        gamut_area_ratio(self.def()).is_some_and(|r| r > 0.85)
    }

    /// `CGColorSpaceSupportsOutput`: whether a bitmap context / converter may write into it.
    /// False for indexed and pattern spaces (Apple), and for Lab (undocumented, as the
    /// reference advises).
    pub fn supports_output(&self) -> bool {
        !self.is_indexed_or_pattern() && self.model() != ColorModel::Lab
    }

    /// A copy of a matrix space with its curves changed and/or its range extended
    /// (`CreateLinearized` / `CreateExtended` / ...): `linear` replaces the curves by linear
    /// ones, `extended` sets the range. `None` for anything but RGB / gray matrix spaces. The
    /// result is the named space of that colorimetry when there is one (sRGB linearized is
    /// Linear sRGB).
    pub fn derived(&self, linear: bool, extended: Option<bool>) -> Option<Cf<ColorSpace>> {
        if self.is_indexed_or_pattern() {
            return None;
        }
        let mut def = self.def().clone();
        match &mut def {
            Def::Rgb(r) => {
                if linear {
                    r.curves = [Curve::Linear, Curve::Linear, Curve::Linear];
                }
                if let Some(e) = extended {
                    r.extended = e;
                }
            }
            Def::Gray(g) => {
                if linear {
                    g.curve = Curve::Linear;
                }
                if let Some(e) = extended {
                    g.extended = e;
                }
            }
            _ => return None,
        }
        if !linear && extended.is_none_or(|e| e == self.uses_extended_range()) {
            // Nothing changes: the same space.
            return Some(match &self.kind {
                Kind::Named(i) => Cf::from_static(&OBJECTS[*i]),
                Kind::Made(_) => Cf::new(self.clone()),
            });
        }
        let model = self.model();
        // The named space of exactly this definition, if there is one.
        if let Some(i) = (0..SPACES.len()).find(|&i| {
            SPACES[i].named && SPACES[i].model == model && defs_equal_exact(&static_defs()[i], &def)
        }) {
            return Some(Cf::from_static(&OBJECTS[i]));
        }
        Some(Cf::new(Self::made(def, model)))
    }
}

fn gamma_curve(g: f64) -> Curve {
    if g == 1.0 {
        Curve::Linear
    } else {
        Curve::Gamma(g)
    }
}

fn xyz_to_xy(w: [f64; 3]) -> [f64; 2] {
    let s = w[0] + w[1] + w[2];
    [w[0] / s, w[1] / s]
}

fn check_white_black(white: [f64; 3], black: [f64; 3]) -> Option<()> {
    let ok_white = white.iter().all(|v| v.is_finite())
        && white[0] > 0.0
        && white[2] > 0.0
        && (white[1] - 1.0).abs() <= 1e-3;
    let ok_black = black.iter().all(|v| v.is_finite() && *v >= 0.0);
    (ok_white && ok_black).then_some(())
}

/// The xy chromaticities of an RGB matrix space's primaries, before adaptation to D50.
pub fn rgb_primaries(def: &Def) -> Option<[[f64; 2]; 3]> {
    let Def::Rgb(rgb) = def else { return None };
    let native = mul(
        &bradford(crate::color::def::D50, xy_to_xyz(rgb.white)),
        &rgb.to_pcs,
    );
    let mut out = [[0.0; 2]; 3];
    for (j, o) in out.iter_mut().enumerate() {
        let (x, y, z) = (native[0][j], native[1][j], native[2][j]);
        let s = x + y + z;
        if !(s.is_finite() && s != 0.0) {
            return None;
        }
        *o = [x / s, y / s];
    }
    Some(out)
}

/// NTSC 1953 primaries (FCC).
const NTSC_1953: [[f64; 2]; 3] = [[0.67, 0.33], [0.21, 0.71], [0.14, 0.08]];

fn triangle_area(p: [[f64; 2]; 3]) -> f64 {
    0.5 * ((p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1]))
        .abs()
}

/// The xy area of an RGB space's gamut triangle over NTSC 1953's.
pub fn gamut_area_ratio(def: &Def) -> Option<f64> {
    rgb_primaries(def).map(|p| triangle_area(p) / triangle_area(NTSC_1953))
}

fn mat_close(a: &Mat3, b: &Mat3, tol: f64) -> bool {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .all(|(x, y)| (x - y).abs() <= tol)
}

fn curves_close(a: &Curve, b: &Curve, tol: f64) -> bool {
    if a == b || (a.is_linear() && b.is_linear()) {
        return true;
    }
    (0..=64).all(|i| {
        let x = f64::from(i) / 64.0;
        (a.to_linear(x) - b.to_linear(x)).abs() <= tol
    })
}

/// Colorimetry within `tol` (range flags ignored).
fn defs_close(a: &Def, b: &Def, tol: f64) -> bool {
    match (a, b) {
        (Def::Rgb(a), Def::Rgb(b)) => {
            mat_close(&a.to_pcs, &b.to_pcs, tol)
                && (0..3).all(|i| curves_close(&a.curves[i], &b.curves[i], tol))
        }
        (Def::Gray(a), Def::Gray(b)) => curves_close(&a.curve, &b.curve, tol),
        (Def::Lab(a), Def::Lab(b)) => {
            let close =
                |x: &[f64], y: &[f64], t: f64| x.iter().zip(y).all(|(p, q)| (p - q).abs() <= t);
            close(&a.white, &b.white, tol)
                && close(&a.black, &b.black, tol)
                && close(&a.range, &b.range, 1e-9)
        }
        (Def::Xyz, Def::Xyz) => true,
        (Def::Lut(a), Def::Lut(b)) => Arc::ptr_eq(a, b),
        _ => false,
    }
}

fn defs_equal_exact(a: &Def, b: &Def) -> bool {
    match (a, b) {
        (Def::Rgb(a), Def::Rgb(b)) => a == b,
        (Def::Gray(a), Def::Gray(b)) => a == b,
        _ => false,
    }
}

/// The first matchable system name whose colorimetry the parsed space has.
fn match_name(space: &ColorSpace, bytes: &[u8]) -> Option<usize> {
    let model = space.model();
    if model == ColorModel::Cmyk {
        let generic = named::generic_cmyk_icc();
        return (bytes == generic)
            .then(|| SPACES.iter().position(|s| s.matchable && s.model == model))
            .flatten();
    }
    (0..SPACES.len()).find(|&i| {
        SPACES[i].matchable
            && SPACES[i].model == model
            && defs_close(&static_defs()[i], space.def(), NAME_TOLERANCE)
    })
}

impl CfType for ColorSpace {
    const CLASS: &'static Class = &class_for::<ColorSpace>(type_ids::COLOR_SPACE, "CGColorSpace");
    fn cf_equal(&self, other: &ColorSpace) -> bool {
        self.is_device() == other.is_device()
            && self.uses_extended_range() == other.uses_extended_range()
            && self.cg_model() == other.cg_model()
            && self.same_colorimetry(other)
    }
}

/// The exported string object whose text is `text`, if it is a colour-space name.
pub(crate) fn known_name(text: &str) -> Option<&'static StaticString> {
    SPACES
        .iter()
        .map(|s| s.name)
        .find(|s| s.value().as_str() == text)
}
