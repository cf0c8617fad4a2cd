# modimg-queue — see README.md.
PREFIX ?= /usr/local
SWIFT ?= swift
# apt-get needs root: use sudo when not root.
SUDO := $(shell [ "$$(id -u)" != 0 ] && command -v sudo)

.PHONY: all deps build release test chaos bench bench-smoke demo install clean

all: build

# System packages: SQLite's header and pkg-config file to build; GNU time for the benchmarks' memory figures.
deps:
	@missing=""; \
	if ! pkg-config --exists sqlite3 2>/dev/null || [ ! -f "$$(pkg-config --variable=includedir sqlite3 2>/dev/null)/sqlite3.h" ]; then \
		missing="$$missing libsqlite3-dev pkg-config"; fi; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: build
	$(SWIFT) test
	python3 scripts/chaos.py --short
	python3 scripts/bench.py --smoke

# Kill the worker at random moments, with the simulator injecting faults; SEED=n replays a run.
chaos: build
	python3 scripts/chaos.py $(if $(SEED),--seed $(SEED))

# Every benchmark figure, measured against its reference in one run; writes BENCHMARKS.md.
bench: release
	python3 scripts/bench.py --write

# A tiny run of the benchmark harness on the debug build, so it cannot rot (part of make test).
bench-smoke: build
	python3 scripts/bench.py --smoke

demo: build
	bash scripts/demo.sh

install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 .build/release/modimg-queue .build/release/modportal-sim "$(DESTDIR)$(PREFIX)/bin/"

clean:
	rm -rf .build demo-run
