# modimg-queue — see README.md.
PREFIX ?= /usr/local
SWIFT ?= swift
# apt-get needs root: use sudo when not root.
SUDO := $(shell [ "$$(id -u)" != 0 ] && command -v sudo)

.PHONY: all deps build release test chaos bench bench-smoke demo install install-files man clean

all: build

# System packages: SQLite's header and pkg-config file to build; GNU time for the benchmarks' memory figures and
# the sqlite3 shell for their references;
# Debian's chromium and Playwright for Python (from PyPI, driving that chromium: no browser download) for the
# dashboard's browser tests (skipped, and reported so, without either).
deps:
	@missing=""; \
	if ! pkg-config --exists sqlite3 2>/dev/null || [ ! -f "$$(pkg-config --variable=includedir sqlite3 2>/dev/null)/sqlite3.h" ]; then \
		missing="$$missing libsqlite3-dev pkg-config"; fi; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	command -v sqlite3 >/dev/null 2>&1 || missing="$$missing sqlite3"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing chromium with apt-get (for the dashboard's browser tests)"; \
		{ $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
			|| echo "could not install chromium: the browser tests will report themselves skipped"; }
	@python3 -c "import playwright.sync_api" >/dev/null 2>&1 || { \
		echo "installing Playwright for Python with pip (for the dashboard's browser tests; no browser download)"; \
		{ python3 -m pip --version >/dev/null 2>&1 \
			|| { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip; }; } >/dev/null 2>&1; \
		python3 -m pip install --quiet --disable-pip-version-check playwright >/dev/null 2>&1 \
			|| python3 -m pip install --quiet --disable-pip-version-check --user --break-system-packages playwright >/dev/null 2>&1; \
		python3 -c "import playwright.sync_api" >/dev/null 2>&1 \
			|| echo "could not install Playwright for Python: the browser tests will report themselves skipped"; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

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

# Ends with the dashboard up (until Enter or Ctrl-C on a terminal; stopped at once otherwise).
# DEMO_SCREENSHOT=docs/dashboard-mod.png also writes the README's screenshot of a mod page.
demo: build
	bash scripts/demo.sh

install: release
	$(MAKE) install-files BIN=.build/release

# The binaries in $(BIN), the man page, the shell completions (written by the binary itself) and
# contrib's recipes (systemd units, the GitHub Actions workflow and its script) as documentation,
# under $(DESTDIR)$(PREFIX); no build, so the tests can install a debug build into a temporary folder.
BIN ?= .build/release
MAN_DIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASH_DIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSH_DIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISH_DIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
DOC_DIR = $(DESTDIR)$(PREFIX)/share/doc/modimg-queue
install-files:
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(MAN_DIR)" "$(BASH_DIR)" "$(ZSH_DIR)" "$(FISH_DIR)" "$(DOC_DIR)/github-actions"
	install -s -m 0755 "$(BIN)/modimg-queue" "$(BIN)/modportal-sim" "$(DESTDIR)$(PREFIX)/bin/"
	install -m 0644 docs/modimg-queue.1 "$(MAN_DIR)/modimg-queue.1"
	install -m 0644 contrib/modimg-queue.service contrib/modimg-queue.timer "$(DOC_DIR)/"
	install -m 0644 contrib/github-actions/README.md contrib/github-actions/publish-gallery.yml "$(DOC_DIR)/github-actions/"
	install -m 0755 contrib/github-actions/publish-gallery.sh "$(DOC_DIR)/github-actions/"
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for shell in bash zsh fish; do "$(BIN)/modimg-queue" --generate-completion-script $$shell > "$$tmp/$$shell"; done; \
	install -m 0644 "$$tmp/bash" "$(BASH_DIR)/modimg-queue"; \
	install -m 0644 "$$tmp/zsh" "$(ZSH_DIR)/_modimg-queue"; \
	install -m 0644 "$$tmp/fish" "$(FISH_DIR)/modimg-queue.fish"; \
	echo "installed the man page and the bash, zsh and fish completions under $(DESTDIR)$(PREFIX)/share"

# Writes docs/modimg-queue.1 again with argument-parser's generate-manual plugin (debug build;
# ShellConventionTests fails while the committed page misses a command or an option); its
# ENVIRONMENT, FILES, EXIT STATUS and EXAMPLES sections come from docs/man-extra.mdoc.
MAN_DATE ?= $(shell date +%Y-%m-%d)
man: build
	$(SWIFT) package generate-manual --configuration debug --date $(MAN_DATE)
	python3 scripts/man-sections.py .build/plugins/GenerateManual/outputs/modimg-queue/modimg-queue.1 docs/man-extra.mdoc docs/modimg-queue.1

clean:
	rm -rf .build demo-run
