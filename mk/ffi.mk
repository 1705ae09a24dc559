# mk/ffi.mk: the C ABI (libsigverify, include/sigverify.h). Included by the
# root Makefile, which defines SHELL (bash), CARGO, CONFORMANCE, TARGET_DIR, HOST_TRIPLE
# and CARGO_RELEASE_TARGET (--release --target <host>, shared by every release build).
#
#   make ffi-test              build the library (release), check the committed
#                              header against a fresh cbindgen run, install into
#                              a scratch prefix, build the C conformance client
#                              dynamically and statically from that install and
#                              run the corpus with both, and run the C unit
#                              tests under valgrind (zero errors, zero leaks)
#   make install PREFIX=DIR    install lib/, include/ and lib/pkgconfig/ under DIR
#                              (DESTDIR is honoured for staged installs)
#   make ffi-header            regenerate include/sigverify.h after an API change

FFI_CRATE := sigverify-ffi
FFI_TARGET_DIR := $(TARGET_DIR)
FFI_OUT := $(FFI_TARGET_DIR)/$(HOST_TRIPLE)/release
FFI_WORK := $(FFI_TARGET_DIR)/ffi
FFI_TEST_PREFIX := $(abspath $(FFI_WORK)/prefix)
# The workspace version; the soname carries its major number (libsigverify.so.0 while 0.x).
FFI_VERSION := $(shell sed -n 's/^version = "\([^"]*\)"/\1/p' Cargo.toml | head -n1)
FFI_SOVERSION := $(firstword $(subst ., ,$(FFI_VERSION)))
# cbindgen is a pinned CLI in a scratch dir, not a build-dependency (DEPS: +24 s per clean build).
CBINDGEN_VERSION := 0.29.4
CBINDGEN_ROOT := $(abspath $(FFI_TARGET_DIR)/tools)
CBINDGEN := $(CBINDGEN_ROOT)/bin/cbindgen
CBINDGEN_RUN = $(CBINDGEN) --quiet --config $(FFI_CRATE)/cbindgen.toml --crate $(FFI_CRATE)
PREFIX ?= /usr/local
PKG_CONFIG ?= pkg-config
FFI_CFLAGS ?= -std=c11 -O2 -g -Wall -Wextra -Werror
VALGRIND ?= valgrind
VALGRIND_FLAGS ?= --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible

.PHONY: ffi-test ffi-lib ffi-header ffi-header-check ffi-cbindgen install

# Build libsigverify_ffi.{so,a} in release. `cargo rustc` (not `cargo build`)
# so the staticlib's native link flags are printed (and replayed when fresh);
# they become Libs.private of sigverify.pc. Its dependencies are the Node
# addon's: both crates are also rlibs, so their dependencies carry object code
# and bitcode, where the CLI's and the wheel's (LTO'd executables and cdylib)
# carry bitcode only.
ffi-lib:
	@mkdir -p $(FFI_WORK)
	set -o pipefail; $(CARGO) rustc $(CARGO_RELEASE_TARGET) -p $(FFI_CRATE) --lib -- --print native-static-libs 2>&1 \
		| tee $(FFI_WORK)/build.log
	sed -n 's/^note: native-static-libs: //p' $(FFI_WORK)/build.log | tail -n1 > $(FFI_WORK)/native-static-libs
	@test -s $(FFI_WORK)/native-static-libs || { echo "ffi: no native-static-libs line in the build output" >&2; exit 1; }

# A debug build of the tool: it compiles in half the time and reads one small crate.
ffi-cbindgen:
	@$(CBINDGEN) --version 2>/dev/null | grep -qx 'cbindgen $(CBINDGEN_VERSION)' \
		|| $(CARGO) install cbindgen --locked --debug --version $(CBINDGEN_VERSION) --root $(CBINDGEN_ROOT)

ffi-header: ffi-cbindgen
	$(CBINDGEN_RUN) --output include/sigverify.h $(FFI_CRATE)

ffi-header-check: ffi-cbindgen
	@mkdir -p $(FFI_WORK)
	$(CBINDGEN_RUN) --output $(FFI_WORK)/sigverify.h $(FFI_CRATE)
	@diff -u include/sigverify.h $(FFI_WORK)/sigverify.h || { \
		echo "include/sigverify.h differs from a fresh cbindgen generation: run 'make ffi-header' and commit it" >&2; \
		exit 1; }

