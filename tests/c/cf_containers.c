/*
 * CoreFoundation containers through Apple's headers (apple-imageio-context.md §C): CFBase
 * (CFEqual, CFHash, CFCopyDescription, CFShow, kCFNull), CFNumber / CFBoolean (storage types,
 * lossy GetValue, Compare), CFDictionary (kCFType, NULL, copy-string and custom callbacks;
 * retain counts through every mutation), CFArray, CFMutableData (growth, zero fill, fixed
 * capacity), CFURL (percent-encoding, relative paths, strings) and the CFString extras.
 * Every value's retain count is checked before and after each container holds it, so a
 * missing or extra retain/release fails here, and valgrind catches leaks and double frees.
 */
#define _POSIX_C_SOURCE 200809L /* getcwd, PATH_MAX */
#include <CoreFoundation/CoreFoundation.h>

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static CFStringRef str(const char *s) { return CFStringCreateWithCString(NULL, s, kCFStringEncodingUTF8); }

static int str_is(CFStringRef s, const char *text) {
  char buf[4096];
  return s != NULL && CFStringGetCString(s, buf, sizeof buf, kCFStringEncodingUTF8) && strcmp(buf, text) == 0;
}

static CFNumberRef num_int(int v) { return CFNumberCreate(NULL, kCFNumberIntType, &v); }

/* ---- CFBase ---------------------------------------------------------------------------------- */

static void test_base(void) {
  CHECK_PTR_EQ(kCFAllocatorDefault, NULL);
  CHECK_EQ(CFGetTypeID(kCFNull), CFNullGetTypeID());
  CHECK_EQ(CFNullGetTypeID(), 16);
  CHECK(CFEqual(kCFNull, kCFNull));

  CFStringRef a = str("PixelWidth");
  CFStringRef b = CFSTR("PixelWidth");
  CHECK(a != b);
  CHECK(CFEqual(a, b));
  CHECK_EQ(CFHash(a), CFHash(b));
  CHECK(!CFEqual(a, CFSTR("PixelHeight")));

  int one = 1;
  double one_d = 1.0, half = 1.5;
  CFNumberRef i1 = CFNumberCreate(NULL, kCFNumberIntType, &one);
  CFNumberRef d1 = CFNumberCreate(NULL, kCFNumberDoubleType, &one_d);
  CFNumberRef dh = CFNumberCreate(NULL, kCFNumberDoubleType, &half);
  CHECK(CFEqual(i1, d1)); /* 1 == 1.0, and hashes agree */
  CHECK_EQ(CFHash(i1), CFHash(d1));
  CHECK(!CFEqual(i1, dh));
  CHECK(!CFEqual(i1, a));
  CHECK(!CFEqual(kCFBooleanTrue, i1)); /* CFBoolean is not CFNumber */
  CHECK_EQ(CFHash(NULL), 0);

  CFStringRef desc = CFCopyDescription(i1);
  CHECK(str_is(desc, "1"));
  CFRelease(desc);
  desc = CFCopyDescription(dh);
  CHECK(str_is(desc, "1.5"));
  CFRelease(desc);
  desc = CFCopyDescription(a);
  CHECK(str_is(desc, "PixelWidth"));
  CFRelease(desc);
  CHECK_PTR_EQ(CFCopyDescription(NULL), NULL);

  const void *keys[] = {a};
  const void *values[] = {i1};
  CFDictionaryRef dict = CFDictionaryCreate(NULL, keys, values, 1, &kCFTypeDictionaryKeyCallBacks,
                                            &kCFTypeDictionaryValueCallBacks);
  desc = CFCopyDescription(dict);
  char buf[256];
  CHECK(desc != NULL && CFStringGetCString(desc, buf, sizeof buf, kCFStringEncodingUTF8) &&
        strstr(buf, "PixelWidth = 1;") != NULL);
  CFRelease(desc);
  CFShow(dict); /* to stderr: a debugging aid, only must not crash */
  CFShow(NULL);
  CFRelease(dict);
  CFRelease(i1);
  CFRelease(d1);
  CFRelease(dh);
  CFRelease(a);
}

/* ---- CFNumber / CFBoolean -------------------------------------------------------------------- */

static void test_number_types(void) {
  struct { CFNumberType type, storage; CFIndex size; Boolean is_float; } table[] = {
    {kCFNumberSInt8Type, kCFNumberSInt8Type, 1, 0},     {kCFNumberSInt16Type, kCFNumberSInt16Type, 2, 0},
    {kCFNumberSInt32Type, kCFNumberSInt32Type, 4, 0},   {kCFNumberSInt64Type, kCFNumberSInt64Type, 8, 0},
    {kCFNumberFloat32Type, kCFNumberFloat32Type, 4, 1}, {kCFNumberFloat64Type, kCFNumberFloat64Type, 8, 1},
    {kCFNumberCharType, kCFNumberSInt8Type, 1, 0},      {kCFNumberShortType, kCFNumberSInt16Type, 2, 0},
    {kCFNumberIntType, kCFNumberSInt32Type, 4, 0},      {kCFNumberLongType, kCFNumberSInt64Type, 8, 0},
    {kCFNumberLongLongType, kCFNumberSInt64Type, 8, 0}, {kCFNumberFloatType, kCFNumberFloat32Type, 4, 1},
    {kCFNumberDoubleType, kCFNumberFloat64Type, 8, 1},  {kCFNumberCFIndexType, kCFNumberSInt64Type, 8, 0},
    {kCFNumberNSIntegerType, kCFNumberSInt64Type, 8, 0}, {kCFNumberCGFloatType, kCFNumberFloat64Type, 8, 1},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    /* 42 in the C type of each CFNumberType. */
    union { int8_t i8; int16_t i16; int32_t i32; int64_t i64; float f; double d; } v;
    switch (table[i].storage) {
      case kCFNumberSInt8Type: v.i8 = 42; break;
      case kCFNumberSInt16Type: v.i16 = 42; break;
      case kCFNumberSInt32Type: v.i32 = 42; break;
      case kCFNumberSInt64Type: v.i64 = 42; break;
      case kCFNumberFloat32Type: v.f = 42.0f; break;
      default: v.d = 42.0; break;
    }
    CFNumberRef n = CFNumberCreate(kCFAllocatorDefault, table[i].type, &v);
    REQUIRE(n != NULL);
    CHECK_EQ(CFGetTypeID(n), CFNumberGetTypeID());
    CHECK_EQ(CFNumberGetType(n), table[i].storage);
    CHECK_EQ(CFNumberGetByteSize(n), table[i].size);
    CHECK_EQ(CFNumberIsFloatType(n), table[i].is_float);
    long long out = 0;
    CHECK(CFNumberGetValue(n, kCFNumberLongLongType, &out));
    CHECK_EQ(out, 42);
    CHECK_EQ(CFGetRetainCount(n), 1);
    CFRelease(n);
  }
  CHECK_PTR_EQ(CFNumberCreate(NULL, 0, &(int){1}), NULL);
  CHECK_PTR_EQ(CFNumberCreate(NULL, 17, &(int){1}), NULL);
  CHECK_PTR_EQ(CFNumberCreate(NULL, kCFNumberIntType, NULL), NULL);
  CHECK_EQ(CFNumberGetType(NULL), 0);
}

