//! vImageMatrixMultiply_*: pixels as row vectors times a matrix, with pre / post bias.
