# `make demo` builds the library and runs the C passthrough example on its built-in image, or on
# IMAGE=photo.jpg (a PNG, JPEG or GIF read through CGImageSource; PPM / PAM also work).
# `make test` runs every test (the same as `cargo test`).
# `make install PREFIX=/usr/local [DESTDIR=/staging]` installs the library like a C library:
# the shared library with its SONAME links, the static library, the headers, a pkg-config file
# and a CMake package (docs/packaging.md).
CC ?= cc
PROFILE_DIR := target/release

# ---- install locations (GNU names; DESTDIR is prepended to every path at copy time only) ----
PREFIX ?= /usr/local
prefix ?= $(PREFIX)
LIBDIR ?= $(prefix)/lib
INCLUDEDIR ?= $(prefix)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CMAKEDIR ?= $(LIBDIR)/cmake/vimage
DESTDIR ?=
INSTALL ?= install
RUSTC ?= rustc

# The crate version names the installed file (libvimage.so.0.1.0); the SONAME, set in build.rs,
# stays libvimage.so.0 for every 0.x release (the ABI of Apple's vImage does not change).
VERSION := $(shell sed -n 's/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)
SONAME := libvimage.so.0
REALNAME := libvimage.so.$(VERSION)

.PHONY: demo test lib clean-demo install install-lib install-headers install-pkgconfig \
	install-cmake uninstall

# libvimage.so has the SONAME libvimage.so.0 (build.rs): a program linked with -lvimage loads
# libvimage.so.0, so the link to the freshly built library is made next to it.
lib:
	cargo build --release
	ln -sfn libvimage.so $(PROFILE_DIR)/libvimage.so.0

$(PROFILE_DIR)/passthrough: examples/passthrough.c lib
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -Iinclude examples/passthrough.c \
		-L$(PROFILE_DIR) -lvimage -Wl,-rpath,$(CURDIR)/$(PROFILE_DIR) -o $@

# The demo writes its pictures to $(PROFILE_DIR)/passthrough.ppm (VIMAGE_DEMO_OUT) and, through
# CGImageDestination, as PNGs beside it (passthrough.png, passthrough-effects.png; with
# IMAGE=photo.jpg or .png, read through CGImageSource, also passthrough-thumbnail.png).
demo: $(PROFILE_DIR)/passthrough
	VIMAGE_DEMO_OUT=$(PROFILE_DIR)/passthrough.ppm ./$(PROFILE_DIR)/passthrough $(IMAGE)

# Every test: the cargo suite (Rust, doctests, the C programs natively and under valgrind), then
# the packaging checks (make install + pkg-config / CMake builds, pip install ./python + pytest).
test:
	cargo test
	# The colour tables again without AVX-512 (machines without it run them).
	VIMAGE_NO_AVX512=1 cargo test --test color_transform --test color_formats
	bash .ci/packaging.sh

clean-demo:
	rm -f $(PROFILE_DIR)/passthrough

# ---- install ------------------------------------------------------------------------------
# Builds once (`make lib`, the same release build `make demo` uses), then only copies: the
# checked-in headers are installed as they are (no cbindgen), every *.h under include/, so
# new Apple-named headers are picked up without a change here.
install: install-lib install-headers install-pkgconfig install-cmake

install-lib: lib
	@test -n "$(VERSION)" || { echo "no version in Cargo.toml" >&2; exit 1; }
	@soname=$$(readelf -d $(PROFILE_DIR)/libvimage.so 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'); \
	if [ -n "$$soname" ] && [ "$$soname" != "$(SONAME)" ]; then \
		echo "libvimage.so has SONAME $$soname, expected $(SONAME)" >&2; exit 1; fi
	$(INSTALL) -d $(DESTDIR)$(LIBDIR)
	$(INSTALL) -m 755 $(PROFILE_DIR)/libvimage.so $(DESTDIR)$(LIBDIR)/$(REALNAME)
	ln -sfn $(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sfn $(SONAME) $(DESTDIR)$(LIBDIR)/libvimage.so
	$(INSTALL) -m 644 $(PROFILE_DIR)/libvimage.a $(DESTDIR)$(LIBDIR)/libvimage.a

install-headers:
	$(INSTALL) -d $(DESTDIR)$(INCLUDEDIR)/vimage
	cd include && find . -name '*.h' | LC_ALL=C sort | while read -r h; do \
		$(INSTALL) -d "$(DESTDIR)$(INCLUDEDIR)/vimage/$$(dirname "$$h")" && \
		$(INSTALL) -m 644 "$$h" "$(DESTDIR)$(INCLUDEDIR)/vimage/$$h" || exit 1; \
	done

# The system libraries a program linking libvimage.a needs, as rustc reports them for a
# staticlib of this toolchain and target (`rustc --print native-static-libs`; an empty crate
# gives the same list as ours: its only native dependencies are std's). The probe archive goes
# to a temporary directory: rustc writes its output by renaming a temporary file over the path,
# so `-o /dev/null` would replace the device with a regular file when run as root.
NATIVE_STATIC_LIBS = $(shell d=$$(mktemp -d) && echo | $(RUSTC) --crate-type staticlib \
	--crate-name vimage_probe --print native-static-libs -o "$$d/probe.a" - 2>&1 \
	| sed -n 's/.*native-static-libs: *//p' | tail -n 1; rm -rf "$$d")

# ${prefix}-relative paths when the directory is under the prefix, absolute ones otherwise.
pc_rel = $(patsubst $(prefix)%,$${prefix}%,$(1))

install-pkgconfig:
	@libs='$(NATIVE_STATIC_LIBS)'; test -n "$$libs" || { echo "rustc --print native-static-libs gave nothing" >&2; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(PKGCONFIGDIR)
	{ \
		echo 'prefix=$(prefix)'; \
		echo 'libdir=$(call pc_rel,$(LIBDIR))'; \
		echo 'includedir=$(call pc_rel,$(INCLUDEDIR))'; \
		echo; \
		echo 'Name: vimage'; \
		echo "Description: Apple's vImage <-> CoreGraphics bridge, C ABI (libvimage)"; \
		echo 'Version: $(VERSION)'; \
		echo 'Libs: -L$${libdir} -lvimage'; \
		echo 'Libs.private: $(NATIVE_STATIC_LIBS)'; \
		echo 'Cflags: -I$${includedir}/vimage'; \
	} > $(DESTDIR)$(PKGCONFIGDIR)/vimage.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/vimage.pc

# cmake/*.cmake hold @VIMAGE_...@ placeholders: paths relative to the installed CMake folder
# (so the package stays relocatable), the version and the static link libraries.
install-cmake:
	$(INSTALL) -d $(DESTDIR)$(CMAKEDIR)
	@libdir_rel=$$(realpath -m --relative-to='$(CMAKEDIR)' '$(LIBDIR)'); \
	inc_rel=$$(realpath -m --relative-to='$(CMAKEDIR)' '$(INCLUDEDIR)/vimage'); \
	static_libs=$$(echo '$(NATIVE_STATIC_LIBS)' | sed 's/^-l//; s/ -l/;/g'); \
	for f in vimageConfig.cmake vimageConfigVersion.cmake; do \
		sed -e "s|@VIMAGE_LIBDIR_REL@|$$libdir_rel|g" \
		    -e "s|@VIMAGE_INCLUDEDIR_REL@|$$inc_rel|g" \
		    -e "s|@VIMAGE_STATIC_LIBS@|$$static_libs|g" \
		    -e "s|@VIMAGE_VERSION@|$(VERSION)|g" cmake/$$f > $(DESTDIR)$(CMAKEDIR)/$$f || exit 1; \
		chmod 644 $(DESTDIR)$(CMAKEDIR)/$$f; \
	done; \
	echo "installed $(DESTDIR)$(CMAKEDIR)/vimageConfig.cmake, vimageConfigVersion.cmake"

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libvimage.so $(DESTDIR)$(LIBDIR)/libvimage.a \
		$(DESTDIR)$(PKGCONFIGDIR)/vimage.pc \
		$(DESTDIR)$(CMAKEDIR)/vimageConfig.cmake $(DESTDIR)$(CMAKEDIR)/vimageConfigVersion.cmake
	rm -rf $(DESTDIR)$(INCLUDEDIR)/vimage
	-rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null
