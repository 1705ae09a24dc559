# mk/node.mk: the Node binding (bindings/node). Included by the root
# Makefile, which defines SHELL (bash), CARGO and CONFORMANCE.
#
#   make node-test    install the pinned npm dev tools (npm ci, from the
#                     committed package-lock.json), build the addon with
#                     @napi-rs/cli (release, into the workspace target dir),
#                     run the `node --test` suite, then the conformance corpus
#                     through examples/conformance.js with the embedded roots
#   make node-build   just the install and the build
#   make node-memcheck  the hostile-input tests (test/misuse.test.js) under
#                     valgrind memcheck, on the addon node-build built

NODE_DIR := bindings/node
NPM ?= npm
# npm ci wipes and refills node_modules from the lock file: the same tools on
# every machine, nothing fetched outside the npm registry.
NPM_CI_FLAGS ?= --no-audit --no-fund

.PHONY: node-test node-build node-deps node-memcheck

node-deps:
	cd $(NODE_DIR) && $(NPM) ci $(NPM_CI_FLAGS)

# `napi build` always passes --target <host>; the other release builds do too
# (CARGO_RELEASE_TARGET), so the addon reuses ffi-lib's dependencies (both
# crates are cdylib + rlib). napi's derives need more of syn and memchr: a
# handful of crates and the core crate are rebuilt, not the tree.
node-build: node-deps
	cd $(NODE_DIR) && $(NPM) run build

node-test: node-build
	cd $(NODE_DIR) && $(NPM) test
	python3 $(CONFORMANCE) --embedded-root $(NODE_DIR)/examples/conformance.js

# node-memcheck: test/misuse.test.js (the public API and the addon itself fed
# null, empty, truncated, gigantic, invalid UTF-8, lying typed arrays, throwing
# getters and handles of the wrong class) under valgrind memcheck, on the addon
# node-build already built (no rebuild). Any memory error fails the target
# (--error-exitcode), and so does a definite or indirect leak; V8's heap shows up
# only as possibly lost or still reachable, which are not errors.
#
# Why valgrind and not ASan: valgrind instruments the very release addon that
# node-test tested and users get, and Node's own binary needs no rebuild. It
# works with two flags: --jitless (V8 interprets instead of writing machine code
# at run time, so valgrind never runs self-modified code, and it is faster under
# valgrind than the JIT) and --smc-check=all-non-file (belt and braces should V8
# still generate code). --expose-gc lets the last test collect the handles it
# made, so their finalizers run under memcheck too. The file is run by node
# itself, not by `node --test`, which would run it in a child process.
# mk/node-memcheck.supp holds the suppressions, each with its reason.
# Part of `make test`. It found a napi-rs reference leak on non-Buffer
# publicKey objects, fixed by taking a Uint8Array (SECURITY.md).
NODE ?= node
NODE_MEMCHECK_FLAGS ?= --error-exitcode=99 --smc-check=all-non-file --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --num-callers=40 \
	--suppressions=$(CURDIR)/mk/node-memcheck.supp

node-memcheck:
	@test -f $(NODE_DIR)/sigverify.node || $(MAKE) node-build
	cd $(NODE_DIR) && $(VALGRIND) $(NODE_MEMCHECK_FLAGS) $(NODE) --jitless --expose-gc test/misuse.test.js
	@echo "node-memcheck: hostile-input tests under valgrind: no errors, no definite or indirect leaks"
