# mk/node.mk: the Node binding (bindings/node). Included by the root
# Makefile, which defines SHELL (bash), CARGO and CONFORMANCE.
#
#   make node-test    install the pinned npm dev tools (npm ci, from the
#                     committed package-lock.json), build the addon with
#                     @napi-rs/cli (release, into the workspace target dir),
#                     run the `node --test` suite, then the conformance corpus
#                     through examples/conformance.js with the embedded roots
#   make node-build   just the install and the build

NODE_DIR := bindings/node
NPM ?= npm
# npm ci wipes and refills node_modules from the lock file: the same tools on
# every machine, nothing fetched outside the npm registry.
NPM_CI_FLAGS ?= --no-audit --no-fund

.PHONY: node-test node-build node-deps

node-deps:
	cd $(NODE_DIR) && $(NPM) ci $(NPM_CI_FLAGS)

node-build: node-deps
	cd $(NODE_DIR) && $(NPM) run build

node-test: node-build
	cd $(NODE_DIR) && $(NPM) test
	python3 $(CONFORMANCE) --embedded-root $(NODE_DIR)/examples/conformance.js
