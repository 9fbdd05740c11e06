//! Errors of the safe core, each mapped to the vImage error code Apple documents.

use crate::types::*;

/// Why a call failed. [`Error::code`] gives the `vImage_Error` C callers see; the message is
/// what `kvImagePrintDiagnosticsToConsole` prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("NULL pointer argument: {0}")]
    NullPointer(&'static str),
    #[error("unknown flags bit(s) {0:#x}")]
    UnknownFlags(vImage_Flags),
    #[error("invalid parameter: {0}")]
    InvalidParameter(&'static str),
    #[error("invalid image format: {0}")]
    InvalidImageFormat(&'static str),
    #[error("invalid rowBytes: {0}")]
    InvalidRowBytes(&'static str),
    #[error("buffer size mismatch: {0}")]
    BufferSizeMismatch(&'static str),
    #[error("cannot allocate {0} bytes")]
    Allocation(usize),
    #[error("invalid image object: {0}")]
    InvalidImageObject(&'static str),
    #[error("internal error: {0}")]
    Internal(&'static str),
    #[error("region of interest larger than the input buffer: {0}")]
    RoiLargerThanInput(&'static str),
    #[error("invalid kernel size: {0}")]
    InvalidKernelSize(&'static str),
    #[error("invalid edge style: {0}")]
    InvalidEdgeStyle(&'static str),
    #[error("invalid offset x: {0}")]
    InvalidOffsetX(&'static str),
    #[error("invalid offset y: {0}")]
    InvalidOffsetY(&'static str),
    #[error("out-of-place operation required: {0}")]
    OutOfPlaceRequired(&'static str),
}

impl Error {
    /// The `vImage_Error` code for this error.
    pub fn code(&self) -> vImage_Error {
        match self {
            Error::NullPointer(_) => kvImageNullPointerArgument,
            Error::UnknownFlags(_) => kvImageUnknownFlagsBit,
            Error::InvalidParameter(_) => kvImageInvalidParameter,
            Error::InvalidImageFormat(_) => kvImageInvalidImageFormat,
            Error::InvalidRowBytes(_) => kvImageInvalidRowBytes,
            Error::BufferSizeMismatch(_) => kvImageBufferSizeMismatch,
            Error::Allocation(_) => kvImageMemoryAllocationError,
            Error::InvalidImageObject(_) => kvImageInvalidImageObject,
            Error::Internal(_) => kvImageInternalError,
            Error::RoiLargerThanInput(_) => kvImageRoiLargerThanInputBuffer,
            Error::InvalidKernelSize(_) => kvImageInvalidKernelSize,
            Error::InvalidEdgeStyle(_) => kvImageInvalidEdgeStyle,
            Error::InvalidOffsetX(_) => kvImageInvalidOffset_X,
            Error::InvalidOffsetY(_) => kvImageInvalidOffset_Y,
            Error::OutOfPlaceRequired(_) => kvImageOutOfPlaceOperationRequired,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
