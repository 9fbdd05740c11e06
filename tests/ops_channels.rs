//! Conversion.h channel operations through the exported C functions, against direct formulas
//! written here: every permute map and copyMask for each element size, every 8-bit value
//! through the lookup tables, every 16-bit value through the byte swap, the float clip on
//! special values; tiled == kvImageDoNotTile == in place on an image large enough to tile;
//! and the named functions against vImageConvert_AnyToAny where both describe one
//! transformation.

#![allow(non_snake_case)]

use vimage::ffi::vimage_conversion::channels::*;
use vimage::ffi::vimage_converter::*;
use vimage::types::*;

const GUARD: u8 = 0xA5;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn byte(&mut self) -> u8 {
        (self.next() >> 24) as u8
    }
}

/// `h` rows of `w` pixels of `bpp` bytes, `pad` guard bytes after each row, 64 before and after.
#[derive(Clone)]
struct Img {
    buf: Vec<u8>,
    w: usize,
    h: usize,
    bpp: usize,
    rb: usize,
}

const LEAD: usize = 64;

impl Img {
    fn new(w: usize, h: usize, bpp: usize, pad: usize) -> Img {
        let rb = w * bpp + pad;
        Img {
            buf: vec![GUARD; rb * h + 2 * LEAD],
            w,
            h,
            bpp,
            rb,
        }
    }

    fn random(w: usize, h: usize, bpp: usize, pad: usize, rng: &mut Rng) -> Img {
        let mut m = Img::new(w, h, bpp, pad);
        for y in 0..h {
            for b in m.row_mut(y) {
                *b = rng.byte();
            }
        }
        m
    }

    fn vb(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.buf[LEAD..].as_mut_ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }

    fn row(&self, y: usize) -> &[u8] {
        let s = LEAD + y * self.rb;
        &self.buf[s..s + self.w * self.bpp]
    }

    fn row_mut(&mut self, y: usize) -> &mut [u8] {
        let s = LEAD + y * self.rb;
        &mut self.buf[s..s + self.w * self.bpp]
    }

    fn px(&self, x: usize, y: usize) -> &[u8] {
        &self.row(y)[x * self.bpp..(x + 1) * self.bpp]
    }

    /// The pixel bytes, rows packed.
    fn pixels(&self) -> Vec<u8> {
        (0..self.h).flat_map(|y| self.row(y).to_vec()).collect()
    }

    fn guards_ok(&self) -> bool {
        let row = self.w * self.bpp;
        self.buf[..LEAD].iter().all(|&b| b == GUARD)
            && self.buf[self.buf.len() - LEAD..]
                .iter()
                .all(|&b| b == GUARD)
            && (0..self.h).all(|y| {
                let s = LEAD + y * self.rb;
                self.buf[s + row..s + self.rb].iter().all(|&b| b == GUARD)
            })
    }
}

/// Expected image: `f(x, y)` gives the bytes of pixel (x, y).
fn expect(out: &Img, f: impl Fn(usize, usize) -> Vec<u8>) {
    for y in 0..out.h {
        for x in 0..out.w {
            assert_eq!(out.px(x, y), &f(x, y)[..], "pixel ({x}, {y})");
        }
    }
    assert!(out.guards_ok(), "a write outside the destination rows");
}

fn all_maps() -> impl Iterator<Item = [u8; 4]> {
    (0..256u32).map(|m| std::array::from_fn(|i| ((m >> (2 * i)) & 3) as u8))
}

fn sel(mask: u8, i: usize) -> bool {
    mask & (0x8 >> i) != 0
}

// ---- permutes -------------------------------------------------------------------------------

type PermuteFn =
    unsafe extern "C" fn(*const vImage_Buffer, *const vImage_Buffer, *const u8, u32) -> isize;

const PERMUTES: [(usize, PermuteFn); 3] = [
    (1, vImagePermuteChannels_ARGB8888),
    (2, vImagePermuteChannels_ARGB16U),
    (4, vImagePermuteChannels_ARGBFFFF),
];

#[test]
fn permute_every_map_every_element_size() {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    for (e, f) in PERMUTES {
        for map in all_maps() {
            let mut s = Img::random(37, 2, 4 * e, 5, &mut rng);
            let mut d = Img::new(37, 2, 4 * e, 3);
            // SAFETY: live buffers and a 4-entry map.
            assert_eq!(unsafe { f(&s.vb(), &d.vb(), map.as_ptr(), 0) }, 0);
            let want = |x, y| -> Vec<u8> {
                let p = s.px(x, y);
                (0..4)
                    .flat_map(|i| p[map[i] as usize * e..][..e].to_vec())
                    .collect()
            };
            expect(&d, want);
            // In place (IP-B) gives the same bytes.
            let before = s.clone();
            // SAFETY: as above; src and dest are the same buffer.
            assert_eq!(unsafe { f(&s.vb(), &s.vb(), map.as_ptr(), 0) }, 0);
            expect(&s, |x, y| {
                let p = before.px(x, y);
                (0..4)
                    .flat_map(|i| p[map[i] as usize * e..][..e].to_vec())
                    .collect()
            });
        }
        // Entries above 3 are refused.
        let mut s = Img::new(2, 2, 4 * e, 0);
        for bad in [[0, 1, 2, 4], [255, 0, 0, 0]] {
            // SAFETY: live buffer and a 4-entry map.
            assert_eq!(
                unsafe { f(&s.vb(), &s.vb(), bad.as_ptr(), 0) },
                kvImageInvalidParameter
            );
        }
    }
}

