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
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
