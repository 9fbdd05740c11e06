//! The portable morphology bodies compiled with AVX2 enabled (LLVM emits 32-byte
//! `vpmaxub` / `vpmaxsd` / `vpsubusb` loops from them).

use super::{Extreme, Lane};

#[target_feature(enable = "avx2")]
pub(super) unsafe fn combine<L: Lane>(op: Extreme, acc: &mut [L], src: &[L]) {
    super::combine_body(op, acc, src)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn combine3<L: Lane>(op: Extreme, out: &mut [L], a: &[L], b: &[L]) {
    super::combine3_body(op, out, a, b)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn dilate8(acc: &mut [u8], src: &[u8], k: u8) {
    super::dilate8_body(acc, src, k)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn erode8(acc: &mut [i16], src: &[u8], k: u8) {
    super::erode8_body(acc, src, k)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn keyed(op: Extreme, acc: &mut [i32], src: &[u8], k: f32) {
    super::keyed_body(op, acc, src, k)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn to_keys(op: Extreme, dst: &mut [i32], src: &[u8]) {
    super::to_keys_body(op, dst, src)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn from_keys(dst: &mut [u8], src: &[i32], add: Option<f32>) {
    super::from_keys_body(dst, src, add)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn fold<L: Lane>(op: Extreme, out: &mut [L], s: &[&[L]]) {
    super::fold_body(op, out, s)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn step<L: Lane>(op: Extreme, l: &mut [L], v: &mut [L], r: &[L], row: &[L]) {
    super::step_body(op, l, v, r, row)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn key_fold(op: Extreme, acc: &mut [i32], src: &[u8]) {
    super::key_fold_body(op, acc, src)
}
