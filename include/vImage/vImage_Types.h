/* <vImage/vImage_Types.h> for vimage: everything is declared by <vImage/vImage.h>. */
#include "vImage.h"
