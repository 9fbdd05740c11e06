//! `vImage_Flags` as a typed set, and the per-function lists of accepted flags.

use crate::error::{Error, Result};
use crate::types::*;

bitflags::bitflags! {
    /// The `vImage_Flags` bits this library knows.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Flags: vImage_Flags {
        const LEAVE_ALPHA_UNCHANGED = kvImageLeaveAlphaUnchanged;
        const COPY_IN_PLACE = kvImageCopyInPlace;
        const BACKGROUND_COLOR_FILL = kvImageBackgroundColorFill;
        const EDGE_EXTEND = kvImageEdgeExtend;
        const DO_NOT_TILE = kvImageDoNotTile;
        const HIGH_QUALITY_RESAMPLING = kvImageHighQualityResampling;
        const TRUNCATE_KERNEL = kvImageTruncateKernel;
        const GET_TEMP_BUFFER_SIZE = kvImageGetTempBufferSize;
        const PRINT_DIAGNOSTICS = kvImagePrintDiagnosticsToConsole;
        const NO_ALLOCATE = kvImageNoAllocate;
        const HDR_CONTENT = kvImageHDRContent;
        const DO_NOT_CLAMP = kvImageDoNotClamp;
        const USE_FP16_ACCUMULATOR = kvImageUseFP16Accumulator;
    }
}

impl Flags {
    /// `raw` as flags if every set bit is in `allowed`, else `kvImageUnknownFlagsBit`.
    pub fn check(raw: vImage_Flags, allowed: Flags) -> Result<Flags> {
        let unknown = raw & !allowed.bits();
        if unknown != 0 {
            return Err(Error::UnknownFlags(unknown));
        }
        Ok(Flags::from_bits_truncate(raw))
    }

    /// Flags `vImageCreateCGImageFromBuffer` accepts (§4.1 rule 11).
    pub const CREATE_IMAGE: Flags = Flags::NO_ALLOCATE
        .union(Flags::PRINT_DIAGNOSTICS)
        .union(Flags::HIGH_QUALITY_RESAMPLING)
        .union(Flags::DO_NOT_TILE);
    /// Flags `vImageBuffer_Init` accepts (§4.2 rule 4, §7.7).
    pub const BUFFER_INIT: Flags = Flags::NO_ALLOCATE.union(Flags::PRINT_DIAGNOSTICS);
    /// Flags `vImageBuffer_InitWithCGImage` accepts (§7.6: not kvImageDoNotTile).
    pub const INIT_WITH_IMAGE: Flags = Flags::NO_ALLOCATE.union(Flags::PRINT_DIAGNOSTICS);
}
