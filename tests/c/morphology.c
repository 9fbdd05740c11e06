/* Placeholder: the morphology family's C test replaces this file. */
#include <vImage/vImage.h>

int main(void) { return vImageCopyBuffer(NULL, NULL, 1, 0) == kvImageNullPointerArgument ? 0 : 1; }
