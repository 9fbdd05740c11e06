/* Placeholder: the histogram family's C test replaces this file. */
#include <vImage/vImage.h>

int main(void) { return 0; }
