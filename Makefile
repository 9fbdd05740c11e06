# `make demo` builds the library and runs the C passthrough example on its built-in image.
# `make test` runs every test (the same as `cargo test`).
CC ?= cc
PROFILE_DIR := target/release

.PHONY: demo test lib clean-demo

# libvimage.so has the SONAME libvimage.so.0 (build.rs): a program linked with -lvimage loads
# libvimage.so.0, so the link to the freshly built library is made next to it.
lib:
	cargo build --release
	ln -sfn libvimage.so $(PROFILE_DIR)/libvimage.so.0

$(PROFILE_DIR)/passthrough: examples/passthrough.c lib
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -Iinclude examples/passthrough.c \
		-L$(PROFILE_DIR) -lvimage -Wl,-rpath,$(CURDIR)/$(PROFILE_DIR) -o $@

# The demo writes its picture to $(PROFILE_DIR)/passthrough.ppm (VIMAGE_DEMO_OUT).
demo: $(PROFILE_DIR)/passthrough
	VIMAGE_DEMO_OUT=$(PROFILE_DIR)/passthrough.ppm ./$(PROFILE_DIR)/passthrough $(IMAGE)

test:
	cargo test

clean-demo:
	rm -f $(PROFILE_DIR)/passthrough
