//! Colour spaces: the device spaces and Apple's named spaces of the gray, RGB and CMYK models.
//!
//! A colour space here is fully described by which of these it is, so each has one static,
//! never-freed instance besides the objects `CGColorSpaceCreate*` hands out. Conversions between
//! spaces of one model are the identity until colour management lands.

use crate::cf::object::{Cf, CfBox, CfType, Class, class_for, type_ids};
use crate::cf::string::{CfString, StaticString};
use crate::format::ColorModel;

/// A colour space.
#[derive(Debug)]
pub struct ColorSpace {
    index: usize,
}

/// What a colour space is: its name and model.
#[derive(Debug)]
pub struct SpaceInfo {
    /// The CFString `CGColorSpaceGetName` returns ("kCGColorSpaceSRGB", "kCGColorSpaceDeviceRGB").
    pub name: &'static StaticString,
    pub model: ColorModel,
    /// Device spaces are not made by name.
    pub named: bool,
}

macro_rules! spaces {
    ($($ident:ident $text:literal $model:ident $named:literal;)*) => {
        /// The string objects behind the exported `kCGColorSpace*` constants.
        #[allow(non_upper_case_globals)]
        pub mod names {
            use super::*;
            $(pub static $ident: StaticString = CfBox::new_static(CfString::from_static($text));)*
        }
        static SPACES: &[SpaceInfo] = &[
            $(SpaceInfo { name: &names::$ident, model: ColorModel::$model, named: $named },)*
        ];
        const COUNT: usize = [$(stringify!($ident)),*].len();
        static OBJECTS: [CfBox<ColorSpace>; COUNT] = {
            let mut objects = [const { CfBox::new_static(ColorSpace { index: 0 }) }; COUNT];
            let mut i = 0;
            while i < COUNT {
                objects[i] = CfBox::new_static(ColorSpace { index: i });
                i += 1;
            }
            objects
        };
    };
}

spaces! {
    kCGColorSpaceDeviceRGB "kCGColorSpaceDeviceRGB" Rgb false;
    kCGColorSpaceDeviceGray "kCGColorSpaceDeviceGray" Gray false;
    kCGColorSpaceDeviceCMYK "kCGColorSpaceDeviceCMYK" Cmyk false;
    kCGColorSpaceSRGB "kCGColorSpaceSRGB" Rgb true;
    kCGColorSpaceLinearSRGB "kCGColorSpaceLinearSRGB" Rgb true;
    kCGColorSpaceExtendedSRGB "kCGColorSpaceExtendedSRGB" Rgb true;
    kCGColorSpaceExtendedLinearSRGB "kCGColorSpaceExtendedLinearSRGB" Rgb true;
    kCGColorSpaceDisplayP3 "kCGColorSpaceDisplayP3" Rgb true;
    kCGColorSpaceLinearDisplayP3 "kCGColorSpaceLinearDisplayP3" Rgb true;
    kCGColorSpaceExtendedDisplayP3 "kCGColorSpaceExtendedDisplayP3" Rgb true;
    kCGColorSpaceExtendedLinearDisplayP3 "kCGColorSpaceExtendedLinearDisplayP3" Rgb true;
    kCGColorSpaceGenericRGB "kCGColorSpaceGenericRGB" Rgb true;
    kCGColorSpaceGenericRGBLinear "kCGColorSpaceGenericRGBLinear" Rgb true;
    kCGColorSpaceAdobeRGB1998 "kCGColorSpaceAdobeRGB1998" Rgb true;
    kCGColorSpaceACESCGLinear "kCGColorSpaceACESCGLinear" Rgb true;
    kCGColorSpaceITUR_709 "kCGColorSpaceITUR_709" Rgb true;
    kCGColorSpaceITUR_2020 "kCGColorSpaceITUR_2020" Rgb true;
    kCGColorSpaceROMMRGB "kCGColorSpaceROMMRGB" Rgb true;
    kCGColorSpaceDCIP3 "kCGColorSpaceDCIP3" Rgb true;
    kCGColorSpaceITUR_709_PQ "kCGColorSpaceITUR_709_PQ" Rgb true;
    kCGColorSpaceITUR_709_HLG "kCGColorSpaceITUR_709_HLG" Rgb true;
    kCGColorSpaceITUR_2020_sRGBGamma "kCGColorSpaceITUR_2020_sRGBGamma" Rgb true;
    kCGColorSpaceLinearITUR_2020 "kCGColorSpaceLinearITUR_2020" Rgb true;
    kCGColorSpaceExtendedITUR_2020 "kCGColorSpaceExtendedITUR_2020" Rgb true;
    kCGColorSpaceExtendedLinearITUR_2020 "kCGColorSpaceExtendedLinearITUR_2020" Rgb true;
    kCGColorSpaceITUR_2100_PQ "kCGColorSpaceITUR_2100_PQ" Rgb true;
    kCGColorSpaceITUR_2100_HLG "kCGColorSpaceITUR_2100_HLG" Rgb true;
    kCGColorSpaceDisplayP3_PQ "kCGColorSpaceDisplayP3_PQ" Rgb true;
    kCGColorSpaceDisplayP3_HLG "kCGColorSpaceDisplayP3_HLG" Rgb true;
    kCGColorSpaceITUR_2020_PQ "kCGColorSpaceITUR_2020_PQ" Rgb true;
    kCGColorSpaceITUR_2020_HLG "kCGColorSpaceITUR_2020_HLG" Rgb true;
    kCGColorSpaceDisplayP3_PQ_EOTF "kCGColorSpaceDisplayP3_PQ_EOTF" Rgb true;
    kCGColorSpaceITUR_2020_PQ_EOTF "kCGColorSpaceITUR_2020_PQ_EOTF" Rgb true;
    kCGColorSpaceGenericGrayGamma2_2 "kCGColorSpaceGenericGrayGamma2_2" Gray true;
    kCGColorSpaceLinearGray "kCGColorSpaceLinearGray" Gray true;
    kCGColorSpaceExtendedGray "kCGColorSpaceExtendedGray" Gray true;
    kCGColorSpaceExtendedLinearGray "kCGColorSpaceExtendedLinearGray" Gray true;
    kCGColorSpaceGenericGray "kCGColorSpaceGenericGray" Gray true;
    kCGColorSpaceGenericCMYK "kCGColorSpaceGenericCMYK" Cmyk true;
}

