//! Transform.h: vImageMatrixMultiply_* entry points.