#[test]
fn permute_rgb888_every_map_and_null_is_identity() {
    let mut rng = Rng(77);
    for m in 0..27u32 {
        let map = [(m % 3) as u8, (m / 3 % 3) as u8, (m / 9) as u8];
        let mut s = Img::random(9, 4, 3, 2, &mut rng);
        let mut d = Img::new(9, 4, 3, 1);
        // SAFETY: live buffers, a 3-entry map.
        assert_eq!(
            unsafe { vImagePermuteChannels_RGB888(&s.vb(), &d.vb(), map.as_ptr(), 0) },
            0
        );
        expect(&d, |x, y| {
            map.iter().map(|&i| s.px(x, y)[i as usize]).collect()
        });
    }
    let mut s = Img::random(5, 2, 3, 0, &mut rng);
    let mut d = Img::new(5, 2, 3, 0);
    // SAFETY: live buffers; a NULL map is allowed.
    assert_eq!(
        unsafe { vImagePermuteChannels_RGB888(&s.vb(), &d.vb(), std::ptr::null(), 0) },
        0
    );
    assert_eq!(d.pixels(), s.pixels());
    // SAFETY: live buffer and a 3-entry map.
    assert_eq!(
        unsafe { vImagePermuteChannels_RGB888(&s.vb(), &s.vb(), [0u8, 1, 3].as_ptr(), 0) },
        kvImageInvalidParameter
    );
}