/// Names that exist as exported constants but whose model this library cannot hold.
static UNSUPPORTED_NAMES: &[&StaticString] = &[&OTHER_XYZ, &OTHER_LAB];
pub static OTHER_XYZ: StaticString =
    CfBox::new_static(CfString::from_static("kCGColorSpaceGenericXYZ"));
pub static OTHER_LAB: StaticString =
    CfBox::new_static(CfString::from_static("kCGColorSpaceGenericLab"));

/// The string objects behind `kCGColorSpaceGenericXYZ` / `kCGColorSpaceGenericLab`.
pub mod unsupported_names {
    pub use super::{OTHER_LAB as kCGColorSpaceGenericLab, OTHER_XYZ as kCGColorSpaceGenericXYZ};
}

/// Which space a well-known one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    DeviceRgb = 0,
    DeviceGray = 1,
    DeviceCmyk = 2,
    Srgb = 3,
}

impl ColorSpace {
    /// A new reference to one of the well-known spaces.
    pub fn known(which: Known) -> Cf<ColorSpace> {
        Cf::from_static(&OBJECTS[which as usize])
    }

    /// The static instance equal to this space (never freed; safe to hand out at +0).
    pub fn canonical(&self) -> &'static CfBox<ColorSpace> {
        &OBJECTS[self.index]
    }

    /// A new colour space object for a name (`CGColorSpaceCreateWithName`), compared by text.
    pub fn with_name(name: &str) -> Option<Cf<ColorSpace>> {
        let index = SPACES
            .iter()
            .position(|s| s.named && s.name.value().as_str() == name)?;
        Some(Cf::new(ColorSpace { index }))
    }

    /// A new, separately counted object for a well-known space (`CGColorSpaceCreateDevice*`).
    pub fn create(which: Known) -> Cf<ColorSpace> {
        Cf::new(ColorSpace {
            index: which as usize,
        })
    }

    pub fn info(&self) -> &'static SpaceInfo {
        &SPACES[self.index]
    }

    pub fn model(&self) -> ColorModel {
        self.info().model
    }

    pub fn name(&self) -> &'static str {
        self.info().name.value().as_str()
    }

    /// The colorimetry of this space (interim: the common named spaces; the colour-space work
    /// replaces this table and keeps the signature).
    pub fn def(&self) -> &crate::color::def::Def {
        use crate::color::def::{Def, standard};
        static DEFS: std::sync::OnceLock<Vec<Def>> = std::sync::OnceLock::new();
        let defs = DEFS.get_or_init(|| {
            SPACES
                .iter()
                .map(|s| match (s.name.value().as_str(), s.model) {
                    ("kCGColorSpaceDisplayP3", _) => standard::display_p3(),
                    ("kCGColorSpaceAdobeRGB1998", _) => standard::adobe_rgb(),
                    ("kCGColorSpaceLinearSRGB", _) => standard::linear_srgb(),
                    ("kCGColorSpaceLinearGray", _) => standard::linear_gray(),
                    (_, ColorModel::Gray) => standard::gray_gamma_2_2(),
                    _ => standard::srgb(),
                })
                .collect()
        });
        &defs[self.index]
    }
}

impl CfType for ColorSpace {
    const CLASS: &'static Class = &class_for::<ColorSpace>(type_ids::COLOR_SPACE, "CGColorSpace");
    fn cf_equal(&self, other: &ColorSpace) -> bool {
        self.index == other.index
    }
}

/// The exported string object whose text is `text`, if it is a colour-space name.
pub(crate) fn known_name(text: &str) -> Option<&'static StaticString> {
    SPACES
        .iter()
        .map(|s| s.name)
        .chain(UNSUPPORTED_NAMES.iter().copied())
        .find(|s| s.value().as_str() == text)
}
