/* CGGeometry.h for vimage: CGPoint/CGSize/CGRect and Apple's inline constructors. */
#ifndef VIMAGE_CG_GEOMETRY_H
#define VIMAGE_CG_GEOMETRY_H

#include "../vimage.h"

static inline CGPoint CGPointMake(CGFloat x, CGFloat y) {
  CGPoint p;
  p.x = x;
  p.y = y;
  return p;
}

static inline CGSize CGSizeMake(CGFloat width, CGFloat height) {
  CGSize s;
  s.width = width;
  s.height = height;
  return s;
}

static inline CGRect CGRectMake(CGFloat x, CGFloat y, CGFloat width, CGFloat height) {
  CGRect r;
  r.origin.x = x;
  r.origin.y = y;
  r.size.width = width;
  r.size.height = height;
  return r;
}

#endif /* VIMAGE_CG_GEOMETRY_H */