#[test]
fn masked_insert_every_map_every_mask_every_element_size() {
    let mut rng = Rng(5);
    for e in [1usize, 2, 4] {
        let bg: Vec<u8> = (0..4 * e).map(|_| rng.byte()).collect();
        for map in all_maps() {
            for mask in 0..16u8 {
                let mut s = Img::random(19, 2, 4 * e, 3, &mut rng);
                let mut d = Img::new(19, 2, 4 * e, 1);
                let (sb, db) = (s.vb(), d.vb());
                // SAFETY: live buffers, a 4-entry map and a 4-channel background.
                let r = unsafe {
                    match e {
                        1 => vImagePermuteChannelsWithMaskedInsert_ARGB8888(
                            &sb,
                            &db,
                            map.as_ptr(),
                            mask,
                            bg.as_ptr(),
                            0,
                        ),
                        2 => {
                            let c: Vec<u16> = bg
                                .chunks(2)
                                .map(|c| u16::from_ne_bytes([c[0], c[1]]))
                                .collect();
                            vImagePermuteChannelsWithMaskedInsert_ARGB16U(
                                &sb,
                                &db,
                                map.as_ptr(),
                                mask,
                                c.as_ptr(),
                                0,
                            )
                        }
                        _ => {
                            let c: Vec<f32> = bg
                                .chunks(4)
                                .map(|c| f32::from_ne_bytes(c.try_into().unwrap()))
                                .collect();
                            vImagePermuteChannelsWithMaskedInsert_ARGBFFFF(
                                &sb,
                                &db,
                                map.as_ptr(),
                                mask,
                                c.as_ptr(),
                                0,
                            )
                        }
                    }
                };
                assert_eq!(r, 0);
                expect(&d, |x, y| {
                    (0..4)
                        .flat_map(|i| {
                            if sel(mask, i) {
                                bg[i * e..][..e].to_vec()
                            } else {
                                s.px(x, y)[map[i] as usize * e..][..e].to_vec()
                            }
                        })
                        .collect()
                });
            }
        }
    }
    let mut s = Img::new(2, 2, 4, 0);
    let b = s.vb();
    // SAFETY: live buffer, 4-entry map and colour.
    unsafe {
        let (id, c) = ([0u8, 1, 2, 3], [0u8; 4]);
        let f = vImagePermuteChannelsWithMaskedInsert_ARGB8888;
        assert_eq!(
            f(&b, &b, id.as_ptr(), 16, c.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            f(&b, &b, [4u8, 0, 0, 0].as_ptr(), 1, c.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            f(&b, &b, id.as_ptr(), 1, std::ptr::null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            f(&b, &b, std::ptr::null(), 1, c.as_ptr(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            f(&b, &b, id.as_ptr(), 1, c.as_ptr(), kvImageGetTempBufferSize),
            0
        );
    }
}

// ---- overwrite, select ----------------------------------------------------------------------

#[test]
fn overwrite_channels_every_mask() {
    let mut rng = Rng(11);
    for e in [1usize, 2, 4] {
        for mask in 0..16u8 {
            let mut n = Img::random(9, 3, e, 2, &mut rng);
            let mut o = Img::random(9, 3, 4 * e, 6, &mut rng);
            let mut d = Img::new(9, 3, 4 * e, 1);
            let f = match e {
                1 => vImageOverwriteChannels_ARGB8888,
                2 => vImageOverwriteChannels_ARGB16U,
                _ => vImageOverwriteChannels_ARGBFFFF,
            };
            // SAFETY: live buffers.
            let nb = n.vb();
            assert_eq!(unsafe { f(&nb, &o.vb(), &d.vb(), mask, 0) }, 0);
            let want = |o: &Img, x, y| -> Vec<u8> {
                (0..4)
                    .flat_map(|i| {
                        if sel(mask, i) {
                            n.px(x, y).to_vec()
                        } else {
                            o.px(x, y)[i * e..][..e].to_vec()
                        }
                    })
                    .collect()
            };
            expect(&d, |x, y| want(&o, x, y));
            // In place on origSrc.
            let before = o.clone();
            // SAFETY: live buffers; origSrc is dest.
            assert_eq!(unsafe { f(&nb, &o.vb(), &o.vb(), mask, 0) }, 0);
            expect(&o, |x, y| want(&before, x, y));
        }
        let mut n = Img::new(2, 2, e, 0);
        let mut o = Img::new(2, 2, 4 * e, 0);
        let f = [
            vImageOverwriteChannels_ARGB8888,
            vImageOverwriteChannels_ARGB16U,
            vImageOverwriteChannels_ARGBFFFF,
        ][e.trailing_zeros() as usize];
        let mut big = Img::new(3, 2, 4 * e, 0);
        // SAFETY: live buffers or NULL.
        unsafe {
            assert_eq!(f(&n.vb(), &o.vb(), &o.vb(), 16, 0), kvImageInvalidParameter);
            assert_eq!(
                f(std::ptr::null(), &o.vb(), &o.vb(), 1, 0),
                kvImageNullPointerArgument
            );
            assert_eq!(
                f(&n.vb(), &o.vb(), &big.vb(), 1, 0),
                kvImageRoiLargerThanInputBuffer
            );
        }
    }
}

#[test]
fn select_channels_every_mask() {
    let mut rng = Rng(12);
    for (e, f) in [
        (
            1usize,
            vImageSelectChannels_ARGB8888 as unsafe extern "C" fn(_, _, _, _, _) -> _,
        ),
        (4, vImageSelectChannels_ARGBFFFF),
    ] {
        for mask in 0..16u8 {
            // 37 pixels: whole 64-byte blocks and a tail.
            let mut n = Img::random(37, 3, 4 * e, 3, &mut rng);
            let mut o = Img::random(37, 3, 4 * e, 0, &mut rng);
            let mut d = Img::new(37, 3, 4 * e, 4);
            // SAFETY: live buffers.
            let nb = n.vb();
            assert_eq!(unsafe { f(&nb, &o.vb(), &d.vb(), mask, 0) }, 0);
            let want = |o: &Img, x, y| -> Vec<u8> {
                (0..4)
                    .flat_map(|i| {
                        let from = if sel(mask, i) { &n } else { o };
                        from.px(x, y)[i * e..][..e].to_vec()
                    })
                    .collect()
            };
            expect(&d, |x, y| want(&o, x, y));
            let before = o.clone();
            // SAFETY: live buffers; origSrc is dest.
            assert_eq!(unsafe { f(&nb, &o.vb(), &o.vb(), mask, 0) }, 0);
            expect(&o, |x, y| want(&before, x, y));
        }
        let mut o = Img::new(2, 2, 4 * e, 0);
        // SAFETY: live buffer.
        assert_eq!(
            unsafe { f(&o.vb(), &o.vb(), &o.vb(), 0x10, 0) },
            kvImageInvalidParameter
        );
    }
}

#[test]
fn overwrite_with_scalar_and_pixel_every_mask() {
    let mut rng = Rng(13);
    for mask in 0..16u8 {
        for e in [1usize, 2, 4] {
            let scalar: Vec<u8> = (0..e).map(|_| rng.byte()).collect();
            let pixel: Vec<u8> = (0..4 * e).map(|_| rng.byte()).collect();
            let mut s = Img::random(11, 2, 4 * e, 5, &mut rng);
            let mut d = Img::new(11, 2, 4 * e, 0);
            let (sb, db) = (s.vb(), d.vb());
            let mut results = Vec::new();
            // SAFETY: live buffers and 4-channel pixels.
            unsafe {
                match e {
                    1 => results.push(vImageOverwriteChannelsWithScalar_ARGB8888(
                        scalar[0], &sb, &db, mask, 0,
                    )),
                    2 => {
                        let v = u16::from_ne_bytes([scalar[0], scalar[1]]);
                        results.push(vImageOverwriteChannelsWithScalar_ARGB16U(
                            v, &sb, &db, mask, 0,
                        ));
                    }
                    _ => {
                        let v = f32::from_ne_bytes(scalar[..].try_into().unwrap());
                        results.push(vImageOverwriteChannelsWithScalar_ARGBFFFF(
                            v, &sb, &db, mask, 0,
                        ));
                    }
                }
            }
            assert_eq!(results, [0]);
            expect(&d, |x, y| {
                (0..4)
                    .flat_map(|i| {
                        if sel(mask, i) {
                            scalar.clone()
                        } else {
                            s.px(x, y)[i * e..][..e].to_vec()
                        }
                    })
                    .collect()
            });
            if e == 2 {
                // The signed scalar writes the same bits.
                let mut d2 = Img::new(11, 2, 8, 0);
                let v = i16::from_ne_bytes([scalar[0], scalar[1]]);
                // SAFETY: live buffers.
                let r = unsafe {
                    vImageOverwriteChannelsWithScalar_ARGB16S(v, &s.vb(), &d2.vb(), mask, 0)
                };
                assert_eq!(r, 0);
                assert_eq!(d2.pixels(), d.pixels());
            }
            // WithPixel, in place.
            let before = s.clone();
            let sb = s.vb();
            // SAFETY: live buffer and a 4-channel pixel.
            let r = unsafe {
                match e {
                    1 => {
                        vImageOverwriteChannelsWithPixel_ARGB8888(pixel.as_ptr(), &sb, &sb, mask, 0)
                    }
                    2 => {
                        let p: Vec<u16> = pixel
                            .chunks(2)
                            .map(|c| u16::from_ne_bytes([c[0], c[1]]))
                            .collect();
                        vImageOverwriteChannelsWithPixel_ARGB16U(p.as_ptr(), &sb, &sb, mask, 0)
                    }
                    _ => {
                        let p: Vec<f32> = pixel
                            .chunks(4)
                            .map(|c| f32::from_ne_bytes(c.try_into().unwrap()))
                            .collect();
                        vImageOverwriteChannelsWithPixel_ARGBFFFF(p.as_ptr(), &sb, &sb, mask, 0)
                    }
                }
            };
            assert_eq!(r, 0);
            expect(&s, |x, y| {
                (0..4)
                    .flat_map(|i| {
                        if sel(mask, i) {
                            pixel[i * e..][..e].to_vec()
                        } else {
                            before.px(x, y)[i * e..][..e].to_vec()
                        }
                    })
                    .collect()
            });
        }
    }
    let mut s = Img::new(2, 2, 4, 0);
    let b = s.vb();
    // SAFETY: live buffer or NULL.
    unsafe {
        assert_eq!(
            vImageOverwriteChannelsWithScalar_ARGB8888(1, &b, &b, 16, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageOverwriteChannelsWithPixel_ARGB8888(std::ptr::null(), &b, &b, 1, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageOverwriteChannelsWithScalar_ARGB8888(1, std::ptr::null(), &b, 1, 0),
            kvImageNullPointerArgument
        );
    }
}

#[test]
fn float_bits_are_copied_not_computed() {
    // NaN payloads, signalling NaNs, -0 and subnormals move unchanged.
    let specials = [
        0x7fc0_1234u32,
        0x7f80_0001,
        0xffc0_0000,
        0x8000_0000,
        0x0000_0001,
    ];
    let mut s = Img::new(5, 1, 16, 0);
    for (x, &v) in specials.iter().enumerate() {
        for c in 0..4 {
            s.row_mut(0)[x * 16 + c * 4..][..4].copy_from_slice(&(v ^ c as u32).to_ne_bytes());
        }
    }
    let mut d = Img::new(5, 1, 16, 0);
    let map = [3u8, 2, 1, 0];
    // SAFETY: live buffers.
    assert_eq!(
        unsafe { vImagePermuteChannels_ARGBFFFF(&s.vb(), &d.vb(), map.as_ptr(), 0) },
        0
    );
    expect(&d, |x, _| {
        (0..4)
            .flat_map(|i| s.px(x, 0)[(3 - i) * 4..][..4].to_vec())
            .collect()
    });
    let nan = f32::from_bits(0x7f80_0001);
    let mut e = Img::new(5, 1, 16, 0);
    // SAFETY: live buffers.
    assert_eq!(
        unsafe { vImageOverwriteChannelsWithScalar_ARGBFFFF(nan, &s.vb(), &e.vb(), 0xf, 0) },
        0
    );
    assert!(
        e.pixels()
            .chunks(4)
            .all(|c| c == 0x7f80_0001u32.to_ne_bytes())
    );
}

// ---- extract, fill, copy --------------------------------------------------------------------

#[test]
fn extract_every_channel_every_element_size() {
    let mut rng = Rng(21);
    for (e, f) in [
        (
            1usize,
            vImageExtractChannel_ARGB8888 as unsafe extern "C" fn(_, _, _, _) -> _,
        ),
        (2, vImageExtractChannel_ARGB16U),
        (4, vImageExtractChannel_ARGBFFFF),
    ] {
        for ch in 0..4 {
            let mut s = Img::random(13, 3, 4 * e, 2, &mut rng);
            let mut d = Img::new(13, 3, e, 3);
            // SAFETY: live buffers.
            assert_eq!(unsafe { f(&s.vb(), &d.vb(), ch, 0) }, 0);
            expect(&d, |x, y| s.px(x, y)[ch as usize * e..][..e].to_vec());
            // In place (IP-A: same start and rowBytes).
            let before = s.clone();
            let sb = s.vb();
            let db = vImage_Buffer { ..sb };
            // SAFETY: the planar destination lies inside the source rows.
            assert_eq!(unsafe { f(&sb, &db, ch, 0) }, 0);
            for y in 0..3 {
                let got = &s.row(y)[..13 * e];
                let want: Vec<u8> = (0..13)
                    .flat_map(|x| before.px(x, y)[ch as usize * e..][..e].to_vec())
                    .collect();
                assert_eq!(got, &want[..]);
            }
        }
        let mut s = Img::new(2, 2, 4 * e, 0);
        let mut d = Img::new(2, 2, e, 0);
        for bad in [-1, 4, i64::MAX as _] {
            // SAFETY: live buffers.
            assert_eq!(
                unsafe { f(&s.vb(), &d.vb(), bad, 0) },
                kvImageInvalidParameter
            );
        }
        // IP-A only: the same start with another rowBytes is refused.
        let sb = s.vb();
        let db = vImage_Buffer {
            rowBytes: sb.rowBytes - 1,
            ..sb
        };
        // SAFETY: overlapping live buffers.
        assert_eq!(unsafe { f(&sb, &db, 0, 0) }, kvImageInvalidParameter);
    }
}

#[test]
fn fills_write_the_colour_bits() {
    let mut rng = Rng(31);
    let cases: [(usize, usize); 10] = [
        (4, 0),
        (8, 1),
        (8, 2),
        (16, 3),
        (2, 4),
        (4, 5),
        (1, 6),
        (4, 7),
        (2, 8),
        (2, 9),
    ];
    for (bpp, which) in cases {
        let color: Vec<u8> = (0..bpp).map(|_| rng.byte()).collect();
        let mut d = Img::new(9, 4, bpp, 3);
        let db = d.vb();
        let u16s: Vec<u16> = color
            .chunks(2)
            .map(|c| u16::from_ne_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        let i16s: Vec<i16> = u16s.iter().map(|&v| v as i16).collect();
        let f32s: Vec<f32> = color
            .chunks(4)
            .filter(|c| c.len() == 4)
            .map(|c| f32::from_ne_bytes(c.try_into().unwrap()))
            .collect();
        // SAFETY: a live buffer and colours of the right channel counts.
        let r = unsafe {
            match which {
                0 => vImageBufferFill_ARGB8888(&db, color.as_ptr(), 0),
                1 => vImageBufferFill_ARGB16U(&db, u16s.as_ptr(), 0),
                2 => vImageBufferFill_ARGB16S(&db, i16s.as_ptr(), 0),
                3 => vImageBufferFill_ARGBFFFF(&db, f32s.as_ptr(), 0),
                4 => vImageBufferFill_CbCr8(&db, color.as_ptr(), 0),
                5 => vImageBufferFill_CbCr16U(&db, u16s.as_ptr(), 0),
                6 => vImageOverwriteChannelsWithScalar_Planar8(color[0], &db, 0),
                7 => vImageOverwriteChannelsWithScalar_PlanarF(f32s[0], &db, 0),
                8 => vImageOverwriteChannelsWithScalar_Planar16U(u16s[0], &db, 0),
                _ => vImageOverwriteChannelsWithScalar_Planar16S(i16s[0], &db, 0),
            }
        };
        assert_eq!(r, 0, "case {which}");
        expect(&d, |_, _| color.clone());
    }
    // SAFETY: NULL arguments are refused before any use.
    unsafe {
        let mut d = Img::new(2, 2, 4, 0);
        assert_eq!(
            vImageBufferFill_ARGB8888(&d.vb(), std::ptr::null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageBufferFill_ARGB8888(std::ptr::null(), [0u8; 4].as_ptr(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageOverwriteChannelsWithScalar_Planar8(0, std::ptr::null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageBufferFill_ARGB8888(&d.vb(), [1u8; 4].as_ptr(), kvImageGetTempBufferSize),
            0
        );
        assert!(
            d.pixels().iter().all(|&b| b == GUARD),
            "GTBS touched pixels"
        );
    }
}

#[test]
fn copy_buffer_every_small_pixel_size_and_overlaps() {
    let mut rng = Rng(41);
    for ps in 1..=17usize {
        let mut s = Img::random(6, 3, ps, 4, &mut rng);
        let mut d = Img::new(6, 3, ps, 1);
        // SAFETY: live buffers.
        assert_eq!(unsafe { vImageCopyBuffer(&s.vb(), &d.vb(), ps, 0) }, 0);
        assert_eq!(d.pixels(), s.pixels());
        assert!(d.guards_ok());
    }
    // Overlaps: the destination gets the source as it was (memmove), whatever the offsets.
    for shift in [-41isize, -16, -1, 0, 1, 3, 16, 41] {
        for (src_rb, dst_rb) in [(40usize, 40usize), (40, 36), (36, 40)] {
            let (w, h, ps) = (9usize, 5usize, 4usize);
            let mut mem: Vec<u8> = (0..512).map(|_| rng.byte()).collect();
            let base = 128usize;
            let d_off = (base as isize + shift) as usize;
            let before = mem.clone();
            let sb = vImage_Buffer {
                data: mem[base..].as_mut_ptr().cast(),
                height: h as _,
                width: w as _,
                rowBytes: src_rb,
            };
            let db = vImage_Buffer {
                data: mem[d_off..].as_mut_ptr().cast(),
                height: h as _,
                width: w as _,
                rowBytes: dst_rb,
            };
            // SAFETY: both buffers lie inside `mem`.
            assert_eq!(
                unsafe { vImageCopyBuffer(&sb, &db, ps, kvImageDoNotTile) },
                0
            );
            let mut want = before.clone();
            for y in 0..h {
                let row = &before[base + y * src_rb..][..w * ps];
                want[d_off + y * dst_rb..][..w * ps].copy_from_slice(row);
            }
            // Bytes outside the destination rows keep their values, unless they are rows of
            // the destination; compare every byte of the destination rows only, then the rest.
            for y in 0..h {
                assert_eq!(
                    &mem[d_off + y * dst_rb..][..w * ps],
                    &want[d_off + y * dst_rb..][..w * ps],
                    "shift {shift} strides {src_rb}/{dst_rb} row {y}"
                );
            }
            let in_dest = |i: usize| {
                (0..h).any(|y| (d_off + y * dst_rb..d_off + y * dst_rb + w * ps).contains(&i))
            };
            for i in 0..mem.len() {
                if !in_dest(i) {
                    assert_eq!(
                        mem[i], before[i],
                        "byte {i} outside the destination changed"
                    );
                }
            }
        }
    }
    let mut s = Img::new(2, 2, 4, 0);
    let mut big = Img::new(3, 2, 4, 0);
    // SAFETY: live buffers.
    unsafe {
        assert_eq!(
            vImageCopyBuffer(&s.vb(), &s.vb(), 0, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageCopyBuffer(&s.vb(), &big.vb(), 4, 0),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImageCopyBuffer(std::ptr::null(), &s.vb(), 4, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageCopyBuffer(&s.vb(), &s.vb(), usize::MAX, 0),
            kvImageInvalidParameter
        );
    }
}

// ---- lookup, clip, byte swap ----------------------------------------------------------------

#[test]
fn table_lookups_every_value() {
    let mut rng = Rng(51);
    let tables: Vec<[u8; 256]> = (0..4)
        .map(|_| std::array::from_fn(|_| rng.byte()))
        .collect();
    // 256 pixels: every value in every channel, in different orders per channel.
    let mut s = Img::new(256, 1, 4, 0);
    for v in 0..256usize {
        let p = [v, 255 - v, v ^ 0x5a, (v * 7) & 255].map(|x| x as u8);
        s.row_mut(0)[v * 4..][..4].copy_from_slice(&p);
    }
    for nulls in 0..16u8 {
        let ptrs: Vec<*const u8> = (0..4)
            .map(|c| {
                if nulls & (1 << c) != 0 {
                    std::ptr::null()
                } else {
                    tables[c].as_ptr()
                }
            })
            .collect();
        let mut d = Img::new(256, 1, 4, 0);
        // SAFETY: live buffers, 256-entry tables or NULL.
        let r = unsafe {
            vImageTableLookUp_ARGB8888(&s.vb(), &d.vb(), ptrs[0], ptrs[1], ptrs[2], ptrs[3], 0)
        };
        assert_eq!(r, 0);
        expect(&d, |x, _| {
            (0..4)
                .map(|c| {
                    let v = s.px(x, 0)[c];
                    if nulls & (1 << c) != 0 {
                        v
                    } else {
                        tables[c][v as usize]
                    }
                })
                .collect()
        });
    }
    let mut p = Img::new(256, 1, 1, 0);
    for v in 0..256 {
        p.row_mut(0)[v] = v as u8;
    }
    let mut d = Img::new(256, 1, 1, 0);
    // SAFETY: live buffers and a 256-entry table.
    assert_eq!(
        unsafe { vImageTableLookUp_Planar8(&p.vb(), &d.vb(), tables[2].as_ptr(), 0) },
        0
    );
    expect(&d, |x, _| vec![tables[2][x]]);
    // In place.
    // SAFETY: as above, src == dest.
    assert_eq!(
        unsafe { vImageTableLookUp_Planar8(&p.vb(), &p.vb(), tables[1].as_ptr(), 0) },
        0
    );
    expect(&p, |x, _| vec![tables[1][x]]);
    // SAFETY: a NULL Planar8 table is refused.
    assert_eq!(
        unsafe { vImageTableLookUp_Planar8(&p.vb(), &d.vb(), std::ptr::null(), 0) },
        kvImageNullPointerArgument
    );
}

/// Apple's clip, written out: compare with `>` then `<`, in that order.
fn clip_formula(v: f32, max: f32, min: f32) -> u32 {
    let mut p = v;
    if p > max {
        p = max;
    }
    if p < min {
        p = min;
    }
    p.to_bits()
}

#[test]
fn clip_planar_f_on_special_values() {
    let specials: Vec<f32> = [
        0x7fc0_0000u32,
        0x7fc0_1234,
        0xffc0_0000,
        0x7f80_0001,
        0x7f80_0000,
        0xff80_0000,
        0x0000_0000,
        0x8000_0000,
        0x0000_0001,
        0x8000_0001,
        0x3f80_0000,
        0xbf80_0000,
        0x3f00_0000,
        0x4000_0000,
        0x7f7f_ffff,
        0xff7f_ffff,
    ]
    .into_iter()
    .map(f32::from_bits)
    .collect();
    let mut rng = Rng(61);
    let mut values = specials.clone();
    values.extend((0..100).map(|_| f32::from_bits(rng.next() as u32)));
    let w = values.len();
    let mut s = Img::new(w, 1, 4, 0);
    for (x, v) in values.iter().enumerate() {
        s.row_mut(0)[x * 4..][..4].copy_from_slice(&v.to_ne_bytes());
    }
    for &max in &specials {
        for &min in &specials {
            let mut d = Img::new(w, 1, 4, 0);
            // SAFETY: live buffers.
            assert_eq!(
                unsafe { vImageClip_PlanarF(&s.vb(), &d.vb(), max, min, 0) },
                0
            );
            expect(&d, |x, _| {
                clip_formula(values[x], max, min).to_ne_bytes().to_vec()
            });
        }
    }
}

#[test]
fn byte_swap_every_16_bit_value() {
    let mut s = Img::new(256, 256, 2, 6);
    for y in 0..256 {
        for x in 0..256 {
            let v = (y * 256 + x) as u16;
            s.row_mut(y)[x * 2..][..2].copy_from_slice(&v.to_ne_bytes());
        }
    }
    let mut d = Img::new(256, 256, 2, 2);
    // SAFETY: live buffers.
    assert_eq!(unsafe { vImageByteSwap_Planar16U(&s.vb(), &d.vb(), 0) }, 0);
    expect(&d, |x, y| {
        ((y * 256 + x) as u16).swap_bytes().to_ne_bytes().to_vec()
    });
    // In place, twice: the identity.
    let before = s.pixels();
    // SAFETY: src == dest.
    unsafe {
        assert_eq!(vImageByteSwap_Planar16U(&s.vb(), &s.vb(), 0), 0);
        assert_eq!(s.pixels(), d.pixels());
        assert_eq!(vImageByteSwap_Planar16U(&s.vb(), &s.vb(), 0), 0);
    }
    assert_eq!(s.pixels(), before);
}

// ---- tiled == DoNotTile == in place ---------------------------------------------------------

/// Runs `op(src, dest, flags)` tiled, untiled and in place on an image over the tiling
/// threshold; all three give the same bytes.
fn tiled_untiled_in_place(bpp: usize, op: impl Fn(&vImage_Buffer, &vImage_Buffer, u32) -> isize) {
    let mut rng = Rng(71 + bpp as u64);
    let (w, h) = (521, 257);
    let mut s = Img::random(w, h, bpp, 7, &mut rng);
    let mut a = Img::new(w, h, bpp, 7);
    let mut b = Img::new(w, h, bpp, 0);
    assert_eq!(op(&s.vb(), &a.vb(), 0), 0);
    assert_eq!(op(&s.vb(), &b.vb(), kvImageDoNotTile), 0);
    assert_eq!(a.pixels(), b.pixels());
    assert_eq!(op(&s.vb(), &s.vb(), 0), 0);
    assert_eq!(s.pixels(), a.pixels());
    assert!(a.guards_ok() && b.guards_ok() && s.guards_ok());
}

#[test]
fn tiled_equals_untiled_equals_in_place() {
    let map = [3u8, 1, 0, 2];
    // SAFETY (every closure below): live buffers from `tiled_untiled_in_place` and live
    // arrays of the right length.
    tiled_untiled_in_place(4, |s, d, f| unsafe {
        vImagePermuteChannels_ARGB8888(s, d, map.as_ptr(), f)
    });
    tiled_untiled_in_place(8, |s, d, f| unsafe {
        vImagePermuteChannels_ARGB16U(s, d, map.as_ptr(), f)
    });
    tiled_untiled_in_place(16, |s, d, f| unsafe {
        vImagePermuteChannels_ARGBFFFF(s, d, map.as_ptr(), f)
    });
    tiled_untiled_in_place(3, |s, d, f| unsafe {
        vImagePermuteChannels_RGB888(s, d, [2u8, 0, 1].as_ptr(), f)
    });
    tiled_untiled_in_place(8, |s, d, f| unsafe {
        vImagePermuteChannelsWithMaskedInsert_ARGB16U(
            s,
            d,
            map.as_ptr(),
            0x5,
            [1u16, 2, 3, 4].as_ptr(),
            f,
        )
    });
    tiled_untiled_in_place(16, |s, d, f| unsafe {
        vImageOverwriteChannelsWithPixel_ARGBFFFF([1.0f32, 2.0, 3.0, 4.0].as_ptr(), s, d, 0x9, f)
    });
    tiled_untiled_in_place(4, |s, d, f| unsafe {
        vImageOverwriteChannelsWithScalar_ARGB8888(9, s, d, 0x6, f)
    });
    tiled_untiled_in_place(4, |s, d, f| unsafe {
        vImageTableLookUp_ARGB8888(
            s,
            d,
            [7u8; 256].as_ptr(),
            std::ptr::null(),
            [1u8; 256].as_ptr(),
            std::ptr::null(),
            f,
        )
    });
    tiled_untiled_in_place(1, |s, d, f| unsafe {
        vImageTableLookUp_Planar8(s, d, [3u8; 256].as_ptr(), f)
    });
    tiled_untiled_in_place(4, |s, d, f| unsafe {
        vImageClip_PlanarF(s, d, 0.5, -0.5, f)
    });
    tiled_untiled_in_place(2, |s, d, f| unsafe { vImageByteSwap_Planar16U(s, d, f) });
    tiled_untiled_in_place(12, |s, d, f| unsafe { vImageCopyBuffer(s, d, 12, f) });
    // Two-source operations, in place on origSrc.
    let mut rng = Rng(99);
    let mut n8 = Img::random(521, 257, 1, 3, &mut rng);
    let mut n16 = Img::random(521, 257, 16, 3, &mut rng);
    let nb8 = n8.vb();
    let nb16 = n16.vb();
    tiled_untiled_in_place(4, |s, d, f| unsafe {
        vImageOverwriteChannels_ARGB8888(&nb8, s, d, 0xa, f)
    });
    tiled_untiled_in_place(16, |s, d, f| unsafe {
        vImageSelectChannels_ARGBFFFF(&nb16, s, d, 0x3, f)
    });
    // Fills and extraction: tiled == untiled.
    let mut a = Img::new(521, 257, 8, 5);
    let mut b = Img::new(521, 257, 8, 5);
    let c = [1u16, 2, 3, 65535];
    // SAFETY: live buffers and a 4-channel colour.
    unsafe {
        assert_eq!(vImageBufferFill_ARGB16U(&a.vb(), c.as_ptr(), 0), 0);
        assert_eq!(
            vImageBufferFill_ARGB16U(&b.vb(), c.as_ptr(), kvImageDoNotTile),
            0
        );
    }
    assert_eq!(a.pixels(), b.pixels());
    let mut s = Img::random(521, 257, 16, 0, &mut rng);
    let mut e1 = Img::new(521, 257, 4, 1);
    let mut e2 = Img::new(521, 257, 4, 1);
    // SAFETY: live buffers.
    unsafe {
        assert_eq!(vImageExtractChannel_ARGBFFFF(&s.vb(), &e1.vb(), 2, 0), 0);
        assert_eq!(
            vImageExtractChannel_ARGBFFFF(&s.vb(), &e2.vb(), 2, kvImageDoNotTile),
            0
        );
    }
    assert_eq!(e1.pixels(), e2.pixels());
}

// ---- common errors --------------------------------------------------------------------------

#[test]
fn unknown_flags_null_buffers_and_temp_buffer_queries() {
    let mut s = Img::new(4, 4, 4, 0);
    let mut big = Img::new(5, 4, 4, 0);
    let (sb, bb) = (s.vb(), big.vb());
    let id = [0u8, 1, 2, 3];
    // SAFETY: live buffers or NULL.
    unsafe {
        assert_eq!(
            vImagePermuteChannels_ARGB16U(&sb, &sb, id.as_ptr(), 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageSelectChannels_ARGB8888(&sb, &sb, &sb, 1, 1 << 30),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageClip_PlanarF(std::ptr::null(), &sb, 1.0, 0.0, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageByteSwap_Planar16U(&sb, std::ptr::null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageTableLookUp_ARGB8888(
                &sb,
                &bb,
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
                0
            ),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImageExtractChannel_ARGB8888(&sb, &bb, 0, 0),
            kvImageRoiLargerThanInputBuffer
        );
        // kvImageGetTempBufferSize: 0, no pixel touched.
        let mut d = Img::new(4, 4, 4, 0);
        let db = d.vb();
        assert_eq!(
            vImageSelectChannels_ARGB8888(&sb, &sb, &db, 1, kvImageGetTempBufferSize),
            0
        );
        assert_eq!(vImageCopyBuffer(&sb, &db, 4, kvImageGetTempBufferSize), 0);
        assert_eq!(
            vImageExtractChannel_ARGB8888(&sb, &db, 1, kvImageGetTempBufferSize),
            0
        );
        assert!(d.pixels().iter().all(|&b| b == GUARD));
    }
}

// ---- named == converter ---------------------------------------------------------------------

fn format(bpc: u32, bpp: u32, info: u32) -> vImage_CGImageFormat {
    vImage_CGImageFormat {
        bitsPerComponent: bpc,
        bitsPerPixel: bpp,
        colorSpace: std::ptr::null_mut(),
        bitmapInfo: info,
        version: 0,
        decode: std::ptr::null(),
        renderingIntent: kCGRenderingIntentDefault,
    }
}

/// vImageConvert_AnyToAny from `src` to a new image of `dst_bpp` bytes per pixel.
fn convert(
    src_fmt: vImage_CGImageFormat,
    dst_fmt: vImage_CGImageFormat,
    s: &mut Img,
    dst_bpp: usize,
) -> Img {
    let mut d = Img::new(s.w, s.h, dst_bpp, 4);
    // SAFETY: valid formats, live buffers; the converter is released.
    unsafe {
        let mut error = 0;
        let c = vImageConverter_CreateWithCGImageFormat(
            &src_fmt,
            &dst_fmt,
            std::ptr::null(),
            0,
            &mut error,
        );
        assert_eq!(error, kvImageNoError);
        let r = vImageConvert_AnyToAny(c, &s.vb(), &d.vb(), std::ptr::null_mut(), 0);
        vImageConverter_Release(c);
        assert_eq!(r, kvImageNoError);
    }
    d
}

fn permuted(s: &mut Img, f: PermuteFn, map: [u8; 4]) -> Img {
    let mut d = Img::new(s.w, s.h, s.bpp, 0);
    // SAFETY: live buffers and a 4-entry map.
    assert_eq!(unsafe { f(&s.vb(), &d.vb(), map.as_ptr(), 0) }, 0);
    d
}

#[test]
fn named_permutes_equal_the_converter() {
    let mut rng = Rng(81);
    let first = kCGImageAlphaFirst;
    let last = kCGImageAlphaLast;
    let bgra = kCGImageAlphaFirst | kCGBitmapByteOrder32Little;
    let abgr = kCGImageAlphaLast | kCGBitmapByteOrder32Little;
    // 8-bit: (source layout, destination layout, the permute map that is the same change).
    for (from, to, map) in [
        (bgra, last, [2u8, 1, 0, 3]), // BGRA -> RGBA
        (last, bgra, [2, 1, 0, 3]),   // RGBA -> BGRA
        (first, last, [1, 2, 3, 0]),  // ARGB -> RGBA
        (last, first, [3, 0, 1, 2]),  // RGBA -> ARGB
        (first, bgra, [3, 2, 1, 0]),  // ARGB -> BGRA
        (bgra, first, [3, 2, 1, 0]),  // BGRA -> ARGB
        (abgr, last, [3, 2, 1, 0]),   // ABGR -> RGBA
    ] {
        let mut s = Img::random(37, 5, 4, 4, &mut rng);
        let want = convert(format(8, 32, from), format(8, 32, to), &mut s, 4);
        assert_eq!(
            permuted(&mut s, vImagePermuteChannels_ARGB8888, map).pixels(),
            want.pixels(),
            "8-bit {from:#x} -> {to:#x}"
        );
    }
    // 16-bit little-endian samples: the ARGB16U permute on native (little-endian) words.
    let le16 = kCGBitmapByteOrder16Little;
    for (from, to, map) in [
        (first | le16, last | le16, [1u8, 2, 3, 0]),
        (last | le16, first | le16, [3, 0, 1, 2]),
    ] {
        let mut s = Img::random(37, 5, 8, 4, &mut rng);
        let want = convert(format(16, 64, from), format(16, 64, to), &mut s, 8);
        assert_eq!(
            permuted(&mut s, vImagePermuteChannels_ARGB16U, map).pixels(),
            want.pixels(),
            "16-bit {from:#x} -> {to:#x}"
        );
    }
    // binary32 samples in [0, 1] (the converter's float path keeps them bit for bit).
    let float = kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;
    for (from, to, map) in [
        (first | float, last | float, [1u8, 2, 3, 0]),
        (last | float, first | float, [3, 0, 1, 2]),
    ] {
        let mut s = Img::new(37, 5, 16, 4);
        for y in 0..5 {
            for v in s.row_mut(y).chunks_exact_mut(4) {
                let x = (rng.next() >> 40) as f32 / (1u64 << 24) as f32;
                v.copy_from_slice(&x.to_ne_bytes());
            }
        }
        let want = convert(format(32, 128, from), format(32, 128, to), &mut s, 16);
        assert_eq!(
            permuted(&mut s, vImagePermuteChannels_ARGBFFFF, map).pixels(),
            want.pixels(),
            "float {from:#x} -> {to:#x}"
        );
    }
}

#[test]
fn named_inserts_and_swaps_equal_the_converter() {
    let mut rng = Rng(91);
    // XRGB -> ARGB opaque == OverwriteChannelsWithScalar_ARGB8888(255, mask 0x8).
    let mut s = Img::random(21, 4, 4, 4, &mut rng);
    let want = convert(
        format(8, 32, kCGImageAlphaNoneSkipFirst),
        format(8, 32, kCGImageAlphaFirst),
        &mut s,
        4,
    );
    let mut d = Img::new(21, 4, 4, 0);
    // SAFETY: live buffers.
    assert_eq!(
        unsafe { vImageOverwriteChannelsWithScalar_ARGB8888(255, &s.vb(), &d.vb(), 0x8, 0) },
        0
    );
    assert_eq!(d.pixels(), want.pixels(), "XRGB -> ARGB");
    // XRGB -> RGBA opaque == PermuteChannelsWithMaskedInsert_ARGB8888({1,2,3,0}, 0x1, 255).
    let want = convert(
        format(8, 32, kCGImageAlphaNoneSkipFirst),
        format(8, 32, kCGImageAlphaLast),
        &mut s,
        4,
    );
    let mut d = Img::new(21, 4, 4, 0);
    // SAFETY: live buffers, a 4-entry map and colour.
    let r = unsafe {
        vImagePermuteChannelsWithMaskedInsert_ARGB8888(
            &s.vb(),
            &d.vb(),
            [1u8, 2, 3, 0].as_ptr(),
            0x1,
            [0u8, 0, 0, 255].as_ptr(),
            0,
        )
    };
    assert_eq!(r, 0);
    assert_eq!(d.pixels(), want.pixels(), "XRGB -> RGBA");
    // 16-bit XRGB -> ARGB opaque == OverwriteChannelsWithScalar_ARGB16U(65535, 0x8).
    let le16 = kCGBitmapByteOrder16Little;
    let mut s = Img::random(21, 4, 8, 4, &mut rng);
    let want = convert(
        format(16, 64, kCGImageAlphaNoneSkipFirst | le16),
        format(16, 64, kCGImageAlphaFirst | le16),
        &mut s,
        8,
    );
    let mut d = Img::new(21, 4, 8, 0);
    // SAFETY: live buffers.
    assert_eq!(
        unsafe { vImageOverwriteChannelsWithScalar_ARGB16U(65535, &s.vb(), &d.vb(), 0x8, 0) },
        0
    );
    assert_eq!(d.pixels(), want.pixels(), "16-bit XRGB -> ARGB");
    // 16-bit big-endian -> little-endian == ByteSwap_Planar16U on width * 4.
    let want = convert(
        format(16, 64, kCGImageAlphaFirst | kCGBitmapByteOrder16Big),
        format(16, 64, kCGImageAlphaFirst | le16),
        &mut s,
        8,
    );
    let sb = s.vb();
    let mut d = Img::new(21 * 4, 4, 2, 0);
    let wide = vImage_Buffer {
        width: 21 * 4,
        ..sb
    };
    // SAFETY: live buffers (the source rows hold 21 * 4 samples).
    assert_eq!(unsafe { vImageByteSwap_Planar16U(&wide, &d.vb(), 0) }, 0);
    assert_eq!(d.pixels(), want.pixels(), "16Big -> 16Little");
}
