/*
 * Tiny assertion helpers for the C test programs (C11 and C++17).
 *
 * A failed CHECK prints file:line, the function, the expression and the values to stderr and
 * counts the failure; the program goes on, so one run reports every broken rule. main() ends
 * with `return check_report();`, which is non-zero when anything failed. Checks may run on
 * several threads at once (the counters use atomic builtins).
 */
#ifndef VIMAGE_TEST_CHECK_H
#define VIMAGE_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures_;
static int check_total_;

static inline void check_count_(int failed) {
  __atomic_fetch_add(&check_total_, 1, __ATOMIC_RELAXED);
  if (failed) __atomic_fetch_add(&check_failures_, 1, __ATOMIC_RELAXED);
}

static inline int check_true_(const char *file, int line, const char *func, const char *expr,
                              int ok) {
  check_count_(!ok);
  if (!ok) fprintf(stderr, "%s:%d: in %s: CHECK(%s) failed\n", file, line, func, expr);
  return ok;
}

static inline int check_eq_(const char *file, int line, const char *func, const char *ea,
                            const char *eb, long long a, long long b) {
  int ok = a == b;
  check_count_(!ok);
  if (!ok)
    fprintf(stderr, "%s:%d: in %s: CHECK_EQ(%s, %s) failed: %lld (%#llx) != %lld (%#llx)\n",
            file, line, func, ea, eb, a, (unsigned long long)a, b, (unsigned long long)b);
  return ok;
}

static inline int check_ne_(const char *file, int line, const char *func, const char *ea,
                            const char *eb, long long a, long long b) {
  int ok = a != b;
  check_count_(!ok);
  if (!ok)
    fprintf(stderr, "%s:%d: in %s: CHECK_NE(%s, %s) failed: both are %lld (%#llx)\n", file,
            line, func, ea, eb, a, (unsigned long long)a);
  return ok;
}

static inline int check_ptr_eq_(const char *file, int line, const char *func, const char *ea,
                                const char *eb, const void *a, const void *b) {
  int ok = a == b;
  check_count_(!ok);
  if (!ok)
    fprintf(stderr, "%s:%d: in %s: CHECK_PTR_EQ(%s, %s) failed: %p != %p\n", file, line, func,
            ea, eb, a, b);
  return ok;
}

static inline int check_dbl_eq_(const char *file, int line, const char *func, const char *ea,
                                const char *eb, double a, double b) {
  int ok = a == b;
  check_count_(!ok);
  if (!ok)
    fprintf(stderr, "%s:%d: in %s: CHECK_DBL_EQ(%s, %s) failed: %.17g != %.17g\n", file, line,
            func, ea, eb, a, b);
  return ok;
}

static inline int check_mem_eq_(const char *file, int line, const char *func, const char *ea,
                                const char *eb, const void *a, const void *b, size_t n) {
  const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
  size_t i = 0;
  int ok = pa != NULL && pb != NULL;
  if (ok)
    for (; i < n; i++)
      if (pa[i] != pb[i]) {
        ok = 0;
        break;
      }
  check_count_(!ok);
  if (!ok) {
    if (pa == NULL || pb == NULL)
      fprintf(stderr, "%s:%d: in %s: CHECK_MEM_EQ(%s, %s) failed: NULL pointer\n", file, line,
              func, ea, eb);
    else
      fprintf(stderr,
              "%s:%d: in %s: CHECK_MEM_EQ(%s, %s, %zu) failed at byte %zu: %#04x != %#04x\n",
              file, line, func, ea, eb, n, i, pa[i], pb[i]);
  }
  return ok;
}

/* Each macro evaluates to 1 if the check passed, 0 otherwise. */
#define CHECK(cond) check_true_(__FILE__, __LINE__, __func__, #cond, (cond) ? 1 : 0)
#define CHECK_EQ(a, b) \
  check_eq_(__FILE__, __LINE__, __func__, #a, #b, (long long)(a), (long long)(b))
#define CHECK_NE(a, b) \
  check_ne_(__FILE__, __LINE__, __func__, #a, #b, (long long)(a), (long long)(b))
#define CHECK_PTR_EQ(a, b) \
  check_ptr_eq_(__FILE__, __LINE__, __func__, #a, #b, (const void *)(a), (const void *)(b))
#define CHECK_DBL_EQ(a, b) \
  check_dbl_eq_(__FILE__, __LINE__, __func__, #a, #b, (double)(a), (double)(b))
#define CHECK_MEM_EQ(a, b, n) \
  check_mem_eq_(__FILE__, __LINE__, __func__, #a, #b, (const void *)(a), (const void *)(b), (n))

/* Stops the program when a precondition for the rest of it does not hold. */
#define REQUIRE(cond)                                                          \
  do {                                                                         \
    if (!CHECK(cond)) {                                                        \
      fprintf(stderr, "%s:%d: required condition failed, stopping\n", __FILE__, __LINE__); \
      exit(2);                                                                 \
    }                                                                          \
  } while (0)

/* The exit status of main: 0 when every check passed. */
static inline int check_report(void) {
  int failures = __atomic_load_n(&check_failures_, __ATOMIC_SEQ_CST);
  int total = __atomic_load_n(&check_total_, __ATOMIC_SEQ_CST);
  if (total == 0) {
    fprintf(stderr, "no checks ran\n");
    return 1;
  }
  printf("%d checks, %d failed\n", total, failures);
  return failures != 0;
}

#endif /* VIMAGE_TEST_CHECK_H */
