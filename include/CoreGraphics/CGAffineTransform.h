/* CGAffineTransform.h for vimage: the transform functions are exported (see vimage.h); Apple's
 * inline helpers are here. */
#ifndef VIMAGE_CG_AFFINE_TRANSFORM_H
#define VIMAGE_CG_AFFINE_TRANSFORM_H

#include "CGGeometry.h"

static inline CGAffineTransform __CGAffineTransformMake(CGFloat a, CGFloat b, CGFloat c, CGFloat d,
                                                        CGFloat tx, CGFloat ty) {
  CGAffineTransform t;
  t.a = a;
  t.b = b;
  t.c = c;
  t.d = d;
  t.tx = tx;
  t.ty = ty;
  return t;
}

static inline CGPoint __CGPointApplyAffineTransform(CGPoint point, CGAffineTransform t) {
  CGPoint p;
  p.x = t.a * point.x + t.c * point.y + t.tx;
  p.y = t.b * point.x + t.d * point.y + t.ty;
  return p;
}
#define CGPointApplyAffineTransform __CGPointApplyAffineTransform

#endif /* VIMAGE_CG_AFFINE_TRANSFORM_H */
