//! The CoreFoundation object model: reference-counted objects with a shared header.

pub mod any;
pub mod array;
pub mod data;
pub mod dictionary;
pub mod number;
pub mod object;
pub mod string;
pub mod url;

pub use data::Data;
pub use object::{Cf, CfType};
pub use string::CfString;
