# Latchkey's commands. `make run` serves on http://127.0.0.1:8080 and `make test` runs
# every test; both first install the Debian packages that are missing (needs root or
# sudo, see scripts/install-deps).

SWIFT ?= swift
# `make run` settings, also read by scripts/run: HOST, PORT, DATABASE, SERVE_ARGS.
HOST ?= 127.0.0.1
PORT ?= 8080
DATABASE ?= sqlite:./data/latchkey.db
SOURCES := Package.swift Sources Tests

export HOST PORT DATABASE SERVE_ARGS

.DEFAULT_GOAL := help
.PHONY: help run test bench build deps test-deps format lint clean

help:
	@echo "make run     build (release) and serve on http://$(HOST):$(PORT)"
	@echo "make test    build and run every test, browser tests included"
	@echo "make bench   benchmark a release build against nginx (see bench/run)"
	@echo "make format  rewrite the Swift sources with swift format"
	@echo "make lint    check the Swift sources with swift format lint --strict"
	@echo "make clean   delete the build folder (.build; data/ is kept)"

run: build
	scripts/run

# Statically linked Swift runtime, packed relocations: scripts/build-release says why.
build: deps
	SWIFT=$(SWIFT) scripts/build-release

test: test-deps
	scripts/test

bench:
	bench/run

deps:
	scripts/install-deps

test-deps:
	scripts/install-deps --browser

format:
	$(SWIFT) format format --in-place --recursive --parallel $(SOURCES)

lint:
	$(SWIFT) format lint --strict --recursive --parallel $(SOURCES)

clean:
	rm -rf .build
