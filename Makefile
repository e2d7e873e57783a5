# huiwu — 会务文档生成。常用命令：make（生成全部文档和内网站点）、make test（运行测试）、make serve（在本机预览站点）。
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

# glibc's malloc may ask the kernel for its memory in huge pages (2 MB) where the kernel leaves that to the program
# (transparent_hugepage: madvise): a 2,000-person build after a name edit took 100,000 page faults of 4 KB, with it
# about half as many, and ran about 5 % quicker (README 速度). bench/bench.py runs its builds with what is exported here.
export GLIBC_TUNABLES ?= glibc.malloc.hugetlb=1

.PHONY: all build test check fonts bench clean setup serve run-build run-check checkin watch

# `make`, `make build` and `make check` end with status 1 and only the Chinese messages when the input is
# rejected. GNU make answers a failed command with an English line and status 2, so for these goals it runs
# in question mode (-q): the steps marked + still run, a rejected build removes $(VERDICT), and make
# answers the missing file with status 1 and no words of its own.
VERDICT := $(VENV)/.last-build-ok
ifeq ($(filter-out all build check,$(or $(MAKECMDGOALS),all)),)
MAKEFLAGS += -q
QUIET := 1
.NOTPARALLEL:
endif
verdict = rm -f $(VERDICT); $(1) && touch $(VERDICT) || { test -n "$(QUIET)" || exit 1; }

all: build

build: setup run-build $(VERDICT)
run-build: setup
	+@$(call verdict,$(PY) build.py build)

check: setup run-check $(VERDICT)
run-check: setup
	+@$(call verdict,$(PY) build.py check)

$(VERDICT):
	@exit 1

fonts: setup
	@$(PY) build.py fonts

test: setup
	$(PY) -m ruff check huiwu build.py tests bench tools
	$(PY) -m mypy huiwu build.py
	$(PY) -m pytest -q -n auto tests

# Preview the intranet site at http://127.0.0.1:8000/ (this computer only); Ctrl+C stops it.
SERVE_PORT ?= 8000
serve: build
	@$(PY) -c "from huiwu.site import serve; serve('output/site', $(SERVE_PORT))"

# Live preview at http://127.0.0.1:8000/: rebuilds on every saved change and reloads the page; Ctrl+C stops it.
watch: setup
	@$(PY) build.py watch --port $(SERVE_PORT)

# The check-in desk at the door: make checkin（只有一个会议时）或 make checkin MEETING=<会议文件夹名>；
# LAN=1 lets other computers and phones of the office network in (with the desk's token); Ctrl+C stops it.
MEETING ?=
PORT ?= 8765
checkin: setup
	@$(PY) build.py checkin $(MEETING) --port $(PORT) $(if $(LAN),--lan)

bench: setup
	$(PY) bench/bench.py

clean:
	rm -rf output

setup: $(VENV)/.system-ok $(VENV)/.installed $(VENV)/.compiled

# System packages (Pango, HarfBuzz subsetting, CJK fonts): checked once, re-checked when the list changes.
$(VENV)/.system-ok: tools/setup-system.sh
	+@sh tools/setup-system.sh
	+@mkdir -p $(VENV) && touch $@

# Python packages, pinned in requirements.txt: reinstalled only when it changes.
$(VENV)/.installed: requirements.txt $(VENV)/.system-ok
	+@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	+@echo "正在安装 Python 依赖（requirements.txt）…"
	+@$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	+@touch $@

# huiwu's own modules compiled ahead, as pip does for the packages it installs, and again when one changes:
# every run starts about 0.15 s sooner, also where PYTHONDONTWRITEBYTECODE keeps Python from doing it.
$(VENV)/.compiled: $(VENV)/.installed $(wildcard huiwu/*.py huiwu/*/*.py)
	+@$(PY) -m compileall -q huiwu
	+@touch $@
