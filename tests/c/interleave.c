/* The interleave family from C (placeholder until the family lands). */
#include "ops_util.h"

int main(void) {
  vImage_Buffer b;
  CHECK_EQ(vImageBuffer_Init(&b, 0, 0, 8, kvImageNoFlags), kvImageInvalidParameter);
  return check_report();
}
