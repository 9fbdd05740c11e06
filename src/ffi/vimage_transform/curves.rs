//! Transform.h: gamma, piecewise and lookup-table entry points.