static void test_number_values(void) {
  double d = 3.7;
  CFNumberRef n = CFNumberCreate(NULL, kCFNumberDoubleType, &d);
  int i = -1;
  CHECK(!CFNumberGetValue(n, kCFNumberIntType, &i)); /* lossy: writes AND returns false */
  CHECK_EQ(i, 3);
  d = -3.7;
  CFRelease(n);
  n = CFNumberCreate(NULL, kCFNumberDoubleType, &d);
  CHECK(!CFNumberGetValue(n, kCFNumberIntType, &i));
  CHECK_EQ(i, -3); /* toward zero */
  CFRelease(n);

  int big = 300;
  n = CFNumberCreate(NULL, kCFNumberIntType, &big);
  int8_t small = 0;
  CHECK(!CFNumberGetValue(n, kCFNumberSInt8Type, &small));
  CHECK_EQ(small, 127); /* clamped */
  short s = 0;
  CHECK(CFNumberGetValue(n, kCFNumberShortType, &s));
  CHECK_EQ(s, 300);
  double back = 0;
  CHECK(CFNumberGetValue(n, kCFNumberDoubleType, &back));
  CHECK_DBL_EQ(back, 300.0);
  CFRelease(n);

  d = 0.1;
  n = CFNumberCreate(NULL, kCFNumberFloat64Type, &d);
  float f = 0;
  CHECK(!CFNumberGetValue(n, kCFNumberFloat32Type, &f)); /* 0.1 is not a float */
  CHECK_DBL_EQ(f, 0.1f);
  CFRelease(n);
  d = 0.5;
  n = CFNumberCreate(NULL, kCFNumberFloat64Type, &d);
  CHECK(CFNumberGetValue(n, kCFNumberFloat32Type, &f));
  CHECK_DBL_EQ(f, 0.5f);
  CFRelease(n);

  int32_t odd = 16777217; /* 2^24 + 1: not a float */
  n = CFNumberCreate(NULL, kCFNumberSInt32Type, &odd);
  CHECK(!CFNumberGetValue(n, kCFNumberFloatType, &f));
  CHECK_DBL_EQ(f, 16777216.0f);
  CFRelease(n);

  f = 0.1f; /* a Float32 number keeps the float's exact value */
  n = CFNumberCreate(NULL, kCFNumberFloatType, &f);
  CHECK(CFNumberGetValue(n, kCFNumberDoubleType, &back));
  CHECK_DBL_EQ(back, (double)0.1f);
  CFRelease(n);

  int64_t max = INT64_MAX;
  n = CFNumberCreate(NULL, kCFNumberSInt64Type, &max);
  CHECK(!CFNumberGetValue(n, kCFNumberDoubleType, &back)); /* rounds to 2^63 */
  CHECK_DBL_EQ(back, 9223372036854775808.0);
  double two63 = 9223372036854775808.0;
  CFNumberRef n2 = CFNumberCreate(NULL, kCFNumberDoubleType, &two63);
  CHECK_EQ(CFNumberCompare(n, n2, NULL), kCFCompareLessThan); /* exact, not rounded */
  CHECK_EQ(CFNumberCompare(n2, n, NULL), kCFCompareGreaterThan);
  CFRelease(n);
  CFRelease(n2);

  /* Infinities and NaN are the shared constants. */
  d = INFINITY;
  n = CFNumberCreate(NULL, kCFNumberDoubleType, &d);
  CHECK_PTR_EQ(n, kCFNumberPositiveInfinity);
  CFRelease(n);
  d = -INFINITY;
  n = CFNumberCreate(NULL, kCFNumberDoubleType, &d);
  CHECK_PTR_EQ(n, kCFNumberNegativeInfinity);
  CFRelease(n);
  d = NAN;
  n = CFNumberCreate(NULL, kCFNumberDoubleType, &d);
  CHECK_PTR_EQ(n, kCFNumberNaN);
  CHECK(!CFNumberGetValue(n, kCFNumberIntType, &i));
  CFRelease(n);
  CHECK(CFNumberGetValue(kCFNumberNaN, kCFNumberDoubleType, &back));
  CHECK(isnan(back));
  CHECK_EQ(CFNumberCompare(kCFNumberNaN, kCFNumberNaN, NULL), kCFCompareEqualTo);
  CHECK(CFEqual(kCFNumberNaN, kCFNumberNaN));

  double nz = -0.0, pz = 0.0;
  CFNumberRef a = CFNumberCreate(NULL, kCFNumberDoubleType, &nz);
  CFNumberRef b = CFNumberCreate(NULL, kCFNumberDoubleType, &pz);
  CHECK_EQ(CFNumberCompare(a, b, NULL), kCFCompareLessThan); /* -0 before +0 */
  CHECK_EQ(CFNumberCompare(b, a, NULL), kCFCompareGreaterThan);
  CFRelease(a);
  CFRelease(b);

  int two = 2;
  double twohalf = 2.5;
  a = CFNumberCreate(NULL, kCFNumberIntType, &two);
  b = CFNumberCreate(NULL, kCFNumberDoubleType, &twohalf);
  CHECK_EQ(CFNumberCompare(a, b, NULL), kCFCompareLessThan);
  CHECK_EQ(CFNumberCompare(b, a, NULL), kCFCompareGreaterThan);
  CHECK_EQ(CFNumberCompare(a, a, NULL), kCFCompareEqualTo);
  CFRelease(a);
  CFRelease(b);

  CHECK(!CFNumberGetValue(NULL, kCFNumberIntType, &i));
}

