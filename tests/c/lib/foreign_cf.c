/* A stand-in for another CoreFoundation in the same process (GNUstep corebase,
 * swift-corelibs-foundation): it exports CFRetain / CFRelease / CFGetRetainCount / CFGetTypeID
 * for its own objects, and counts every call it gets for a pointer that is not one of its
 * objects (a real one would crash there). Built as libforeigncf.so by tests/c_programs.rs
 * (`interpose`), which links it ahead of and after libvimage. */
#include <stdatomic.h>
#include <stdlib.h>

typedef const void *CFTypeRef;
typedef long CFIndex;
typedef unsigned long CFTypeID;

#define FOREIGN_MAGIC 0x666f726569676e21ul /* "foreign!" */
#define FOREIGN_TYPE_ID 4242ul

struct foreign_object {
    unsigned long magic;
    atomic_long count;
};

static atomic_long live_objects;
static atomic_long calls;
static atomic_long misrouted;

static struct foreign_object *mine(CFTypeRef cf) {
    struct foreign_object *o = (struct foreign_object *)cf;
    return o && o->magic == FOREIGN_MAGIC ? o : NULL;
}

void *ForeignCreate(void) {
    struct foreign_object *o = malloc(sizeof *o);
    if (!o) abort();
    o->magic = FOREIGN_MAGIC;
    atomic_init(&o->count, 1);
    atomic_fetch_add(&live_objects, 1);
    return o;
}

long ForeignLiveObjects(void) { return atomic_load(&live_objects); }
long ForeignCalls(void) { return atomic_load(&calls); }
long ForeignMisroutedCalls(void) { return atomic_load(&misrouted); }

CFTypeRef CFRetain(CFTypeRef cf) {
    atomic_fetch_add(&calls, 1);
    struct foreign_object *o = mine(cf);
    if (o) atomic_fetch_add(&o->count, 1);
    else atomic_fetch_add(&misrouted, 1);
    return cf;
}

void CFRelease(CFTypeRef cf) {
    atomic_fetch_add(&calls, 1);
    struct foreign_object *o = mine(cf);
    if (!o) {
        atomic_fetch_add(&misrouted, 1);
        return;
    }
    if (atomic_fetch_sub(&o->count, 1) == 1) {
        o->magic = 0;
        free(o);
        atomic_fetch_sub(&live_objects, 1);
    }
}

CFIndex CFGetRetainCount(CFTypeRef cf) {
    atomic_fetch_add(&calls, 1);
    struct foreign_object *o = mine(cf);
    if (!o) atomic_fetch_add(&misrouted, 1);
    return o ? atomic_load(&o->count) : 0;
}

CFTypeID CFGetTypeID(CFTypeRef cf) {
    atomic_fetch_add(&calls, 1);
    if (!mine(cf)) atomic_fetch_add(&misrouted, 1);
    return mine(cf) ? FOREIGN_TYPE_ID : 0;
}