# $(1): staging root (DESTDIR, may be empty); $(2): absolute prefix.
# -lgcc_s is left out of Libs.private: the compiler driver links libgcc_s (or,
# with -static, libgcc_eh) by itself, and naming it breaks `cc -static`.
define ffi_install
	install -d $(1)$(2)/lib/pkgconfig $(1)$(2)/include
	install -m 644 include/sigverify.h $(1)$(2)/include/sigverify.h
	install -m 755 $(FFI_OUT)/libsigverify_ffi.so $(1)$(2)/lib/libsigverify.so.$(FFI_VERSION)
	ln -sfn libsigverify.so.$(FFI_VERSION) $(1)$(2)/lib/libsigverify.so.$(FFI_SOVERSION)
	ln -sfn libsigverify.so.$(FFI_SOVERSION) $(1)$(2)/lib/libsigverify.so
	install -m 644 $(FFI_OUT)/libsigverify_ffi.a $(1)$(2)/lib/libsigverify.a
	sed -e 's|@PREFIX@|$(2)|' -e 's|@VERSION@|$(FFI_VERSION)|' \
		-e "s|@NATIVE_STATIC_LIBS@|$$(sed 's/-lgcc_s *//' $(FFI_WORK)/native-static-libs)|" \
		$(FFI_CRATE)/sigverify.pc.in > $(1)$(2)/lib/pkgconfig/sigverify.pc
endef

install: ffi-lib
	$(call ffi_install,$(DESTDIR),$(abspath $(PREFIX)))

# The clients are built exactly as a user would, from the installed copy
# through pkg-config (PKG_CONFIG_LIBDIR hides any other installed sigverify).
ffi-test: ffi-header-check ffi-lib
	rm -rf $(FFI_TEST_PREFIX)
	$(call ffi_install,,$(FFI_TEST_PREFIX))
	export PKG_CONFIG_LIBDIR=$(FFI_TEST_PREFIX)/lib/pkgconfig; \
	$(CC) $(FFI_CFLAGS) -o $(FFI_WORK)/sigverify_conformance-dynamic examples/c/sigverify_conformance.c \
		$$($(PKG_CONFIG) --cflags --libs sigverify) && \
	$(CC) $(FFI_CFLAGS) -static -o $(FFI_WORK)/sigverify_conformance-static examples/c/sigverify_conformance.c \
		$$($(PKG_CONFIG) --static --cflags --libs sigverify) && \
	$(CC) $(FFI_CFLAGS) -pthread -o $(FFI_WORK)/test_sigverify $(FFI_CRATE)/tests/c/test_sigverify.c \
		$$($(PKG_CONFIG) --cflags --libs sigverify)
	@readelf -d $(FFI_WORK)/sigverify_conformance-dynamic | grep -q 'NEEDED.*\[libsigverify\.so\.$(FFI_SOVERSION)\]' \
		|| { echo "ffi: the dynamic client does not load libsigverify.so.$(FFI_SOVERSION)" >&2; exit 1; }
	@! readelf -d $(FFI_WORK)/sigverify_conformance-static | grep -q NEEDED \
		|| { echo "ffi: the static client needs shared libraries" >&2; exit 1; }
	LD_LIBRARY_PATH=$(FFI_TEST_PREFIX)/lib python3 $(CONFORMANCE) --embedded-root $(FFI_WORK)/sigverify_conformance-dynamic
	python3 $(CONFORMANCE) --embedded-root $(FFI_WORK)/sigverify_conformance-static
	@# Natively first (the threads really run in parallel), then under valgrind.
	LD_LIBRARY_PATH=$(FFI_TEST_PREFIX)/lib $(FFI_WORK)/test_sigverify $(CURDIR)/test-vectors
	LD_LIBRARY_PATH=$(FFI_TEST_PREFIX)/lib $(VALGRIND) $(VALGRIND_FLAGS) \
		$(FFI_WORK)/test_sigverify $(CURDIR)/test-vectors
	@echo "ffi-test: header, dynamic and static conformance, C unit tests under valgrind: all passed"