static void test_boolean(void) {
  CHECK_EQ(CFBooleanGetValue(kCFBooleanTrue), 1);
  CHECK_EQ(CFBooleanGetValue(kCFBooleanFalse), 0);
  CHECK_EQ(CFGetTypeID(kCFBooleanTrue), CFBooleanGetTypeID());
  CHECK_NE(CFBooleanGetTypeID(), CFNumberGetTypeID());
  CHECK(!CFEqual(kCFBooleanTrue, kCFBooleanFalse));
  CFRetain(kCFBooleanTrue); /* singletons ignore retain/release */
  CFRelease(kCFBooleanTrue);
  CFRelease(kCFBooleanTrue);
  CHECK_EQ(CFBooleanGetValue(kCFBooleanTrue), 1);
  CHECK_EQ(CFBooleanGetValue(NULL), 0);
}

/* ---- CFDictionary ---------------------------------------------------------------------------- */

static void sum_applier(const void *key, const void *value, void *context) {
  (void)key;
  int v = 0;
  CFNumberGetValue((CFNumberRef)value, kCFNumberIntType, &v);
  *(int *)context += v;
}

static void test_dictionary_cf_type(void) {
  CHECK_EQ(sizeof(CFDictionaryKeyCallBacks), 48);
  CHECK_EQ(sizeof(CFDictionaryValueCallBacks), 40);
  CFStringRef k1 = str("PixelWidth"), k2 = str("PixelHeight");
  CFNumberRef v1 = num_int(640), v2 = num_int(480), v3 = num_int(7);
  const void *keys[] = {k1, k2};
  const void *values[] = {v1, v2};
  CFDictionaryRef d = CFDictionaryCreate(NULL, keys, values, 2, &kCFTypeDictionaryKeyCallBacks,
                                         &kCFTypeDictionaryValueCallBacks);
  REQUIRE(d != NULL);
  CHECK_EQ(CFGetTypeID(d), CFDictionaryGetTypeID());
  CHECK_EQ(CFGetRetainCount(k1), 2);
  CHECK_EQ(CFGetRetainCount(v1), 2);
  CHECK_EQ(CFDictionaryGetCount(d), 2);
  /* Lookups go through CFEqual / CFHash: a constant string with the same text finds it. */
  CHECK_PTR_EQ(CFDictionaryGetValue(d, CFSTR("PixelWidth")), v1);
  CHECK_PTR_EQ(CFDictionaryGetValue(d, CFSTR("PixelHeight")), v2);
  CHECK_PTR_EQ(CFDictionaryGetValue(d, CFSTR("Orientation")), NULL);
  CHECK(CFDictionaryContainsKey(d, CFSTR("PixelWidth")));
  CHECK(!CFDictionaryContainsKey(d, CFSTR("pixelwidth")));
  CHECK_EQ(CFDictionaryGetCountOfKey(d, CFSTR("PixelWidth")), 1);
  CHECK_EQ(CFDictionaryGetCountOfKey(d, CFSTR("Nope")), 0);
  CFNumberRef also640 = num_int(640);
  CHECK(CFDictionaryContainsValue(d, also640));
  CHECK_EQ(CFDictionaryGetCountOfValue(d, also640), 1);
  CHECK(!CFDictionaryContainsValue(d, v3));
  const void *got = NULL;
  CHECK(CFDictionaryGetValueIfPresent(d, CFSTR("PixelHeight"), &got));
  CHECK_PTR_EQ(got, v2);
  CHECK(!CFDictionaryGetValueIfPresent(d, CFSTR("Nope"), &got));
  CHECK(CFDictionaryGetValueIfPresent(d, CFSTR("PixelHeight"), NULL));
  int sum = 0;
  CFDictionaryApplyFunction(d, sum_applier, &sum);
  CHECK_EQ(sum, 1120);
  const void *ks[2] = {0}, *vs[2] = {0};
  CFDictionaryGetKeysAndValues(d, ks, vs);
  CHECK((ks[0] == k1 && vs[0] == v1 && ks[1] == k2 && vs[1] == v2) ||
        (ks[0] == k2 && vs[0] == v2 && ks[1] == k1 && vs[1] == v1));
  CFDictionaryGetKeysAndValues(d, NULL, vs); /* either array may be NULL */

  /* Mutating an immutable dictionary does nothing. */
  CFDictionarySetValue((CFMutableDictionaryRef)d, CFSTR("PixelWidth"), v3);
  CFDictionaryRemoveValue((CFMutableDictionaryRef)d, CFSTR("PixelWidth"));
  CHECK_PTR_EQ(CFDictionaryGetValue(d, CFSTR("PixelWidth")), v1);
  CHECK_EQ(CFGetRetainCount(v3), 1);

  CFDictionaryRef copy = CFDictionaryCreateCopy(NULL, d);
  CHECK(CFEqual(copy, d));
  CHECK_EQ(CFGetRetainCount(v1), 3);
  CFRelease(copy);
  CHECK_EQ(CFGetRetainCount(v1), 2);

  CFMutableDictionaryRef m = CFDictionaryCreateMutableCopy(NULL, 0, d);
  CHECK_EQ(CFGetRetainCount(k1), 3);
  /* AddValue does not replace. */
  CFDictionaryAddValue(m, CFSTR("PixelWidth"), v3);
  CHECK_PTR_EQ(CFDictionaryGetValue(m, CFSTR("PixelWidth")), v1);
  CHECK_EQ(CFGetRetainCount(v3), 1);
  /* SetValue replaces the value (old released, new retained) and keeps the stored key. */
  CFStringRef k1b = str("PixelWidth");
  CFDictionarySetValue(m, k1b, v3);
  CHECK_PTR_EQ(CFDictionaryGetValue(m, k1), v3);
  CHECK_EQ(CFGetRetainCount(v3), 2);
  CHECK_EQ(CFGetRetainCount(v1), 2);
  CHECK_EQ(CFGetRetainCount(k1b), 1); /* the old key stays */
  CHECK(!CFEqual(m, d));
  /* ReplaceValue acts only on a present key. */
  CFDictionaryReplaceValue(m, CFSTR("Orientation"), v1);
  CHECK_EQ(CFDictionaryGetCount(m), 2);
  CHECK_EQ(CFGetRetainCount(v1), 2);
  CFDictionaryReplaceValue(m, CFSTR("PixelHeight"), v1);
  CHECK_PTR_EQ(CFDictionaryGetValue(m, CFSTR("PixelHeight")), v1);
  CHECK_EQ(CFGetRetainCount(v1), 3);
  CHECK_EQ(CFGetRetainCount(v2), 2);
  /* Add a new key, then remove it: both released. */
  CFStringRef k3 = str("Orientation");
  CFDictionaryAddValue(m, k3, v2);
  CHECK_EQ(CFDictionaryGetCount(m), 3);
  CHECK_EQ(CFGetRetainCount(k3), 2);
  CFDictionaryRemoveValue(m, CFSTR("Orientation"));
  CHECK_EQ(CFGetRetainCount(k3), 1);
  CHECK_EQ(CFGetRetainCount(v2), 2);
  CHECK_EQ(CFDictionaryGetCount(m), 2);
  CFDictionaryRemoveValue(m, CFSTR("Orientation")); /* absent: nothing */
  CFDictionaryRemoveAllValues(m);
  CHECK_EQ(CFDictionaryGetCount(m), 0);
  CHECK_EQ(CFGetRetainCount(k1), 2);
  CHECK_EQ(CFGetRetainCount(v3), 1);
  CHECK_EQ(CFGetRetainCount(v1), 2);
  /* Many keys: growth and lookups. */
  for (int i = 0; i < 200; i++) {
    CFNumberRef key = num_int(i), value = num_int(i * 3);
    CFDictionarySetValue(m, key, value);
    CFRelease(key);
    CFRelease(value);
  }
  CHECK_EQ(CFDictionaryGetCount(m), 200);
  int ok = 1;
  for (int i = 0; i < 200; i++) {
    double key_d = i; /* 1.0 finds the key 1 */
    CFNumberRef key = CFNumberCreate(NULL, kCFNumberDoubleType, &key_d);
    int v = -1;
    ok &= CFNumberGetValue((CFNumberRef)CFDictionaryGetValue(m, key), kCFNumberIntType, &v) && v == i * 3;
    CFRelease(key);
  }
  CHECK(ok);
  CFRelease(m);

  CFRelease(d);
  CHECK_EQ(CFGetRetainCount(k1), 1);
  CHECK_EQ(CFGetRetainCount(v1), 1);
  CFRelease(k1); CFRelease(k2); CFRelease(k1b); CFRelease(k3);
  CFRelease(v1); CFRelease(v2); CFRelease(v3); CFRelease(also640);
}

