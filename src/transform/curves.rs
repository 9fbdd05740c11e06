//! Transform.h curves: gamma functions, piecewise gamma / polynomial, lookup tables.
