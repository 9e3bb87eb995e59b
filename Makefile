# Thin wrappers over deploy/local scripts, CMake and CTest.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CTEST_ARGS ?=
# e.g. BENCH_ARGS=--only=filing (see tests/bench/caunoi_bench.cc for the flags)
BENCH_ARGS ?=
SOURCES = $(shell git ls-files '*.cc' '*.h' 2>/dev/null)

.PHONY: all deps build run test test-unit test-integration test-e2e test-deploy bench image lint format clean wipe

all: build

deps:
	@./deploy/local/deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@BUILD_DIR=$(abspath $(BUILD_DIR)) ./deploy/local/run.sh

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --no-tests=error -j $(JOBS) $(CTEST_ARGS)

test-unit test-integration test-e2e test-deploy: build
	cd $(BUILD_DIR) && ctest --output-on-failure --no-tests=error -j $(JOBS) -L $(@:test-%=%)

# Its figures are also written into tests/bench/RESULTS.md, with the date
# and the machine they were measured on.
bench: build
	@./tests/bench/record_results.sh tests/bench/RESULTS.md $(BUILD_DIR)/tests/bench/caunoi_bench $(BENCH_ARGS)

# The servers' container image (docker or podman; says so when neither exists).
image:
	@./deploy/container/build.sh

lint:
	@clang-format --dry-run --Werror $(SOURCES)

format:
	@clang-format -i $(SOURCES)

clean:
	rm -rf $(BUILD_DIR)

# Deletes the `make run` database (stop `make run` first).
wipe:
	@./deploy/local/wipe.sh