static void test_dictionary_null_callbacks(void) {
  /* NULL callbacks: no retain, pointer equality and hash. */
  CFStringRef k = str("PixelWidth");
  CFNumberRef v = num_int(1);
  const void *keys[] = {k, CFSTR("Stored")};
  const void *values[] = {v, NULL};
  CFDictionaryRef d = CFDictionaryCreate(NULL, keys, values, 2, NULL, NULL);
  CHECK_EQ(CFGetRetainCount(k), 1);
  CHECK_EQ(CFGetRetainCount(v), 1);
  CHECK_PTR_EQ(CFDictionaryGetValue(d, k), v);
  CHECK_PTR_EQ(CFDictionaryGetValue(d, CFSTR("PixelWidth")), NULL); /* another object */
  const void *got = (const void *)1;
  CHECK(CFDictionaryGetValueIfPresent(d, CFSTR("Stored"), &got)); /* a stored NULL */
  CHECK_PTR_EQ(got, NULL);
  CHECK_PTR_EQ(CFDictionaryGetValue(d, CFSTR("Stored")), NULL);
  CFRelease(d);
  CHECK_EQ(CFGetRetainCount(k), 1);

  /* Integers as keys and values. */
  CFMutableDictionaryRef m = CFDictionaryCreateMutable(NULL, 0, NULL, NULL);
  for (intptr_t i = 1; i <= 50; i++) CFDictionarySetValue(m, (const void *)i, (const void *)(i * i));
  CHECK_EQ(CFDictionaryGetCount(m), 50);
  CHECK_PTR_EQ(CFDictionaryGetValue(m, (const void *)7), (const void *)49);
  CHECK_EQ(CFDictionaryGetCountOfValue(m, (const void *)49), 1);
  CFRelease(m);
  CFRelease(k);
  CFRelease(v);
}

/* Custom callbacks over C strings, counting retains and releases. */
static int retains, releases;
static const void *count_retain(CFAllocatorRef a, const void *v) { (void)a; retains++; return v; }
static void count_release(CFAllocatorRef a, const void *v) { (void)a; (void)v; releases++; }
static Boolean cstr_equal(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b) == 0; }
static CFHashCode cstr_hash(const void *v) { return strlen((const char *)v); }

static void test_dictionary_custom_callbacks(void) {
  CFDictionaryKeyCallBacks kcb = {0, count_retain, count_release, NULL, cstr_equal, cstr_hash};
  CFDictionaryValueCallBacks vcb = {0, count_retain, count_release, NULL, NULL};
  CFMutableDictionaryRef m = CFDictionaryCreateMutable(NULL, 4, &kcb, &vcb);
  memset(&kcb, 0, sizeof kcb); /* the struct was copied */
  char key[8] = "alpha";
  CFDictionarySetValue(m, key, "A");
  CFDictionarySetValue(m, "beta", "B");
  CHECK_EQ(retains, 4);
  CHECK_PTR_EQ(CFDictionaryGetValue(m, "alpha"), "A");
  CHECK_EQ(CFDictionaryGetCount(m), 2);
  CFDictionarySetValue(m, "alpha", "A2"); /* value replaced, key kept */
  CHECK_EQ(retains, 5);
  CHECK_EQ(releases, 1);
  const void *ks[2], *vs[2];
  CFDictionaryGetKeysAndValues(m, ks, vs);
  CHECK(ks[0] == key || ks[1] == key);
  CFDictionaryRemoveValue(m, "beta");
  CHECK_EQ(releases, 3);
  CFRelease(m);
  CHECK_EQ(releases, 5);
  CHECK_EQ(retains, releases);
}

