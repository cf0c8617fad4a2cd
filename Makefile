# modimg-queue — see README.md.
PREFIX ?= /usr/local
SWIFT ?= swift
# apt-get needs root: use sudo when not root.
SUDO := $(shell [ "$$(id -u)" != 0 ] && command -v sudo)

.PHONY: all deps build release test chaos demo install clean

all: build

# The one system dependency: SQLite's header and pkg-config file.
deps:
	@if ! pkg-config --exists sqlite3 2>/dev/null || [ ! -f "$$(pkg-config --variable=includedir sqlite3 2>/dev/null)/sqlite3.h" ]; then \
		echo "installing libsqlite3-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: build
	$(SWIFT) test
	python3 scripts/chaos.py --short

# Kill the worker at random moments, with the simulator injecting faults; SEED=n replays a run.
chaos: build
	python3 scripts/chaos.py $(if $(SEED),--seed $(SEED))

demo: build
	bash scripts/demo.sh

install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 .build/release/modimg-queue .build/release/modportal-sim "$(DESTDIR)$(PREFIX)/bin/"

clean:
	rm -rf .build demo-run
