//! Transform.h: matrix multiply, and the gamma / piecewise / lookup-table curves.

pub mod curves;
pub mod matrix;