static void test_dictionary_copy_string_keys(void) {
  CFStringRef k = str("Key");
  CFNumberRef v = num_int(5);
  CFMutableDictionaryRef m =
      CFDictionaryCreateMutable(NULL, 0, &kCFCopyStringDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
  CFDictionaryAddValue(m, k, v);
  CHECK_EQ(CFGetRetainCount(k), 1); /* copied, not retained */
  const void *stored = NULL;
  CFDictionaryGetKeysAndValues(m, &stored, NULL);
  CHECK(stored != NULL && stored != (const void *)k);
  CHECK(CFEqual(stored, k));
  CHECK_PTR_EQ(CFDictionaryGetValue(m, CFSTR("Key")), v);
  CFRelease(m);
  CHECK_EQ(CFGetRetainCount(v), 1);
  CFRelease(k);
  CFRelease(v);
}

static void test_dictionary_hostile(void) {
  CHECK_PTR_EQ(CFDictionaryCreate(NULL, NULL, NULL, 1, NULL, NULL), NULL);
  CHECK_PTR_EQ(CFDictionaryCreate(NULL, NULL, NULL, -1, NULL, NULL), NULL);
  CFDictionaryRef empty = CFDictionaryCreate(NULL, NULL, NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                             &kCFTypeDictionaryValueCallBacks);
  CHECK(empty != NULL && CFDictionaryGetCount(empty) == 0);
  CFRelease(empty);
  CHECK_PTR_EQ(CFDictionaryCreateMutable(NULL, -1, NULL, NULL), NULL);
  CHECK_PTR_EQ(CFDictionaryCreateCopy(NULL, NULL), NULL);
  CHECK_PTR_EQ(CFDictionaryCreateMutableCopy(NULL, 0, NULL), NULL);
  CHECK_EQ(CFDictionaryGetCount(NULL), 0);
  CHECK_PTR_EQ(CFDictionaryGetValue(NULL, CFSTR("x")), NULL);
  CHECK_EQ(CFDictionaryGetCount((CFDictionaryRef)CFSTR("not a dictionary")), 0);
  CFDictionarySetValue(NULL, CFSTR("x"), CFSTR("y"));
  CFDictionaryAddValue(NULL, CFSTR("x"), CFSTR("y"));
  CFDictionaryRemoveAllValues(NULL);
}

/* ---- CFArray --------------------------------------------------------------------------------- */

static void count_applier(const void *value, void *context) {
  int v = 0;
  CFNumberGetValue((CFNumberRef)value, kCFNumberIntType, &v);
  *(int *)context += v;
}

static void test_array(void) {
  CHECK_EQ(sizeof(CFArrayCallBacks), 40);
  CFNumberRef n[5];
  for (int i = 0; i < 5; i++) n[i] = num_int(i + 1);
  const void *values[] = {n[0], n[1], n[2]};
  CFArrayRef a = CFArrayCreate(NULL, values, 3, &kCFTypeArrayCallBacks);
  REQUIRE(a != NULL);
  CHECK_EQ(CFGetTypeID(a), CFArrayGetTypeID());
  CHECK_EQ(CFArrayGetCount(a), 3);
  CHECK_EQ(CFGetRetainCount(n[0]), 2);
  CHECK_PTR_EQ(CFArrayGetValueAtIndex(a, 2), n[2]);
  CHECK_PTR_EQ(CFArrayGetValueAtIndex(a, 3), NULL);
  CHECK_PTR_EQ(CFArrayGetValueAtIndex(a, -1), NULL);
  const void *out[3] = {0};
  CFArrayGetValues(a, CFRangeMake(1, 2), out);
  CHECK(out[0] == n[1] && out[1] == n[2] && out[2] == NULL);
  CFArrayGetValues(a, CFRangeMake(2, 2), out); /* out of bounds: nothing */
  CHECK(out[0] == n[1]);
  CFNumberRef two = num_int(2);
  CHECK(CFArrayContainsValue(a, CFRangeMake(0, 3), two)); /* by CFEqual */
  CHECK(!CFArrayContainsValue(a, CFRangeMake(0, 1), two));
  CHECK_EQ(CFArrayGetFirstIndexOfValue(a, CFRangeMake(0, 3), two), 1);
  CHECK_EQ(CFArrayGetFirstIndexOfValue(a, CFRangeMake(2, 1), two), kCFNotFound);
  int sum = 0;
  CFArrayApplyFunction(a, CFRangeMake(0, 3), count_applier, &sum);
  CHECK_EQ(sum, 6);
  CFArrayAppendValue((CFMutableArrayRef)a, n[3]); /* immutable: nothing */
  CHECK_EQ(CFArrayGetCount(a), 3);

  CFArrayRef copy = CFArrayCreateCopy(NULL, a);
  CHECK(CFEqual(copy, a));
  CHECK_EQ(CFGetRetainCount(n[0]), 3);
  CFRelease(copy);

  CFMutableArrayRef m = CFArrayCreateMutableCopy(NULL, 0, a);
  CFArrayAppendValue(m, n[3]);                 /* 1 2 3 4 */
  CFArrayInsertValueAtIndex(m, 0, n[4]);       /* 5 1 2 3 4 */
  CHECK_EQ(CFArrayGetCount(m), 5);
  CHECK_PTR_EQ(CFArrayGetValueAtIndex(m, 0), n[4]);
  CHECK_EQ(CFGetRetainCount(n[4]), 2);
  CFArraySetValueAtIndex(m, 1, n[4]);          /* 5 5 2 3 4: n[0] released by m */
  CHECK_EQ(CFGetRetainCount(n[0]), 2);
  CHECK_EQ(CFGetRetainCount(n[4]), 3);
  CFArraySetValueAtIndex(m, 5, n[0]);          /* index == count appends */
  CHECK_EQ(CFArrayGetCount(m), 6);
  CFArraySetValueAtIndex(m, 9, n[0]);          /* out of range: nothing */
  CFArrayInsertValueAtIndex(m, 9, n[0]);
  CHECK_EQ(CFArrayGetCount(m), 6);
  CHECK_EQ(CFGetRetainCount(n[0]), 3);
  CFArrayRemoveValueAtIndex(m, 0);             /* 5 2 3 4 1 */
  CHECK_EQ(CFGetRetainCount(n[4]), 2);
  CFArrayRemoveValueAtIndex(m, 5);             /* out of range: nothing */
  CHECK_EQ(CFArrayGetCount(m), 5);
  CHECK_EQ(CFArrayGetFirstIndexOfValue(m, CFRangeMake(0, 5), n[0]), 4);
  CFArrayRemoveAllValues(m);
  CHECK_EQ(CFArrayGetCount(m), 0);
  CHECK_EQ(CFGetRetainCount(n[4]), 1);
  CHECK_EQ(CFGetRetainCount(n[3]), 1);
  CFRelease(m);

  /* NULL callbacks: plain pointers. */
  CFMutableArrayRef p = CFArrayCreateMutable(NULL, 0, NULL);
  for (intptr_t i = 0; i < 10; i++) CFArrayAppendValue(p, (const void *)i);
  CHECK_PTR_EQ(CFArrayGetValueAtIndex(p, 9), (const void *)9);
  CHECK_EQ(CFArrayGetFirstIndexOfValue(p, CFRangeMake(0, 10), (const void *)4), 4);
  CFArrayAppendValue(p, n[0]);
  CHECK_EQ(CFGetRetainCount(n[0]), 2); /* not retained */
  CFRelease(p);

  CFRelease(a);
  for (int i = 0; i < 5; i++) {
    CHECK_EQ(CFGetRetainCount(n[i]), 1);
    CFRelease(n[i]);
  }
  CFRelease(two);
  CHECK_PTR_EQ(CFArrayCreate(NULL, NULL, 2, NULL), NULL);
  CHECK_PTR_EQ(CFArrayCreateMutable(NULL, -1, NULL), NULL);
  CHECK_PTR_EQ(CFArrayCreateCopy(NULL, NULL), NULL);
  CHECK_EQ(CFArrayGetCount(NULL), 0);
}

/* ---- CFMutableData --------------------------------------------------------------------------- */

static void test_data(void) {
  CFMutableDataRef d = CFDataCreateMutable(NULL, 0);
  REQUIRE(d != NULL);
  CHECK_EQ(CFGetTypeID(d), CFDataGetTypeID());
  CHECK_EQ(CFDataGetLength(d), 0);
  CFDataAppendBytes(d, (const UInt8 *)"hello", 5);
  CFDataAppendBytes(d, (const UInt8 *)" world", 6);
  CHECK_EQ(CFDataGetLength(d), 11);
  CHECK_MEM_EQ(CFDataGetBytePtr(d), "hello world", 11);
  CHECK_PTR_EQ(CFDataGetMutableBytePtr(d), CFDataGetBytePtr(d));
  CFDataGetMutableBytePtr(d)[0] = 'H';
  UInt8 buf[16] = {0};
  CFDataGetBytes(d, CFRangeMake(0, 5), buf);
  CHECK_MEM_EQ(buf, "Hello", 5);
  CFDataSetLength(d, 14); /* growth is zero-filled */
  CHECK_MEM_EQ(CFDataGetBytePtr(d), "Hello world\0\0\0", 14);
  CFDataSetLength(d, 5);
  CFDataIncreaseLength(d, 3);
  CHECK_MEM_EQ(CFDataGetBytePtr(d), "Hello\0\0\0", 8);
  CFDataReplaceBytes(d, CFRangeMake(5, 3), (const UInt8 *)", CF!", 5);
  CHECK_MEM_EQ(CFDataGetBytePtr(d), "Hello, CF!", 10);
  CFDataReplaceBytes(d, CFRangeMake(0, 5), (const UInt8 *)"Hi", 2);
  CHECK_EQ(CFDataGetLength(d), 7);
  CHECK_MEM_EQ(CFDataGetBytePtr(d), "Hi, CF!", 7);
  CFDataReplaceBytes(d, CFRangeMake(0, 0), CFDataGetBytePtr(d) + 4, 2); /* source inside */
  CHECK_MEM_EQ(CFDataGetBytePtr(d), "CFHi, CF!", 9);
  CFDataDeleteBytes(d, CFRangeMake(2, 4));
  CHECK_MEM_EQ(CFDataGetBytePtr(d), "CFCF!", 5);
  CFDataDeleteBytes(d, CFRangeMake(4, 5)); /* out of bounds: nothing */
  CFDataReplaceBytes(d, CFRangeMake(-1, 1), (const UInt8 *)"x", 1);
  CHECK_EQ(CFDataGetLength(d), 5);
  CFDataSetLength(d, -1);
  CHECK_EQ(CFDataGetLength(d), 5);

  CFDataRef frozen = CFDataCreateCopy(NULL, d);
  CFDataRef same = CFDataCreate(NULL, (const UInt8 *)"CFCF!", 5);
  CHECK(CFEqual(frozen, d));
  CHECK(CFEqual(same, d));
  CHECK_EQ(CFHash(same), CFHash(d));
  CHECK_PTR_EQ(CFDataGetMutableBytePtr((CFMutableDataRef)same), NULL); /* immutable */
  CFDataAppendBytes((CFMutableDataRef)same, (const UInt8 *)"x", 1);
  CHECK_EQ(CFDataGetLength(same), 5);
  CFMutableDataRef m2 = CFDataCreateMutableCopy(NULL, 0, same);
  CFDataAppendBytes(m2, (const UInt8 *)"?", 1);
  CHECK_MEM_EQ(CFDataGetBytePtr(m2), "CFCF!?", 6);
  CHECK_EQ(CFDataGetLength(same), 5);
  /* A provider made from mutable data keeps the bytes of that moment. */
  CFRelease(m2);
  CFRelease(frozen);
  CFRelease(same);

  /* Many appends: bytes move, contents stay. */
  int n = getenv("VIMAGE_TEST_UNDER_VALGRIND") ? 200 : 5000;
  CFDataSetLength(d, 0);
  for (int i = 0; i < n; i++) {
    UInt8 b = (UInt8)i;
    CFDataAppendBytes(d, &b, 1);
  }
  const UInt8 *p = CFDataGetBytePtr(d);
  int ok = CFDataGetLength(d) == n;
  for (int i = 0; i < n && ok; i++) ok = p[i] == (UInt8)i;
  CHECK(ok);
  CFRelease(d);

  /* Fixed capacity: a change past it is refused (Apple aborts). */
  CFMutableDataRef f = CFDataCreateMutable(NULL, 8);
  CFDataAppendBytes(f, (const UInt8 *)"12345678", 8);
  CHECK_EQ(CFDataGetLength(f), 8);
  const UInt8 *fp = CFDataGetBytePtr(f);
  CFDataAppendBytes(f, (const UInt8 *)"9", 1);
  CHECK_EQ(CFDataGetLength(f), 8);
  CFDataIncreaseLength(f, 1);
  CHECK_EQ(CFDataGetLength(f), 8);
  CHECK_PTR_EQ(CFDataGetBytePtr(f), fp); /* a fixed buffer never moves */
  CFDataSetLength(f, 4);
  CFDataAppendBytes(f, (const UInt8 *)"AB", 2);
  CHECK_MEM_EQ(CFDataGetBytePtr(f), "1234AB", 6);
  CFRelease(f);
  CHECK_PTR_EQ(CFDataCreateMutableCopy(NULL, 2, (CFDataRef)CFSTR("x")), NULL);
  CFDataRef three = CFDataCreate(NULL, (const UInt8 *)"abc", 3);
  CHECK_PTR_EQ(CFDataCreateMutableCopy(NULL, 2, three), NULL); /* smaller than the bytes */
  CFRelease(three);
  CHECK_PTR_EQ(CFDataCreateMutable(NULL, -1), NULL);
  CHECK_PTR_EQ(CFDataCreateCopy(NULL, NULL), NULL);
  CHECK_PTR_EQ(CFDataGetMutableBytePtr(NULL), NULL);
}

/* ---- CFURL ----------------------------------------------------------------------------------- */

static void test_url(void) {
  CFStringRef path = str("/tmp/a b%.png");
  CFURLRef u = CFURLCreateWithFileSystemPath(NULL, path, kCFURLPOSIXPathStyle, false);
  REQUIRE(u != NULL);
  CHECK_EQ(CFGetTypeID(u), CFURLGetTypeID());
  CHECK(str_is(CFURLGetString(u), "file:///tmp/a%20b%25.png"));
  CHECK_PTR_EQ(CFURLGetBaseURL(u), NULL);
  char buf[PATH_MAX];
  CHECK(CFURLGetFileSystemRepresentation(u, true, (UInt8 *)buf, sizeof buf));
  CHECK(strcmp(buf, "/tmp/a b%.png") == 0);
  CHECK(!CFURLGetFileSystemRepresentation(u, true, (UInt8 *)buf, 13)); /* 13 bytes + NUL */
  CHECK(CFURLGetFileSystemRepresentation(u, true, (UInt8 *)buf, 14));
  CFStringRef s = CFURLCopyFileSystemPath(u, kCFURLPOSIXPathStyle);
  CHECK(str_is(s, "/tmp/a b%.png"));
  CFRelease(s);
  s = CFURLCopyPathExtension(u);
  CHECK(str_is(s, "png"));
  CFRelease(s);
  s = CFURLCopyLastPathComponent(u);
  CHECK(str_is(s, "a b%.png"));
  CFRelease(s);
  CHECK(!CFURLHasDirectoryPath(u));
  CFURLRef u2 = CFURLCreateWithFileSystemPath(NULL, CFSTR("/tmp/a b%.png"), kCFURLPOSIXPathStyle, false);
  CHECK(CFEqual(u, u2));
  CHECK_EQ(CFHash(u), CFHash(u2));
  CFRelease(u2);
  CFRelease(u);
  CFRelease(path);

  u = CFURLCreateWithFileSystemPath(NULL, CFSTR("/tmp/dir"), kCFURLPOSIXPathStyle, true);
  CHECK(str_is(CFURLGetString(u), "file:///tmp/dir/"));
  CHECK(CFURLHasDirectoryPath(u));
  s = CFURLCopyFileSystemPath(u, kCFURLPOSIXPathStyle);
  CHECK(str_is(s, "/tmp/dir"));
  CFRelease(s);
  s = CFURLCopyLastPathComponent(u);
  CHECK(str_is(s, "dir"));
  CFRelease(s);
  CHECK_PTR_EQ(CFURLCopyPathExtension(u), NULL);
  CFRelease(u);

  /* A relative path is relative to the working directory at creation. */
  char cwd[PATH_MAX];
  REQUIRE(getcwd(cwd, sizeof cwd) != NULL);
  u = CFURLCreateWithFileSystemPath(NULL, CFSTR("rel.txt"), kCFURLPOSIXPathStyle, false);
  CHECK(str_is(CFURLGetString(u), "rel.txt"));
  CHECK(CFURLGetBaseURL(u) != NULL);
  char expect[PATH_MAX + 16];
  snprintf(expect, sizeof expect, "%s/rel.txt", strcmp(cwd, "/") == 0 ? "" : cwd);
  CHECK(CFURLGetFileSystemRepresentation(u, true, (UInt8 *)buf, sizeof buf) && strcmp(buf, expect) == 0);
  CHECK(CFURLGetFileSystemRepresentation(u, false, (UInt8 *)buf, sizeof buf) && strcmp(buf, "rel.txt") == 0);
  s = CFURLCopyFileSystemPath(u, kCFURLPOSIXPathStyle);
  CHECK(str_is(s, "rel.txt"));
  CFRelease(s);
  CFURLRef abs = CFURLCopyAbsoluteURL(u);
  CHECK(abs != NULL && CFURLGetBaseURL(abs) == NULL);
  CHECK(CFURLGetFileSystemRepresentation(abs, false, (UInt8 *)buf, sizeof buf) && strcmp(buf, expect) == 0);
  CFRelease(abs);
  CFRelease(u);

  const UInt8 raw[] = "/tmp/caf\xc3\xa9 [1].jpg";
  u = CFURLCreateFromFileSystemRepresentation(NULL, raw, (CFIndex)strlen((const char *)raw), false);
  CHECK(str_is(CFURLGetString(u), "file:///tmp/caf%C3%A9%20%5B1%5D.jpg"));
  CHECK(CFURLGetFileSystemRepresentation(u, true, (UInt8 *)buf, sizeof buf) && strcmp(buf, (const char *)raw) == 0);
  CFRelease(u);
  CHECK_PTR_EQ(CFURLCreateFromFileSystemRepresentation(NULL, raw, 0, false), NULL);

  u = CFURLCreateWithString(NULL, CFSTR("http://example.com/x/y.jpg?q=1"), NULL);
  REQUIRE(u != NULL);
  s = CFURLCopyPathExtension(u);
  CHECK(str_is(s, "jpg"));
  CFRelease(s);
  CHECK(!CFURLGetFileSystemRepresentation(u, true, (UInt8 *)buf, sizeof buf)); /* not a file URL */
  CFRelease(u);
  CHECK_PTR_EQ(CFURLCreateWithString(NULL, CFSTR("bad url"), NULL), NULL);
  CHECK_PTR_EQ(CFURLCreateWithString(NULL, CFSTR("file:///a%zz"), NULL), NULL);

  CFURLRef base = CFURLCreateWithString(NULL, CFSTR("file:///a/b/"), NULL);
  u = CFURLCreateWithString(NULL, CFSTR("../c%20d.png"), base);
  CHECK(str_is(CFURLGetString(u), "../c%20d.png"));
  CHECK_PTR_EQ(CFURLGetBaseURL(u), base);
  CHECK(CFURLGetFileSystemRepresentation(u, true, (UInt8 *)buf, sizeof buf) && strcmp(buf, "/a/c d.png") == 0);
  CFRelease(u);
  CFRelease(base);
  CHECK_PTR_EQ(CFURLCreateWithFileSystemPath(NULL, CFSTR("C:\\x"), kCFURLWindowsPathStyle, false), NULL);
  CHECK_PTR_EQ(CFURLCreateWithFileSystemPath(NULL, NULL, kCFURLPOSIXPathStyle, false), NULL);
  CHECK_PTR_EQ(CFURLGetString(NULL), NULL);
}

/* ---- CFString extras ------------------------------------------------------------------------- */

static void test_string(void) {
  CFStringRef a = str("image.PNG");
  const char *p = CFStringGetCStringPtr(a, kCFStringEncodingUTF8);
  CHECK(p != NULL && strcmp(p, "image.PNG") == 0);
  CHECK(CFStringHasSuffix(a, CFSTR(".PNG")));
  CHECK(!CFStringHasSuffix(a, CFSTR(".png")));
  CHECK(CFStringHasPrefix(a, CFSTR("image")));
  CHECK(!CFStringHasPrefix(a, CFSTR("")));
  CFStringRef c = CFStringCreateCopy(NULL, a);
  CHECK(CFEqual(c, a));
  CFRelease(c);
  CHECK_EQ(CFGetRetainCount(a), 1);

  CHECK_EQ(CFStringCompare(CFSTR("abc"), CFSTR("abd"), 0), kCFCompareLessThan);
  CHECK_EQ(CFStringCompare(CFSTR("abc"), CFSTR("abc"), 0), kCFCompareEqualTo);
  CHECK_EQ(CFStringCompare(CFSTR("abcd"), CFSTR("abc"), 0), kCFCompareGreaterThan);
  CHECK_EQ(CFStringCompare(CFSTR("ABC"), CFSTR("abc"), 0), kCFCompareLessThan);
  CHECK_EQ(CFStringCompare(CFSTR("ABC"), CFSTR("abc"), kCFCompareCaseInsensitive), kCFCompareEqualTo);
  CHECK_EQ(CFStringCompare(CFSTR("a10"), CFSTR("a2"), 0), kCFCompareLessThan);
  CHECK_EQ(CFStringCompare(CFSTR("a10"), CFSTR("a2"), kCFCompareNumerically), kCFCompareGreaterThan);
  CHECK_EQ(CFStringCompare(CFSTR("a010"), CFSTR("a10"), kCFCompareNumerically), kCFCompareEqualTo);

  CHECK_EQ(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingUTF8), 30);
  CHECK_EQ(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingUTF16), 20);
  CHECK_EQ(CFStringGetMaximumSizeForEncoding(10, kCFStringEncodingASCII), 10);
  CHECK_EQ(CFStringGetMaximumSizeForEncoding(10, 0x7777), kCFNotFound);

  const UInt8 utf16le[] = {0xFF, 0xFE, 'h', 0, 0xE9, 0};
  CFStringRef u = CFStringCreateWithBytes(NULL, utf16le, 6, kCFStringEncodingUTF16, true);
  CHECK(str_is(u, "h\xc3\xa9"));
  CHECK_EQ(CFStringGetLength(u), 2);
  CFRelease(u);
  const UInt8 utf16be[] = {0, 'o', 0, 'k'};
  u = CFStringCreateWithBytes(NULL, utf16be, 4, kCFStringEncodingUTF16, true); /* no BOM: big */
  CHECK(str_is(u, "ok"));
  CFRelease(u);
  CHECK_PTR_EQ(CFStringCreateWithBytes(NULL, (const UInt8 *)"\xff", 1, kCFStringEncodingUTF8, false), NULL);
  CHECK_PTR_EQ(CFStringCreateWithBytes(NULL, (const UInt8 *)"\xe9", 1, kCFStringEncodingASCII, false), NULL);
  u = CFStringCreateWithBytes(NULL, (const UInt8 *)"caf\xe9", 4, kCFStringEncodingISOLatin1, false);
  CHECK(str_is(u, "caf\xc3\xa9"));
  char latin[8];
  CHECK(CFStringGetCString(u, latin, sizeof latin, kCFStringEncodingISOLatin1) && strcmp(latin, "caf\xe9") == 0);
  CHECK(!CFStringGetCString(u, latin, sizeof latin, kCFStringEncodingASCII));
  CHECK_PTR_EQ(CFStringGetCStringPtr(u, kCFStringEncodingASCII), NULL);
  CFRelease(u);
  CFRelease(a);
}

int main(void) {
  test_base();
  test_number_types();
  test_number_values();
  test_boolean();
  test_dictionary_cf_type();
  test_dictionary_null_callbacks();
  test_dictionary_custom_callbacks();
  test_dictionary_copy_string_keys();
  test_dictionary_hostile();
  test_array();
  test_data();
  test_url();
  test_string();
  return check_report();
}
