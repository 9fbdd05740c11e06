//! The CoreFoundation object model: reference-counted objects with a shared header.

pub mod data;
pub mod object;
pub mod string;

pub use data::Data;
pub use object::{Cf, CfType};
pub use string::CfString;
