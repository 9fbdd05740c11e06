//! Row kernels for morphology (one file per instruction set behind one dispatcher).
