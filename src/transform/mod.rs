//! Transform.h, the safe core: colour matrices, and the gamma / piecewise / lookup-table curves.

pub mod curves;
pub mod matrix;
