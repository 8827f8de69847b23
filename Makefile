# Thin wrapper over CMake. `make test` and `make demo` install missing
# Debian packages first (contrib/install-deps.sh), so each works from a
# fresh clone in one command.
BUILD     ?= build
SANBUILD  ?= build-san
PREFIX    ?= /usr/local
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
# The checking builds (test, unit-san, e2e-san, fuzz) turn warnings into
# errors; `make build` and packagers' builds do not (KN_WERROR is OFF).
WERROR    = -DKN_WERROR=ON

.PHONY: all deps build test test-suite unit-san e2e-san checksrc demo \
	bench fuzz image \
	build-matrix install clean

all: build

deps:
	@contrib/install-deps.sh --check 2>/dev/null || contrib/install-deps.sh

$(BUILD)/Makefile:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_ARGS)

build: $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

# The whole suite: source checks, the normal build with every test, the
# unit tests and fuzz corpus replays again under ASan+UBSan, the console,
# capture and Kube-API tests on ASan+UBSan binaries, then a short
# coverage-guided run of every fuzz target (TEST_FUZZ_SECONDS each).
# Everything it starts carries K8SNET_TEST_RUN; a process still carrying
# it at the end was left behind by a test, and fails the suite.
TEST_FUZZ_SECONDS ?= 10
test: deps
	@K8SNET_TEST_RUN=test-$$$$-$$(date +%s); export K8SNET_TEST_RUN; \
	rc=0; $(MAKE) test-suite || rc=1; \
	scripts/leftovers "$$K8SNET_TEST_RUN" || rc=1; exit $$rc

# $(BUILD) is configured again so that a folder made by `make build`
# (without -Werror) is switched to KN_WERROR=ON; it stays on there.
test-suite:
	scripts/checksrc
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(WERROR) \
		$(CMAKE_ARGS)
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) unit-san
	$(MAKE) e2e-san
	$(MAKE) fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

unit-san:
	cmake -S . -B $(SANBUILD) -DKN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
		-DCMAKE_C_COMPILER=clang $(WERROR) $(CMAKE_ARGS)
	cmake --build $(SANBUILD) -j $(JOBS)
	cd $(SANBUILD) && ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS) -L 'unit|fuzz'

# The console, capture and Kube-API tests again on the ASan+UBSan
# binaries (the console and the Kube-API client driver). Reports
# go to files (the console owns the terminal, and a dropped-privilege
# capture runs as nobody: the folder is world-writable); any report
# fails the target even when the test itself passed.
SANLOGS = $(abspath $(SANBUILD))/san-logs
e2e-san:
	cmake -S . -B $(SANBUILD) -DKN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
		-DCMAKE_C_COMPILER=clang $(WERROR) $(CMAKE_ARGS)
	cmake --build $(SANBUILD) -j $(JOBS)
	rm -rf $(SANLOGS) && mkdir -m 1777 $(SANLOGS)
	cd $(SANBUILD) && rc=0; \
	ASAN_OPTIONS=detect_leaks=1:log_path=$(SANLOGS)/asan \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SANLOGS)/ubsan \
	K8SNET_TUI_TIMEOUT=30 K8SNET_SANITIZED=1 \
		ctest --output-on-failure -j $(JOBS) \
		-L 'e2e|capture|integration' || rc=1; \
	if [ -n "$$(ls -A $(SANLOGS))" ]; then \
		cat $(SANLOGS)/*; echo "e2e-san: sanitizer reports above"; \
		exit 1; fi; exit $$rc

checksrc:
	scripts/checksrc

# Every supported compiler and flag set (gcc Debug, Release,
# RelWithDebInfo, Debian's hardening flags, clang Release) with -Werror,
# in folders under /tmp: a warning in any of them fails. Slow on small
# machines, so not part of `make test`.
build-matrix:
	scripts/build-matrix

demo: deps
	$(MAKE) build
	$(BUILD)/k8snet-top --demo

bench: deps
	$(MAKE) build
	cmake --build $(BUILD) --target bench

fuzz: deps
	cmake -S . -B build-fuzz -DKN_FUZZ=ON -DCMAKE_C_COMPILER=clang \
		-DCMAKE_BUILD_TYPE=Debug $(WERROR)
	cmake --build build-fuzz -j $(JOBS)
	tests/fuzz/run-all build-fuzz $${FUZZ_SECONDS:-60}

# The container image (contrib/Containerfile) as an OCI archive,
# $(IMAGE_ARCHIVE), built with buildah or else podman; push it with
# `skopeo copy oci-archive:FILE docker://REGISTRY/k8snet-top:TAG` (see
# README). The build stage pulls $(IMAGE_BASE) from its registry.
IMAGE         ?= localhost/k8snet-top:latest
IMAGE_ARCHIVE ?= $(BUILD)/k8snet-top-image.tar
IMAGE_BASE    ?= debian:bookworm-slim
image:
	@mkdir -p $(dir $(IMAGE_ARCHIVE)); \
	if command -v buildah >/dev/null 2>&1; then \
		buildah bud --build-arg DEBIAN=$(IMAGE_BASE) \
			-f contrib/Containerfile -t $(IMAGE) . && \
		rm -f $(IMAGE_ARCHIVE) && \
		buildah push $(IMAGE) oci-archive:$(IMAGE_ARCHIVE):$(IMAGE); \
	elif command -v podman >/dev/null 2>&1; then \
		podman build --build-arg DEBIAN=$(IMAGE_BASE) \
			-f contrib/Containerfile -t $(IMAGE) . && \
		rm -f $(IMAGE_ARCHIVE) && \
		podman save --format oci-archive -o $(IMAGE_ARCHIVE) $(IMAGE); \
	else \
		echo "make image needs buildah or podman (Debian: apt-get" \
			"install buildah), and the registry of $(IMAGE_BASE)" \
			"(IMAGE_BASE=...) reachable" >&2; \
		exit 2; \
	fi || { echo "make image: the build failed; its first stage pulls" \
		"$(IMAGE_BASE) (IMAGE_BASE=MIRROR/debian:bookworm-slim" \
		"names another registry)" >&2; exit 1; }; \
	echo "$(IMAGE_ARCHIVE): OCI archive of $(IMAGE)"

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(SANBUILD) build-fuzz
