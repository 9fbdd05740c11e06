/* <vImage/Alpha.h> for vimage: the functions are declared by vimage.h; this file adds the
 * names Apple defines as macros (BGRA / RGBA spellings of exported functions). */
#ifndef VIMAGE_ALPHA_H
#define VIMAGE_ALPHA_H

#include "../vimage.h"

#endif /* VIMAGE_ALPHA_H */
